"""The instructor report on a real graded course (notebook 06): templates, manual-grading status, CSV columns.

One class is graded once (reference with a written answer, untouched stubs, a
named mistake); a written answer is then graded by hand through nbgrader's
Gradebook API, as formgrader does, and the report is regenerated.
"""

import re

import nbformat
import pytest
from course_helpers import NOTEBOOK_06, cell_grades, class_of_06, read_csv
from nbgrader.api import Gradebook

from optgrade.course import autograde, report
from optgrade.course.demo import make_student
from optgrade.course.feedback_math import MATH
from optgrade.course.gradebook import db_url
from optgrade.course.layout import COURSE_ID

NESTED = "$" + "{" * 60 + "x" + "}" * 60 + "$"  # mathtext recurses too deep on it
FLOOD = " ".join([NESTED] + [f"$x_{{{i}}}^{{2}}$" for i in range(2000)])  # and 2000 distinct expressions


def _flood(folder):
    """A markdown cell of the student's own (markdown cells are not locked), full of maths."""
    path = folder / NOTEBOOK_06
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell(FLOOD))
    nbformat.write(notebook, path)


@pytest.fixture(scope="module")
def course(released_06, tmp_path_factory):
    course, incoming = class_of_06(released_06, tmp_path_factory)
    source = course.release("workbook")
    make_student(source, incoming / "untouched", {})
    _flood(make_student(source, incoming / "math_flood", {}))
    autograde.autograde(course, "workbook", incoming, progress=lambda line: None, workers=1)
    return course


def _written(course):
    grades = cell_grades(course, "workbook")["answered"]
    return {name: grade for name, grade in grades.items() if grade.cell_type == "markdown"}


def _row(path, student):
    return next(row for row in read_csv(path) if row["student"] == student)


@pytest.mark.slow
def test_pending_written_answers_are_counted_pointed_to_and_not_lost(course, tmp_path):
    written = _written(course)
    assert written and all(grade.needs_manual_grade for grade in written.values())
    pending = sum(grade.max_score for grade in written.values())
    page = report.report(course, "workbook", tmp_path).read_text()
    row = _row(tmp_path / "students.csv", "answered")
    assert float(row["to grade by hand"]) == pending
    total, top = float(row["total"]), float(row["max"])
    assert float(row["percent"]) == pytest.approx(round(100 * total / (top - pending), 1))
    assert float(_row(tmp_path / "students.csv", "untouched")["to grade by hand"]) == 0  # a blank answer scores 0
    assert "formgrader" in page and "then run <code>optgrade report</code> again" in page
    assert "1 of 4 students have written answers still to grade by hand" in page
    exercises = {row["exercise"]: row for row in read_csv(tmp_path / "exercises.csv")}
    for name in written:
        exercise = exercises[report.exercise_of(name)]
        assert exercise["kind"] == "written answer" and exercise["students to grade by hand"] == "1"
    assert {"test", "mistake", "students"} <= set(read_csv(tmp_path / "mistakes.csv")[0])
    assert ("schedule_lr_decay.values", "no_floor") in {
        (row["test"], row["mistake"]) for row in read_csv(tmp_path / "mistakes.csv")
    }


@pytest.mark.slow
def test_the_report_picks_up_manual_scores(course, tmp_path):
    before = _row(report.report(course, "workbook", tmp_path / "before").parent / "students.csv", "answered")
    written = _written(course)
    with Gradebook(db_url(course), COURSE_ID) as gradebook:
        for name, cell in written.items():
            grade = gradebook.find_grade(name, NOTEBOOK_06.removesuffix(".ipynb"), "workbook", "answered")
            grade.manual_score = cell.max_score  # what formgrader's API handler stores
            grade.needs_manual_grade = False
        gradebook.db.commit()
    after = _row(report.report(course, "workbook", tmp_path / "after").parent / "students.csv", "answered")
    gained = sum(cell.max_score for cell in written.values())
    assert float(after["total"]) == float(before["total"]) + gained
    assert float(after["to grade by hand"]) == 0 and float(after["graded by hand"]) == gained
    assert float(after["percent"]) == pytest.approx(round(100 * float(after["total"]) / float(after["max"]), 1))
    page = (tmp_path / "after" / "report.html").read_text()
    assert "Nothing left to grade by hand." in page


@pytest.mark.slow
def test_the_report_page_is_split_into_narrow_tables(course, tmp_path):
    page = report.report(course, "workbook", tmp_path).read_text()
    exercises = len(read_csv(tmp_path / "exercises.csv"))
    tables = re.findall(r'<table class="scores">.*?</table>', page, re.S)
    assert len(tables) == -(-exercises // report.COLUMNS_PER_TABLE)
    assert all(table.count('<th class="num">') <= report.COLUMNS_PER_TABLE for table in tables)
    assert page.count('src="data:image/png;base64,') == 2
    # a long exercise name breaks after an underscore, never inside a word
    assert '<th class="num">schedule_<wbr>lr_<wbr>decay</th>' in page
    assert re.search(r"\.scores th \{[^}]*overflow-wrap: normal", page) and "anywhere; min-width" not in page


@pytest.mark.slow
def test_feedback_wraps_names_no_instructor_path_and_draws_maths(course):
    from optgrade.exercises import ROOT

    page = (course.feedback("mistake", "workbook") / NOTEBOOK_06.replace(".ipynb", ".html")).read_text()
    assert "no_floor" in page  # the named mistake is there, in a wrapping output box
    assert "white-space: pre-wrap" in page
    for private in (str(course.root), str(ROOT)):
        assert private not in page
    source = nbformat.read(ROOT / "notebooks" / NOTEBOOK_06, as_version=4)
    maths = sum(len(MATH.findall(cell.source)) for cell in source.cells if cell.cell_type == "markdown")
    assert maths and page.count('class="math"') + page.count('class="tex"') == maths
    # at the size of the text around it, inline (nbconvert's stylesheet centres images as blocks): a lone J too
    tags = re.findall(r'<img [^>]*class="math"[^>]*>', page)
    pictures = [
        (re.search(r'alt="([^"]*)"', tag).group(1), re.search(r'style="([^"]*)"', tag).group(1)) for tag in tags
    ]
    assert pictures and all("display:inline;height:" in style and "em;" in style for _, style in pictures)
    heights = {alt: float(re.search(r"height:([\d.]+)em", style).group(1)) for alt, style in pictures}
    assert 0.9 <= heights["J"] <= 1.5, heights["J"]
    assert ".rendered_html th, .rendered_html td { padding:" in page  # markdown tables keep their spacing


@pytest.mark.slow
def test_a_flood_of_maths_in_a_written_answer_is_not_drawn_past_the_cap(course):
    """Attack: 2000 distinct expressions (about 55 s of drawing) in a cell of the student's stay TeX past the cap."""
    from optgrade.course.feedback_math import STUDENT_LIMIT, expressions, source_expressions

    page = (course.feedback("math_flood", "workbook") / NOTEBOOK_06.replace(".ipynb", ".html")).read_text()
    autograded = nbformat.read(course.autograded("math_flood", "workbook") / NOTEBOOK_06, as_version=4)
    found = [tex for cell in autograded.cells if cell.cell_type == "markdown" for tex in expressions(cell.source)]
    trusted = source_expressions(course.source("workbook"))
    instructors = sum(tex in trusted for tex in found)
    assert len(found) - instructors >= 2000
    assert STUDENT_LIMIT <= 30  # the cap the instructor guide states
    assert page.count('class="math"') <= instructors + 30  # at most 30 of the student's own drawn
    assert page.count('class="math"') + page.count('class="tex"') == len(found)
    assert len(list(course.path(".optgrade", "math").iterdir())) == len(trusted)  # all of the instructors, no more
