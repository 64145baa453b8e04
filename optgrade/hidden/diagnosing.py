"""Naming a failing test's mistake at grading: the visible checks' own diagnosis engine, run in the sandbox.

``DIAGNOSIS`` is ``utils/checks/diagnosis.py`` of the instructor's repository,
loaded by its path under a private name (never a student's copy, whatever is
first on ``sys.path``), with the mistake hashes next to it. ``diagnose`` asks
the student's own function (the proxy the hidden tests call: in the sandbox at
grading) on each probe, so a failing test and the visible check give the same
verdict in the same words for the same code.
"""

import contextlib
import time

from ..exercises import ROOT
from ..sandbox.client import WorkerFailure
from . import reference
from .outcome import Failure

DIAGNOSIS = reference.load_by_path(ROOT / "utils" / "checks" / "diagnosis.py", "diagnosis")  # by path, private name
STOP = (NotImplementedError, Failure, WorkerFailure)  # a stub, a stalled or crashed worker: nothing to establish
SECONDS = 2.0  # the probes are tiny: a function that takes longer on them is asked nothing more


def diagnose(function, student, code=None):
    """The Diagnosis of the student's ``function`` (a ``StudentFunction``), run on every probe.

    ``code`` (the backend the student's code runs in) bounds it to SECONDS, within the test's own limit.
    """
    with _bounded(code):
        return DIAGNOSIS.diagnose(function, student.raw, stop=STOP)


@contextlib.contextmanager
def _bounded(code):
    deadline = getattr(code, "deadline", None)
    if deadline is None:  # in this process: no limit to narrow
        yield
        return
    with code.limit(max(0.0, min(SECONDS, deadline - time.monotonic())), "the diagnosis's time limit"):
        yield


def sentence(function, name):
    """The sentence a student reads for the stored mistake ``name`` of ``function`` (None if it is unknown).

    For reports: ``MISTAKE <test id>: <name>`` lines store the name; this turns it back into its sentence.
    """
    return DIAGNOSIS.sentence(function, name)
