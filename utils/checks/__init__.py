"""Given code: the visible checks that follow each exercise in the notebooks.

    from utils.checks import check
    check(ewa)        # runs the visible checks of utils.ewa.ewa

Each check feeds the function small, fixed, hand-computed cases and prints
one line per case: what was expected, what came back, and where they first
differ. A failure raises CheckFailed so the notebook stops at the exercise.
These checks only say the visible cases pass: hidden tests run at grading.
"""

import importlib

from .checker import Checker, CheckFailed

__all__ = ["Checker", "CheckFailed", "check"]

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
    module = importlib.import_module(f"{__name__}.{_MODULES[name]}")
    getattr(module, f"check_{name}")(function)
