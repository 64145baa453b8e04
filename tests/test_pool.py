"""grading/pool.py: the local pool of trusted grading processes."""

import functools
import os
import time
from pathlib import Path

from optgrade.grading.pool import LocalExecutor


def _record_pid(folder):
    (Path(folder) / str(os.getpid())).write_text("")


def _pid(job):
    return {"student": job["student"], "pid": os.getpid()}


def _raise_for_b(job):
    if job["student"] == "b":
        raise ValueError("grader bug")
    return {"student": job["student"]}


def _died_for_b(job):
    if job["student"] == "b":
        os._exit(3)
    return {"student": job["student"]}


def test_start_warms_every_process_before_any_job_is_submitted(tmp_path):
    with LocalExecutor(2, warm=functools.partial(_record_pid, tmp_path)).start() as executor:
        deadline = time.monotonic() + 60
        while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        warmed = {path.name for path in tmp_path.iterdir()}
        assert len(warmed) == 2, warmed  # both processes started and warmed with no job submitted yet
        results = list(executor.map_unordered(_pid, [{"student": name} for name in "abcd"]))
    assert sorted(result["student"] for result in results) == list("abcd")
    assert {str(result["pid"]) for result in results} <= warmed  # the jobs ran in the warmed processes


def test_a_raising_job_is_that_students_failure_only():
    with LocalExecutor(2, warm=None) as executor:
        results = {r["student"]: r for r in executor.map_unordered(_raise_for_b, [{"student": s} for s in "abc"])}
    assert results["b"] == {"student": "b", "error": "ValueError: grader bug"}
    assert results["a"] == {"student": "a"} and results["c"] == {"student": "c"}


def test_a_dying_process_is_reported_as_a_failure_not_a_hang():
    started = time.monotonic()
    with LocalExecutor(1, warm=None) as executor:
        results = {r["student"]: r for r in executor.map_unordered(_died_for_b, [{"student": s} for s in "ab"])}
    assert results["a"] == {"student": "a"}
    assert results["b"]["error"].startswith("BrokenProcessPool"), results["b"]
    assert time.monotonic() - started < 60
