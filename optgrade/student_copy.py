"""``optgrade student DEST``: the released view of the workbook, for a student or a self-learner.

DEST gets what ``optgrade release`` hands out: the notebooks at the top with
``utils/`` and ``datasets/`` beside them, hidden tests stripped, cells locked
and outputs cleared by nbgrader's own generate_assignment preprocessors (run
here without a course directory or gradebook), a guide and requirements.txt;
never ``solutions/``. The result goes through the release's leak check.

An existing copy is kept as it is (it holds the student's work): running the
command again only says where it is.
"""

import shutil
from pathlib import Path

import nbformat
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    LockCells,
)

from .exercises import ROOT
from .workbook import copy_given, notebooks

# nbgrader's GenerateAssignment pipeline, less what needs a course (header/footer, autotests, the gradebook).
RELEASE_STEPS = (
    LockCells,
    ClearSolutions,
    ClearOutput,
    CheckCellMetadata,
    ComputeChecksums,
    ClearHiddenTests,
    ClearMarkScheme,
    ComputeChecksums,
    CheckCellMetadata,
)


class StudentCopyError(RuntimeError):
    """DEST cannot hold a student copy (the message says why and what to do)."""


def released_notebook(path):
    """The student version of one source notebook, as nbgrader generate_assignment makes it."""
    notebook = nbformat.read(path, as_version=4)
    resources = {}
    for step in RELEASE_STEPS:
        notebook, resources = step().preprocess(notebook, resources)
    return notebook


def is_student_copy(dest, root=ROOT):
    return all((Path(dest) / path.name).is_file() for path in notebooks(root)) and (Path(dest) / "utils").is_dir()


def make(dest, root=ROOT):
    """Create the student copy in dest. Returns (dest, created): an existing copy is left untouched."""
    from .course import leaks

    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise StudentCopyError(f"{dest} is a file: name a folder for the workbook")
    if is_student_copy(dest, root):
        return dest, False
    if dest.is_dir() and any(dest.iterdir()):
        raise StudentCopyError(f"{dest} is not empty and holds no workbook: name a new or empty folder")
    dest.mkdir(parents=True, exist_ok=True)
    copy_given(dest, root)
    for path in notebooks(root):
        nbformat.write(released_notebook(path), dest / path.name)
    findings = leaks.check(dest, root)
    if findings:
        shutil.rmtree(dest)
        raise StudentCopyError("the student copy leaks instructor material:\n  " + "\n  ".join(findings))
    return dest, True
