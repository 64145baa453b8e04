"""Calling student code: quietly, with its exceptions turned into readable failures."""

import contextlib
import io
import warnings

import numpy as np

from ..sandbox.client import WorkerFailure
from .outcome import Failure


@contextlib.contextmanager
def quiet():
    """Swallow anything written to stdout/stderr, all warnings and numpy float errors."""
    sink = io.StringIO()
    with (
        contextlib.redirect_stdout(sink),
        contextlib.redirect_stderr(sink),
        warnings.catch_warnings(),
        np.errstate(all="ignore"),
    ):
        warnings.simplefilter("ignore")
        yield


def describe(error, name):
    """One sentence about an exception raised by the student's ``name()``."""
    if isinstance(error, NotImplementedError):
        return f"{name}() is not implemented yet"
    if isinstance(error, WorkerFailure):  # the sandboxed worker stalled, crashed or broke the protocol
        return f"{name}() {error}"
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{name}() raised {type(error).__name__}" + (f": {message}" if message else "")


class StudentFunction:
    """A student function that raises Failure (no traceback) instead of its own exceptions."""

    def __init__(self, function, name):
        self.function = function
        self.name = name

    def __call__(self, *args, **kwargs):
        try:
            with quiet():
                return self.function(*args, **kwargs)
        except Exception as error:  # any student bug becomes a one-line failure
            raise Failure(describe(error, self.name)) from None

    def raw(self, *args, **kwargs):
        """Call without translating the student's exceptions (for tests about which exception is raised)."""
        try:
            with quiet():
                return self.function(*args, **kwargs)
        except WorkerFailure as error:  # not the student's exception: a stall or a crash
            raise Failure(describe(error, self.name)) from None
