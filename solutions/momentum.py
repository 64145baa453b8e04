"""Gradient descent with momentum (the lecture's EWA form)."""

import numpy as np


def initialize_velocity(parameters):
    """Velocity v: an exponentially weighted average of the gradients, started at 0.

    Arguments:
        parameters -- dict with "W1", "b1", ..., "WL", "bL" (float64 arrays).

    Returns:
        v -- dict with one zero array per gradient key:
            v["dW" + str(l)] zeros of W[l]'s shape (n[l], n[l-1]),
            v["db" + str(l)] zeros of b[l]'s shape (n[l], 1).
    """
    ### BEGIN SOLUTION
    return {"d" + name: np.zeros_like(value) for name, value in parameters.items()}
    ### END SOLUTION


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """One step of gradient descent with momentum.

    For each layer l = 1..L (no bias correction):
        v_dW = beta * v_dW + (1 - beta) * dW
        v_db = beta * v_db + (1 - beta) * db
        W = W - alpha * v_dW
        b = b - alpha * v_db

    Arguments:
        parameters -- dict "W1", "b1", ...; W[l] (n[l], n[l-1]), b[l] (n[l], 1).
        grads -- dict "dW1", "db1", ..., same shapes.
        v -- velocity dict "dW1", "db1", ..., same shapes (see
            ``initialize_velocity``).
        beta -- momentum hyperparameter, 0 <= beta < 1 (0.9 is the usual default).
        learning_rate -- alpha (float > 0).

    Returns:
        parameters -- new dict of updated parameters.
        v -- new dict of updated velocities.
        The input dicts and arrays are not modified.
    """
    ### BEGIN SOLUTION
    new_parameters, new_v = {}, {}
    for name, value in parameters.items():
        key = "d" + name
        new_v[key] = beta * v[key] + (1 - beta) * grads[key]
        new_parameters[name] = value - learning_rate * new_v[key]
    return new_parameters, new_v
    ### END SOLUTION
