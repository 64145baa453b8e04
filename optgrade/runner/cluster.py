"""Grading on a Dask cluster: ``ClusterExecutor(address)``, the stand-in for the local pool (``--cluster``).

Why Dask's ``distributed``: one scheduler protocol for a LocalCluster, Kubernetes
(dask-kubernetes) and HPC batch systems (dask-jobqueue: SLURM, PBS), with the
fault tolerance grading needs built in. Each job is one task submitted with
``pure=False`` (two students' identical jobs are still two tasks): a worker
that dies mid-job is noticed by the scheduler, which runs the task again on
another worker (after ``distributed.scheduler.allowed-failures`` deaths, 3 by
default, the job is given up as poisonous); a job that raises is retried
``retries`` times. Each task has one result, yielded once, so no student's
grades are counted twice.

A worker must run the same grader as the parent: every job carries a digest of
the parent's installation (optgrade, solutions/, utils/, datasets/) and a worker
with different files refuses it, as does a worker where the sandbox cannot start
(for a sandboxed job), so a stale or incomplete worker image fails those students
(they are regraded by the next run) instead of grading them against another
reference, or scoring them 0 because their code could not be loaded.

A worker grades under the job's limit on the trusted side's memory (``jobs.limit_memory``,
set on the worker process, which does nothing but grade): an answer that still blows up
is a MemoryError in that job, retried and then that student's failure; a job that kills
its worker every time is given up after the allowed failures, and only that job. A
cluster left with no worker at all (the nannies died too, or none ever joined) fails the
jobs still out after ``no_workers_grace`` seconds, each with a note, so the run ends.

Only this module imports ``distributed``: without ``--cluster``, nothing of Dask is loaded.
"""

import functools
import hashlib
import time

import distributed

from ..errors import GradingError
from ..exercises import ROOT
from ..sandbox import bwrap
from .pool import failure, run_limited

INSTALLED = ("optgrade", "solutions", "utils", "datasets")


@functools.cache
def installation_digest(root=ROOT):
    """A digest of every file the grading depends on, as installed where this process runs."""
    digest = hashlib.sha256()
    for name in INSTALLED:
        for path in sorted((root / name).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def run_checked(fn, job, expected):
    """``fn(job)`` on a worker, once it has checked it grades with the parent's installation and can sandbox."""
    worker = distributed.get_worker().address
    if installation_digest() != expected:
        raise GradingError(
            f"the Dask worker at {worker} has a different optgrade, solutions/, utils/ or datasets/ than the "
            f"instructor's machine ({ROOT}): install the same checkout on every worker"
        )
    reason = bwrap.check() if job.get("sandbox", True) else None
    if reason:
        raise GradingError(f"the Dask worker at {worker} cannot sandbox student code: {reason}")
    return run_limited(fn, job)


class ClusterExecutor:
    """``map_unordered(fn, jobs)`` yields ``fn(job)`` for each job as it completes on the cluster's workers.

    A job that still fails after its retries (or killed too many workers) yields ``failure(job, error)``.
    When the scheduler has had no worker for ``no_workers_grace`` seconds (they died and nothing
    restarted them, or none ever joined), every job not yet back yields a failure that says so,
    instead of waiting for a worker that may never come.
    """

    def __init__(self, address, retries=2, timeout=30, no_workers_grace=120, poll=0.25):
        try:
            self.client = distributed.Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise GradingError(f"cannot reach the Dask scheduler at {address}: {error}") from None
        self.address, self.retries, self.no_workers_grace, self.poll = address, retries, no_workers_grace, poll

    def map_unordered(self, fn, jobs):
        expected = installation_digest()
        futures = {}
        for job in jobs:
            future = self.client.submit(run_checked, fn, job, expected, pure=False, retries=self.retries)
            futures[future] = job
        completed = distributed.as_completed(futures, loop=self.client.loop)
        workerless_since = None
        while futures:
            batch = completed.next_batch(block=False)
            for future in batch:
                yield self._result(future, futures.pop(future))
            if batch:
                continue
            if self._has_workers():
                workerless_since = None
            elif workerless_since is None:
                workerless_since = time.monotonic()
            elif time.monotonic() - workerless_since >= self.no_workers_grace:
                error = GradingError(
                    f"the Dask cluster at {self.address} has had no workers for {self.no_workers_grace:g} s: "
                    "this submission was not graded (the next autograde run grades it)"
                )
                for future, job in futures.items():
                    future.cancel()
                    yield failure(job, error)
                return
            time.sleep(self.poll)

    def _has_workers(self):
        try:
            return bool(self.client.nthreads())
        except (OSError, TimeoutError):  # the scheduler itself is gone: no worker will come back through it
            return False

    @staticmethod
    def _result(future, job):
        try:
            return future.result()
        except Exception as error:  # the grader failed on this job, or it kept killing workers
            return failure(job, error)
        finally:
            future.release()

    def close(self):
        self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
