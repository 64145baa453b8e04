"""The step every hidden test shares: compare with the reference(s), else name the mistake."""

import copy

from .mistakes import mistakes_for
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


def matched_mistakes(function, got, run, compare):
    """Names of the catalog mistakes of ``function`` whose output on the same inputs equals ``got``.

    ``run(implementation)`` returns what an implementation gives on the failing
    inputs; ``compare(got, expected)`` is the test's comparison (None = equal).
    """
    names = []
    for mistake in mistakes_for(function):
        if mistake.name in names:
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


def expect(function, got, run, compare, references, context):
    """Pass if ``got`` equals the output of one of ``references``; otherwise raise Failure.

    The failure says ``context`` (which inputs) and where ``got`` first
    differs from the contract's reference (``references[0]``), and names the
    catalog mistakes it matches.
    """
    first = None
    for implementation in references:
        difference = compare(got, run(implementation))
        if difference is None:
            return
        first = first or difference
    fail(function, f"{context}: {first}", got, run, compare)


def fail(function, reason, got, run, compare):
    """Raise Failure(reason), naming the catalog mistakes that ``got`` matches."""
    raise Failure(reason, matched_mistakes(function, got, run, compare))
