"""Helpers for visible checks on dicts of arrays: parameters, gradients and optimizer state (v, s)."""

import numpy as np

from .checker import Checker, first_difference, shape_of, where_wrong


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
    """True if got is a dict holding arrays close to every array of expected (shape and ``differences.close``)."""
    try:
        arrays = [(np.asarray(got[k], dtype=float), np.asarray(v, dtype=float)) for k, v in expected.items()]
    except (KeyError, TypeError, ValueError):
        return False
    return all(a.shape == b.shape and first_difference(a, b, 1e-7, 1e-6) is None for a, b in arrays)


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
        if array.shape != value.shape or (difference := first_difference(array, value, atol, 1e-6)):
            detail = f"expected shape {value.shape}, got {array.shape}" if array.shape != value.shape else difference
            shape = shape_of(array, value, atol, 1e-6)
            shape = shape and f'{name}["{key}"]: {shape}'
            return checker.true(what, False, f'{name}["{key}"]: {detail}', shape)
    return checker.true(what, True)


def where_dicts(got, expected, atol=1e-7, rtol=1e-6):
    """Which dicts are right and the first wrong value, in ``expected``'s order (the order the formulas compute them).

    ``got`` and ``expected`` map a name (v, s, ..., parameters) to a dict of arrays; ``atol`` is one number or
    {name: atol} (each quantity on its own case's tolerance); None when all are
    right or a dict is malformed (its own case says how).
    """
    if not all(isinstance(got[name], dict) and set(got[name]) == set(value) for name, value in expected.items()):
        return None
    return where_wrong(
        [
            (name, [(f'{name}["{key}"]', got[name][key], array) for key, array in value.items()])
            for name, value in expected.items()
        ],
        atol,
        rtol,
    )


def unpack(checker, result, count, names, wrong_count_hint=None):
    """Check that result is a tuple of ``count`` values; stop the check (finish) if not.

    A list of ``count`` values is a NOTE: grading accepts it, the contract returns a tuple.
    """
    if isinstance(result, list) and len(result) == count:
        checker.note(
            f"returns a list of {count} values",
            f"grading accepts a list; the contract returns a tuple ({', '.join(names)})",
        )
    if isinstance(result, tuple | list) and len(result) == count:
        checker.true(f"returns {count} values ({', '.join(names)})", True)
        return result
    got = f"a {type(result).__name__} of {len(result)}" if isinstance(result, tuple | list) else type(result).__name__
    checker.true(f"returns {count} values ({', '.join(names)})", False, f"got {got}")
    if wrong_count_hint and isinstance(result, tuple | list):
        hint(checker, wrong_count_hint)
    checker.finish()  # raises CheckFailed
    return None


def snapshot(inputs):
    """name -> (the dict, a shallow copy holding its arrays, a deep copy of their values), taken before a call."""
    return {name: (d, dict(d), copy_dict(d)) for name, d in inputs.items()}


def check_unchanged(checker, snapshots):
    """The input arrays still hold their values (grading requires it); new arrays stored in a given dict are a NOTE.

    ``snapshots`` is ``snapshot(inputs)`` from before the call. Grading accepts a given dict
    that now holds new arrays (the caller's arrays are untouched), so that is a NOTE, not a FAIL.
    """
    for name, (given, arrays, values) in snapshots.items():
        changed = [key for key in values if not np.array_equal(arrays[key], values[key])]
        checker.true(
            f"the input {name} is not modified",
            not changed,
            f"{name}[{', '.join(map(repr, changed))}] changed in place: build new arrays (x = x - ...), not x -= ...",
        )
        stored = [key for key in arrays if given.get(key) is not arrays[key]]
        if stored and not changed:
            checker.note(
                f"the given dict {name} now holds new arrays under {', '.join(map(repr, stored))}",
                "grading accepts this, as the caller's arrays are untouched; the contract returns new dicts "
                "and leaves the given ones as they were",
            )


def check_zero_state(checker, name, state, parameters):
    """state must hold zeros of each parameter's shape under the gradient keys, in new arrays."""
    expected = {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    shapes = ", ".join(f"{key} {value.shape}" for key, value in expected.items())
    if not check_dict(checker, name, state, expected, what=f"{name} holds zeros: {shapes}"):
        return False
    not_floats = {
        key: str(np.asarray(state[key]).dtype) for key in expected if np.asarray(state[key]).dtype.kind != "f"
    }
    if not_floats:  # a case only when it fails: grading's structure test wants float arrays
        detail = ", ".join(f"{name}[{key!r}] has dtype {dtype}" for key, dtype in not_floats.items())
        return checker.true(f"{name} holds float arrays", False, f"{detail}: the updates add float steps to it")
    shared = [key for key in expected for value in parameters.values() if np.shares_memory(state[key], value)]
    checker.true(f"{name} holds new arrays", not shared, f"{name}{shared} share memory with the parameters")
    return True


def check_state_initializer(function, state_name):
    """Visible checks of initialize_velocity / initialize_rmsprop: one zero-filled state dict, inputs untouched."""
    c = Checker(function.__name__)
    parameters = two_layer_parameters()
    before = snapshot({"parameters": parameters})
    state = function(parameters)
    # the gradient keys dW1, db1, dW2, db2 and zeros of shapes (2, 3), (2, 1), (1, 2), (1, 1)
    check_zero_state(c, state_name, state, parameters)
    check_unchanged(c, before)
    c.finish()
