"""Helpers shared by the workbook-level tests: reading notebooks and their grade cells."""

import re

import nbformat

from optgrade.workbook import notebooks

GRADE_CALL = re.compile(r'grade\("(?P<id>[a-z_0-9]+\.[a-z]+)", points=(?P<points>\d+(?:\.\d+)?)\)')


def load_all():
    """{notebook file name: notebook node} for every workbook notebook."""
    return {path.name: nbformat.read(path, as_version=4) for path in notebooks()}


def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def tags(cell):
    return set(cell.metadata.get("tags", []))


def grade_cells(notebook):
    """Autograded code cells (grade and not solution)."""
    return [
        cell
        for cell in notebook.cells
        if cell.cell_type == "code" and nbgrader_meta(cell).get("grade") and not nbgrader_meta(cell).get("solution")
    ]
