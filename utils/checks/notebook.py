"""Given code: the workbook's IPython extension, loaded by every setup cell (``%load_ext utils.checks``).

Before each cell it runs, the kernel

1. re-imports the exercise files saved since (``ondisk.refresh``), so the cell uses
   the functions as they are on disk;
2. does not run a cell that needs an exercise that cannot run yet: a cell that names
   an unfinished exercise function (outside a function body), or a name that such a
   cell would have defined, prints one line instead,

       needs random_mini_batches (Exercise 1.2): not implemented yet

   and defines nothing, so the cells that need its names say the same;
3. runs every other cell as written, except that an unfinished exercise reached
   through given code (``training.train``, ``surfaces.optimizer_path``) prints the
   same one line, and a check that fails (``CheckFailed``, an untouched stub) prints
   its lines and sentence, and an error raised in a student's exercise file prints one
   short block (``raised``: the file, line, function and the call's input shapes) and
   the cells that need what the cell would have defined say so in one line: none of
   these is an error, so Run All goes on to the end.

Under ``nbgrader validate`` (NBGRADER_VALIDATING is set) a stripped grade cell, which
holds only its docstring ("Hidden test: ewa ..."), runs the visible check of its
function and fails with it: Validate then reports the exercises whose visible checks
do not pass. Any other error (the notebook's own code, given code) is shown as usual.
"""

import ast
import builtins
import contextlib
import dis
import io
import os
import sys
import traceback
from pathlib import Path

from . import ondisk, raised
from .checker import CheckFailed

HERE = __name__
_skipped = {}  # name a cell would have defined -> {exercise function: reason it cannot run}
_state = {"stopped": False, "figures": set()}


class Guard(ast.NodeTransformer):
    """IPython AST transformer: refreshes utils/ and guards the cell (a failure here leaves the cell as written)."""

    def visit_Module(self, node):
        try:
            return _guarded(node)
        except Exception:
            return node


def load(shell):
    """Install the guard in ``shell`` (once)."""
    if not any(isinstance(transformer, Guard) for transformer in shell.ast_transformers):
        shell.ast_transformers.append(Guard())


def refresh():
    ondisk.refresh(sorted({module for module, _ in ondisk.EXERCISES.values()}))


def skip(needs, defines):
    """A cell that was not run: say what it needs; the names it defines need the same."""
    print(needs_line(dict(needs)))
    _record(defines, dict(needs))


def start():
    _state["stopped"] = False
    pyplot = sys.modules.get("matplotlib.pyplot")
    _state["figures"] = set(pyplot.get_fignums()) if pyplot else set()


def stopped(error, defines, named, checks):
    """True if ``error`` is an unfinished exercise, a failed check or an error of the student's exercise code:
    print what it is (``raised.block`` for the last), and the cell stops there."""
    if _under_hidden_test(error):
        return False  # grading decides, not this guard
    said = raised.block(error)
    if isinstance(error, CheckFailed):
        print(error)
    elif said is not None:  # the student's own code raised: its line, not our frames
        print(said)
        if raised.function_of(error) in ondisk.EXERCISES:
            _record(defines, {raised.function_of(error): raised.reason(error)})
    else:
        needs = _needs_of(error)
        if needs is None:
            return False
        needs.update((name, reason) for name, reason in (_unfinished(name) for name in named) if reason)
        print(error if checks and not isinstance(error, NameError) else needs_line(needs))
        _record(defines, needs)
    _state["stopped"] = True
    pyplot = sys.modules.get("matplotlib.pyplot")
    for number in set(pyplot.get_fignums()) - _state["figures"] if pyplot else ():
        pyplot.close(number)  # no empty axes from a cell that stopped
    return True


def shown(evaluate, defines, named, checks):
    """The value of the cell's last expression (displayed as usual), unless the cell stopped before it."""
    if _state["stopped"]:
        return None
    try:
        return evaluate()
    except Exception as error:
        if stopped(error, defines, named, checks):
            return None
        raise


def validate(name):
    """Run the visible check of ``name`` as the notebook holds it; fail (raise) as a grade cell would.

    Validate's dialog shows a failed cell's error, not what it printed: the error holds the check's lines.
    """
    from . import check

    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            check(_namespace()[name])
    except CheckFailed as error:
        raise CheckFailed(f"{printed.getvalue()}{error}") from None
    print(printed.getvalue(), end="")


def needs_line(needs):
    """'needs f (Exercise 1.1) and g (Exercise 1.2): not implemented yet', grouped by reason, in exercise order."""
    order = sorted(needs, key=lambda name: _number(name))
    groups = {}
    for name in order:
        groups.setdefault(needs[name], []).append(f"{name} (Exercise {ondisk.EXERCISES[name][1]})")
    return "; ".join(f"needs {_and(names)}: {reason}" for reason, names in groups.items())


def _guarded(module):
    refresh()
    body = module.body = [statement for statement in module.body if not _loads_this_extension(statement)]
    if not body:
        return module
    namespace = _namespace()
    loads, stores = _top_level_names(body)
    defines = tuple(sorted(stores))
    if os.environ.get("NBGRADER_VALIDATING") and _hidden_test_of(body) in namespace:
        return _module([_call("validate", _hidden_test_of(body))], module)
    checks = "check" in loads
    if not checks:
        needs = {}
        for name in sorted(loads - stores):
            needs.update(_needs_of_name(name, namespace))
        if needs:
            return _module([_call("skip", tuple(needs.items()), defines)], module)
    named = tuple(sorted(name for name in _all_loads(body) if _unfinished(name)[1]))
    last = body[-1] if isinstance(body[-1], ast.Expr) else None
    head = body[:-1] if last else body
    guarded = [_call("start")]
    if head:
        handler = ast.parse(
            "try:\n    pass\nexcept Exception as _cell_error:\n"
            f"    if not __import__({HERE!r}, fromlist=['stopped']).stopped(_cell_error, 0, 0, 0):\n"
            "        raise\n"
        ).body[0]
        handler.body = head
        handler.handlers[0].body[0].test.operand.args[1:] = [_constant(defines), _constant(named), _constant(checks)]
        guarded.append(handler)
    if last:
        evaluate = ast.Lambda(args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]))
        evaluate.body = last.value
        guarded.append(ast.copy_location(ast.Expr(_call("shown", evaluate, defines, named, checks).value), last))
    return _module(guarded, module)


def _loads_this_extension(statement):
    """True for the setup cell's ``%load_ext utils.checks``: loaded already (this guard runs), so no
    "already loaded" line on a second Run All."""
    call = statement.value if isinstance(statement, ast.Expr) else None
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "run_line_magic"
        and [getattr(arg, "value", None) for arg in call.args] == ["load_ext", __name__.rpartition(".")[0]]
    )


def _namespace():
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return shell.user_ns if shell is not None else {}


def _needs_of_name(name, namespace, seen=()):
    """What a name the cell uses needs: an unfinished exercise, a skipped cell's name, or, for a function
    the notebook defined, what the globals it uses need."""
    if name in namespace:
        function, reason = _unfinished(name, namespace)
        if reason:
            return {function: reason}
        code = getattr(namespace[name], "__code__", None)
        if code is None or getattr(namespace[name], "__module__", None) != "__main__" or name in seen:
            return {}
        needs = {}
        for used in _global_names(code):
            needs.update(_needs_of_name(used, namespace, (*seen, name)))
        return needs
    if hasattr(builtins, name):
        return {}
    return _skipped.get(name, {})


def _global_names(code):
    """Names a function's code (and the code nested in it) looks up as globals."""
    names = {op.argval for op in dis.get_instructions(code) if op.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    for constant in code.co_consts:
        if hasattr(constant, "co_code"):
            names |= _global_names(constant)
    return names


def _unfinished(name, namespace=None):
    """(exercise function name, why it cannot run) for a notebook name bound to one, else (None, None)."""
    value = (namespace if namespace is not None else _namespace()).get(name)
    function = getattr(value, "__name__", None)
    if function not in ondisk.EXERCISES or getattr(value, "__module__", None) != _module_name(function):
        return None, None
    return function, ondisk.unfinished(value)


def _needs_of(error):
    """{exercise function: reason} if ``error`` comes from an exercise that cannot run yet, else None."""
    if isinstance(error, NameError) and not isinstance(error, UnboundLocalError):
        return dict(_skipped[error.name]) if error.name in _skipped else None
    if not isinstance(error, NotImplementedError):
        return None
    if isinstance(error, ondisk.DoesNotImport):
        return {error.function: error.reason}
    files = {}
    for function, (module, _) in ondisk.EXERCISES.items():
        loaded = sys.modules.get(f"{ondisk.PACKAGE}.{module}")
        if loaded is not None and getattr(loaded, "__file__", None):
            files.setdefault(Path(loaded.__file__), set()).add(function)
    frames = traceback.extract_tb(error.__traceback__)
    raised = [frame.name for frame in frames if frame.name in files.get(Path(frame.filename), ())]
    return {raised[-1]: "not implemented yet"} if raised else None


def _under_hidden_test(error):
    """True if ``error`` passed through the grader (the hidden test of a grade cell)."""
    grader = getattr(sys.modules.get("optgrade"), "__file__", None)
    if grader is None:
        return False
    folder = Path(grader).parent
    return any(Path(frame.filename).is_relative_to(folder) for frame in traceback.extract_tb(error.__traceback__))


def _record(defines, needs):
    for name in defines:
        _skipped[name] = dict(needs)


def _module_name(function):
    return f"{ondisk.PACKAGE}.{ondisk.EXERCISES[function][0]}"


def _number(function):
    chapter, exercise = ondisk.EXERCISES[function][1].split(".")
    return int(chapter), int(exercise)


def _and(items):
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _hidden_test_of(body):
    """The function a docstring-only cell ('Hidden test: ewa ...') is the grade cell of, or None."""
    if len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        text = body[0].value.value
        if isinstance(text, str) and text.startswith("Hidden test: "):
            name = text.removeprefix("Hidden test: ").split()[0]
            return name if name in ondisk.EXERCISES else None
    return None


class _Names(ast.NodeVisitor):
    """Names loaded and bound by code that runs when the cell runs (function and lambda bodies excluded)."""

    def __init__(self):
        self.loads, self.stores = set(), set()

    def visit_Name(self, node):
        (self.loads if isinstance(node.ctx, ast.Load) else self.stores).add(node.id)

    def visit_FunctionDef(self, node):
        self.stores.add(node.name)
        for expression in node.decorator_list + node.args.defaults + node.args.kw_defaults:
            if expression is not None:
                self.visit(expression)

    def visit_ClassDef(self, node):
        self.stores.add(node.name)

    def visit_Lambda(self, node):
        for expression in node.args.defaults:
            self.visit(expression)

    def visit_alias(self, node):
        self.stores.add((node.asname or node.name).split(".")[0])

    def visit_ExceptHandler(self, node):
        if node.name:
            self.stores.add(node.name)
        self.generic_visit(node)


def _top_level_names(body):
    names = _Names()
    for statement in body:
        names.visit(statement)
    return names.loads, names.stores


def _all_loads(body):
    return {
        node.id
        for statement in body
        for node in ast.walk(statement)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }


def _constant(value):
    return ast.Constant(value=value)


def _call(function, *args):
    """The statement ``__import__(HERE).function(*args)`` (constants, or one AST expression)."""
    call = ast.parse(f"__import__({HERE!r}, fromlist=[{function!r}]).{function}()").body[0]
    call.value.args = [arg if isinstance(arg, ast.AST) else _constant(arg) for arg in args]
    return call


def _module(body, like):
    module = ast.Module(body=body, type_ignores=like.type_ignores)
    for statement in body:
        if not hasattr(statement, "lineno"):
            ast.copy_location(statement, like.body[0])
    return ast.fix_missing_locations(module)
