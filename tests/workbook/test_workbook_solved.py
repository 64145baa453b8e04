"""The solved workbook (stubs replaced by the solutions) runs clean, quiet and reproduces its pinned numbers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from optgrade.workbook import ACCEPT_REFERENCE, accepting_reference, build_solved, notebooks, run_notebook

NAMES = [path.name for path in notebooks()]


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    return build_solved(tmp_path_factory.mktemp("solved"))


@pytest.mark.slow
def test_solved_workbook_passes_nbval(solved):
    """Every cell runs and every nbval-check-output cell reproduces its stored output."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider", "-q"]
        + ["-p", "nbval_ipc"]  # its kernels over Unix sockets (tests/nbval_ipc.py)
        + [str(solved / name) for name in NAMES],
        cwd=solved,
        env={**os.environ, ACCEPT_REFERENCE: "1", "PYTHONPATH": str(Path(__file__).parent.parent)},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_solved_notebook_writes_nothing_to_stderr_and_no_stray_repr(solved, name):
    """nbgrader scores a cell 0 on any stderr: no warnings, no progress bars, in any cell (grade cells included).
    And no figure cell shows the repr of what its last line returned (``<matplotlib.legend.Legend at 0x...>``)."""
    with accepting_reference():
        executed = run_notebook(solved / name)
    strays = [
        (index, output.data["text/plain"][:120])
        for index, cell in enumerate(executed.cells)
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "execute_result" and " at 0x" in output.data.get("text/plain", "")
    ]
    assert strays == []
    noisy = [
        (index, output.text[:300])
        for index, cell in enumerate(executed.cells)
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stderr"
    ]
    assert noisy == []
