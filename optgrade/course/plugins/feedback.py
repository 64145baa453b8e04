"""The feedback page's preprocessor: answers still to grade by hand said so, each failure said once."""

from nbformat.v4 import new_markdown_cell
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution

from ..gradebook import to_grade

# nbgrader's feedback page has bootstrap but not the notebook stylesheet: markdown tables would get no cell spacing
TABLE_CSS = """
.rendered_html table { border-collapse: collapse; margin: 0.6em 0; }
.rendered_html th, .rendered_html td { padding: 0.25em 0.8em; border-bottom: 1px solid #ddd; text-align: left; }
.rendered_html thead th { border-bottom: 1px solid #999; }
"""


class FeedbackGrades(NbGraderPreprocessor):
    """Feedback (after nbgrader's GetGrades): an answer still to grade by hand says so; a failure is said once.

    nbgrader's feedback template prints every grade cell's score, 0.0 for an answer nobody has graded
    yet; such a cell is shown as a plain answer instead, under a line saying it is to be graded by hand,
    and a line at the top says the notebook's score leaves those points out for now. A hidden-test cell's
    error output (how nbgrader learnt it scores 0) repeats the FAIL line above it, so the page drops it.
    Markdown tables get their cell spacing back (``TABLE_CSS``).
    """

    def preprocess(self, nb, resources):
        resources.setdefault("inlining", {}).setdefault("css", []).append(TABLE_CSS)
        for cell in nb.cells:
            if cell.cell_type == "code" and is_grade(cell) and not is_solution(cell):
                said = "".join(output.get("text", "") for output in cell.outputs if output.output_type == "stream")
                cell.outputs = [
                    output
                    for output in cell.outputs
                    if output.output_type != "error" or str(output.get("evalue", "")).strip() not in said
                ]
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gradebook:
            notebook = gradebook.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
            pending = {grade.name: grade.max_score for grade in notebook.grades if to_grade(grade)}
        if not pending:
            return nb, resources
        cells = []
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in pending and cell.metadata.nbgrader.get("grade"):
                cell.metadata.nbgrader["grade"] = False  # no "Score: 0.0 / 2.0" on an answer not graded yet
                points = pending[grade_id]
                note = f"**To be graded by hand** ({points:g} point{'s' if points != 1 else ''}): the answer below"
                cells.append(new_markdown_cell(f"{note} has no score yet; it is not counted as 0."))
            cells.append(cell)
        total = sum(pending.values())
        cells.insert(
            0,
            new_markdown_cell(
                f"**{total:g} point{'s' if total != 1 else ''} of written answers still to be graded by hand** "
                "(marked below): the score above does not include them yet."
            ),
        )
        nb.cells = cells
        return nb, resources
