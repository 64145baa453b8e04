"""The feedback pages' exporter: nbgrader's feedback HTML, cleaned at render time and forbidden to run script.

``FeedbackExporter`` is nbconvert's HTMLExporter (nbgrader's ``feedback``
template) with ``sanitize_html`` on, so markdown and HTML outputs pass
through ``sanitize.clean_html`` (the course config installs it as the
``clean_html`` filter), and with a Content-Security-Policy as the first
element of the page's head. The pages ship no script of their own that they
need (maths is drawn into them as images, see ``feedback_math``), so the
policy forbids all script, frames, forms, plugins and any load but inline
styles and ``data:`` images and fonts: a student's markup that got past both
cleanings still could not run or call home.
"""

from nbconvert.exporters import HTMLExporter
from traitlets import Bool, default

CSP = (
    "default-src 'none'; script-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'; "
    "form-action 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'"
)
META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'


class FeedbackExporter(HTMLExporter):
    """HTMLExporter for nbgrader's GenerateFeedback: sanitised, with the policy above in the head."""

    sanitize_html = Bool(True, help="clean markdown and HTML outputs at render time").tag(config=True)

    @default("template_name")
    def _template_name_default(self):
        return "feedback"

    def from_notebook_node(self, nb, resources=None, **kw):
        output, resources = super().from_notebook_node(nb, resources, **kw)
        head = output.find("<head>")
        if head < 0:
            return f"{META}\n{output}", resources
        end = head + len("<head>")
        return f"{output[:end]}\n{META}{output[end:]}", resources
