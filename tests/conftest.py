"""Fixtures several test modules share (a module's own fixture of the same name takes precedence); the run's
own Jupyter, IPython, matplotlib and cache folders (hermetic_support), set before anything reads them.
"""

import shutil

import pytest
from browser_support import chromium
from hermetic_support import redirect_user_folders

_MADE = redirect_user_folders()  # at import: before the test modules are imported


def pytest_unconfigure(config):
    if _MADE:
        shutil.rmtree(_MADE, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium under Playwright, one per test module (see browser_support)."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def student(tmp_path):
    """An empty submission folder for a sandboxed worker: utils/ as a package, readable by the sandbox's uid."""
    folder = tmp_path / "submission"
    (folder / "utils").mkdir(parents=True)
    (folder / "utils" / "__init__.py").write_text("")
    tmp_path.chmod(0o755)
    folder.chmod(0o777)
    return folder
