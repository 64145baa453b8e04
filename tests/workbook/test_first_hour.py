"""A new student's first hour in a real browser (Debian's chromium, Playwright, JupyterLab on 127.0.0.1).

Each test works in its own fresh student copy (``optgrade student``) and reads
what the page shows or, after Run All, what JupyterLab saves: outputs as the
student saw them. Files are written through JupyterLab's contents API, as the
editor saves them. On failure a screenshot is saved and named in the message.
"""

import re
import time

import browser_support
import pytest
from browser_support import open_notebook, output_texts, put, run_all, run_cell, screenshot_on_failure, traceback_cells

from optgrade.course.demo import solved
from optgrade.student_copy import make
from optgrade.workbook import notebooks

pytestmark = pytest.mark.slow

FIRST = "01_minibatch_gradient_descent.ipynb"
BROKEN = "def random_mini_batches(X, Y, mini_batch_size=64, seed=0):\n    return [\n"  # unclosed: line 2
STALE = re.compile(r"random_mini_batches(?:\(\))? (?:\(Exercise 1\.2\))?.*not implemented yet")


lab = browser_support.lab  # the fixture: JupyterLab serving a folder of student copies


@pytest.fixture(scope="module")
def untouched(lab):
    """One untouched student copy for the Run All of every notebook."""
    return make(lab[2] / "untouched")[0].name


@pytest.mark.parametrize("name", [path.name for path in notebooks()])
def test_run_all_on_the_untouched_copy_runs_every_cell_without_a_traceback(browser, lab, untouched, name, tmp_path):
    page = open_notebook(browser, lab, untouched, name)
    started = time.monotonic()
    with screenshot_on_failure(page, tmp_path / "screenshots", name[:2]):
        notebook = run_all(page, lab, f"{untouched}/{name}")
        shown = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
        tracebacks = traceback_cells(notebook)
        print(f"Run All of the untouched {name}: {len(tracebacks)} tracebacks, {time.monotonic() - started:.0f} s")
        assert tracebacks == [] and shown == 0, f"tracebacks in cells {tracebacks}; {shown} error outputs on the page"
    page.close()


def test_a_fixed_function_is_used_by_the_check_and_every_cell_below_without_a_restart(browser, lab, tmp_path):
    copy = "fixed"
    make(lab[2] / copy)
    url, token, _ = lab
    page = open_notebook(browser, lab, copy, FIRST)
    started = time.monotonic()
    with screenshot_on_failure(page, tmp_path / "screenshots", "fixed"):
        before = run_all(page, lab, f"{copy}/{FIRST}")
        stale = [text for _, text in output_texts(before) if STALE.search(text)]
        assert stale, "the untouched stub says it is not implemented"

        put(url, token, f"{copy}/utils/minibatch.py", solved("minibatch"))
        checked = run_cell(page, "check(random_mini_batches)")
        assert "6/6 visible checks passed" in checked and "FAIL" not in checked, checked
        shuffle = run_cell(page, "demo_batches = random_mini_batches(")
        table = run_cell(page, "def summarize(sizes):")
        assert "not implemented" not in shuffle + table and "needs" not in shuffle + table, shuffle + table
        assert "mini_batch_size   1: 300 updates per epoch" in table, table

        put(url, token, f"{copy}/utils/gd.py", solved("gd"))
        after = run_all(page, lab, f"{copy}/{FIRST}")  # the same kernel: no restart
        stale = [(index, text) for index, text in output_texts(after) if "not implemented" in text or "needs " in text]
        print(f"after the fix: {len(stale)} stale messages; {time.monotonic() - started:.0f} s in the browser")
        assert stale == [] and traceback_cells(after) == []
    page.close()


def test_a_file_that_does_not_import_says_so_in_one_line_and_nothing_else(browser, lab, tmp_path):
    copy = "syntax"
    make(lab[2] / copy)
    url, token, _ = lab
    page = open_notebook(browser, lab, copy, FIRST)
    with screenshot_on_failure(page, tmp_path / "screenshots", "syntax"):
        run_cell(page, "%load_ext utils.checks")
        put(url, token, f"{copy}/utils/minibatch.py", BROKEN)
        checked = run_cell(page, "check(random_mini_batches)").strip()
        assert "\n" not in checked, checked
        assert checked.startswith("utils/minibatch.py does not import (line 2: SyntaxError: "), checked
        needs = run_cell(page, "demo_batches = random_mini_batches(").strip()
        assert "\n" not in needs, needs
        assert needs.startswith(
            "needs random_mini_batches (Exercise 1.2): utils/minibatch.py does not import (line 2"
        ), needs
    page.close()
