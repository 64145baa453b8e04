"""Visible checks of utils/schedules.py (06_learning_rate_decay.ipynb).

Every expected value is computed by hand in the case's description.
"""

import numpy as np

from .checker import Checker


def _rate(checker, what, function, args, expected):
    """Record that function(*args) is a single number equal to expected."""
    got = function(*args)
    if np.ndim(got) != 0:
        return checker.true(what, False, f"expected one number, got {got!r}")
    return checker.close(what, got, expected, atol=1e-12, rtol=1e-6)


def _raises_value_error(checker, what, function, args):
    """Record that function(*args) raises ValueError (a stub's NotImplementedError propagates)."""
    try:
        got = function(*args)
    except NotImplementedError:
        raise
    except ValueError:
        return checker.true(what, True)
    except Exception as error:  # any other exception is the wrong kind
        return checker.true(what, False, f"expected ValueError, got {type(error).__name__}: {error}")
    return checker.true(what, False, f"expected ValueError, got the value {got!r}")


def check_update_lr(update_lr):
    c = Checker("update_lr")
    _rate(c, "update_lr(0.2, 0, 1) = 0.2 / (1 + 1*0) = 0.2 (epoch 0 runs at alpha0)", update_lr, (0.2, 0, 1), 0.2)
    # The lecture's table: alpha0 = 0.2, decay_rate = 1, epochs 1..4.
    for epoch, expected in ((1, 0.1), (2, 0.2 / 3), (3, 0.05), (4, 0.04)):
        _rate(
            c,
            f"update_lr(0.2, {epoch}, 1) = 0.2 / (1 + {epoch}) = {expected:.6g}",
            update_lr,
            (0.2, epoch, 1),
            expected,
        )
    _rate(c, "update_lr(0.5, 2, 1) = 0.5 / 3 = 0.166667", update_lr, (0.5, 2, 1), 0.5 / 3)
    _rate(c, "update_lr(1.0, 10, 0.1) = 1 / (1 + 0.1*10) = 0.5", update_lr, (1.0, 10, 0.1), 0.5)
    _rate(c, "update_lr(0.3, 7, 0) = 0.3 (decay_rate 0: no decay)", update_lr, (0.3, 7, 0), 0.3)
    _rate(c, "update_lr(0.2, 1.5, 2) = 0.2 / (1 + 2*1.5) = 0.05 (a float epoch)", update_lr, (0.2, 1.5, 2), 0.05)
    _raises_value_error(c, "update_lr(0.1, -1, 1) raises ValueError (negative epoch)", update_lr, (0.1, -1, 1))
    _raises_value_error(c, "update_lr(0.1, -0.5, 1) raises ValueError (-0.5 < 0 too)", update_lr, (0.1, -0.5, 1))
    c.finish()


def check_schedule_lr_decay(schedule_lr_decay):
    c = Checker("schedule_lr_decay")
    f = schedule_lr_decay
    _rate(c, "schedule_lr_decay(0.5, 100, 1, 100) = 0.5 / (1 + floor(100/100)) = 0.25", f, (0.5, 100, 1, 100), 0.25)
    _rate(
        c,
        "schedule_lr_decay(0.3, 1000, 0.25, 100) = 0.3 / (1 + 0.25*10) = 0.3 / 3.5 = 0.0857143",
        f,
        (0.3, 1000, 0.25, 100),
        0.3 / 3.5,
    )
    _rate(c, "schedule_lr_decay(0.5, 150, 1, 100) = 0.5 / (1 + floor(1.5)) = 0.25 (floor)", f, (0.5, 150, 1, 100), 0.25)
    _rate(c, "schedule_lr_decay(0.1, 0, 1) = 0.1 (epoch 0 runs at alpha0)", f, (0.1, 0, 1), 0.1)
    _rate(
        c,
        "schedule_lr_decay(0.1, 999, 1) = 0.1 / (1 + floor(0.999)) = 0.1 (default interval 1000)",
        f,
        (0.1, 999, 1),
        0.1,
    )
    _rate(c, "schedule_lr_decay(0.1, 1000, 1) = 0.1 / (1 + 1) = 0.05", f, (0.1, 1000, 1), 0.05)
    _rate(c, "schedule_lr_decay(0.1, 4999, 1) = 0.1 / (1 + floor(4.999)) = 0.02", f, (0.1, 4999, 1), 0.02)
    _raises_value_error(c, "schedule_lr_decay(0.1, -5, 1) raises ValueError (negative epoch)", f, (0.1, -5, 1))
    _raises_value_error(c, "schedule_lr_decay(0.1, -0.5, 1) raises ValueError (-0.5 < 0 too)", f, (0.1, -0.5, 1))
    c.finish()


def check_exponential_decay(exponential_decay):
    c = Checker("exponential_decay")
    f = exponential_decay
    _rate(c, "exponential_decay(0.2, 0) = 0.95**0 * 0.2 = 0.2", f, (0.2, 0), 0.2)
    _rate(c, "exponential_decay(0.2, 1) = 0.95 * 0.2 = 0.19 (default decay_rate 0.95)", f, (0.2, 1), 0.19)
    _rate(c, "exponential_decay(0.2, 2) = 0.9025 * 0.2 = 0.1805", f, (0.2, 2), 0.1805)
    _rate(c, "exponential_decay(1.0, 3, 0.5) = 0.5**3 = 0.125", f, (1.0, 3, 0.5), 0.125)
    _rate(
        c,
        "exponential_decay(1.0, 2.5, 0.9) = 0.9**2.5 = 0.81 * sqrt(0.9) = 0.768433 (a float epoch)",
        f,
        (1.0, 2.5, 0.9),
        0.81 * 0.9**0.5,
    )
    _raises_value_error(c, "exponential_decay(0.2, -1) raises ValueError (negative epoch)", f, (0.2, -1))
    _raises_value_error(c, "exponential_decay(0.2, -0.5) raises ValueError (-0.5 < 0 too)", f, (0.2, -0.5))
    c.finish()


def check_sqrt_decay(sqrt_decay):
    c = Checker("sqrt_decay")
    f = sqrt_decay
    _rate(c, "sqrt_decay(0.2, 1, 1) = 1 / sqrt(1) * 0.2 = 0.2", f, (0.2, 1, 1), 0.2)
    _rate(c, "sqrt_decay(0.2, 4, 1) = 1 / 2 * 0.2 = 0.1", f, (0.2, 4, 1), 0.1)
    _rate(c, "sqrt_decay(0.5, 16, 2) = 2 / 4 * 0.5 = 0.25", f, (0.5, 16, 2), 0.25)
    _rate(c, "sqrt_decay(0.1, 9, 3) = 3 / 3 * 0.1 = 0.1", f, (0.1, 9, 3), 0.1)
    _raises_value_error(c, "sqrt_decay(0.2, 0, 1) raises ValueError (k / sqrt(0) is infinite)", f, (0.2, 0, 1))
    _rate(c, "sqrt_decay(0.5, 6.25, 1) = 1 / 2.5 * 0.5 = 0.2 (a float epoch)", f, (0.5, 6.25, 1), 0.2)
    _raises_value_error(c, "sqrt_decay(0.2, -4, 1) raises ValueError (negative epoch)", f, (0.2, -4, 1))
    _raises_value_error(c, "sqrt_decay(0.2, 0.5, 1) raises ValueError (epoch_num >= 1: 0.5 is below)", f, (0.2, 0.5, 1))
    c.finish()


def check_staircase_decay(staircase_decay):
    c = Checker("staircase_decay")
    f = staircase_decay
    _rate(c, "staircase_decay(0.2, 0) = 0.2 * 0.5**0 = 0.2", f, (0.2, 0), 0.2)
    _rate(c, "staircase_decay(0.2, 999) = 0.2 * 0.5**floor(0.999) = 0.2 (defaults 0.5, 1000)", f, (0.2, 999), 0.2)
    _rate(c, "staircase_decay(0.2, 1000) = 0.2 * 0.5**1 = 0.1", f, (0.2, 1000), 0.1)
    _rate(c, "staircase_decay(0.2, 2500) = 0.2 * 0.5**2 = 0.05", f, (0.2, 2500), 0.05)
    _rate(c, "staircase_decay(1.0, 30, 0.1, 10) = 0.1**3 = 0.001", f, (1.0, 30, 0.1, 10), 0.001)
    _raises_value_error(c, "staircase_decay(0.2, -1) raises ValueError (negative epoch)", f, (0.2, -1))
    _raises_value_error(c, "staircase_decay(0.2, -0.5) raises ValueError (-0.5 < 0 too)", f, (0.2, -0.5))
    c.finish()
