# Exercise file for 05_adam.ipynb: replace each `raise NotImplementedError(...)`
# with your code. (Generated from solutions/adam.py by `optgrade stubs`.)
"""Adam (adaptive moment estimation): momentum + RMSprop + bias correction."""

import numpy as np


def initialize_adam(parameters):
    """First and second moment estimates of Adam, started at 0.

    Arguments:
        parameters -- dict with "W1", "b1", ..., "WL", "bL" (float64 arrays).

    Returns:
        v -- dict: v["dW" + str(l)], v["db" + str(l)] zeros of the shapes of
            W[l] (n[l], n[l-1]) and b[l] (n[l], 1): the EWA of the gradients.
        s -- dict with the same keys and shapes, zeros: the EWA of the squared
            gradients.
        v and s are distinct arrays (updating one never changes the other).
    """
    # YOUR CODE HERE
    raise NotImplementedError(
        "initialize_adam() is not implemented yet: write it in utils/adam.py, save, "
        "and re-run the cell (05_adam.ipynb explains what it should do)."
    )


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """One step of Adam.

    For each layer l = 1..L and each of W, b (element-wise):
        v_dW = beta1 * v_dW + (1 - beta1) * dW             (momentum)
        s_dW = beta2 * s_dW + (1 - beta2) * dW**2          (RMSprop)
        v_corrected = v_dW / (1 - beta1**t)                (bias correction)
        s_corrected = s_dW / (1 - beta2**t)
        W = W - alpha * v_corrected / (sqrt(s_corrected) + epsilon)

    (The lecture once writes sqrt(s_corrected + epsilon); both placements
    are accepted, and they differ where s_corrected is small.)

    Arguments:
        parameters -- dict "W1", "b1", ...; W[l] (n[l], n[l-1]), b[l] (n[l], 1).
        grads -- dict "dW1", "db1", ..., same shapes.
        v -- first-moment dict "dW1", "db1", ..., same shapes.
        s -- second-moment dict, same keys and shapes.
        t -- number of the update, counting from 1 (the first call gets t=1).
        learning_rate -- alpha (float > 0).
        beta1 -- decay of the first moment (default 0.9).
        beta2 -- decay of the second moment (default 0.999).
        epsilon -- keeps the division stable (default 1e-8).

    Returns:
        parameters -- new dict of updated parameters.
        v -- new dict of updated first moments (not bias-corrected).
        s -- new dict of updated second moments (not bias-corrected).
        v_corrected -- dict of the bias-corrected first moments.
        s_corrected -- dict of the bias-corrected second moments.
        The input dicts and arrays are not modified.
    """
    # YOUR CODE HERE
    raise NotImplementedError(
        "update_parameters_with_adam() is not implemented yet: write it in utils/adam.py, save, "
        "and re-run the cell (05_adam.ipynb explains what it should do)."
    )
