"""Loading the student's module, and refusing reference copies and numpy tampering.

A student module earns nothing for an exercise when it

* uses the reference: imports ``solutions`` or ``optgrade`` (statically or
  through ``importlib``/``__import__``), holds the reference's function or
  module objects, or defines the function with the reference's body (same
  AST, docstrings stripped) -- flag ``reference``. Bodies shorter than
  ``MIN_COPY_STATEMENTS`` statements (one-line formulas such as the gd update)
  are not compared: an honest student may well write them the same way;
* replaces numpy's comparison functions while it is imported -- flag
  ``tampering``. (The comparisons never use them anyway, see ``compare``.)

Instructor runs of the solved build, whose ``utils/`` *is* the reference,
set the environment variable ``OPTGRADE_ACCEPT_REFERENCE=1`` to skip the
body comparison (imports of the reference are refused regardless).
"""

import ast
import importlib
import os
import re
import sys
import types
from pathlib import Path

from ..exercises import ROOT
from ..sandbox.inside.worker import WATCHED
from . import reference
from .outcome import Failure
from .student import describe, quiet

ACCEPT_REFERENCE = "OPTGRADE_ACCEPT_REFERENCE"
MIN_COPY_STATEMENTS = 5
FORBIDDEN = ("solutions", "optgrade")
_FORBIDDEN_TEXT = re.compile(r"(^|[\s./\\'\"])(solutions|optgrade)([\s./\\'\"]|$)")
_LOADERS = {"import_module", "__import__", "spec_from_file_location", "SourceFileLoader", "run_path", "exec", "open"}
_USES_REFERENCE = "uses the reference solution"

# (owner, attribute) pairs a student module must leave alone (the sandboxed worker watches the same ones).
_WATCHED = [(owner, name) for owner, names in WATCHED.items() for name in names]
_GENUINE = {(owner.__name__, name): getattr(owner, name) for owner, name in _WATCHED}


def _restore_numpy():
    for owner, name in _WATCHED:
        setattr(owner, name, _GENUINE[owner.__name__, name])


def _patched_numpy():
    return sorted(
        f"{owner.__name__}.{name}"
        for owner, name in _WATCHED
        if getattr(owner, name) is not _GENUINE[owner.__name__, name]
    )


def load(module_name):
    """Import (or re-import) ``utils.<module_name>`` in this process, from the folder first on ``sys.path``.

    For the instructor's own runs (nbval of the solved build, the suites' unit
    tests); grading imports student code only in the sandbox (``code.Sandboxed``).
    Raises Failure if it cannot be imported or if importing it replaces numpy's
    comparison functions (flag "tampering"). numpy is restored either way.
    """
    qualified = f"utils.{module_name}"
    _restore_numpy()
    try:
        with quiet():
            loaded = sys.modules.get(qualified)
            module = importlib.reload(loaded) if loaded is not None else importlib.import_module(qualified)
    except Exception as error:
        raise Failure(f"utils/{module_name}.py cannot be imported: {describe(error, 'import')}") from None
    finally:
        patched = _patched_numpy()
        _restore_numpy()
    refuse_tampering(module_name, patched)
    return module


def refuse_tampering(module_name, patched):
    """Raise Failure (flag "tampering") if importing the module replaced numpy functions ``patched``."""
    if patched:
        raise Failure(
            f"utils/{module_name}.py replaces numpy's comparison functions ({', '.join(patched)}): "
            "grading refuses tampering",
            flag="tampering",
        )


def _names_forbidden(dotted):
    return dotted.split(".")[0] in FORBIDDEN


def _strip_docstring(body):
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        if isinstance(body[0].value.value, str):
            return body[1:]
    return body


def _function_body(tree, name):
    """(AST dump of the function's body without docstring, its number of statements), or (None, 0)."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            body = ast.Module(body=_strip_docstring(node.body), type_ignores=[])
            return ast.dump(body), sum(isinstance(child, ast.stmt) for child in ast.walk(body))
    return None, 0


def _call_name(node):
    function = node.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


def _imports_reference(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(_names_forbidden(alias.name) for alias in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module and not node.level and _names_forbidden(node.module):
            return True
        if isinstance(node, ast.Call) and _call_name(node) in _LOADERS:
            for argument in ast.walk(node):
                text = argument.value if isinstance(argument, ast.Constant) else None
                if isinstance(text, str) and _FORBIDDEN_TEXT.search(text):
                    return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and ACCEPT_REFERENCE in node.value:
            return True
    return False


def _is_reference_object(value):
    if isinstance(value, types.ModuleType):
        return _names_forbidden(value.__name__) or value.__name__.startswith(reference.PRIVATE_PREFIX)
    module_name = getattr(value, "__module__", None) or ""
    if _names_forbidden(module_name) or module_name.startswith(reference.PRIVATE_PREFIX):
        return True
    code = getattr(value, "__code__", None)
    return code is not None and (ROOT / "solutions") in Path(code.co_filename).resolve().parents


def check_reference_use(source, module_name, function_name, accept_reference=None):
    """Raise Failure (flag "reference") if the student's source imports, or copies, the reference.

    ``source`` is the text of the student's module as submitted (None if
    unreadable). ``accept_reference`` None means: as the environment variable says.
    """
    try:
        tree = ast.parse(source)
    except (TypeError, SyntaxError, ValueError):
        return
    if _imports_reference(tree):
        raise _reference_failure(function_name)
    if accept_reference is None:
        accept_reference = os.environ.get(ACCEPT_REFERENCE) == "1"
    if accept_reference:
        return
    own, _ = _function_body(tree, function_name)
    with open(ROOT / "solutions" / f"{module_name}.py", encoding="utf-8") as handle:
        original, statements = _function_body(ast.parse(handle.read()), function_name)
    if own is not None and own == original and statements >= MIN_COPY_STATEMENTS:
        raise _reference_failure(function_name)


def check_reference_objects(objects, function_name):
    """Raise Failure (flag "reference") if a module imported in this process holds reference objects."""
    if any(_is_reference_object(value) for value in objects):
        raise _reference_failure(function_name)


def _reference_failure(function_name):
    return Failure(f"{function_name}() {_USES_REFERENCE}: no points for this exercise", flag="reference")
