# Exercise file for 01_minibatch_gradient_descent.ipynb: replace each `raise NotImplementedError(...)`
# with your code. (Generated from solutions/gd.py by `optgrade stubs`.)
"""Plain (batch, mini-batch or stochastic) gradient descent update."""


def update_parameters_with_gd(parameters, grads, learning_rate):
    """One step of gradient descent on every layer.

    For each layer l = 1..L:
        W[l] = W[l] - alpha * dW[l]
        b[l] = b[l] - alpha * db[l]

    Arguments:
        parameters -- dict with "W1", "b1", ..., "WL", "bL"; W[l] has shape
            (n[l], n[l-1]) and b[l] shape (n[l], 1), float64.
        grads -- dict with "dW1", "db1", ..., same shapes as the parameters.
        learning_rate -- the learning rate alpha (float > 0).

    Returns:
        parameters -- a new dict with the updated parameters (same keys and
            shapes); the input dicts and arrays are not modified.
    """
    # YOUR CODE HERE
    raise NotImplementedError(
        "update_parameters_with_gd() is not implemented yet: write it in utils/gd.py, save, "
        "and re-run the cell (01_minibatch_gradient_descent.ipynb explains what it should do)."
    )
