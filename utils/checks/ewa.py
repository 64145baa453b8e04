"""Visible checks of utils.ewa (02_exponentially_weighted_averages.ipynb)."""

import numpy as np

from .checker import Checker


def _days(c, what, got, expected, first=1):
    """One case on a series: the days t that are right and the first wrong value (day ``first`` is entry 0)."""
    return c.series(what, got, expected, "day", lambda t: f"the value of day {t}", first)


def _shape_and_input(c, function, args, T):
    """The result is a float array of shape (T,) and a numpy input is left unchanged."""
    theta = np.array([3.0, -1.0, 4.0, 1.0, -5.0][:T])
    before = theta.copy()
    result = function(theta, *args)
    c.true(
        f"returns a float numpy array of shape ({T},)",
        isinstance(result, np.ndarray) and result.shape == (T,) and result.dtype.kind == "f",
        f"got {type(result).__name__}"
        + (f" of shape {result.shape} and dtype {result.dtype}" if isinstance(result, np.ndarray) else ""),
    )
    c.true("the input series is not modified", np.array_equal(theta, before), "compute into a new array")


def check_ewa(function):
    c = Checker("ewa")
    # theta = [10, 20, 30], beta = 0.5, V_0 = 0:
    #   V_1 = 0.5 * 0     + 0.5 * 10 = 5
    #   V_2 = 0.5 * 5     + 0.5 * 20 = 12.5
    #   V_3 = 0.5 * 12.5  + 0.5 * 30 = 21.25
    _days(c, "theta = [10, 20, 30], beta = 0.5", function([10, 20, 30], 0.5), [5.0, 12.5, 21.25])
    # beta = 0.9, constant theta = 1: V_t = 1 - 0.9^t  ->  0.1, 0.19, 0.271 (starts low: V_0 = 0)
    _days(c, "theta = [1, 1, 1], beta = 0.9 (starts too low)", function([1, 1, 1], 0.9), [0.1, 0.19, 0.271])
    # beta = 0: no memory, V_t = theta_t
    _days(c, "beta = 0 gives theta back", function([2, -7, 4], 0.0), [2.0, -7.0, 4.0])
    # one value: V_1 = (1 - 0.8) * 5 = 1
    _days(c, "one value, beta = 0.8", function([5.0], 0.8), [1.0])
    _shape_and_input(c, function, (0.9,), 5)
    c.finish()


def check_ewa_bias_corrected(function):
    c = Checker("ewa_bias_corrected")
    # V = [5, 12.5, 21.25] (see ewa), divided by 1 - 0.5^t = 0.5, 0.75, 0.875:
    #   5 / 0.5 = 10,  12.5 / 0.75 = 16.6667,  21.25 / 0.875 = 24.2857
    _days(
        c,
        "theta = [10, 20, 30], beta = 0.5",
        function([10, 20, 30], 0.5),
        [10.0, 12.5 / 0.75, 21.25 / 0.875],
    )
    # constant theta = 1: V_t = 1 - 0.9^t, so V_t / (1 - 0.9^t) = 1 exactly: no bias left
    _days(c, "theta = [1, 1, 1], beta = 0.9 (corrected back to 1)", function([1, 1, 1], 0.9), [1.0, 1.0, 1.0])
    # the first corrected value is always theta_1: (1 - beta) theta_1 / (1 - beta)
    _days(c, "first value is theta_1 (beta = 0.98)", function([7.0, 0.0], 0.98)[:1], [7.0])
    # t counts from 1: V_2 = 0.98 * 0.14 + 0.02 * 0 = 0.1372;  0.1372 / (1 - 0.98^2) = 0.1372 / 0.0396
    _days(c, "second value uses t = 2 (beta = 0.98)", function([7.0, 0.0], 0.98)[1:], [0.1372 / 0.0396], 2)
    _shape_and_input(c, function, (0.9,), 5)
    c.finish()


def check_sma(function):
    c = Checker("sma")
    # theta = [1, 2, 3, 4, 5], window 3: k = min(3, t) values
    #   1/1, (1+2)/2, (1+2+3)/3, (2+3+4)/3, (3+4+5)/3 = 1, 1.5, 2, 3, 4
    _days(c, "theta = [1, 2, 3, 4, 5], window 3", function([1, 2, 3, 4, 5], 3), [1.0, 1.5, 2.0, 3.0, 4.0])
    # window 1: every value alone
    _days(c, "window 1 gives theta back", function([4, 0, 8], 1), [4.0, 0.0, 8.0])
    # window 10 > T = 4: the mean of everything so far: 4, 2, 4, 3
    _days(c, "window 10 > T: running mean", function([4, 0, 8, 0], 10), [4.0, 2.0, 4.0, 3.0])
    # window 2 on [6, 0, 0, 2]: 6, 3, 0, 1 (the 6 leaves the window after two days)
    _days(c, "theta = [6, 0, 0, 2], window 2", function([6, 0, 0, 2], 2), [6.0, 3.0, 0.0, 1.0])
    _shape_and_input(c, function, (2,), 5)
    c.finish()


def check_wma(function):
    c = Checker("wma")
    # theta = [4, 0, 0], window 2: weights 1 (older), 2 (newer), divided by 1 + 2 = 3
    #   t=1: k = 1, 4 / 1 = 4;  t=2: (1*4 + 2*0) / 3 = 4/3;  t=3: (1*0 + 2*0) / 3 = 0
    _days(c, "theta = [4, 0, 0], window 2 (newest weighs 2)", function([4, 0, 0], 2), [4.0, 4 / 3, 0.0])
    # theta = [1, 2, 3, 4, 5], window 3 (weights 1, 2, 3 / 6 once full):
    #   1,  (1*1 + 2*2)/3 = 5/3,  (1 + 4 + 9)/6 = 14/6,  (2 + 6 + 12)/6 = 20/6,  (3 + 8 + 15)/6 = 26/6
    _days(
        c,
        "theta = [1, 2, 3, 4, 5], window 3",
        function([1, 2, 3, 4, 5], 3),
        [1.0, 5 / 3, 14 / 6, 20 / 6, 26 / 6],
    )
    # window 1: every value alone
    _days(c, "window 1 gives theta back", function([4, 0, 8], 1), [4.0, 0.0, 8.0])
    _shape_and_input(c, function, (2,), 5)
    c.finish()
