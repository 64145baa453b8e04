"""The suite is hermetic: under a used home (JupyterLab workspaces with the seven notebooks open, user settings)
a representative part of it passes and leaves that home exactly as it was.

The part runs in a pytest of its own with HOME set to a planted home: a real JupyterLab with its kernel and
IPython in a real browser, matplotlib, an nbgrader release and the student copy. Before conftest.py pointed the
per-user folders at the run's own (hermetic_support), that run wrote .cache, .config, .ipython, .local, .npm and
.jupyter/migrated into the home and rewrote its default workspace with the test's notebooks.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hermetic_support import TEST_STATE, without_user_folders

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PART = [
    "tests/browser/test_browser.py::test_a_student_fixes_random_mini_batches_and_the_check_says_so",
    "tests/workbook/test_sliders.py",
    "tests/workbook/test_student_copy.py",
]
NOTEBOOKS = [
    "01_minibatch_gradient_descent.ipynb",
    "02_exponentially_weighted_averages.ipynb",
    "03_momentum.ipynb",
    "04_rmsprop.ipynb",
    "05_adam.ipynb",
    "06_learning_rate_decay.ipynb",
    "07_local_optima_saddle_points.ipynb",
]


def used_home(home):
    """A home where JupyterLab was used: the default workspace with every notebook open, two user settings."""
    dock = {"type": "tab-area", "currentIndex": 0, "widgets": [f"notebook:{name}" for name in NOTEBOOKS]}
    data = {"layout-restorer:data": {"main": {"dock": dock, "current": f"notebook:{NOTEBOOKS[0]}"}}}
    data |= {f"notebook:{name}": {"data": {"path": name, "factory": "Notebook"}} for name in NOTEBOOKS}
    files = {
        ".jupyter/lab/workspaces/default-37a8.jupyterlab-workspace": {"data": data, "metadata": {"id": "default"}},
        ".jupyter/lab/user-settings/@jupyterlab/apputils-extension/themes.jupyterlab-settings": {
            "theme": "JupyterLab Dark"
        },
        ".jupyter/lab/user-settings/@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
            "kernelShutdown": True,
            "codeCellConfig": {"lineNumbers": True},
        },
    }
    for name, content in files.items():
        (home / name).parent.mkdir(parents=True, exist_ok=True)
        (home / name).write_text(json.dumps(content))


def snapshot(home):
    """{path relative to home: (mode, contents)} of everything under home, folders included."""
    return {
        str(path.relative_to(home)): (path.stat().st_mode, path.read_bytes() if path.is_file() else None)
        for path in sorted(home.rglob("*"))
    }


def test_a_run_under_a_used_home_passes_and_leaves_it_as_it_was(tmp_path):
    home = tmp_path / "home"
    used_home(home)
    before = snapshot(home)
    environment = without_user_folders(os.environ) | {"HOME": str(home)}
    assert TEST_STATE not in environment
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", *PART],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    after = snapshot(home)
    assert sorted(set(after) - set(before)) == [], "written under the home"
    assert [name for name in before if after.get(name) != before[name]] == [], "changed under the home"
