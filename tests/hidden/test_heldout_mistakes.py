"""The held-out mistakes: each loses points; valid variants are named on neither side; the diagnosis, judged
against each set's answer keys, is no less precise and right than measured, and the same on both sides.

The figures (named right, wrong, one-of, unnamed on both sides) are printed by
``benchmarks/bench_mistakes.py`` from the same helper (``heldout``).
"""

import ast
import inspect

import heldout_keys
import pytest
from heldout import Grader, describe, fixtures, valid_variants

from optgrade.exercises import EXERCISES, module_of

FUNCTIONS = [name for _, names in EXERCISES.values() for name in names]
FIXTURES = fixtures()
pytestmark = pytest.mark.slow  # all of it grades ~100 student modules (about 10 s)


@pytest.fixture(scope="module")
def grader():
    with Grader() as grader:
        yield grader


@pytest.fixture(scope="module")
def verdicts(grader):
    return {student.label: grader.verdict(student) for student in FIXTURES}


def _reference_signature(function):
    module = __import__(f"solutions.{module_of(function)}", fromlist=[function])
    return inspect.signature(getattr(module, function))


def test_the_set_covers_every_exercise_function():
    assert len(FIXTURES) >= 44
    counts = {function: sum(student.function == function for student in FIXTURES) for function in FUNCTIONS}
    assert set(counts) == {student.function for student in FIXTURES}, "a file name that is no exercise function"
    assert min(counts.values()) >= 1, counts
    for function in (
        "update_parameters_with_adam",
        "update_parameters_with_rmsprop",
        "update_parameters_with_momentum",
        "ewa",
        "ewa_bias_corrected",
        "random_mini_batches",
    ):
        assert counts[function] >= 3, (function, counts[function])
    assert sum(counts[name] for name in EXERCISES["schedules"][1]) >= 10


@pytest.mark.parametrize("student", FIXTURES, ids=[student.label for student in FIXTURES])
def test_fixture_is_one_function_with_the_exercise_signature_and_a_slip_description(student):
    namespace = {}
    exec(compile(student.source, student.label, "exec"), namespace)
    assert inspect.signature(namespace[student.function]) == _reference_signature(student.function)
    tree = ast.parse(student.source)
    assert sum(isinstance(node, ast.FunctionDef) and node.name == student.function for node in tree.body) == 1
    assert describe(student.label), f"{student.label}: no one-line description of the slip"


@pytest.mark.parametrize("student", FIXTURES, ids=[student.label for student in FIXTURES])
def test_every_held_out_mistake_loses_points_at_grading(verdicts, student):
    verdict = verdicts[student.label]
    assert verdict.lost_points, f"{student.label} scores full marks: a valid variant, not a mistake"
    assert verdict.flags == frozenset(), "lost for an integrity finding, not for the slip"


VALID = valid_variants()


@pytest.mark.parametrize("student", VALID, ids=[student.label for student in VALID])
def test_valid_variants_keep_their_points_and_are_named_on_neither_side(grader, student):
    """Also the harness' control: a correct student graded the same way loses nothing."""
    verdict = grader.verdict(student)
    assert not verdict.lost_points and verdict.flags == frozenset()
    assert verdict.grading.kind == "unnamed", f"grading names a valid variant: {verdict.grading}"
    assert verdict.before.kind == "unnamed" and not verdict.visible_failed, verdict.before


# Issue 21's goals: precision >= 97 % on both sides, right >= 75 % at grading and >= 70 % before submission,
# the two sides giving the same verdict on every fixture. Measured with benchmarks/bench_mistakes.py (judged
# against each set's keys.toml by heldout_keys); the floors are the measured figures, met or not, so a change
# that names more wrongly or fewer rightly fails. (set: (precision, right rate), the same on both sides)
FLOORS = {"heldout_mistakes": (23 / 27, 23 / 65), "heldout_mistakes_2": (30 / 31, 30 / 55)}
SIDES = ("grading", "before")


@pytest.fixture(scope="module")
def second_set(grader):
    return [grader.verdict(student) for student in fixtures(heldout_keys.folder("heldout_mistakes_2"))]


@pytest.mark.parametrize("set_name", list(FLOORS))
def test_precision_and_right_rate_are_no_lower_than_measured_on_both_sides(verdicts, second_set, set_name):
    graded = list(verdicts.values()) if set_name == "heldout_mistakes" else second_set
    precision, right = FLOORS[set_name]
    for side in SIDES:
        outcomes = [
            heldout_keys.judge(set_name, v.student.label, getattr(v, side).kind, getattr(v, side).sentences)
            for v in graded
        ]
        score = heldout_keys.score(outcomes)
        wrong = [v.student.label for v, o in zip(graded, outcomes, strict=True) if o in ("wrong", "one_of_wrong")]
        assert score["precision"] >= precision - 1e-9, (side, score, wrong)
        assert score["right_rate"] >= right - 1e-9, (side, score)


@pytest.mark.parametrize("set_name", list(FLOORS))
def test_both_sides_give_the_same_verdict_on_every_fixture(verdicts, second_set, set_name):
    graded = list(verdicts.values()) if set_name == "heldout_mistakes" else second_set
    differ = [(v.student.label, v.grading, v.before) for v in graded if not v.same]
    assert differ == []
