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
shapes = reference.load_by_path(ROOT / "utils" / "checks" / "shapes.py", "shapes")  # by path, private name
differences = reference.load_by_path(ROOT / "utils" / "checks" / "differences.py", "differences")
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


def _equal(rtol, atol):
    return lambda got, expected: differences.close(got, expected, rtol, atol)


def arrays(got, expected, rtol=VALUES["rtol"], atol=VALUES["atol"], what="the result"):
    """Compare two array-likes in shape and value: None, or where they first differ."""
    want = as_floats(expected)
    have = as_floats(got)
    if have is None:
        return f"{what} is a {type(got).__name__}, not numbers"
    if want is None:
        return f"{what} cannot be checked: the reference gave no numbers"
    difference = differences.difference(what, have, want, _equal(rtol, atol))
    if difference and _FOUND:
        _FOUND[-1].append((what, shapes.describe(have, want, _equal(rtol, atol))))
    return difference


def number(got, expected, rtol=VALUES["rtol"], atol=VALUES["atol"], what="the result"):
    """Compare a scalar result (Python or numpy number, or a 0-d array) with a number."""
    if isinstance(got, bool) or not (isinstance(got, numbers.Real) or (isinstance(got, _ndarray) and got.ndim == 0)):
        return f"{what} is a {type(got).__name__}, expected a number"
    return arrays(got, expected, rtol, atol, what)


def where(quantities, rtol=VALUES["rtol"], atol=VALUES["atol"]):
    """None if every quantity equals its expected value, else which are right and the first wrong value.

    ``quantities`` is [(name, [(what, got, expected), ...]), ...] in the order the formulas compute
    them (``differences.where``); a part that is not numbers is said as ``arrays`` says it.
    """
    converted, problem = [], None
    for name, parts in quantities:
        flat = []
        for what, got, expected in parts:
            problem = problem or arrays(got, expected, rtol, atol, what)  # records the shape of the first
            have, want = as_floats(got), as_floats(expected)
            if have is None or want is None:
                return arrays(got, expected, rtol, atol, what)
            flat.append((what, have, want))
        converted.append((name, flat))
    return problem and differences.where(converted, _equal(rtol, atol))


def series(got, expected, word, label, first=1, rtol=VALUES["rtol"], atol=VALUES["atol"], what="the result"):
    """Compare a result whose rows are the steps of a series (the days t of an average, the iterates x_k).

    Row ``i`` is step ``first + i``, named ``label(first + i)``; the sentence lists the right steps
    as ``(word, step)`` and says the first wrong value (``differences.where``).
    """
    problem = arrays(got, expected, rtol, atol, what)
    have, want = as_floats(got), as_floats(expected)
    if problem is None or have is None or want is None or have[0] != want[0] or not want[0]:
        return problem
    return differences.where(differences.steps(have, want, word, label, first), _equal(rtol, atol))


def _structure(got, expected, what):
    """A dict with ``expected``'s keys, or the problem."""
    if not isinstance(got, dict):
        return f"{what} is a {type(got).__name__}, expected a dict"
    if set(got) != set(expected):
        missing, extra = sorted(set(expected) - set(got)), sorted(set(got) - set(expected))
        parts = [f"missing keys {missing}" if missing else "", f"unexpected keys {extra}" if extra else ""]
        return f"{what} has the wrong keys: " + "; ".join(part for part in parts if part)
    return None


def dicts(got, expected, rtol=VALUES["rtol"], atol=VALUES["atol"], what="the result"):
    """Compare two dicts of arrays (same keys required); each key is a quantity, in ``expected``'s order."""
    return _structure(got, expected, what) or where(
        [(f'{what}["{key}"]', [(f'{what}["{key}"]', got[key], value)]) for key, value in expected.items()], rtol, atol
    )


def dict_quantities(named, rtol=VALUES["rtol"], atol=VALUES["atol"]):
    """Compare several dicts of arrays, [(name, got, expected)] in the order the formulas compute them.

    A dict that is no dict or has other keys is said first; then which dicts are right and the
    first wrong value (``v and s are right; first wrong: v_corrected["dW1"][0, 1] is ...``).
    """
    for name, got, expected in named:
        problem = _structure(got, expected, name)
        if problem:
            return problem
    return where(
        [
            (name, [(f'{name}["{key}"]', got[key], value) for key, value in expected.items()])
            for name, got, expected in named
        ],
        rtol,
        atol,
    )
