"""Validate's dialog tells the truth: the prebuilt JupyterLab extension ``labextension/optgrade-validate``.

nbgrader's Validate says "Success! Your notebook passes all the tests." when the visible checks pass, though no
hidden test has run; the extension (plain JavaScript, nothing to build) rewrites that sentence to "Visible checks
passed; hidden tests run at grading." JupyterLab finds extensions in ``<sys.prefix>/share/jupyter/labextensions``:
a wheel install puts it there (pyproject's data-files), an editable install (the README's) does not, so
``optgrade student`` and ``optgrade hub`` link it there, as ``jupyter labextension develop`` would.
"""

import sys
from pathlib import Path

from .exercises import ROOT

NAME = "optgrade-validate"
SOURCE = ROOT / "labextension" / NAME


def target(prefix=None):
    """Where JupyterLab of the environment at prefix (default: this one) looks for the extension."""
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "labextensions" / NAME


def ensure_installed(prefix=None):
    """Link the extension into the environment unless JupyterLab finds it there already; a note if it cannot be."""
    path = target(prefix)
    if (path / "package.json").is_file():
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():  # a link to a checkout that moved
            path.unlink()
        path.symlink_to(SOURCE, target_is_directory=True)
    except OSError as error:
        return (
            f"note: Validate will say nbgrader's 'passes all the tests' (cannot link {SOURCE} to {path}: "
            f"{error.strerror or error})"
        )
    return None
