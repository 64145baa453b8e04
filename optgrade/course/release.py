"""``optgrade release``: generate the student version of an assignment, zip it, check it for leaks, and (with an
exchange) release it to nbgrader's exchange for students to fetch."""

import os
import shutil
import stat
from pathlib import Path

from . import leaks
from .layout import COURSE_ID, GradingError


def release(course, assignment):
    """nbgrader generate_assignment into release/<assignment>/ and release/<assignment>.zip.

    Returns the zip's path; raises GradingError naming every leaking file.
    """
    if not course.source(assignment).is_dir():
        raise GradingError(f"no source/{assignment} in {course.root}: run `optgrade build` first")
    course.nbgrader("generate_assignment", assignment, "--force", log_name="release")
    folder = course.release(assignment)
    archive = shutil.make_archive(str(folder), "zip", root_dir=folder.parent, base_dir=assignment)
    audited = {}  # the folder's fingerprints file and the zip's copy of it: audited once
    findings = leaks.check(folder, audited=audited) + leaks.check(archive, audited=audited)
    if findings:
        raise GradingError("the release leaks instructor material:\n  " + "\n  ".join(findings))
    return folder.with_suffix(".zip")


def create_exchange(root):
    """Create nbgrader's exchange root as nbgrader documents it: mode 0777, so every account can make its course folder
    there (nbgrader's release_assignment then makes <course_id>/outbound 0755 and inbound 2733, the instructor's).

    Run it as root (optgrade hub does) when the parent is not writable by the instructor. Returns the Path.
    """
    root = Path(root)
    if not root.is_dir():
        root.mkdir(parents=True)
    if stat.S_IMODE(root.stat().st_mode) != 0o777 and root.stat().st_uid == os.geteuid():
        root.chmod(0o777)  # mkdir's mode is cut by the umask
    return root


def release_to_exchange(course, assignment, exchange):
    """nbgrader release_assignment of release/<assignment> to the exchange (replacing an earlier release)."""
    exchange = Path(exchange)
    if not exchange.is_dir():
        raise GradingError(f"no exchange folder {exchange}: `optgrade hub` creates it, or mkdir it with mode 0777")
    course.nbgrader("release_assignment", assignment, "--force", f"--Exchange.root={exchange}", log_name="release")
    return exchange / COURSE_ID / "outbound" / assignment
