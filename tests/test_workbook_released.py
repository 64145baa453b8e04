"""With the untouched stubs, a student's notebook fails exactly at the cells that run student code."""

import pytest
from workbook_helpers import tags

from optgrade.workbook import build_student_copy, notebooks, run_notebook

NAMES = [path.name for path in notebooks()]


@pytest.fixture(scope="module")
def student_copy(tmp_path_factory):
    return build_student_copy(tmp_path_factory.mktemp("student"))


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_only_exercise_cells_fail_and_first_with_the_stub_message(student_copy, name):
    executed = run_notebook(student_copy / name, allow_errors=True)
    failed, tagged, errors = [], [], []
    for index, cell in enumerate(executed.cells):
        if cell.cell_type != "code":
            continue
        if "uses-exercise" in tags(cell):
            tagged.append(index)
        for output in cell.outputs:
            if output.output_type == "error":
                failed.append(index)
                errors.append((index, output.ename, output.evalue))
    assert failed == tagged, f"failing cells {failed} differ from cells tagged uses-exercise {tagged}: {errors}"
    assert errors, "with the stubs, at least the first exercise check must fail"
    first = errors[0]
    assert first[1] == "NotImplementedError" and "is not implemented yet" in first[2], first
    allowed = {"NotImplementedError", "NameError"}  # NameError: a result of an earlier failed exercise cell
    assert {ename for _, ename, _ in errors} <= allowed, errors
