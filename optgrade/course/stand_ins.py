"""Stand-in notebooks: a notebook a submission lacks, or one that cannot be read, still has its exercises graded.

Every autograded exercise of the workbook is graded from the student's
``utils/`` modules, never from the notebook, so a notebook cut off by a bad
save, replaced by something else or left out must not cost those points.
``preflight`` (in ``submissions``) moves a notebook nbformat cannot read to
.optgrade/quarantine/<student>/<assignment>/ (``quarantine``); ``put`` then
writes the released notebook in its place, with a first cell saying to the
student what happened and what they can do, and for a notebook that could not
be read every written answer replaced by a note, so that nbgrader marks it to
grade by hand (the instructor has the file). A notebook that was never
submitted keeps the released, blank answers: nbgrader scores them 0. The
grading job and nbgrader's autograde then treat the stand-in as any notebook:
its hidden tests run on the student's ``utils/`` in the sandbox, as always.

A stand-in is recognised on later runs by the digest kept beside the reason
(``<notebook>.stand-in``), never by anything inside submitted/, which the
student wrote; a new submission replaces it, and stale marks are cleared.
"""

import hashlib
import json
import shutil

import nbformat
from nbformat.v4 import new_markdown_cell
from nbgrader.utils import is_grade, is_solution

NOT_JSON = ("NotJSONError", "JSONDecodeError", "UnicodeDecodeError")
REDO = (
    "**What you can do:** open your notebook in Jupyter. If it does not open, copy your answers into a fresh "
    "copy of the notebook (JupyterLab's *File > Revert Notebook to Checkpoint* may bring back a saved version), "
    "and ask your instructor whether you may submit again."
)
RENAME = (
    "**What you can do:** if you saved this notebook under another name, give it back the name above and ask "
    "your instructor whether you may submit again."
)


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def quarantine(course, student, assignment, path, error):
    """Move a submitted notebook nbformat could not read out of submitted/, keeping why."""
    folder = course.quarantine(student, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.move(path, folder / path.name)
    (folder / f"{path.name}.reason").write_text(f"{type(error).__name__}: {error}"[:500])
    (folder / f"{path.name}.stand-in").unlink(missing_ok=True)  # a stand-in of an earlier submission


def _why(reason):
    """What was wrong with the file, in the student's words, from the stored reason's exception name."""
    if reason.split(":")[0] in NOT_JSON:
        return "it is not a complete notebook file (cut off while saving, or not a notebook at all)"
    return "it is not in the notebook format Jupyter reads"


def _stand_in(released, name, reason):
    """The released notebook with a first cell saying what happened; unreadable: the written answers noted."""
    notebook = nbformat.read(released, as_version=4)
    utils = "Your autograded exercises were graded all the same, from your files in `utils/`: their scores are yours."
    if reason is None:
        head = f"**You did not submit `{name}`**, so this page shows the assignment's notebook in its place. {utils}"
        head += " Written answers can only be taken from the notebook, so they score 0.\n\n" + RENAME
    else:
        head = f"**Your `{name}` could not be read**: {_why(reason)}. This page shows the assignment's notebook"
        head += f" in its place. {utils} Your written answers could not be taken from the file: your instructor"
        head += " grades them by hand from the file you submitted.\n\n" + REDO
        for cell in notebook.cells:
            if is_grade(cell) and is_solution(cell):
                cell.source = (
                    f"*Your answer could not be taken from `{name}`, which could not be read: your instructor "
                    "grades it by hand from the file you submitted.*"
                )
    notebook.cells.insert(0, new_markdown_cell(head))
    return notebook


def _note(name, kept, reason):
    """The instructor's line for the run, the grading record and the report (kept: the file, from the course)."""
    if reason is None:
        return f"{name} was not submitted: its autograded exercises were graded from utils/, written answers score 0"
    return (
        f"{name} could not be read ({reason.split(':')[0]}): its autograded exercises were graded from utils/, "
        f"its written answers are to grade by hand from {kept}"
    )


def _clear(folder, name):
    for suffix in ("", ".reason", ".stand-in"):
        (folder / f"{name}{suffix}").unlink(missing_ok=True)


def put(course, student, assignment):
    """Write the stand-ins a non-empty submission needs; returns one note per stand-in (new or from before)."""
    folder = course.quarantine(student, assignment)
    submitted = course.submitted(student, assignment)
    released = sorted(course.release(assignment).glob("*.ipynb"))
    notes, wanted = [], []
    for notebook in released:
        name, target, mark = notebook.name, submitted / notebook.name, folder / f"{notebook.name}.stand-in"
        stored = json.loads(mark.read_text()) if mark.is_file() else None
        if target.is_file() and stored and stored["sha256"] == _digest(target):
            notes.append(stored["note"])  # ours, from an earlier run of the same submission
        elif target.exists() or stored:
            _clear(folder, name)  # the student's own notebook now, or a stand-in the submission no longer holds
            wanted += [] if target.exists() else [notebook]
        else:
            wanted.append(notebook)
    reasons = {p.name.removesuffix(".reason") for p in folder.glob("*.ipynb.reason")}
    if not reasons and not any(path.is_file() for path in submitted.rglob("*")):
        return notes  # an empty submission (or an unreadable archive): nothing to stand in for
    for notebook in wanted:
        name = notebook.name
        reason = (folder / f"{name}.reason").read_text() if name in reasons else None
        nbformat.write(_stand_in(notebook, name, reason), submitted / name)
        note = _note(name, (folder / name).relative_to(course.root), reason)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.stand-in").write_text(json.dumps({"sha256": _digest(submitted / name), "note": note}))
        notes.append(note)
    return notes


def stood_in(course, assignment):
    """{student: [note]} of the notebooks graded through a stand-in, from the marks (never from submitted/)."""
    stood = {}
    for mark in sorted(course.state("quarantine").glob(f"*/{assignment}/*.ipynb.stand-in")):
        stood.setdefault(mark.parent.parent.name, []).append(json.loads(mark.read_text())["note"])
    return stood
