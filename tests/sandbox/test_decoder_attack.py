"""Answers built to blow up the trusted grader's decoding (issue 14), graded by a real `optgrade autograde`.

One student's update_lr() returns 1,999,000 instances of its own class (30 MB on the wire, under
the wire's hard caps of 64 MiB and 2M nodes: it once made a grading process grow to 6 GB), another's returns lists
nested 17 deep holding 131,072 small arrays. Their other functions are right. The class is graded by
one CLI run while the peak resident memory (VmHWM) of every trusted process (the CLI, its pools,
never the sandboxes) is sampled from /proc.
"""

import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import distributed
import pytest
from attack_helpers import (
    CLI_TIMEOUT,
    FULL,
    PY,
    SOLUTION_FILE,
    Student,
    honest,
    make_class,
)
from course_helpers import copy_course

from optgrade.course import verdicts
from optgrade.runner.cluster import ClusterExecutor
from optgrade.stubs import solved_source

pytestmark = pytest.mark.slow

# Measured (2 CPUs, every trusted process sampled): 142 MB for this class without the two attackers,
# 141 MB with them. Before the budgets, grading the first attacker alone took its process to 6.2 GB
# (230 s, past the test's deadline); with the budgets off but Opaque types cached, 795 MB. The bound
# leaves room for another machine's libraries, not for a decoded attack.
PEAK_BOUND_MB = 600

RIGHT_SCHEDULE = """

import math


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    if epoch_num < 0:
        raise ValueError("a negative epoch")
    return learning_rate0 / (1.0 + decay_rate * math.floor(epoch_num / time_interval))
"""

OBJECTS = """

class Thing:
    pass


def update_lr(learning_rate0, epoch_num, decay_rate):
    if epoch_num < 0:
        raise ValueError("a negative epoch")
    return [Thing() for _ in range(1_999_000)]
"""

NESTED = """

import numpy as np


def _nest(depth):
    return np.ones(2) if depth == 0 else [_nest(depth - 1), _nest(depth - 1)]


def update_lr(learning_rate0, epoch_num, decay_rate):
    if epoch_num < 0:
        raise ValueError("a negative epoch")
    return _nest(17)
"""


def _tree():
    """{pid: (parent pid, comm)} of every process now."""
    processes = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            comm, _, rest = stat.partition("(")[2].rpartition(")")
            processes[int(entry.name)] = (int(rest.split()[1]), comm)
    return processes


def trusted_processes(root):
    """``root`` and its descendants, without the sandboxes (a bwrap process and everything under it)."""
    processes = _tree()
    children = {}
    for pid, (parent, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if processes.get(pid, (None, "bwrap"))[1] == "bwrap":
            continue
        found.append(pid)
        todo += children.get(pid, [])
    return found


def peak_kb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def autograde_with_peak(args, env):
    """Run `optgrade autograde ARGS`; returns (exit code, output, the largest VmHWM of a trusted process, MB)."""
    process = subprocess.Popen(
        [PY, "-m", "optgrade.cli", "autograde", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,
    )
    peaks = {}

    def sample():
        while process.poll() is None:
            for pid in trusted_processes(process.pid):
                peaks[pid] = max(peaks.get(pid, 0), peak_kb(pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        output, _ = process.communicate(timeout=CLI_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        output, _ = process.communicate()
    sampler.join(timeout=10)
    return process.returncode, output, max(peaks.values(), default=0) / 1024


@pytest.fixture(scope="module")
def attacked(released_attack_course, tmp_path_factory):
    course = copy_course(released_attack_course, tmp_path_factory.mktemp("decoder") / "course")
    release = course.release("workbook")
    stubs, ewa_stubs = (release / "utils" / "schedules.py").read_text(), (release / "utils" / "ewa.py").read_text()
    solved = {"solved": solved_source(SOLUTION_FILE.read_text()), "ewa_stubs": ewa_stubs}
    right = honest(solved)
    students = {
        "honest_reference": Student(right),
        "honest_untouched": Student(),
        "attack_objects": Student({"schedules": stubs + OBJECTS + RIGHT_SCHEDULE, "ewa": right["ewa"]}),
        "attack_nested": Student({"schedules": stubs + NESTED + RIGHT_SCHEDULE, "ewa": right["ewa"]}),
    }
    incoming = make_class(course, tmp_path_factory.mktemp("decoder_incoming") / "class", students)
    env = os.environ.copy() | {"TMPDIR": str(tmp_path_factory.mktemp("decoder_tmp"))}
    started = time.monotonic()
    code, output, peak = autograde_with_peak(["--course", course.root, incoming, "--workers", 2], env)
    return {"course": course, "code": code, "output": output, "peak": peak, "seconds": time.monotonic() - started}


def _verdicts(course, student):
    return {v["grade_id"]: v for v in verdicts.read(course, "workbook", student)["verdicts"]}


def test_the_trusted_processes_stay_under_their_memory_bound(attacked):
    assert attacked["code"] == 0, attacked["output"][-3000:]
    print(f"peak of a trusted process: {attacked['peak']:.0f} MB, run {attacked['seconds']:.0f} s")
    assert 0 < attacked["peak"] < PEAK_BOUND_MB


@pytest.mark.parametrize("student", ["attack_objects", "attack_nested"])
def test_the_attackers_answer_fails_its_tests_with_the_reason_and_the_rest_is_graded(attacked, student):
    found = _verdicts(attacked["course"], student)
    for grade_id in ("update_lr_values", "update_lr_errors"):  # both call update_lr with valid arguments
        message = found[grade_id]["message"] or ""
        assert found[grade_id]["score"] == 0 and "update_lr() gave an answer too large: " in message, message
        assert "the limit is" in message and len(message.splitlines()) == 1
    others = {grade_id: v["status"] for grade_id, v in found.items() if not grade_id.startswith("update_lr")}
    assert set(others.values()) == {"pass"}, others  # the same student's other functions still get their marks


def test_the_rest_of_the_class_is_graded_as_without_the_attackers(attacked):
    course = attacked["course"]
    scores = {
        student: sum(v["score"] for v in _verdicts(course, student).values())
        for student in ("honest_reference", "honest_untouched", "attack_objects", "attack_nested")
    }
    assert scores == {"honest_reference": FULL, "honest_untouched": 0.0, "attack_objects": 5.0, "attack_nested": 5.0}
    records = {
        path.stem: json.loads(path.read_text())
        for path in course.path(".optgrade", "graded", "workbook").glob("*.json")
    }
    assert {student: record["status"] for student, record in records.items()} == dict.fromkeys(scores, "graded")


def kill_worker_for_poison(job):
    """A job that kills the process it runs in, every time, for the student called poison (a Dask worker)."""
    if job["student"] == "poison":
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.5)  # so that other jobs are in flight on the worker when it dies
    return {"student": job["student"]}


def test_on_a_cluster_a_job_that_kills_its_worker_every_time_fails_only_that_student():
    jobs = [{"student": student, "sandbox": False} for student in ("a", "b", "poison", "c", "d", "e", "f")]
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None, worker_dashboard_address=None
        ) as cluster,
        ClusterExecutor(cluster.scheduler_address) as executor,
    ):
        results = {result["student"]: result for result in executor.map_unordered(kill_worker_for_poison, jobs)}
    assert results.pop("poison")["error"].startswith("KilledWorker"), results
    assert results == {student: {"student": student} for student in "abcdef"}
