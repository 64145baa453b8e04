"""Unit tests of optgrade.course.sanitize: what a student's markup keeps and loses, one vector at a time.

Expected values are written by hand from the allow-list (the module docstring): text, maths, code,
formatting, tables, data: images and http(s)/mailto/anchor links stay; everything that runs, loads
or navigates goes. The end-to-end test in a real browser is tests/course/test_review_path.py.
"""

import json

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from optgrade.course import sanitize
from optgrade.course.plugins import cells
from optgrade.course.sanitize import Removed, clean_html, clean_markdown

# the alt text of an image without one (nbconvert's words), as an unquoted value that no attribute can end
ALT = " alt=No&#32;description&#32;has&#32;been&#32;provided&#32;for&#32;this&#32;image"
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def markdown(text, attachments=()):
    removed = Removed()
    return clean_markdown(text, removed, attachments), dict(removed)


@pytest.mark.parametrize(
    "text",
    [
        "Adam divides by $\\sqrt{\\hat{s}} + \\varepsilon$, so $a < b$ and $$v_t = \\beta_1 v_{t-1}$$ hold.",
        "**bold**, *it*, `code <b>`, a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> a quote & more",
        "[lecture](https://example.org/notes?a=1&b=(2)) and [mail](mailto:a@b.c) and [up](#top)",
        "```python\nif x < y:\n    print('<script>')\n```",
        "<b>bold</b> <em>em</em> <sub>1</sub> <table><tr><td>1</td></tr></table>",
        f"![plot](data:image/png;base64,{PNG})",
    ],
)
def test_a_harmless_answer_is_kept_byte_for_byte(text):
    assert markdown(text) == (text, {})


@pytest.mark.parametrize(
    ("text", "expected", "removed"),
    [
        ("a <script>alert(1)</script> b", "a  b", {"elements": 1}),
        ('<img src="x" onerror="alert(1)">', "", {"elements": 1}),
        ("<img/src=x/onerror=alert(1)>", "", {"elements": 1}),
        ('<b onclick="alert(1)">ok</b>', "<b>ok</b>", {"attributes": 1}),
        ('<iframe srcdoc="&lt;script&gt;x&lt;/script&gt;"></iframe>ok', "ok", {"elements": 1}),
        ('<meta http-equiv="refresh" content="0;url=/x">', "", {"elements": 1}),
        ('<base href="http://evil/">', "", {"elements": 1}),
        ("<style>@import url(http://evil/);</style>", "", {"elements": 1}),
        ('<svg onload="x"><script>y</script></svg>', "", {"elements": 1}),
        ('<details open ontoggle="x">d</details>', '<details open="">d</details>', {"attributes": 1}),
        ("<!-- hidden --> text", " text", {"elements": 1}),
        ("a<b and c>d", "a<b>d", {"attributes": 2}),  # HTML reads a tag <b> with two attributes here
        ("an unclosed <img src=x onerror=alert(1)", "an unclosed &lt;img src=x onerror=alert(1)", {}),
        ("[x](javascript:alert(1))", "[x](#)", {"links": 1}),
        ("[x](javascript:(function(){a(1)})()) end", "[x](#) end", {"links": 1}),
        ("[x](jav&#x61;script:alert(1))", "[x](#)", {"links": 1}),
        ("[x](java\tscript:1)", "[x](#\tscript:1)", {"links": 1}),  # no longer a link at all
        ("[x](data:text/html,<script>1</script>)", "[x](#)", {"links": 1}),
        ("![x](http://tracker/pixel.png)", "![x](#)", {"links": 1}),
        ("[r]: javascript:alert(1)\n\nsee [r]", "[r]: #\n\nsee [r]", {"links": 1}),
        ("<javascript:alert(1)>", "", {"elements": 1}),  # an autolink to script
        ("$\\href{javascript:alert(1)}{click}$", "${click}$", {"tex": 1}),
        ("$\\require{html}\\class{x}{y}$", "${y}$", {"tex": 2}),
        ('$x<img src=x onerror="1">$', '$x< img src=x onerror="1">$', {}),
        ("![a](attachment:gone.png)", "![a](#)", {"links": 1}),
    ],
)
def test_what_can_run_load_or_navigate_is_removed_and_counted(text, expected, removed):
    assert markdown(text) == (expected, removed)


def test_an_attachment_the_cell_keeps_can_still_be_shown():
    assert markdown("![a](attachment:plot.png)", attachments=("plot.png",)) == ("![a](attachment:plot.png)", {})


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<h1>T</h1><p>x</p>", "<h1>T</h1><p>x</p>"),
        ('<th style="text-align: left">a</th>', "a"),  # a lone cell is not a table: html5 drops the tag
        ('<div style="text-align: left; background: url(x)">a</div>', '<div style="text-align:left">a</div>'),
        ('<img src="x" onerror="1">', f"<img{ALT}>"),
        (
            f'<img class="math" src="data:image/png;base64,{PNG}">',
            f'<img{ALT} class="math" src="data:image/png;base64,{PNG}">',
        ),
        (f'<img alt="" src="data:image/png;base64,{PNG}">', f'<img alt="" src="data:image/png;base64,{PNG}">'),
        ('<a title="<img src=x>">t</a>', '<a title="&lt;img src=x&gt;" rel="noopener noreferrer">t</a>'),
        ('<a href="javascript:1">j</a>', '<a rel="noopener noreferrer">j</a>'),
        ('<a href="https://x.y/">j</a>', '<a href="https://x.y/" rel="noopener noreferrer">j</a>'),
        ("<script>1</script><style>a{}</style><form><input autofocus></form>ok", "ok"),
        ('<object data="x"></object><embed src="x">ok', "ok"),
    ],
)
def test_html_outputs_keep_reading_matter_only(fragment, expected):
    assert clean_html(fragment) == expected


def _output(data, metadata=None, kind="display_data"):
    return new_output(kind, data=data, metadata=metadata or {})


def test_outputs_keep_text_and_images_and_lose_script_types():
    removed = Removed()
    cell = new_code_cell("x", execution_count=1)
    cell.outputs = [
        _output({"text/plain": "1", "application/javascript": "alert(1)"}),
        _output({"application/vnd.jupyter.widget-view+json": {"model_id": "m"}}),
        _output({"image/png": PNG}, {"image/png": {"width": "1 onload=alert(1)"}}),
        _output({"image/png": 'x" onerror="1'}),
        _output({"image/svg+xml": "<svg onload='1'><circle/></svg>", "text/plain": "fig"}),
        _output({"image/svg+xml": "<svg><use xlink:href='#g'/></svg>"}),
        _output({"image/png": PNG}, {"image/png": {"alt": 'fig" onerror="1', "width": 3}, "image/jpeg": {"alt": 1}}),
        _output({"image/png": PNG}, {"image/png": {"alt": "x" * 600}}),
        {"output_type": "stream", "name": 'stdout" onmouseover="1', "text": ["a", "b"]},
        {"output_type": "unknown", "data": {}},
    ]
    clean = sanitize.clean_cell(cell, frozenset(), removed)
    data = [output.get("data") for output in clean.outputs]
    assert data[0] == {"text/plain": "1\n[application/javascript output removed at grading]"}
    assert data[1] == {"text/plain": "[application/vnd.jupyter.widget-view+json output removed at grading]"}
    assert data[2] == {"image/png": PNG} and clean.outputs[2].metadata == {}
    assert data[3] == {"text/plain": "[image/png output removed at grading]"}
    assert data[4] == {"text/plain": "fig\n[image/svg+xml output removed at grading]"}
    assert data[5] == {"image/svg+xml": "<svg><use xlink:href='#g'/></svg>"}
    assert clean.outputs[6].metadata == {"image/png": {"alt": 'fig" onerror="1', "width": 3}}  # text: escaped later
    assert clean.outputs[7].metadata == {"image/png": {"alt": "x" * 500}}
    assert clean.outputs[8] == {"output_type": "stream", "name": "stdout", "text": "ab"}
    assert len(clean.outputs) == 9
    assert removed == {"outputs": 4, "widgets": 1}


def test_cells_get_the_types_the_format_says_and_no_foreign_metadata():
    removed = Removed()
    cell = new_code_cell("x")
    cell["execution_count"] = "<img src=x onerror=1>"
    cell["id"] = 'x"><img src=x>'
    cell.metadata = {"tags": ["ok-tag", 'x"><b>'], "nbgrader": {"grade": False}, "jupyter": {"x": "<b>"}}
    clean = sanitize.clean_cell(cell, frozenset(), removed)
    assert clean["execution_count"] is None
    assert sanitize.IDENTIFIER.match(clean["id"])
    assert clean.metadata == {"tags": ["ok-tag"], "nbgrader": {"grade": False}}


def test_a_written_answer_gets_a_note_an_instructor_cell_is_left_alone():
    removed = Removed()
    answer = new_markdown_cell('My answer $v_t$ <img src="x" onerror="1"> <script>2</script>')
    answer.metadata = {"nbgrader": {"solution": True, "grade": True, "grade_id": "why"}}
    instructor = new_markdown_cell('See <img src="figure.png"> below')
    trusted = frozenset([instructor.source])
    assert sanitize.clean_cell(instructor, trusted, removed).source == 'See <img src="figure.png"> below'
    clean = sanitize.clean_cell(answer, trusted, removed).source
    assert clean.startswith("My answer $v_t$  \n\n")
    assert clean.endswith("*[optgrade: 2 HTML elements removed from this answer.]*")
    assert removed == {"elements": 2}


def test_attachments_keep_png_and_jpeg_only():
    removed = Removed()
    cell = new_markdown_cell("![a](attachment:a.png) ![b](attachment:b.svg)")
    cell["attachments"] = {"a.png": {"image/png": PNG}, "b.svg": {"image/svg+xml": "PHN2Zz4="}, "c": {"text/html": "x"}}
    clean = sanitize.clean_cell(cell, frozenset(), removed)
    assert clean["attachments"] == {"a.png": {"image/png": PNG}}
    assert clean.source.startswith("![a](attachment:a.png) ![b](#)")
    assert removed == {"attachments": 2, "links": 1}


def test_widget_state_and_foreign_notebook_metadata_are_dropped():
    nb = new_notebook(cells=[new_code_cell("1")])
    nb.metadata = {
        "widgets": {"application/vnd.jupyter.widget-state+json": {"state": "</script><script>1</script>"}},
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "title": "<script>1</script>",
    }
    clean, removed = sanitize.clean_notebook(nb)
    assert clean.metadata == {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    }
    assert removed == {"widgets": 1}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcimgsrcptonerror:()[]!$`\\\n&#;x")), max_size=80))
def test_no_markdown_leaves_a_tag_that_is_not_on_the_allow_list(text):
    """Property: whatever the input, every tag left is rebuilt from the allow-list, with allowed attributes only."""
    clean = clean_markdown(text)
    for match in sanitize.MARKUP.finditer(clean):
        name = (match.group(2) or "").lower()
        in_code_or_maths = any(m.start() <= match.start() < m.end() for m in sanitize.PROTECTED.finditer(clean))
        if in_code_or_maths:
            continue
        assert name in sanitize.TAGS, (text, clean)
        for attribute in sanitize.ATTRIBUTE.finditer(match.group(3) or ""):
            assert attribute.group(1).lower() in sanitize.ATTRIBUTES["*"] | sanitize.ATTRIBUTES.get(name, set())


def test_the_preprocessor_records_what_it_removed_for_the_report(tmp_path):
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    nb = new_notebook(cells=[new_markdown_cell("<script>1</script>")])
    resources = {"nbgrader": {"assignment": "workbook", "notebook": "05_adam", "student": "mallory"}}
    cells.SanitizeSubmission(config=config).preprocess(nb, resources)
    record = tmp_path / ".optgrade" / "sanitized" / "workbook" / "mallory" / "05_adam.json"
    assert json.loads(record.read_text()) == {"elements": 1}
    assert sanitize.sanitized(str(tmp_path), "workbook") == {"mallory": {"05_adam": {"elements": 1}}}
    cells.SanitizeSubmission(config=config).preprocess(new_notebook(cells=[new_markdown_cell("ok")]), resources)
    assert not record.exists()  # a resubmission without markup clears the report's line


def test_the_workbooks_own_markdown_passes_unchanged():
    """No false alarm on real lecture text: tables, maths with < and >, code, links, HTML the notebooks use."""
    from optgrade.exercises import ROOT

    cells = [
        cell
        for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "markdown"
    ]
    assert len(cells) > 90
    changed = [cell.source[:80] for cell in cells if markdown(cell.source) != (cell.source, {})]
    assert changed == []


def test_a_slider_output_is_dropped_quietly(tmp_path):
    nb = new_notebook(cells=[new_code_cell("sliders.valley()")])
    nb.cells[0].outputs = [_output({"application/vnd.jupyter.widget-view+json": {"model_id": "m"}, "text/plain": "w"})]
    nb.metadata = {"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}}}
    clean, removed = sanitize.clean_notebook(nb)
    assert removed == {"widgets": 2}
    record = tmp_path / ".optgrade" / "sanitized" / "workbook" / "ann"
    record.mkdir(parents=True)
    (record / "03_momentum.json").write_text(json.dumps(removed))
    assert sanitize.sanitized(str(tmp_path), "workbook") == {}  # not a line in the report


def test_after_execute_the_second_pass_adds_to_the_first(tmp_path):
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    resources = {"nbgrader": {"assignment": "workbook", "notebook": "05_adam", "student": "mallory"}}
    cells.SanitizeSubmission(config=config).preprocess(new_notebook(cells=[new_markdown_cell("<b x=1>")]), resources)
    executed = new_notebook(cells=[new_code_cell("x")])
    executed.cells[0].outputs = [_output({"application/javascript": "alert(1)"})]
    cells.SanitizeExecuted(config=config).preprocess(executed, resources)
    assert sanitize.sanitized(str(tmp_path), "workbook") == {"mallory": {"05_adam": {"attributes": 1, "outputs": 1}}}
    assert executed.cells[0].outputs[0]["data"] == {"text/plain": "[application/javascript output removed at grading]"}
