"""Visible checks of utils/rmsprop.py (notebook 04)."""

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

# Each quantity is called right in the "where" line on the tolerance of its own case below.
ATOL = {"s": 1e-7, "parameters": 1e-6}


def check_initialize_rmsprop(initialize_rmsprop):
    check_state_initializer(initialize_rmsprop, "s")


def check_update_parameters_with_rmsprop(update_parameters_with_rmsprop):
    c = Checker("update_parameters_with_rmsprop")
    # Case 1: one layer, beta2 = 0.75, alpha = 0.01 (epsilon = 1e-8 changes nothing visible here).
    #   s_dW1 = 0.75*[0, 0.04] + 0.25*[2^2, 0.2^2] = [0 + 1, 0.03 + 0.01] = [1, 0.04];  sqrt = [1, 0.2]
    #   W1    = [1, -1] - 0.01*[2/1, -0.2/0.2] = [1 - 0.02, -1 + 0.01] = [0.98, -0.99]
    #   s_db1 = 0.75*0 + 0.25*0.1^2 = 0.0025;  sqrt = 0.05;  b1 = 0 - 0.01*0.1/0.05 = -0.02
    parameters = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.0]])}
    grads = {"dW1": np.array([[2.0, -0.2]]), "db1": np.array([[0.1]])}
    s = {"dW1": np.array([[0.0, 0.04]]), "db1": np.array([[0.0]])}
    inputs = {"parameters": parameters, "grads": grads, "s": s}
    before = snapshot(inputs)
    result = update_parameters_with_rmsprop(parameters, grads, s, 0.01, 0.75, 1e-8)
    new_parameters, new_s = unpack(c, result, 2, ("parameters", "s"))
    expected = {"s": {"dW1": [[1.0, 0.04]], "db1": [[0.0025]]}, "parameters": {"W1": [[0.98, -0.99]], "b1": [[-0.02]]}}
    if not check_dict(c, "s", new_s, expected["s"]):
        if matches(new_s, {"dW1": [[0.5, -0.02]]}):
            hint(c, "the average squares the gradient: s = beta2*s + (1 - beta2)*dW**2")
    if not check_dict(c, "parameters", new_parameters, expected["parameters"], atol=1e-6):
        if matches(new_parameters, {"W1": [[0.99, -1.002]]}):
            hint(c, "s ended up in the numerator (a slip in the lecture's display formula): W = W - alpha*dW/sqrt(s)")
        elif matches(new_parameters, {"W1": [[0.98, -0.95]]}):
            hint(c, "divide by the root of s, not by s itself")
    c.where(where_dicts({"s": new_s, "parameters": new_parameters}, expected, atol=ATOL))
    check_unchanged(c, before)
    # Case 2: two layers, beta2 = 0.75, alpha = 0.01. Layer 1 has zero gradients and zero s:
    #   s stays 0 and W1, b1 must not move (epsilon keeps 0 / 0 away: no NaN).
    #   Layer 2 starts at s = 0: s_dW2 = 0.25*[9, 16] = [2.25, 4];  sqrt = [1.5, 2]
    #   W2 = [1, -1] - 0.01*[3/1.5, -4/2] = [0.98, -0.98];  db2 = 0, so b2 stays 0.5
    parameters = two_layer_parameters()
    grads = {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    grads["dW2"] = np.array([[3.0, -4.0]])
    s = {key: np.zeros_like(value) for key, value in grads.items()}
    expected = dict(parameters, W2=np.array([[0.98, -0.98]]))  # before the call: it may store into the dicts
    expected_s = dict(s, dW2=np.array([[2.25, 4.0]]))
    new_parameters, new_s = unpack(
        c, update_parameters_with_rmsprop(parameters, grads, s, 0.01, 0.75, 1e-8), 2, ("parameters", "s")
    )
    what = "two layers: W2 = [[0.98, -0.98]]; W1, b1, b2 (zero gradient, s = 0) unchanged, no NaN"
    check_dict(c, "parameters", new_parameters, expected, atol=1e-6, what=what)
    what = "two layers: s_dW2 = [[2.25, 4.0]], every other entry of s stays 0"
    check_dict(c, "s", new_s, expected_s, what=what)
    c.where(where_dicts({"s": new_s, "parameters": new_parameters}, {"s": expected_s, "parameters": expected}, ATOL))
    c.finish()
