"""``optgrade formgrader``: JupyterLab on the course folder, the formgrader open, for grading written answers by hand.

nbgrader 0.9's own ``nbgrader formgrader`` is gone (it prints the subcommand
list and exits 0); the formgrader now lives in a Jupyter server started in
the course folder, which loads ``nbgrader_config.py`` from there. This starts
one on 127.0.0.1 only, opens ``/formgrader``, and leaves terminals off by
default: the pages show what students submitted (sanitised at autograde, see
``sanitize``), and a page that could still run script should find no shell
behind the server. The formgrader renders with an HTMLExporter configured
from the server's own config, not from the course's ``nbgrader_config.py``, so
the render-time cleaning (``sanitize_html`` with ``sanitize.clean_html``) is
passed on the command line here. (nbgrader's formgrade.css borders every image
in red: the drawn maths says ``border:0`` in its own style, see ``feedback_math``.)

The address Jupyter prints opens the formgrader (``LabApp.default_url``: under
``jupyter lab`` the server's own default is JupyterLab's Launcher). A course
built without an exchange gets an empty one of its own for this server
(``NO_EXCHANGE``), so that JupyterLab's Assignment List, which nbgrader's lab
extension asks at every page load, lists nothing instead of logging
"Unwritable directory" for nbgrader's default /usr/local/share/nbgrader/exchange.
"""

import os
import shutil
import sys
from pathlib import Path

from .sanitize import FILTERS

NO_EXCHANGE = "no-exchange"  # in the course's state folder: the exchange of a course built without one


def argv(course, port=None, browser=True, terminals=False, extra=()):
    """The ``jupyter lab`` command line for the course (run in the course folder)."""
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent)) or "jupyter"
    command = [
        jupyter,
        "lab",
        f"--ServerApp.root_dir={course.root}",
        "--ServerApp.ip=127.0.0.1",
        "--LabApp.default_url=/formgrader",
        f"--ServerApp.terminals_enabled={bool(terminals)}",
        # the formgrader's exporter takes the server's config, not nbgrader_config.py: clean again at render time
        "--HTMLExporter.sanitize_html=True",
        *(f"--HTMLExporter.filters={name}={path}" for name, path in FILTERS.items()),
        "--HTMLExporter.skip_svg_encoding=False",
        # maths drawn into the page (its template loads MathJax from a CDN, which an offline course cannot reach)
        "--HTMLExporter.preprocessors=optgrade.course.plugins.maths.DrawMaths",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if not course.settings.get("exchange"):
        command.append(f"--Exchange.root={course.state(NO_EXCHANGE)}")
    if port:
        command.append(f"--ServerApp.port={int(port)}")
    if not browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # a container where the instructor is root
    return [*command, *extra]


def run(course, **options):
    """Replace this process by the Jupyter server (signals and Ctrl-C go straight to it)."""
    command = argv(course, **options)
    if not course.settings.get("exchange"):
        course.state(NO_EXCHANGE).mkdir(parents=True, exist_ok=True)
    os.chdir(course.root)  # nbgrader's server extension reads nbgrader_config.py from the working folder
    os.execv(command[0], command)
