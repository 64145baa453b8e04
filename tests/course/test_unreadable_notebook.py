"""A notebook that cannot be read (cut off, not a notebook, missing) costs no autograded point (issue 23, item 3).

Every autograded exercise of a notebook is graded from the student's ``utils/`` modules, so a class of
notebook 06 is graded with ``optgrade autograde`` in which three students have the reference
``schedules`` and a written answer, like "answered", but their notebook 06 was cut off halfway
("truncated"), replaced by text ("not_json") or left out ("missing"). Their autograded cells must score
what "answered"'s do; a written answer in a notebook that could not be read goes to hand grading (the
instructor has the file), one that was never submitted scores 0; the run, the record, the report and
the student's feedback page say what happened and what the student can do.
"""

import contextlib
import io

import pytest
from course_helpers import NOTEBOOK_06, cell_grades, class_of_06, read_csv, write_answer

from optgrade.cli import main
from optgrade.course import report
from optgrade.course.autograde import records
from optgrade.course.demo import make_student, solved

pytestmark = pytest.mark.slow
BROKEN = ("truncated", "not_json")


@pytest.fixture(scope="module")
def graded(released_06, tmp_path_factory):
    """(course, stdout, exit status) of one ``optgrade autograde`` of the class."""
    course, incoming = class_of_06(released_06, tmp_path_factory)
    source = course.release("workbook")
    reference = {"schedules": solved("schedules")}
    for name in ("truncated", "not_json", "missing"):
        write_answer(make_student(source, incoming / name, reference))
    text = (incoming / "truncated" / NOTEBOOK_06).read_text()
    (incoming / "truncated" / NOTEBOOK_06).write_text(text[: len(text) // 2])
    (incoming / "not_json" / NOTEBOOK_06).write_text("my answers are in my head")
    (incoming / "missing" / NOTEBOOK_06).unlink()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["autograde", str(incoming), "--course", str(course.root), "--workers", "1"])
    return course, out.getvalue(), status


def _split(grades):
    """({autograded grade_id: score}, {written grade_id: CellGrade}) of one student's cell grades."""
    code = {name: grade.score for name, grade in grades.items() if grade.cell_type == "code"}
    written = {name: grade for name, grade in grades.items() if grade.cell_type == "markdown"}
    return code, written


def test_the_autograded_exercises_of_an_unreadable_or_missing_notebook_are_graded_from_utils(graded):
    course, _, status = graded
    assert status == 0
    grades = cell_grades(course, "workbook")
    expected, _ = _split(grades["answered"])
    assert expected and sum(expected.values()) > 0
    for student in (*BROKEN, "missing"):
        code, _ = _split(grades[student])
        assert code == expected, student
        assert records(course, "workbook")[student]["status"] == "graded"


def test_written_answers_of_an_unreadable_notebook_go_to_hand_grading_and_a_missing_ones_score_0(graded):
    course, _, _ = graded
    grades = cell_grades(course, "workbook")
    for student in BROKEN:
        _, written = _split(grades[student])
        assert written and all(grade.needs_manual_grade for grade in written.values()), student
    _, written = _split(grades["missing"])
    assert written and all(not g.needs_manual_grade and g.score == 0 for g in written.values())


def test_the_run_and_the_record_say_what_happened(graded):
    course, out, _ = graded
    lines = {line.split(":")[0]: line for line in out.splitlines() if ":" in line}
    for student in BROKEN:
        assert "could not be read" in lines[student] and "utils/" in lines[student], lines[student]
        notes = " ".join(records(course, "workbook")[student]["notes"])
        assert f"{NOTEBOOK_06} could not be read" in notes and "by hand" in notes
    assert "was not submitted" in lines["missing"]
    stood = len(BROKEN) + 1  # and "missing"
    assert f"graded 5 students, {stood} of them with a notebook unreadable or not submitted" in out


def test_the_feedback_page_says_what_happened_and_what_the_student_can_do(graded):
    course, _, _ = graded
    for student in (*BROKEN, "missing"):
        page = course.feedback(student, "workbook") / NOTEBOOK_06.replace(".ipynb", ".html")
        assert page.is_file(), student
        text = page.read_text()
        assert "utils/" in text and "What you can do" in text, student
        assert ("could not be read" in text) == (student in BROKEN)
        assert str(course.root) not in text
        assert ".optgrade" not in text and "quarantine" not in text  # the instructor's folders are not theirs


def test_the_report_names_the_unreadable_notebooks(graded, tmp_path):
    course, _, _ = graded
    page = report.report(course, "workbook", tmp_path).read_text()
    rows = {row["student"]: row for row in read_csv(tmp_path / "students.csv")}
    for student in BROKEN:
        assert "could not be read" in rows[student]["notes"]
        assert float(rows[student]["to grade by hand"]) > 0
    assert 'id="unread-notebooks"' in page
