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
    ### BEGIN SOLUTION
    return {name: value - learning_rate * grads["d" + name] for name, value in parameters.items()}
    ### END SOLUTION
