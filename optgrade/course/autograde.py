"""``optgrade autograde``: decide every submission's hidden tests in the sandbox, then grades, feedback, grades.csv.

For each student (``workers`` at a time, or on a Dask cluster with
``cluster``) a trusted process runs ``runner.jobs.grade_job``: the student's
code runs only in a bubblewrap sandbox, the verdicts are decided outside it
from plain data. The parent alone then writes the gradebook, one student at
a time: it stores the verdicts (``verdicts``) and runs ``nbgrader autograde
--student``, whose ``TrustedVerdicts`` preprocessor writes them into the
grade cells instead of re-running the notebooks (one student's steps are
``pipeline``'s, which ``optgrade serve`` shares). A grading record (``gradebook``,
written only once the student's grades are in the gradebook) holds a fingerprint of the submission: a rerun
after an interruption skips recorded students whose submission has not
changed and regrades the others in place (nbgrader updates grades, never adds
them twice). Students' mistakes never make this command fail; a submission
the grader could not read (a damaged archive) or grade does, after the others
are graded.
"""

import json
import sys

import tqdm

from ..interrupts import uninterrupted
from ..runner import jobs
from ..runner.pool import LocalExecutor, default_workers
from . import feedback_math, imports, roster, stand_ins, submissions
from .gradebook import db_url, gradebook_writer, records
from .layout import GradingError
from .pipeline import (
    Nbgrader,
    commit,
    feedback_result,
    grading_options,
    job,
    no_feedback_page,
    stamp_feedback,
    start_feedback,
    ungradable,
    warm_feedback,
)


def _pending(course, assignment, students, force):
    """(student, preflight notes, fingerprint) of the students to grade now; the others keep their record."""
    pending = []
    for student in students:
        notes = submissions.preflight(course, student, assignment)
        digest = submissions.fingerprint(course.submitted(student, assignment))
        path = course.graded_record(assignment, student)
        if path.exists() and not force:
            record = json.loads(path.read_text())
            if record["fingerprint"] == digest and record["status"] not in ("failed", "unreadable"):
                continue
        path.unlink(missing_ok=True)
        pending.append((student, notes, digest))
    return pending


def _students(count):
    return f"{count} student{'s' if count != 1 else ''}"


def counts(tally):
    """This run's students by outcome: 'graded 3 students, 1 of them with a notebook unreadable or not submitted
    (2 skipped: already graded; 1 empty)'."""
    others = [
        f"{len(tally[kind])} {label}"
        for kind, label in (
            ("skipped", "skipped: already graded"),
            ("empty", "empty"),
            ("unreadable", "unreadable"),
            ("failed", "failed"),
        )
        if tally.get(kind)
    ]
    stood = tally.get("stood_in")
    stood = f", {len(stood)} of them with a notebook unreadable or not submitted" if stood else ""
    return f"graded {_students(len(tally.get('graded', [])))}{stood}" + (f" ({'; '.join(others)})" if others else "")


def _executor(workers, cluster):
    if cluster:
        from ..runner.cluster import ClusterExecutor

        return ClusterExecutor(cluster)
    return LocalExecutor(workers)


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
        skipped = _students(len(tally["skipped"]))
        progress(f"skipped {skipped} (already graded): submissions unchanged, --force regrades them")
    # graded by a run stopped before their feedback was made (and stamped): made now
    unstamped = [student for student in tally["skipped"] if not course.feedback_stamp(assignment, student).is_file()]
    if not pending and not unstamped:  # nothing to grade: no grading or feedback processes to start (seconds each)
        with uninterrupted():  # grades.csv whole or not touched
            Nbgrader(course).export(course.path("grades.csv"))
        _raise_for_problems(course, assignment)
        return records(course, assignment)
    tests = jobs.tests_of(course.source(assignment))
    nbgrader = Nbgrader(course, execute=execute)
    bar = tqdm.tqdm(total=len(pending), unit="student", desc="grading", disable=not sys.stderr.isatty())
    say = bar.write if not bar.disable else progress
    waiting, empty = {}, []
    for student, notes, digest in pending:
        with uninterrupted():  # its zero grades and its record, or neither
            status = ungradable(course, assignment, student, notes, digest)
        if status is None:
            waiting[student] = (notes, digest)
            continue
        empty.append(student)
        tally[status].append(student)
        note = submissions.unreadable(course, student, assignment)
        say(f"{student}: {status}" + (f": {note}" if note else ""))
        bar.update()
    # feedback of committed students, alongside the grading; its processes start (and import) meanwhile, no more of
    # them than students to make pages for (each imports nbconvert and nbgrader: about 1.2 s of CPU)
    pages = min(workers or default_workers(), len(pending) + len(unstamped))  # at least 1: returned above if 0
    with LocalExecutor(pages, warm=warm_feedback).start() as feedback:  # interrupted: its processes killed at once
        maths = sorted(feedback_math.source_expressions(course.source(assignment)))
        for part in range(feedback.workers):  # the instructor's maths drawn once for every feedback page to come
            feedback.submit(feedback_math.prerender, maths[part :: feedback.workers], course.maths)
        done = [start_feedback(feedback, course, assignment, student) for student in [*empty, *unstamped]]
        if waiting:
            with _executor(workers, cluster) as executor:
                job_list = (job(course, assignment, student, tests, options) for student in list(waiting))
                for result in executor.map_unordered(jobs.grade_job, job_list):
                    notes, digest = waiting.pop(result["student"], (None, None))
                    if digest is None:
                        continue  # a result for a student already committed (a retried job): never counted twice
                    with uninterrupted():  # the student's grades in the gradebook and their record, or neither
                        record = commit(nbgrader, assignment, result["student"], result, notes, digest)
                        done.append(start_feedback(feedback, course, assignment, result["student"]))
                        tally[record["status"]].append(result["student"])
                    say(f"{result['student']}: {record['status']}" + "".join(f"; {note}" for note in notes))
                    bar.update()
        bar.close()
        for future in done:
            no_feedback_page(course, assignment, feedback_result(course, future))
    tally["stood_in"] = sorted(set(stand_ins.stood_in(course, assignment)) & set(tally["graded"]))
    with uninterrupted():  # the stamps and grades.csv whole, or not touched
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
