"""Bad instructor input: one line on stderr naming the file and what to do, exit 1, no traceback, nothing touched."""

import shutil
import zipfile

import pytest

from optgrade.cli import main
from optgrade.course import build


def _fails(capsys, *argv):
    """Run the script; return its one error line (asserting exit 1 and nothing else on stderr)."""
    assert main([str(arg) for arg in argv]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def built(tmp_path):
    """A course built from notebook 06 and not released (building takes a second; releasing is not needed here)."""
    return build.build(tmp_path / "course", names=["06"])


def _released(course):
    """A release folder without running nbgrader: enough for the checks that come before any grading."""
    shutil.copytree(course.source("workbook"), course.release("workbook"))
    return course


def test_autograde_on_a_missing_folder(built, capsys, tmp_path):
    _released(built)
    line = _fails(capsys, "autograde", tmp_path / "nowhere", "--course", built.root)
    assert line.startswith("optgrade autograde: no such folder:") and str(tmp_path / "nowhere") in line


def test_autograde_on_a_zip_file(built, capsys, tmp_path):
    _released(built)
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("alice/06_learning_rate_decay.ipynb", "{}")
    line = _fails(capsys, "autograde", archive, "--course", built.root)
    assert f"{archive} is a zip file" in line and "unzip it first" in line
    assert not built.submitted().exists()


def test_autograde_on_a_plain_file(built, capsys, tmp_path):
    _released(built)
    (tmp_path / "notes.txt").write_text("not submissions")
    line = _fails(capsys, "autograde", tmp_path / "notes.txt", "--course", built.root)
    assert "notes.txt is a file, not a folder" in line


def test_autograde_before_release(built, capsys):
    line = _fails(capsys, "autograde", "--course", built.root)
    assert "not released" in line and "run `optgrade release` first" in line


def test_release_before_build(capsys, tmp_path):
    line = _fails(capsys, "release", "--course", tmp_path / "course")
    assert str(tmp_path / "course") in line and "run `optgrade build` first" in line
    assert not (tmp_path / "course").exists()


def test_release_of_an_assignment_never_built(built, capsys):
    line = _fails(capsys, "release", "--course", built.root, "--assignment", "week9")
    assert "no assignment 'week9'" in line and "['workbook']" in line


def test_report_before_build(capsys, tmp_path):
    line = _fails(capsys, "report", "--course", tmp_path)
    assert "settings.json" in line and "run `optgrade build` first" in line


def test_report_before_autograde(built, capsys):
    _released(built)
    line = _fails(capsys, "report", "--course", built.root)
    assert "no graded submission of 'workbook'" in line and "run `optgrade autograde SUBMISSIONS` first" in line


def test_leaks_on_a_file_that_is_not_a_zip(capsys, tmp_path):
    fake = tmp_path / "release.zip"
    fake.write_text("not a zip")
    line = _fails(capsys, "leaks", fake)
    assert f"{fake} holds a file named .zip that is not a zip archive" in line


def test_leaks_on_a_missing_path(capsys, tmp_path):
    line = _fails(capsys, "leaks", tmp_path / "gone")
    assert f"no such file or folder: {tmp_path / 'gone'}" in line


def test_build_with_a_bad_notebook_name(capsys, tmp_path):
    line = _fails(capsys, "build", "99", "--course", tmp_path / "course")
    assert "'99' names 0 notebooks" in line and "01_minibatch_gradient_descent" in line
    assert not (tmp_path / "course").exists()


def test_build_with_a_missing_notebooks_dir(capsys, tmp_path):
    line = _fails(capsys, "build", "--notebooks-dir", tmp_path / "nb", "--course", tmp_path / "course")
    assert f"no such folder: {tmp_path / 'nb'}" in line


@pytest.mark.parametrize("command", ["build", "release", "autograde", "report"])
def test_a_course_dir_that_is_a_file(command, capsys, tmp_path):
    (tmp_path / "course").write_text("keep me")
    line = _fails(capsys, command, "--course", tmp_path / "course")
    assert f"--course {tmp_path / 'course'} is a file" in line
    assert (tmp_path / "course").read_text() == "keep me"


def test_student_copy_into_a_folder_with_other_files(capsys, tmp_path):
    (tmp_path / "thesis.tex").write_text("mine")
    line = _fails(capsys, "student", tmp_path)
    assert f"{tmp_path} is not empty and holds no workbook" in line
    assert [path.name for path in tmp_path.iterdir()] == ["thesis.tex"]


def test_student_copy_onto_a_file(capsys, tmp_path):
    (tmp_path / "workbook").write_text("mine")
    line = _fails(capsys, "student", tmp_path / "workbook")
    assert "is a file" in line and (tmp_path / "workbook").read_text() == "mine"


def test_report_out_is_a_file(capsys, tmp_path, monkeypatch):
    from optgrade.course import report

    course = build.build(tmp_path / "course", names=["06"])
    _released(course)
    monkeypatch.setattr(report, "graded_students", lambda course, assignment: 1)
    (tmp_path / "out").write_text("x")
    line = _fails(capsys, "report", "--course", course.root, "--out", tmp_path / "out")
    assert f"--out {tmp_path / 'out'} is a file" in line


@pytest.mark.slow
def test_a_corrupt_archive_is_named_exits_1_and_the_others_are_graded(capsys, tmp_path, released_fixture_course):
    """dave.zip holds plain text: not "empty", but unreadable, in the terminal, the exit status and the report."""
    from course_helpers import copy_course, read_csv, scores

    from optgrade.course.demo import make_student, solved

    course = copy_course(released_fixture_course, tmp_path / "course")
    incoming = tmp_path / "incoming"
    make_student(course.release("workbook"), incoming / "alice", {"schedules": solved("schedules")})
    (incoming / "dave.zip").write_text("my answers are in my head")
    capsys.readouterr()
    assert main(["autograde", str(incoming), "--course", str(course.root), "--workers", "1"]) == 1
    out, err = capsys.readouterr()
    assert "dave: unreadable: dave.zip is not a zip archive, or a truncated one; not graded" in out.splitlines()
    assert "dave: empty" not in out and "alice: graded" in out.splitlines()
    assert "graded 1 student (1 unreadable);" in out
    assert err.strip().splitlines() == [
        "optgrade autograde: could not read dave: dave.zip is not a zip archive, or a truncated one; not graded"
        " (ask for a new archive and import it again)"
    ]
    assert scores(course) == {"alice": 6.0, "dave": 0.0}  # alice is graded as if dave were not there
    assert main(["report", "--course", str(course.root)]) == 0
    out = capsys.readouterr().out
    assert "dave: unreadable: dave.zip is not a zip archive" in out
    rows = {row["student"]: row for row in read_csv(course.path("reports", "workbook", "students.csv"))}
    assert rows["dave"]["status"] == "unreadable" and "dave.zip is not a zip archive" in rows["dave"]["notes"]
    assert "no notebook submitted" not in rows["dave"]["notes"]
    page = course.path("reports", "workbook", "report.html").read_text()
    assert "1 submission could not be read" in page and "dave: dave.zip is not a zip archive" in page
    # a rerun says it again (and fails again) until a readable archive comes: alice is not graded twice
    assert main(["autograde", "--course", str(course.root)]) == 1
    out = capsys.readouterr().out
    assert "dave: unreadable" in out and "alice: graded" not in out and "skipped 1 student (already graded)" in out


def test_the_grader_memory_limit_is_a_build_option_autograde_uses(tmp_path, monkeypatch):
    from optgrade.course import autograde, pipeline
    from optgrade.course.layout import Course

    assert main(["build", "--course", str(tmp_path / "course"), "--grader-memory-mb", "512", "06"]) == 0
    course = Course(tmp_path / "course")
    assert course.settings["grader_memory_mb"] == 512
    seen = {}

    def stop(limits):  # the limits autograde hands to every grading job
        seen.update(limits)
        raise SystemExit

    monkeypatch.setattr(pipeline.jobs, "limits", stop)
    monkeypatch.setattr(pipeline, "sandbox_or_refuse", lambda unsafe: True)
    course.release("workbook").mkdir(parents=True)
    with pytest.raises(SystemExit):
        autograde.autograde(course, "workbook")
    assert seen["grader_memory_mb"] == 512


def test_the_late_penalty_is_a_build_option_nbgrader_reads_from_the_course_config(tmp_path):
    """`build --late-penalty zero`: the course config gives nbgrader's LateSubmissionPlugin 'zero' (serve and
    batch autograde apply it; tests/serve/test_serve.py grades a late submission with it)."""
    from traitlets.config.loader import PyFileConfigLoader

    from optgrade.course.layout import Course

    assert main(["build", "--course", str(tmp_path / "course"), "--late-penalty", "zero", "06"]) == 0
    assert Course(tmp_path / "course").settings["late_penalty"] == "zero"
    config = PyFileConfigLoader("nbgrader_config.py", path=str(tmp_path / "course")).load_config()
    assert config.LateSubmissionPlugin.penalty_method == "zero"
    assert main(["build", "--course", str(tmp_path / "plain"), "06"]) == 0
    plain = PyFileConfigLoader("nbgrader_config.py", path=str(tmp_path / "plain")).load_config()
    assert "penalty_method" not in plain.LateSubmissionPlugin
