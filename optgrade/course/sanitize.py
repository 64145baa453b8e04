"""Student content made inert before anyone renders it: outputs, markdown, attachments, metadata.

Everything in a submitted notebook is data the student wrote into its JSON,
outputs included (notebooks are not re-run by default). The formgrader and
the feedback pages render that JSON as HTML in the instructor's and the
student's browser, so ``SanitizeSubmission`` runs first in nbgrader's
autograde (the trusted parent process, never the sandbox), before anything is
written to autograded/ or the gradebook:

- outputs keep plain text, PNG/JPEG images (checked base64; size and alt text kept), SVG (shown as an
  ``<img>``, where it cannot run script, and only without script in it),
  HTML cleaned by an allow-list (``clean_html``), markdown as below, and
  LaTeX without the TeX commands that make links or load code; every other
  MIME type (JavaScript, widget views, anything unknown) is dropped, leaving
  a one-line text note;
- markdown (written answers, edited instructions, markdown outputs) keeps its
  text, maths and formatting; raw HTML tags not on the allow-list are
  removed (with their content for script-like elements), link targets other
  than http(s), mailto and in-page anchors are disabled, and a note at the
  end of a cell says what was removed ("2 HTML elements removed from this
  answer");
- attachments keep PNG/JPEG images; cell metadata keeps nbgrader's own and
  tags (as identifiers); notebook metadata keeps the kernel and language
  names (widget state is dropped); ids, prompt numbers and stream names get
  the types the format says.

Cells whose source is the instructor's own (any cell of the source
notebook, verbatim) are left as they are. What is removed decides no grade:
the verdicts come from the sandbox, the grade cells' outputs are the
trusted verdicts, and a written answer changed by a student stays changed.

Why nh3: it is the maintained Python binding of ammonia (Rust, html5ever's
parser, an allow-list sanitiser); bleach, which nbconvert's own
``sanitize_html`` uses, is deprecated and escapes ordinary markup (headings,
paragraphs, images) into visible tags. ``clean_html`` also replaces
nbconvert's filter in the generated course config, so the formgrader's and
the feedback's exporters clean again at render time (defence in depth).
"""

import base64
import binascii
import html
import json
import os
import re
import uuid
from html.parser import HTMLParser

import nh3
from nbformat.notebooknode import NotebookNode, from_dict

from .layout import Course

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q",
    "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul", "var",
}  # fmt: skip
# elements dropped with everything inside them (their content is code, CSS or another document)
DROPPED_WHOLE = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "textarea", "title", "xmp",
    "noscript", "noembed", "noframes", "template", "svg", "math", "select", "button", "plaintext", "head",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"class", "style", "title", "align"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "details": {"open"},
}
IMAGE_DATA = re.compile(r"data:image/(png|jpeg|gif|svg\+xml);base64,[A-Za-z0-9+/=\s]*\Z")
SAFE_LINK = re.compile(r"(https?:|mailto:|#)", re.I)
STYLE_PROPERTIES = {
    "display", "height", "width", "max-width", "min-width", "vertical-align", "margin", "margin-left",
    "margin-right", "margin-top", "margin-bottom", "padding", "text-align", "font-weight", "font-style",
    "white-space", "color", "background-color", "border", "border-collapse",
}  # fmt: skip
STYLE_VALUE = re.compile(r"[-#\w.%\s]*\Z")  # no parentheses, quotes, slashes or escapes: nothing can load
NUMBER = re.compile(r"\d{1,5}(\.\d+)?(px|%|em)?\Z")
IDENTIFIER = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")
BASE64 = re.compile(r"[A-Za-z0-9+/=\s]+\Z")
IMAGE_MIME = ("image/png", "image/jpeg")
NOTEBOOK_KEYS = ("kernelspec", "language_info")  # the notebook metadata kept (from the instructor's source)
SCRIPT_IN_SVG = re.compile(
    r"<\s*(script|foreignobject|iframe|a\b)|\son\w+\s*=|javascript:|href\s*=\s*(?![\"']?#)", re.I
)


def _link(value):
    """A link target as a browser reads it: entities decoded, controls, spaces and backslashes gone."""
    return re.sub(r"[\x00-\x20\\]", "", html.unescape(value))


def _style(value):
    kept = []
    for declaration in value.split(";"):
        name, _, setting = declaration.partition(":")
        name, setting = name.strip().lower(), setting.strip()
        if name in STYLE_PROPERTIES and STYLE_VALUE.match(setting) and setting:
            kept.append(f"{name}:{setting}")
    return ";".join(kept) or None


def _attribute(element, attribute, value):
    """nh3's attribute filter: the value kept (possibly rewritten), or None to drop the attribute."""
    if attribute == "style":
        return _style(value)
    if attribute == "src":
        return value if element == "img" and IMAGE_DATA.match(_link(value)) else None
    if attribute == "href":
        return value if SAFE_LINK.match(_link(value)) else None
    if attribute in ("width", "height"):
        return value if NUMBER.match(value.strip()) else None
    if attribute == "class":
        return " ".join(name for name in value.split() if IDENTIFIER.match(name)) or None
    return value


MAX_ALT = 500  # characters of an image output's own alt text kept
# nbconvert's words for an image without alt text. Written as an unquoted value of character references: had the
# parser below ever taken text inside an attribute value for a tag, the insert could still not end that value.
NO_ALT = "No description has been provided for this image"
ALT_ATTRIBUTE = " alt=" + NO_ALT.replace(" ", "&#32;")


class _ImagesWithoutAlt(HTMLParser):
    """Where each ``<img>`` without an ``alt`` attribute starts, as (line, column) from ``getpos``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.starts = []

    def handle_starttag(self, tag, attrs):
        if tag == "img" and all(name != "alt" for name, _ in attrs):
            self.starts.append(self.getpos())


def _allowed(fragment):
    fragment = fragment.decode() if isinstance(fragment, bytes) else str(fragment)
    return nh3.clean(
        fragment,
        tags=TAGS,
        clean_content_tags=DROPPED_WHOLE,
        attributes=ATTRIBUTES,
        attribute_filter=_attribute,
        url_schemes={"http", "https", "mailto", "data"},
        strip_comments=True,
    )


def clean_html(fragment):
    """An HTML fragment with only allow-listed elements and attributes, every image with alt text.

    Also nbconvert's ``clean_html`` filter. nbconvert's HTMLExporter adds the alt text by parsing the whole
    page again with BeautifulSoup (45 % of a feedback page's time); ``FeedbackExporter`` skips that pass, so
    the fragments that can hold an ``<img>`` get it here (images of outputs get it from ``ScrubFeedback``).
    """
    cleaned = _allowed(fragment)
    if "<img" not in cleaned:
        return cleaned
    parser = _ImagesWithoutAlt()
    parser.feed(cleaned)
    parser.close()
    line_starts = [0] + [match.end() for match in re.finditer("\n", cleaned)]
    for line, column in reversed(parser.starts):
        at = line_starts[line - 1] + column + len("<img")
        if cleaned[at - len("<img") : at] == "<img":
            cleaned = cleaned[:at] + ALT_ATTRIBUTE + cleaned[at:]
    return cleaned


def clean_rendered_markdown(rendered):
    """nbconvert's ``strip_files_prefix`` filter, then ``clean_html``.

    Installed as that filter in the course config: nbgrader's formgrade template renders markdown cells
    with ``markdown2html | strip_files_prefix`` and never ``clean_html``, whatever ``sanitize_html`` says.
    """
    from nbconvert.filters import strip_files_prefix

    return clean_html(strip_files_prefix(rendered))


# the exporter filters the course config and ``optgrade formgrader`` install (render-time cleaning)
FILTERS = {"clean_html": f"{__name__}.clean_html", "strip_files_prefix": f"{__name__}.clean_rendered_markdown"}


# ---------------------------------------------------------------------------------------------------------------
# markdown: the text, maths and code stay; tags are rebuilt from the allow-list or removed; links are checked

# code and maths, where `<` is text for the renderer: code kept as written, maths but for tag openers
PROTECTED = re.compile(
    r"```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)|`[^`\n]+`|\$\$.*?(?:\$\$|\Z)|\$[^$\n]+\$|\\\[.*?(?:\\\]|\Z)|\\\(.*?(?:\\\)|\Z)",
    re.S,
)
MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)|<[!?][^>]*>?|<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^<>\"']|\"[^\"<]*\"|'[^'<]*')*)>", re.S
)
TAG_OPENER = re.compile(r"<(?=[A-Za-z/!?])")
ATTRIBUTE = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*")
REFERENCE = re.compile(r"^( {0,3}\[[^\]\n]+\]:[ \t]*)(<[^>\n]*>|\S+)", re.M)
# TeX commands that make links, set classes, ids or styles, or load extensions (MathJax's html/require packages)
TEX_COMMANDS = re.compile(r"\\(?:href|url|class|cssId|style|data|require|html[A-Za-z]*)\b\s*(?:\{[^{}]*\}|\[[^\]]*\])?")
ATTACHMENT = re.compile(r"attachment:([^\s)>\"'\]]*)", re.I)
IMAGE_LINK = re.compile(r"(data:image/(png|jpeg|gif);base64,|attachment:)", re.I)


class Removed(dict):
    """Counts of what sanitising took out: elements, links, tex, outputs, attachments, attributes."""

    def add(self, kind, count=1):
        if count:
            self[kind] = self.get(kind, 0) + count

    def merge(self, other):
        for kind, count in other.items():
            self.add(kind, count)

    def sentence(self, where="this answer"):
        parts = []
        for kind, one, many in (
            ("elements", "HTML element", "HTML elements"),
            ("attributes", "HTML attribute", "HTML attributes"),
            ("links", "link", "links"),
            ("tex", "TeX link or style command", "TeX link or style commands"),
        ):
            count = self.get(kind, 0)
            if count:
                parts.append(f"{count} {one if count == 1 else many}")
        return f"{', '.join(parts)} removed from {where}" if parts else ""


def _rebuild(name, attributes, removed):
    """An allow-listed start tag rebuilt from its attributes, or None to drop the element."""
    kept, dropped = [], 0
    allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(name, set())
    for match in ATTRIBUTE.finditer(attributes):
        attribute = match.group(1).lower()
        value = (match.group(2) or "").strip("\"'")
        value = _attribute(name, attribute, html.unescape(value)) if attribute in allowed else None
        if value is None:
            dropped += 1
            continue
        kept.append(f' {attribute}="{html.escape(value, quote=True)}"')
    if name == "img" and not any(part.startswith(" src=") for part in kept):
        return None  # an image from anywhere but the notebook itself: a request, a tracker, or script bait
    removed.add("attributes", dropped)
    return f"<{name}{''.join(kept)}>"


def _markup(text, removed):
    """Text outside code and maths: allowed tags rebuilt, others removed, every other tag opener escaped."""
    out, position = [], 0
    while True:
        match = MARKUP.search(text, position)
        if match is None:
            out.append(TAG_OPENER.sub("&lt;", text[position:]))
            return "".join(out)
        out.append(TAG_OPENER.sub("&lt;", text[position : match.start()]))
        position = match.end()
        closing, name, attributes = match.group(1), (match.group(2) or "").lower(), match.group(3) or ""
        if not name:  # a comment, doctype or processing instruction
            removed.add("elements")
        elif closing:
            out.append(f"</{name}>" if name in TAGS else "")
        elif name in DROPPED_WHOLE:
            end = re.compile(rf"</{re.escape(name)}\s*>", re.I).search(text, position)
            position = end.end() if end else len(text)
            removed.add("elements")
        elif name in TAGS and (tag := _rebuild(name, attributes, removed)) is not None:
            out.append(tag)
        else:
            removed.add("elements")


def _destination_end(text, start):
    """Where an inline link's destination that starts at ``start`` ends: markdown's rule, nested parentheses."""
    if text.startswith("<", start):
        end = text.find(">", start)
        return len(text) if end < 0 else end + 1
    depth, index = 0, start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char.isspace() and depth == 0:
            break
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        index += 1
    return min(index, len(text))


def _safe_target(target, image):
    """Links may go to http(s), mailto and anchors; images come from the notebook only (no loads, no trackers)."""
    link = _link(target.strip("<>"))
    return bool((IMAGE_LINK.match(link) or link == "#") if image else SAFE_LINK.match(link))


def _links(text, removed):
    """Inline and reference link targets other than http(s), mailto, anchors (and images' data/attachments): ``#``."""
    out, position = [], 0
    for match in LINK.finditer(text):
        if match.start() < position:
            continue  # inside a destination already replaced
        start = match.end()
        end = _destination_end(text, start)
        out.append(text[position:start])
        if _safe_target(text[start:end], match.group(0).startswith("!")):
            out.append(text[start:end])
        else:
            removed.add("links")
            out.append("#")
        position = end
    out.append(text[position:])

    def check(match):
        if _safe_target(match.group(2), image=False):
            return match.group(0)
        removed.add("links")
        return f"{match.group(1)}#"

    return REFERENCE.sub(check, "".join(out))


def _tex(text, removed):
    def drop(match):
        removed.add("tex")
        return ""

    return TEX_COMMANDS.sub(drop, text)


def _attachment_links(text, attachments, removed):
    """``attachment:NAME`` links to attachments the cell does not have become ``#`` (nbconvert fails on them)."""

    def check(match):
        if match.group(1) in attachments:
            return match.group(0)
        removed.add("links")
        return "#"

    return ATTACHMENT.sub(check, text)


def clean_markdown(text, removed=None, attachments=()):
    """Markdown with its text, maths and code, and nothing that runs, loads or navigates; counts into ``removed``.

    ``attachments``: the names of the cell's (kept) attachments, the only ``attachment:`` links left.
    """
    removed = Removed() if removed is None else removed
    text = _attachment_links(_tex(str(text), removed), attachments, removed)
    out, position = [], 0
    for match in PROTECTED.finditer(text):
        out.append(_markup(_links(text[position : match.start()], removed), removed))
        segment = match.group(0)  # code is shown as typed; in maths a tag opener gets a space (TeX ignores it)
        out.append(segment if segment.startswith(("`", "~")) else TAG_OPENER.sub("< ", segment))
        position = match.end()
    out.append(_markup(_links(text[position:], removed), removed))
    return "".join(out)


def clean_latex(text, removed):
    return TAG_OPENER.sub("< ", _tex(str(text), removed))


# ---------------------------------------------------------------------------------------------------------------
# outputs, attachments, metadata


def text_of(value):
    return "".join(value) if isinstance(value, list) else str(value)


def _base64(value):
    value = text_of(value)
    if not BASE64.match(value):
        return None
    try:
        base64.b64decode(re.sub(r"\s", "", value), validate=True)
    except (binascii.Error, ValueError):
        return None
    return value


def _svg(value):
    value = text_of(value)
    return None if SCRIPT_IN_SVG.search(value) else value


def _data(data, removed):
    """A MIME bundle with only what renders inert; a note in text/plain for what was dropped."""
    clean, dropped = {}, []
    for mime, value in data.items():
        kept = None
        if mime == "text/plain":
            kept = text_of(value)
        elif mime in IMAGE_MIME:
            kept = _base64(value)
        elif mime == "image/svg+xml":
            kept = _svg(value)
        elif mime == "text/html":
            kept = clean_html(text_of(value))
        elif mime == "text/markdown":
            kept = clean_markdown(text_of(value), removed)
        elif mime == "text/latex":
            kept = clean_latex(text_of(value), removed)
        if kept is None:
            dropped.append(mime)
        else:
            clean[mime] = kept
    if dropped:
        widgets = sum(mime.startswith("application/vnd.jupyter.widget") for mime in dropped)
        removed.add("widgets", widgets)  # an ordinary slider's view: dropped, not worth the report's notice
        removed.add("outputs", len(dropped) - widgets)
        note = f"[{', '.join(sorted(dropped))} output removed at grading]"
        clean["text/plain"] = f"{clean['text/plain']}\n{note}" if "text/plain" in clean else note
    return clean


def _image_metadata(metadata):
    kept = {}
    for mime in IMAGE_MIME:
        sizes = metadata.get(mime) if isinstance(metadata, dict) else None
        if isinstance(sizes, dict):
            numbers = {k: int(v) for k, v in sizes.items() if k in ("width", "height") and _is_size(v)}
            alt = sizes.get("alt")  # text; the templates escape it into the attribute
            kept_alt = {"alt": alt[:MAX_ALT]} if isinstance(alt, str) else {}
            if numbers or kept_alt:
                kept[mime] = numbers | kept_alt
    return kept


def _is_size(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 100_000


def _count(value):
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def clean_output(output, removed):
    """One output with the types the format says and only inert content; None to drop it."""
    kind = output.get("output_type")
    if kind == "stream":
        name = output.get("name") if output.get("name") in ("stdout", "stderr") else "stdout"
        return NotebookNode(output_type="stream", name=name, text=text_of(output.get("text", "")))
    if kind == "error":
        traceback = output.get("traceback")
        return NotebookNode(
            output_type="error",
            ename=text_of(output.get("ename", "")),
            evalue=text_of(output.get("evalue", "")),
            traceback=[text_of(line) for line in traceback] if isinstance(traceback, list) else [],
        )
    if kind in ("display_data", "execute_result"):
        data = output.get("data") if isinstance(output.get("data"), dict) else {}
        clean = NotebookNode(output_type=kind, data=from_dict(_data(data, removed)))
        clean.metadata = from_dict(_image_metadata(output.get("metadata")))
        if kind == "execute_result":
            clean.execution_count = _count(output.get("execution_count"))
        return clean
    removed.add("outputs")
    return None


def _attachments(attachments, removed):
    kept = {}
    for name, bundle in (attachments or {}).items():
        images = {}
        for mime, value in bundle.items() if isinstance(bundle, dict) else ():
            if mime in IMAGE_MIME and _base64(value) is not None:
                images[mime] = text_of(value)
            else:
                removed.add("attachments")
        if images and re.fullmatch(r"[\w.-]{1,100}", str(name)):
            kept[str(name)] = images
        elif images:
            removed.add("attachments")
    return kept


def _cell_metadata(metadata):
    kept = {}
    if isinstance(metadata.get("nbgrader"), dict):
        kept["nbgrader"] = metadata["nbgrader"]
    tags = metadata.get("tags")
    if isinstance(tags, list):
        kept["tags"] = [tag for tag in tags if isinstance(tag, str) and IDENTIFIER.match(tag)]
    for flag in ("deletable", "editable"):
        if isinstance(metadata.get(flag), bool):
            kept[flag] = metadata[flag]
    return kept


def clean_cell(cell, trusted, removed):
    """The cell made inert (in place); a student's markdown cell gets a note of what was removed. Returns it."""
    if cell.get("cell_type") not in ("code", "markdown", "raw"):
        removed.add("cells")
        return None
    if not isinstance(cell.get("id"), str) or not IDENTIFIER.match(cell["id"]):
        cell["id"] = uuid.uuid4().hex[:12]
    source = text_of(cell.get("source", ""))
    cell["source"] = source
    cell["metadata"] = from_dict(_cell_metadata(cell.get("metadata") or {}))
    if cell["cell_type"] == "code":
        cell["execution_count"] = _count(cell.get("execution_count"))
        outputs = [clean_output(output, removed) for output in cell.get("outputs") or [] if isinstance(output, dict)]
        cell["outputs"] = [output for output in outputs if output is not None]
        return cell
    attachments = _attachments(cell.pop("attachments", None), removed)
    if attachments:
        cell["attachments"] = from_dict(attachments)
    if source in trusted and not (cell["cell_type"] == "markdown" and ATTACHMENT.search(source)):
        return cell
    mine = Removed()
    if cell["cell_type"] == "markdown":
        cell["source"] = clean_markdown(source, mine, attachments)
        if mine.sentence():
            written = cell["metadata"].get("nbgrader", {}).get("solution")
            cell["source"] += f"\n\n*[optgrade: {mine.sentence('this answer' if written else 'this cell')}.]*"
    else:
        cell["source"] = clean_html(source)
        mine.add("elements", int(cell["source"] != source))
    removed.merge(mine)
    return cell


def clean_notebook(nb, trusted=frozenset(), metadata=None):
    """The notebook made inert in place: (nb, Removed). ``trusted``: the instructor's cell sources."""
    removed = Removed()
    cells = [clean_cell(cell, trusted, removed) for cell in nb.get("cells", [])]
    nb["cells"] = [cell for cell in cells if cell is not None]
    removed.add("widgets", int("widgets" in (nb.get("metadata") or {})))
    nb["metadata"] = from_dict(metadata if metadata is not None else _notebook_metadata(nb.get("metadata") or {}))
    return nb, removed


def _notebook_metadata(metadata):
    kept = {}
    for key in NOTEBOOK_KEYS:
        value = metadata.get(key)
        if isinstance(value, dict):
            kept[key] = {k: v for k, v in value.items() if isinstance(v, str) and re.fullmatch(r"[\w.+/() -]{0,64}", v)}
    return kept


ROUTINE = ("widgets",)  # removed from every notebook that ran a slider: not a sign of anything


def sanitized(course, assignment):
    """{student: {notebook: counts}} of the submissions that had more than routine content removed (last autograde)."""
    folder = str(Course(course).sanitized(assignment))
    found = {}
    for student in sorted(os.listdir(folder)) if os.path.isdir(folder) else ():
        for name in sorted(os.listdir(os.path.join(folder, student))):
            with open(os.path.join(folder, student, name), encoding="utf-8") as stream:
                counts = json.load(stream)
            if set(counts) - set(ROUTINE):
                found.setdefault(student, {})[name.removesuffix(".json")] = counts
    return found
