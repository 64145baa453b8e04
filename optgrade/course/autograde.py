"""``optgrade autograde``: grade every submission, one student at a time, then feedback and grades.csv.

Each student is autograded by its own ``nbgrader autograde --student``
run. A record in .optgrade/graded/<assignment>/<student>.json (written only
once the student's grades are in the gradebook) holds a fingerprint of the
submission: a rerun after an interruption skips recorded students whose
submission has not changed and regrades the others in place (nbgrader
updates grades, never adds them twice). Students' mistakes never make this
command fail; nbgrader failing on a submission does, after the others are graded.
"""

import json
import shutil
import time
import warnings

from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning

from . import submissions
from .layout import COURSE_ID, GradingError


def db_url(course):
    return course.settings.get("db_url") or f"sqlite:///{course.path('gradebook.db')}"


def _record_path(course, assignment, student):
    return course.path(".optgrade", "graded", assignment, f"{student}.json")


def records(course, assignment):
    """{student: grading record} of an assignment."""
    folder = course.path(".optgrade", "graded", assignment)
    return {path.stem: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))}


def _zero_submission(course, assignment, student):
    """An empty submission: the student gets every grade cell at 0 without running anything."""
    with Gradebook(db_url(course), COURSE_ID) as gradebook, warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's own autoflush noise when creating the submission
        gradebook.update_or_create_student(student)
        submission = gradebook.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = False
        gradebook.db.commit()


def grade_student(course, assignment, student, force=False):
    """Autograde one student unless an up-to-date record says it is done. Returns (record, graded now)."""
    path = _record_path(course, assignment, student)
    notes = submissions.preflight(course, student, assignment)
    submitted = course.submitted(student, assignment)
    digest = submissions.fingerprint(submitted)
    if path.exists() and not force:
        record = json.loads(path.read_text())
        if record["fingerprint"] == digest and record["status"] != "failed":
            return record, False
    path.unlink(missing_ok=True)
    started = time.monotonic()
    if not any(submitted.glob("*.ipynb")):
        _zero_submission(course, assignment, student)
        status, notes = "empty", [*notes, "no notebook submitted"]
    else:
        args = ("autograde", assignment, "--student", student, "--force")
        done = course.nbgrader(*args, log_name="autograde", check=False)
        status = "graded" if done.returncode == 0 else "failed"
    record = {"fingerprint": digest, "status": status, "notes": notes, "seconds": round(time.monotonic() - started, 1)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n")
    return record, True


def autograde(course, assignment, incoming=None, force=False, progress=print):
    """Import (optional), grade every submitted student, generate feedback, export grades.csv. Returns records."""
    if not course.release(assignment).is_dir():
        raise GradingError(f"assignment {assignment!r} is not released yet: run `optgrade release` first")
    if incoming is not None:
        for student, note in submissions.import_submissions(course, incoming, assignment).items():
            if note:
                progress(f"{student}: {note}")
    students = sorted(p.parent.name for p in course.path("submitted").glob(f"*/{assignment}") if p.is_dir())
    regraded = []
    for student in students:
        record, graded = grade_student(course, assignment, student, force=force)
        progress(f"{student}: {record['status']}" + ("" if graded else " (already graded)"))
        if graded:
            regraded.append(student)
    for student in regraded:
        feedback = course.feedback(student, assignment)
        if feedback.exists():
            shutil.rmtree(feedback)
    if regraded:
        course.nbgrader("generate_feedback", assignment, log_name="feedback")
    course.nbgrader("export", "--to", str(course.path("grades.csv")), log_name="export")
    failed = [student for student, record in records(course, assignment).items() if record["status"] == "failed"]
    if failed:
        raise GradingError(f"nbgrader could not grade {', '.join(failed)}; see {course.log('autograde')}")
    return records(course, assignment)
