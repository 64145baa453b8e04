"""Naming a failing test's mistake at grading: the visible checks' own diagnosis engine, run in the sandbox.

``DIAGNOSIS`` is ``utils/checks/diagnosis.py`` of the instructor's repository,
loaded by its path under a private name (never a student's copy, whatever is
first on ``sys.path``), with the mistake hashes next to it. ``diagnose`` asks
the student's own function (the proxy the hidden tests call: in the sandbox at
grading) on each probe, so a failing test and the visible check give the same
verdict in the same words for the same code.
"""

from ..exercises import ROOT
from ..sandbox.client import WorkerFailure
from . import reference
from .outcome import Failure

DIAGNOSIS = reference._load(ROOT / "utils" / "checks" / "diagnosis.py", "diagnosis")  # by path, private name
STOP = (NotImplementedError, Failure, WorkerFailure)  # a stub, a stalled or crashed worker: nothing to establish


def diagnose(function, student):
    """The Diagnosis of the student's ``function`` (a ``StudentFunction``), run on every probe."""
    return DIAGNOSIS.diagnose(function, student.raw, stop=STOP)


def sentence(function, name):
    """The sentence a student reads for the stored mistake ``name`` of ``function`` (None if it is unknown).

    For reports: ``MISTAKE <test id>: <name>`` lines store the name; this turns it back into its sentence.
    """
    return DIAGNOSIS.sentence(function, name)
