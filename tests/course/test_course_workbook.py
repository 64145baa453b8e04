"""Grading the real workbook notebooks end to end with nbgrader: build, release, a simulated class, autograde, report.

Two courses, each graded once (module fixtures); the tests read the results:

* ``workbook`` -- every notebook, built with accept-reference (as ``optgrade demo`` does), one student: the
  reference solutions, with one written answer filled in;
* a course built WITHOUT accept-reference, as for a real class, with small assignments: ``minibatch``
  (notebook 01) and ``schedules`` (06) with untouched stubs, valid variants, typical mistakes and (01) a verbatim
  copy of the reference; ``adaptive`` (04, 05) with one student: the epsilon-inside-the-root variants of
  RMSprop and Adam (built from the repository at test time: those notebooks are still being edited).

Submissions are the release with utils/<module>.py replaced by solutions/<module>.py (markers removed) after
small source edits: each edit must still match the reference, so a change in solutions/ fails here loudly.
"""

import nbformat
import pytest
from course_helpers import cell_grades, read_csv, scores
from workbook_helpers import grade_cells, nbgrader_meta

from optgrade.course import autograde, build, pipeline, release, report
from optgrade.course.demo import EDITS, make_student, solved
from optgrade.exercises import EXERCISES, ROOT
from optgrade.runner.pool import LocalExecutor

# --- valid variants: different code, same results (the strict course must give them full marks) ---------------

MINIBATCH_RANGE_STEP = (  # one list comprehension over range(0, m, size) instead of full batches + tail
    """    num_complete = math.floor(m / mini_batch_size)
    mini_batches = []
    for k in range(num_complete):
        start = k * mini_batch_size
        stop = start + mini_batch_size
        mini_batches.append((shuffled_X[:, start:stop], shuffled_Y[:, start:stop]))
    if m % mini_batch_size != 0:
        start = num_complete * mini_batch_size
        mini_batches.append((shuffled_X[:, start:], shuffled_Y[:, start:]))
    return mini_batches
""",
    """    starts = range(0, m, mini_batch_size)
    return [(shuffled_X[:, k : k + mini_batch_size], shuffled_Y[:, k : k + mini_batch_size]) for k in starts]
""",
)
GD_LOOP_OVER_LAYERS = (
    '    return {name: value - learning_rate * grads["d" + name] for name, value in parameters.items()}\n',
    """    L = len(parameters) // 2
    updated = {}
    for l in range(1, L + 1):
        updated["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        updated["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return updated
""",
)
SCHEDULES_NUMPY = [
    ("import math\n", "import math\n\nimport numpy as np\n"),
    (  # update_lr through numpy ufuncs
        "    return learning_rate0 / (1 + decay_rate * epoch_num)\n",
        "    return float(np.true_divide(learning_rate0, np.add(1, np.multiply(decay_rate, epoch_num))))\n",
    ),
    ("math.floor(epoch_num / time_interval)", "(epoch_num // time_interval)"),  # floor division
    ("drop ** math.floor(epoch_num / epochs_per_drop)", "np.power(drop, np.floor(epoch_num / epochs_per_drop))"),
]
VARIANTS = {
    "minibatch": [MINIBATCH_RANGE_STEP],
    "gd": [GD_LOOP_OVER_LAYERS],
    "schedules": SCHEDULES_NUMPY,
    # the lecture's sqrt(s + epsilon): accepted by comparison with a reference for each placement
    **EDITS["variant_epsilon_inside_root"],
}

# --- typical mistakes: (edits on top of the variant above, or of the reference for schedules) -------------------

XY_SHUFFLED_APART = [  # Y gets the generator's second permutation
    ("    permutation = np.random.RandomState(seed).permutation(m)\n",
     "    rng = np.random.RandomState(seed)\n    permutation = rng.permutation(m)\n"),
    ("Y[:, permutation].reshape((1, m))", "Y[:, rng.permutation(m)].reshape((1, m))"),
]  # fmt: skip
GD_PLUS = [("] - learning_rate * grads[", "] + learning_rate * grads[")]
EXPONENTIAL_ONE_MINUS = [
    ("return decay_rate**epoch_num * learning_rate0", "return (1 - decay_rate) ** epoch_num * learning_rate0")
]
STAIRCASE_NO_FLOOR = [("drop ** math.floor(epoch_num / epochs_per_drop)", "drop ** (epoch_num / epochs_per_drop)")]

# assignment -> (notebook number prefixes, {student: {module: edits, or None for the untouched stub}})
ASSIGNMENTS = {
    "minibatch": (
        ("01",),
        {
            "untouched": {"minibatch": None, "gd": None},
            "variants": {"minibatch": VARIANTS["minibatch"], "gd": VARIANTS["gd"]},
            "reference_copy": {"minibatch": [], "gd": []},
            "mistakes": {
                "minibatch": VARIANTS["minibatch"] + XY_SHUFFLED_APART,
                "gd": VARIANTS["gd"] + GD_PLUS,
            },
        },
    ),
    "schedules": (
        ("06",),
        {
            "untouched": {"schedules": None},
            "variants": {"schedules": VARIANTS["schedules"]},
            # the other schedules are verbatim reference copies: bodies this short are not refused as copies
            "mistakes": {"schedules": EXPONENTIAL_ONE_MINUS + STAIRCASE_NO_FLOOR},
        },
    ),
    "adaptive": (("04", "05"), {"variants": {"rmsprop": VARIANTS["rmsprop"], "adam": VARIANTS["adam"]}}),
}
# (assignment, student) -> grade cells that score 0; every other autograded cell must score full marks
LOST = {
    ("minibatch", "untouched"): "all",
    ("schedules", "untouched"): "all",
    ("minibatch", "reference_copy"): {
        "random_mini_batches_structure",
        "random_mini_batches_values",
        "random_mini_batches_training",
    },
    ("minibatch", "mistakes"): {
        "random_mini_batches_values",  # the structure (shapes, count) is right
        "random_mini_batches_training",
        "update_parameters_with_gd_values",
        "update_parameters_with_gd_training",
    },
    ("schedules", "mistakes"): {"exponential_decay_values", "staircase_decay_values"},  # errors tests still pass
}
# (assignment, student) -> the (test, mistake) the report must name
DIAGNOSED = {
    ("minibatch", "mistakes"): {
        ("random_mini_batches.values", "xy_different_permutations"),
        ("update_parameters_with_gd.values", "plus_instead_of_minus"),
    },
    ("schedules", "mistakes"): {("exponential_decay.values", "one_minus_rate"), ("staircase_decay.values", "no_floor")},
}
WRITTEN_ANSWER = "Powers of two match how memory is laid out, so a batch fills whole pages and vector registers."


def _notebook(prefix):
    return next((ROOT / "notebooks").glob(f"{prefix}_*.ipynb"))


def _autograded_points(prefixes):
    """{grade_id: points} of the autograded (code) grade cells of the source notebooks."""
    points = {}
    for prefix in prefixes:
        notebook = nbformat.read(_notebook(prefix), as_version=4)
        points.update(
            {nbgrader_meta(cell)["grade_id"]: nbgrader_meta(cell)["points"] for cell in grade_cells(notebook)}
        )
    return points


def _modules(edits_by_module):
    """{module: source} to write into the student's utils/ (None: keep the released stub)."""
    return {module: solved(module, edits) for module, edits in edits_by_module.items() if edits is not None}


def _grade(course, assignment, incoming):
    records = autograde.autograde(course, assignment, incoming, progress=lambda line: None)
    page = report.report(course, assignment)
    return {
        "records": records,
        "scores": scores(course, assignment),
        "cells": cell_grades(course, assignment),
        "students": {s["student"]: s for s in report.collect(course, assignment)["students"]},
        "mistakes_csv": {(row["test"], row["mistake"]) for row in read_csv(page.parent / "mistakes.csv")},
        "students_csv": {row["student"]: row for row in read_csv(page.parent / "students.csv")},
    }


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    """The small assignments of ASSIGNMENTS in one course, graded as for a real class (no accept-reference)."""
    root = tmp_path_factory.mktemp("strict")
    course = None
    for assignment, (prefixes, _) in ASSIGNMENTS.items():
        course = build.build(root / "course", assignment, list(prefixes), timeout=120, accept_reference=False)
    graded = {}
    for assignment, (_, students) in ASSIGNMENTS.items():
        release.release(course, assignment)
        incoming = root / f"incoming-{assignment}"
        for student, edits in students.items():
            make_student(course.release(assignment), incoming / student, _modules(edits))
        graded[assignment] = _grade(course, assignment, incoming)
    return course, graded


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    """The whole workbook built with accept-reference; the reference student, one written answer filled in."""
    root = tmp_path_factory.mktemp("full")
    course = build.build(root / "course", accept_reference=True)
    release.release(course, "workbook")
    student = make_student(
        course.release("workbook"), root / "incoming" / "reference", {m: solved(m) for m in EXERCISES}
    )
    path = student / _notebook("01").name
    notebook = nbformat.read(path, as_version=4)
    answer = next(c for c in notebook.cells if nbgrader_meta(c).get("grade_id") == "minibatch_powers_of_two")
    answer.source = WRITTEN_ANSWER
    nbformat.write(notebook, path)
    return course, _grade(course, "workbook", root / "incoming")


def _assert_cells(cells, points, lost):
    got = {grade_id: grade.score for grade_id, grade in cells.items() if grade.cell_type == "code"}
    expected = {grade_id: 0 if lost == "all" or grade_id in lost else value for grade_id, value in points.items()}
    assert got == expected


@pytest.mark.slow
def test_reference_solutions_score_every_autograded_point_of_the_workbook(full):
    course, graded = full
    prefixes = sorted(path.name[:2] for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    points = _autograded_points(prefixes)
    assert graded["records"]["reference"]["status"] == "graded"
    cells = graded["cells"]["reference"]
    _assert_cells(cells, points, lost=set())
    # grades.csv adds the written answers: the filled one awaits manual grading, untouched ones score 0
    assert graded["scores"]["reference"] == sum(points.values())
    written = {grade_id: grade for grade_id, grade in cells.items() if grade.cell_type == "markdown"}
    assert written, "the workbook has written answers"
    answered = written.pop("minibatch_powers_of_two")
    assert answered.needs_manual_grade
    assert all(not grade.needs_manual_grade and grade.score == 0 for grade in written.values()), written
    row = graded["students_csv"]["reference"]
    # the column counts the points still to grade by hand: those of the one answered written cell
    assert float(row["to grade by hand"]) == answered.max_score > 0
    assert graded["students"]["reference"]["mistakes"] == []
    assert graded["students"]["reference"]["flags"] == []


@pytest.mark.slow
def test_feedback_made_a_notebook_a_part_is_the_batch_feedback(full):
    """``optgrade serve`` shares a student's pages among its feedback processes: the same folder, byte for byte."""
    course, _ = full
    folder = course.feedback("reference", "workbook")

    def files():
        return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}

    batch = files()
    with LocalExecutor(2, warm=pipeline.warm_feedback) as pool:
        parts = pipeline.start_pages(pool, course, "workbook", "reference")
        students = [part.result() for part in parts]
    notebooks = list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert len(notebooks) == 7 and students == ["reference"] * len(notebooks)
    assert files().keys() == batch.keys() and files() == batch


@pytest.mark.slow
@pytest.mark.parametrize(
    ("assignment", "student"),
    [(assignment, student) for assignment, (_, students) in ASSIGNMENTS.items() for student in students],
)
def test_each_exercise_scores_what_its_code_earns(strict, assignment, student):
    _, graded = strict
    result = graded[assignment]
    assert result["records"][student]["status"] == "graded", result["records"][student]
    points = _autograded_points(ASSIGNMENTS[assignment][0])
    _assert_cells(result["cells"][student], points, LOST.get((assignment, student), set()))


@pytest.mark.slow
def test_untouched_stubs_score_zero_without_grading_errors(strict):
    _, graded = strict
    for result in graded.values():
        assert all(record["status"] == "graded" for record in result["records"].values()), result["records"]
    for assignment, (_, students) in ASSIGNMENTS.items():
        if "untouched" not in students:
            continue
        result = graded[assignment]
        assert result["scores"]["untouched"] == 0
        assert result["students"]["untouched"]["mistakes"] == []
        assert result["students"]["untouched"]["flags"] == []


@pytest.mark.slow
@pytest.mark.parametrize(("assignment", "student"), sorted(DIAGNOSED))
def test_typical_mistakes_are_named_in_the_report(strict, assignment, student):
    _, graded = strict
    result = graded[assignment]
    named = set(result["students"][student]["mistakes"])
    assert DIAGNOSED[assignment, student] <= named, named
    assert DIAGNOSED[assignment, student] <= result["mistakes_csv"]
    assert result["students"][student]["flags"] == []


@pytest.mark.slow
def test_valid_variants_score_full_marks_without_accept_reference(strict):
    _, graded = strict
    for assignment, (prefixes, students) in ASSIGNMENTS.items():
        if "variants" not in students:
            continue
        result = graded[assignment]
        assert result["scores"]["variants"] == sum(_autograded_points(prefixes).values())
        assert result["students"]["variants"]["mistakes"] == []
        assert result["students"]["variants"]["flags"] == []


@pytest.mark.slow
def test_a_verbatim_reference_copy_earns_nothing_for_that_exercise_and_is_flagged(strict):
    _, graded = strict
    result = graded["minibatch"]
    flags = set(result["students"]["reference_copy"]["flags"])
    aspects = ("structure", "values", "training")
    assert flags == {(f"random_mini_batches.{aspect}", "reference") for aspect in aspects}
    assert "FLAG random_mini_batches.values: reference" in result["students_csv"]["reference_copy"]["notes"]
    # update_parameters_with_gd is one line: the same line written honestly is no copy
    points = _autograded_points(["01"])
    expected = sum(value for grade_id, value in points.items() if grade_id.startswith("update_parameters_with_gd"))
    assert result["scores"]["reference_copy"] == expected
