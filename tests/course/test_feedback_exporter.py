"""FeedbackExporter renders without nbconvert's second parse of the page, and every image still has alt text.

The page's images get their alt text where they are written: ``sanitize.clean_html`` (markdown, HTML
outputs) and ``ScrubFeedback`` (PNG and JPEG outputs, through nbgrader's feedback run:
``tests/course/test_pages.py`` checks those in a browser). A notebook with an SVG output takes
nbconvert's own path, since the template writes that ``<img>`` without alt.
"""

import copy
import os
from html.parser import HTMLParser

import nbgrader
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from traitlets.config import Config

from optgrade.course.plugins import feedback
from optgrade.course.plugins.feedback import CODE, MARKDOWN, META, FeedbackExporter
from optgrade.course.sanitize import FILTERS, NO_ALT

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'
FORMGRADER = os.path.join(os.path.dirname(nbgrader.__file__), "server_extensions", "formgrader")


class Images(HTMLParser):
    def __init__(self, page):
        super().__init__()
        self.alts = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt"))


def page(*cells, folder="autograded/alice/workbook"):
    config = Config()
    config.HTMLExporter.extra_template_basedirs = [os.path.join(FORMGRADER, "templates")]  # as GenerateFeedback sets
    config.HTMLExporter.extra_template_paths = [os.path.join(FORMGRADER, "static/node_modules/bootstrap/dist/css")]
    config.HTMLExporter.filters = FILTERS
    scores = {"notebook": "01", "score": 1.0, "max_score": 2.0, "late_penalty": 0.0}  # what GetGrades puts there
    exporter = FeedbackExporter(config=config)
    resources = {"nbgrader": scores, "metadata": {"path": folder}}  # nbgrader: the student's autograded folder
    output, _ = exporter.from_notebook_node(new_notebook(cells=list(cells)), resources)
    return output


def figure(data, metadata=None):
    cell = new_code_cell("plot()", execution_count=1)
    cell.outputs = [new_output("display_data", data=data, metadata=metadata or {})]
    return cell


def test_markdown_and_html_images_get_alt_text_and_an_outputs_own_alt_is_kept():
    output = page(
        new_markdown_cell(
            f'A sketch: <img src="data:image/png;base64,{PNG}"> and ![axes](data:image/png;base64,{PNG})'
        ),
        figure({"text/html": f'<p>x</p><img src="data:image/png;base64,{PNG}">'}),
        figure({"image/png": PNG}, {"image/png": {"alt": "cost against epoch"}}),
    )
    assert Images(output).alts == [NO_ALT, "axes", NO_ALT, "cost against epoch"]
    assert output.count(META) == 1


def test_a_notebook_with_an_svg_output_takes_nbconverts_path_and_its_image_gets_alt_text():
    output = page(figure({"image/svg+xml": SVG, "text/plain": "<Figure>"}), new_markdown_cell("text"))
    assert Images(output).alts == [NO_ALT]
    assert output.count(META) == 1


def test_a_cell_drawn_again_for_another_student_comes_from_what_was_kept_and_reads_the_same():
    MARKDOWN.clear()
    CODE.clear()

    cells = [new_markdown_cell("**Adam** keeps $v$ and $s$"), new_code_cell("x = 1"), new_code_cell("y = 2")]
    first = page(*copy.deepcopy(cells))
    kept = len(MARKDOWN), len(CODE)
    again = page(*copy.deepcopy(cells), folder="autograded/bob/workbook")  # the next student's pages
    assert kept == (1, 2) and (len(MARKDOWN), len(CODE)) == kept
    assert again == first


def test_a_markdown_cell_with_attachments_is_drawn_each_time():
    MARKDOWN.clear()
    cell = new_markdown_cell("![sketch](attachment:sketch.png)")
    cell.attachments = {"sketch.png": {"image/png": PNG}}
    assert f"data:image/png;base64,{PNG}" in page(cell)
    assert len(MARKDOWN) == 0


def test_what_is_kept_is_bounded_whatever_a_student_writes(monkeypatch):
    monkeypatch.setattr(feedback, "MAX_KEPT", 3000)
    MARKDOWN.clear()
    big = new_markdown_cell("x" * (feedback.MAX_CELL + 1))
    assert page(big).count("x" * 1000) and len(MARKDOWN) == 0  # drawn, not kept
    for n in range(40):  # many distinct cells: emptied whenever the next would pass the bound
        page(new_markdown_cell(f"answer {n}: " + "y" * 200))
        texts = [[html, *(part for part in key if isinstance(part, str))] for key, html in MARKDOWN.items()]
        assert MARKDOWN.size == sum(len(text) for parts in texts for text in parts) <= 3000
