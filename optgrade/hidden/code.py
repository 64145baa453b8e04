"""Where the student's code runs: in this process (instructor runs) or in a sandboxed worker (grading).

A backend's ``load(module_name)`` returns a ``Loaded`` module: its submitted
source text (for the reference-copy check), its global values when imported
here, and ``function(name)``, the callable the hidden tests receive. For
``Sandboxed`` that callable is a proxy: every call travels as plain data to
the worker (``optgrade.sandbox``), and the verdict is decided here.
"""

import contextlib
import importlib.util
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..exercises import EXERCISES
from ..sandbox.client import CallTimedOut, Limits, Worker
from . import integrity
from .outcome import Failure
from .student import describe


@dataclass
class Loaded:
    name: str
    objects: tuple = ()
    functions: dict = field(default_factory=dict)

    def function(self, name):
        return self.functions.get(name)


class InProcess:
    """The student's folder is first on sys.path of this (trusted, instructor's) process."""

    accept_reference = None  # as OPTGRADE_ACCEPT_REFERENCE says

    def source(self, module_name):
        try:
            spec = importlib.util.find_spec(f"utils.{module_name}")
            return Path(spec.origin).read_text(encoding="utf-8")
        except (ImportError, AttributeError, OSError, TypeError, ValueError):
            return None

    def load(self, module_name):
        module = integrity.load(module_name)
        values = tuple(vars(module).values())
        functions = {name: value for name, value in vars(module).items() if callable(value)}
        return Loaded(module_name, values, functions)

    @contextlib.contextmanager
    def limit(self, seconds, reason):
        yield


class RemoteFunction:
    """A student function living in a sandboxed worker, called with plain data."""

    def __init__(self, code, module, name):
        self.code, self.module, self.__name__ = code, module, name

    def __call__(self, *args, **kwargs):
        try:
            return self.code.worker.call(self.module, self.__name__, args, kwargs, self.code.deadline)
        except CallTimedOut:
            raise CallTimedOut(f"did not finish within {self.code.reason}") from None


class Sandboxed:
    """One submission's modules in a worker (sandboxed unless ``sandboxed`` is False), under a deadline.

    ``sources`` maps module names to the submitted source text (read before
    the worker ever ran, so the student's code cannot rewrite what is checked).
    """

    def __init__(self, scratch, sources, sandboxed=True, limits=None, accept_reference=False):
        self.worker = Worker(scratch, sandboxed, limits or Limits())
        self.sources = sources
        self.accept_reference = accept_reference
        self.deadline = time.monotonic() + 60
        self.reason = "the time limit"
        self.stalled = {}  # module -> why its import timed out

    @contextlib.contextmanager
    def limit(self, seconds, reason):
        """Calls inside this block must be done within ``seconds`` (``reason`` names the limit for the student)."""
        self.deadline, self.reason = time.monotonic() + seconds, reason
        yield

    def source(self, module_name):
        return self.sources.get(module_name)

    def load(self, module_name):
        if module_name in self.stalled:  # importing it never finished once: it will not now, so don't wait again
            raise Failure(self.stalled[module_name])
        try:
            patched, defined = self.worker.load(module_name, self.deadline)
        except CallTimedOut:
            reason = f"utils/{module_name}.py cannot be imported: it did not finish within {self.reason}"
            self.stalled[module_name] = reason
            raise Failure(self.stalled[module_name]) from None
        except Exception as error:  # the import raised, or the worker died while importing
            raise Failure(f"utils/{module_name}.py cannot be imported: {describe(error, 'import')}") from None
        integrity.refuse_tampering(module_name, patched)
        functions = {
            name: RemoteFunction(self, module_name, name) for name in EXERCISES[module_name][1] if name in defined
        }
        return Loaded(module_name, (), functions)

    def close(self):
        self.worker.close()
