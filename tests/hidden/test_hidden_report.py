"""The stdout lines of grade() parse back for instructor reports; grade cells call grade() correctly."""

import re

import nbformat
import pytest
from fixtures.hidden.students import StudentFolder, reference_source, replace_function

from optgrade.exercises import ROOT
from optgrade.hidden import TESTS, mistake_counts, parse
from optgrade.hidden.report import flags

OUTPUT = """PASS ewa.values
FAIL update_parameters_with_adam.values: something; known mistake (beta_swapped): ...
MISTAKE update_parameters_with_adam.values: beta_swapped
FLAG sma.values: reference
PARTIAL random_mini_batches.values: reason (1.5 of 3 points)
Cost after epoch 0: 0.7
"""


def test_parse_reads_every_kind_of_line():
    lines = parse(OUTPUT)
    assert [(line.kind, line.test_id) for line in lines] == [
        ("PASS", "ewa.values"),
        ("FAIL", "update_parameters_with_adam.values"),
        ("MISTAKE", "update_parameters_with_adam.values"),
        ("FLAG", "sma.values"),
        ("PARTIAL", "random_mini_batches.values"),
    ]
    assert mistake_counts([OUTPUT, OUTPUT]) == {("update_parameters_with_adam.values", "beta_swapped"): 2}
    assert flags([OUTPUT]) == {("sma.values", "reference"): 1}


def test_a_real_failure_reports_its_mistake(tmp_path):
    folder = StudentFolder(tmp_path)
    wrong = "def ewa(theta, beta):\n    return _reference_free(theta, beta)\n"
    helper = (
        "\n\ndef _reference_free(theta, beta):\n    out, v = [], 0.0\n    for x in theta:\n"
        "        v = (1 - beta) * v + beta * x\n        out.append(v)\n    return np.array(out)\n"
    )
    folder.write("ewa", replace_function(reference_source("ewa"), "ewa", wrong) + helper)
    result = folder.grade("ewa.values")
    assert mistake_counts([result.stdout]) == {("ewa.values", "beta_swapped"): 1}


def _grade_cells():
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            nbgrader = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and nbgrader.get("grade") and "### BEGIN HIDDEN TESTS" in cell.source:
                yield path.name, cell, nbgrader


CALL = re.compile(r'grade\("([^"]+)", points=(\d+(?:\.\d+)?)\)')


def test_grade_cells_call_known_ids_with_their_points():
    cells = list(_grade_cells())
    if not cells:
        pytest.skip("no notebook has hidden-test grade cells yet")
    for name, cell, nbgrader in cells:
        calls = CALL.findall(cell.source)
        assert len(calls) == 1, (name, cell.source)
        test_id, points = calls[0]
        assert test_id in TESTS, (name, test_id)
        assert float(points) == float(nbgrader["points"]), (name, test_id)
