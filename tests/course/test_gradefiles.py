"""Grade files from a gradebook: Moodle's worksheet identifiers from a Moodle download, CSV cells kept whole."""

import csv

import pytest
from nbgrader.api import Gradebook

from optgrade.course import gradefiles, roster, submissions
from optgrade.course.layout import COURSE_ID, Course, nbgrader_environment

NOTEBOOK = "06_learning_rate_decay.ipynb"


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A course with a source notebook and a gradebook holding the assignment (nbgrader runs alembic: on PATH)."""
    monkeypatch.setenv("PATH", nbgrader_environment()["PATH"])
    course = Course(tmp_path / "course")
    course.source("workbook").mkdir(parents=True)
    (course.source("workbook") / NOTEBOOK).write_text("{}")
    with Gradebook(f"sqlite:///{course.path('gradebook.db')}", COURSE_ID) as gradebook:
        gradebook.add_assignment("workbook")
    return course


def _rows(path):
    with path.open(newline="", encoding="utf-8") as stream:
        return list(csv.reader(stream))


def test_moodle_rows_carry_the_participant_identifier_and_canvas_rows_no_invented_id(course, tmp_path):
    download = tmp_path / "moodle"
    download.mkdir()
    (download / f"Ann Lee_102_assignsubmission_file_{NOTEBOOK}").write_text("{}")
    (download / f"José García_101_assignsubmission_file_{NOTEBOOK}").write_text("{}")
    submissions.import_submissions(course, download, "workbook")
    url = f"sqlite:///{course.path('gradebook.db')}"
    assert roster.sync(course, "workbook", url) == []  # no roster: nothing to say about one
    moodle = _rows(gradefiles.moodle(course, "workbook", url, tmp_path / "moodle.csv"))
    assert moodle[0] == list(gradefiles.MOODLE)
    by_name = {row[1]: row for row in moodle[1:]}
    assert by_name["Ann Lee"][0] == "Participant 102" and by_name["José García"][0] == "Participant 101"
    assert by_name["Ann Lee"][3] == "0"  # not graded yet: no submission in the gradebook
    canvas = _rows(gradefiles.canvas(course, "workbook", url, tmp_path / "canvas.csv"))
    assert [row[1] for row in canvas[2:]] == ["", ""]  # a Moodle participant id is not a Canvas user id
    assert sorted(row[2] for row in canvas[2:]) == sorted(roster.people(course, "workbook"))  # SIS User ID


def test_grades_csv_keeps_a_comma_name_in_its_cell_and_no_formula(course, tmp_path):
    url = f"sqlite:///{course.path('gradebook.db')}"
    with Gradebook(url, COURSE_ID) as gradebook:
        gradebook.update_or_create_student("s1", first_name="Ann, Jr.", last_name="=cmd|' /C calc'!A0", email="a@x")
        plugin = gradefiles.GradesCsv()
        plugin.to = str(tmp_path / "grades.csv")
        plugin.export(gradebook)
    with (tmp_path / "grades.csv").open(newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 1 and tuple(rows[0]) == gradefiles.GRADES
    assert rows[0]["first_name"] == "Ann, Jr." and rows[0]["last_name"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["email"] == "a@x" and rows[0]["score"] == "0.0"
