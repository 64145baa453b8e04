"""``optgrade autograde --execute``: the notebooks re-run in a kernel inside the sandbox (SandboxedExecute).

A tiny course (the fixture notebook, 6 points) is graded twice: as usual, then
with ``execute=True``. The scores must not change; the cells that are not
hidden tests get fresh outputs from a kernel that sees the student's folder
at /submission and nothing of the grader's: not the repository's solutions,
no writable path outside the sandbox, no process that outlives the notebook.
"""

import os
import uuid
from pathlib import Path

import nbformat
import pytest
from course_helpers import SIMULATED, modules_of, scores
from nbformat.v4 import new_code_cell, new_output

from optgrade.course import autograde, build, release
from optgrade.course.demo import make_student, solved

FIXTURES = Path(__file__).parent.parent / "fixtures" / "course"
NOTEBOOK = "01_fixture_schedules.ipynb"
SOLUTION_FILE = Path(__file__).resolve().parents[2] / "solutions" / "schedules.py"
TOKEN = uuid.uuid4().hex
STALE = "stale output the student submitted\n"

CELL = """\
import os, subprocess, sys
for label, path, mode in (("read", {solution!r}, "r"), ("write", {marker!r}, "w"), ("write /usr", "/usr/x", "w")):
    try:
        with open(path, mode) as handle:
            handle.write("x") if mode == "w" else handle.read()
        print(label, "SUCCEEDED")
    except OSError as error:
        print(label, "failed:", type(error).__name__)
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", {token!r}], start_new_session=True)
print("cwd", os.getcwd())
from IPython.display import HTML, display
display(HTML("<script>document.title = 'PWNED'</script><b>bold, fresh from the kernel</b>"))
"""


def _edit(folder, marker):
    path = folder / NOTEBOOK
    notebook = nbformat.read(path, as_version=4)
    setup = next(i for i, c in enumerate(notebook.cells) if c.metadata.get("nbgrader", {}).get("locked"))
    cell = CELL.format(solution=str(SOLUTION_FILE), marker=str(marker), token=TOKEN)
    notebook.cells.insert(setup + 1, new_code_cell(cell))
    notebook.cells[-1].outputs = [new_output("stream", name="stdout", text=STALE)]
    nbformat.write(notebook, path)


def _outputs(course, student):
    notebook = nbformat.read(course.autograded(student, "workbook") / NOTEBOOK, as_version=4)
    return ["".join(o.get("text", "") for o in cell.outputs) for cell in notebook.cells if cell.cell_type == "code"]


def _token_processes():
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if TOKEN.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(int(pid))
        except OSError:
            pass
    return found


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """(scores as usual, scores and notebooks with execute=True, the marker a cell tried to write)."""
    course = build.build(
        tmp_path_factory.mktemp("course"), notebooks_dir=FIXTURES / "notebooks", timeout=10, memory_mb=2048
    )
    release.release(course, "workbook")
    source, incoming = course.release("workbook"), tmp_path_factory.mktemp("incoming")
    marker = course.path(f"escaped-{TOKEN[:8]}")
    for kind in SIMULATED:
        make_student(source, incoming / kind, modules_of(kind))
    _edit(make_student(source, incoming / "cells", {"schedules": solved("schedules")}), marker)
    autograde.autograde(course, "workbook", incoming, progress=lambda line: None)
    plain = scores(course), _outputs(course, "cells")
    autograde.autograde(course, "workbook", force=True, execute=True, progress=lambda line: None)
    executed = nbformat.read(course.autograded("cells", "workbook") / NOTEBOOK, as_version=4)
    outputs = [output for cell in executed.cells if cell.cell_type == "code" for output in cell.outputs]
    executed_run = (scores(course), _outputs(course, "cells"))
    return {"plain": plain, "executed": executed_run, "executed_cells": outputs, "marker": marker}


@pytest.mark.slow
def test_execute_keeps_the_scores(runs):
    plain, executed = runs["plain"][0], runs["executed"][0]
    assert plain == {"cells": 6.0, "mistake_no_floor": plain["mistake_no_floor"], "reference": 6.0, "untouched": 0.0}
    assert 0 < plain["mistake_no_floor"] < 6
    assert executed == plain


@pytest.mark.slow
def test_execute_gives_fresh_outputs_to_the_other_cells(runs):
    assert runs["plain"][1][-1] == STALE
    assert runs["executed"][1][-1] == "epoch 2: 0.16667\n"


@pytest.mark.slow
def test_cells_run_in_the_sandbox_and_nothing_survives(runs):
    assert SOLUTION_FILE.is_file()
    cell = runs["executed"][1][1]
    assert "read failed" in cell and "write failed" in cell and "write /usr failed" in cell, cell
    assert "SUCCEEDED" not in cell and "cwd /submission" in cell, cell
    assert not runs["marker"].exists()
    assert _token_processes() == []


def test_fresh_outputs_are_sanitised_too(runs, tmp_path):
    """--execute writes outputs the student's code made in the sandbox: they are made inert like submitted ones."""
    html = [o["data"]["text/html"] for o in runs["executed_cells"] if "text/html" in o.get("data", {})]
    assert html == ["<b>bold, fresh from the kernel</b>"], html
