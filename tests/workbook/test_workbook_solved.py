"""The solved workbook (stubs replaced by the solutions) runs clean, quiet and reproduces its pinned numbers."""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from optgrade.workbook import ACCEPT_REFERENCE, build_solved, notebooks

NAMES = [path.name for path in notebooks()]


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    return build_solved(tmp_path_factory.mktemp("solved"))


def nbval(folder, names):
    """``pytest --nbval-lax`` on folder's notebooks in a subprocess, with this suite's two nbval plugins."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider", "-q"]
        + ["-p", "nbval_ipc", "-p", "nbval_quiet"]  # kernels over Unix sockets; every cell quiet (tests/nbval_*.py)
        + [str(folder / name) for name in names],
        cwd=folder,
        env={**os.environ, ACCEPT_REFERENCE: "1", "PYTHONPATH": str(Path(__file__).parent.parent)},
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.slow
def test_solved_workbook_passes_nbval(solved):
    """Every cell runs, every nbval-check-output cell reproduces its stored output, and no cell writes to stderr
    or shows a stray repr (``-p nbval_quiet``: nbgrader scores a cell 0 on any stderr)."""
    result = nbval(solved, NAMES)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_nbval_quiet_fails_the_cells_that_write_to_stderr_or_show_a_stray_repr(tmp_path):
    """The check above, on a notebook with one cell of each: only the two noisy cells fail, each saying why."""
    cells = [
        "print('on stdout: fine')",
        "import sys\nsys.stderr.write('a warning\\n')",
        "class Legend:\n    pass\nLegend()",
        "Legend.__name__",  # a plain value's repr: fine
        "Legend();",  # hidden by the semicolon, as in JupyterLab: fine
    ]
    nbformat.write(new_notebook(cells=[new_code_cell(source) for source in cells]), tmp_path / "noisy.ipynb")
    result = nbval(tmp_path, ["noisy.ipynb"])
    assert result.returncode == 1, result.stdout
    assert "2 failed, 3 passed" in result.stdout, result.stdout[-3000:]
    assert "Cell 1 is not quiet: stderr: 'a warning\\n'" in result.stdout, result.stdout[-3000:]
    assert "Cell 2 is not quiet: stray repr: '<__main__.Legend at 0x" in result.stdout, result.stdout[-3000:]
