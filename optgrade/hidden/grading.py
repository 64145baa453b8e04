"""``grade(test_id, points)``: what a grade cell calls."""

import importlib

from ..exercises import module_of
from . import diagnosing, integrity, suites  # noqa: F401  (importing suites registers the tests)
from .code import InProcess
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
            student = StudentFunction(implementation, function)
            try:
                TESTS[test_id](student)
            except (Failure, PartialCredit) as failed:
                if failed.flag is None:
                    failed.diagnosis = diagnosing.diagnose(function, student, code)
                raise
    except (Failure, PartialCredit):
        raise
    except Exception as error:  # the output broke the checking code itself: still a clean failure
        raise Failure(f"{function}() gave an output the test cannot use ({describe(error, 'checking')})") from None


def _explain(ending):
    """The reason, then the confirmed mistake (the visible check's words) or, if none, the shape of the difference."""
    said = ending.diagnosis.text() if ending.diagnosis else ""
    return ending.reason + (f"; {said}" if said else f"; {ending.shape}" if ending.shape else "")


def _print_findings(test_id, ending):
    names = ending.diagnosis.names if ending.diagnosis else ()
    if len(names) == 1:
        print(f"MISTAKE {test_id}: {names[0]}")
    elif names:
        print(f"ONE_OF {test_id}: {' | '.join(names)}")
    if ending.flag:
        print(f"FLAG {test_id}: {ending.flag}")


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
        message = _explain(partial)
        if points is not None:
            score = round(float(points) * partial.fraction, 2)
            print(f"PARTIAL {test_id}: {message} ({score:g} of {points:g} points)")
            _print_findings(test_id, partial)
            return score
        failure = Failure(f"{partial.reason} (no partial credit without the cell's points)", shape=partial.shape)
        failure.diagnosis = partial.diagnosis
    except Failure as caught:
        failure = caught
    else:
        print(f"PASS {test_id}")
        return None
    message = _explain(failure)
    print(f"FAIL {test_id}: {message}")
    _print_findings(test_id, failure)
    raise AssertionError(f"{test_id}: {message}") from None
