"""An in-process IPython shell as a notebook's kernel sees it: a copy of utils/ (the stubs) after the setup cell."""

import pytest


@pytest.fixture
def shell(tmp_path, monkeypatch):
    """An in-process IPython shell on a copy of utils/ (the stubs) after the setup cell's ``%load_ext utils.checks``."""
    import shutil
    import sys

    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    from optgrade.exercises import ROOT

    shutil.copytree(ROOT / "utils", tmp_path / "utils", ignore=shutil.ignore_patterns("__pycache__"))
    saved = {name: module for name, module in sys.modules.items() if name == "utils" or name.startswith("utils.")}
    for name in saved:
        del sys.modules[name]
    monkeypatch.syspath_prepend(str(tmp_path))
    # History in memory: the session's IPYTHONDIR is removed at the end of the run, before IPython's own atexit
    # closes a history file there ("attempt to write a readonly database" after every run).
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    ipython = InteractiveShell.instance(config=config)
    ipython.run_cell("%load_ext utils.checks\nimport numpy as np\nfrom utils.checks import check\n")
    ipython.run_cell("from utils.minibatch import random_mini_batches")
    try:
        yield ipython, tmp_path / "utils"
    finally:
        InteractiveShell.clear_instance()
        for name in [name for name in sys.modules if name == "utils" or name.startswith("utils.")]:
            del sys.modules[name]
        sys.modules.update(saved)


def cell(ipython, capsys, source):
    """Run one cell: (it succeeded, its stdout)."""
    capsys.readouterr()
    result = ipython.run_cell(source)
    return result.success, capsys.readouterr().out
