"""``grade(test_id, points)``: what a grade cell calls."""

import importlib

from ..exercises import module_of
from . import integrity, suites  # noqa: F401  (importing suites registers the tests)
from .code import InProcess
from .mistakes import mistakes_for
from .outcome import Failure, PartialCredit
from .registry import TESTS
from .student import StudentFunction, describe, quiet


def _run(test_id, function, code):
    """Run one hidden test; raise Failure or PartialCredit unless it passes."""
    module_name = module_of(function)
    try:
        with quiet():
            source = code.source(module_name)
            integrity.check_reference_use(source, module_name, function, accept_reference=code.accept_reference)
            loaded = code.load(module_name)
            integrity.check_reference_objects(loaded.objects, function)
            implementation = loaded.function(function)
            if not callable(implementation):
                raise Failure(f"utils/{module_name}.py defines no function {function}()")
            TESTS[test_id](StudentFunction(implementation, function))
    except (Failure, PartialCredit):
        raise
    except Exception as error:  # the output broke the checking code itself: still a clean failure
        raise Failure(f"{function}() gave an output the test cannot use ({describe(error, 'checking')})") from None


def _explain(function, reason, mistakes):
    """The reason, followed by the student-facing message of every matched mistake."""
    messages = {mistake.name: mistake.message for mistake in mistakes_for(function)}
    return reason + "".join(f"; known mistake ({name}): {messages[name]}" for name in mistakes)


def _print_findings(test_id, mistakes, flag):
    for name in mistakes:
        print(f"MISTAKE {test_id}: {name}")
    if flag:
        print(f"FLAG {test_id}: {flag}")


def grade(test_id, points=None, code=None):
    """Run the hidden test ``test_id`` on the student's code and print the verdict.

    ``code`` is where the student's code runs: ``code.InProcess()`` (the
    default, for the instructor's own runs) or a ``code.Sandboxed`` worker
    (grading).

    Returns None for full credit, a float below ``points`` for partial credit
    (nbgrader reads it as the cell's score); raises AssertionError for none.
    The stdout lines are described in ``optgrade.hidden.report``.
    """
    if test_id not in TESTS:
        raise KeyError(f"no hidden test {test_id!r}")
    function = test_id.partition(".")[0]
    importlib.invalidate_caches()
    try:
        _run(test_id, function, code or InProcess())
    except PartialCredit as partial:
        message = _explain(function, partial.reason, partial.mistakes)
        if points is not None:
            score = round(float(points) * partial.fraction, 2)
            print(f"PARTIAL {test_id}: {message} ({score:g} of {points:g} points)")
            _print_findings(test_id, partial.mistakes, None)
            return score
        failure = Failure(f"{partial.reason} (no partial credit without the cell's points)", partial.mistakes)
    except Failure as caught:
        failure = caught
    else:
        print(f"PASS {test_id}")
        return None
    message = _explain(function, failure.reason, failure.mistakes)
    print(f"FAIL {test_id}: {message}")
    _print_findings(test_id, failure.mistakes, failure.flag)
    raise AssertionError(f"{test_id}: {message}") from None
