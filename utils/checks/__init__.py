"""Given code: the visible checks that follow each exercise in the notebooks.

    from utils.checks import check
    check(ewa)        # runs the visible checks of utils.ewa.ewa

Each check feeds the function small, fixed, hand-computed cases and prints
one line per case: what was expected, what came back, and where they first
differ. A failure raises CheckFailed; when the wrong outputs match a known
mistake (``diagnosis``), the check says which, under the first FAIL line;
otherwise each FAIL says the shape of its difference when one fits exactly
(``shapes``: "every entry is 0.9 times the expected one"). A NOTE is no
failure: grading accepts that code in full, the note names the style the
contract prefers (``checker``). These checks only say the visible cases pass:
hidden tests run at grading.

A check runs the code on disk now: it re-imports the function's utils/ module
first (``ondisk``, the one way the workbook loads exercise code), so a file
saved with an error fails the check with its file and line instead of running
the old function still in memory, and code that raises on a case is one FAIL
naming the student's line and that case's inputs (``raised``), not a traceback.

In the notebooks, ``%load_ext utils.checks`` (``notebook``) does the same before
every cell and turns a failed check or an unfinished exercise into printed
lines instead of an error, so Run All goes on past it. Inside IPython,
importing this package also shows CheckFailed and NotImplementedError (an
untouched stub) that still reach the shell as their one-sentence message,
without a traceback.
"""

import importlib
import sys
from pathlib import Path

from . import ondisk, raised
from .checker import Checker, CheckFailed
from .diagnosis import Recorder, recording

__all__ = ["Checker", "CheckFailed", "check", "load_ipython_extension", "run"]

# function name -> module of utils.checks that holds check_<function name> (named like its utils/ module)
_MODULES = {name: module for name, (module, _) in ondisk.EXERCISES.items()}


def check(function):
    """Run the visible checks of an exercise function (pass the function itself)."""
    name = getattr(function, "__name__", None)
    if name not in _MODULES:
        raise ValueError(f"no visible checks for {function!r}; pass one of: {', '.join(_MODULES)}")
    try:
        run(name, Recorder(_on_disk(function, name)))
    except (CheckFailed, NotImplementedError):
        raise
    except Exception as error:
        said = raised.block(error)
        if said is None:
            raise
        said = said.replace("\n", "\n         ")
        raise CheckFailed(
            f"{name}: a visible check failed: your code raised an error on one of its cases\n"
            f"  [FAIL] {said}\nfix your code, save the file, and re-run this cell."
        ) from None


def run(name, function):
    """Run check_<name>(function) with ``function`` (a Recorder) as the one the diagnosis reads."""
    module = importlib.import_module(f"{__name__}.{_MODULES[name]}")
    with recording(function):
        getattr(module, f"check_{name}")(function)


def _on_disk(function, name):
    """The function as its utils/ module's file defines it now (other functions are used as given)."""
    module = sys.modules.get(getattr(function, "__module__", None) or "")
    if module is None or module.__name__ != f"utils.{_MODULES[name]}":
        return function
    ondisk.refresh([_MODULES[name]])
    broken = ondisk.broken(_MODULES[name])
    if broken:  # the file as saved does not import: say where, never run the old function
        raise CheckFailed(
            f"{broken}: the check did not run the old function still in memory; "
            "fix the file, save, and re-run this cell."
        )
    current = getattr(sys.modules[module.__name__], name, None)
    if not callable(current):
        path = Path(module.__file__)
        raise CheckFailed(
            f"{path.parent.name}/{path.name} defines no function {name}(): write it there, save, and re-run this cell."
        )
    return current


def load_ipython_extension(shell):
    """``%load_ext utils.checks`` (every setup cell): the code on disk before each cell, and Run All to the end."""
    from . import notebook

    notebook.load(shell)


def _one_sentence(shell, etype, value, tb, tb_offset=None):
    """IPython custom exception handler: shows the exception's message only, no frames of given code.

    IPython ignores what the handler returns when a cell raises, so it shows the
    error itself (in a kernel: an error output, so Run All still stops here).
    """
    lines = [f"{etype.__name__}: {value}"]
    shell._showtraceback(etype, value, lines)
    return lines


def _install_in_ipython():
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    if shell is not None:
        shell.set_custom_exc((CheckFailed, NotImplementedError), _one_sentence)


_install_in_ipython()
