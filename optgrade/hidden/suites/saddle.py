"""Hidden tests of ``classify_critical_point`` and ``gradient_descent_2d``."""

import numpy as np

from .. import compare, reference, structure
from ..checking import expect, fail, runner
from ..outcome import Failure
from ..registry import hidden_test

KINDS = ("minimum", "maximum", "saddle", "degenerate")


def _rotated(eigenvalues, seed):
    """A symmetric matrix with the given eigenvalues in a random orthonormal basis."""
    q, _ = np.linalg.qr(np.random.RandomState(seed).randn(len(eigenvalues), len(eigenvalues)))
    return q @ np.diag(eigenvalues) @ q.T


# (description, hessian, tol or None for the default)
HESSIANS = (
    ("diag(2, 3)", np.diag([2.0, 3.0]), None),
    ("diag(-1, -4)", np.diag([-1.0, -4.0]), None),
    ("[[1, 2], [2, 1]]", np.array([[1.0, 2.0], [2.0, 1.0]]), None),
    ("the zero 2x2 matrix", np.zeros((2, 2)), None),
    ("diag(1, 0)", np.diag([1.0, 0.0]), None),
    ("diag(-1, 0)", np.diag([-1.0, 0.0]), None),
    ("diag(1e-10, 1)", np.diag([1e-10, 1.0]), None),
    ("diag(1e-6, 1)", np.diag([1e-6, 1.0]), None),
    ("diag(1, 0, -1)", np.diag([1.0, 0.0, -1.0]), None),
    ("a rotated 3x3 with eigenvalues 2, -0.5, 1", _rotated([2.0, -0.5, 1.0], 1), None),
    ("a rotated 3x3 with eigenvalues 2, 0.5, 1", _rotated([2.0, 0.5, 1.0], 2), None),
    ("a rotated 3x3 with eigenvalues -2, -0.5, -1", _rotated([-2.0, -0.5, -1.0], 3), None),
    ("[[5]]", np.array([[5.0]]), None),
    ("[[-3]]", np.array([[-3.0]]), None),
    ("diag(0.01, 1) with tol 0.1", np.diag([0.01, 1.0]), 0.1),
    ("diag(0.01, -1) with tol 0.001", np.diag([0.01, -1.0]), 0.001),
)


def _kind(got, expected):
    if not isinstance(got, str):
        return f"the result is a {type(got).__name__}, expected one of {', '.join(KINDS)}"
    return None if got == expected else f"the result is {str(got)!r}, expected {expected!r}"


def _classify_arguments(hessian, tol):
    return (hessian.copy(),) if tol is None else (hessian.copy(), tol)


@hidden_test("classify_critical_point.structure")
def classify_structure_test(student):
    """A string among the four kinds, for arrays and nested lists of any size."""
    for hessian in (np.diag([2.0, 3.0]), [[1.0, 2.0], [2.0, 1.0]], np.array([[-3.0]]), np.eye(4)):
        got = student(hessian)
        if not isinstance(got, str) or got not in KINDS:
            raise Failure(f"classify_critical_point returned {got!r}, expected one of {', '.join(KINDS)}")


@hidden_test("classify_critical_point.values")
def classify_values_test(student):
    """Minima, maxima, saddles and degenerate points, at and around the tolerance."""
    implementation = reference.function("saddle", "classify_critical_point")
    for description, hessian, tol in HESSIANS:
        arguments = _classify_arguments(hessian, tol)
        got = student(*arguments)
        expect("classify_critical_point", got, runner(*arguments), _kind, [implementation], description)


def _bowl(x):
    x = np.asarray(x, dtype=float)
    return np.array([2 * x[0], 20 * x[1]])


def _saddle(x):
    x = np.asarray(x, dtype=float)
    return np.array([2 * x[0], -2 * x[1]])


def _rosenbrock(x):
    x = np.asarray(x, dtype=float)
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])


# (description, grad, x0, learning_rate, num_steps)
PATHS = (
    ("an elongated bowl from (1, 1)", _bowl, [1.0, 1.0], 0.04, 25),
    ("a saddle from (1, 1e-3)", _saddle, np.array([1.0, 1e-3]), 0.1, 30),
    ("the Rosenbrock valley from (-1.2, 1)", _rosenbrock, (-1.2, 1.0), 1e-3, 40),
    ("zero steps", _bowl, [0.5, -0.5], 0.1, 0),
    ("one step", _saddle, [0.3, 0.2], 0.5, 1),
)


def by_iterate(got, expected):
    """Compare two paths row by row: which iterates x_k are right and the first wrong value."""
    return compare.series(got, expected, "iterate", lambda k: f"x_{k}", first=0)


@hidden_test("gradient_descent_2d.structure")
def path_structure_test(student):
    """A float array of shape (num_steps + 1, 2); x0 left alone."""
    for num_steps in (5, 0):
        x0 = np.array([1.0, 2.0])
        got = student(_bowl, x0, 0.1, num_steps)
        problem = structure.array(got, (num_steps + 1, 2), f"the path of {num_steps} steps")
        problem = problem or structure.unchanged(np.array([1.0, 2.0]), x0, "x0")
        if problem:
            fail("gradient_descent_2d", problem, got, runner(_bowl, x0, 0.1, num_steps), by_iterate)


@hidden_test("gradient_descent_2d.values")
def path_values_test(student):
    """Paths on a bowl, a saddle and the Rosenbrock valley, against the reference."""
    implementation = reference.function("saddle", "gradient_descent_2d")
    for description, grad, x0, learning_rate, num_steps in PATHS:
        arguments = (grad, x0, learning_rate, num_steps)
        got = student(grad, np.array(x0, dtype=float) if isinstance(x0, np.ndarray) else x0, learning_rate, num_steps)
        expect("gradient_descent_2d", got, runner(*arguments), by_iterate, [implementation], description)
