"""The suite's own per-user folders: Jupyter, JupyterLab, IPython, matplotlib, Dask, npm and the XDG ones.

``redirect_user_folders()`` (conftest.py calls it at import, before any test module or plugin reads them) points
every per-user folder that those tools write to or read settings from at one temporary folder of this run, so a
used ``~/.jupyter`` (open workspaces, user settings) changes nothing and the run writes nothing under the home.
The tests and the servers and subprocesses they start inherit the variables; parallel workers (pytest-xdist)
inherit the controller's folder. Processes run as another account (hub_support.as_user) drop them: that
account has its own home, and this folder is root's.
"""

import os
import tempfile

TEST_STATE = "OPTGRADE_TEST_STATE"
USER_FOLDERS = {  # variable: its sub-folder of TEST_STATE
    "JUPYTER_CONFIG_DIR": "jupyter-config",
    "JUPYTER_DATA_DIR": "jupyter-data",
    "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
    "JUPYTERLAB_SETTINGS_DIR": "jupyterlab-settings",
    "JUPYTERLAB_WORKSPACES_DIR": "jupyterlab-workspaces",
    "IPYTHONDIR": "ipython",
    "MPLCONFIGDIR": "matplotlib",
    "DASK_CONFIG": "dask",
    "XDG_CONFIG_HOME": "xdg-config",
    "XDG_CACHE_HOME": "xdg-cache",
    "XDG_DATA_HOME": "xdg-data",
    "XDG_STATE_HOME": "xdg-state",
    "npm_config_cache": "npm-cache",
}


def redirect_user_folders():
    """Set USER_FOLDERS in os.environ under TEST_STATE (a new temporary folder unless inherited): the folder if
    it was made here (the caller removes it at the end), else None."""
    made = None
    if TEST_STATE not in os.environ:
        made = os.environ[TEST_STATE] = tempfile.mkdtemp(prefix="optgrade-tests-")
    for variable, folder in USER_FOLDERS.items():
        os.environ[variable] = os.path.join(os.environ[TEST_STATE], folder)
        os.makedirs(os.environ[variable], exist_ok=True)
    return made


def without_user_folders(environment):
    """environment without this run's folder variables (for a process run as another account)."""
    return {key: value for key, value in environment.items() if key not in USER_FOLDERS and key != TEST_STATE}
