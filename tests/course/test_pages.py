"""The pages people read, opened the way they are read: feedback and report in Chromium at 800 to 1920 px.

A class of notebook 06 is graded once with ``optgrade autograde`` ("answered", "mistake" with a named
mistake and its FAIL lines, "wide" whose notebook holds a three-panel figure 1400 px wide, as notebook
01's batch-size plot is, and an empty submission), its report is made, and the pages are loaded in
Debian's chromium under Playwright at each width. The checks are on geometry: every output figure is
inside the page and every box that clips it, at its own aspect ratio; no word of a FAIL line is split
across two lines unless it is wider than its box. A full-page screenshot of each page and width is kept
(``SHOTS``) to be looked at.
"""

import base64
import io
import os
import re
import secrets
import shutil
import sys

import nbformat
import pytest
from browser_support import free_port, running
from course_helpers import NOTEBOOK_06, cell_grades, class_of_06, read_csv
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output
from nbgrader.api import Gradebook

from optgrade.course import autograde, report, verdicts
from optgrade.course.autograde import db_url
from optgrade.course.demo import make_student, solved
from optgrade.course.layout import COURSE_ID, Course
from optgrade.course.sanitize import NO_ALT
from optgrade.hidden.diagnosing import sentence

pytestmark = pytest.mark.slow
WIDTHS = (800, 1024, 1280, 1440, 1920)
PAGE = NOTEBOOK_06.replace(".ipynb", ".html")
DOT = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
OWN_ALT = "cost against epoch\" onerror=\"document.title='pwned'"  # a student's alt text: one attribute, inert
FORGED = "<img src=x onerror=\"document.title='pwned'\">"  # a verdict line's name, if one were ever forged

# Each output image: its box, whether a box that clips it (or the window) cuts any of it, its aspect ratio kept.
FIGURES = """() => [...document.querySelectorAll('div.output_subarea img')].map(img => {
  const r = img.getBoundingClientRect();
  let cut = r.left < -0.5 || r.right > document.documentElement.clientWidth + 0.5;
  for (let el = img.parentElement; el; el = el.parentElement) {
    if (getComputedStyle(el).overflowX === 'visible') continue;
    const box = el.getBoundingClientRect();
    if (r.left < box.left - 0.5 || r.right > box.right + 0.5) cut = true;
  }
  const ratio = (r.height / r.width) / (img.naturalHeight / img.naturalWidth);
  return {cut, width: r.width, natural: img.naturalWidth, ratio};
})"""

# Every word (run of non-spaces) of the output text that is drawn on two lines although it fits on one.
SPLIT_WORDS = """() => {
  const split = [];
  for (const pre of document.querySelectorAll('div.output_area pre')) {
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const rects = [...range.getClientRects()].filter(rect => rect.width > 0);
        const lines = new Set(rects.map(rect => Math.round(rect.top)));
        const width = rects.reduce((sum, rect) => sum + rect.width, 0);
        if (lines.size > 1 && width < pre.clientWidth) split.push(word[0]);
      }
    }
  }
  return split;
}"""


def _wide_figure():
    """A PNG of three panels side by side, 1400 x 380 px (notebook 01's batch-size plot is drawn so)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(14, 3.8), dpi=100)
    for axis, size in zip(axes, (1, 64, 300), strict=True):
        axis.plot(range(10), [1 / (1 + i) for i in range(10)])
        axis.set(title=f"batch size {size}", xlabel="epoch", ylabel="cost")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _with_figure(folder):
    path = folder / NOTEBOOK_06
    notebook = nbformat.read(path, as_version=4)
    cell = new_code_cell("plot_batch_sizes()", execution_count=7)
    cell.outputs = [new_output("display_data", data={"image/png": _wide_figure(), "text/plain": "<Figure>"})]
    small = new_code_cell("plot_cost()", execution_count=8)  # an image with its own alt text, and one in HTML
    small.outputs = [
        new_output("display_data", data={"image/png": DOT}, metadata={"image/png": {"alt": OWN_ALT}}),
        new_output("display_data", data={"text/html": f'<p>dot</p><img src="data:image/png;base64,{DOT}">'}),
    ]
    sketch = new_markdown_cell(f'My sketch: <img src="data:image/png;base64,{DOT}">')
    notebook.cells += [cell, small, sketch]
    nbformat.write(notebook, path)


@pytest.fixture(scope="module")
def course(released_06, tmp_path_factory):
    course, incoming = class_of_06(released_06, tmp_path_factory)
    _with_figure(make_student(course.release("workbook"), incoming / "wide", {"schedules": solved("schedules")}))
    (incoming / "empty").mkdir()
    autograde.autograde(course, "workbook", incoming, progress=lambda line: None, workers=1)
    return course


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    """Where the screenshots are kept (printed at the end of the module)."""
    folder = tmp_path_factory.mktemp("screenshots")
    yield folder
    print(f"\nscreenshots of the pages: {folder}")


def _open(browser, path, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


def test_feedback_figures_are_never_cut_off(course, browser, shots):
    for width in WIDTHS:
        page = _open(browser, course.feedback("wide", "workbook") / PAGE, width)
        figures = page.evaluate(FIGURES)
        page.screenshot(path=str(shots / f"feedback-wide-{width}.png"), full_page=True)
        page.close()
        wide = [figure for figure in figures if figure["natural"] >= 1400]
        assert wide, figures
        for figure in figures:
            assert not figure["cut"], (width, figure)
            assert figure["ratio"] == pytest.approx(1, abs=0.02), (width, figure)


def test_every_image_on_a_feedback_page_has_alt_text(course, browser):
    """The page is not parsed a second time by nbconvert to add alt text: its images get it where they are written."""
    page = _open(browser, course.feedback("wide", "workbook") / PAGE, 1280)
    alts = page.evaluate("() => [...document.images].map(img => [img.getAttribute('alt'), img.naturalWidth])")
    title = page.title()
    page.close()
    assert all(alt is not None for alt, _ in alts), alts
    assert [alt for alt, width in alts if width >= 1400] == [NO_ALT]  # the wide figure, written without alt
    assert [alt for alt, width in alts if width == 1] == [OWN_ALT, NO_ALT, NO_ALT]  # output, HTML, sketch
    assert title != "pwned"


def test_fail_lines_wrap_at_spaces_never_inside_a_word(course, browser, shots):
    for width in WIDTHS:
        page = _open(browser, course.feedback("mistake", "workbook") / PAGE, width)
        split = page.evaluate(SPLIT_WORDS)
        said = page.locator("div.output_area pre", has_text="FAIL").count()
        page.screenshot(path=str(shots / f"feedback-mistake-{width}.png"), full_page=True)
        page.close()
        assert said, width
        assert split == [], (width, split)


def test_report_figures_fit_and_the_histogram_counts_whole_students(course, browser, shots, tmp_path, monkeypatch):
    drawn = []
    figure_png = report._figure_png

    def keep(draw, height=3.2):  # the report's own drawing, kept to read its axes
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots()
        draw(ax)
        drawn.append([tick for tick in ax.get_yticks() if ax.get_ylim()[0] <= tick <= ax.get_ylim()[1]])
        plt.close(fig)
        return figure_png(draw, height)

    monkeypatch.setattr(report, "_figure_png", keep)
    path = report.report(course, "workbook", tmp_path)
    histogram = drawn[0]
    assert histogram and all(float(tick).is_integer() for tick in histogram), histogram
    for width in WIDTHS:
        page = _open(browser, path, width)
        boxes = page.evaluate(
            "() => [...document.querySelectorAll('img')].map(img => [img.getBoundingClientRect().right,"
            " document.documentElement.clientWidth, img.naturalWidth])"
        )
        page.screenshot(path=str(shots / f"report-{width}.png"), full_page=True)
        page.close()
        assert len(boxes) == 2 and all(right <= window + 0.5 for right, window, _ in boxes), (width, boxes)


def test_exercise_means_are_over_graded_submissions_with_the_count_stated(course, tmp_path):
    page = report.report(course, "workbook", tmp_path).read_text()
    graded = {student: grades for student, grades in cell_grades(course, "workbook").items() if student != "empty"}
    assert len(graded) == 3
    for row in read_csv(tmp_path / "exercises.csv"):
        scores = [
            sum(grade.score for name, grade in grades.items() if report.exercise_of(name) == row["exercise"])
            for grades in graded.values()
        ]
        assert float(row["mean score"]) == pytest.approx(sum(scores) / 3, abs=0.005), row
        assert row["graded submissions averaged"] == "3"
    assert "over the 3 graded submissions; left out: empty (empty)." in page


def test_optgrade_formgrader_opens_the_formgrader_warns_of_nothing_and_draws_formulas_without_borders(
    course, browser, shots
):
    """The address it prints opens the formgrader; JupyterLab too, with no exchange warning; maths unboxed."""
    port, token = free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "optgrade.cli", "formgrader", "--course", course.root, "--port", port]
    log = course.root.parent / "formgrader.log"
    env = os.environ | {"JUPYTER_TOKEN": token}
    with running([*map(str, command), "--no-browser"], log, token, port, "optgrade formgrader", env=env) as url:
        printed = re.findall(re.escape(url) + r"/\S*token=\S+", log.read_text())
        assert printed, log.read_text()
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(printed[-1].replace("token=...", f"token={token}"))  # a token from the environment is masked
        page.wait_for_load_state("networkidle")
        assert page.url.startswith(f"{url}/formgrader/"), page.url
        page.goto(f"{url}/lab")  # the instructor's JupyterLab: nbgrader's lab extension asks the exchange
        page.wait_for_selector(".jp-LabShell", timeout=60_000)
        page.wait_for_timeout(3000)
        with Gradebook(db_url(course), COURSE_ID) as gradebook:
            submission = gradebook.find_submission_notebook(NOTEBOOK_06.removesuffix(".ipynb"), "workbook", "answered")
            submission = submission.id
        page.goto(f"{url}/formgrader/submissions/{submission}/?token={token}")
        page.wait_for_load_state("networkidle")
        borders = page.evaluate(
            "() => [...document.querySelectorAll('img.math')].map(img => img.offsetWidth - img.clientWidth)"
        )
        page.locator("img.math").first.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "formgrader-answered-1280.png"))
        page.close()
    said = log.read_text()
    assert borders and set(borders) == {0}, borders  # a border adds to the box's outer width
    assert "Unwritable directory" not in said and "exchange" not in said.lower(), said[-3000:]


def test_the_reports_mistakes_are_the_sentences_students_read_inert_even_if_forged(course, browser, tmp_path):
    """Never a catalog name on the page; a forged MISTAKE line in a verdict file stays text and names no sentence."""
    copy = Course(tmp_path / "course")
    shutil.copytree(course.root, copy.root, symlinks=True)
    stored = verdicts.read(copy, "workbook", "mistake")
    stored["verdicts"][0]["output"] += f"MISTAKE update_lr.values: {FORGED}\n"
    verdicts.write(copy, "workbook", stored)
    path = report.report(copy, "workbook", tmp_path / "report")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(path.as_uri())
    rows = page.locator("#mistakes tbody tr").all_inner_texts()
    planted = page.evaluate("() => [document.title, document.querySelectorAll('[onerror], #mistakes img').length]")
    page.close()
    said = sentence("schedule_lr_decay", "no_floor")
    assert said and any(said in row and row.startswith("schedule_lr_decay (values)") for row in rows), rows
    assert not any("no_floor" in row for row in rows), rows
    assert any("catalog no longer holds" in row and row.startswith("update_lr (values)") for row in rows), rows
    assert planted == ["workbook report", 0], planted
