"""`optgrade student DEST`: the released view (what nbgrader generate_assignment hands out), made in one command."""

import nbformat
import pytest

from optgrade.cli import main
from optgrade.course import build, leaks, release
from optgrade.workbook import notebooks

FIRST = "01_minibatch_gradient_descent.ipynb"


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    dest = tmp_path_factory.mktemp("student") / "workbook"
    assert main(["student", str(dest)]) == 0
    return dest


def test_notebooks_sit_beside_utils_without_solutions_or_hidden_tests(copy):
    assert sorted(path.name for path in copy.glob("*.ipynb")) == [path.name for path in notebooks()]
    assert (copy / "utils" / "minibatch.py").is_file() and (copy / "datasets").is_dir()
    assert not (copy / "solutions").exists() and not (copy / "optgrade").exists()
    assert leaks.check(copy) == []


def test_cells_are_locked_and_hidden_tests_stripped(copy):
    notebook = nbformat.read(copy / FIRST, as_version=4)
    grade_cells = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")]
    code = [cell for cell in grade_cells if cell.cell_type == "code"]
    assert code and all(cell.metadata["editable"] is False and cell.metadata["deletable"] is False for cell in code)
    assert all("BEGIN HIDDEN TESTS" not in cell.source and "grade(" not in cell.source for cell in notebook.cells)
    setup = next(cell for cell in notebook.cells if cell.cell_type == "code")
    assert setup.metadata["editable"] is False  # a locked (read-only) cell


def test_a_second_run_keeps_the_students_work(copy, capsys):
    edited = copy / "utils" / "minibatch.py"
    edited.write_text(edited.read_text() + "\n# my work\n")
    assert main(["student", str(copy)]) == 0
    assert "kept your existing copy" in capsys.readouterr().out
    assert edited.read_text().endswith("# my work\n")


@pytest.mark.slow
def test_the_copy_matches_nbgraders_release(copy, tmp_path):
    course = build.build(tmp_path / "course", names=["01"])
    release.release(course, "workbook")
    released = nbformat.read(course.release("workbook") / FIRST, as_version=4)
    ours = nbformat.read(copy / FIRST, as_version=4)
    assert [(c.cell_type, c.source, c.metadata) for c in ours.cells] == [
        (c.cell_type, c.source, c.metadata) for c in released.cells
    ]
    assert sorted(p.relative_to(copy).as_posix() for p in (copy / "utils").rglob("*.py")) == sorted(
        p.relative_to(course.release("workbook")).as_posix()
        for p in (course.release("workbook") / "utils").rglob("*.py")
    )


@pytest.mark.slow
def test_validate_runs_the_visible_checks_at_the_stripped_grade_cells(copy):
    """nbgrader Validate (JupyterLab's button) fails where a visible check fails, instead of "Success!"."""
    from nbgrader.validator import Validator

    from optgrade.course.demo import solved

    (copy / "utils" / "gd.py").write_text(solved("gd"))
    failed = Validator().validate(str(copy / FIRST))["failed"]
    sources = [cell["source"] for cell in failed]
    assert sources and all("update_parameters_with_gd" not in source for source in sources), sources
    minibatch = [cell for cell in failed if cell["source"].startswith('"""Hidden test: random_mini_batches')]
    assert len(minibatch) == 2 and all("random_mini_batches() is not implemented yet" in c["error"] for c in minibatch)
    assert failed[-1]["error"] == "You did not provide a response."  # the written answer
