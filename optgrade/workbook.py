"""Assemble the workbook in other forms: the solved build (stubs replaced by solutions).

optgrade solved DEST        # notebooks + utils (solved) + datasets in DEST
optgrade outputs [NB ...]   # refresh the stored outputs of nbval-checked cells
"""

import contextlib
import os
import shutil
import tomllib
from pathlib import Path

import nbformat

from .exercises import EXERCISES, ROOT
from .stubs import solved_source

CHECKED = "nbval-check-output"  # cells whose stored outputs nbval compares
ACCEPT_REFERENCE = "OPTGRADE_ACCEPT_REFERENCE"  # see optgrade.hidden.integrity
NOTEBOOKS = ROOT / "notebooks"


def notebooks(root=ROOT):
    """The workbook's notebooks, in teaching order."""
    return sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def student_requirements(root=ROOT):
    """requirements.txt for students: the project's pinned run-time dependencies (pyproject.toml)."""
    with open(root / "pyproject.toml", "rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    return "# Install with: pip install -r requirements.txt\n" + "".join(f"{pin}\n" for pin in dependencies)


def copy_given(dest, root=ROOT):
    """Copy what students get besides the notebooks into dest: utils/, datasets/, a README and requirements."""
    dest = Path(dest)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    shutil.copytree(root / "utils", dest / "utils", ignore=ignore, dirs_exist_ok=True)
    shutil.copytree(root / "datasets", dest / "datasets", ignore=ignore, dirs_exist_ok=True)
    shutil.copy2(root / "docs" / "student-guide.md", dest / "README.md")
    (dest / "requirements.txt").write_text(student_requirements(root))


def build_solved(dest, root=ROOT):
    """Notebooks, datasets and utils/ with every exercise module solved, in dest. Returns dest."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    copy_given(dest, root)
    for module in EXERCISES:
        text = (root / "solutions" / f"{module}.py").read_text()
        (dest / "utils" / f"{module}.py").write_text(solved_source(text))
    for notebook in notebooks(root):
        shutil.copy2(notebook, dest / notebook.name)
    return dest


@contextlib.contextmanager
def accepting_reference():
    """Let hidden tests grade the solved build, whose utils/ is a copy of the reference (kernels inherit this)."""
    previous = os.environ.get(ACCEPT_REFERENCE)
    os.environ[ACCEPT_REFERENCE] = "1"
    try:
        yield
    finally:
        if previous is None:
            del os.environ[ACCEPT_REFERENCE]
        else:
            os.environ[ACCEPT_REFERENCE] = previous


def strip_outputs(notebook):
    """Clear outputs and execution counts, except in cells tagged nbval-check-output."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if CHECKED not in cell.metadata.get("tags", []):
            cell.outputs = []
            cell.execution_count = None
    notebook.metadata.pop("widgets", None)
    return notebook


def refresh_checked_outputs(paths=None, root=ROOT, timeout=900):
    """Run the solved workbook and store the outputs of nbval-checked cells in notebooks/; yields each path done.

    Every other cell is stored without outputs. The stored outputs are what
    nbval later compares against, so they are always computed, never typed.
    """
    import tempfile

    from .local_kernel import notebook_client

    with tempfile.TemporaryDirectory() as tmp, accepting_reference():
        build_solved(tmp, root)
        for path in paths or notebooks(root):
            path = Path(path)
            executed = nbformat.read(Path(tmp) / path.name, as_version=4)
            notebook_client(executed, timeout=timeout, resources={"metadata": {"path": tmp}}).execute()
            source = nbformat.read(path, as_version=4)
            for cell, run in zip(source.cells, executed.cells, strict=True):
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = run.outputs, run.execution_count
            nbformat.write(strip_outputs(source), path)
            yield path


def build_student_copy(dest, root=ROOT):
    """What a student works in: notebooks without hidden tests, the stubs, the datasets. Returns dest."""
    from nbgrader.preprocessors import ClearHiddenTests

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    copy_given(dest, root)
    for path in notebooks(root):
        notebook = nbformat.read(path, as_version=4)
        notebook, _ = ClearHiddenTests().preprocess(notebook, {})
        nbformat.write(notebook, dest / path.name)
    return dest


def run_notebook(path, allow_errors=False, timeout=600):
    """Execute a notebook in its own folder with nbclient; return the executed notebook (timings in cell metadata)."""
    from .local_kernel import notebook_client

    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    client = notebook_client(
        notebook,
        timeout=timeout,
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return notebook


def cell_seconds(cell):
    """Wall time of an executed code cell, from nbclient's recorded timestamps."""
    from datetime import datetime

    timing = cell.metadata.get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return 0.0
    return (datetime.fromisoformat(end.rstrip("Z")) - datetime.fromisoformat(start.rstrip("Z"))).total_seconds()
