"""Grades held-out mistakes (``fixtures/heldout_mistakes``, ``..._2``) on both sides, in this process.

A fixture ``<function>__<slip>.py`` is a student's version of one exercise function. Its student module
is the solved reference module with that one function replaced by the fixture's code (imports included),
so it runs exactly like a submission whose only slip is this one. Each is run through

- the hidden tests of its function (``StudentFolder.grade(..., sandboxed=False)``, as
  ``test_hidden_mistakes`` does): what grading says is read from the ``MISTAKE <test id>: <name>`` and
  ``ONE_OF <test id>: <name> | <name>`` lines of its tests that did not pass;
- the visible check of its function (``utils.checks.run`` with a ``Recorder``): what it says under the
  first FAIL is the diagnosis of the student's function (``diagnosis.diagnose``), if the check FAILs.

Each side's verdict is a ``Said``: "named" (one mistake), "one_of" (several the probes cannot tell
apart) or "unnamed", with the sentences the student reads; ``heldout_keys.judge`` scores it.
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
from optgrade.hidden import TESTS, parse, sentence
from utils.checks import CheckFailed, run
from utils.checks.diagnosis import Recorder, diagnose

FIXTURES = Path(__file__).parent / "fixtures" / "heldout_mistakes"


class Student(NamedTuple):
    """One student module: ``function`` in ``module`` written as ``source`` (the whole module's text)."""

    label: str  # the fixture's file stem, or a valid variant's id
    function: str
    module: str
    source: str


class Said(NamedTuple):
    """What one side tells the student about the mistake."""

    kind: str  # "named", "one_of" or "unnamed" (heldout_keys.KINDS)
    names: tuple = ()  # the mistakes' stored names
    sentences: tuple = ()  # what the student reads for each


UNNAMED = Said("unnamed")


def said(function, names, one_of=False):
    """The Said of ``names`` (one: named, several or ``one_of``: one of, none: unnamed) with their sentences."""
    names = tuple(dict.fromkeys(names))
    if not names:
        return UNNAMED
    kind = "one_of" if one_of or len(names) > 1 else "named"
    return Said(kind, names, tuple(sentence(function, name) for name in names))


class Verdict(NamedTuple):
    """What grading and the visible check said of one student."""

    student: Student
    lost_points: bool  # some hidden test of the function gave less than full credit
    flags: frozenset  # FLAG lines' findings (reference, tampering): points lost for integrity, not the slip
    visible_failed: bool  # the visible check raised (CheckFailed or the student's own error)
    grading: Said  # from the MISTAKE / ONE_OF lines of the function's hidden tests that did not pass
    before: Said  # under the visible check's first FAIL (unnamed when the check passes)

    @property
    def same(self):
        """Both sides give the same verdict (kind and names)."""
        return (self.grading.kind, self.grading.names) == (self.before.kind, self.before.names)


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
        lines = [line for result in results.values() if not result.full for line in parse(result.stdout)]
        named = [line.detail for line in lines if line.kind == "MISTAKE"]
        listed = [name for line in lines if line.kind == "ONE_OF" for name in line.detail.split(" | ")]
        visible_failed, before = visible(student)
        return Verdict(
            student,
            lost_points=any(not result.full for result in results.values()),
            flags=frozenset(
                line.detail for result in results.values() for line in parse(result.stdout) if line.kind == "FLAG"
            ),
            visible_failed=visible_failed,
            grading=said(student.function, named + listed, one_of=bool(listed)),
            before=before,
        )


def visible(student):
    """(failed, Said): run the function's visible check on the student's module, as ``check()`` does.

    The Said is what the check prints under its first FAIL (``diagnosis.named_mistakes``: the student's
    function run on the probes); unnamed when the check passes or the student's code raised out of it.
    """
    namespace = types.ModuleType(f"heldout_{student.module}")
    exec(compile(student.source, f"<{student.label or student.module}>", "exec"), namespace.__dict__)
    function = getattr(namespace, student.function)
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the student's own overflow or 0/0
        try:
            run(student.function, Recorder(function, student.function))
        except CheckFailed:
            found = diagnose(student.function, function)
            return True, Said(found.kind if found.names else "unnamed", found.names, found.sentences)
        except Exception:  # the student's code raised out of the check: the notebook stops there, unnamed
            return True, UNNAMED
    return False, UNNAMED


def share(verdicts, predicate):
    """'41/44, 93 %' for the verdicts that satisfy ``predicate``."""
    hits = sum(1 for verdict in verdicts if predicate(verdict))
    return hits, len(verdicts), f"{hits}/{len(verdicts)}, {round(100 * hits / len(verdicts)) if verdicts else 0} %"


def valid_variants():
    """The accepted valid variants the repository grades (``valid_variants.VALID``), as Students."""
    from valid_variants import IDS, SCHEDULES_IMPORT, VALID

    return [
        student_module(function, definition, SCHEDULES_IMPORT if module == "schedules" else "")._replace(label=label)
        for (module, function, definition), label in zip(VALID, IDS, strict=True)
    ]
