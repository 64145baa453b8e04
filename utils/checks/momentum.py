"""Visible checks of utils/momentum.py (notebook 03)."""

import numpy as np

from .checker import Checker
from .dicts import (
    check_dict,
    check_state_initializer,
    check_unchanged,
    hint,
    matches,
    snapshot,
    two_layer_parameters,
    unpack,
    where_dicts,
)


def check_initialize_velocity(initialize_velocity):
    check_state_initializer(initialize_velocity, "v")


def check_update_parameters_with_momentum(update_parameters_with_momentum):
    c = Checker("update_parameters_with_momentum")
    # Case 1: one layer, beta = 0.9, alpha = 0.1.
    #   v_dW1 = 0.9*[0.1, 0.0] + 0.1*[0.4, -0.2] = [0.09 + 0.04, 0 - 0.02] = [0.13, -0.02]
    #   W1    = [1, 2] - 0.1*[0.13, -0.02]       = [0.987, 2.002]
    #   v_db1 = 0.9*(-0.5) + 0.1*1.0 = -0.35;  b1 = 0.5 - 0.1*(-0.35) = 0.535
    parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[0.5]])}
    grads = {"dW1": np.array([[0.4, -0.2]]), "db1": np.array([[1.0]])}
    v = {"dW1": np.array([[0.1, 0.0]]), "db1": np.array([[-0.5]])}
    inputs = {"parameters": parameters, "grads": grads, "v": v}
    before = snapshot(inputs)
    result = update_parameters_with_momentum(parameters, grads, v, 0.9, 0.1)
    new_parameters, new_v = unpack(c, result, 2, ("parameters", "v"))
    expected = {
        "v": {"dW1": [[0.13, -0.02]], "db1": [[-0.35]]},
        "parameters": {"W1": [[0.987, 2.002]], "b1": [[0.535]]},
    }
    if not check_dict(c, "v", new_v, expected["v"]):
        if matches(new_v, {"dW1": [[0.49, -0.2]]}):
            hint(c, "this is v = beta*v + dW; the workbook uses the average v = beta*v + (1 - beta)*dW")
    if not check_dict(c, "parameters", new_parameters, expected["parameters"]):
        if matches(new_parameters, {"W1": [[0.96, 2.02]]}):
            hint(c, "the step used dW; momentum steps along the new velocity: W = W - alpha*v")
    c.where(where_dicts({"v": new_v, "parameters": new_parameters}, expected))
    check_unchanged(c, before)
    # Case 2: two layers, beta = 0 is plain gradient descent: v = dW, W = W - 0.5*dW (every layer).
    parameters = two_layer_parameters()
    grads = {"d" + key: np.ones_like(value) for key, value in parameters.items()}
    v = {key: np.zeros_like(value) for key, value in grads.items()}
    expected = {key: value - 0.5 for key, value in parameters.items()}  # before the call: it may store into the dict
    new_parameters, new_v = unpack(
        c, update_parameters_with_momentum(parameters, grads, v, 0.0, 0.5), 2, ("parameters", "v")
    )
    check_dict(
        c,
        "parameters",
        new_parameters,
        expected,
        what="two layers, beta = 0 (plain GD): every entry of W1, b1, W2, b2 moves by -0.5",
    )
    check_dict(c, "v", new_v, grads, what="two layers, beta = 0: v = dW (all ones)")
    c.where(where_dicts({"v": new_v, "parameters": new_parameters}, {"v": grads, "parameters": expected}))
    c.finish()
