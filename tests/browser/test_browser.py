"""A real browser (Debian's chromium, driven by Playwright) on a student copy in JupyterLab and on the report.

The student part writes a wrong and then a correct ``random_mini_batches``
into utils/minibatch.py through JupyterLab's contents API and runs the check
cell each time, reading what the page shows. The instructor part opens a
report.html made from the real grade-cell names (a class of 40, one hostile
row with many flags) at 1280 px. On failure a screenshot is saved and its
path is in the failure message.
"""

import time

import nbformat
import pytest
from browser_support import put, run_cell, screenshot_on_failure, serve

from optgrade.course import report
from optgrade.course.demo import solved
from optgrade.course.layout import Course
from optgrade.exercises import ROOT
from optgrade.student_copy import make

NOTEBOOK = "01_minibatch_gradient_descent.ipynb"
WRONG = '''

def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """Forgets to shuffle."""
    m = X.shape[1]
    return [(X[:, k : k + mini_batch_size], Y[:, k : k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
'''

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a fresh student copy: (base url, token, copy folder)."""
    copy, _ = make(tmp_path_factory.mktemp("student") / "workbook")
    with serve(copy) as (url, token):
        yield url, token, copy


def test_a_student_fixes_random_mini_batches_and_the_check_says_so(browser, lab, tmp_path):
    url, token, copy = lab
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    with screenshot_on_failure(page, tmp_path / "screenshots", "student"):
        started = time.monotonic()
        page.goto(f"{url}/lab/tree/{NOTEBOOK}?token={token}")
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=240_000)
        run_cell(page, "%load_ext utils.checks")
        # JupyterLab asking which kernel to start, as a busy machine made it do in CI: answered with the one proposed
        page.locator(".lm-MenuBar-item", has_text="Kernel").click()
        page.get_by_role("menuitem", name="Change Kernel…").click()
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-Dialog')].some(d => /Select Kernel/.test(d.innerText))"
        )

        stub = (copy / "utils" / "minibatch.py").read_text()
        put(url, token, "utils/minibatch.py", stub + WRONG)
        wrong = run_cell(page, "check(random_mini_batches)")  # the dialog answered on the way (accept_kernel_choice)
        assert page.locator(".jp-Dialog").count() == 0
        assert "FAIL" in wrong, wrong
        assert "Traceback" not in wrong, wrong

        put(url, token, "utils/minibatch.py", solved("minibatch"))
        right = run_cell(page, "check(random_mini_batches)")
        assert "PASS" in right and "FAIL" not in right, right
        assert "Traceback" not in right, right
        print(f"student scenario: {time.monotonic() - started:.1f} s in the browser")
    page.close()


def _class_of(exercises, written):
    """A gradebook-shaped class: full marks, zeros, one student with written answers pending, one with 45 flags."""
    students = []
    for number in range(40):
        full = number % 3 != 0
        scores = {name: points if full else 0.0 for name, points in exercises.items()}
        pending = {name: points for name, points in exercises.items() if name in written and number == 1}
        flags = (
            [(f"{name}.values", f"flag {k}") for k, name in enumerate(list(exercises) * 2)][:45] if number == 2 else []
        )
        students.append(
            {
                "student": f"student_{number:02d}",
                "name": f"student_{number:02d}",  # the display name collect takes from the roster (none here)
                "status": "graded",
                "scores": scores,
                "total": sum(scores.values()),
                "pending": pending,
                "manual": sum(pending.values()),
                "by_hand": 0.0,
                "mistakes": [("ewa.values", "beta_swapped")] if not full else [],
                "flags": flags,
                "notes": ["print flood cut"] if number == 2 else [],
            }
        )
    return {"students": students, "exercises": exercises, "written": written, "max": sum(exercises.values())}


def _workbook_exercises():
    exercises, written = {}, set()
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade"):
                name = report.exercise_of(meta["grade_id"])
                exercises[name] = exercises.get(name, 0) + float(meta["points"])
                if cell.cell_type == "markdown":
                    written.add(name)
    return exercises, written


def test_the_report_renders_its_figures_and_tables_at_1280_px(browser, tmp_path, monkeypatch):
    exercises, written = _workbook_exercises()
    monkeypatch.setattr(report, "collect", lambda course, assignment: _class_of(exercises, written))
    for lms in ("canvas", "moodle"):  # this simulated class has no gradebook to export (test_lms_roundtrip does)
        monkeypatch.setattr(report.gradefiles, lms, lambda *arguments: None)
    course = Course(tmp_path / "course")
    course.settings_file.parent.mkdir(parents=True)
    course.settings_file.write_text("{}")  # a course with the default settings (a sqlite gradebook it never reads)
    html = report.report(course, "workbook", tmp_path / "report")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    with screenshot_on_failure(page, tmp_path / "screenshots", "report"):
        page.goto(html.as_uri())
        images = page.eval_on_selector_all("img", "els => els.map(e => [e.alt, e.naturalWidth, e.naturalHeight])")
        assert [alt for alt, _, _ in images] == ["score histogram", "pass rates"]
        assert all(width > 0 for _, width, _ in images), images
        assert images[1][2] / len(exercises) >= 25, images  # at least 25 px per exercise label
        rows = page.eval_on_selector_all("table", "els => els.map(t => t.querySelectorAll('tbody tr').length)")
        assert rows and all(count > 0 for count in rows), rows
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, f"the report is {width} px wide"
        hostile = page.locator("#students tr", has_text="student_02")
        assert hostile.bounding_box()["height"] < 120
        assert "45 flags" in hostile.inner_text()
        assert page.locator("#manual-grading").inner_text().startswith("1 of 40 students")
    page.close()
