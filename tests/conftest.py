"""Fixtures several test modules share (a module's own fixture of the same name takes precedence); the run's
own Jupyter, IPython, matplotlib and cache folders (hermetic_support), set before anything reads them.

The test modules sit in one folder per part of the code they test (no ``__init__.py``: pytest's "prepend"
import mode puts this folder on sys.path, so every module imports the helpers here by name; basenames stay
unique across folders, and no test module imports another):

* ``commands/``: the ``optgrade`` command's behaviour on bad input (optgrade.commands, optgrade.cli)
* ``course/``: optgrade.course end to end and in parts: build, release, autograde (``--execute``, interrupted,
  unreadable notebooks), the gradebook (SQLite, PostgreSQL), hand grades, the late policy, LMS import and grade
  files, the report and feedback pages, sanitising and the review path, nbgrader's plugins (exchange owner)
* ``serve/``: ``optgrade serve`` on a real exchange (optgrade.serve)
* ``hub/``: the course on a real JupyterHub (optgrade.hub)
* ``runner/``: the local pool and the Dask cluster (optgrade.runner)
* ``sandbox/``: the sandbox's parts, the wire's budgets, and a student's attacks on autograde (optgrade.sandbox)
* ``hidden/``: the hidden tests, their comparisons and integrity, and the held-out mistakes (optgrade.hidden)
* ``mutants/``: the mistake search and the mistake hashes it generates (optgrade.mutants, optgrade.fingerprints)
* ``checks/``: the visible checks and the engine both sides share: diagnosis, shapes, where (utils/checks)
* ``solutions/``: the reference implementations and the published accuracies they reproduce (solutions/)
* ``workbook/``: the notebooks (structure, released, solved under nbval, Validate), the rest of utils/ (data,
  training, plotting, sliders), the stubs, the student copy and its pages in a browser (optgrade.workbook,
  optgrade.stubs, optgrade.student_copy, optgrade.lab_extension)
* ``browser/``: a student copy and the report in one real browser, where no single part fits
* ``project/``: the repository as a whole: the package's import layers, packaging pins and ruff, the suite's
  hermeticity

Here: this conftest, the helpers (``*_helpers.py``, ``*_support.py``, ``heldout*.py``, ``valid_variants.py``, ...)
and ``fixtures/``. The released courses the modules grade copies of are the session fixtures below, built once
for the run (``built_once``: the test processes share them); the simulated students they grade are
``course_helpers.SIMULATED`` (reference, untouched, a named mistake), to which a test adds its own hostile or
broken ones.
"""

import fcntl
import os
import shutil

import pytest
from browser_support import chromium
from hermetic_support import redirect_user_folders

_MADE = redirect_user_folders()  # at import: before the test modules are imported


def pytest_unconfigure(config):
    if _MADE:
        shutil.rmtree(_MADE, ignore_errors=True)


# The modules by their time under pytest-xdist, longest first (the seconds of the run of 2026-12-06 on 2 cores, each
# module's setup, calls and teardown): handed out in this order, a long module does not start last and end the run
# alone on one process. The order changes only the wall time; a module missing here comes after these, in collection
# order.
LONGEST_FIRST = (
    "test_interrupts",  # 297 s (6 students then; 4 now)
    "test_serve",  # 278
    "test_attacks",  # 242
    "test_hub_lifecycle",  # 184
    "test_course_workbook",  # 183
    "test_figures_browser",  # 148
    "test_first_hour",  # 126
    "test_workbook_solved",  # 96 (nbval alone now)
    "test_mutants",  # 85, one test of 84 s
    "test_postgres",  # 81
    "test_course_pipeline",  # 81
    "test_cluster",  # 79 (64 then, and three tests since)
    "test_review_path",  # 75
    "test_pages",  # 74
    "test_decoder_attack",  # 71
    "test_hermetic",  # 68, one test
    "test_browser",  # 54
    "test_slider_screens",  # 44
    "test_student_errors_browser",  # 39
    "test_hand_grades",  # 36
    "test_execute",  # 35
    "test_late_policy",  # 34
    "test_cli_errors",  # 33
    "test_student_copy",  # 32
    "test_reproduction",  # 24
    "test_fingerprints",  # 22
    "test_unreadable_notebook",  # 21
    "test_workbook_released",  # 21
    "test_validate_dialog",  # 19
    "test_wire_budgets",  # 17
    "test_report",  # 16
    "test_lms_roundtrip",  # 14
)


def pytest_configure(config):
    """pytest-xdist hands whole modules out by their number of tests unless told not to: keep LONGEST_FIRST's."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config, items):
    """The longest modules first (a stable sort: each module's own order is kept), so that under pytest-xdist
    (the README's ``-n 3 --dist loadfile``: each module whole on one process) none of them starts last."""
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.module.__name__, len(rank)))


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium under Playwright, one per test module (see browser_support)."""
    with chromium() as launched:
        yield launched


def built_once(tmp_path_factory, name, build):
    """The course ``build(folder)`` makes, built once for the whole run: under pytest-xdist the test processes
    share it (the first to ask builds it under a lock, the others wait and then read it), so the run's CPU is
    not spent building the same course once per process. Read it only: a test grades or edits a copy."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each process's own
    folder, done = base / f"{name}-shared" / "course", base / f"{name}-shared.built"
    with (base / f"{name}-shared.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder.parent, ignore_errors=True)
            folder.parent.mkdir()
            build(folder)
            done.touch()
    from optgrade.course.layout import Course

    return Course(folder)


@pytest.fixture(scope="session")
def released_06(tmp_path_factory):
    """Notebook 06 built (its reference accepted) and released, once for the run (built_once): shared by the modules
    that grade a class of 06. Read it, never change it: a test that grades or edits takes
    ``course_helpers.copy_course(released_06, folder)``."""
    from course_helpers import released_course  # here: nbgrader is imported only by the tests that need it

    return built_once(tmp_path_factory, "released-06", lambda folder: released_course(folder, names=["06"]))


@pytest.fixture(scope="session")
def released_fixture_course(tmp_path_factory):
    """The fixture course (tests/fixtures/course/notebooks: one notebook on the schedules) built with a 5 s limit
    per hidden test, 2048 MB and 100 output lines, its reference accepted, and released, once for the run.
    Read it only, as released_06."""
    from course_helpers import FIXTURE_NOTEBOOKS, released_course

    options = {"notebooks_dir": FIXTURE_NOTEBOOKS, "timeout": 5, "memory_mb": 2048, "max_output_lines": 100}
    return built_once(tmp_path_factory, "released-fixture", lambda folder: released_course(folder, **options))


@pytest.fixture(scope="session")
def released_attack_course(tmp_path_factory):
    """The attack tests' course (attack_helpers.build_course: two fixture notebooks, 120 s per hidden test, 2048 MB,
    100 output lines) built and released once per test process, for test_attacks and test_decoder_attack (their
    runs grade copies). Read it only, as released_06."""
    from attack_helpers import build_course

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
