"""Grades the held-out mistakes of issue 15 (``fixtures/heldout_mistakes``) on both sides, in this process.

A fixture ``<function>__<slip>.py`` is a student's version of one exercise function. Its student module
is the solved reference module with that one function replaced by the fixture's code (imports included),
so it runs exactly like a submission whose only slip is this one. Each is run through

- the hidden tests of its function (``StudentFolder.grade(..., sandboxed=False)``, as
  ``test_hidden_mistakes`` does): names are the ``MISTAKE <test id>: <name>`` lines of its tests;
- the visible check of its function (``utils.checks.run`` with a ``Recorder``): names are the
  mistakes whose shipped fingerprints match the recorded calls (``diagnosis.matching``, what
  ``named_mistakes`` reports under the first FAIL), counted only if the check FAILs.

A name counts for the *catalog* if it is a hand-written entry of ``optgrade.hidden.mistakes.MISTAKES``
for that function; *search* counts any name (catalog or generated).
"""

import ast
import contextlib
import io
import shutil
import tempfile
import types
import warnings
from pathlib import Path
from typing import NamedTuple

from fixtures.hidden.students import StudentFolder, reference_source, replace_function

from optgrade.exercises import ROOT, module_of
from optgrade.hidden import MISTAKES, TESTS
from utils.checks import CheckFailed, run
from utils.checks.diagnosis import Recorder, matching

FIXTURES = Path(__file__).parent / "fixtures" / "heldout_mistakes"


class Student(NamedTuple):
    """One student module: ``function`` in ``module`` written as ``source`` (the whole module's text)."""

    label: str  # the fixture's file stem, or a valid variant's id
    function: str
    module: str
    source: str


class Verdict(NamedTuple):
    """What grading and the visible check said of one student."""

    student: Student
    lost_points: bool  # some hidden test of the function gave less than full credit
    hidden_names: frozenset  # names in MISTAKE lines of the function's hidden tests that did not pass
    flags: frozenset  # FLAG lines' findings (reference, tampering): points lost for integrity, not the slip
    visible_failed: bool  # the visible check raised (CheckFailed or the student's own error)
    visible_names: frozenset  # mistakes the visible check's recorded calls match

    def named_at_grading(self, catalog_only):
        return bool(_kept(self.hidden_names, self.student.function, catalog_only))

    def named_before_submission(self, catalog_only):
        return self.visible_failed and bool(_kept(self.visible_names, self.student.function, catalog_only))


def _kept(names, function, catalog_only):
    return names & catalog_names(function) if catalog_only else names


def catalog_names(function):
    """Names of the hand-written catalog's entries for ``function``."""
    return frozenset(mistake.name for mistake in MISTAKES if mistake.function == function)


def _without_docstring(source):
    """``source`` minus its module docstring (the rest, imports and defs, goes into the student module)."""
    tree = ast.parse(source)
    first = tree.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return "".join(source.splitlines(keepends=True)[first.end_lineno :]).lstrip("\n")
    return source


def student_module(function, definition, prefix=""):
    """The solved reference module of ``function`` with its def replaced by ``definition`` (code with that def)."""
    module = module_of(function)
    return Student("", function, module, prefix + replace_function(reference_source(module), function, definition))


def fixtures(folder=FIXTURES):
    """Every held-out mistake of ``folder`` (default the first set), as a Student, sorted by file name."""
    students = []
    for path in sorted(Path(folder).glob("*.py")):
        function = path.stem.partition("__")[0]
        students.append(student_module(function, _without_docstring(path.read_text()))._replace(label=path.stem))
    return students


def describe(label, folder=FIXTURES):
    """The one-line description of the slip (the fixture's module docstring)."""
    return ast.get_docstring(ast.parse((Path(folder) / f"{label}.py").read_text())).splitlines()[0]


class Grader:
    """One student folder (a temporary copy of the shipped utils/) reused for every student."""

    def __init__(self, path=None):
        self._temporary = None if path else tempfile.TemporaryDirectory(prefix="heldout-")
        self.folder = StudentFolder(Path(path or self._temporary.name))

    def close(self):
        if self._temporary:
            self._temporary.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def hidden(self, student):
        """{test id: Graded} for the hidden tests of ``student.function``; the stub is put back afterwards."""
        self.folder.write(student.module, student.source)
        try:
            return {
                test_id: self.folder.grade(test_id, sandboxed=False)
                for test_id in TESTS
                if test_id.partition(".")[0] == student.function
            }
        finally:
            shutil.copy(ROOT / "utils" / f"{student.module}.py", self.folder.path / "utils" / f"{student.module}.py")

    def verdict(self, student):
        results = self.hidden(student)
        hidden_names = frozenset(
            line.partition(": ")[2]
            for result in results.values()
            if not result.full
            for line in result.stdout.splitlines()
            if line.startswith("MISTAKE ")
        )
        visible_failed, visible_names = visible(student)
        return Verdict(
            student,
            lost_points=any(not result.full for result in results.values()),
            hidden_names=hidden_names,
            flags=frozenset(
                line.partition(": ")[2]
                for result in results.values()
                for line in result.stdout.splitlines()
                if line.startswith("FLAG ")
            ),
            visible_failed=visible_failed,
            visible_names=visible_names,
        )


def visible(student):
    """(failed, names): run the function's visible check on the student's module, as ``check()`` does.

    ``names`` are what the check prints under its first FAIL (``named_mistakes``: the mistakes matching
    every recorded call); none when the check passes or the student's code raised out of it.
    """
    namespace = types.ModuleType(f"heldout_{student.module}")
    exec(compile(student.source, f"<{student.label or student.module}>", "exec"), namespace.__dict__)
    recorder = Recorder(getattr(namespace, student.function), student.function)
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the student's own overflow or 0/0
        try:
            run(student.function, recorder)
        except CheckFailed:
            return True, frozenset(matching(student.function, recorder.calls))
        except Exception:  # the student's code raised out of the check: the notebook stops there, unnamed
            return True, frozenset()
    return False, frozenset()


def share(verdicts, predicate):
    """'41/44, 93 %' for the verdicts that satisfy ``predicate``."""
    hits = sum(1 for verdict in verdicts if predicate(verdict))
    return hits, len(verdicts), f"{hits}/{len(verdicts)}, {round(100 * hits / len(verdicts)) if verdicts else 0} %"


def valid_variants():
    """The accepted valid variants the repository grades (``test_hidden_variants.VALID``), as Students."""
    from test_hidden_variants import IDS, SCHEDULES_IMPORT, VALID

    return [
        student_module(function, definition, SCHEDULES_IMPORT if module == "schedules" else "")._replace(label=label)
        for (module, function, definition), label in zip(VALID, IDS, strict=True)
    ]
