"""Ctrl-C (SIGINT to the process group) and SIGTERM stop ``optgrade autograde`` at once, leave no process behind,
write nothing half-done, and the next run grades the rest (issue 23's first item; attack test first).

Real runs: ``python -m optgrade.cli autograde`` on a class of the fixture notebook (tests/fixtures/course),
signalled while a student is being graded in the sandbox, while one is being committed to the gradebook
(its verdicts stored, its record not yet), and while feedback pages are being made. Processes left are
counted from /proc: every process of the run's session (the command, its pool workers, their forkserver and
the outer bubblewrap processes), plus any process whose command line names the run's course.
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from course_helpers import copy_course, scores
from process_support import alive, processes, stop_limit

from optgrade.course.demo import make_student, solved
from optgrade.course.gradebook import records

STUDENTS = [f"s{number}" for number in range(4)]  # two workers: two in the sandbox, two waiting
FULL = 6.0  # the fixture notebook's points, all earned by the reference schedules


@pytest.fixture(scope="module")
def incoming(released_fixture_course, tmp_path_factory):
    folder = tmp_path_factory.mktemp("incoming")
    for name in STUDENTS:
        make_student(released_fixture_course.release("workbook"), folder / name, {"schedules": solved("schedules")})
    return folder


def _run(course, incoming):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "optgrade.cli",
            "autograde",
            str(incoming),
            "--course",
            str(course.root),
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own session and process group, as a terminal's job: counted below
    )


def _left(session, course):
    """Pids still alive of the run's session, or naming its course on their command line (zombies not counted)."""
    return [process.pid for process in alive() if process.session == session or str(course.root) in process.cmdline]


def _when(condition, timeout=240):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def _grading(course, session):
    """Jobs are in the sandbox: the class is imported and a grading process of the run is past its start (its
    sandboxes run in sessions of their own), nobody is committed yet."""
    imported = len(list(course.submitted().glob("*/workbook"))) == len(STUDENTS)
    started = len(_session(session, "python")) > 3  # the command, the forkserver, grading and feedback processes
    return imported and started and not any(course.graded_records("workbook").glob("*.json"))


def _session(session, name):
    """Pids of the session's processes whose name starts with ``name`` (python, python3 or python3.11: the name of
    the interpreter this suite was started with)."""
    return [process.pid for process in processes() if process.name.startswith(name) and process.session == session]


def _committing(course, session):
    """A student's verdicts are stored and nbgrader is writing them: their grading record is not there yet."""
    stored = {path.stem for path in course.verdicts().glob("workbook/*.json")}
    return bool(stored - {path.stem for path in course.graded_records("workbook").glob("*.json")})


def _making_feedback(course, session):
    return any(course.path("feedback").glob("*/workbook"))


POINTS = {"grading": _grading, "commit": _committing, "feedback": _making_feedback}


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGINT to the group", "SIGTERM"])
@pytest.mark.parametrize("point", list(POINTS))
def test_an_interrupted_autograde_stops_within_2_s_leaves_nothing_and_the_next_run_grades_the_rest(
    released_fixture_course, incoming, tmp_path, point, how
):
    course = copy_course(released_fixture_course, tmp_path / "course")
    run = _run(course, incoming)
    assert _when(lambda: POINTS[point](course, run.pid)), f"the run never reached {point}: {run.communicate()}"
    before = {path.stem: path.read_text() for path in course.graded_records("workbook").glob("*.json")}
    signalled = time.monotonic()
    if how == "SIGTERM":
        run.send_signal(signal.SIGTERM)
    else:
        os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    try:  # the command's own exit: its output pipes stay open as long as a process of the run holds them
        run.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pass
    seconds = time.monotonic() - signalled
    time.sleep(0.5)  # what is left is still there half a second later
    left = _left(run.pid, course)
    load = os.getloadavg()[0]
    print(f"{point}, {how}: exit {run.returncode} after {seconds:.2f} s, load {load:.1f}; processes left: {len(left)}")
    for pid in left:  # the attack's own leftovers, not the next test's
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    out, err = run.communicate(timeout=30)
    assert seconds < stop_limit(), f"stopped {seconds:.2f} s after the signal (load {os.getloadavg()[0]:.1f})"
    assert left == []
    assert run.returncode != 0
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "interrupted" in lines[0], err  # one line, no traceback
    assert "Traceback" not in out + err
    graded = records(course, "workbook")
    assert all(record["status"] == "graded" for record in graded.values()), graded  # none marked failed
    assert set(before) <= set(graded)
    # nothing half-written reached grades.csv: it holds only students whose grades are complete, all full
    if course.path("grades.csv").exists():
        assert set(scores(course).values()) <= {FULL}
    # the same command again grades the rest, and everyone once
    again = subprocess.run(
        [sys.executable, "-m", "optgrade.cli", "autograde", incoming, "--course", course.root, "--workers", "2"],
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0, again.stderr
    assert scores(course) == dict.fromkeys(STUDENTS, FULL)
