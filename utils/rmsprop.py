# Exercise file for 04_rmsprop.ipynb: replace each `raise NotImplementedError(...)`
# with your code. (Generated from solutions/rmsprop.py by `optgrade stubs`.)
"""RMSprop: divide each step by the root of an average of squared gradients."""

import numpy as np


def initialize_rmsprop(parameters):
    """State s of RMSprop: an exponentially weighted average of squared gradients.

    Arguments:
        parameters -- dict with "W1", "b1", ..., "WL", "bL" (float64 arrays).

    Returns:
        s -- dict with one zero array per gradient key:
            s["dW" + str(l)] zeros of shape (n[l], n[l-1]),
            s["db" + str(l)] zeros of shape (n[l], 1).
    """
    # YOUR CODE HERE
    raise NotImplementedError(
        "initialize_rmsprop() is not implemented yet: write it in utils/rmsprop.py, save, "
        "and re-run the cell (04_rmsprop.ipynb explains what it should do)."
    )


def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta2=0.999, epsilon=1e-8):
    """One step of RMSprop.

    For each layer l = 1..L (squares and roots are element-wise):
        s_dW = beta2 * s_dW + (1 - beta2) * dW**2
        s_db = beta2 * s_db + (1 - beta2) * db**2
        W = W - alpha * dW / (sqrt(s_dW) + epsilon)
        b = b - alpha * db / (sqrt(s_db) + epsilon)

    (Putting epsilon inside the root, sqrt(s_dW + epsilon), is an accepted
    variant; it is not the same number where s_dW is small.)

    Arguments:
        parameters -- dict "W1", "b1", ...; W[l] (n[l], n[l-1]), b[l] (n[l], 1).
        grads -- dict "dW1", "db1", ..., same shapes.
        s -- dict "dW1", "db1", ..., same shapes (see ``initialize_rmsprop``).
        learning_rate -- alpha (float > 0).
        beta2 -- weight of the past squared gradients, 0 <= beta2 < 1.
        epsilon -- small number that keeps the division stable.

    Returns:
        parameters -- new dict of updated parameters.
        s -- new dict of updated squared-gradient averages.
        The input dicts and arrays are not modified.
    """
    # YOUR CODE HERE
    raise NotImplementedError(
        "update_parameters_with_rmsprop() is not implemented yet: write it in utils/rmsprop.py, save, "
        "and re-run the cell (04_rmsprop.ipynb explains what it should do)."
    )
