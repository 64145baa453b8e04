"""The instructor pipeline end to end with real nbgrader runs: build, release, a simulated class, autograde, report.

The course is built from tests/fixtures/course/notebooks (one small notebook on
two schedules, 6 points) so each submission grades in seconds; bad
submissions are utils/schedules.py replacements from tests/fixtures/course/modules.
"""

import csv
import json
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest
from course_helpers import copy_course, modules_of
from course_helpers import scores as _scores

from optgrade.course import autograde, leaks, report
from optgrade.course.demo import make_student

FIXTURES = Path(__file__).parent.parent / "fixtures" / "course"
NOTEBOOK = "01_fixture_schedules.ipynb"
MODULES = sorted(path.stem for path in (FIXTURES / "modules").glob("*.py"))
FULL = 6.0


@pytest.fixture(scope="module")
def released(released_fixture_course, tmp_path_factory):
    return copy_course(released_fixture_course, tmp_path_factory.mktemp("course") / "course")


def _with_notebook(folder, edit):
    path = folder / NOTEBOOK
    notebook = nbformat.read(path, as_version=4)
    edit(notebook)
    nbformat.write(notebook, path)


def _drop_cell(grade_id):
    def edit(notebook):
        notebook.cells = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id]

    return edit


def _rewrite_hidden(notebook):
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = 'print("all good")'


@pytest.fixture(scope="module")
def graded(released, tmp_path_factory):
    """Grade a class of typical and hostile submissions once; the tests below read the results."""
    incoming = tmp_path_factory.mktemp("incoming")
    source = released.release("workbook")
    reference = modules_of("reference")
    make_student(source, incoming / "a_reference", reference)
    make_student(source, incoming / "untouched", modules_of("untouched"))
    make_student(source, incoming / "mistake_no_floor", modules_of("mistake_no_floor"))
    for name in MODULES:
        make_student(source, incoming / f"bad_{name}", {"schedules": (FIXTURES / "modules" / f"{name}.py").read_text()})
    _with_notebook(make_student(source, incoming / "deleted_hidden_cell", reference), _drop_cell("update_lr_values"))
    _with_notebook(make_student(source, incoming / "edited_hidden_cell", {}), _rewrite_hidden)
    (make_student(source, incoming / "not_a_notebook", reference) / NOTEBOOK).write_text("my answers are in my head")
    (make_student(source, incoming / "missing_notebook", reference) / NOTEBOOK).unlink()
    (incoming / "empty").mkdir()
    zipped = make_student(source, incoming / "zz_reference_zip", reference)
    shutil.make_archive(str(zipped), "zip", root_dir=incoming, base_dir=zipped.name)
    shutil.rmtree(zipped)
    records = autograde.autograde(released, "workbook", incoming, progress=lambda line: None)
    return records, _scores(released)


@pytest.mark.slow
def test_the_release_passes_the_leak_check_and_a_planted_leak_fails_it(released, tmp_path):
    assert leaks.check(released.release("workbook")) == []
    planted = tmp_path / "workbook"
    shutil.copytree(released.release("workbook"), planted)
    shutil.copy(Path(leaks.ROOT) / "solutions" / "schedules.py", planted / "utils" / "helpers.py")
    findings = leaks.check(planted)
    assert any("utils/helpers.py" in finding and "solution" in finding for finding in findings), findings
    (planted / "utils" / "helpers.py").unlink()
    with zipfile.ZipFile(planted / "extra.zip", "w") as archive:
        archive.writestr("solutions/__init__.py", "")
    assert any("extra.zip!solutions/__init__.py" in finding for finding in leaks.check(planted))


@pytest.mark.slow
def test_reference_scores_full_stubs_zero_and_a_mistake_loses_its_exercise(graded):
    records, scores = graded
    assert scores["a_reference"] == scores["zz_reference_zip"] == FULL
    assert scores["untouched"] == 0
    assert scores["mistake_no_floor"] == FULL - 2  # schedule_lr_decay.values: the other tests still pass
    assert all(record["status"] != "failed" for record in records.values()), records


@pytest.mark.slow
def test_each_graded_record_keeps_its_stage_times_in_order(graded):
    """queued <= started <= graded <= committed (UNIX times), and the job's seconds fit between started and graded."""
    records, _ = graded
    timed = {student: record["stages"] for student, record in records.items() if record["status"] == "graded"}
    assert "a_reference" in timed
    for student, stages in timed.items():
        order = [stages[name] for name in ("queued", "started", "graded", "committed")]
        assert order == sorted(order), (student, stages)
        assert stages["graded"] - stages["started"] >= records[student]["seconds"] - 0.05, (student, stages)


@pytest.mark.slow
@pytest.mark.parametrize("name", MODULES)
def test_each_bad_module_is_contained_and_scores_zero(graded, name):
    records, scores = graded
    assert records[f"bad_{name}"]["status"] == "graded"
    assert scores[f"bad_{name}"] == 0


@pytest.mark.slow
def test_tampered_notebooks_and_missing_or_broken_files_are_graded(graded):
    records, scores = graded
    assert scores["deleted_hidden_cell"] == FULL  # the deleted grade cell is restored and gets its verdict
    assert scores["edited_hidden_cell"] == 0  # the hidden tests were restored and ran on the stubs
    # every autograded exercise is graded from utils/: a notebook that cannot be read or is missing costs none
    assert scores["not_a_notebook"] == scores["missing_notebook"] == FULL
    assert scores["empty"] == 0
    assert any("could not be read" in note for note in records["not_a_notebook"]["notes"])
    assert any("was not submitted" in note for note in records["missing_notebook"]["notes"])
    assert records["empty"]["status"] == "empty"


@pytest.mark.slow
def test_feedback_holds_no_hidden_test_source(graded, released):
    pages = list(released.path("feedback").rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text()
        for private in ("BEGIN HIDDEN TESTS", "from optgrade", 'grade("', "optgrade/hidden"):
            assert private not in text, (page, private)


@pytest.mark.slow
def test_report_names_the_mistake_and_a_rerun_grades_nothing_twice(graded, released):
    _, scores = graded
    page = report.report(released, "workbook")
    assert "data:image/png;base64," in page.read_text()
    with (page.parent / "mistakes.csv").open() as stream:
        mistakes = {(row["test"], row["mistake"]) for row in csv.DictReader(stream)}
    assert ("schedule_lr_decay.values", "no_floor") in mistakes
    # an interrupted run: one student's record is gone, so only that student is graded again
    released.path(".optgrade", "graded", "workbook", "a_reference.json").unlink()
    again = []
    autograde.autograde(released, "workbook", progress=again.append)
    assert [line for line in again if "(already graded)" not in line] == ["a_reference: graded"]
    assert _scores(released) == scores
    record = json.loads(released.path(".optgrade", "graded", "workbook", "a_reference.json").read_text())
    assert record["status"] == "graded"


@pytest.mark.slow
def test_demo_speaks_from_the_first_second_and_counts_graded_apart_from_skipped(tmp_path):
    """`optgrade demo` through a pipe: a first line before the heavy imports, every step announced, the counts."""
    import subprocess
    import sys
    import time

    command = [sys.executable, "-m", "optgrade.cli", "demo", "06", "--course", str(tmp_path / "demo")]
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines = [(time.monotonic() - start, line.rstrip("\n")) for line in process.stdout]
    assert process.wait() == 0
    first, text = lines[0]
    assert first < 5, lines[:3]  # it was about 28 s (the imports, the build and the release) before
    assert text.startswith("optgrade demo: build, release, grade a simulated class and report")
    said = [line for _, line in lines]
    for step in ("building the course", "releasing:", "simulated a class of", "grading "):
        assert any(line.startswith(step) for line in said), (step, said)
    students = int(next(line for line in said if line.startswith("simulated a class of")).split()[4])
    assert students >= 4 and f"graded {students} students" in said  # all graded, none skipped (demo regrades all)
    assert said[-1].startswith("report: ")
    gaps = [later - earlier for (earlier, _), (later, _) in zip(lines, lines[1:], strict=False)]
    assert max(gaps) < 90, list(zip(gaps, said[1:], strict=True))  # a long step still says something now and then
