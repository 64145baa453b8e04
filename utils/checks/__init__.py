"""Given code: the visible checks that follow each exercise in the notebooks.

    from utils.checks import check
    check(ewa)        # runs the visible checks of utils.ewa.ewa

Each check feeds the function small, fixed, hand-computed cases and prints
one line per case: what was expected, what came back, and where they first
differ. A failure raises CheckFailed so the notebook stops at the exercise;
when the wrong outputs match a known mistake (``diagnosis``), the check says
which, under the first FAIL line. These checks only say the visible cases
pass: hidden tests run at grading.

A check runs the code on disk now: it re-imports the function's utils/ module
first, so a file saved with an error fails the check with its file and line
(``%autoreload`` would keep the old function and let it pass).

Inside IPython, importing this package shows CheckFailed and NotImplementedError
(an untouched stub) as their one-sentence message, without a traceback.
"""

import importlib
import sys
import traceback
from pathlib import Path

from .checker import Checker, CheckFailed
from .diagnosis import Recorder, recording

__all__ = ["Checker", "CheckFailed", "check", "run"]

# function name -> module of utils.checks that holds check_<function name>
_MODULES = {
    "random_mini_batches": "minibatch",
    "update_parameters_with_gd": "gd",
    "ewa": "ewa",
    "ewa_bias_corrected": "ewa",
    "sma": "ewa",
    "wma": "ewa",
    "initialize_velocity": "momentum",
    "update_parameters_with_momentum": "momentum",
    "initialize_rmsprop": "rmsprop",
    "update_parameters_with_rmsprop": "rmsprop",
    "initialize_adam": "adam",
    "update_parameters_with_adam": "adam",
    "update_lr": "schedules",
    "schedule_lr_decay": "schedules",
    "exponential_decay": "schedules",
    "sqrt_decay": "schedules",
    "staircase_decay": "schedules",
    "classify_critical_point": "saddle",
    "gradient_descent_2d": "saddle",
}


def check(function):
    """Run the visible checks of an exercise function (pass the function itself)."""
    name = getattr(function, "__name__", None)
    if name not in _MODULES:
        raise ValueError(f"no visible checks for {function!r}; pass one of: {', '.join(_MODULES)}")
    run(name, Recorder(_on_disk(function, name)))


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
    path = Path(module.__file__)
    where = f"{path.parent.name}/{path.name}"
    try:
        module = importlib.reload(module)
    except Exception as error:  # the file as saved does not import: say where, never run the old function
        raise CheckFailed(
            f"{where} does not import ({_location(error, path)}{type(error).__name__}: {_reason(error)}): "
            "the check did not run the old function still in memory; fix the file, save, and re-run this cell."
        ) from None
    current = getattr(module, name, None)
    if not callable(current):
        raise CheckFailed(f"{where} defines no function {name}(): write it there, save, and re-run this cell.")
    return current


def _location(error, path):
    if isinstance(error, SyntaxError) and error.lineno:
        return f"line {error.lineno}: "
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if Path(frame.filename) == path]
    return f"line {lines[-1]}: " if lines else ""


def _reason(error):
    return error.msg if isinstance(error, SyntaxError) else str(error)


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
