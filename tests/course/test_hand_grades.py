"""Hand grades reach grades.csv and the feedback, through the instructor's commands (``optgrade.cli.main``).

A class of notebook 06 is graded once with ``optgrade autograde``: "answered" wrote the written answer,
"mistake" did not floor the epoch ratio. The written answer is then graded the way nbgrader's formgrader
does it (its API handler sets the grade's manual score, clears ``needs_manual_grade`` and commits), and
``optgrade report`` is run again, as the guide's recipe says, before the feedback is released.
"""

import contextlib
import io
import re

import nbformat
import pytest
from course_helpers import NOTEBOOK_06, cell_grades, class_of_06, scores
from nbgrader.api import Gradebook

from optgrade.cli import main
from optgrade.course.gradebook import db_url
from optgrade.course.layout import COURSE_ID


def _run(*argv):
    """(exit status, stdout, stderr) of the optgrade script."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(arg) for arg in argv])
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def course(released_06, tmp_path_factory):
    course, incoming = class_of_06(released_06, tmp_path_factory)
    status, out, err = _run("autograde", incoming, "--course", course.root, "--workers", "1")
    assert status == 0, err
    assert "graded 2 students;" in out
    return course


def _page(course, student):
    return (course.feedback(student, "workbook") / NOTEBOOK_06.replace(".ipynb", ".html")).read_text()


def _written(course, student="answered"):
    return {
        name: grade for name, grade in cell_grades(course, "workbook")[student].items() if grade.cell_type == "markdown"
    }


def _grade_by_hand(course, student, points):
    """What the formgrader's API handler does when a grader types a score: manual score, mark cleared, commit."""
    with Gradebook(db_url(course), COURSE_ID) as gradebook:
        for name in _written(course, student):
            grade = gradebook.find_grade(name, NOTEBOOK_06.removesuffix(".ipynb"), "workbook", student)
            grade.manual_score = points
            grade.needs_manual_grade = grade.manual_score is None and grade.auto_score is None
        gradebook.db.commit()


def _heading_scores(page):
    """The "Score: x / y" of every grade cell's heading and of the table of contents."""
    return re.findall(r"Score: ([\d.]+) / ([\d.]+)", page)


@pytest.mark.slow
def test_an_answer_not_graded_yet_is_to_be_graded_by_hand_in_the_feedback_never_0(course):
    written = _written(course)
    assert written and all(grade.needs_manual_grade for grade in written.values())
    pending = sum(grade.max_score for grade in written.values())
    page = _page(course, "answered")
    assert f"<strong>To be graded by hand</strong> ({pending:g} points)" in page
    assert f"{pending:g} points of written answers still to be graded by hand" in page
    assert "Written response" not in page  # nbgrader's table-of-contents line, "(Score: 0.0 / 2.0)"
    autograded = 16 - pending
    assert ("0.0", f"{pending:.1f}") not in _heading_scores(page)[1:]  # no written answer shown as 0 / 2
    assert _heading_scores(page)[0] == (f"{autograded:.1f}", "16.0")  # the notebook's total, as nbgrader says it
    assert scores(course)["answered"] == autograded


@pytest.mark.slow
def test_a_hidden_test_failure_is_said_once_in_the_feedback(course):
    page = _page(course, "mistake")
    # epochs in increasing order: 0 is right, 7.5 with time_interval 2 is the first wrong one: 0.1 / (1 + 3.75)
    failure = "first wrong: schedule_lr_decay(0.1, 7.5, 1, 2): the result is 0.02105263158, expected 0.025"
    assert page.count(failure) == 1
    assert "AssertionError: schedule_lr_decay.values" not in page


@pytest.mark.slow
def test_report_after_a_hand_grade_refreshes_grades_csv_and_that_feedback(course):
    """The guide's recipe: autograde, grade by hand in the formgrader, report, then release_feedback."""
    before = {
        student: (course.feedback(student, "workbook") / NOTEBOOK_06.replace(".ipynb", ".html")).stat().st_mtime_ns
        for student in ("answered", "mistake")
    }
    written = _written(course)
    full = sum(grade.max_score for grade in written.values())
    _grade_by_hand(course, "answered", full)
    status, out, err = _run("report", "--course", course.root, "--workers", "1")
    assert status == 0, err
    assert "feedback refreshed from the gradebook (hand grades, comments): 1 student: answered" in out
    assert scores(course)["answered"] == 16  # grades.csv, exported again
    page = _page(course, "answered")
    assert "To be graded by hand" not in page and "still to be graded by hand" not in page
    assert _heading_scores(page)[0] == ("16.0", "16.0")
    assert ("2.0", "2.0") in _heading_scores(page) and "Written response" in page
    after = (course.feedback("mistake", "workbook") / NOTEBOOK_06.replace(".ipynb", ".html")).stat().st_mtime_ns
    assert after == before["mistake"]  # nobody else's feedback is made again
    status, out, _ = _run("report", "--course", course.root)
    assert status == 0 and "feedback refreshed" not in out  # nothing changed since: nothing made again

    _grade_by_hand(course, "answered", 0.5)  # a regrade reaches them too
    status, out, _ = _run("report", "--course", course.root, "--workers", "1")
    assert status == 0 and "1 student: answered" in out
    assert scores(course)["answered"] == 14.5
    assert _heading_scores(_page(course, "answered"))[0] == ("14.5", "16.0")


@pytest.mark.slow
def test_the_formgrader_page_can_draw_the_maths_offline(course):
    """nbgrader's formgrade template (MathJax from a CDN) with DrawMaths: every markdown expression is an image."""
    import nbgrader.server_extensions.formgrader.handlers as handlers
    from nbconvert.exporters import HTMLExporter
    from traitlets.config import Config

    from optgrade.course.feedback_math import expressions

    config = Config()
    config.CourseDirectory.root = str(course.root)
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    config.HTMLExporter.preprocessors = ["optgrade.course.plugins.maths.DrawMaths"]
    resources = {"assignment_id": "workbook", "notebook_id": NOTEBOOK_06.removesuffix(".ipynb"), "submission_id": "s"}
    resources |= {"index": 0, "total": 1, "base_url": "", "student": "answered", "notebook_path": NOTEBOOK_06}
    resources |= {"last_name": None, "first_name": None}
    graded = course.autograded("answered", "workbook") / NOTEBOOK_06
    page, _ = HTMLExporter(config=config).from_filename(str(graded), resources=resources)
    notebook = nbformat.read(graded, as_version=4)
    found = [tex for cell in notebook.cells if cell.cell_type == "markdown" for tex in expressions(cell.source)]
    assert found and page.count('class="math"') == len(found)  # the workbook's maths all drawn: no TeX left
