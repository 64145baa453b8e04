"""Given code: the exercise functions a notebook uses are always the ones its utils/ files define now.

    ondisk.refresh()      # re-import every exercise module whose file changed since it was loaded

There is one way in: the notebooks' extension (``notebook``) calls ``refresh`` before
every cell, a check calls it before it runs the function, a slider before it redraws
(a slider's callback runs outside any cell). ``refresh`` re-imports a changed module
and re-points the names bound to its old functions, in the notebook's namespace and
in the other ``utils`` modules, to the new ones: ``from utils.minibatch import
random_mini_batches`` in the setup cell keeps naming the function as saved.

A file that does not import is not run at all: its exercise functions are replaced
by stand-ins that raise ``DoesNotImport`` with the file, the line and the reason,
so no cell keeps using the function still in memory.
"""

import ast
import contextlib
import hashlib
import importlib
import importlib.util
import sys
import traceback
from pathlib import Path

PACKAGE = "utils"
# exercise function -> (its module in utils/, its exercise number in the notebooks' headings)
EXERCISES = {
    "update_parameters_with_gd": ("gd", "1.1"),
    "random_mini_batches": ("minibatch", "1.2"),
    "ewa": ("ewa", "2.1"),
    "ewa_bias_corrected": ("ewa", "2.2"),
    "sma": ("ewa", "2.3"),
    "wma": ("ewa", "2.4"),
    "initialize_velocity": ("momentum", "3.1"),
    "update_parameters_with_momentum": ("momentum", "3.2"),
    "initialize_rmsprop": ("rmsprop", "4.1"),
    "update_parameters_with_rmsprop": ("rmsprop", "4.2"),
    "initialize_adam": ("adam", "5.1"),
    "update_parameters_with_adam": ("adam", "5.2"),
    "update_lr": ("schedules", "6.1"),
    "exponential_decay": ("schedules", "6.2"),
    "sqrt_decay": ("schedules", "6.3"),
    "staircase_decay": ("schedules", "6.4"),
    "schedule_lr_decay": ("schedules", "6.5"),
    "classify_critical_point": ("saddle", "7.1"),
    "gradient_descent_2d": ("saddle", "7.2"),
}
_loaded = {}  # module name -> (id of the module object, hash of the source it was last loaded from)
_broken = {}  # module name -> "utils/x.py does not import (line N: SyntaxError: ...)"
_unfinished = {}  # (module name, function name) -> True while the function still raises NotImplementedError


class DoesNotImport(NotImplementedError):
    """Raised by the stand-in of an exercise function whose file, as saved, does not import."""

    def __init__(self, function, reason):
        super().__init__(reason)
        self.function, self.reason = function, reason


def refresh(modules):
    """Re-import each of ``modules`` (names in utils/, e.g. "minibatch") whose file changed; re-point old names."""
    for name in modules:
        module = sys.modules.get(f"{PACKAGE}.{name}")
        if module is not None and getattr(module, "__file__", None):
            _refresh(module)


def broken(module_name):
    """The one-line reason why utils/<module_name>.py does not import, or None."""
    return _broken.get(f"{PACKAGE}.{module_name}")


def unfinished(function):
    """Why ``function`` (an exercise function, as the notebook holds it) cannot run yet, or None."""
    if isinstance(getattr(function, "does_not_import", None), str):
        return function.does_not_import
    if _unfinished.get((getattr(function, "__module__", None), getattr(function, "__name__", None))):
        module = sys.modules.get(function.__module__)
        if getattr(module, function.__name__, None) is function:
            return "not implemented yet"
    return None


def _refresh(module):
    path = Path(module.__file__)
    try:
        source = path.read_bytes()
    except OSError:
        return
    stamp = (id(module), hashlib.sha256(source).hexdigest())
    if _loaded.get(module.__name__) == stamp:
        return
    _loaded[module.__name__] = stamp
    old = {key: value for key, value in vars(module).items() if _defined_in(value, module.__name__)}
    with contextlib.suppress(OSError):  # never the bytecode of an older save made within the same second
        Path(importlib.util.cache_from_source(str(path))).unlink()
    try:
        tree = ast.parse(source, filename=str(path))
        module = importlib.reload(module)
    except Exception as error:  # the file as saved does not import: stand-ins that say so
        reason = f"{path.parent.name}/{path.name} does not import ({_location(error, path)}{_reason(error)})"
        _broken[module.__name__] = reason
        for key in old:
            setattr(module, key, _stand_in(key, module.__name__, reason))
    else:
        _broken.pop(module.__name__, None)
        _mark_unfinished(module.__name__, tree)
    _repoint(old, vars(module), skip=module)


def _defined_in(value, module_name):
    return callable(value) and getattr(value, "__module__", None) == module_name and hasattr(value, "__code__")


def _stand_in(name, module_name, reason):
    def stand_in(*args, **kwargs):
        raise DoesNotImport(name, reason)

    stand_in.__name__ = stand_in.__qualname__ = name
    stand_in.__module__ = module_name
    stand_in.does_not_import = reason
    return stand_in


def _mark_unfinished(module_name, tree):
    """Functions whose body still reaches ``raise NotImplementedError`` (no statement returns before it)."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            _unfinished[(module_name, node.name)] = _raises_not_implemented(node.body)


def _raises_not_implemented(body):
    for statement in body:
        if isinstance(statement, ast.Return):
            return False
        if isinstance(statement, ast.Raise) and statement.exc is not None:
            raised = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
            if isinstance(raised, ast.Name) and raised.id == "NotImplementedError":
                return True
    return False


def _repoint(old, new, skip):
    """Every name bound to an old function (notebook namespace, other utils modules) now names the new one."""
    replace = {id(value): (value, new[key]) for key, value in old.items() if key in new and new[key] is not value}
    if not replace:
        return
    namespaces = [vars(module) for name, module in list(sys.modules.items()) if _in_package(name, module, skip)]
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    if shell is not None:
        namespaces.append(shell.user_ns)
    for namespace in namespaces:
        for key, value in list(namespace.items()):
            pair = replace.get(id(value))
            if pair is not None and pair[0] is value:
                namespace[key] = pair[1]


def _in_package(name, module, skip):
    return module is not None and module is not skip and (name == PACKAGE or name.startswith(f"{PACKAGE}."))


def _location(error, path):
    if isinstance(error, SyntaxError) and error.lineno:
        return f"line {error.lineno}: "
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if Path(frame.filename) == path]
    return f"line {lines[-1]}: " if lines else ""


def _reason(error):
    return f"{type(error).__name__}: {error.msg if isinstance(error, SyntaxError) else error}"
