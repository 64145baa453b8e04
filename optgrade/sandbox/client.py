"""The trusted side of a sandboxed worker: start it, load a student module, call its functions.

``Worker(scratch, sandboxed=True, limits)`` starts ``worker.py`` inside
bubblewrap (``bwrap``) on a scratch copy of one submission, under resource
limits. ``call`` sends plain data, serves the callbacks the student's code
makes (a ``grad`` function, say) from this side, and writes in-place changes
the student made to the arguments back into the caller's objects. A call
that outlives its deadline kills the whole sandbox (``CallTimedOut``); a
worker that dies answers ``WorkerDied``; the next ``load`` starts a new one.
"""

import builtins
import os
import resource
import signal
import subprocess
import time
from dataclasses import dataclass

import numpy as np

from . import bwrap
from .inside import wire


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandboxed worker (rlimits set before the sandbox starts)."""

    memory_mb: int = 4096  # address space
    cpu_seconds: int = 600  # CPU time of the worker's whole life
    file_mb: int = 64  # largest file it may write
    processes: int = 64  # processes of the sandbox's own uid (enforced when the grader is root)

    def apply(self, sandboxed=True):
        """Set these limits on the current process (a preexec_fn: the sandbox started next inherits them)."""
        resource.setrlimit(resource.RLIMIT_AS, (self.memory_mb * 2**20,) * 2)
        resource.setrlimit(resource.RLIMIT_CPU, (self.cpu_seconds, self.cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.file_mb * 2**20,) * 2)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        data_hard = resource.getrlimit(resource.RLIMIT_DATA)[1]  # not the trusted grader's own, lower limit
        resource.setrlimit(resource.RLIMIT_DATA, (data_hard, data_hard))
        if bwrap.drops_privileges() and sandboxed:
            resource.setrlimit(resource.RLIMIT_NPROC, (self.processes,) * 2)


class WorkerFailure(Exception):
    """The worker could not answer: its message says why, in one sentence for the student."""


class CallTimedOut(WorkerFailure):
    pass


class WorkerDied(WorkerFailure):
    pass


class StudentError(Exception):
    """An exception of a type that is not a Python builtin, raised by the student's code."""


_ERROR_TYPES = {}
MAX_ERROR_TYPES = 256  # exception types kept for reuse (past that, they are made anew)


def student_exception(record):
    """An exception instance standing for the one the student's code raised (builtin types are rebuilt)."""
    name = type(wire.opaque(record.get("type", "Exception"))).__name__
    message = str(record.get("message", ""))[:500]
    kind = getattr(builtins, name, None)
    if record.get("builtin") and isinstance(kind, type) and issubclass(kind, Exception):
        try:
            return kind(message)
        except Exception:  # a builtin whose constructor wants other arguments (UnicodeDecodeError...)
            pass
    if name not in _ERROR_TYPES and len(_ERROR_TYPES) >= MAX_ERROR_TYPES:
        _ERROR_TYPES.clear()
    return _ERROR_TYPES.setdefault(name, type(name, (StudentError,), {}))(message)


def _apply(changes, objects, decoder):
    """Make the caller's argument objects (``objects``, in encoding order) show the call's in-place changes."""
    if not isinstance(changes, list):
        raise wire.WireError("malformed changes")
    for change in changes:
        if not (isinstance(change, list) and len(change) == 3 and isinstance(change[1], int)):
            raise wire.WireError("malformed change")
        kind, index, state = change
        if not 0 <= index < len(objects):
            raise wire.WireError("change of an unknown object")
        target = objects[index]
        if kind == "array" and isinstance(target, np.ndarray):
            value = decoder(state)
            if isinstance(value, np.ndarray) and value.shape == target.shape and target.flags.writeable:
                target[...] = value
        elif kind == "dict" and isinstance(target, dict) and isinstance(state, list):
            items = [
                (decoder(pair[0]), decoder(pair[1])) for pair in state if isinstance(pair, list) and len(pair) == 2
            ]
            target.clear()
            target.update(items)
        elif kind == "list" and isinstance(target, list) and isinstance(state, list):
            target[:] = [decoder(item) for item in state]


class Worker:
    """One student's sandboxed worker process (started lazily, restarted after a failure).

    Decoding what it sends is charged to ``budget``, the submission's ``wire.Budget`` (see its limits).
    """

    def __init__(self, scratch, sandboxed=True, limits=None, budget=None):
        self.scratch, self.sandboxed, self.limits = str(scratch), sandboxed, limits or Limits()
        self.budget = budget or wire.Budget()
        self.process = None

    def start(self):
        self.close()
        to_worker, self._to_worker = os.pipe()
        self._from_worker, from_worker = os.pipe()
        if self.sandboxed:
            argv = bwrap.command(self.scratch, bwrap.worker_program(to_worker, from_worker))
        else:
            argv = bwrap.worker_program(to_worker, from_worker, root=self.scratch)
        self.process = subprocess.Popen(
            argv,
            pass_fds=(to_worker, from_worker),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=lambda: self.limits.apply(self.sandboxed),
            start_new_session=True,
            cwd=self.scratch,
            env=bwrap.ENVIRONMENT if not self.sandboxed else {"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        )
        os.close(to_worker)
        os.close(from_worker)

    @property
    def alive(self):
        return self.process is not None and self.process.poll() is None

    def close(self):
        """Kill the sandbox (everything in it dies with its PID namespace) and close the channel."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        for fd in (self._to_worker, self._from_worker):
            try:
                os.close(fd)
            except OSError:
                pass
        self.process = None

    def _exchange(self, message, deadline, callbacks=()):
        """Send a request, serve callbacks until the answer arrives; returns (the answer, a dict; its budget)."""
        try:
            wire.send(self._to_worker, message)
            while True:
                budget = self.budget.message()
                answer = wire.receive(self._from_worker, deadline, budget)
                if answer.get("op") != "callback":
                    return answer, budget
                wire.send(self._to_worker, self._serve_callback(answer, callbacks, budget, deadline))
        except (wire.TimedOut, wire.DecodeTimedOut):
            self.close()
            raise CallTimedOut("did not finish in time") from None
        except wire.TooLarge as error:  # the rest of that message is still in the channel
            self.close()
            raise WorkerFailure(f"gave an {error}") from None
        except (wire.Closed, BrokenPipeError, wire.WireError) as error:
            code = self._exit_code()
            self.close()
            if isinstance(error, wire.WireError):
                raise WorkerDied(f"sent a malformed answer ({error})") from None
            raise WorkerDied(_death(code)) from None

    def _exit_code(self):
        """The worker's exit status once its channel closed (None if it does not end within a second)."""
        try:
            return self.process.wait(timeout=1) if self.process else None
        except subprocess.TimeoutExpired:
            return None

    @staticmethod
    def _serve_callback(request, callbacks, budget, deadline):
        number = request.get("id")
        if not isinstance(number, int) or not 0 <= number < len(callbacks):
            return {"op": "result", "ok": False, "error": {"type": "ValueError", "message": "no such callback"}}
        try:
            decoder = wire.Decoder(budget=budget, deadline=deadline)
            args, kwargs = decoder(request.get("args", [])), decoder(request.get("kwargs", {"$d": []}))
            if not isinstance(args, list) or not isinstance(kwargs, dict):
                raise wire.WireError("malformed callback arguments")
            value = callbacks[number](*args, **{str(k): v for k, v in kwargs.items()})
            return {"op": "result", "ok": True, "value": wire.encode(value)}
        except (wire.TooLarge, wire.DecodeTimedOut):  # the answer's own budget or deadline: the call ends
            raise
        except Exception as error:  # the trusted function refused the student's arguments
            return {"op": "result", "ok": False, "error": {"type": type(error).__name__, "message": str(error)[:200]}}

    def load(self, module, deadline):
        """Import utils.<module> afresh; returns (numpy functions the import replaced, callables it defines)."""
        if not self.alive:
            self.start()
        answer, _ = self._exchange({"op": "load", "module": module}, deadline)
        if not answer.get("ok"):
            raise student_exception(answer.get("error") or {})
        patched, functions = answer.get("patched"), answer.get("functions")
        if not isinstance(patched, list) or not isinstance(functions, list):
            raise WorkerDied("sent a malformed answer")
        return [str(name) for name in patched][:20], {str(name) for name in functions}

    def call(self, module, function, args, kwargs, deadline):
        """The student's ``function(*args, **kwargs)``: its value, with in-place changes written back."""
        try:
            return self._call(module, function, args, kwargs, deadline)
        except MemoryError:  # its answer did not fit in the trusted grader's own memory limit
            self.close()
            raise WorkerFailure("gave an answer too large for the grader's memory limit") from None

    def _call(self, module, function, args, kwargs, deadline):
        if not self.alive:
            raise WorkerDied("the grading worker is not running")
        callbacks = []

        def register(callback):
            callbacks.append(callback)
            return len(callbacks) - 1

        encoder = wire.Encoder(register)
        message = {"op": "call", "module": module, "function": function}
        message |= {"args": encoder(list(args)), "kwargs": encoder(dict(kwargs))}
        answer, budget = self._exchange(message, deadline, callbacks)
        if not answer.get("ok"):
            raise student_exception(answer.get("error") or {})
        decoder = wire.Decoder(known=encoder.keep, budget=budget, deadline=deadline)
        try:
            _apply(answer.get("changes", []), encoder.keep, decoder)
            return decoder(answer.get("value"))
        except wire.TooLarge as error:
            raise WorkerFailure(f"gave an {error}") from None
        except wire.DecodeTimedOut:
            raise CallTimedOut("did not finish in time") from None
        except (wire.WireError, TypeError) as error:
            raise WorkerDied(f"sent a malformed answer ({error})") from None


def _death(code):
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        if name == "SIGXCPU":
            return "used up its CPU time"
        return f"was killed ({name}): a crash or the memory limit"
    return "exited" + (f" with status {code}" if code is not None else "") + " before answering"


def deadline_after(seconds):
    return time.monotonic() + seconds
