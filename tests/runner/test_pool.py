"""grading/pool.py: the local pool of trusted grading processes."""

import functools
import os
import resource
import time
from pathlib import Path

from optgrade.runner.pool import LocalExecutor


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


def _died_for_b_while_others_run(job):
    if job["student"] == "b":
        time.sleep(0.5)  # the others are in flight by now
        os._exit(3)
    time.sleep(1.5)
    return {"student": job["student"], "pid": os.getpid()}


def _allocate(job):
    """Try to allocate job["mb"] MB; say whether it failed with MemoryError (the process lives on)."""
    try:
        block = bytearray(job["mb"] * 2**20)
    except MemoryError:
        return {"student": job["student"], "memory_error": True, "pid": os.getpid()}
    return {"student": job["student"], "memory_error": False, "size": len(block), "pid": os.getpid()}


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


def test_a_dying_process_fails_only_its_own_job_the_others_in_flight_are_resubmitted():
    jobs = [{"student": s} for s in "abcd"]
    with LocalExecutor(2, warm=None) as executor:
        results = {r["student"]: r for r in executor.map_unordered(_died_for_b_while_others_run, jobs)}
    assert results["b"]["error"].startswith("BrokenProcessPool"), results["b"]
    assert all("pid" in results[s] for s in "acd"), results  # a was in flight with b: run again, not failed


def test_a_job_over_the_graders_memory_limit_gets_a_memory_error_and_the_process_goes_on():
    limits = {"grader_memory_mb": 512}
    jobs = [{"student": "a", "mb": 64, "limits": limits}, {"student": "b", "mb": 1024, "limits": limits}]
    jobs.append({"student": "c", "mb": 64, "limits": limits})
    with LocalExecutor(1, warm=None) as executor:
        results = {r["student"]: r for r in executor.map_unordered(_allocate, jobs)}
    assert results["b"]["memory_error"] is True
    assert results["a"]["memory_error"] is False and results["c"]["memory_error"] is False
    assert results["a"]["pid"] == results["b"]["pid"] == results["c"]["pid"]  # nobody died


def _sandbox_data_limit(job):
    """RLIMIT_DATA of a process started the way the sandbox is (Limits.apply), from a limited grading process."""
    import subprocess
    import sys

    from optgrade.sandbox.client import Limits

    command = [sys.executable, "-c", "import resource; print(resource.getrlimit(resource.RLIMIT_DATA)[0])"]
    output = subprocess.run(command, preexec_fn=Limits().apply, capture_output=True, text=True, check=True).stdout
    return {"student": job["student"], "sandbox": int(output), "grader": resource.getrlimit(resource.RLIMIT_DATA)[0]}


def test_the_sandbox_does_not_inherit_the_graders_lower_memory_limit():
    with LocalExecutor(1, warm=None) as executor:
        (result,) = executor.map_unordered(_sandbox_data_limit, [{"student": "a", "limits": {"grader_memory_mb": 700}}])
    assert result["grader"] == 700 * 2**20
    assert result["sandbox"] == resource.getrlimit(resource.RLIMIT_DATA)[1]  # its own limits are Limits'
