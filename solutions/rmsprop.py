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
    ### BEGIN SOLUTION
    return {"d" + name: np.zeros_like(value) for name, value in parameters.items()}
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    new_parameters, new_s = {}, {}
    for name, value in parameters.items():
        key = "d" + name
        grad = grads[key]
        new_s[key] = beta2 * s[key] + (1 - beta2) * np.square(grad)
        new_parameters[name] = value - learning_rate * grad / (np.sqrt(new_s[key]) + epsilon)
    return new_parameters, new_s
    ### END SOLUTION
