"""Comparisons of student outputs with expected ones, in plain Python on float lists.

Nothing here calls numpy's comparison functions (``np.allclose``,
``np.isclose``, ``np.testing.*``), so a student module that replaces them
cannot make a wrong answer look right. Each comparer returns None when the
values agree, otherwise one sentence saying where they first differ.

Inside ``shapes_of_differences()``, ``arrays`` also records the shape of each
difference it finds (``shapes``: a constant factor, the sign, a shift, ...), tested
with the comparison's own tolerance; ``checking.fail`` says it when no mistake
is named. ``shapes`` and ``differences`` (``close``: when two numbers are
equal; inf and NaN equal only themselves) are the visible checks' own modules,
loaded from the instructor's repository by their paths under private names
(``reference``): never a student's ``utils/checks/shapes.py``, whatever is first
on ``sys.path``.
"""

import contextlib
import numbers

import numpy as np

from ..exercises import ROOT
from . import reference

# Captured when the grader is imported, before any student module is (re)loaded.
_array = np.array
_ndarray = np.ndarray
_tolist = np.ndarray.tolist
shapes = reference._load(ROOT / "utils" / "checks" / "shapes.py", "shapes")  # by path, private name
differences = reference._load(ROOT / "utils" / "checks" / "differences.py", "differences")
_FOUND = []  # the open shapes_of_differences() lists (innermost last)

VALUES = {"rtol": 1e-9, "atol": 1e-12}  # one call, same formula up to rounding
TRAINING = {"rtol": 1e-8, "atol": 1e-10}  # a few hundred steps, rounding may accumulate


def as_floats(value):
    """(shape, flat list of Python floats) of an array-like, or None if it is not numeric."""
    if isinstance(value, (str, bytes, dict)) or value is None:
        return None
    try:
        array = _array(value, dtype=float)
    except (TypeError, ValueError):
        return None
    if array.dtype.kind != "f":
        return None
    return tuple(array.shape), _tolist(array.reshape(-1))


@contextlib.contextmanager
def shapes_of_differences():
    """Collect [(what, shape sentence)] of the differences ``arrays`` finds in the block (shape None if none fits)."""
    found = []
    _FOUND.append(found)
    try:
        yield found
    finally:
        _FOUND.remove(found)


def arrays(got, expected, rtol=VALUES["rtol"], atol=VALUES["atol"], what="the result"):
    """Compare two array-likes in shape and value."""
    want = as_floats(expected)
    have = as_floats(got)
    if have is None:
        return f"{what} is a {type(got).__name__}, not numbers"
    if want is None:
        return f"{what} cannot be checked: the reference gave no numbers"
    (got_shape, got_flat), (shape, flat) = have, want
    difference = None
    if got_shape != shape:
        difference = f"{what} has shape {got_shape}, expected {shape}"
    for position, (a, b) in enumerate(zip(got_flat, flat, strict=True) if difference is None else ()):
        if not differences.close(a, b, rtol, atol):
            difference = f"{what}{shapes.index_text(position, shape) if shape else ''} is {a:.10g}, expected {b:.10g}"
            break
    if difference and _FOUND:
        _FOUND[-1].append((what, shapes.describe(have, want, lambda a, b: differences.close(a, b, rtol, atol))))
    return difference


def number(got, expected, rtol=VALUES["rtol"], atol=VALUES["atol"], what="the result"):
    """Compare a scalar result (Python or numpy number, or a 0-d array) with a number."""
    if isinstance(got, bool) or not (isinstance(got, numbers.Real) or (isinstance(got, _ndarray) and got.ndim == 0)):
        return f"{what} is a {type(got).__name__}, expected a number"
    return arrays(got, expected, rtol, atol, what)


def dicts(got, expected, rtol=VALUES["rtol"], atol=VALUES["atol"], what="the result"):
    """Compare two dicts of arrays key by key (same keys required)."""
    if not isinstance(got, dict):
        return f"{what} is a {type(got).__name__}, expected a dict"
    if set(got) != set(expected):
        missing, extra = sorted(set(expected) - set(got)), sorted(set(got) - set(expected))
        parts = [f"missing keys {missing}" if missing else "", f"unexpected keys {extra}" if extra else ""]
        return f"{what} has the wrong keys: " + "; ".join(part for part in parts if part)
    for key in expected:
        difference = arrays(got[key], expected[key], rtol, atol, f'{what}["{key}"]')
        if difference:
            return difference
    return None
