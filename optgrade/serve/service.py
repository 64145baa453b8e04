"""The service loop: each new submission in the exchange collected, graded, committed, its feedback released.

One process, the only writer of the gradebook: it polls the exchange's inbound folder every ``poll``
seconds (``inbound.latest``), collects a student's submission with nbgrader's collect
(``collect.collect``), and hands the sandboxed hidden tests to warm grading processes
(``runner.pool.LocalExecutor`` running ``runner.jobs.grade_job``, as ``optgrade autograde`` does).
Each result is committed under the gradebook lock by ``course.pipeline.commit``, as the batch autograde
does (trusted verdicts, then ``nbgrader autograde`` of that student, then optgrade's record); the student's
feedback is made by ``pipeline.feedback_for`` in a second warm pool, a notebook a part (``pipeline.start_pages``),
and released with nbgrader's ``release_feedback`` for that student alone once every part is done. A student is
in at most one of these steps at a time; a newer submission arriving meanwhile is collected once the earlier
one is released.

Why polling and not inotify (``watchdog``, ``inotify_simple``): inotify does not see files written
by another machine on NFS, which is where the exchange of a JupyterHub on Kubernetes lives. A look at
inbound costs 4.4 ms for 300 folders (a stat, an owner check and a completeness check each; 30 ms before
``inbound.parse`` kept each name's parse), so polling every quarter second (the default) takes 1.8 % of a
core at that size, adds at most 0.25 s to the feedback time (0.125 s on average) and needs no dependency.
"""

import concurrent.futures
import os
import shutil
import signal
import threading
import time

from ..course import feedback_math, pipeline, submissions
from ..course.gradebook import gradebook_writer, hold_service
from ..course.layout import COURSE_ID, GradingError
from ..runner import jobs
from ..runner import pool as grading_pool
from ..runner.pool import BrokenProcessPool, LocalExecutor, failure, run_limited
from . import inbound, state
from .collect import collect

MAX_ERRORS = 20  # the latest errors kept in the status


class Service:
    """``optgrade serve`` for one assignment of a course (see the module docstring); ``run()`` until stopped."""

    def __init__(
        self, course, assignment, exchange=None, workers=None, poll=0.25, unsafe_no_sandbox=False, limits=None
    ):
        self.course, self.assignment, self.poll = course, assignment, float(poll)
        self.workers = workers
        self.options = pipeline.grading_options(course, unsafe_no_sandbox, limits)
        self.nbgrader = pipeline.Nbgrader(course, exchange=exchange)
        self.exchange = self.nbgrader.config.Exchange.get("root")
        if not self.exchange:
            raise GradingError(
                "no exchange: pass --exchange DIR, or build the course with `optgrade build --exchange DIR`"
            )
        self.stop, self.stopped_by = threading.Event(), None
        self.seen = {}  # student: the inbound folder last dealt with (done, or failed with an error)
        self.refused = set()  # inbound folders written by another account than the student they name
        self.queue = {}  # student: (Submission, its next step), waiting for a grading process
        self.grading = {}  # future: (student, job, notes, digest, timing)
        self.suspects = []  # jobs in flight when a grading process died: each run again alone
        self.feedback = {}  # future: (student, submission, the student's futures, digest, timing), a notebook each
        self.status = {"pid": os.getpid(), "started": time.time(), "graded": 0, "last_graded": None, "errors": []}

    # ---- the loop

    def run(self):
        """Serve until ``stop`` is set (SIGTERM and SIGINT set it); returns 0."""
        lock = hold_service(self.course, self.assignment)
        tests = jobs.tests_of(self.course.source(self.assignment))
        self.grader = LocalExecutor(self.workers, warm=grading_pool.warm).start()
        self.feedback_pool = self._feedback_pool()
        self.tests = tests
        # one no-op per process, queued behind the processes' start-up (imports, hidden tests' data, maths drawn)
        self.warming = [pool.submit(grading_pool.nothing) for pool in (self.grader, self.feedback_pool)]
        try:
            while not self.stop.is_set():
                self._scan()
                self._start()
                self._wait()
                self._write_status("paused" if state.paused(self.course, self.assignment) else "running")
        finally:
            self._write_status("stopped")
            self.grader.stop()  # jobs in flight end here; the next start grades those students again
            self.feedback_pool.stop()
            os.close(lock)
        return 0

    def stop_on_signals(self):
        """SIGTERM and SIGINT end ``run()`` after the step in hand; ``stopped_by`` then names the signal."""

        def stop(number, frame):
            self.stopped_by = signal.Signals(number).name
            self.stop.set()

        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, stop)

    def _feedback_pool(self):
        pool = LocalExecutor(self.workers, warm=pipeline.warm_feedback).start()
        maths = sorted(feedback_math.source_expressions(self.course.source(self.assignment)))
        for part in range(pool.workers):  # the instructor's maths drawn once for every page to come
            pool.submit(feedback_math.prerender, maths[part :: pool.workers], self.course.maths)
        return pool

    def _busy(self):
        return {student for student, *_ in self.grading.values()} | {s for s, *_ in self.feedback.values()}

    def _scan(self):
        """Queue each student whose latest complete submission is not dealt with yet (state derived, not trusted)."""
        if state.paused(self.course, self.assignment):
            return
        busy = self._busy() | {job["student"] for job in self.suspects}
        refused = []
        latest = inbound.latest(self.exchange, COURSE_ID, self.assignment, refused)
        for submission, owner in refused:
            if submission.name not in self.refused:
                self.refused.add(submission.name)
                message = f"refused {submission.name}: written by the account {owner}, not by {submission.student}"
                state.journal(self.course, self.assignment, "refused", submission.student, submission.name, owner=owner)
                self._note_error(submission.student, message)
        for student, submission in latest.items():
            if student in busy or student in self.queue or self.seen.get(student) == submission.name:
                continue
            detected = time.time()
            step = state.next_step(self.course, self.assignment, submission)
            if step is None:
                self.seen[student] = submission.name
                continue
            timing = {"submitted": submission.timestamp.timestamp(), "detected": detected}
            self.queue[student] = (submission, step, timing)

    def _start(self):
        """Collect and start grading queued students, oldest submission first, while a grading process is free."""
        if state.paused(self.course, self.assignment):
            return
        for student in sorted(self.queue, key=lambda name: self.queue[name][0].timestamp):
            if len(self.grading) + len(self.suspects) >= self.grader.workers:
                break
            submission, step, timing = self.queue.pop(student)
            try:
                self._begin(submission, step, timing)
            except Exception as error:  # a grader problem with one student (a collect that failed): noted, others go on
                self._error(student, submission.name, f"{type(error).__name__}: {error}")

    def _begin(self, submission, step, timing):
        student = submission.student
        if step == "collect":
            started = time.time()
            previous = state.read_student(self.course, self.assignment, student)
            if previous.get("stage") == "collecting":  # cut off mid-copy: nbgrader would keep the partial copy
                shutil.rmtree(self.course.submitted(student, self.assignment), ignore_errors=True)
            state.write_student(self.course, self.assignment, student, submission=submission.name, stage="collecting")
            if not collect(self.nbgrader, self.assignment, student):
                state.write_student(self.course, self.assignment, student, **previous)
                return  # its latest folder is not complete yet: looked at again at the next poll
            state.write_student(self.course, self.assignment, student, submission=submission.name, stage="collected")
            state.journal(self.course, self.assignment, "collected", student, submission.name)
            timing["collect"] = time.time() - started
            step = "grade"
        if step == "release":
            digest = submissions.fingerprint(self.course.submitted(student, self.assignment))
            self._start_feedback(student, submission.name, digest, timing)
            return
        notes = submissions.preflight(self.course, student, self.assignment)
        digest = submissions.fingerprint(self.course.submitted(student, self.assignment))
        self.course.graded_record(self.assignment, student).unlink(missing_ok=True)
        with gradebook_writer(self.course):
            status = pipeline.ungradable(self.course, self.assignment, student, notes, digest)
        if status is not None:  # no notebook, or an unreadable one only: zero grades, no sandbox needed
            state.journal(self.course, self.assignment, "committed", student, submission.name, status=status)
            self._graded(student, status)
            self._start_feedback(student, submission.name, digest, timing)
            return
        job = pipeline.job(self.course, self.assignment, student, self.tests, self.options)
        timing["queued"] = time.time()
        entry = (student, submission.name, job, notes, digest, timing)
        try:
            self.grading[self.grader.submit(run_limited, jobs.grade_job, job)] = entry
        except BrokenProcessPool:  # a process died meanwhile: this job is run alone, like the ones in flight
            self.suspects.append(entry)

    def _wait(self):
        """Wait up to ``poll`` seconds for a grading or feedback process, and deal with what finished."""
        waiting = [*self.grading, *self.feedback]
        if not waiting:
            self.stop.wait(self.poll)
            return
        done, _ = concurrent.futures.wait(waiting, timeout=self.poll, return_when=concurrent.futures.FIRST_COMPLETED)
        for future in done:
            if future in self.grading:
                entry = self.grading.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:  # this job, or another in flight, killed its process
                    self.suspects.append(entry)
                    continue
                except Exception as error:  # a grader bug on one submission: that student is marked failed
                    result = failure(entry[2], error)
                self._guarded(self._commit, entry[0], entry[1], entry, result)
            else:
                entry = self.feedback.pop(future)
                self._guarded(self._released, entry[0], entry[1], *entry)
        if self.suspects and not self.grading:
            for entry in self.suspects:  # autograde's rule: alone, so a job that kills its process fails alone
                result = next(self.grader.map_unordered(jobs.grade_job, [entry[2]]))
                self._guarded(self._commit, entry[0], entry[1], entry, result)
            self.suspects = []

    def _guarded(self, step, student, name, *args):
        """``step(*args)``; a grader error there is noted for that student and the service goes on with the others."""
        try:
            step(*args)
        except Exception as error:
            self._error(student, name, f"{step.__name__.strip('_')}: {type(error).__name__}: {error}")

    def _commit(self, entry, result):
        student, name, _, notes, digest, timing = entry
        timing["graded"], timing["job"] = time.time(), result.get("seconds", 0)
        timing["started"] = result.get("stages", {}).get("started")  # in the grading process, the sandbox's start
        with gradebook_writer(self.course):
            record = pipeline.commit(self.nbgrader, self.assignment, student, result, notes, digest)
        timing["committed"] = time.time()
        state.journal(self.course, self.assignment, "committed", student, name, status=record["status"])
        self._graded(student, record["status"])
        self._start_feedback(student, name, digest, timing)

    def _graded(self, student, status):
        self.status["graded"] += 1
        self.status["last_graded"] = {"student": student, "status": status, "at": time.time()}

    def _start_feedback(self, student, name, digest, timing):
        try:  # one part a notebook: both processes make this student's pages
            futures = pipeline.start_pages(self.feedback_pool, self.course, self.assignment, student)
        except BrokenProcessPool:  # a feedback process died on an earlier page: a fresh pool
            self.feedback_pool.pool.shutdown(wait=False, cancel_futures=True)
            self.feedback_pool = self._feedback_pool()
            futures = pipeline.start_pages(self.feedback_pool, self.course, self.assignment, student)
        for future in futures:
            self.feedback[future] = (student, name, futures, digest, timing)

    def _released(self, student, name, futures, digest, timing):
        if any(part in self.feedback for part in futures):
            return  # released with the student's last page
        timing["feedback"] = time.time()
        for part in futures:
            pipeline.feedback_result(self.course, part)  # a part that crashed is logged, never fatal
        failed = any(part.cancelled() or part.exception() is not None for part in futures)
        pipeline.no_feedback_page(self.course, self.assignment, student)
        pipeline.stamp_feedback(self.course, self.assignment, [] if failed else [student])
        try:
            release_feedback(self.nbgrader, self.assignment, student)
        except Exception as error:  # the exchange refused (permissions): noted; a restart tries again
            self._error(student, name, f"feedback not released: {type(error).__name__}: {error}")
            return
        timing["released"] = time.time()
        state.write_student(
            self.course, self.assignment, student, submission=name, stage="released", fingerprint=digest
        )
        state.journal(self.course, self.assignment, "released", student, name, timing=timing)
        self.seen[student] = name

    def _error(self, student, name, message):
        state.journal(self.course, self.assignment, "error", student, name, message=message)
        self._note_error(student, message)
        self.seen[student] = name  # not retried in a loop: a restart (or a new submission) tries again

    def _note_error(self, student, message):
        self.status["errors"] = [*self.status["errors"], {"student": student, "message": message, "at": time.time()}]
        self.status["errors"] = self.status["errors"][-MAX_ERRORS:]

    def _write_status(self, now):
        if getattr(self, "warming", None) and all(future.done() for future in self.warming):
            self.status["ready"], self.warming = time.time(), []  # a grading and a feedback process are warm
        queue = sorted(self.queue) + sorted(job[0] for job in self.suspects)
        grading = sorted(entry[0] for entry in self.grading.values())
        feedback = sorted({entry[0] for entry in self.feedback.values()})
        status = {**self.status, "state": now, "queue": queue, "grading": grading, "feedback": feedback}
        if status != getattr(self, "_last_status", None):
            state.write_status(self.course, self.assignment, {**status, "updated": time.time()})
            self._last_status = status


def release_feedback(nbgrader, assignment, student):
    """nbgrader's release_feedback for one student, after making every submitted notebook's page releasable.

    nbgrader names a released page by the hash of the submission's secret and the notebook's name, and
    reads the secret and timestamp next to the pages: a notebook that was not graded (not readable,
    missing) gets the page saying why every grade is 0 under its own name, so the student fetches it too.
    """
    course = nbgrader.course
    feedback, submitted = course.feedback(student, assignment), course.submitted(student, assignment)
    feedback.mkdir(parents=True, exist_ok=True)
    for name in ("timestamp.txt", "submission_secret.txt"):
        if not (feedback / name).is_file() and (submitted / name).is_file():
            shutil.copyfile(submitted / name, feedback / name)
    if not (feedback / "submission_secret.txt").is_file():
        return  # not submitted through the exchange: nothing a student could fetch
    ungraded = feedback / "feedback.html"
    if ungraded.is_file():
        for notebook in course.release(assignment).glob("*.ipynb"):
            shutil.copyfile(ungraded, feedback / f"{notebook.stem}.html")
        ungraded.unlink()
    result = nbgrader.api.release_feedback(assignment, student)
    nbgrader.logged("release_feedback", result)
    if not result.get("success"):
        raise GradingError(f"nbgrader release_feedback failed for {student}; see {course.log('release_feedback')}")
