"""Maths in the feedback pages, rendered when the feedback is generated, so it reads offline.

nbgrader's feedback template loads MathJax from a CDN (its ``mathjax()``
macro ignores ``HTMLExporter.mathjax_url``), and no standalone MathJax ships
in the environment (JupyterLab bundles its own inside webpack chunks). So each
``$…$`` / ``$$…$$`` of a markdown cell becomes an inline SVG drawn by
matplotlib's mathtext; the few expressions mathtext cannot draw (matrices)
stay as their TeX source in a <code> element.
"""

import base64
import html
import io
import re

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


def svg(tex, size=13):
    """An <img> of the expression (vertical-align on the baseline), or None if mathtext cannot draw it."""
    from matplotlib import mathtext
    from matplotlib.font_manager import FontProperties

    for pattern, replacement in SPELLINGS:
        tex = pattern.sub(replacement, tex)
    buffer = io.BytesIO()
    try:
        depth = mathtext.math_to_image(f"${tex.strip()}$", buffer, prop=FontProperties(size=size), format="svg")
    except ValueError:
        return None
    data = base64.b64encode(buffer.getvalue()).decode()
    style = f"vertical-align:-{depth:.1f}pt"
    return f'<img class="math" alt="{html.escape(tex)}" style="{style}" src="data:image/svg+xml;base64,{data}">'


def render(markdown):
    """The markdown with every maths expression replaced by its picture (display maths centred)."""

    def replace(match):
        display = match.group(1) is not None
        tex = match.group(1) if display else match.group(2)
        picture = svg(tex) or f'<code class="tex">{html.escape(tex.strip())}</code>'
        return f'<div class="math-display">{picture}</div>' if display else picture

    return MATH.sub(replace, markdown)
