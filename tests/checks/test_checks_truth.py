"""Checks tell the truth: they run the code on disk, and fail in one sentence without a traceback of given code."""

import importlib
import shutil
import sys

import nbformat
import pytest
from fixtures.hidden.students import reference_source

from optgrade.exercises import ROOT
from optgrade.workbook import run_notebook
from utils.checks import CheckFailed, check

BROKEN = "def random_mini_batches(X, Y, mini_batch_size=64, seed=0):\n    return [\n"  # unclosed: line 2


@pytest.fixture
def student(tmp_path):
    """tmp_path/utils: the shipped utils/ with minibatch solved."""
    shutil.copytree(ROOT / "utils", tmp_path / "utils", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "utils" / "minibatch.py").write_text(reference_source("minibatch"))
    return tmp_path


def test_a_file_saved_with_a_syntax_error_fails_with_file_and_line_not_a_stale_pass(student, capsys, monkeypatch):
    monkeypatch.syspath_prepend(str(student))
    saved = {name: module for name, module in sys.modules.items() if name == "utils" or name.startswith("utils.")}
    for name in saved:
        del sys.modules[name]
    try:
        minibatch = importlib.import_module("utils.minibatch")
        checks = importlib.import_module("utils.checks")
        old_function = minibatch.random_mini_batches
        checks.check(old_function)
        assert "Visible checks passed" in capsys.readouterr().out
        (student / "utils" / "minibatch.py").write_text(BROKEN)
        with pytest.raises(checks.CheckFailed, match=r"utils/minibatch\.py does not import \(line \d+: SyntaxError"):
            checks.check(old_function)
        assert "PASS" not in capsys.readouterr().out
    finally:
        for name in [name for name in sys.modules if name == "utils" or name.startswith("utils.")]:
            del sys.modules[name]
        sys.modules.update(saved)


def test_functions_outside_utils_are_checked_as_given():
    wrong = importlib.import_module("solutions.minibatch").random_mini_batches
    check(wrong)  # the reference itself, from solutions/: nothing to re-import, passes
    with pytest.raises(CheckFailed):
        check(_renamed(lambda X, Y, size=64, seed=0: [(X, Y)], "random_mini_batches"))


def _renamed(function, name):
    function.__name__ = name
    return function


SETUP = """%load_ext autoreload
%autoreload 2
import sys
sys.path.insert(0, ".")
from pathlib import Path
from utils.checks import check
from utils.minibatch import random_mini_batches
from utils.gd import update_parameters_with_gd"""
CELLS = [
    SETUP,
    "check(random_mini_batches)",  # 1: the solved module passes
    "def shuffled_once(X, Y, mini_batch_size=64, seed=0):\n    return [(X, Y)]\n"
    "shuffled_once.__name__ = 'random_mini_batches'\ncheck(shuffled_once)",  # 2: a wrong answer
    "check(update_parameters_with_gd)",  # 3: an untouched stub
    f"Path('utils/minibatch.py').write_text({BROKEN!r})",  # 4: saved with a syntax error
    "check(random_mini_batches)",  # 5: must not pass with the old function
]


def test_in_a_kernel_failures_are_one_sentence_without_frames_and_no_stale_pass(student):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in CELLS])
    nbformat.write(notebook, student / "truth.ipynb")
    cells = run_notebook(student / "truth.ipynb", allow_errors=True, timeout=120).cells

    def errors(index):
        return [output for output in cells[index].outputs if output.output_type == "error"]

    def text(index):
        return "".join(output.get("text", "") for output in cells[index].outputs)

    assert errors(0) == [] and errors(1) == [] and "Visible checks passed" in text(1)
    for index, ename, sentence in (
        (2, "CheckFailed", "visible check(s) of random_mini_batches failed"),
        (3, "NotImplementedError", "write it in utils/gd.py"),
        (5, "CheckFailed", "utils/minibatch.py does not import (line 2: SyntaxError"),
    ):
        (error,) = errors(index)
        assert error.ename == ename and sentence in error.evalue
        assert error.traceback == [f"{ename}: {error.evalue}"], "one sentence, no frames"
    assert "[FAIL]" in text(2) and "PASS" not in text(5)
