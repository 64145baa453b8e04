"""Small jobs and a worker plugin for tests/runner/test_cluster.py, in a module of their own.

The Dask workers import whatever module the functions they run come from: this
one imports next to nothing, so a (re)started worker is ready in a moment.
"""

import os
import signal
import threading
from pathlib import Path

import distributed


def _once(marker):
    """True the first time any process asks for this marker file (atomically), False after."""
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def square(job):
    return {"student": job["student"], "square": job["n"] ** 2, "pid": os.getpid()}


def die_once(job):
    """Kills the worker process it runs in, the first time a job asks for it; then squares."""
    if job.get("die") and _once(job["die"]):
        Path(f"{job['die']}.pid").write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return square(job)


def kill_last_worker(job):
    """For the student called last_worker: SIGKILLs the worker it runs in (on a worker without a nanny, for good)."""
    if job["student"] == "last_worker":
        os.kill(os.getpid(), signal.SIGKILL)
    return square(job)


def fail_once(job):
    if _once(job["marker"]):
        raise OSError("transient")
    return square(job)


def always_fail(job):
    raise ValueError(f"no grade for {job['student']}")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class KillWorkerMidJob(distributed.WorkerPlugin):
    """SIGKILLs the worker running the first task of the cluster, ``delay`` seconds after it started."""

    def __init__(self, marker, delay):
        self.marker, self.delay = str(marker), delay

    def transition(self, key, start, finish, *args, **kwargs):
        if finish == "executing" and _once(self.marker):
            Path(f"{self.marker}.pid").write_text(str(os.getpid()))
            threading.Timer(self.delay, os.kill, (os.getpid(), signal.SIGKILL)).start()
