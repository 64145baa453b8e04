"""The local pool: ``grade_job`` for several students at once, in trusted worker processes.

Why ``concurrent.futures.ProcessPoolExecutor``: the standard library's pool
already does what grading needs (a fixed number of long-lived processes that
keep the hidden tests and the reference imported between students, results
as they complete, a dead process reported as an error instead of a hang),
and it has the same ``submit``/``as_completed`` shape as Dask's client, so
``cluster.ClusterExecutor`` can stand in for it.
"""

import concurrent.futures
import multiprocessing
import os


def _warm():
    """Import the hidden tests and load their data once per pool process (not once per student)."""
    from ..hidden import reference

    reference.moons()  # scikit-learn's import is most of a cold start
    reference.network()


def default_workers():
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _nothing():
    return None


class LocalExecutor:
    """``map_unordered(fn, jobs)`` yields ``fn(job)`` for each job as it completes, ``workers`` at a time.

    A job that raised, or whose process died, yields ``failure(job, error)`` instead (the others go on).
    ``warm`` runs once in each process before its first job (default: load the hidden tests' data, for
    ``grade_job``); ``start()`` starts the processes now, so that happens while the caller does other work.
    """

    def __init__(self, workers=None, warm=_warm):
        self.workers = workers or default_workers()
        context = multiprocessing.get_context("forkserver")
        self.pool = concurrent.futures.ProcessPoolExecutor(self.workers, mp_context=context, initializer=warm)

    def start(self):
        """Start every process (the pool otherwise starts one per job submitted); returns self."""
        for _ in range(self.workers):
            self.pool.submit(_nothing)
        return self

    def map_unordered(self, fn, jobs):
        futures = {}
        for job in jobs:
            try:
                futures[self.pool.submit(fn, job)] = job
            except concurrent.futures.process.BrokenProcessPool as error:  # a process died while submitting
                yield failure(job, error)
        for future in concurrent.futures.as_completed(futures):
            try:
                yield future.result()
            except concurrent.futures.process.BrokenProcessPool as error:
                self.pool.shutdown(wait=False, cancel_futures=True)
                yield failure(futures[future], error)
            except Exception as error:  # a grader bug on one submission: that student is marked failed
                yield failure(futures[future], error)

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def failure(job, error):
    """The result standing for a job that could not run: the student is recorded as failed, not graded."""
    return {"student": job["student"], "error": f"{type(error).__name__}: {error}"}
