"""The local pool: ``grade_job`` for several students at once, in trusted worker processes.

Why ``concurrent.futures.ProcessPoolExecutor``: the standard library's pool
already does what grading needs (a fixed number of long-lived processes that
keep the hidden tests and the reference imported between students, results
as they complete, a dead process reported as an error instead of a hang),
and it has the same ``submit``/``as_completed`` shape as Dask's client, so
``cluster.ClusterExecutor`` can stand in for it.

Each job runs under the trusted side's own memory limit (``jobs.limit_memory``).
A process that dies anyway breaks the whole standard pool, failing every job in
flight: those are run again, each alone in a fresh pool, so only the job that
kills its process even when alone is failed.
"""

import concurrent.futures
import concurrent.futures.process
import contextlib
import functools
import multiprocessing
import os
import select
import signal
import sys
import threading
import time

from ..interrupts import uninterrupted
from . import jobs as grading_jobs

BrokenProcessPool = concurrent.futures.process.BrokenProcessPool


def warm():
    """Import the hidden tests and load their data once per pool process (not once per student)."""
    from ..hidden import reference

    reference.moons()  # scikit-learn's import is most of a cold start
    reference.network()


def default_workers():
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def nothing():
    """A job that does nothing: its result says a pool process has started and warmed."""
    return None


def _initialize(parent, warm):
    """A pool process's initializer: Ctrl-C is the parent's to handle; the process ends when the parent does
    (even by SIGKILL); then ``warm()``.

    The pools' processes are the forkserver's children, not the parent's, and wait on a queue whose
    writing end they hold themselves: without this, a parent that crashed or was stopped (``optgrade
    serve``, ``optgrade autograde``) left them running for good (measured: all of them, with the
    forkserver, still there after the restarted service graded). A job in flight ends with its process
    (the sandbox is ``--die-with-parent``); the next run grades it again. SIGINT, which Ctrl-C sends to
    the whole process group, is ignored here: the parent stops its pools itself (``LocalExecutor.stop``).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        handle = os.pidfd_open(parent)  # readable once the parent has exited; immune to pid reuse
    except (AttributeError, OSError):  # no pidfd (Linux < 5.3): look every second
        handle = None

    def watch():
        if handle is not None:
            select.select([handle], [], [])
        else:
            while True:
                time.sleep(1)
                try:
                    os.kill(parent, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    pass
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()
    if warm is not None:
        warm()


def _start_forkserver():
    """Start multiprocessing's forkserver (once) with SIGINT blocked, then ignored by the forkserver itself: Ctrl-C,
    sent to the whole process group, is the parent's to handle (the forkserver printed a KeyboardInterrupt traceback).

    Its standard error, which the pool processes inherit, is /dev/null: a run stopped while the pool was
    starting a process made the forkserver print an EOFError traceback under the one line the stop prints
    (a job's errors reach the parent as the job's result, never through this stream).
    """
    from multiprocessing import forkserver

    # SIGINT blocked, not ignored, meanwhile: a Ctrl-C in this window waits and is handled right after (ignoring
    # it lost it, and a stopped run went on to the end); the forkserver starts with it blocked and ignores it.
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        with _stderr_to_devnull():
            forkserver.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def _stderr_to_devnull():
    """File descriptor 2 is /dev/null in the block (what a process started in it inherits), then restored."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def run_limited(fn, job):
    """``fn(job)`` in this (dedicated) grading process, under the job's limit on the grader's memory."""
    grading_jobs.limit_memory(grading_jobs.limits(job.get("limits"))["grader_memory_mb"])
    return fn(job)


class LocalExecutor:
    """``map_unordered(fn, jobs)`` yields ``fn(job)`` for each job as it completes, ``workers`` at a time.

    A job that raised, or that killed its process even when run alone, yields ``failure(job, error)``
    instead (the others go on). ``warm`` runs once in each process before its first job (default: load
    the hidden tests' data, for ``grade_job``); ``start()`` starts the processes now, so that happens
    while the caller does other work. At most ``workers`` jobs are in flight, so a dying process sends
    no more than that many jobs to be run again.
    """

    def __init__(self, workers=None, warm=warm):
        self.workers = workers or default_workers()
        self.warm = warm
        self.pool = self._new_pool()

    def _new_pool(self):
        _start_forkserver()
        context = multiprocessing.get_context("forkserver")
        initializer = functools.partial(_initialize, os.getpid(), self.warm)
        return concurrent.futures.ProcessPoolExecutor(self.workers, mp_context=context, initializer=initializer)

    def _renew(self):
        """A fresh pool in place of a broken one."""
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new_pool()

    def submit(self, fn, *args):
        """``self.pool.submit(fn, *args)``, its future; a SIGINT or SIGTERM meanwhile is raised once it returns.

        A submit may start a pool process: one stopped half-way was started but not yet in the pool's list, so
        ``stop()`` did not kill it and the interrupted run waited for it at exit (2.5-3.7 s, measured).
        """
        with uninterrupted():
            return self.pool.submit(fn, *args)

    def _submit(self, fn, job):
        try:
            return self.submit(run_limited, fn, job)
        except BrokenProcessPool:  # a process died meanwhile
            self._renew()
            return self.submit(run_limited, fn, job)

    def start(self):
        """Start every process (the pool otherwise starts one per job submitted); returns self. Interrupted
        meanwhile, the pool is stopped (the caller's ``with`` block, whose exit would stop it, is not entered yet)."""
        try:
            for _ in range(self.workers):
                self.submit(nothing)
        except BaseException:
            self.stop()
            raise
        return self

    def map_unordered(self, fn, jobs):
        jobs, running, suspects = iter(jobs), {}, []
        while True:
            while len(running) < self.workers and (job := next(jobs, None)) is not None:
                running[self._submit(fn, job)] = job
            if not running:
                break
            done, _ = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
            for future in done:
                job = running.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:  # this job, or another one in flight, killed a process
                    suspects.append(job)
                except Exception as error:  # a grader bug on one submission: that student is marked failed
                    yield failure(job, error)
            if suspects and not running:
                self._renew()
                yield from (self._alone(fn, job) for job in suspects)
                suspects = []

    def _alone(self, fn, job):
        """``fn(job)`` with no other job in flight: if its process dies now, the job is the cause."""
        try:
            return self._submit(fn, job).result()
        except BrokenProcessPool as error:
            self._renew()
            return failure(job, error)
        except Exception as error:
            return failure(job, error)

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)

    def stop(self):
        """End the pool now: its processes killed (with the jobs in flight and their sandboxes), nothing waited for."""
        processes = getattr(self.pool, "_processes", None) or {}  # the standard pool's own {pid: Process}
        for process in list(processes.values()):
            process.kill()
        self.pool.shutdown(wait=False, cancel_futures=True)

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if kind is not None and not issubclass(kind, Exception):  # interrupted (Ctrl-C, SIGTERM): stop at once
            self.stop()
        else:
            self.close()


def failure(job, error):
    """The result standing for a job that could not run: the student is recorded as failed, not graded."""
    return {"student": job["student"], "error": f"{type(error).__name__}: {error}"}
