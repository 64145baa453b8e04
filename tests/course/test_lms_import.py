"""Importing submissions: hostile and Unicode names, archive junk, Canvas's and Moodle's downloads, their times.

File names are student data: every name here is one a student could give their folder, zip or upload. The
import runs on a course folder with only a source notebook (no nbgrader run is needed to import).
"""

import datetime
import os
import re
import time
import unicodedata
import zipfile

import pytest

from optgrade.course import imports, submissions
from optgrade.course.layout import Course

NOTEBOOK = "06_learning_rate_decay.ipynb"
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
HOSTILE = [
    "-dash",
    "--force",
    "josé",
    "Ann Lee",
    "<img src=x onerror=alert(1)>",
    "bad\x1b[31mred",
    "tab\tand\nnewline",
    "x" * 250,
    "é" * 120,
    "..hidden-dots",
    "a..b",
    "alice~x",
    "alice_x",
    "=HYPERLINK(evil)",
]


@pytest.fixture
def course(tmp_path):
    course = Course(tmp_path / "course")
    course.source("workbook").mkdir(parents=True)
    (course.source("workbook") / NOTEBOOK).write_text("{}")
    return course


def _submission(folder, text="{}"):
    (folder / "utils").mkdir(parents=True)
    (folder / NOTEBOOK).write_text(text)
    (folder / "utils" / "schedules.py").write_text("# mine\n")
    return folder


def _students(course):
    return sorted(p.name for p in course.submitted().iterdir())


def test_hostile_and_unicode_folder_names_are_kept_as_names_and_get_safe_stable_ids(course, tmp_path):
    incoming = tmp_path / "incoming"
    for name in HOSTILE:
        _submission(incoming / name, text=f"{{}} {name!r}")
    skipped = []
    submissions.import_submissions(course, incoming, "workbook", skipped)
    record = imports.load(course, "workbook")["students"]
    names = {entry["name"] for entry in record.values()}
    assert len(_students(course)) == len(HOSTILE) - 1, (skipped, _students(course))
    assert skipped == ["'..hidden-dots': not imported, a hidden name (it starts with a dot)"]
    assert all(SAFE_ID.match(student) for student in _students(course)), _students(course)
    assert not any(student.startswith("-") for student in _students(course))
    assert {"josé", "Ann Lee", "-dash", "<img src=x onerror=alert(1)>", "é" * 120, "alice~x"} <= names
    assert "bad [31mred" in names and "tab and newline" in names  # no control character survives in a name
    assert not [name for name in names if any(unicodedata.category(ch).startswith("C") for ch in name)]
    assert all(len(name) <= 120 for name in names)
    # alice~x is not alice_x: both are imported, each with its own files
    by_name = {entry["name"]: student for student, entry in record.items()}
    assert by_name["alice_x"] == "alice_x" and by_name["alice~x"] != "alice_x"
    for name in ("josé", "-dash", "alice~x", "alice_x", "<img src=x onerror=alert(1)>", "é" * 120):
        assert repr(name) in (course.submitted(by_name[name], "workbook") / NOTEBOOK).read_text(), name
    # stable: the same download imported again gives the same ids
    first = set(_students(course))
    submissions.import_submissions(course, incoming, "workbook")
    assert set(_students(course)) == first


def test_two_entries_for_one_id_are_both_named_and_neither_imported(course, tmp_path):
    incoming = tmp_path / "incoming"
    _submission(incoming / "alice")
    source = _submission(tmp_path / "zipped" / "alice")
    with zipfile.ZipFile(incoming / "alice.zip", "w") as archive:
        for path in source.rglob("*"):
            archive.write(path, path.relative_to(source.parent))
    _submission(incoming / "bob")
    skipped = []
    submissions.import_submissions(course, incoming, "workbook", skipped)
    assert _students(course) == ["bob"]
    assert len(skipped) == 1 and "'alice'" in skipped[0] and "'alice.zip'" in skipped[0], skipped
    assert "alice" in skipped[0] and "rename one" in skipped[0]
    assert imports.load(course, "workbook")["problems"] == skipped


def test_archive_junk_is_ignored_everywhere_and_other_hidden_entries_are_named(course, tmp_path):
    incoming = tmp_path / "incoming"
    for junk in ("__MACOSX", ".ipynb_checkpoints"):
        (incoming / junk).mkdir(parents=True)
    for junk in (".DS_Store", "Thumbs.db", "desktop.ini"):
        (incoming / junk).write_text("junk")
    carol = _submission(incoming / "carol")
    (carol / ".DS_Store").write_text("junk")
    (carol / "__MACOSX").mkdir()
    with zipfile.ZipFile(incoming / "dave.zip", "w") as archive:
        archive.writestr("__MACOSX/dave/._06_learning_rate_decay.ipynb", "resource fork")
        archive.writestr("dave/.DS_Store", "junk")
        archive.writestr(f"dave/{NOTEBOOK}", "{}")
    skipped = []
    submissions.import_submissions(course, incoming, "workbook", skipped)
    assert _students(course) == ["carol", "dave"], skipped
    assert skipped == []
    assert sorted(p.name for p in course.submitted("carol", "workbook").iterdir()) == [NOTEBOOK, "utils"]
    assert [p.name for p in course.submitted("dave", "workbook").iterdir()] == [NOTEBOOK]


def _canvas_download(folder):
    """Canvas's Download Submissions, unzipped: <name>[_late]_<user id>_<submission id>_<file> at the top."""
    folder.mkdir()
    (folder / f"leeann_12345_9001_{NOTEBOOK}").write_text("{} leeann")
    (folder / "leeann_12345_9001_schedules.py").write_text("# leeann\n")
    workbook = _submission(folder.parent / "garcia" / "workbook", text="{} garcia")
    with zipfile.ZipFile(folder / "garciajose_late_222_9002_workbook.zip", "w") as archive:
        for path in workbook.rglob("*"):
            archive.write(path, path.relative_to(workbook.parent))
    (folder / "smithbob_444_9003_schedules-1.py").write_text("# bob, uploaded twice\n")
    return folder


def test_a_canvas_download_imports_each_user_with_their_files_and_times(course, tmp_path):
    download = _canvas_download(tmp_path / "canvas")
    on_time = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)
    for path in download.iterdir():
        os.utime(path, (on_time.timestamp(), on_time.timestamp()))
    skipped = []
    submissions.import_submissions(course, download, "workbook", skipped)
    assert skipped == []
    assert _students(course) == ["12345", "222", "444"]
    assert (course.submitted("12345", "workbook") / NOTEBOOK).read_text() == "{} leeann"
    assert (course.submitted("12345", "workbook") / "utils" / "schedules.py").read_text() == "# leeann\n"
    assert (course.submitted("222", "workbook") / NOTEBOOK).read_text() == "{} garcia"
    assert (course.submitted("444", "workbook") / "utils" / "schedules.py").read_text() == "# bob, uploaded twice\n"
    record = imports.load(course, "workbook")["students"]
    assert record["12345"]["name"] == "leeann" and record["12345"]["lms_id"] == "12345"
    assert record["222"]["late"] is True and record["12345"]["late"] is False
    stamp = (course.submitted("12345", "workbook") / "timestamp.txt").read_text().strip()
    assert stamp == "2026-11-02 09:30:00.000000 UTC"


def test_canvas_s_own_zip_gives_the_submission_times_of_its_members(course, tmp_path):
    download = _canvas_download(tmp_path / "canvas")
    archive = tmp_path / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(download.iterdir()):
            info = zipfile.ZipInfo(path.name, date_time=(2026, 11, 3, 23, 59, 58))
            zipped.writestr(info, path.read_bytes())
    submissions.import_submissions(course, archive, "workbook")
    assert _students(course) == ["12345", "222", "444"]
    expected = datetime.datetime.fromtimestamp(time.mktime((2026, 11, 3, 23, 59, 58, 0, 0, -1)), datetime.UTC)
    stamp = (course.submitted("444", "workbook") / "timestamp.txt").read_text().strip()
    assert stamp == expected.strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def test_a_moodle_download_in_folders_or_prefixed_files(course, tmp_path):
    download = tmp_path / "moodle"
    _submission(download / "José García_101_assignsubmission_file")  # Moodle 3.1+: a folder per plugin
    download.joinpath(f"Ann Lee_102_assignsubmission_file_{NOTEBOOK}").write_text("{} ann")
    download.joinpath("Ann Lee_102_assignsubmission_file_schedules.py").write_text("# ann\n")
    download.joinpath("Ann Lee_102_assignsubmission_onlinetext_onlinetext.html").write_text("<p>hi</p>")
    skipped = []
    submissions.import_submissions(course, download, "workbook", skipped)
    assert skipped == []
    record = imports.load(course, "workbook")["students"]
    by_name = {entry["name"]: (student, entry) for student, entry in record.items()}
    assert set(by_name) == {"José García", "Ann Lee"}
    ann, entry = by_name["Ann Lee"]
    assert entry["lms_id"] == "102" and entry["source"] == "moodle" and entry["submitted"]
    assert (course.submitted(ann, "workbook") / NOTEBOOK).read_text() == "{} ann"
    assert (course.submitted(ann, "workbook") / "utils" / "schedules.py").read_text() == "# ann\n"
    jose, _ = by_name["José García"]
    assert (course.submitted(jose, "workbook") / "utils" / "schedules.py").read_text() == "# mine\n"
    assert jose.startswith("Jose-Garcia-") and SAFE_ID.match(jose)


def test_an_lms_file_name_cannot_write_outside_the_student_s_folder(course, tmp_path):
    """The part after Canvas's prefix is the student's own file name: '..' or a hidden name is not a path."""
    download = tmp_path / "canvas"
    download.mkdir()
    (download / "evil_7_8_..").mkdir()  # a folder: never taken for a Canvas file
    (download / "evil_7_9_.bashrc").write_text("echo owned")
    (download / f"evil_7_9_{NOTEBOOK}").write_text("{}")
    skipped = []
    submissions.import_submissions(course, download, "workbook", skipped)
    assert sorted(p.name for p in course.submitted("7", "workbook").rglob("*")) == [NOTEBOOK, "timestamp.txt"]
    assert not (course.submitted() / ".bashrc").exists() and not (course.submitted("7") / ".bashrc").exists()


def test_a_damaged_zip_among_a_canvas_student_s_files_is_the_one_named(course, tmp_path):
    download = tmp_path / "canvas"
    download.mkdir()
    (download / f"bob_5_6_{NOTEBOOK}").write_text("{}")
    (download / "bob_5_7_workbook.zip").write_text("not a zip at all")
    (download / "bob_5_8_zz_notes.txt").write_text("notes")
    notes = submissions.import_submissions(course, download, "workbook")
    assert notes == {"5": "bob_5_7_workbook.zip is not a zip archive, or a truncated one; not graded"}
    assert submissions.unreadable(course, "5", "workbook") == notes["5"]


def test_canvas_s_late_mark_makes_a_submission_late_when_its_file_times_do_not(course, tmp_path, monkeypatch):
    """The files were unzipped without their times (they look on time): Canvas's mark still counts, by a second."""
    from nbgrader.api import Gradebook

    from optgrade.course.layout import COURSE_ID, nbgrader_environment

    monkeypatch.setenv("PATH", nbgrader_environment()["PATH"])  # nbgrader creates the gradebook with alembic
    course.settings_file.parent.mkdir(parents=True, exist_ok=True)
    course.settings_file.write_text("{}")
    due = datetime.datetime(2026, 11, 2, 12, 0)
    with Gradebook(f"sqlite:///{course.path('gradebook.db')}", COURSE_ID) as gradebook:
        gradebook.add_assignment("workbook", duedate=due)
    download = _canvas_download(tmp_path / "canvas")
    before = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC).timestamp()
    for path in download.iterdir():
        os.utime(path, (before, before))
    submissions.import_submissions(course, download, "workbook")
    late = (course.submitted("222", "workbook") / "timestamp.txt").read_text().strip()
    on_time = (course.submitted("12345", "workbook") / "timestamp.txt").read_text().strip()
    assert late == "2026-11-02 12:00:01.000000 UTC" and on_time == "2026-11-01 09:00:00.000000 UTC"


def test_two_moodle_participants_with_one_name_are_both_imported(course, tmp_path):
    download = tmp_path / "moodle"
    _submission(download / "John Smith_301_assignsubmission_file", text="{} first")
    _submission(download / "John Smith_302_assignsubmission_file_", text="{} second")  # also with an underscore
    skipped = []
    submissions.import_submissions(course, download, "workbook", skipped)
    record = imports.load(course, "workbook")["students"]
    assert skipped == [] and len(record) == 2
    by_participant = {entry["lms_id"]: student for student, entry in record.items()}
    assert (course.submitted(by_participant["301"], "workbook") / NOTEBOOK).read_text() == "{} first"
    assert (course.submitted(by_participant["302"], "workbook") / NOTEBOOK).read_text() == "{} second"
    assert all(entry["name"] == "John Smith" for entry in record.values())


def test_older_canvas_names_with_dashes_and_their_late_mark(course, tmp_path):
    """Older Canvas: '<sortable name>' with spaces and punctuation as '-', ' LATE_' as '-late_', all lowercase."""
    download = tmp_path / "canvas"
    download.mkdir()
    (download / f"lee--ann-late_1001_77_{NOTEBOOK}").write_text("{}")
    (download / f"o-brien--pat_1002_78_{NOTEBOOK}").write_text("{}")
    skipped = []
    submissions.import_submissions(course, download, "workbook", skipped)
    record = imports.load(course, "workbook")["students"]
    assert skipped == [] and sorted(record) == ["1001", "1002"]
    assert record["1001"]["late"] is True and record["1001"]["name"] == "lee--ann"
    assert record["1002"]["late"] is False and record["1002"]["name"] == "o-brien--pat"


def test_an_import_stopped_half_way_leaves_the_previous_submission_whole_and_the_next_one_imports(
    course, tmp_path, monkeypatch
):
    """Ctrl-C while a student's files are copied: their submission is the previous one or none, never a part."""
    first, second = tmp_path / "first", tmp_path / "second"
    _submission(first / "alice", "first")
    _submission(second / "alice", "second")
    (second / "alice" / "utils" / "momentum.py").write_text("# mine too\n")
    submissions.import_submissions(course, first, "workbook")
    before = {p.relative_to(course.submitted()): p.read_bytes() for p in course.submitted().rglob("*") if p.is_file()}
    copied, copytree = [], submissions.shutil.copytree

    def copy_then_stop(source, target, **options):
        if copied:
            raise KeyboardInterrupt  # the second file of the copy
        copied.append(source)
        return submissions.shutil.copy2(source, target, **options)

    def copytree_then_stop(source, target, symlinks=False, ignore=None, copy_function=None, *rest, **options):
        return copytree(source, target, symlinks, ignore, copy_then_stop, *rest, **options)  # it recurses through it

    monkeypatch.setattr(submissions.shutil, "copytree", copytree_then_stop)
    with pytest.raises(KeyboardInterrupt):
        submissions.import_submissions(course, second, "workbook")
    assert copied  # stopped inside the copy, not before it
    after = {p.relative_to(course.submitted()): p.read_bytes() for p in course.submitted().rglob("*") if p.is_file()}
    visible = {path: text for path, text in after.items() if not any(part.startswith(".") for part in path.parts)}
    assert visible == before
    monkeypatch.setattr(submissions.shutil, "copytree", copytree)
    submissions.import_submissions(course, second, "workbook")
    assert (course.submitted("alice", "workbook") / NOTEBOOK).read_text() == "second"
    assert (course.submitted("alice", "workbook") / "utils" / "momentum.py").is_file()
    assert [p.name for p in course.submitted("alice").iterdir()] == ["workbook"]  # nothing left beside it
