"""Grading on a Dask cluster (``optgrade autograde --cluster``): a real LocalCluster of two worker processes.

The executor alone first, with the small jobs of tests/cluster_jobs.py: results
come back once each, a job that kills its worker runs again elsewhere, a raising
job is retried and then reported as failed. Then a
class (notebook 06: the reference, untouched stubs, a mistake, the hostile
submission) graded through ``--cluster`` while a worker is killed mid-job must
get exactly the local pool's scores, cell by cell.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import distributed
import pytest
from cluster_jobs import KillWorkerMidJob, alive, always_fail, die_once, fail_once, kill_last_worker, square
from course_helpers import cell_grades, copy_course, scores

from optgrade.course import autograde
from optgrade.course.demo import simulate_class
from optgrade.course.layout import GradingError, nbgrader_environment
from optgrade.runner import cluster as cluster_module
from optgrade.runner.cluster import ClusterExecutor

pytestmark = pytest.mark.slow  # worker processes start in seconds; the class grading takes a minute


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None, worker_dashboard_address=None
    ) as running:
        yield running


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as connected:
        yield connected


def worker_pids(client, count=2):
    client.wait_for_workers(count, timeout=60)
    return set(client.run(os.getpid).values())


def test_every_job_comes_back_once_from_both_workers(cluster):
    jobs = [{"student": f"s{n}", "n": n} for n in range(20)]
    with ClusterExecutor(cluster.scheduler_address) as executor:
        results = list(executor.map_unordered(square, jobs))
    assert sorted((r["student"], r["square"]) for r in results) == sorted((f"s{n}", n * n) for n in range(20))
    assert len({r["pid"] for r in results}) == 2


def test_a_job_whose_worker_dies_runs_again_on_another_and_is_yielded_once(cluster, client, tmp_path):
    before = worker_pids(client)
    marker = tmp_path / "die"
    jobs = [{"student": f"s{n}", "n": n, "die": str(marker) if n == 3 else None} for n in range(8)]
    with ClusterExecutor(cluster.scheduler_address) as executor:
        results = list(executor.map_unordered(die_once, jobs))
    assert sorted(r["student"] for r in results) == sorted(job["student"] for job in jobs)
    assert {r["student"]: r["square"] for r in results}["s3"] == 9
    killed = int(Path(f"{marker}.pid").read_text())
    assert killed in before and not alive(killed)
    assert killed not in worker_pids(client)  # the nanny started a new worker in its place


def test_a_raising_job_is_retried_then_reported_as_the_students_failure(cluster, tmp_path):
    jobs = [{"student": "flaky", "n": 4, "marker": str(tmp_path / "flaky")}]
    with ClusterExecutor(cluster.scheduler_address) as executor:
        assert [r["square"] for r in executor.map_unordered(fail_once, jobs)] == [16]
        failed = list(executor.map_unordered(always_fail, [{"student": "bob"}]))
    assert failed == [{"student": "bob", "error": "ValueError: no grade for bob"}]


def test_a_worker_with_another_installation_refuses_the_job(cluster, monkeypatch):
    monkeypatch.setattr(cluster_module, "installation_digest", lambda: "the instructor's other checkout")
    with ClusterExecutor(cluster.scheduler_address, retries=0) as executor:
        [result] = executor.map_unordered(square, [{"student": "alice", "n": 2}])
    assert result["student"] == "alice"
    assert result["error"].startswith("GradingError: the Dask worker at tcp://"), result


def test_a_worker_without_bubblewrap_refuses_sandboxed_jobs_only():
    with (
        distributed.LocalCluster(
            n_workers=1, processes=True, threads_per_worker=1, dashboard_address=None, env={"PATH": "/nonexistent"}
        ) as bare,
        ClusterExecutor(bare.scheduler_address, retries=0) as executor,
    ):
        [refused] = executor.map_unordered(square, [{"student": "alice", "n": 2, "sandbox": True}])
        [graded] = executor.map_unordered(square, [{"student": "bob", "n": 3, "sandbox": False}])
    assert refused["error"].startswith("GradingError: the Dask worker at tcp://"), refused
    assert "cannot sandbox student code: bubblewrap (the `bwrap` command" in refused["error"], refused
    assert graded["square"] == 9


def test_a_cluster_without_workers_fails_the_jobs_with_a_note_instead_of_waiting():
    """No worker ever joins the scheduler: after the grace, every job comes back failed, saying why."""
    jobs = [{"student": student, "n": 1} for student in ("alice", "bob")]
    with (
        distributed.LocalCluster(n_workers=0, processes=True, dashboard_address=":0") as empty,
        ClusterExecutor(empty.scheduler_address, no_workers_grace=2) as executor,
    ):
        started = time.monotonic()
        results = list(executor.map_unordered(square, jobs))
        waited = time.monotonic() - started
    assert 2 <= waited < 15, waited
    assert sorted(result["student"] for result in results) == ["alice", "bob"]
    for result in results:
        assert result["error"] == (
            f"GradingError: the Dask cluster at {empty.scheduler_address} has had no workers for 2 s: "
            "this submission was not graded (the next autograde run grades it)"
        ), result


def test_a_job_that_kills_the_last_worker_fails_the_rest_instead_of_hanging():
    """The hang seen under load: the only worker dies and nothing starts another (here: it has no nanny)."""
    jobs = [{"student": student, "n": 2} for student in ("last_worker", "x", "y")]
    with distributed.LocalCluster(n_workers=0, processes=True, dashboard_address=":0") as scheduler_only:
        worker = subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", scheduler_only.scheduler_address]
            + ["--no-nanny", "--nthreads", "1", "--no-dashboard"],
            env=os.environ | {"PYTHONPATH": str(Path(__file__).parents[1])},  # the worker imports cluster_jobs
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            with ClusterExecutor(scheduler_only.scheduler_address, no_workers_grace=2) as executor:
                executor.client.wait_for_workers(1, timeout=60)
                results = list(executor.map_unordered(kill_last_worker, jobs))
            assert worker.wait(timeout=30) == -9
        finally:
            worker.kill()
            worker.wait()
    by_student = {result["student"]: result for result in results}
    assert sorted(by_student) == ["last_worker", "x", "y"] and len(results) == 3
    assert "has had no workers for 2 s" in by_student["last_worker"]["error"], by_student
    for student in ("x", "y"):  # run before the worker died, or failed with the same note
        assert by_student[student].get("square") == 4 or "no workers" in by_student[student]["error"], by_student


def test_a_worker_that_joins_within_the_grace_grades_the_jobs():
    """An adaptive cluster starts with no workers and adds them: jobs submitted before that still run."""
    with distributed.LocalCluster(
        n_workers=0, processes=True, threads_per_worker=1, dashboard_address=":0", worker_dashboard_address=None
    ) as growing:
        with ClusterExecutor(growing.scheduler_address, no_workers_grace=120) as executor:
            results = executor.map_unordered(square, [{"student": "alice", "n": 3}])
            growing.scale(1)
            assert [result["square"] for result in results] == [9]


def test_an_unreachable_scheduler_is_a_grading_error():
    with pytest.raises(GradingError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        ClusterExecutor("tcp://127.0.0.1:9", timeout=2)


def test_grading_without_a_cluster_imports_nothing_of_dask():
    probe = """
import sys
dask = lambda: sorted({name.split(".")[0] for name in sys.modules} & {"dask", "distributed"})
import optgrade.course.autograde, optgrade.cli
print(dask())
import optgrade.runner.cluster
print(dask())
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.split("\n") == ["[]", "['dask', 'distributed']", ""], done.stdout + done.stderr


def _class_course(released_06, folder, incoming):
    course = copy_course(released_06, folder)
    if not incoming.exists():
        simulate_class(course.release("workbook"), incoming)
    return course


@pytest.fixture(scope="module")
def local_pool(released_06, tmp_path_factory):
    """The class graded by the local pool of two workers: (class folder, course)."""
    incoming = tmp_path_factory.mktemp("class") / "incoming"
    course = _class_course(released_06, tmp_path_factory.mktemp("local") / "course", incoming)
    autograde.autograde(course, "workbook", incoming, workers=2, progress=lambda line: None)
    return incoming, course


def test_a_class_graded_on_the_cluster_through_a_worker_death_gets_the_local_pools_scores(
    cluster, client, local_pool, released_06, tmp_path
):
    incoming, local = local_pool
    expected = scores(local)
    assert expected["untouched"] == 0 < expected["mistake_schedule_no_floor"] < expected["reference"]
    course = _class_course(released_06, tmp_path / "course", incoming)
    before = worker_pids(client)
    marker = tmp_path / "kill"
    client.register_plugin(KillWorkerMidJob(marker, delay=0.5), name="kill-worker-mid-job")
    try:
        command = ["autograde", "--course", str(course.root), "--cluster", cluster.scheduler_address, str(incoming)]
        done = subprocess.run(
            [sys.executable, "-m", "optgrade.cli", *command], env=nbgrader_environment(), capture_output=True, text=True
        )
    finally:
        client.unregister_worker_plugin("kill-worker-mid-job")
    assert done.returncode == 0, done.stdout + done.stderr
    killed = int(Path(f"{marker}.pid").read_text())
    assert killed in before and not alive(killed)
    assert scores(course) == expected
    assert cell_grades(course, "workbook") == cell_grades(local, "workbook")
    assert all(record["status"] == "graded" for record in autograde.records(course, "workbook").values())
