"""The step every hidden test shares: compare with the reference(s), else fail saying where and how."""

import copy

from ..exercises import module_of
from . import compare as comparisons
from . import reference
from .outcome import Failure
from .student import quiet


def run_quietly(implementation, *args, **kwargs):
    """Run a reference or catalog implementation on deep copies of the inputs; None if it raises."""
    args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    try:
        with quiet():
            return implementation(*args, **kwargs)
    except Exception:  # a catalog entry that cannot run on these inputs simply does not match
        return None


def runner(*args, **kwargs):
    """run(implementation) -> its output on deep copies of these inputs (None if it raises)."""
    return lambda implementation: run_quietly(implementation, *args, **kwargs)


def expect(function, got, run, compare, references, context):
    """Pass if ``got`` equals the output of one of ``references``; otherwise raise Failure.

    The failure says ``context`` (which inputs) and where ``got`` first
    differs from the contract's reference (``references[0]``); the mistake,
    if one is confirmed, is named by ``grading`` (``diagnosis``).
    """
    first = expected = None
    for implementation in references:
        output = run(implementation)
        difference = compare(got, output)
        if difference is None:
            return
        first, expected = (first, expected) if first else (difference, output)
    fail(function, f"{context}: {first}", got, run, compare, expected)


def fail(function, reason, got, run, compare, expected=None):
    """Raise Failure(reason) with the shape of the difference between ``got`` and ``expected``.

    ``expected`` defaults to the contract's reference on the same inputs
    (``run(reference)``); the shape (``Failure.shape``) is the first one that
    fits in ``compare``'s own tolerance. ``grading`` says it when no mistake is
    confirmed.
    """
    if expected is None:
        expected = run(reference.function(module_of(function), function))
    shape = shape_of_difference(got, expected, compare)
    raise Failure(reason, shape=f"shape of the difference in {shape[0]}: {shape[1]}" if shape else None)


def _equal(compare, got, expected):
    try:
        return compare(got, expected) is None
    except Exception:  # an odd student output the comparison cannot handle is simply not equal
        return False


def shape_of_difference(got, expected, compare):
    """(what, shape sentence) of the first difference ``compare`` finds that has a shape, or None."""
    if expected is None:
        return None
    with comparisons.shapes_of_differences() as found:
        _equal(compare, got, expected)
    return next(((what, shape) for what, shape in found if shape), None)
