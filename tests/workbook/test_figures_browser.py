"""Every figure of the seven notebooks, drawn in a real browser (issue 24): Run All on a finished copy (the
reference code in the student's files) in JupyterLab and Debian's chromium, then each figure is scrolled into
view and screenshotted (the folder is printed: to be looked at), every cell that draws has its figure, and no
stray repr (``<matplotlib.legend.Legend at 0x...>``), traceback or stderr is shown.
"""

import ast
import re

import browser_support
import pytest
from browser_support import screenshot_on_failure
from course_helpers import finished_copy

from optgrade.exercises import EXERCISES
from optgrade.workbook import notebooks

pytestmark = pytest.mark.slow

lab = browser_support.lab  # the fixture: JupyterLab serving a folder of student copies
STRAY = re.compile(r"^\s*\[?<(matplotlib\.|Figure size)")
FIGURES = ("image/png", "application/vnd.jupyter.widget-view+json")


@pytest.fixture(scope="module")
def finished(lab):
    """A copy of every notebook with every exercise done (the reference code in utils/): its folder name."""
    return finished_copy(lab[2] / "finished", EXERCISES).name


def _draws(source):
    """Whether the cell's own statements (not the bodies of the functions it defines) call the plotting helper,
    pyplot, a slider panel or an axes' ``plot``."""
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    pending = [node for node in ast.parse(code).body if not isinstance(node, (ast.FunctionDef, ast.ClassDef))]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value.id if isinstance(node.func.value, ast.Name) else None
            if owner in ("plotting", "plt", "sliders") and node.func.attr != "use_style" or node.func.attr == "plot":
                return True
        pending += [child for child in ast.iter_child_nodes(node) if not isinstance(child, ast.FunctionDef)]
    return False


def _drawing_cells(notebook):
    """Indices of the code cells that draw."""
    return [
        index for index, cell in enumerate(notebook["cells"]) if cell["cell_type"] == "code" and _draws(cell["source"])
    ]


@pytest.mark.parametrize("name", [path.name for path in notebooks()])
def test_every_figure_is_drawn_and_nothing_stray_is_shown(browser, lab, finished, name, tmp_path_factory):
    shots = tmp_path_factory.mktemp(f"figures-{name[:2]}")
    page = browser_support.open_notebook(browser, lab, finished, name)
    with screenshot_on_failure(page, shots, "failure"):
        notebook = browser_support.run_all(page, lab, f"{finished}/{name}")
        assert browser_support.traceback_cells(notebook) == []
        drawn = {
            index
            for index, cell in enumerate(notebook["cells"])
            for output in cell.get("outputs", [])
            if any(kind in output.get("data", {}) for kind in FIGURES)
        }
        missing = [index for index in _drawing_cells(notebook) if index not in drawn]
        assert missing == [], f"cells {missing} draw but show no figure"
        shown_text = [  # what the page shows as text: outputs with no figure in them (a figure's text/plain is not)
            "".join(output.get("data", {}).get("text/plain", "")) or "".join(output.get("text", ""))
            for cell in notebook["cells"]
            for output in cell.get("outputs", [])
            if not any(kind in output.get("data", {}) for kind in FIGURES)
        ]
        stray = [text for text in shown_text if STRAY.match(text)]
        assert stray == [], f"stray reprs shown: {stray}"
        images = page.locator(".jp-OutputArea-output img")
        count = images.count()
        assert count >= sum(
            1
            for cell in notebook["cells"]
            for output in cell.get("outputs", [])
            if "image/png" in output.get("data", {})
        )
        for index in range(count):
            image = images.nth(index)
            image.scroll_into_view_if_needed()
            box = image.bounding_box()
            assert box and box["width"] > 100 and box["height"] > 100, (index, box)
            image.screenshot(path=str(shots / f"{name[:2]}-figure-{index + 1:02d}.png"))
        print(f"{name}: {count} figures drawn, screenshots in {shots}")
    page.close()
