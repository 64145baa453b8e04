"""``optgrade serve`` end to end: the real command as a subprocess, on a real built course and nbgrader exchange.

One course (notebook 06, built and released with ``--exchange``) and one exchange serve the whole module;
the students submit with nbgrader's own ``ExchangeSubmit`` (each with their own home folder) and fetch
their feedback with ``ExchangeFetchFeedback``, as the Assignment List does. The tests run in order and
build on each other (the module is one term of a course):

1. arrivals while the service runs are graded and their feedback is fetchable (the latency is measured);
2. ``--pause`` stops collecting, ``--status`` says so, ``--resume`` grades what arrived meanwhile;
3. a resubmission is regraded once and the latest counts (two arriving while paused: only the latest);
4. hostile submissions (the attack fixtures of test_attacks: writing the gradebook, executing the
   reference) score nothing and change nobody else's grades;
5. the service SIGKILLed with one student mid-grade and one mid-feedback, a submission arriving while
   it is down: on restart each is graded exactly once and everyone gets their feedback, and the killed
   run's grading and feedback processes end with it;
6. a submission after the due date is recorded late, with the course's late penalty (none, then zero);
7. the batch ``optgrade autograde`` of the same submissions gives the same scores, cell by cell.
"""

import datetime
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import process_support
import pytest
from attack_helpers import EXEC_REFERENCE, GRADEBOOK, attack_module, paths_config
from course_helpers import NO_FLOOR, cell_grades, fetch_feedback, submit, write_answer
from nbgrader.api import Gradebook
from nbgrader.exchange.abc.exchange import ExchangeError

from optgrade.course.build import write_settings
from optgrade.course.demo import make_student, solved
from optgrade.course.gradebook import db_url
from optgrade.course.layout import COURSE_ID, Course

pytestmark = pytest.mark.slow

PY = sys.executable
ASSIGNMENT = "workbook"
WAIT = 240  # seconds: a safety net for a busy machine (one submission takes a few seconds)
POLL = 0.2  # the service's --poll
SLEEP = 15  # seconds the "sleeper" submission's module sleeps at import: it is mid-grade when the service dies


def cli(*args, timeout=900):
    done = subprocess.run(
        [PY, "-m", "optgrade.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return done.returncode, done.stdout + done.stderr


class Service:
    """One ``optgrade serve`` process of the course; its output in a log file."""

    def __init__(self, world):
        self.world = world
        world.runs += 1
        world.services.append(self)
        self.log = world.tmp / f"serve-{world.runs}.log"
        self.started = time.monotonic()
        with self.log.open("w") as stream:
            self.process = subprocess.Popen(
                [
                    PY,
                    "-m",
                    "optgrade.cli",
                    "serve",
                    "--course",
                    str(world.course.root),
                    "--workers",
                    "2",
                    "--poll",
                    str(POLL),
                ],
                stdout=stream,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: the teardown ends its pools too
            )
        self.ready = self.wait(self._running, "the service to start")

    def _running(self):
        status = self.world.status()
        return status is not None and status["pid"] == self.process.pid and status["state"] in ("running", "paused")

    def wait(self, predicate, what, timeout=WAIT):
        """Seconds until ``predicate()`` holds; fails naming ``what`` (with the log) if it does not in time."""
        deadline = time.monotonic() + timeout
        while True:
            if predicate():
                return time.monotonic() - self.started
            if self.process.poll() is not None:
                pytest.fail(f"optgrade serve exited ({self.process.returncode}) waiting for {what}:\n{self.output()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} after {timeout} s:\n{self.output()}")
            time.sleep(0.05)

    def output(self):
        return self.log.read_text()[-6000:]

    def stop(self):
        """SIGTERM, as systemd or JupyterHub stop a service; the exit code. It must stop within 2 s (scaled by the
        load, as tests/course/test_interrupts.py does), saying so in one line, with no process of its group left."""
        signalled = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=120)
            seconds = time.monotonic() - signalled
            time.sleep(0.5)  # what is left is still there half a second later
            left = self.alive()
        finally:
            self.end()
        self.world.figures.setdefault("stop after SIGTERM (s)", []).append(round(seconds, 2))
        assert seconds < process_support.stop_limit(), f"stopped {seconds:.2f} s after SIGTERM"
        assert left == [], f"processes of the service left: {left}"
        assert "optgrade serve: stopped by SIGTERM" in self.output().splitlines()[-1], self.output()
        return code

    def kill(self):
        """SIGKILL of the service's main process alone: a crash (its grading processes are left to notice)."""
        self.process.kill()
        self.process.wait(timeout=60)

    def alive(self):
        """The command lines of this run's process group still alive (an exited process not yet reaped is not)."""
        return [process.cmdline[:120] for process in process_support.alive() if process.group == self.process.pid]

    def left(self):
        """How many processes of this run's process group are alive (its pools', after a SIGKILL of the service)."""
        return len(self.alive())

    def end(self):
        """Whatever of this run's process group is left (the pools' processes), ended."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if self.process.poll() is None:
            self.process.wait(timeout=60)


class World:
    """The course, the exchange, the students' homes, and what the service wrote."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.exchange = tmp / "exchange"
        self.exchange.mkdir(mode=0o777)
        self.exchange.chmod(0o777)
        self.runs = 0
        self.services = []  # every run, each ended at the module's end
        root = tmp / "course"
        build = ["build", "--course", root, "--exchange", self.exchange, "--accept-reference", "06"]
        for args in (build, ["release", "--course", root]):
            code, output = cli(*args)
            assert code == 0, output
        self.course = Course(root)
        self.release = self.course.release(ASSIGNMENT)
        self.stubs = (self.release / "utils" / "schedules.py").read_text()
        self.submitted = {}  # student: inbound folder names, in the order submitted

    def submit(self, student, modules, answer=True):
        """``student`` edits their copy (``modules``: {module: source}) and submits it; the inbound folder name."""
        home = self.tmp / "homes" / student
        work = home / ASSIGNMENT
        if work.exists():
            shutil.rmtree(work)
        home.mkdir(parents=True, exist_ok=True)
        make_student(self.release, work, modules)
        if answer:
            write_answer(work)
        name, _ = submit(self.exchange, student, home)
        self.submitted.setdefault(student, []).append(name)
        return name

    def fetch(self, student):
        """{timestamp: {notebook: html}} of the feedback ``student`` can fetch from the exchange now."""
        try:
            return fetch_feedback(self.exchange, student, self.tmp / "homes" / student)
        except ExchangeError:  # no feedback in the exchange for anyone yet
            return {}

    def journal(self, event=None, student=None, submission=None):
        path = self.course.path(".optgrade", "serve", ASSIGNMENT, "journal.jsonl")
        lines = [json.loads(line) for line in path.read_text().splitlines()] if path.is_file() else []
        return [
            line
            for line in lines
            if event in (None, line["event"])
            and student in (None, line["student"])
            and submission in (None, line["submission"])
        ]

    def released(self, name):
        return bool(self.journal("released", submission=name))

    def status(self):
        path = self.course.path(".optgrade", "serve", ASSIGNMENT, "status.json")
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return None

    def scores(self, course=None):
        """{student: {grade cell: auto score}} of the autograded cells, from nbgrader's gradebook."""
        return {
            student: {cell: grade.score for cell, grade in grades.items() if grade.cell_type == "code"}
            for student, grades in cell_grades(course or self.course, ASSIGNMENT).items()
        }

    def total(self, student):
        return sum(self.scores()[student].values())


def stamp(name):
    """The timestamp part of an inbound folder name: the folder the student's fetched feedback is in."""
    return name.rsplit("+", 3)[2]


def score_line(page):
    """The notebook's score as its feedback page states it ("Score: 14.0 / 16.0")."""
    start = page.index("Score: ")
    return page[start : page.index(")", start)]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return World(tmp_path_factory.mktemp("serve"))


@pytest.fixture(scope="module")
def service(world):
    """The module's service process (tests that restart it replace ``world.service``)."""
    world.service = Service(world)
    world.figures = {"start-up, status running (s)": world.service.ready}
    yield world
    for run in world.services:
        run.end()
    print("\noptgrade serve figures:", json.dumps(world.figures, indent=1))


GOOD = {"schedules": solved("schedules")}
MISTAKE = {"schedules": solved("schedules", NO_FLOOR)}


def test_submissions_arriving_while_it_runs_are_graded_and_their_feedback_released(service):
    world = service
    started = time.monotonic()
    alice = world.submit("alice", GOOD)
    fetched = {}
    while stamp(alice) not in fetched:  # what the student sees: the feedback page, fetchable
        assert time.monotonic() - started < WAIT, world.service.output()
        time.sleep(0.2)
        fetched = world.fetch("alice")
    world.figures["submit to feedback fetchable, first submission (s)"] = round(time.monotonic() - started, 2)
    ready = world.status()["ready"] - world.status()["started"]
    world.figures["start-up, processes warm (s, from the service's start)"] = round(ready, 2)
    bob = world.submit("bob", MISTAKE)
    started = time.monotonic()
    while stamp(bob) not in world.fetch("bob"):
        assert time.monotonic() - started < WAIT, world.service.output()
        time.sleep(0.2)
    world.figures["submit to feedback fetchable, warm service (s)"] = round(time.monotonic() - started, 2)

    grades = cell_grades(world.course, ASSIGNMENT)["alice"].values()
    full = sum(grade.max_score for grade in grades if grade.cell_type == "code")
    scores = world.scores()
    assert sum(scores["alice"].values()) == full > 0, scores
    assert 0 < sum(scores["bob"].values()) < full, scores
    for student, name in (("alice", alice), ("bob", bob)):
        pages = world.fetch(student)
        assert list(pages) == [stamp(name)], pages.keys()
        page = pages[stamp(name)]["06_learning_rate_decay"]
        assert score_line(page).startswith(f"Score: {sum(scores[student].values())} / "), score_line(page)
        assert len(world.journal("committed", student)) == 1, world.journal(student=student)


def test_pause_stops_collecting_status_says_so_and_resume_grades_what_arrived(service):
    world = service
    code, output = cli("serve", "--course", world.course.root, "--pause")
    assert code == 0 and "paused" in output, output
    carol = world.submit("carol", GOOD)
    time.sleep(10 * POLL + 2)  # many polls: a running service would have collected it by now
    assert not world.journal(student="carol"), world.journal(student="carol")
    assert not world.course.submitted("carol", ASSIGNMENT).exists()
    code, output = cli("serve", "--course", world.course.root, "--status")
    assert code == 0, output
    assert f"running (pid {world.service.process.pid})" in output and "paused" in output, output
    assert "last graded: bob (graded)" in output and "errors: 0" in output, output
    assert "warm: since " in output, output

    code, output = cli("serve", "--course", world.course.root, "--resume")
    assert code == 0 and "resumed" in output, output
    world.service.wait(lambda: world.released(carol), "carol's feedback released")
    assert stamp(carol) in world.fetch("carol")
    code, output = cli("serve", "--course", world.course.root, "--status")
    assert "paused" not in output and "last graded: carol (graded)" in output, output
    assert "queue: empty" in output and "graded since start: 3" in output, output


def test_a_resubmission_is_regraded_once_and_the_latest_counts(service):
    world = service
    before = world.total("alice")
    code, output = cli("serve", "--course", world.course.root, "--pause")
    assert code == 0, output
    untouched = world.submit("alice", {})  # superseded before the service looks: never graded
    latest = world.submit("alice", MISTAKE)
    code, output = cli("serve", "--course", world.course.root, "--resume")
    assert code == 0, output
    world.service.wait(lambda: world.released(latest), "alice's resubmission released")
    assert world.total("alice") == world.total("bob") < before  # the latest counts: the mistake's score
    assert [line["submission"] for line in world.journal("committed", "alice")] == [world.submitted["alice"][0], latest]
    assert not world.journal(submission=untouched)
    pages = world.fetch("alice")
    assert stamp(latest) in pages and stamp(untouched) not in pages, pages.keys()
    new = score_line(pages[stamp(latest)]["06_learning_rate_decay"])
    assert new.startswith(f"Score: {world.total('alice')} / "), new
    with Gradebook(db_url(world.course), COURSE_ID) as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, "alice")
        assert submission.timestamp.strftime("%Y-%m-%d %H:%M:%S.%f") == stamp(latest).removesuffix(" UTC")


def test_hostile_submissions_score_nothing_and_change_no_other_grade(service):
    world = service
    others = world.scores()
    outside = world.tmp / "outside"
    outside.mkdir()
    config = paths_config(world.course, outside)
    attacks = {
        "attack_gradebook": attack_module(world.stubs, config, GRADEBOOK),
        "attack_exec_reference": attack_module(world.stubs, config, EXEC_REFERENCE),
    }
    names = {student: world.submit(student, {"schedules": source}) for student, source in attacks.items()}
    for student, name in names.items():
        world.service.wait(lambda name=name: world.released(name), f"{student}'s feedback released")
    scores = world.scores()
    for student in attacks:
        assert sum(scores[student].values()) == 0, scores[student]
        assert world.journal("committed", student)[0]["status"] == "graded"
        assert stamp(names[student]) in world.fetch(student)
    assert {student: scores[student] for student in others} == others
    with sqlite3.connect(world.course.path("gradebook.db")) as connection:
        triggers = connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
        manual = connection.execute("SELECT COUNT(*) FROM grade WHERE manual_score IS NOT NULL").fetchone()[0]
    assert triggers == [] and manual == 0


SLEEPER = f"""

import builtins as _builtins
import time as _time

if not hasattr(_builtins, "_slept"):  # the sandbox imports the module again for each test: sleep once
    _builtins._slept = True
    _time.sleep({SLEEP})
"""


def test_a_notebook_cut_off_is_graded_from_utils_and_its_feedback_says_what_happened(service):
    """As in batch autograde (tests/course/test_unreadable_notebook.py): the notebook stands in, utils/ is graded."""
    world = service
    home = world.tmp / "homes" / "hana"
    write_answer(make_student(world.release, home / ASSIGNMENT, GOOD))
    notebook = home / ASSIGNMENT / "06_learning_rate_decay.ipynb"
    text = notebook.read_text()
    notebook.write_text(text[: len(text) // 2])
    hana, _ = submit(world.exchange, "hana", home)
    world.submitted["hana"] = [hana]
    world.service.wait(lambda: world.released(hana), "hana's feedback released")
    grades = cell_grades(world.course, ASSIGNMENT)["hana"].values()
    autograded = [grade for grade in grades if grade.cell_type == "code"]
    # Full marks on every autograded cell, from utils/ (alice is no yardstick here: she resubmitted a mistake above).
    assert autograded and all(grade.score == grade.max_score > 0 for grade in autograded), world.scores()["hana"]
    written = [grade for grade in grades if grade.cell_type == "markdown"]
    assert written and all(grade.needs_manual_grade for grade in written)
    page = world.fetch("hana")[stamp(hana)]["06_learning_rate_decay"]
    assert "could not be read" in page and "What you can do" in page


def test_killed_mid_grade_and_mid_feedback_then_restarted_loses_nothing_and_grades_nothing_twice(service):
    world = service
    sleeper = world.submit("sleeper", {"schedules": solved("schedules") + SLEEPER})
    erin = world.submit("erin", GOOD)
    world.service.wait(lambda: world.journal("collected", submission=sleeper), "the sleeper collected")
    world.service.wait(lambda: world.journal("committed", submission=erin), "erin committed")
    world.service.kill()  # erin's feedback is being made, the sleeper still in its sandbox
    assert not world.released(erin), "erin's feedback was released before the kill: the test proves nothing"
    assert not world.journal("committed", submission=sleeper)
    code, output = cli("serve", "--course", world.course.root, "--status")
    assert "service: not running" in output, output
    dave = world.submit("dave", MISTAKE)  # while the service is down
    killed = world.service

    world.service = Service(world)  # the killed run's grading processes may still be finishing the sleeper
    world.figures["start-up after a SIGKILL (s)"] = world.service.ready
    for name in (sleeper, erin, dave):
        world.service.wait(lambda name=name: world.released(name), f"{name} released after the restart")
    for student, name in (("sleeper", sleeper), ("erin", erin), ("dave", dave)):
        assert len(world.journal("committed", submission=name)) == 1, world.journal(student=student)
        assert len(world.journal("released", submission=name)) == 1, world.journal(student=student)
        assert list(world.fetch(student)) == [stamp(name)]
    # the killed run's pool processes (its grading and feedback processes, their forkserver) ended with it
    world.service.wait(lambda: killed.left() == 0, "the killed run's processes to end", timeout=60)
    assert world.total("sleeper") == world.total("erin") == world.total("carol")
    assert world.total("dave") == world.total("bob")


def late_penalties(course):
    """{student: (seconds late, late penalty)} from nbgrader's gradebook."""
    with Gradebook(db_url(course), COURSE_ID) as gradebook:
        return {
            submission.student_id: (
                submission.total_seconds_late,
                sum(notebook.late_submission_penalty or 0 for notebook in submission.notebooks),
            )
            for submission in gradebook.assignment_submissions(ASSIGNMENT)
        }


def test_a_submission_after_the_due_date_gets_the_courses_late_penalty(service):
    """The due date is the gradebook's (formgrader's Manage Assignments); the penalty nbgrader's LateSubmissionPlugin.

    Without a late_penalty setting a late submission is marked late and not penalised (nbgrader's default,
    "none"); with late_penalty "zero" (read when the service starts) it scores 0 and its feedback says so.
    """
    world = service
    due = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)  # nbgrader keeps UTC without a zone
    with Gradebook(db_url(world.course), COURSE_ID) as gradebook:
        gradebook.update_or_create_assignment(ASSIGNMENT, duedate=due)
    time.sleep(1)
    frank = world.submit("frank", GOOD)
    world.service.wait(lambda: world.released(frank), "frank's feedback released")
    late = late_penalties(world.course)
    assert late["frank"][0] > 0 and late["frank"][1] == 0, late  # late, nbgrader's default penalty: none
    assert late["alice"] == late["carol"] == (0, 0), late
    assert world.total("frank") == world.total("carol")

    assert world.service.stop() == 0, world.service.output()
    write_settings(world.course, late_penalty="zero")
    world.service = Service(world)
    gina = world.submit("gina", GOOD)
    world.service.wait(lambda: world.released(gina), "gina's feedback released")
    late = late_penalties(world.course)
    assert late["gina"][0] > 0 and late["gina"][1] == world.total("gina") > 0, late
    assert late["frank"][1] == 0 and late["alice"] == (0, 0), late  # nobody else regraded
    page = world.fetch("gina")[stamp(gina)]["06_learning_rate_decay"]
    assert score_line(page).startswith("Score: 0.0 / "), score_line(page)


def test_the_batch_autograde_gives_the_same_scores(service, tmp_path):
    world = service
    code = world.service.stop()
    assert code == 0, world.service.output()
    served = world.scores()
    copy = Course(tmp_path / "course")
    shutil.copytree(world.course.root, copy.root, symlinks=True)
    with sqlite3.connect(copy.path("gradebook.db")) as connection:
        connection.execute("UPDATE grade SET auto_score = NULL")
        connection.execute("UPDATE submitted_notebook SET late_submission_penalty = NULL")
    code, output = cli("autograde", "--course", copy.root, "--force", "--workers", "2")
    assert code == 0, output
    assert world.scores(copy) == served
    batch, online = late_penalties(copy), late_penalties(world.course)
    # frank was graded before late_penalty became "zero": a batch --force regrade now penalises him too
    assert batch.pop("frank") == (online["frank"][0], world.total("frank")), batch
    assert batch == {student: late for student, late in online.items() if student != "frank"}
    assert set(served) == set(world.submitted)
