"""Deterministic inputs of the hidden tests (each from its own RandomState seed)."""

import numpy as np

LAYERS = ((3, 4, 2, 1), (2, 5, 2, 1))


def parameters(layers, seed):
    """A network's "W1", "b1", ... with non-zero weights and biases."""
    rng = np.random.RandomState(seed)
    result = {}
    for l in range(1, len(layers)):
        result[f"W{l}"] = rng.randn(layers[l], layers[l - 1]) * 0.5
        result[f"b{l}"] = rng.randn(layers[l], 1) * 0.1
    return result


def gradients(parameters, seed, scale=1.0):
    """ "dW1", "db1", ... of the parameters' shapes; one row of each is tiny (|g| ~ 1e-6).

    The tiny entries make sqrt(s) small, where epsilon inside or outside the
    root gives clearly different steps.
    """
    rng = np.random.RandomState(seed)
    grads = {}
    for name, value in parameters.items():
        grad = rng.randn(*value.shape) * scale
        grad[0] *= 1e-6
        grads["d" + name] = grad
    return grads


def moments(parameters, seed, squared=False):
    """An optimizer state keyed "dW1", "db1", ...: signed first moments or non-negative second ones."""
    rng = np.random.RandomState(seed)
    state = {}
    for name, value in parameters.items():
        noise = rng.randn(*value.shape)
        state["d" + name] = noise**2 * 0.01 if squared else noise * 0.1
    return state


def zeros_like(parameters):
    """A state of zeros keyed "dW1", "db1", ..."""
    return {"d" + name: np.zeros_like(value) for name, value in parameters.items()}


def series(length, seed):
    """A noisy seasonal series of ``length`` values (temperatures-like, around 20)."""
    rng = np.random.RandomState(seed)
    days = np.arange(length)
    return 20 + 8 * np.sin(days / 9) + rng.randn(length) * 3


def snapshot(value):
    """A deep copy of nested dicts/tuples/lists of arrays, for "was it modified?" checks."""
    if isinstance(value, dict):
        return {key: snapshot(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(snapshot(item) for item in value)
    return np.array(value, copy=True) if isinstance(value, np.ndarray) else value
