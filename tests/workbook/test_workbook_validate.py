"""nbgrader's own ``nbgrader validate`` on a released notebook: what Validate's dialog shows a student.

Validate runs each stripped grade cell's visible check (``utils/checks/notebook.py``); the dialog shows a
failed cell's error, not what it printed, so the error holds the check's PASS/FAIL lines. An empty written
answer is shown with its cell, whose first line names the question.
"""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from optgrade.exercises import ROOT
from optgrade.stubs import solved_source
from optgrade.student_copy import released_notebook
from optgrade.workbook import copy_given, notebooks

pytestmark = pytest.mark.slow

NOTEBOOK = "07_local_optima_saddle_points.ipynb"
PLUS = ("path[k] - learning_rate", "path[k] + learning_rate")  # gradient ascent: the start passes, every step fails


def _validate(folder):
    nbgrader = Path(sys.executable).parent / "nbgrader"
    done = subprocess.run(
        [str(nbgrader), "validate", NOTEBOOK], cwd=folder, capture_output=True, text=True, timeout=300, check=False
    )
    return done.stdout


@pytest.fixture
def released(tmp_path):
    copy_given(tmp_path)
    for path in notebooks():
        if path.name == NOTEBOOK:
            nbformat.write(released_notebook(path), tmp_path / path.name)
    return tmp_path


def test_validate_shows_the_failing_checks_lines_and_names_the_empty_written_answer(released):
    source = solved_source((ROOT / "solutions" / "saddle.py").read_text())
    assert PLUS[0] in source
    (released / "utils" / "saddle.py").write_text(source.replace(*PLUS))
    out = _validate(released)
    error = out[out.index("CheckFailed: gradient_descent_2d") :]  # the error, which the dialog shows
    assert "[FAIL]" in error and "[PASS]" in error and "Traceback" not in out, out
    assert error.index("[FAIL]") < error.index("failed (see above)"), "the lines are above in the error itself"
    assert "**Your answer (why saddle points dominate in high dimensions):**" in out, out
