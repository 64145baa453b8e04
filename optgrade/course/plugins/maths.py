"""The formgrader's pages with their maths drawn in (its template loads MathJax from a CDN an offline course lacks)."""

import os

from nbconvert.preprocessors import Preprocessor

from ..feedback_math import Renderer, source_expressions
from ..layout import Course


class DrawMaths(Preprocessor):
    """nbconvert preprocessor: the maths of every markdown cell drawn into it (the formgrader's pages, offline)."""

    def preprocess(self, nb, resources):
        root = self.config.get("CourseDirectory", {}).get("root") or os.getcwd()
        assignment = resources.get("assignment_id") or resources.get("nbgrader", {}).get("assignment") or ""
        source = os.path.join(root, "source", assignment)
        trusted = source_expressions(source) if assignment and os.path.isdir(source) else frozenset()
        renderer = Renderer(trusted, cache=str(Course(root).maths))
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = renderer.render(cell.source)
        return nb, resources
