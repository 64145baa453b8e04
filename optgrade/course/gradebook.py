"""The gradebook: its database URL, optgrade's grading records beside it, and the one-writer lock.

nbgrader's gradebook (SQLite in the course, or ``--db-url``) holds the scores; a record in
``Course.graded_record`` (written only once the student's grades are in the gradebook) holds what
optgrade did: the submission's digest, the status, notes and seconds.

The lock is a ``fcntl.flock`` on ``Course.lock_file``. Why the standard library's flock and not a
package (``filelock``): the kernel drops the lock when its holder dies, even by SIGKILL, so a crashed
service never leaves a stale lock behind, and on Linux that is all ``filelock`` would do here.
``optgrade serve`` holds the writer lock for one student's commit; a batch ``optgrade autograde`` for
its whole run; ``hold_service`` keeps a second service off the same assignment.

nbgrader and SQLAlchemy are imported where used: the command line imports this module for its errors.
"""

import contextlib
import fcntl
import json
import os
import warnings

from .layout import COURSE_ID


def db_url(course):
    """The course's gradebook URL: the build's ``--db-url``, else SQLite in the course folder."""
    return course.settings.get("db_url") or f"sqlite:///{course.path('gradebook.db')}"


def records(course, assignment):
    """{student: grading record} of an assignment."""
    folder = course.graded_records(assignment)
    return {path.stem: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))}


def write_record(course, assignment, student, record):
    """Write a student's grading record (once their grades are in the gradebook); returns it."""
    path = course.graded_record(assignment, student)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n")
    return record


def to_grade(grade):
    """Still to grade by hand: nbgrader's mark, unless a manual score is in (the formgrader clears the mark too)."""
    return bool(grade.needs_manual_grade) and grade.manual_score is None


@contextlib.contextmanager
def no_autoflush_noise():
    """Silence nbgrader's own SQLAlchemy autoflush warnings when it creates a submission (not ours to fix)."""
    from sqlalchemy.exc import SAWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        yield


def zero_submission(course, assignment, student):
    """An empty submission: the student gets every grade cell at 0 without running anything."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url(course), COURSE_ID) as gradebook, no_autoflush_noise():
        gradebook.update_or_create_student(student)
        submission = gradebook.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = False
        gradebook.db.commit()


def _open_lock(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)


@contextlib.contextmanager
def gradebook_writer(course, progress=None):
    """Hold the course's gradebook-writer lock for the block, waiting for it (saying so once to ``progress``)."""
    fd = _open_lock(course.lock_file("gradebook"))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if progress is not None:
                progress("waiting for the gradebook: optgrade serve is committing a student's grades")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


class AlreadyRunning(RuntimeError):
    """Another ``optgrade serve`` already serves this course's assignment."""


def hold_service(course, assignment):
    """Take the one-service-per-assignment lock for this process's lifetime; returns its fd (keep it open)."""
    fd = _open_lock(course.lock_file(f"serve-{assignment}"))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise AlreadyRunning(f"optgrade serve is already running for {assignment!r} in {course.root}") from None
    return fd
