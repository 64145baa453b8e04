"""Hidden tests of ``ewa``, ``ewa_bias_corrected``, ``sma`` and ``wma``."""

import numpy as np

from .. import compare, inputs, reference, structure
from ..checking import expect, fail, runner
from ..registry import hidden_test

# function -> the second arguments (beta or window) of the values test
SECOND = {
    "ewa": (0.9, 0.5, 0.98, 0.0),
    "ewa_bias_corrected": (0.9, 0.5, 0.98, 0.0),
    "sma": (1, 3, 7, 50),
    "wma": (1, 3, 7, 50),
}
SERIES = ((40, 3), (7, 5), (1, 6))  # (length, seed)


def by_day(got, expected):
    """Compare two series day by day: which days t are right and the first wrong value."""
    return compare.series(got, expected, "day", lambda t: f"the value of day {t}")


def _structure(function, student):
    """A new float array of shape (T,) from a list, an array or whole numbers; the input left alone."""
    second = SECOND[function][1]
    got = student(inputs.series(12, 2).tolist(), second)
    problem = structure.array(got, (12,), "the result for a list of 12 values")
    theta = inputs.series(9, 4)
    before = theta.copy()
    got_array = student(theta, second)
    problem = (
        problem
        or structure.array(got_array, (9,), "the result for an array of 9 values")
        or structure.unchanged(before, theta, "theta")
    )
    if problem:
        fail(function, problem, got, runner(inputs.series(12, 2).tolist(), second), by_day)
    whole = np.rint(inputs.series(11, 6)).astype(np.int64)  # temperatures recorded in whole degrees
    got = student(whole.copy(), second)
    context = "a series of 11 whole numbers (an integer array): the averages are not whole numbers"
    expect(function, got, runner(whole, second), by_day, [reference.function("ewa", function)], context)


def _values(function, student):
    """Fixed series (40, 7 and 1 values) against the reference, several betas or windows."""
    implementation = reference.function("ewa", function)
    for length, seed in SERIES:
        theta = inputs.series(length, seed)
        for second in SECOND[function]:
            got = student(theta.copy(), second)
            context = f"a series of {length} values, {'window' if function in ('sma', 'wma') else 'beta'} {second}"
            expect(function, got, runner(theta, second), by_day, [implementation], context)


for _function in SECOND:
    hidden_test(f"{_function}.structure")(lambda student, f=_function: _structure(f, student))
    hidden_test(f"{_function}.values")(lambda student, f=_function: _values(f, student))
