"""Visible checks of utils.gd (01_minibatch_gradient_descent.ipynb)."""

import numpy as np

from .checker import Checker


def check_update_parameters_with_gd(function):
    c = Checker("update_parameters_with_gd")
    # Two layers, alpha = 0.5; every entry is  new = old - 0.5 * gradient:
    #   W1: [1, 2] - 0.5 * [0.2, -0.4] = [0.9, 2.2]      b1: 0.5 - 0.5 * 1.0 = 0.0
    #   W2: [[3], [-1]] - 0.5 * [[2], [0]] = [[2], [-1]]  b2: [1, 1] - 0.5 * [-2, 4] = [2, -1]
    parameters = {
        "W1": np.array([[1.0, 2.0]]),
        "b1": np.array([[0.5]]),
        "W2": np.array([[3.0], [-1.0]]),
        "b2": np.array([[1.0], [1.0]]),
    }
    grads = {
        "dW1": np.array([[0.2, -0.4]]),
        "db1": np.array([[1.0]]),
        "dW2": np.array([[2.0], [0.0]]),
        "db2": np.array([[-2.0], [4.0]]),
    }
    expected = {
        "W1": [[0.9, 2.2]],
        "b1": [[0.0]],
        "W2": [[2.0], [-1.0]],
        "b2": [[2.0], [-1.0]],
    }
    arrays = {**parameters, **grads}  # the given arrays themselves (a student may store new ones into the dicts)
    before = {name: value.copy() for name, value in arrays.items()}
    new = function(parameters, grads, 0.5)
    if c.same_keys("returns a dict with keys W1, b1, W2, b2", new, expected):
        for name, value in expected.items():
            c.close(f"{name} (alpha = 0.5, layer {name[1]})", new[name], value)
    c.true(
        "parameters and grads are not modified in place",
        all(np.array_equal(value, before[name]) for name, value in arrays.items()),
        "build new arrays (W - alpha * dW) instead of W -= alpha * dW on the inputs",
    )
    stored = [name for name, value in arrays.items() if {**parameters, **grads}[name] is not value]
    if stored and all(np.array_equal(value, before[name]) for name, value in arrays.items()):
        c.note(
            f"the given dicts now hold new arrays under {', '.join(map(repr, stored))}",
            "grading accepts this, as the caller's arrays are untouched; the contract returns a new dict "
            "and leaves the given ones as they were",
        )
    # One layer, alpha = 0.1:  W1 = 1 - 0.1 * 10 = 0,  b1 = 0 - 0.1 * (-5) = 0.5
    one = function(
        {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])},
        {"dW1": np.array([[10.0]]), "db1": np.array([[-5.0]])},
        0.1,
    )
    if c.same_keys("one layer: keys W1, b1", one, ["W1", "b1"]):
        c.close("one layer, alpha = 0.1: W1", one["W1"], [[0.0]])
        c.close("one layer, alpha = 0.1: b1", one["b1"], [[0.5]])
    c.finish()
