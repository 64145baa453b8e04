"""The valley sliders of notebooks 03-05 in a real browser (Debian's chromium, Playwright, JupyterLab).

Each slider is moved to its extreme positions with the keyboard (Home, End), as a student can; every
position redraws a figure and nothing goes to stderr. The screenshots are kept (their folder is printed)
to be looked at: the minimum, the start and the path in one fixed view, or a title saying the path leaves it.
"""

import time

import browser_support
import pytest
from browser_support import run_cell, screenshot_on_failure
from course_helpers import finished_copy

from optgrade.workbook import notebooks

pytestmark = pytest.mark.slow

lab = browser_support.lab  # the fixture: JupyterLab serving a folder of student copies
PANELS = {"03": "momentum", "04": "rmsprop", "05": "adam"}


@pytest.fixture(scope="module")
def solved_copy(lab):
    """A copy whose optimizers are finished (the reference code in the student's files): its folder name."""
    return finished_copy(lab[2] / "sliders", ("gd", "momentum", "rmsprop", "adam"), PANELS).name


def _show(page, cell):
    """Scroll the notebook until ``cell`` is rendered (JupyterLab renders cells near the view only)."""
    page.locator(".jp-Notebook").first.hover()
    for _ in range(200):
        if cell.locator(".jp-InputPrompt").is_visible():
            return
        page.mouse.wheel(0, 600)
        time.sleep(0.2)


@pytest.mark.parametrize("number", sorted(PANELS))
def test_every_slider_at_its_extremes_redraws_the_valley(browser, lab, solved_copy, number, tmp_path_factory):
    optimizer = PANELS[number]
    name = next(path.name for path in notebooks() if path.name.startswith(number))
    shots = tmp_path_factory.mktemp(f"sliders-{number}")
    page = browser_support.open_notebook(browser, lab, solved_copy, name)
    with screenshot_on_failure(page, shots, "failure"):
        run_cell(page, "%load_ext utils.checks")
        source = page.locator(".jp-InputArea", has_text=f'sliders.valley("{optimizer}")')
        cell = page.locator(".jp-CodeCell", has=source).first
        _show(page, cell)
        cell.locator(".jp-InputPrompt").click()
        page.keyboard.press("Escape")
        page.keyboard.press("Control+Enter")
        cell.locator(".jp-OutputArea-output img").first.wait_for(timeout=60_000)
        handles = cell.locator(".noUi-handle")
        assert handles.count() == 2
        seen = []
        # one key per move, so each redraw is awaited exactly: alpha to its low end, then the four corners
        for index, key, shot in (
            (0, "Home", False),
            (1, "Home", True),
            (1, "End", True),
            (0, "End", True),
            (1, "Home", True),
        ):
            before = cell.locator(".jp-OutputArea-output img").first.get_attribute("src")
            handles.nth(index).focus()
            page.keyboard.press(key)
            page.wait_for_function(  # the redrawn figure, not the one before the move
                "([el, before]) => { const img = el.querySelector('.jp-OutputArea-output img');"
                " return img !== null && img.getAttribute('src') !== before; }",
                arg=[cell.element_handle(), before],
                timeout=60_000,
            )
            if shot:
                readouts = cell.locator(".widget-readout").all_inner_texts()
                cell.screenshot(path=str(shots / f"{optimizer}-alpha-{readouts[0]}-beta-{readouts[1]}.png"))
                assert cell.locator(".jp-OutputArea-output img").count() == 1
                assert cell.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
                seen.append(tuple(readouts))
        print(f"{optimizer}: slider positions {seen}; screenshots in {shots}")
        assert len(set(seen)) == 4 and {beta for _, beta in seen} == {"0.0", "0.99"}, seen
    page.close()
