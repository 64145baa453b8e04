"""Maths in the feedback pages, rendered when the feedback is generated, so it reads offline.

nbgrader's feedback template loads MathJax from a CDN (its ``mathjax()``
macro ignores ``HTMLExporter.mathjax_url``), and no standalone MathJax ships
in the environment (JupyterLab bundles its own inside webpack chunks). So each
``$…$`` / ``$$…$$`` of a markdown cell becomes an inline SVG drawn by
matplotlib's mathtext; the few expressions mathtext cannot draw (matrices)
stay as their TeX source in a <code> element.

Drawing costs about 30 ms an expression (the workbook has 286 distinct), so it is
done once: an expression of the instructor's (one found in the assignment's
source notebooks) is cached on disk in the course (``.optgrade/math/``, drawn by
``optgrade autograde``'s feedback processes while the first jobs run) and in
the process. An expression only a student wrote (a written answer, an edited
cell) is drawn live, at most ``STUDENT_LIMIT`` per notebook and
``LONGEST`` characters each, never cached: past that it stays TeX, so no
submission can make the feedback slow or fill the course's disk.

``plugins.maths.DrawMaths`` does the same for any nbconvert HTML export, meant for the
formgrader's pages (nbgrader renders a submission there with
``HTMLExporter(config=...)`` from the course config, whose template also
loads MathJax from a CDN): ``c.HTMLExporter.preprocessors =
["optgrade.course.plugins.maths.DrawMaths"]`` in the course's
nbgrader_config.py makes them read offline.
"""

import base64
import functools
import hashlib
import html
import io
import os
import re
import tempfile
from pathlib import Path

import nbformat

MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)(.+?)(?<![\\\s])\$", re.S)
# TeX that mathtext spells differently or lacks
SPELLINGS = [
    (re.compile(r"\s+"), " "),
    (re.compile(r"\\le\b"), r"\\leq"),
    (re.compile(r"\\ge\b"), r"\\geq"),
    (re.compile(r"\\t?frac(\d)(\d)"), r"\\frac{\1}{\2}"),
    (re.compile(r"\\tfrac"), r"\\frac"),
    (re.compile(r"\\[bB]ig[lr]?\b"), ""),
    (re.compile(r"\\top\b"), "T"),
    (re.compile(r"\\qquad"), r"\\quad\\quad"),
    (re.compile(r"\\dots\b"), r"\\ldots"),
]


STUDENT_LIMIT = 30  # expressions a student wrote that are drawn, per notebook
LONGEST = 400  # characters: a longer expression a student wrote stays TeX
DEEPEST = 12  # braces inside braces: mathtext's parser recurses per level, so deeper stays TeX whatever the stack


SIZE = 13  # points mathtext draws at; the page shows the picture at the text's size whatever this is
PICTURE = "em-sized inline, no border"  # part of the disk cache's key: a picture drawn differently is drawn again
VIEWBOX = re.compile(rb'viewBox="[-\d.]+ [-\d.]+ [\d.]+ ([\d.]+)"')


@functools.lru_cache(maxsize=4096)
def svg(tex, size=SIZE):
    """An <img> of the expression sized in em of the surrounding text, on its baseline; None if mathtext cannot.

    Sized in em (the picture's height over the size it was drawn at), so an expression reads at the size of the
    text around it, in a paragraph, a list or a heading, and never at the pixel size of its ink (a bare ``J``
    is 4 pt wide); inline, whatever the page's stylesheet says of images (nbconvert's centres them as blocks).
    """
    from matplotlib import mathtext
    from matplotlib.font_manager import FontProperties

    if nesting(tex) > DEEPEST:
        return None
    for pattern, replacement in SPELLINGS:
        tex = pattern.sub(replacement, tex)
    buffer = io.BytesIO()
    try:
        depth = mathtext.math_to_image(f"${tex.strip()}$", buffer, prop=FontProperties(size=size), format="svg")
    except (ValueError, RecursionError):  # mathtext cannot parse it, or it nests too deep ("{{{…}}}")
        return None
    data = base64.b64encode(buffer.getvalue()).decode()
    height = float(VIEWBOX.search(buffer.getvalue()).group(1))
    style = (
        f"display:inline;height:{height / size:.3f}em;width:auto;max-width:none;border:0;"  # formgrade.css: none
        f"vertical-align:-{depth / size:.3f}em;margin:0 0.05em"
    )
    return f'<img class="math" alt="{html.escape(tex)}" style="{style}" src="data:image/svg+xml;base64,{data}">'


def nesting(tex):
    """How deep the braces of a TeX expression go (``{a{b}}`` is 2)."""
    depth = deepest = 0
    for character in tex:
        depth += {"{": 1, "}": -1}.get(character, 0)
        deepest = max(deepest, depth)
    return deepest


def expressions(markdown):
    """The TeX of each maths expression in a markdown text, in order."""
    return [match.group(1) if match.group(1) is not None else match.group(2) for match in MATH.finditer(markdown)]


@functools.lru_cache(maxsize=32)
def _source_expressions(folder, stamp):
    found = set()
    for path in sorted(Path(folder).glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        found.update(tex for cell in notebook.cells if cell.cell_type == "markdown" for tex in expressions(cell.source))
    return frozenset(found)


def source_expressions(folder):
    """The instructor's expressions: those of the markdown cells of the notebooks in folder (cached by mtime)."""
    stamp = tuple((path.name, path.stat().st_mtime_ns) for path in sorted(Path(folder).glob("*.ipynb")))
    return _source_expressions(str(folder), stamp)


def prerender(texts, cache):
    """Draw the given instructor's expressions into the disk cache (autograde runs this beside the first jobs)."""
    renderer = Renderer(frozenset(texts), cache)
    for tex in texts:
        renderer.picture(tex)


class Renderer:
    """Draws the maths of one notebook's markdown: trusted expressions through the disk cache, others capped."""

    def __init__(self, trusted=frozenset(), cache=None, student_limit=STUDENT_LIMIT):
        self.trusted, self.cache, self.left = trusted, Path(cache) if cache else None, student_limit

    def _trusted_picture(self, tex):
        if self.cache is None:
            return svg(tex)
        import matplotlib

        key = hashlib.sha256(f"{matplotlib.__version__}\0{PICTURE}\0{tex}".encode()).hexdigest()
        path = self.cache / f"{key}.html"
        if path.exists():
            return path.read_text() or None
        picture = svg(tex)
        self.cache.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=self.cache, delete=False, suffix=".tmp") as stream:
            stream.write(picture or "")  # empty: mathtext cannot draw it
        os.replace(stream.name, path)  # atomic: feedback processes share the cache
        return picture

    def picture(self, tex):
        """The <img> of an expression, or None to keep its TeX."""
        if tex in self.trusted:
            return self._trusted_picture(tex)
        if self.left <= 0 or len(tex) > LONGEST:
            return None
        self.left -= 1
        return svg(tex)

    def render(self, markdown):
        """The markdown with every maths expression replaced by its picture (display maths centred)."""

        def replace(match):
            display = match.group(1) is not None
            tex = match.group(1) if display else match.group(2)
            picture = self.picture(tex) or f'<code class="tex">{html.escape(tex.strip())}</code>'
            return f'<div class="math-display">{picture}</div>' if display else picture

        return MATH.sub(replace, markdown)
