"""``optgrade release``: generate the student version of an assignment, zip it, and check it for leaks."""

import shutil

from . import leaks
from .layout import GradingError


def release(course, assignment):
    """nbgrader generate_assignment into release/<assignment>/ and release/<assignment>.zip.

    Returns the zip's path; raises GradingError naming every leaking file.
    """
    if not course.source(assignment).is_dir():
        raise GradingError(f"no source/{assignment} in {course.root}: run `optgrade build` first")
    course.nbgrader("generate_assignment", assignment, "--force", log_name="release")
    folder = course.release(assignment)
    archive = shutil.make_archive(str(folder), "zip", root_dir=folder.parent, base_dir=assignment)
    findings = leaks.check(folder) + leaks.check(archive)
    if findings:
        raise GradingError("the release leaks instructor material:\n  " + "\n  ".join(findings))
    return folder.with_suffix(".zip")
