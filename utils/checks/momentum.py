"""Visible checks of utils/momentum.py (notebook 03), with helpers the rmsprop and adam checks share."""

import numpy as np

from .checker import Checker, _first_difference


def two_layer_parameters():
    """A small network's parameters: n = [3, 2, 1] (W1 (2, 3), b1 (2, 1), W2 (1, 2), b2 (1, 1))."""
    return {
        "W1": np.arange(6.0).reshape(2, 3),
        "b1": np.ones((2, 1)),
        "W2": np.array([[1.0, -1.0]]),
        "b2": np.array([[0.5]]),
    }


def copy_dict(d):
    """Deep copy of a dict of arrays (to see later whether a function changed its inputs)."""
    return {key: np.array(value, dtype=float, copy=True) for key, value in d.items()}


def hint(checker, text):
    """Add a hint line under the last case (does not count as a case)."""
    checker.lines.append(f"         hint: {text}")


def matches(got, expected):
    """True if got is a dict holding arrays close to every array of expected."""
    try:
        return all(np.allclose(np.asarray(got[k], dtype=float), v, atol=1e-7, rtol=1e-6) for k, v in expected.items())
    except (KeyError, TypeError, ValueError):
        return False


def check_dict(checker, name, got, expected, atol=1e-7, what=None):
    """One case: got is a dict with exactly expected's keys and every array matches (shape and values)."""
    what = what or f"{name} = " + ", ".join(f"{key}: {np.round(value, 6).tolist()}" for key, value in expected.items())
    if not isinstance(got, dict) or set(got) != set(expected):
        keys = sorted(got) if isinstance(got, dict) else type(got).__name__
        return checker.true(what, False, f"expected a dict with keys {sorted(expected)}, got {keys}")
    for key, value in expected.items():
        value = np.asarray(value, dtype=float)
        try:
            array = np.asarray(got[key], dtype=float)
        except (TypeError, ValueError):
            return checker.true(what, False, f'{name}["{key}"]: expected numbers, got {got[key]!r}')
        if array.shape != value.shape:
            return checker.true(what, False, f'{name}["{key}"]: expected shape {value.shape}, got {array.shape}')
        difference = _first_difference(array, value, atol, 1e-6)
        if difference:
            return checker.true(what, False, f'{name}["{key}"]: {difference}')
    return checker.true(what, True)


def unpack(checker, result, count, names, wrong_count_hint=None):
    """Check that result is a tuple of ``count`` values; stop the check (finish) if not."""
    if isinstance(result, tuple) and len(result) == count:
        checker.true(f"returns {count} values ({', '.join(names)})", True)
        return result
    got = f"a tuple of {len(result)}" if isinstance(result, tuple) else type(result).__name__
    checker.true(f"returns {count} values ({', '.join(names)})", False, f"got {got}")
    if wrong_count_hint and isinstance(result, tuple):
        hint(checker, wrong_count_hint)
    checker.finish()  # raises CheckFailed
    return None


def check_unchanged(checker, inputs):
    """inputs: name -> (dict after the call, its copy from before)."""
    for name, (after, before) in inputs.items():
        changed = [key for key in before if not np.array_equal(after[key], before[key])]
        checker.true(
            f"the input {name} is not modified",
            not changed,
            f"{name}[{', '.join(map(repr, changed))}] changed in place: build new arrays (x = x - ...), not x -= ...",
        )


def check_zero_state(checker, name, state, parameters):
    """state must hold zeros of each parameter's shape under the gradient keys, in new arrays."""
    expected = {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    shapes = ", ".join(f"{key} {value.shape}" for key, value in expected.items())
    if not check_dict(checker, name, state, expected, what=f"{name} holds zeros: {shapes}"):
        return False
    shared = [key for key in expected for value in parameters.values() if np.shares_memory(state[key], value)]
    checker.true(f"{name} holds new arrays", not shared, f"{name}{shared} share memory with the parameters")
    return True


def check_initialize_velocity(initialize_velocity):
    c = Checker("initialize_velocity")
    parameters = two_layer_parameters()
    before = copy_dict(parameters)
    v = initialize_velocity(parameters)
    # v has the gradient keys dW1, db1, dW2, db2 and zeros of shapes (2, 3), (2, 1), (1, 2), (1, 1)
    check_zero_state(c, "v", v, parameters)
    check_unchanged(c, {"parameters": (parameters, before)})
    c.finish()


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
    before = {name: copy_dict(d) for name, d in inputs.items()}
    result = update_parameters_with_momentum(parameters, grads, v, 0.9, 0.1)
    new_parameters, new_v = unpack(c, result, 2, ("parameters", "v"))
    if not check_dict(c, "v", new_v, {"dW1": [[0.13, -0.02]], "db1": [[-0.35]]}):
        if matches(new_v, {"dW1": [[0.49, -0.2]]}):
            hint(c, "this is v = beta*v + dW; the workbook uses the average v = beta*v + (1 - beta)*dW")
    if not check_dict(c, "parameters", new_parameters, {"W1": [[0.987, 2.002]], "b1": [[0.535]]}):
        if matches(new_parameters, {"W1": [[0.96, 2.02]]}):
            hint(c, "the step used dW; momentum steps along the new velocity: W = W - alpha*v")
    check_unchanged(c, {name: (inputs[name], before[name]) for name in inputs})
    # Case 2: two layers, beta = 0 is plain gradient descent: v = dW, W = W - 0.5*dW (every layer).
    parameters = two_layer_parameters()
    grads = {"d" + key: np.ones_like(value) for key, value in parameters.items()}
    v = {key: np.zeros_like(value) for key, value in grads.items()}
    new_parameters, new_v = unpack(
        c, update_parameters_with_momentum(parameters, grads, v, 0.0, 0.5), 2, ("parameters", "v")
    )
    check_dict(
        c,
        "parameters",
        new_parameters,
        {key: value - 0.5 for key, value in parameters.items()},
        what="two layers, beta = 0 (plain GD): every entry of W1, b1, W2, b2 moves by -0.5",
    )
    check_dict(c, "v", new_v, grads, what="two layers, beta = 0: v = dW (all ones)")
    c.finish()
