"""An LMS round trip with the real commands: Canvas's download zip and a roster in, Canvas and Moodle grade files out.

A class of the fixture notebook: Ann Lee (reference, single files, on time), José García (a zip of the
workbook with a named mistake, marked late by Canvas and dated after the due date), a student who is not
on the roster, and a roster student with no submission. The late policy is 10 % a day, floor 50 %.
"""

import csv
import datetime
import math
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from course_helpers import modules_of
from nbgrader.api import Gradebook

from optgrade.cli import main
from optgrade.course import gradefiles
from optgrade.course.demo import solved
from optgrade.course.layout import COURSE_ID, Course

FIXTURES = Path(__file__).parent.parent / "fixtures" / "course"
NOTEBOOK = "01_fixture_schedules.ipynb"
DUE = datetime.datetime(2026, 11, 2, 12, 0, tzinfo=datetime.UTC)
LATE_TIME = (2026, 11, 4, 13, 0, 0)  # as the zip stores it: this machine's local time
ON_TIME = (2026, 11, 1, 10, 0, 0)
HTML_NAME = "<img src=x onerror=alert(1)>"  # a student's file name: markup nowhere


def _rows(path):
    with path.open(newline="", encoding="utf-8") as stream:
        return list(csv.reader(stream))


def _canvas_zip(course, path):
    """Canvas's Download Submissions zip: prefixed files, a zipped workbook, Mac junk."""
    release = course.release("workbook")
    workbook = Path(path.parent / "garcia" / "workbook")
    shutil.copytree(release, workbook)
    (workbook / "utils" / "schedules.py").write_text(modules_of("mistake_no_floor")["schedules"])
    inner = path.parent / "garcia.zip"
    with zipfile.ZipFile(inner, "w") as archive:
        for file in sorted(workbook.rglob("*")):
            archive.write(file, file.relative_to(workbook.parent))
        archive.writestr("__MACOSX/workbook/._schedules.py", "resource fork")
    members = {
        f"leeann_1001_501_{NOTEBOOK}": ((release / NOTEBOOK).read_bytes(), ON_TIME),
        "leeann_1001_501_schedules.py": (solved("schedules").encode(), ON_TIME),
        "garciajose_late_1002_502_workbook.zip": (inner.read_bytes(), LATE_TIME),
        f"{HTML_NAME}_1004_504_{NOTEBOOK}": ((release / NOTEBOOK).read_bytes(), ON_TIME),
        f".hidden_1006_506_{NOTEBOOK}": ((release / NOTEBOOK).read_bytes(), ON_TIME),
        "__MACOSX/._leeann_1001_501_schedules.py": (b"junk", ON_TIME),
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, (data, when) in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=when), data)
    return path


@pytest.mark.slow
def test_canvas_download_and_roster_to_grade_files_for_canvas_and_moodle(tmp_path, capsys):
    course_dir = tmp_path / "course"
    build = ["build", "--course", course_dir, "--notebooks-dir", FIXTURES / "notebooks", "--timeout", 5]
    assert main([str(arg) for arg in [*build, "--accept-reference", "--late-penalty", "per-day:10%,floor:50%"]]) == 0
    assert main(["release", "--course", str(course_dir)]) == 0
    course = Course(course_dir)
    with Gradebook(f"sqlite:///{course.path('gradebook.db')}", COURSE_ID) as gradebook:
        gradebook.update_or_create_assignment("workbook", duedate=DUE.replace(tzinfo=None))
    download = _canvas_zip(course, tmp_path / "submissions.zip")
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "id,name,email,section\n"
        '1001,"Lee, Ann",ann@example.edu,A\n'
        "1002,José García,jose@example.edu,B\n"
        "1005,=Absent Student,absent@example.edu,A\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    code = main(["autograde", str(download), "--course", str(course_dir), "--roster", str(roster), "--workers", "2"])
    out, err = capsys.readouterr()
    assert code == 1, out + err  # the hidden entry is named, after everyone else is graded
    assert err.strip().splitlines() == [
        "optgrade autograde: not imported: '.hidden_1006_506_01_fixture_schedules.ipynb': not imported, "
        "a hidden name (it starts with a dot)"
    ]
    lines = out.splitlines()
    assert "1005 (=Absent Student): on the roster, no submission: 0" in lines
    assert f"1004 ({HTML_NAME}): not on the roster" in lines
    assert {"1001: graded", "1002: graded", "1004: graded"} <= set(lines), lines

    # grades.csv: nbgrader's columns, the roster's names and emails, the absentee at 0, the late penalty
    with course.path("grades.csv").open(newline="", encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        assert tuple(reader.fieldnames) == gradefiles.GRADES
        grades = {row["student_id"]: row for row in reader}
    assert set(grades) == {"1001", "1002", "1004", "1005"}
    ann, jose = grades["1001"], grades["1002"]
    assert (ann["last_name"], ann["first_name"], ann["email"]) == ("Lee", "Ann", "ann@example.edu")
    assert (jose["first_name"], jose["last_name"]) == ("José", "García")
    assert grades["1005"]["score"] == "0.0" and grades["1005"]["first_name"] == "'=Absent"  # never a formula
    full = float(ann["max_score"])
    assert float(ann["score"]) == full and float(ann["late_submission_penalty"]) == 0
    late_seconds = time.mktime((*LATE_TIME, 0, 0, -1)) - DUE.timestamp()
    share = min(0.10 * math.ceil(late_seconds / 86400), 0.5)
    raw = float(jose["raw_score"])
    assert raw == full - 2  # the named mistake costs schedule_lr_decay.values
    assert float(jose["late_submission_penalty"]) == pytest.approx(raw * share)
    assert float(jose["score"]) == pytest.approx(raw * (1 - share))

    assert main(["report", "--course", str(course_dir)]) == 0
    out = capsys.readouterr().out
    reports = course.path("reports", "workbook")
    assert f"{reports / 'canvas.csv'} (Canvas)" in out

    # Canvas: its gradebook export's columns, a Points Possible row, one row per student matched by ID
    canvas = _rows(reports / "canvas.csv")
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "workbook"]
    assert canvas[1][0] == "Points Possible" and float(canvas[1][5]) == full
    by_id = {row[1]: row for row in canvas[2:]}
    assert set(by_id) == {"1001", "1002", "1004", "1005"}
    assert by_id["1001"][0] == "Lee, Ann" and by_id["1001"][4] == "A" and float(by_id["1001"][5]) == full
    assert float(by_id["1002"][5]) == pytest.approx(float(jose["score"]))
    assert float(by_id["1005"][5]) == 0 and by_id["1005"][0] == "'=Absent Student"
    assert all(row[2] == "" for row in canvas[2:])  # the id is Canvas's own: no SIS User ID to invent

    # Moodle: the grading worksheet's columns; the gradebook import maps Email address
    moodle = _rows(reports / "moodle.csv")
    assert moodle[0] == ["Identifier", "Full name", "Email address", "Grade", "Maximum Grade", "Last modified (grade)"]
    by_email = {row[2]: row for row in moodle[1:]}
    assert float(by_email["jose@example.edu"][3]) == pytest.approx(float(jose["score"]))
    assert float(by_email["ann@example.edu"][4]) == full

    page = (reports / "report.html").read_text()
    assert "=Absent Student" in page and "on the roster, no submission" in page and "not on the roster" in page
    assert "José García" in page and "Lee, Ann" in page
    assert HTML_NAME not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "1 entry of the last import" in page and ".hidden_1006_506_" in page
