"""nbgrader preprocessors the course config plugs in: contained execution and leak-free feedback.

``ContainedExecute`` replaces nbgrader's Execute in autograde. When a
student's code kills the kernel (a crash, ``os._exit``, the memory limit) or
leaves it unresponsive to an interrupt, nbgrader would abandon the whole
submission. Here the cell gets an error output instead (so its grade cell
scores 0), a fresh kernel starts, the setup cell runs again, and grading
goes on with the next cell.

``ScrubFeedback`` runs in generate_feedback after nbgrader's ClearHiddenTests:
tracebacks of grade cells are cut to their last line (the failure's message),
since their frames would show hidden test source; the course, repository and
Python paths left in outputs are replaced by short names; output text wraps
(``FEEDBACK_CSS``); maths is drawn into the page (``feedback_math``).
"""

import copy
import os
import sys

from nbclient.client import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution
from traitlets import Integer

from ..exercises import ROOT
from . import feedback_math
from .layout import Course

PRIVATE_MARKS = ("optgrade", "solutions/", "BEGIN HIDDEN TESTS")
# Long lines (a named mistake's sentence, a FAIL line) wrap at spaces inside their box: a word is broken only when it
# alone is wider than the box ("anywhere" broke words and numbers that fit). Figures shrink to the box at their own
# aspect ratio, never cut off ("overflow-x: hidden" cut a 1400 px figure in a window of 800 px).
FEEDBACK_CSS = """
div.output_area pre, div.output_text pre, div.output_subarea pre {
  white-space: pre-wrap; overflow-wrap: break-word; word-break: normal; /* bootstrap's pre: break-all */
}
div.output_subarea { max-width: 100%; min-width: 0; overflow-x: auto; }
div.output_subarea img { max-width: 100%; height: auto; }
div.math-display { text-align: center; margin: 0.6em 0; }
code.tex { white-space: pre-wrap; }
"""


def _error(name, message):
    return NotebookNode(output_type="error", ename=name, evalue=message, traceback=[f"{name}: {message}"])


class ContainedExecute(Execute):
    """nbgrader's Execute, surviving kernels that die or stop answering (the base of ``SandboxedExecute``)."""

    max_restarts = Integer(3, help="fresh kernels per notebook before the remaining cells are marked not run").tag(
        config=True
    )

    def preprocess(self, nb, resources=None, km=None):
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        code = [index for index, cell in enumerate(self.nb.cells) if cell.cell_type == "code"]
        setup = code[0] if code else None
        start, restarts = 0, 0
        while start < len(self.nb.cells):
            with self.setup_kernel():
                info = self.wait_for_reply(self.kc.kernel_info())
                self.nb.metadata["language_info"] = info["content"]["language_info"]
                index = start
                try:
                    if start > 0 and setup is not None:  # a fresh kernel: imports first
                        self.execute_cell(copy.deepcopy(self.nb.cells[setup]), setup, store_history=False)
                    for index in range(start, len(self.nb.cells)):
                        self.preprocess_cell(self.nb.cells[index], resources, index)
                    start = len(self.nb.cells)
                except (DeadKernelError, CellTimeoutError) as failure:
                    what = "the kernel died" if isinstance(failure, DeadKernelError) else "the kernel stopped answering"
                    self.log.warning("Cell %d: %s; starting a fresh kernel", index, what)
                    index = next((i for i in range(index, len(self.nb.cells)) if i in code), None)
                    if index is None:
                        break
                    cell = self.nb.cells[index]
                    cell.outputs.append(_error("KernelDied", f"{what} while running this cell (crash or memory limit)"))
                    start, restarts = index + 1, restarts + 1
            if restarts > self.max_restarts:
                for cell in self.nb.cells[start:]:
                    if cell.cell_type == "code":
                        cell.outputs = [_error("NotRun", "not run: the kernel died too often in this notebook")]
                break
        self.set_widgets_metadata()
        return self.nb, self.resources


class ScrubFeedback(NbGraderPreprocessor):
    """Feedback a student can read: no hidden source, no instructor paths, wrapping text, maths drawn offline."""

    def preprocess(self, nb, resources):
        course = self.config.CourseDirectory.get("root") or os.getcwd()
        info = resources.get("nbgrader", {})
        student_dirs = [
            os.path.join(course, kind, info.get("student", ""), info.get("assignment", "")) + os.sep
            for kind in ("autograded", "submitted")
        ]
        # longest first, so a submission's own folder becomes a relative path before the course root is named
        self.paths = [(folder, "") for folder in student_dirs] + [
            (str(course), "<course>"),
            (str(ROOT), "<workbook>"),
            (sys.prefix, "<python>"),
        ]
        resources.setdefault("inlining", {}).setdefault("css", []).append(FEEDBACK_CSS)
        source = os.path.join(course, "source", info.get("assignment", ""))
        trusted = feedback_math.source_expressions(source) if os.path.isdir(source) else frozenset()
        self.maths = feedback_math.Renderer(trusted, cache=str(Course(course).maths))
        return super().preprocess(nb, resources)

    def _scrub(self, text):
        for path, replacement in self.paths:
            text = text.replace(path, replacement)
        return text

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = self.maths.render(cell.source)
            return cell, resources
        if cell.cell_type != "code":
            return cell, resources
        hidden = is_grade(cell) and not is_solution(cell)
        for output in cell.outputs:
            if output.output_type == "stream":
                output.text = self._scrub(output.text)
            if output.output_type != "error":
                continue
            text = "\n".join(output.get("traceback", []))
            if hidden or any(mark in text for mark in PRIVATE_MARKS):
                output.traceback = [f"{output.ename}: {output.evalue}"]
            output.traceback = [self._scrub(line) for line in output.traceback]
            output.evalue = self._scrub(output.evalue)
        return cell, resources
