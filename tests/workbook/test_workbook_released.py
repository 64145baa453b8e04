"""With the untouched stubs every notebook runs to the end: no error, one line at each cell needing an exercise."""

import re

import pytest
from workbook_helpers import tags

from optgrade.workbook import build_student_copy, notebooks, run_notebook

NAMES = [path.name for path in notebooks()]
STUB = re.compile(r"^\w+\(\) is not implemented yet: write it in utils/\w+\.py, save, and re-run the cell \(.+\)\.$")
NEEDS = re.compile(r"^needs \w+ \(Exercise \d\.\d\)(?:(?:, | and )\w+ \(Exercise \d\.\d\))*: not implemented yet$")


@pytest.fixture(scope="module")
def student_copy(tmp_path_factory):
    return build_student_copy(tmp_path_factory.mktemp("student"))


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_run_all_reaches_the_end_and_each_cell_that_needs_an_exercise_says_so_in_one_line(student_copy, name):
    executed = run_notebook(student_copy / name)  # allow_errors=False: any error fails here, as Run All would stop
    said, tagged = {}, []
    for index, cell in enumerate(executed.cells):
        if cell.cell_type != "code":
            continue
        if "uses-exercise" in tags(cell):
            tagged.append(index)
        text = "".join(output.get("text", "") for output in cell.outputs if output.output_type == "stream")
        assert "Traceback" not in text and all(output.get("name") != "stderr" for output in cell.outputs), index
        if "not implemented yet" in text:
            # nothing but printed text (a busy kernel may send one print as two stream chunks: count lines)
            said[index] = (text, sum(output.output_type != "stream" for output in cell.outputs) + 1)
    assert sorted(said) == tagged, f"cells saying what they need {sorted(said)} differ from uses-exercise {tagged}"
    for index, (text, outputs) in said.items():
        line = text.removesuffix("\n")
        assert outputs == 1 and "\n" not in line, f"cell {index} says more than one line: {text!r}"
        check = re.fullmatch(r"check\(\w+\)", executed.cells[index].source.strip())
        assert (STUB if check else NEEDS).match(line), f"cell {index}: {line!r}"
