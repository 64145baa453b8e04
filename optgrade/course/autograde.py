"""``optgrade autograde``: decide every submission's hidden tests in the sandbox, then grades, feedback, grades.csv.

For each student (``workers`` at a time, or on a Dask cluster with
``cluster``) a trusted process runs ``grading.jobs.grade_job``: the student's
code runs only in a bubblewrap sandbox, the verdicts are decided outside it
from plain data. The parent alone then writes the gradebook, one student at
a time: it stores the verdicts (``verdicts``) and runs ``nbgrader autograde
--student``, whose ``TrustedVerdicts`` preprocessor writes them into the
grade cells instead of re-running the notebooks. A record in
.optgrade/graded/<assignment>/<student>.json (written only once the student's
grades are in the gradebook) holds a fingerprint of the submission: a rerun
after an interruption skips recorded students whose submission has not
changed and regrades the others in place (nbgrader updates grades, never adds
them twice). Students' mistakes never make this command fail; a submission
the grader could not read (a damaged archive) or grade does, after the others
are graded.
"""

import contextlib
import html
import json
import shutil
import sys
import warnings

import tqdm
from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning

from ..grading import jobs
from ..grading.pool import LocalExecutor
from ..sandbox import bwrap
from ..serve.lock import gradebook_writer
from . import feedback_math, imports, late, roster, submissions, verdicts
from .layout import COURSE_ID, GradingError


def db_url(course):
    return course.settings.get("db_url") or f"sqlite:///{course.path('gradebook.db')}"


def _record_path(course, assignment, student):
    return course.path(".optgrade", "graded", assignment, f"{student}.json")


def records(course, assignment):
    """{student: grading record} of an assignment."""
    folder = course.path(".optgrade", "graded", assignment)
    return {path.stem: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))}


@contextlib.contextmanager
def _no_autoflush_noise():
    """Silence nbgrader's own SQLAlchemy autoflush warnings when it creates a submission (not ours to fix)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        yield


def _zero_submission(course, assignment, student):
    """An empty submission: the student gets every grade cell at 0 without running anything."""
    with Gradebook(db_url(course), COURSE_ID) as gradebook, _no_autoflush_noise():
        gradebook.update_or_create_student(student)
        submission = gradebook.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = False
        gradebook.db.commit()


class Nbgrader:
    """nbgrader's own API in this process, with the course's config: no interpreter start per student."""

    def __init__(self, course, execute=False, exchange=None):
        from nbgrader.apps.api import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory
        from traitlets.config.loader import PyFileConfigLoader

        self.course = course
        self.config = PyFileConfigLoader("nbgrader_config.py", path=str(course.root)).load_config()
        if exchange is not None:  # the exchange's root folder, instead of the config's c.Exchange.root
            self.config.Exchange.root = str(exchange)
        if execute:  # re-run the notebooks' other cells in a sandboxed kernel first; the verdicts stay the same
            from .execute import SandboxedExecute
            from .sanitize import SanitizeExecuted

            self.config.Autograde.autograde_preprocessors = [  # fresh outputs are the student's code's: clean again
                SandboxedExecute,
                SanitizeExecuted,
                *self.config.Autograde.autograde_preprocessors,
            ]
            self.config.TrustedVerdicts.executed = True
        late.configure(self.config, course.settings)  # the late policy and extensions, as the config file says
        from .report import FeedbackGrades  # report imports this module

        # feedback: "to be graded by hand" for a written answer without a manual score (never 0), each failure once
        self.config.GenerateFeedback.preprocessors = [*self.config.GenerateFeedback.preprocessors, FeedbackGrades]
        self.api = NbGraderAPI(coursedir=CourseDirectory(config=self.config), config=self.config)

    def _logged(self, name, result):
        with self.course.log(name).open("a") as log:
            log.write(result.get("log", "") + (result.get("error") or ""))
        return bool(result.get("success"))

    def autograde(self, assignment, student):
        with _no_autoflush_noise():
            return self._logged("autograde", self.api.autograde(assignment, student, force=True, create=True))

    def generate_feedback(self, assignment, student):
        return self._logged("feedback", self.api.generate_feedback(assignment, student, force=True))

    def export(self, path):
        from .gradefiles import GradesCsv  # nbgrader's columns, written as CSV (a comma in a name stays one cell)

        plugin = GradesCsv(config=self.config)
        plugin.to = str(path)
        with Gradebook(db_url(self.course), COURSE_ID) as gradebook:
            plugin.export(gradebook)


def _job(course, assignment, student, tests, options):
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
    }


def _write_record(course, assignment, student, record):
    path = _record_path(course, assignment, student)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n")
    return record


def _commit(nbgrader, assignment, student, result, notes, digest):
    """Store a student's verdicts and let nbgrader write them into the gradebook (the parent only)."""
    course = nbgrader.course
    if "error" in result:
        status, notes = "failed", [*notes, f"not graded: {result['error']}"]
    else:
        verdicts.write(course, assignment, result)
        status = "graded" if nbgrader.autograde(assignment, student) else "failed"
        notes = [*notes, *result["notes"]]
    seconds = result.get("seconds", 0)
    record = {"fingerprint": digest, "status": status, "notes": notes, "seconds": seconds}
    return _write_record(course, assignment, student, record)


def _pending(course, assignment, students, force):
    """(student, preflight notes, fingerprint) of the students to grade now; the others keep their record."""
    pending = []
    for student in students:
        notes = submissions.preflight(course, student, assignment)
        digest = submissions.fingerprint(course.submitted(student, assignment))
        path = _record_path(course, assignment, student)
        if path.exists() and not force:
            record = json.loads(path.read_text())
            if record["fingerprint"] == digest and record["status"] not in ("failed", "unreadable"):
                continue
        path.unlink(missing_ok=True)
        pending.append((student, notes, digest))
    return pending


def _executor(workers, cluster):
    if cluster:
        from ..grading.cluster import ClusterExecutor

        return ClusterExecutor(cluster)
    return LocalExecutor(workers)


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


def warm_feedback():
    """Import nbgrader's feedback path (nbconvert's HTML exporter) in a feedback process before its first student."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.apps.api import NbGraderAPI

    return HTMLExporter, NbGraderAPI


def feedback_for(root, assignment, student):
    """nbgrader feedback of one student (run in a pool process: feedback only reads the gradebook)."""
    from .layout import Course

    course = Course(root)
    feedback = course.feedback(student, assignment)
    if feedback.exists():
        shutil.rmtree(feedback)
    if any(course.autograded(student, assignment).glob("*.ipynb")):
        Nbgrader(course).generate_feedback(assignment, student)
    return student


def _feedback(pool, course, assignment, student):
    future = pool.pool.submit(feedback_for, course.root, assignment, student)
    future.student = student
    return future


def _feedback_result(course, future):
    """The student whose feedback the future made; a feedback that crashed is logged, never fatal to the run."""
    student = future.student
    try:
        future.result()
    except Exception as error:  # a grader bug on one student's pages: the others and grades.csv go on
        with course.log("feedback").open("a") as log:
            log.write(f"feedback for {student} failed: {type(error).__name__}: {error}\n")
    return student


def _no_feedback_page(course, assignment, student):
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
    _zero_submission(course, assignment, student)
    status, note = ("unreadable", unreadable) if unreadable else ("empty", "no notebook submitted")
    _write_record(
        course, assignment, student, {"fingerprint": digest, "status": status, "notes": [*notes, note], "seconds": 0}
    )
    return status


def autograde(
    course,
    assignment,
    incoming=None,
    force=False,
    progress=print,
    workers=None,
    execute=False,
    unsafe_no_sandbox=False,
    cluster=None,
    limits=None,
    tally=None,
):
    """Import (optional), grade every submitted student, generate feedback, export grades.csv. Returns records.

    ``tally`` (a dict, if given) gets the students of this run by outcome: "graded", "skipped" (already
    graded, submission unchanged), "empty", "unreadable" (an archive that could not be read), "failed".
    """
    tally = {} if tally is None else tally
    if not course.release(assignment).is_dir():
        raise GradingError(f"assignment {assignment!r} is not released yet: run `optgrade release` first")
    options = grading_options(course, unsafe_no_sandbox, limits)
    with gradebook_writer(course, progress):  # `optgrade serve` commits between students, never during this run
        return _autograde(course, assignment, incoming, force, progress, workers, execute, cluster, options, tally)


def _autograde(course, assignment, incoming, force, progress, workers, execute, cluster, options, tally):
    if incoming is not None:
        skipped = []
        submissions.import_submissions(course, incoming, assignment, skipped)  # an unreadable archive: said below
        for line in skipped:
            progress(line)
    for line in roster.sync(course, assignment, db_url(course)):  # names and emails into the gradebook
        progress(line)
    students = sorted(p.parent.name for p in course.path("submitted").glob(f"*/{assignment}") if p.is_dir())
    pending = _pending(course, assignment, students, force)
    tally.update(graded=[], empty=[], unreadable=[], failed=[])
    tally["skipped"] = sorted(set(students) - {student for student, _, _ in pending})
    if tally["skipped"]:
        skipped = f"{len(tally['skipped'])} student{'s' if len(tally['skipped']) != 1 else ''}"
        progress(f"skipped {skipped} (already graded): submissions unchanged, --force regrades them")
    if not pending:  # nothing to grade: no grading or feedback processes to start (seconds each)
        Nbgrader(course).export(course.path("grades.csv"))
        _raise_for_problems(course, assignment)
        return records(course, assignment)
    tests = jobs.tests_of(course.source(assignment))
    nbgrader = Nbgrader(course, execute=execute)
    bar = tqdm.tqdm(total=len(pending), unit="student", desc="grading", disable=not sys.stderr.isatty())
    say = bar.write if not bar.disable else progress
    waiting, empty = {}, []
    for student, notes, digest in pending:
        status = ungradable(course, assignment, student, notes, digest)
        if status is None:
            waiting[student] = (notes, digest)
            continue
        empty.append(student)
        tally[status].append(student)
        note = submissions.unreadable(course, student, assignment)
        say(f"{student}: {status}" + (f": {note}" if note else ""))
        bar.update()
    # feedback of committed students, alongside the grading; its processes start (and import) meanwhile
    feedback = LocalExecutor(workers, warm=warm_feedback).start()
    maths = sorted(feedback_math.source_expressions(course.source(assignment)))
    for part in range(feedback.workers):  # the instructor's maths drawn once for every feedback page to come
        feedback.pool.submit(feedback_math.prerender, maths[part :: feedback.workers], course.path(".optgrade", "math"))
    done = [_feedback(feedback, course, assignment, student) for student in empty]
    if waiting:
        with _executor(workers, cluster) as executor:
            job_list = (_job(course, assignment, student, tests, options) for student in list(waiting))
            for result in executor.map_unordered(jobs.grade_job, job_list):
                notes, digest = waiting.pop(result["student"], (None, None))
                if digest is None:
                    continue  # a result for a student already committed (a retried job): never counted twice
                record = _commit(nbgrader, assignment, result["student"], result, notes, digest)
                done.append(_feedback(feedback, course, assignment, result["student"]))
                tally[record["status"]].append(result["student"])
                say(f"{result['student']}: {record['status']}" + "".join(f"; {note}" for note in notes))
                bar.update()
    bar.close()
    with feedback:
        for future in done:
            _no_feedback_page(course, assignment, _feedback_result(course, future))
    from .report import stamp_feedback  # report imports this module

    stamp_feedback(course, assignment, [future.student for future in done if future.exception() is None])
    nbgrader.export(course.path("grades.csv"))
    _raise_for_problems(course, assignment)
    return records(course, assignment)


def _raise_for_problems(course, assignment):
    """After everyone else is graded: fail naming each submission that could not be read or graded."""
    graded = records(course, assignment)
    problems = []
    unreadable = [
        f"{student}: {record['notes'][-1]}" for student, record in graded.items() if record["status"] == "unreadable"
    ]
    if unreadable:
        problems.append(f"could not read {'; '.join(unreadable)} (ask for a new archive and import it again)")
    failed = [student for student, record in graded.items() if record["status"] == "failed"]
    if failed:
        problems.append(f"could not grade {', '.join(failed)}; see {course.log('autograde')}")
    skipped = imports.load(course, assignment)["problems"]  # entries of the last import left out, with the reason
    if skipped:
        problems.append(f"not imported: {'; '.join(skipped)}")
    if problems:
        raise GradingError("; ".join(problems))
