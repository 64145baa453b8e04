"""The held-out mistakes: each loses points; valid variants are named on neither side.

The figures (named right, wrong, one-of, unnamed on both sides) are printed by
``benchmarks/bench_mistakes.py`` from the same helper (``heldout``).
"""

import ast
import inspect

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
