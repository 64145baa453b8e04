"""The shape of a difference (utils/checks/shapes.py) on hand-computed arrays, and no claim when none fits."""

import importlib
import math
import sys

import numpy as np
import pytest
from fixtures.hidden.students import StudentFolder, reference_source, replace_function
from hypothesis import given
from hypothesis import strategies as st

from optgrade.exercises import ROOT
from optgrade.hidden import checking, compare, inputs, reference
from optgrade.hidden.outcome import Failure
from optgrade.mutants.hand import MISTAKES
from utils.checks import CheckFailed, check
from utils.checks.shapes import describe


def close(got, expected, rtol=1e-9, atol=1e-12):
    return abs(got - expected) <= atol + rtol * abs(expected)


def shape_of(got, expected):
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    return describe((got.shape, got.ravel().tolist()), (expected.shape, expected.ravel().tolist()), close)


EWA = [5.0, 12.5, 21.25]  # ewa([10, 20, 30], beta 0.5), computed by hand in utils/checks/ewa.py

CASES = [
    # (what the student returned, expected, the sentence) -- every got below is computed by hand from expected
    ([0.9 * 5.0, 0.9 * 12.5, 0.9 * 21.25], EWA, "every entry is 0.9 times the expected one"),
    ([[0.45, -0.18]], [[0.5, -0.2]], "every entry is 0.9 times the expected one"),
    ([-5.0, -12.5, -21.25], EWA, "the sign is flipped: every entry is minus the expected one"),
    (-0.25, 0.25, "the sign is flipped: every entry is minus the expected one"),
    ([0.0, 0.0, 0.0], EWA, "every entry is 0 where the expected ones are not"),
    ([6.0, 13.5, 22.25], EWA, "every entry is the expected one plus 1"),
    ([4.5, 12.0, 20.75], EWA, "every entry is the expected one minus 0.5"),
    (
        [0.0, 5.0, 12.5],
        EWA,
        "your values are the expected ones one step later (entry t holds the expected entry t - 1)",
    ),
    (
        [12.5, 21.25, 0.0],
        EWA,
        "your values are the expected ones one step earlier (entry t holds the expected entry t + 1)",
    ),
    (
        [[1.0, 1.0], [1.0, 1.0], [0.8, 0.6]],  # path rows 0, 0, 1 of [[1, 1], [0.8, 0.6], [0.64, 0.36]]
        [[1.0, 1.0], [0.8, 0.6], [0.64, 0.36]],
        "your values are the expected ones one step later (row t holds the expected row t - 1)",
    ),
    ([7.0, 12.5, 21.25], EWA, "only the first entry differs; the others match"),
    ([5.0, 12.5, 20.0], EWA, "only the last entry differs; the others match"),
    ([1.0, 1.0, 2.0], [1.0, 1.0, 1.0], "only the last entry differs; the others match"),  # constant: never a shift
    (
        [[1.0, 1.0], [0.8, 0.6], [0.6, 0.3]],
        [[1.0, 1.0], [0.8, 0.6], [0.64, 0.36]],
        "only the last row differs; the others match",
    ),
    ([21.25, 12.5, 5.0], EWA, "the right values in reverse order"),
    ([12.5, 5.0, 21.25], EWA, "the right values in the wrong order"),
    (
        [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]],
        [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
        "transposed: your rows are the expected columns",
    ),
    ([[1.0, 3.0], [2.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]], "transposed: your rows are the expected columns"),  # square
    (
        [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
        "the right values in shape (6,); expected shape (2, 3)",
    ),
    (0.5, [0.5, 0.5, 0.5], "a single number where an array of shape (3,) is expected"),
    ([5.0, math.nan, 21.25], EWA, "NaN in 1 of 3 entries where a number belongs"),
    (
        [[math.inf, 1.0], [math.nan, 2.0]],
        [[0.0, 1.0], [3.0, 2.0]],
        "NaN or inf in 2 of 4 entries where a number belongs",
    ),
]


@pytest.mark.parametrize(("got", "expected", "sentence"), CASES)
def test_each_shape_is_named_on_a_hand_computed_case(got, expected, sentence):
    assert shape_of(got, expected) == sentence


NO_SHAPE = [
    ([1.0, 7.0, 3.0], EWA),  # unrelated numbers
    (0.2, 0.25),  # one number: a factor or an offset says nothing more than "got 0.2"
    ([5.0, 12.5, 21.25], EWA),  # equal: nothing to describe
    ([5.0 + 1e-12, 12.5, 21.25], EWA),  # equal within the comparison's tolerance
    ([5.0, 13.0, 21.25], EWA),  # one entry in the middle: no shape named
    ([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),  # other size
    ([1.0, 2.0], [0.0, 4.0]),  # a factor needs two nonzero expected entries
]


@pytest.mark.parametrize(("got", "expected"), NO_SHAPE)
def test_no_claim_when_no_shape_fits(got, expected):
    assert shape_of(got, expected) is None


def test_claims_hold_on_the_comparisons_own_tolerance():
    """1e-7 off the factor passes a loose comparison (rtol 1e-6) and is no factor for a strict one (rtol 1e-9)."""
    got = [0.9 * 5.0, 0.9 * 12.5 * (1 + 1e-7), 0.9 * 21.25]
    loose = describe(((3,), got), ((3,), EWA), lambda g, e: close(g, e, rtol=1e-6))
    assert loose == "every entry is 0.9 times the expected one"
    assert shape_of(got, EWA) is None


finite = st.floats(min_value=0.1, max_value=100.0) | st.floats(min_value=-100.0, max_value=-0.1)


@given(
    expected=st.lists(finite, min_size=2, max_size=8),
    factor=st.floats(min_value=-10.0, max_value=10.0).filter(lambda f: abs(f) > 1e-3 and abs(abs(f) - 1) > 1e-6),
)
def test_a_random_array_times_a_random_factor_is_described_as_that_factor(expected, factor):
    sentence = shape_of([factor * x for x in expected], expected)
    assert sentence.startswith("every entry is ") and sentence.endswith(" times the expected one"), sentence
    said = float(sentence.removeprefix("every entry is ").removesuffix(" times the expected one"))
    assert abs(said - factor) <= 5e-6 * abs(factor)  # the value, to the 6 significant digits it is printed with


@given(seed=st.integers(min_value=0, max_value=2**32 - 1), size=st.integers(min_value=3, max_value=12))
def test_a_random_series_one_step_late_is_described_as_one_step_later(seed, size):
    expected = np.random.default_rng(seed).normal(size=size)
    got = np.concatenate([[0.0], expected[:-1]])  # V_0 = 0 stored first: every value one step late
    assert shape_of(got, expected).startswith("your values are the expected ones one step later")


@given(seed=st.integers(min_value=0, max_value=2**32 - 1), size=st.integers(min_value=2, max_value=12))
def test_a_random_unrelated_array_gets_no_claim(seed, size):
    rng = np.random.default_rng(seed)
    assert shape_of(rng.normal(size=size), rng.normal(size=size)) is None


# --- wired into the visible checks' FAIL lines and the hidden tests' failures -------------------------------------


def _named(function, name):
    function.__name__ = name
    return function


def test_a_visible_fail_without_a_named_mistake_says_the_shape_under_it(capsys):
    ewa = importlib.import_module("solutions.ewa").ewa
    with pytest.raises(CheckFailed):
        check(_named(lambda theta, beta: 1.5 * ewa(theta, beta), "ewa"))
    out = capsys.readouterr().out
    assert "known mistake" not in out
    first_fail = out.index("[FAIL] theta = [10, 20, 30], beta = 0.5")
    assert out.index("shape of the difference: every entry is 1.5 times the expected one") > first_fail, out


def test_a_visible_fail_that_names_a_mistake_adds_no_shape(capsys):
    (mistake,) = [m for m in MISTAKES if m.function == "ewa" and m.name == "beta_swapped"]
    with pytest.raises(CheckFailed):
        check(_named(lambda *args: mistake.implementation(*args), "ewa"))
    out = capsys.readouterr().out
    assert f"known mistake: {mistake.message}" in out and "shape of the difference" not in out, out


THETA = inputs.series(7, 5)


def test_a_hidden_failure_without_a_named_mistake_says_the_shape_of_the_difference():
    got = 1.5 * reference.function("ewa", "ewa")(THETA, 0.9)
    with pytest.raises(Failure) as failure:
        checking.expect(
            "ewa", got, checking.runner(THETA, 0.9), compare.arrays, [reference.function("ewa", "ewa")], "7 values"
        )
    assert failure.value.shape == "shape of the difference in the result: every entry is 1.5 times the expected one"


EWA_SCALED = """
def ewa(theta, beta):
    V, v = [], 0.0
    for value in theta:
        v = beta * v + (1 - beta) * value
        V.append(1.5 * v)
    return np.array(V)
"""

EWA_BETA_SWAPPED = """
def ewa(theta, beta):
    V, v = [], 0.0
    for value in theta:
        v = (1 - beta) * v + beta * value
        V.append(v)
    return np.array(V)
"""


def test_a_graded_failure_says_the_shape_when_no_mistake_is_confirmed_and_not_when_one_is(tmp_path):
    folder = StudentFolder(tmp_path)
    folder.write("ewa", replace_function(reference_source("ewa"), "ewa", EWA_SCALED))
    error = folder.grade("ewa.values").error
    assert "every entry is 1.5 times the expected one" in error and "known mistake" not in error, error
    folder.write("ewa", replace_function(reference_source("ewa"), "ewa", EWA_BETA_SWAPPED))
    error = folder.grade("ewa.values").error
    (mistake,) = [m for m in MISTAKES if m.function == "ewa" and m.name == "beta_swapped"]
    assert f"known mistake: {mistake.message}" in error and "shape of the difference" not in error, error


def test_a_hidden_structure_failure_says_the_path_is_transposed(tmp_path):
    folder = StudentFolder(tmp_path)
    source = reference_source("saddle")
    transposed = replace_function(source, "gradient_descent_2d", GD2D_TRANSPOSED)
    folder.write("saddle", transposed)
    error = folder.grade("gradient_descent_2d.structure").error
    assert "shape (2, 6), expected (6, 2)" in error and "transposed: your rows are the expected columns" in error, error


GD2D_TRANSPOSED = """
def gradient_descent_2d(grad, x0, learning_rate, num_steps):
    path = [np.array(x0, dtype=float)]
    for _ in range(num_steps):
        path.append(path[-1] - learning_rate * np.asarray(grad(path[-1]), dtype=float))
    return np.array(path).T
"""
PLANTED = "def describe(got, expected, close):\n    return 'PLANTED: every entry is right'\n"


def test_a_shapes_module_planted_in_the_students_utils_is_never_the_one_grading_uses(tmp_path):
    """In-process grading puts the student's folder first on sys.path; the grader's shapes are the repository's."""
    folder = StudentFolder(tmp_path)
    (folder.path / "utils" / "checks" / "shapes.py").write_text(PLANTED)
    folder.write("ewa", replace_function(reference_source("ewa"), "ewa", EWA_TIMES_1_5))
    error = folder.grade("ewa.values", sandboxed=False).error
    assert "PLANTED" not in error and "every entry is 1.5 times the expected one" in error, error
    assert compare.shapes.__file__ == str(ROOT / "utils" / "checks" / "shapes.py")
    assert compare.shapes.__name__ not in sys.modules


EWA_TIMES_1_5 = """
def ewa(theta, beta):
    V, averages = 0.0, []
    for value in np.asarray(theta, dtype=float):
        V = beta * V + (1 - beta) * value
        averages.append(1.5 * V)
    return np.array(averages)
"""
