"""Visible checks of utils/adam.py (notebook 05)."""

import numpy as np

from .checker import Checker
from .dicts import (
    check_dict,
    check_unchanged,
    check_zero_state,
    hint,
    matches,
    snapshot,
    two_layer_parameters,
    unpack,
    where_dicts,
)

ADAM_OUTPUTS = ("parameters", "v", "s", "v_corrected", "s_corrected")


def check_initialize_adam(initialize_adam):
    c = Checker("initialize_adam")
    parameters = two_layer_parameters()
    before = snapshot({"parameters": parameters})
    v, s = unpack(c, initialize_adam(parameters), 2, ("v", "s"))
    # v and s: the gradient keys dW1, db1, dW2, db2, zeros of shapes (2, 3), (2, 1), (1, 2), (1, 1)
    if check_zero_state(c, "v", v, parameters) and check_zero_state(c, "s", s, parameters):
        shared = [key for key in v if np.shares_memory(v[key], s[key])]
        c.true("v and s are separate arrays", not shared, f"v{shared} and s{shared} are the same arrays")
    check_unchanged(c, before)
    c.finish()


def check_update_parameters_with_adam(update_parameters_with_adam):
    c = Checker("update_parameters_with_adam")
    # Case 1: the first update (t = 1) from v = s = 0, defaults beta1 = 0.9, beta2 = 0.999, alpha = 0.01.
    #   v = 0.1*[0.5, -2] = [0.05, -0.2];            s = 0.001*[0.25, 4] = [0.00025, 0.004]
    #   v_corrected = v / (1 - 0.9) = [0.5, -2];     s_corrected = s / (1 - 0.999) = [0.25, 4]
    #   W1 = [1, 1] - 0.01*[0.5/0.5, -2/2] = [0.99, 1.01]   (the first step is alpha * sign(dW))
    #   db1 = 0: v, s, the corrections and the step are all 0.
    parameters = {"W1": np.array([[1.0, 1.0]]), "b1": np.array([[0.0]])}
    grads = {"dW1": np.array([[0.5, -2.0]]), "db1": np.array([[0.0]])}
    v = {"dW1": np.zeros((1, 2)), "db1": np.zeros((1, 1))}
    s = {"dW1": np.zeros((1, 2)), "db1": np.zeros((1, 1))}
    inputs = {"parameters": parameters, "grads": grads, "v": v, "s": s}
    before = snapshot(inputs)
    result = update_parameters_with_adam(parameters, grads, v, s, 1, 0.01, 0.9, 0.999, 1e-8)
    new_parameters, new_v, new_s, v_corrected, s_corrected = unpack(
        c, result, 5, ADAM_OUTPUTS, "the lecture's optimizer switch unpacks 3 values; this workbook's Adam returns 5"
    )
    expected = {
        "v": {"dW1": [[0.05, -0.2]], "db1": [[0.0]]},
        "s": {"dW1": [[0.00025, 0.004]], "db1": [[0.0]]},
        "v_corrected": {"dW1": [[0.5, -2.0]], "db1": [[0.0]]},
        "s_corrected": {"dW1": [[0.25, 4.0]], "db1": [[0.0]]},
        "parameters": {"W1": [[0.99, 1.01]], "b1": [[0.0]]},
    }
    got = {"v": new_v, "s": new_s, "v_corrected": v_corrected, "s_corrected": s_corrected, "parameters": new_parameters}
    check_dict(c, "v", new_v, expected["v"])
    check_dict(c, "s", new_s, expected["s"])
    if not check_dict(c, "v_corrected", v_corrected, expected["v_corrected"]):
        hint(c, "v_corrected = v / (1 - beta1**t), with t = 1 on the first update")
    check_dict(c, "s_corrected", s_corrected, expected["s_corrected"])
    if not check_dict(c, "parameters", new_parameters, expected["parameters"]):
        if matches(new_parameters, {"W1": [[0.968377, 1.031623]]}):
            hint(c, "the step used v and s without the bias correction; use v_corrected and s_corrected")
    c.where(where_dicts(got, expected))
    check_unchanged(c, before)
    # Case 2: two layers, t = 2, beta1 = beta2 = 0.5 (both corrections divide by 1 - 0.5**2 = 0.75), alpha = 0.1.
    #   W1: v = 0.5*[0.2, -0.4] + 0.5*[1, -0.2] = [0.6, -0.3];   v_corrected = [0.8, -0.4]
    #       s = 0.5*[0.5, 0.2] + 0.5*[1, 0.04]  = [0.75, 0.12]; s_corrected = [1, 0.16], root [1, 0.4]
    #       W1 = [2, -3] - 0.1*[0.8/1, -0.4/0.4] = [1.92, -2.9]
    #   W2: v = 0.5*(-0.5) + 0.5*(-1) = -0.75 -> -1;  s = 0.5*0.5 + 0.5*1 = 0.75 -> 1;  W2 = 1 + 0.1 = 1.1
    #   b1, b2: zero gradient and zero state, so they do not move.
    parameters = {
        "W1": np.array([[2.0, -3.0]]),
        "b1": np.array([[0.0]]),
        "W2": np.array([[1.0]]),
        "b2": np.array([[0.3]]),
    }
    grads = {
        "dW1": np.array([[1.0, -0.2]]),
        "db1": np.zeros((1, 1)),
        "dW2": np.array([[-1.0]]),
        "db2": np.zeros((1, 1)),
    }
    v = {"dW1": np.array([[0.2, -0.4]]), "db1": np.zeros((1, 1)), "dW2": np.array([[-0.5]]), "db2": np.zeros((1, 1))}
    s = {"dW1": np.array([[0.5, 0.2]]), "db1": np.zeros((1, 1)), "dW2": np.array([[0.5]]), "db2": np.zeros((1, 1))}
    result = update_parameters_with_adam(parameters, grads, v, s, 2, 0.1, 0.5, 0.5, 1e-8)
    new_parameters, new_v, new_s, v_corrected, s_corrected = unpack(c, result, 5, ADAM_OUTPUTS)
    zero = np.zeros((1, 1))
    expected = {
        "v": {"dW1": [[0.6, -0.3]], "db1": zero, "dW2": [[-0.75]], "db2": zero},
        "s": {"dW1": [[0.75, 0.12]], "db1": zero, "dW2": [[0.75]], "db2": zero},
        "v_corrected": {"dW1": [[0.8, -0.4]], "db1": zero, "dW2": [[-1.0]], "db2": zero},
        "s_corrected": {"dW1": [[1.0, 0.16]], "db1": zero, "dW2": [[1.0]], "db2": zero},
        "parameters": {"W1": [[1.92, -2.9]], "b1": zero, "W2": [[1.1]], "b2": [[0.3]]},
    }
    got = {"v": new_v, "s": new_s, "v_corrected": v_corrected, "s_corrected": s_corrected, "parameters": new_parameters}
    check_dict(c, "v (t = 2)", new_v, expected["v"])
    check_dict(c, "s (t = 2)", new_s, expected["s"])
    if not check_dict(c, "v_corrected (t = 2)", v_corrected, expected["v_corrected"]):
        hint(c, "use the t you are given: v_corrected = v / (1 - beta1**t)")
    check_dict(c, "s_corrected (t = 2)", s_corrected, expected["s_corrected"])
    check_dict(c, "parameters (t = 2)", new_parameters, expected["parameters"])
    c.where(where_dicts(got, expected))
    c.finish()
