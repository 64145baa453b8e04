"""Shape-and-type checks of the ``structure`` tests: each returns a problem sentence or None."""

import numpy as np

from . import compare


def array(got, shape, what="the result", floats=True):
    """``got`` is an ndarray of ``shape`` (of floats unless ``floats`` is False)."""
    if not isinstance(got, np.ndarray):
        return f"{what} is a {type(got).__name__}, expected a numpy array"
    if got.shape != tuple(shape):
        return f"{what} has shape {got.shape}, expected {tuple(shape)}"
    if floats and got.dtype.kind != "f":
        return f"{what} has dtype {got.dtype}, expected floats"
    return None


def state_dict(got, template, what="the result"):
    """``got`` is a dict with ``template``'s keys and a float array of each template value's shape."""
    if not isinstance(got, dict):
        return f"{what} is a {type(got).__name__}, expected a dict"
    if set(got) != set(template):
        return f"{what} has keys {sorted(got)}, expected {sorted(template)}"
    for key, value in template.items():
        problem = array(got[key], value.shape, f'{what}["{key}"]')
        if problem:
            return problem
    return None


def sequence(got, length, what="the result"):
    """``got`` is a tuple or list of ``length`` items."""
    if not isinstance(got, (tuple, list)):
        return f"{what} is a {type(got).__name__}, expected a tuple of {length} values"
    if len(got) != length:
        return f"{what} has {len(got)} values, expected {length}"
    return None


def unchanged(before, after, what="the input"):
    """The input arrays ``after`` still equal their copies ``before``.

    Pass the arrays themselves (a shallow ``dict(...)`` of the input taken before
    the call): putting new arrays into the given dict is allowed, changing the
    given arrays is not.
    """
    if isinstance(before, dict):
        for key in before:
            if key in after and compare.arrays(after[key], before[key], rtol=0, atol=0):
                return f'{what}["{key}"] was modified in place; compute new arrays instead'
        return None
    if compare.arrays(after, before, rtol=0, atol=0):
        return f"{what} was modified in place; compute a new array instead"
    return None


def first(*problems):
    """The first problem that is not None."""
    return next((problem for problem in problems if problem), None)
