"""One submission through grading, for the batch ``autograde`` and for ``optgrade serve`` alike.

``job`` (the plain-data grading job of one student), ``commit`` (its verdicts into the gradebook by
nbgrader's autograde, then optgrade's record), ``ungradable`` (no notebook or an unreadable archive:
zeros without a sandbox), ``feedback_for`` (nbgrader's feedback in a pool process; ``start_pages`` splits
one student's by notebook), ``no_feedback_page`` (the page saying why when nothing was graded),
``stamp_feedback`` (what ``refresh`` compares against), and ``Nbgrader``: nbgrader's own API in this
process with the course's config.
"""

import glob
import hashlib
import html
import json
import shutil
import time

from nbgrader.api import Gradebook

from ..runner import jobs
from ..sandbox import bwrap
from . import late, submissions, verdicts
from .gradebook import db_url, no_autoflush_noise, records, to_grade, write_record, zero_submission
from .layout import COURSE_ID, Course, GradingError


class Nbgrader:
    """nbgrader's own API in this process, with the course's config: no interpreter start per student."""

    def __init__(self, course, execute=False, exchange=None, notebook=None, other_files=True):
        from nbgrader.apps.api import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory
        from traitlets.config.loader import PyFileConfigLoader

        self.course = course
        self.config = PyFileConfigLoader("nbgrader_config.py", path=str(course.root)).load_config()
        if notebook is not None:  # that notebook of the assignment only (a name from the instructor's release)
            self.config.CourseDirectory.notebook_id = glob.escape(notebook)
        if not other_files:  # nbgrader copies a submission's other files with each run: not with this one
            self.config.CourseDirectory.ignore = ["*"]
        if exchange is not None:  # the exchange's root folder, instead of the config's c.Exchange.root
            self.config.Exchange.root = str(exchange)
        if execute:  # re-run the notebooks' other cells in a sandboxed kernel first; the verdicts stay the same
            from .plugins.cells import SanitizeExecuted
            from .plugins.execute import SandboxedExecute

            self.config.Autograde.autograde_preprocessors = [  # fresh outputs are the student's code's: clean again
                SandboxedExecute,
                SanitizeExecuted,
                *self.config.Autograde.autograde_preprocessors,
            ]
            self.config.TrustedVerdicts.executed = True
        late.configure(self.config, course.settings)  # the late policy and extensions, as the config file says
        self.api = NbGraderAPI(coursedir=CourseDirectory(config=self.config), config=self.config)

    def logged(self, name, result):
        """Append an nbgrader API call's log to the course's ``name`` log; True if the call succeeded."""
        with self.course.log(name).open("a") as log:
            log.write(result.get("log", "") + (result.get("error") or ""))
        return bool(result.get("success"))

    def autograde(self, assignment, student):
        with no_autoflush_noise():
            return self.logged("autograde", self.api.autograde(assignment, student, force=True, create=True))

    def generate_feedback(self, assignment, student):
        return self.logged("feedback", self.api.generate_feedback(assignment, student, force=True))

    def export(self, path):
        from .gradefiles import GradesCsv  # nbgrader's columns, written as CSV (a comma in a name stays one cell)

        plugin = GradesCsv(config=self.config)
        plugin.to = str(path)
        with Gradebook(db_url(self.course), COURSE_ID) as gradebook:
            plugin.export(gradebook)


def job(course, assignment, student, tests, options):
    """The grading job of one submitted student (see ``runner.jobs``): files, tests of their notebooks, options."""
    submitted = course.submitted(student, assignment)
    present = {path.stem for path in submitted.glob("*.ipynb")}
    return {
        "student": student,
        "assignment": assignment,
        "files": jobs.read_files(submitted),
        "tests": [test for test in tests if test["notebook"] in present],
        "limits": options["limits"],
        "sandbox": options["sandbox"],
        "accept_reference": options["accept_reference"],
        "queued": round(time.time(), 3),  # stage times, as PrairieLearn's external grader keeps them
    }


def commit(nbgrader, assignment, student, result, notes, digest):
    """Store a student's verdicts and let nbgrader write them into the gradebook (the parent only)."""
    course = nbgrader.course
    if "error" in result:
        status, notes = "failed", [*notes, f"not graded: {result['error']}"]
    else:
        verdicts.write(course, assignment, result)
        status = "graded" if nbgrader.autograde(assignment, student) else "failed"
        notes = [*notes, *result["notes"]]
    seconds = result.get("seconds", 0)
    stages = result.get("stages", {}) | {"committed": round(time.time(), 3)}  # queued, started, graded: the job's
    record = {"fingerprint": digest, "status": status, "notes": notes, "seconds": seconds, "stages": stages}
    return write_record(course, assignment, student, record)


def sandbox_or_refuse(unsafe_no_sandbox):
    """True to sandbox; raise GradingError when the sandbox is missing and the instructor did not opt out."""
    if unsafe_no_sandbox:
        return False
    reason = bwrap.check()
    if reason:
        raise GradingError(
            f"refusing to grade: {reason}. Student code would run with your privileges, next to the hidden "
            "tests, the reference and the gradebook. Install bubblewrap (sh scripts/install-system-packages), "
            "or pass --unsafe-no-sandbox to grade without it (see docs/instructor.md, threat model)"
        )
    return True


def grading_options(course, unsafe_no_sandbox=False, limits=None):
    """The grading jobs' sandbox switch, limits (the course's, then ``limits``' non-None values) and reference rule."""
    return {
        "sandbox": sandbox_or_refuse(unsafe_no_sandbox),
        "limits": jobs.limits(
            {
                "memory_mb": course.settings.get("memory_mb"),
                "test_timeout": course.settings.get("timeout"),
                "grader_memory_mb": course.settings.get("grader_memory_mb"),
            }
            | {key: value for key, value in (limits or {}).items() if value is not None}
        ),
        "accept_reference": bool(course.settings.get("accept_reference")),
    }


def ungradable(course, assignment, student, notes, digest):
    """A submission with no notebook or an unreadable archive: zero grades and a record. Its status, else None."""
    unreadable = submissions.unreadable(course, student, assignment)
    if any(course.submitted(student, assignment).glob("*.ipynb")) and not unreadable:
        return None
    zero_submission(course, assignment, student)
    status, note = ("unreadable", unreadable) if unreadable else ("empty", "no notebook submitted")
    write_record(
        course, assignment, student, {"fingerprint": digest, "status": status, "notes": [*notes, note], "seconds": 0}
    )
    return status


def warm_feedback():
    """Import nbgrader's feedback path (nbconvert's HTML exporter) in a feedback process before its first student."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.apps.api import NbGraderAPI

    return HTMLExporter, NbGraderAPI


def feedback_for(root, assignment, student, notebook=None, other_files=True):
    """nbgrader feedback of one student (run in a pool process: feedback only reads the gradebook).

    With ``notebook``, the page of that notebook alone, in a feedback folder ``start_pages`` emptied, and the
    submission's other files copied there only if ``other_files``.
    """
    course = Course(root)
    feedback = course.feedback(student, assignment)
    if notebook is None and feedback.exists():
        shutil.rmtree(feedback)
    if any(course.autograded(student, assignment).glob("*.ipynb")):
        Nbgrader(course, notebook=notebook, other_files=other_files).generate_feedback(assignment, student)
    return student


def start_feedback(pool, course, assignment, student):
    """``feedback_for`` of one student in a feedback pool (``runner.pool.LocalExecutor``); the future knows them."""
    future = pool.submit(feedback_for, course.root, assignment, student)
    future.student = student
    return future


def start_pages(pool, course, assignment, student):
    """One student's feedback as one ``feedback_for`` per notebook, so the pool's processes share it; the futures.

    For ``optgrade serve``, where one student waits for their pages: splitting costs 3 % more CPU and the
    pages come in about half the time when both processes are free. The folder is emptied here, before any
    part starts, and the first part alone copies the submission's other files.
    """
    feedback = course.feedback(student, assignment)
    shutil.rmtree(feedback, ignore_errors=True)
    notebooks = sorted(path.stem for path in course.autograded(student, assignment).glob("*.ipynb"))
    if not notebooks:
        return [start_feedback(pool, course, assignment, student)]
    feedback.mkdir(parents=True)
    futures = []
    for index, notebook in enumerate(notebooks):
        futures.append(pool.submit(feedback_for, course.root, assignment, student, notebook, index == 0))
        futures[-1].student = student
    return futures


def feedback_result(course, future):
    """The student whose feedback the future made; a feedback that crashed is logged, never fatal to the run."""
    student = future.student
    try:
        future.result()
    except Exception as error:  # a grader bug on one student's pages: the others and grades.csv go on
        with course.log("feedback").open("a") as log:
            log.write(f"feedback for {student} failed: {type(error).__name__}: {error}\n")
    return student


def no_feedback_page(course, assignment, student):
    """A student without graded notebooks gets a feedback page saying why every grade is 0."""
    feedback = course.feedback(student, assignment)
    if any(feedback.glob("*.html")):
        return
    record = records(course, assignment).get(student, {})
    feedback.mkdir(parents=True, exist_ok=True)
    reasons = "".join(f"<li>{html.escape(note)}</li>" for note in record.get("notes", []))
    (feedback / "feedback.html").write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(assignment)}</title></head>"
        f"<body><h1>{html.escape(assignment)}: no graded notebook</h1><p>Every grade is 0.</p>"
        f"<ul>{reasons}</ul></body></html>\n"
    )


def _feedback_states(course, assignment):
    """{student: digest of what their feedback shows of the gradebook: every score, pending mark and comment}."""
    states = {}
    with Gradebook(db_url(course), COURSE_ID) as gradebook:
        for submission in gradebook.assignment_submissions(assignment):
            rows = []
            for notebook in submission.notebooks:
                rows += [[notebook.name, g.name, g.score, to_grade(g)] for g in notebook.grades]
                rows += [[notebook.name, c.name, c.comment] for c in notebook.comments]
            digest = hashlib.sha256(json.dumps(sorted(rows, key=str)).encode()).hexdigest()
            states[submission.student_id] = digest
    return states


def stamp_feedback(course, assignment, students):
    """Note the gradebook state the students' feedback pages were just made from (``stale_feedback`` compares)."""
    states = _feedback_states(course, assignment) if students else {}
    for student in students:
        path = course.feedback_stamp(assignment, student)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"gradebook": states.get(student)}) + "\n")


def stale_feedback(course, assignment):
    """Students graded by optgrade whose feedback no longer shows their gradebook rows (hand grades, comments)."""
    graded = records(course, assignment)
    stale = []
    for student, state in sorted(_feedback_states(course, assignment).items()):
        path = course.feedback_stamp(assignment, student)
        stamp = json.loads(path.read_text()).get("gradebook") if path.is_file() else None
        if student in graded and stamp != state:
            stale.append(student)
    return stale


def refresh(course, assignment, workers=None):
    """Regenerate the stale feedback pages and export grades.csv again; returns the students refreshed."""
    from ..runner.pool import LocalExecutor, default_workers

    stale = stale_feedback(course, assignment)
    done = []
    if stale:
        with LocalExecutor(min(workers or default_workers(), len(stale)), warm=warm_feedback) as pool:
            futures = [start_feedback(pool, course, assignment, student) for student in stale]
            for future in futures:
                no_feedback_page(course, assignment, feedback_result(course, future))
                if future.exception() is None:
                    done.append(future.student)
        stamp_feedback(course, assignment, done)
    Nbgrader(course).export(course.path("grades.csv"))
    return done
