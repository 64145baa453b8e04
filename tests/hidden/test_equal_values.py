"""Comparisons that mean equal: inf and NaN equal only themselves, on the hidden side and the visible side.

A tolerance ``|got - expected| <= atol + rtol * |expected|`` is infinite when the expected value is: every
finite answer would be "equal" to an infinite expectation, and a mistake that divides by zero on an input
would "match" every wrong answer there. Every comparison the hidden tests, the mistake naming and the
visible checks use is tried here on hand-made values.
"""

import math

import numpy as np
import pytest

from optgrade.hidden import checking, compare, structure
from utils.checks import dicts
from utils.checks.checker import Checker, first_difference, shape_of

INF, NAN = math.inf, math.nan

# (got, expected, equal?) for one entry; every comparison below must agree with this table
ENTRIES = [
    (1.0, INF, False),
    (2.0, -INF, False),
    (1e308, INF, False),
    (INF, INF, True),
    (-INF, -INF, True),
    (-INF, INF, False),
    (INF, -INF, False),
    (INF, 1.0, False),
    (NAN, 1.0, False),
    (1.0, NAN, False),
    (INF, NAN, False),
    (NAN, INF, False),
    (NAN, NAN, True),
]
NEAR = [(1.0, 1.0 + 1e-13, True), (0.0, 1e-13, True), (1.0, 1.001, False)]  # finite: the tolerance decides
TOLERANCES = [(1e-9, 1e-12), (1e-6, 1e-8), (0.0, 0.0), (1e-8, 1e-10)]


def _ids(entries):
    return [f"{got}-vs-{expected}" for got, expected, _ in entries]


@pytest.mark.parametrize(("got", "expected", "equal"), ENTRIES, ids=_ids(ENTRIES))
@pytest.mark.parametrize(("rtol", "atol"), TOLERANCES)
def test_hidden_arrays_equal_only_what_is_equal(got, expected, equal, rtol, atol):
    assert (compare.arrays([got], [expected], rtol, atol) is None) is equal
    assert (compare.number(got, expected, rtol, atol) is None) is equal
    assert (compare.dicts({"dW1": [[got]]}, {"dW1": [[expected]]}, rtol, atol) is None) is equal


@pytest.mark.parametrize(("got", "expected", "equal"), NEAR, ids=_ids(NEAR))
def test_finite_values_are_equal_within_the_tolerance(got, expected, equal):
    assert (compare.arrays([got], [expected]) is None) is equal


def test_the_testers_case_is_a_difference():
    """The finding of issue 21: [1, 2] against [inf, -inf] was "equal"."""
    assert compare.arrays([1.0, 2.0], [INF, -INF]) == "the result[0] is 1, expected inf"
    assert compare.arrays([INF, -INF], [INF, -INF]) is None


def test_nan_equals_nan_only_where_the_expectation_has_it():
    assert compare.arrays([NAN, 1.0], [NAN, 1.0]) is None
    assert compare.arrays([1.0, NAN], [NAN, 1.0]) == "the result[0] is 1, expected nan"
    assert compare.arrays([NAN, NAN], [NAN, 1.0]) == "the result[1] is nan, expected 1"


@pytest.mark.parametrize(("got", "expected", "equal"), ENTRIES + NEAR, ids=_ids(ENTRIES + NEAR))
def test_visible_close_equals_only_what_is_equal(got, expected, equal):
    checker = Checker("ewa")
    assert checker.close("one entry", [got], [expected]) is equal
    array_got, array_expected = np.array([got, 5.0]), np.array([expected, 5.0])
    assert (first_difference(array_got, array_expected, 1e-8, 1e-6) is None) is equal
    assert (dicts.check_dict(Checker("v"), "v", {"dW1": [[got]]}, {"dW1": [[expected]]})) is equal
    assert dicts.matches({"dW1": [[got]]}, {"dW1": [[expected]]}) is equal


def test_a_shape_is_never_claimed_on_an_infinite_expectation():
    """rtol * inf made the first entry 'close' to inf: [1, 2, 3] against [inf, 2, 4] read as 'only the last differs'."""
    assert shape_of([1.0, 2.0, 3.0], [INF, 2.0, 4.0], 1e-8, 1e-6) is None
    assert shape_of([1.0, 2.0, 3.0], [INF, 2.0, 3.0], 1e-8, 1e-6) == "only the first entry differs; the others match"
    with compare.shapes_of_differences() as found:
        compare.arrays([1.0, 2.0, 3.0], [INF, 2.0, 4.0])
    assert found == [("the result", None)]


def test_a_candidate_that_divides_by_zero_is_not_named_for_a_finite_answer():
    """A candidate returning inf on the failing input does not 'match' the student's finite wrong answer."""

    def divides_by_zero(theta, beta):
        return np.array([INF, -INF])

    def student_mistake(theta, beta):
        return np.array([7.0, 8.0])

    assert not checking._equal(compare.arrays, student_mistake(None, None), divides_by_zero(None, None))
    assert checking._equal(compare.arrays, divides_by_zero(None, None), divides_by_zero(None, None))


def test_an_input_holding_nan_and_left_alone_is_unchanged():
    before = {"W1": np.array([[NAN, 1.0]])}
    assert structure.unchanged(before, {"W1": before["W1"].copy()}) is None
    assert structure.unchanged(before, {"W1": np.array([[NAN, 2.0]])}) is not None
