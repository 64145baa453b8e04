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


@pytest.fixture(scope="session")
def released_06(tmp_path_factory):
    """Notebook 06 built (its reference accepted) and released, once per test process: shared by the modules
    that grade a class of 06. Read it, never change it: a test that grades or edits takes
    ``course_helpers.copy_course(released_06, folder)``."""
    from course_helpers import released_course  # here: nbgrader is imported only by the tests that need it

    return released_course(tmp_path_factory.mktemp("released-06") / "course", names=["06"])


@pytest.fixture(scope="session")
def released_fixture_course(tmp_path_factory):
    """The fixture course (tests/fixtures/course/notebooks: one notebook on the schedules) built with a 5 s limit
    per hidden test, 2048 MB and 100 output lines, its reference accepted, and released, once per test process.
    Read it only, as released_06."""
    from course_helpers import FIXTURE_NOTEBOOKS, released_course

    folder = tmp_path_factory.mktemp("released-fixture") / "course"
    return released_course(folder, notebooks_dir=FIXTURE_NOTEBOOKS, timeout=5, memory_mb=2048, max_output_lines=100)


@pytest.fixture(scope="session")
def released_attack_course(tmp_path_factory):
    """The attack tests' course (test_attacks.build_course: two fixture notebooks, 120 s per hidden test, 2048 MB,
    100 output lines) built and released once per test process, for test_attacks (its runs grade copies). Read it
    only, as released_06."""
    from test_attacks import build_course

    return build_course(tmp_path_factory.mktemp("released-attack") / "course", tmp_path_factory)


@pytest.fixture
def student(tmp_path):
    """An empty submission folder for a sandboxed worker: utils/ as a package, readable by the sandbox's uid."""
    folder = tmp_path / "submission"
    (folder / "utils").mkdir(parents=True)
    (folder / "utils" / "__init__.py").write_text("")
    tmp_path.chmod(0o755)
    folder.chmod(0o777)
    return folder
