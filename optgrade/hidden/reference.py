"""The reference solutions and the given network, loaded privately by file path.

``solutions/`` never goes on ``sys.path`` and the loaded modules are not put in
``sys.modules``, so student code cannot ``import solutions`` or find them there.
"""

import functools
import importlib.util

from ..exercises import ROOT

PRIVATE_PREFIX = "_optgrade_private_"


def load_by_path(path, name):
    """The module at ``path``, loaded by its path under a private name (``_optgrade_private_<name>``), never through
    ``sys.path``: a student's file of the same name is never the one used."""
    spec = importlib.util.spec_from_file_location(PRIVATE_PREFIX + name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def module(name):
    """The reference module ``solutions/<name>.py``."""
    return load_by_path(ROOT / "solutions" / f"{name}.py", f"solutions_{name}")


def function(module_name, function_name):
    """The reference function ``function_name`` of ``solutions/<module_name>.py``."""
    return getattr(module(module_name), function_name)


@functools.cache
def network():
    """The instructor's copy of the given ``utils/network.py`` (immune to student edits)."""
    return load_by_path(ROOT / "utils" / "network.py", "network")


@functools.cache
def moons():
    """The make_moons training set of the workbook: X (2, 300), Y (1, 300)."""
    X, Y = load_by_path(ROOT / "utils" / "data.py", "data").load_moons()
    X.setflags(write=False)
    Y.setflags(write=False)
    return X, Y
