"""The step every hidden test shares: compare with the reference(s), else name the mistake."""

import copy

from ..exercises import module_of
from . import compare as comparisons
from . import reference
from .mistakes import MISTAKES, mistakes_for
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


def matched_mistakes(function, got, run, compare, generated=True):
    """Names of the catalog mistakes of ``function`` whose output on the same inputs equals ``got``.

    ``run(implementation)`` returns what an implementation gives on the failing
    inputs; ``compare(got, expected)`` is the test's comparison (None = equal).
    Hand-written entries win: the generated ones (``optgrade.mutants``) are
    tried only when no hand entry matches, and only if ``generated`` (a brief
    training runs each entry for seconds, so training tests pass False).
    """
    hand = {mistake.name for mistake in MISTAKES if mistake.function == function}
    names = []
    for mistake in mistakes_for(function):
        is_hand = mistake.name in hand
        if mistake.name in names or (not is_hand and (names or not generated)):
            continue
        output = run(mistake.implementation)
        if output is not None and _equal(compare, got, output):
            names.append(mistake.name)
    return names


def _equal(compare, got, expected):
    try:
        return compare(got, expected) is None
    except Exception:  # an odd student output the comparison cannot handle is simply not equal
        return False


def expect(function, got, run, compare, references, context, generated=True):
    """Pass if ``got`` equals the output of one of ``references``; otherwise raise Failure.

    The failure says ``context`` (which inputs) and where ``got`` first
    differs from the contract's reference (``references[0]``), and names the
    catalog mistakes it matches.
    """
    first = expected = None
    for implementation in references:
        output = run(implementation)
        difference = compare(got, output)
        if difference is None:
            return
        first, expected = (first, expected) if first else (difference, output)
    fail(function, f"{context}: {first}", got, run, compare, expected, generated)


def fail(function, reason, got, run, compare, expected=None, generated=True):
    """Raise Failure(reason), naming the catalog mistakes that ``got`` matches.

    When none matches, the reason ends with the shape of the difference between
    ``got`` and ``expected`` (default: the contract's reference on the same
    inputs, ``run(reference)``) if one fits, in ``compare``'s own tolerance.
    """
    names = matched_mistakes(function, got, run, compare, generated)
    if not names:
        if expected is None:
            expected = run(reference.function(module_of(function), function))
        shape = shape_of_difference(got, expected, compare)
        reason += f"; shape of the difference in {shape[0]}: {shape[1]}" if shape else ""
    raise Failure(reason, names)


def shape_of_difference(got, expected, compare):
    """(what, shape sentence) of the first difference ``compare`` finds that has a shape, or None."""
    if expected is None:
        return None
    with comparisons.shapes_of_differences() as found:
        _equal(compare, got, expected)
    return next(((what, shape) for what, shape in found if shape), None)
