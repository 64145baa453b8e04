"""Visible checks cover every stated rule (issue 24 item 2): no mistake passes them and loses points at grading.

Every held-out mistake of both sets (``fixtures/heldout_mistakes`` and ``..._2``, written before these
checks were extended) is graded by the hidden tests and run through its visible check: one that loses
points at grading must fail at least one visible check. Every accepted valid variant
(``valid_variants.VALID``) must fail none. Measured before the visible cases for the saddle with a
zero eigenvalue, a 3-D maximum, a caller's tol and fractional epochs were added: 63 of 65 (first set)
and 55 of 55 (second set) of the mistakes that lose points failed a visible check.
"""

import numpy as np
import pytest
from heldout import FIXTURES, Grader, fixtures, valid_variants, visible

from utils.checks import CheckFailed, check

SETS = [FIXTURES, FIXTURES.parent / "heldout_mistakes_2"]
STUDENTS = [student for folder in SETS for student in fixtures(folder)]
VALID = valid_variants()


def _named(function, name):
    function.__name__ = name
    return function


def _degenerate_first(hessian, tol=1e-8):
    eigenvalues = np.linalg.eigvalsh(np.asarray(hessian, dtype=float))
    if np.any(np.abs(eigenvalues) <= tol):
        return "degenerate"
    if np.all(eigenvalues > tol):
        return "minimum"
    return "maximum" if np.all(eigenvalues < -tol) else "saddle"


def _determinant_test(hessian, tol=1e-8):
    H = np.asarray(hessian, dtype=float)
    det = np.linalg.det(H)
    if abs(det) <= tol:
        return "degenerate"
    return "saddle" if det < 0 else ("minimum" if np.trace(H) > 0 else "maximum")


def _tol_hard_coded(hessian, tol=1e-8):
    eigenvalues = np.linalg.eigvalsh(np.asarray(hessian, dtype=float))
    positive, negative = np.any(eigenvalues > 1e-8), np.any(eigenvalues < -1e-8)
    if positive and negative:
        return "saddle"
    if np.any(np.abs(eigenvalues) <= 1e-8):
        return "degenerate"
    return "minimum" if positive else "maximum"


def _sqrt_decay_zero_only(learning_rate0, epoch_num, k):
    if epoch_num <= 0:
        raise ValueError("epoch_num must be positive")
    return k / epoch_num**0.5 * learning_rate0


def _exponential_decay_whole_epochs(learning_rate0, epoch_num, decay_rate=0.95):
    if epoch_num < 0:
        raise ValueError("epoch_num must be >= 0")
    return decay_rate ** int(epoch_num) * learning_rate0


def _update_lr_int_check(learning_rate0, epoch_num, decay_rate):
    if int(epoch_num) < 0:  # int(-0.5) is 0: a fractional negative epoch gets through
        raise ValueError("epoch_num must be >= 0")
    return learning_rate0 / (1 + decay_rate * epoch_num)


@pytest.mark.parametrize(
    ("function", "name", "failing"),
    [
        (_degenerate_first, "classify_critical_point", "diag(1, 0, -1)"),
        (_determinant_test, "classify_critical_point", "diag(-1, -2, -3)"),
        (_tol_hard_coded, "classify_critical_point", "diag(0.01, 1) with tol = 0.1"),
        (_sqrt_decay_zero_only, "sqrt_decay", "sqrt_decay(0.2, 0.5, 1) raises ValueError"),
        (_exponential_decay_whole_epochs, "exponential_decay", "exponential_decay(1.0, 2.5, 0.9)"),
        (_update_lr_int_check, "update_lr", "update_lr(0.1, -0.5, 1) raises ValueError"),
    ],
    ids=["degenerate-before-saddle", "determinant-test", "tol-hard-coded", "sqrt-0.5", "whole-epochs", "int-check"],
)
def test_a_stated_rule_that_grading_tests_fails_its_visible_case(function, name, failing, capsys):
    """Each of these lost points at grading and passed every visible check before its case was added."""
    with pytest.raises(CheckFailed):
        check(_named(function, name))
    fails = [line for line in capsys.readouterr().out.splitlines() if line.startswith("  [FAIL]")]
    assert any(failing in line for line in fails), fails


@pytest.fixture(scope="module")
def grader():
    with Grader() as grader:
        yield grader


def test_both_held_out_sets_are_here():
    assert sum(student.label.count("__") == 1 for student in STUDENTS) == len(STUDENTS) >= 100


@pytest.mark.slow  # grades ~120 student modules in this process (about a minute)
@pytest.mark.parametrize("student", STUDENTS, ids=[student.label for student in STUDENTS])
def test_a_mistake_that_loses_points_at_grading_fails_a_visible_check(grader, student):
    verdict = grader.verdict(student)
    assert verdict.visible_failed or not verdict.lost_points, f"{student.label} passes every visible check"


@pytest.mark.slow
@pytest.mark.parametrize("student", VALID, ids=[student.label for student in VALID])
def test_an_accepted_valid_variant_fails_no_visible_check(student):
    failed, _ = visible(student)
    assert not failed, f"{student.label} is accepted at grading but fails a visible check"
