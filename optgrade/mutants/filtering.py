"""Keep the mutants that are mistakes a test can tell apart; count the rest by why they were dropped.

The test inputs of a function are the calls its visible check and its hidden
tests make with the reference (at most ``PER_TEST`` calls of each test, so
brief training adds a few steps, not all of them), then its probes
(``utils/checks/probes.py``, on which the diagnosis asks the student's
function): ``test_inputs``. A mutant's
outcome on an input is the pair of rounded-outcome hashes of
``utils.checks.diagnosis`` (what it returns, its arguments afterwards, or the
exception's type). Two implementations are *equal on every test input* when,
on each input, one of their two hashes agrees (float noise moves at most one).

A mutant is, in this order:
    crashing      -- it raises where the reference returns, it runs far slower (SLOW_FACTOR), or
                     its outcome depends on what memory held before (an ``np.empty`` row never filled)
    equivalent    -- equal to the reference on every test input
    valid         -- equal to an accepted variant (``optgrade.hidden.variants``) on every test
                     input, or the hidden tests accept it in full (then grading calls it right)
    merged        -- equal to a hand-written catalog entry on every test input (the hand entry wins)
    indistinguishable -- equal to a mutant kept before it (merged into that one)
    kept          -- otherwise

The hand entries (``hand.EDITS``, edits of the reference too) go through the
same filters (``classify_hand``: crashing, equivalent, valid, or equal to an
earlier hand entry); the search reports the ones it would drop.
"""

import contextlib
import copy
import io
import sys
import time
import warnings
from typing import NamedTuple

import numpy as np

from ..exercises import ROOT
from ..hidden import variants
from ..hidden.registry import TESTS
from ..hidden.student import StudentFunction, quiet

PER_TEST = 12  # calls recorded per visible check or hidden test (training makes hundreds)
SLOW_FACTOR = 20  # a mutant slower than this many times the reference (plus SLOW_SLACK seconds) is dropped
SLOW_SLACK = 0.05
VARIANTS = {
    "update_parameters_with_rmsprop": [variants.rmsprop_epsilon_inside_root],
    "update_parameters_with_adam": [variants.adam_epsilon_inside_root],
}
REASONS = ("crashing", "equivalent", "valid", "merged", "indistinguishable", "kept")


@contextlib.contextmanager
def silent():
    """No stdout, no warnings, no numpy float errors (authoring runs of references, mutants and checks)."""
    with (
        contextlib.redirect_stdout(io.StringIO()),
        warnings.catch_warnings(),
        np.errstate(all="ignore"),
    ):
        warnings.simplefilter("ignore")
        yield


def workbook_on_path():
    """The workbook's own utils/ and solutions/ importable (the console script does not start in the repository)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


class _Capture:
    """Calls ``function``, keeping deep copies of the first ``limit`` calls' arguments."""

    def __init__(self, function, name, limit=PER_TEST):
        self.function, self.__name__, self.limit, self.calls = function, name, limit, []

    def __call__(self, *args, **kwargs):
        if len(self.calls) < self.limit:
            self.calls.append((copy.deepcopy(args), copy.deepcopy(kwargs)))
        return self.function(*args, **kwargs)


def test_inputs(function, reference):
    """[(args, kwargs)]: the calls the visible check and the hidden tests of ``function`` make with the reference,
    then the function's probes."""
    workbook_on_path()
    from utils.checks import run
    from utils.checks.diagnosis import Recorder, probes

    calls = []
    visible = _Capture(reference, function)
    with silent(), contextlib.suppress(Exception):
        run(function, Recorder(visible, function))
    calls += visible.calls
    for test_id, test in TESTS.items():
        if test_id.partition(".")[0] == function:
            hidden = _Capture(reference, function)
            with silent(), contextlib.suppress(Exception):
                test(StudentFunction(hidden, function))
            calls += hidden.calls
    return calls + [(probe.args, probe.kwargs) for probe in probes.inputs(function)]


class Outcomes(NamedTuple):
    hashes: list  # per call: the pair of outcome hashes
    raised: list  # per call: True if the call raised
    seconds: float


def scribble(value):
    """Leave numpy's cache of freed small buffers holding ``value``: ``np.empty`` then returns it, not old data."""
    for size in range(1, 129):  # every float64 buffer size numpy caches (up to 1 KB)
        np.full(size, value)


def outcomes(implementation, calls, fill=0.0):
    """The Outcomes of ``implementation`` on ``calls`` (each call on deep copies, after ``scribble(fill)``)."""
    from utils.checks.diagnosis import outcome_hashes

    hashes, raised, start = [], [], time.perf_counter()
    for args, kwargs in calls:
        args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
        scribble(fill)
        try:
            with quiet():
                returned = implementation(*args, **kwargs)
        except Exception as error:  # the outcome of a call that raises is the exception's type
            hashes.append(tuple(outcome_hashes(["raised", type(error).__name__])))
            raised.append(True)
            continue
        with quiet():
            hashes.append(tuple(outcome_hashes(["returned", returned, list(args), kwargs])))
        raised.append(False)
    return Outcomes(hashes, raised, time.perf_counter() - start)


def equal(first, second):
    """True if two outcome hash lists agree on every call (one of the two grids' hashes equal)."""
    return len(first) == len(second) and all(set(a) & set(b) for a, b in zip(first, second, strict=True))


def accepted(function, implementation):
    """True if every hidden test of ``function`` passes ``implementation`` (grading gives it full marks)."""
    from ..hidden.outcome import Failure, PartialCredit

    tests = [test for test_id, test in TESTS.items() if test_id.partition(".")[0] == function]
    for test in tests:
        try:
            with quiet():
                test(StudentFunction(implementation, function))
        except (Failure, PartialCredit, Exception):
            return False
    return bool(tests)  # no hidden test accepts anything


def classify(function, reference, mutants, hand, calls):
    """[(edit, reason, merged_into)] for ``mutants`` [(edit, implementation or None)], reasons as above.

    ``hand`` are the hand-written catalog entries of ``function`` (Mistake tuples).
    """
    expected = outcomes(reference, calls)
    valid = [outcomes(variant, calls).hashes for variant in VARIANTS.get(function, [])]
    hand_outcomes = [(mistake.name, outcomes(mistake.implementation, calls).hashes) for mistake in hand]
    kept = {}  # grid-0 signature -> name of the kept mutant
    out = []
    for edit, implementation in mutants:
        got = outcomes(implementation, calls) if implementation is not None else None
        if reason := _dropped(function, implementation, got, expected, valid, calls):
            out.append((edit, reason, None))
        elif match := next((name for name, other in hand_outcomes if equal(got.hashes, other)), None):
            out.append((edit, "merged", match))
        elif (signature := tuple(pair[0] for pair in got.hashes)) in kept:
            out.append((edit, "indistinguishable", kept[signature]))
        else:
            kept[signature] = edit.name
            out.append((edit, "kept", None))
    return out


def classify_hand(function, reference, hand, calls):
    """[(name, reason, merged_into)] for the hand-written entries ``hand`` through the same filters, in order:
    crashing, equivalent, valid, then indistinguishable from an earlier hand entry, else kept. The search reports
    them (kept.json's "hand") and the catalog keeps every hand entry: a hand entry that raises where the reference
    returns (1 + decay_rate * (epoch_num + 1) = 0) is still a student's mistake, one equal to the reference or a
    valid variant is a wrong entry to remove (tests/mutants/test_mutants.py fails on it)."""
    expected = outcomes(reference, calls)
    valid = [outcomes(variant, calls).hashes for variant in VARIANTS.get(function, [])]
    earlier = []  # (name, hashes) of the hand entries before this one
    out = []
    for mistake in hand:
        got = outcomes(mistake.implementation, calls)
        if reason := _dropped(function, mistake.implementation, got, expected, valid, calls):
            out.append((mistake.name, reason, None))
        elif match := next((name for name, other in earlier if equal(got.hashes, other)), None):
            out.append((mistake.name, "indistinguishable", match))
        else:
            out.append((mistake.name, "kept", None))
        earlier.append((mistake.name, got.hashes))
    return out


def _dropped(function, implementation, got, expected, valid, calls):
    """The reason to drop an implementation whose Outcomes are ``got`` (None: it does not build): crashing,
    equivalent or valid; None to keep it."""
    if got is None or _crashing(got, expected) or outcomes(implementation, calls, fill=-7.25).hashes != got.hashes:
        return "crashing"
    if equal(got.hashes, expected.hashes):
        return "equivalent"
    if any(equal(got.hashes, other) for other in valid) or accepted(function, implementation):
        return "valid"
    return None


def _crashing(got, expected):
    """Raises where the reference returns, or runs SLOW_FACTOR times slower (a loop bound gone wrong)."""
    if any(mine and not theirs for mine, theirs in zip(got.raised, expected.raised, strict=True)):
        return True
    return got.seconds > SLOW_FACTOR * expected.seconds + SLOW_SLACK
