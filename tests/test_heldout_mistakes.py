"""Issue 15's held-out mistakes: each loses points; the search names no fewer than it was measured to.

The figures (catalog alone and with the search) are printed by ``benchmarks/bench_mistakes.py`` from
the same helper (``heldout``).
"""

import ast
import inspect

import pytest
from heldout import Grader, describe, fixtures, share, valid_variants

from optgrade.exercises import EXERCISES, module_of

FUNCTIONS = [name for _, names in EXERCISES.values() for name in names]
FIXTURES = fixtures()
# Issue 15 set goals of 90 % named at grading and 80 % before submission. The search does not reach them:
# measured on 2026-12-03 with benchmarks/bench_mistakes.py, 33/65 at grading and 28/65 before submission
# (catalog alone: 21/65 and 18/65). The floors are those measured figures: a test fails if a change of the
# search, the catalog or the fingerprints loses a name on the held-out set.
FLOOR_AT_GRADING = 33
FLOOR_BEFORE_SUBMISSION = 28

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


def _report(verdicts, predicate):
    missing = sorted(label for label, verdict in verdicts.items() if not predicate(verdict))
    return f"{share(verdicts.values(), predicate)[2]}; not named: {missing}"


def _named(verdicts, side, catalog_only):
    predicate = {
        "grading": lambda verdict: verdict.named_at_grading(catalog_only=catalog_only),
        "before": lambda verdict: verdict.named_before_submission(catalog_only=catalog_only),
    }[side]
    return share(verdicts.values(), predicate)[0], predicate


@pytest.mark.parametrize(("side", "floor"), [("grading", FLOOR_AT_GRADING), ("before", FLOOR_BEFORE_SUBMISSION)])
def test_the_search_names_no_fewer_than_measured_and_more_than_the_catalog(verdicts, side, floor):
    hits, predicate = _named(verdicts, side, catalog_only=False)
    catalog, _ = _named(verdicts, side, catalog_only=True)
    assert hits >= floor, _report(verdicts, predicate)
    assert hits > catalog, f"the search adds nothing to the catalog's {catalog} names ({side})"


VALID = valid_variants()


@pytest.mark.parametrize("student", VALID, ids=[student.label for student in VALID])
def test_valid_variants_keep_their_points_and_are_named_on_neither_side(grader, student):
    """Also the harness' control: a correct student graded the same way loses nothing."""
    verdict = grader.verdict(student)
    assert not verdict.lost_points and verdict.flags == frozenset()
    assert verdict.hidden_names == frozenset(), f"grading names a valid variant: {sorted(verdict.hidden_names)}"
    assert not verdict.named_before_submission(catalog_only=False), sorted(verdict.visible_names)
