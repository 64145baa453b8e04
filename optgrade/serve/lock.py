"""The gradebook's one-writer lock: ``optgrade serve`` and the batch ``optgrade autograde`` never write at once.

A ``fcntl.flock`` on course/.optgrade/gradebook.lock. Why the standard library's flock and not a
package (``filelock``): the kernel drops the lock when its holder dies, even by SIGKILL, so a crashed
service never leaves a stale lock behind, and on Linux that is all ``filelock`` would do here.
The service holds it for one student's commit; a batch ``autograde`` for its whole run.
"""

import contextlib
import fcntl
import os


def _lock_file(course, name):
    path = course.path(".optgrade", name)
    path.parent.mkdir(parents=True, exist_ok=True)
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)


@contextlib.contextmanager
def gradebook_writer(course, progress=None):
    """Hold the course's gradebook-writer lock for the block, waiting for it (saying so once to ``progress``)."""
    fd = _lock_file(course, "gradebook.lock")
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
    fd = _lock_file(course, f"serve-{assignment}.lock")
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise AlreadyRunning(f"optgrade serve is already running for {assignment!r} in {course.root}") from None
    return fd
