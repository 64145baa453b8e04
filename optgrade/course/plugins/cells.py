"""What nbgrader's autograde runs on a submitted notebook's cells: made inert, restored, given the trusted verdicts.

``SanitizeSubmission`` first: every output, markdown cell, attachment and metadata field a student wrote is
made inert (and schema-valid) before nbgrader reads, stores or renders any of it (``sanitize``); its counts go
to ``Course.sanitized`` for the report; ``SanitizeExecuted`` cleans again after ``--execute``. ``RestoreCells``
brings back deleted grade cells. ``TrustedVerdicts`` runs before nbgrader's ``SaveAutoGrades``: it gives each
hidden-test grade cell the verdict's output (``outputs``: a stream, plus an error for no credit or a number for
partial credit, which is how nbgrader reads a code cell's score) and leaves the student's submitted outputs in
the other cells, marked as submitted.
"""

import json
import os

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor, OverwriteCells
from nbgrader.utils import is_grade, is_solution
from traitlets import Bool, Unicode

from ..layout import Course
from ..sanitize import NOTEBOOK_KEYS, clean_notebook, text_of

SUBMITTED = "as submitted: not re-run at grading (scores come from the hidden tests only)"


def outputs(verdict):
    """The grade cell's outputs for a verdict: nbgrader scores an error 0 and a number as partial credit."""
    cells = [NotebookNode(output_type="stream", name="stdout", text=verdict["output"])]
    if verdict["status"] == "fail":
        message = verdict["message"] or "failed"
        cells.append(NotebookNode(output_type="error", ename="AssertionError", evalue=message, traceback=[message]))
    elif verdict["status"] == "partial":
        data = {"text/plain": f"{verdict['score']:g}"}
        cells.append(NotebookNode(output_type="execute_result", execution_count=None, data=data, metadata={}))
    return cells


class TrustedVerdicts(NbGraderPreprocessor):
    """Write the stored trusted verdicts into the hidden-test grade cells of one notebook."""

    verdicts_dir = Unicode("", help="folder of <assignment>/<student>.json verdict files").tag(config=True)
    executed = Bool(False, help="the other cells were re-run in the sandbox (--execute)").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        stored = f"{self.verdicts_dir}/{info['assignment']}/{info['student']}.json"
        with open(stored, encoding="utf-8") as handle:
            result = json.load(handle)
        self.verdicts = {v["grade_id"]: v for v in result["verdicts"] if v["notebook"] == info["notebook"]}
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if is_grade(cell) and not is_solution(cell):
            verdict = self.verdicts.get(cell.metadata.nbgrader["grade_id"])
            if verdict is None:
                message = "no hidden-test verdict for this cell: not graded"
                verdict = {"status": "fail", "output": f"FAIL: {message}\n", "message": message}
            cell.outputs = outputs(verdict)
            cell.execution_count = None
        elif not self.executed:
            cell.metadata.setdefault("optgrade", {})["outputs"] = SUBMITTED
        return cell, resources


class RestoreCells(OverwriteCells):
    """nbgrader's OverwriteCells, restoring deleted grade cells after the nearest earlier cell still there.

    nbgrader 0.9.6's own ``add_missing_cells`` looks the previous source cell up
    among the submitted grade and solution cells only, and fails on the whole
    submission when that cell is a locked one (the setup cell, say).
    """

    def add_missing_grade_cells(self, nb, resources):
        source = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        order = [cell.name for cell in source.source_cells]
        solutions = {cell.name for cell in source.solution_cells}
        for grade_cell in source.grade_cells:
            present = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in nb.cells]
            if grade_cell.name in present or grade_cell.name not in order:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", grade_cell.name)
            index = order.index(grade_cell.name)
            restored = self.missing_cell_transform(
                source.source_cells[index], grade_cell.max_score, is_solution=grade_cell.name in solutions
            )
            earlier = set(order[:index])
            position = max((i + 1 for i, name in enumerate(present) if name in earlier), default=0)
            nb.cells.insert(position, restored)
        return nb, resources


class SanitizeSubmission(NbGraderPreprocessor):
    """autograde: a submitted notebook made inert, counts written to ``Course.sanitized`` for the report."""

    after_execute = False

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        course = self.config.CourseDirectory.get("root") or os.getcwd()
        source = os.path.join(course, "source", info.get("assignment", ""), f"{info.get('notebook', '')}.ipynb")
        trusted, metadata = frozenset(), None
        if os.path.isfile(source):
            with open(source, encoding="utf-8") as stream:
                original = json.load(stream)
            trusted = frozenset(text_of(cell.get("source", "")) for cell in original.get("cells", []))
            metadata = {key: value for key, value in original.get("metadata", {}).items() if key in NOTEBOOK_KEYS}
        nb, removed = clean_notebook(nb, trusted, metadata)
        record = str(Course(course).sanitized(info.get("assignment", ""), info.get("student", "")))
        path = os.path.join(record, f"{info.get('notebook', '')}.json")
        if self.after_execute and os.path.exists(path):  # add to the first pass's counts
            with open(path, encoding="utf-8") as stream:
                removed.merge(json.load(stream))
        if removed:
            os.makedirs(record, exist_ok=True)
            with open(path, "w", encoding="utf-8") as stream:
                json.dump(removed, stream)
        elif os.path.exists(path):
            os.remove(path)
        return nb, resources


class SanitizeExecuted(SanitizeSubmission):
    """``autograde --execute``: the outputs the student's code just made in the sandboxed kernel, made inert too."""

    after_execute = True
