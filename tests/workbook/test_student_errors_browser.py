"""Run All in a real browser (Debian's chromium, Playwright, JupyterLab) over student code that raises.

Notebooks 01 and 06 run with a random_mini_batches that raises IndexError (``X[permutation, :]``) and
functions that use ``np`` in files that do not import numpy (NameError): Run All reaches the last cell,
each cell that reaches the student's code shows one short block naming the student's file and line,
never a traceback or a frame of utils/checks.
"""

import re

import browser_support
import pytest
from browser_support import put, screenshot_on_failure

from optgrade.exercises import ROOT
from optgrade.stubs import solved_source
from optgrade.student_copy import make

pytestmark = pytest.mark.slow

lab = browser_support.lab  # the fixture: JupyterLab serving a folder of student copies
BLOCK = re.compile(  # in a given cell, or under a check's [FAIL]
    r"^(?:  \[FAIL\] )?(\w+) raised (\w+)\b.*\n +utils/(\w+)\.py, line (\d+), in [^:]+:  (.+)\n +inputs: .*$"
)


def _solved(module, old, new, drop_numpy=False):
    text = solved_source((ROOT / "solutions" / f"{module}.py").read_text())
    assert old in text, f"solutions/{module}.py no longer contains {old!r}"
    text = text.replace(old, new)
    return text.replace("import numpy as np\n", "") if drop_numpy else text


RAISING = {
    "minibatch": _solved("minibatch", "shuffled_X = X[:, permutation]", "shuffled_X = X[permutation, :]"),
    "gd": _solved(
        "gd", 'value - learning_rate * grads["d" + name]', 'np.subtract(value, learning_rate * grads["d" + name])'
    ),
    "schedules": _solved("schedules", "import math\n", "", drop_numpy=True).replace("math.", "np."),
}


@pytest.mark.parametrize(
    ("notebook", "expected"),
    [
        (
            "01_minibatch_gradient_descent.ipynb",
            {"random_mini_batches": "IndexError", "update_parameters_with_gd": "NameError"},
        ),
        ("06_learning_rate_decay.ipynb", {"random_mini_batches": "IndexError", "schedule_lr_decay": "NameError"}),
    ],
)
def test_run_all_over_code_that_raises_reaches_the_last_cell_with_one_short_block_per_cell(
    browser, lab, notebook, expected, tmp_path
):
    url, token, root = lab
    copy = f"raising-{notebook[:2]}"
    make(root / copy)
    for module, text in RAISING.items():
        put(url, token, f"{copy}/utils/{module}.py", text)
    page = browser_support.open_notebook(browser, lab, copy, notebook)
    with screenshot_on_failure(page, tmp_path / "screenshots", f"raising-{notebook[:2]}"):
        saved = browser_support.run_all(page, lab, f"{copy}/{notebook}")
        texts = list(browser_support.output_texts(saved))
        assert browser_support.traceback_cells(saved) == [], "a cell shows a traceback, an error or stderr"
        assert not any("utils/checks" in text for _, text in texts)
        said = {}
        for index, text in texts:
            for start in (match.start() for match in re.finditer(r"^(?:  \[FAIL\] )?\w+ raised \w+", text, re.M)):
                block = "\n".join(text[start:].splitlines()[:3])
                match = BLOCK.match(block)
                assert match, f"cell {index}: {block!r}"
                function, error, module, line, code = match.groups()
                assert RAISING[module].splitlines()[int(line) - 1].strip() == code, f"cell {index}: {block}"
                said.setdefault(function, error)
        print(f"{notebook}: blocks for {said}")
        assert set(expected.items()) <= set(said.items()), said
        last = max(index for index, cell in enumerate(saved["cells"]) if cell["cell_type"] == "code")
        assert saved["cells"][last]["execution_count"] is not None
    page.close()
