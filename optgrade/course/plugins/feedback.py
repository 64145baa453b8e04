"""The feedback pages' plugins: what nbgrader's generate_feedback runs, and the exporter that writes the page.

``ScrubFeedback`` runs after nbgrader's ClearHiddenTests: tracebacks of grade cells are cut to their last
line (the failure's message), since their frames would show hidden test source; the course, repository and
Python paths left in outputs are replaced by short names; output text wraps (``FEEDBACK_CSS``); maths is
drawn into the page (``feedback_math``). ``FeedbackGrades`` (after nbgrader's GetGrades): an answer still to
grade by hand says so, and a failure is said once.

``FeedbackExporter`` is nbconvert's HTMLExporter (nbgrader's ``feedback`` template) with ``sanitize_html``
on, so markdown and HTML outputs pass through ``sanitize.clean_html`` (the course config installs it as the
``clean_html`` filter), and with a Content-Security-Policy as the first element of the page's head. The
pages ship no script of their own that they need (maths is drawn into them as images, see
``feedback_math``), so the policy forbids all script, frames, forms, plugins and any load but inline
styles and ``data:`` images and fonts: a student's markup that got past both cleanings still could not run
or call home. It writes the page without nbconvert's second parse of it (alt text comes with the images), and
keeps the HTML of each markdown and code cell it drew for the next pages (``Kept``): every student's pages
repeat the instructor's cells.
"""

import json
import os
import sys

from jinja2 import BytecodeCache, pass_context
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters import get_metadata
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbformat.v4 import new_markdown_cell
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution
from traitlets import Bool, default

from ...exercises import ROOT
from .. import feedback_math
from ..gradebook import to_grade
from ..layout import Course
from ..sanitize import NO_ALT

IMAGES, SVG = ("image/png", "image/jpeg"), "image/svg+xml"

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
            for mimetype in IMAGES:  # the template writes this alt text (FeedbackExporter does not parse the page)
                if mimetype in output.get("data", {}) and get_metadata(output, "alt", mimetype) is None:
                    output.setdefault("metadata", {}).setdefault(mimetype, {})["alt"] = NO_ALT
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


CSP = (
    "default-src 'none'; script-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'; "
    "form-action 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'"
)
META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates kept in the process: nbgrader makes a new exporter (a new Jinja environment)
    for each run, and compiling the feedback template took 0.2 s of a one-notebook page's 0.5 s."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])  # Jinja checks the source's checksum itself

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = CompiledTemplates()


class Kept(dict):
    """Rendered HTML kept by everything it depends on, in a feedback process: every student's pages show the
    instructor's cells, and drawing their markdown and code again took a third of a page's time. Bounded: a
    cell drawn larger than ``MAX_CELL`` is not kept, and the whole is emptied past ``MAX_KEPT`` characters."""

    def __init__(self):
        super().__init__()
        self.size = 0

    def clear(self):
        super().clear()
        self.size = 0

    def draw(self, key, render):
        """The HTML kept for key, else render() (kept if within the bounds)."""
        if key in self:
            return self[key]
        html = render()
        size = len(html) + sum(len(part) for part in key if isinstance(part, str))
        if size <= MAX_CELL:
            if self.size + size > MAX_KEPT:
                self.clear()
            self[key] = html
            self.size += size
        return html


MAX_CELL, MAX_KEPT = 2**18, 2**26  # characters: a cell kept (256 Ki), all kept in a process (64 Mi)
MARKDOWN, CODE = Kept(), Kept()


class KeptHighlight:
    """nbconvert's ``highlight_code`` filter, kept by its input (``Kept``)."""

    def __init__(self, highlight):
        self.highlight = highlight

    def __call__(self, source, language=None, metadata=None):
        meta = json.dumps(metadata or {}, sort_keys=True, default=str)
        key = (self.highlight.pygments_lexer, source, language, meta)
        return CODE.draw(key, lambda: self.highlight(source, language, metadata))


class FeedbackExporter(HTMLExporter):
    """HTMLExporter for nbgrader's GenerateFeedback: sanitised, with the policy above in the head.

    HTMLExporter parses the rendered page again with BeautifulSoup for two things: alt text on images
    without it, and ``tabindex`` on the lab template's cells. That pass was 45 % of a page's time. Here the
    images get their alt text where they are written (``sanitize.clean_html`` for markdown and HTML,
    ``ScrubFeedback`` for PNG and JPEG outputs), nbgrader's classic-based template has none of the lab's
    cells, and a notebook with an SVG output (whose ``<img>`` the template writes without alt) still
    takes nbconvert's own path.
    """

    sanitize_html = Bool(True, help="clean markdown and HTML outputs at render time").tag(config=True)

    @default("template_name")
    def _template_name_default(self):
        return "feedback"

    @pass_context
    def markdown2html(self, context, source):
        """nbconvert's filter, kept (``Kept``) for a cell without attachments, by its text (and the notebook's folder,
        which is the student's, only if images are embedded from it: nbconvert reads it for nothing else)."""
        if context.get("cell", {}).get("attachments"):
            return super().markdown2html(context, source)
        path = context.get("resources", {}).get("metadata", {}).get("path", "") if self.embed_images else ""
        key = (source, path, self.embed_images, self.anchor_link_text, self.exclude_anchor_links)
        return MARKDOWN.draw(key, lambda: super(FeedbackExporter, self).markdown2html(context, source))

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = TEMPLATES
        return environment

    def from_notebook_node(self, nb, resources=None, **kw):
        if any(SVG in output.get("data", {}) for cell in nb.cells for output in cell.get("outputs", [])):
            output, resources = super().from_notebook_node(nb, resources, **kw)
        else:
            output, resources = self._rendered(nb, resources, **kw)
        head = output.find("<head>")
        if head < 0:
            return f"{META}\n{output}", resources
        end = head + len("<head>")
        return f"{output[:end]}\n{META}{output[end:]}", resources

    def _rendered(self, nb, resources, **kw):
        """HTMLExporter.from_notebook_node (nbconvert 7) without its BeautifulSoup pass over the page."""
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name"))
        highlight = self.filters.get("highlight_code") or KeptHighlight(
            Highlight2HTML(pygments_lexer=lexer, parent=self)
        )
        self.register_filter("highlight_code", highlight)
        resources = self._init_resources(resources)
        self.register_filter(
            "filter_data_type",
            WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources),
        )
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)
