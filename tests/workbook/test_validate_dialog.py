"""Validate in JupyterLab tells the truth (issue 24): on a notebook whose visible checks pass, its dialog says
"Visible checks passed; hidden tests run at grading.", not nbgrader's "Success! Your notebook passes all the
tests." (no hidden test ran). Real run: the README's ``optgrade student`` (which links the extension into this
environment), JupyterLab, Debian's chromium, nbgrader's own Validate button.
"""

import subprocess
import sys

import browser_support
import pytest
from browser_support import screenshot_on_failure, serve
from course_helpers import write_answer

from optgrade.course.demo import solved
from optgrade.lab_extension import target

pytestmark = pytest.mark.slow

NOTEBOOK = "07_local_optima_saddle_points.ipynb"
TRUE = "Visible checks passed; hidden tests run at grading."


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a student's copy made by ``optgrade student``, notebook 07 finished: (url, token, root)."""
    root = tmp_path_factory.mktemp("validate") / "copies"
    root.mkdir()
    made = subprocess.run(
        [sys.executable, "-m", "optgrade.cli", "student", str(root / "copy")], capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    assert (target() / "package.json").is_file(), made.stderr  # what JupyterLab loads
    (root / "copy" / "utils" / "saddle.py").write_text(solved("saddle"))
    write_answer(
        root / "copy", "Most critical points of a high-dimensional loss have both signs of curvature.", NOTEBOOK
    )
    with serve(root) as (url, token):
        yield url, token, root


def test_validate_on_a_finished_notebook_says_the_visible_checks_passed_and_hidden_tests_run_at_grading(
    browser, lab, tmp_path_factory
):
    page = browser_support.open_notebook(browser, lab, "copy", NOTEBOOK)
    with screenshot_on_failure(page, tmp_path_factory.mktemp("validate-shots"), "dialog"):
        page.locator(".validate-button").first.click()
        message = page.locator("#validation-message")
        message.wait_for(timeout=240_000)
        text = message.inner_text()
        assert "validation-success" in message.get_attribute("class"), text
        assert text.strip() == TRUE
        assert "passes all the tests" not in page.locator(".jp-Dialog").inner_text()
