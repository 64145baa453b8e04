"""Visible checks of utils/saddle.py (07_local_optima_saddle_points.ipynb).

Every expected value is computed by hand in the case's description.
"""

import numpy as np

from .checker import Checker

# (description with the hand-computed eigenvalues, Hessian, expected kind)
_HESSIANS = (
    ("[[2, 0], [0, 3]]: eigenvalues 2, 3 -> minimum", [[2.0, 0.0], [0.0, 3.0]], "minimum"),
    ("[[-1, 0], [0, -4]]: eigenvalues -1, -4 -> maximum", [[-1.0, 0.0], [0.0, -4.0]], "maximum"),
    ("[[2, 0], [0, -2]] (x1^2 - x2^2 at 0): eigenvalues 2, -2 -> saddle", [[2.0, 0.0], [0.0, -2.0]], "saddle"),
    (
        "[[1, 3], [3, 1]]: positive diagonal, but eigenvalues 1 + 3 = 4 and 1 - 3 = -2 -> saddle",
        [[1.0, 3.0], [3.0, 1.0]],
        "saddle",
    ),
    ("[[2, 1], [1, 2]]: eigenvalues 2 + 1 = 3 and 2 - 1 = 1 -> minimum", [[2.0, 1.0], [1.0, 2.0]], "minimum"),
    ("[[0, 0], [0, 2]] (x1^4 + x2^2 at 0): eigenvalues 0, 2 -> degenerate", [[0.0, 0.0], [0.0, 2.0]], "degenerate"),
    ("[[5]] (1-D, 2.5 x^2): eigenvalue 5 -> minimum", [[5.0]], "minimum"),
    (
        "diag(1, 2, 3, -0.001): three up, one down -> saddle (one negative is enough)",
        np.diag([1.0, 2.0, 3.0, -0.001]),
        "saddle",
    ),
    ("diag(1, 1e-10): 1e-10 <= tol = 1e-8 counts as zero -> degenerate", np.diag([1.0, 1e-10]), "degenerate"),
    ("3x3 zeros: every eigenvalue 0 -> degenerate", np.zeros((3, 3)), "degenerate"),
    (
        "diag(1, 0, -1): one up, one flat, one down -> saddle (a positive and a negative eigenvalue decide it, "
        "a zero one too)",
        np.diag([1.0, 0.0, -1.0]),
        "saddle",
    ),
    (
        "diag(-1, -2, -3): every eigenvalue negative -> maximum (det = -6 < 0: in 3-D its sign is no test)",
        np.diag([-1.0, -2.0, -3.0]),
        "maximum",
    ),
    ("diag(1e-6, 1): 1e-6 > tol = 1e-8 is positive -> minimum", np.diag([1e-6, 1.0]), "minimum"),
)
# (description, Hessian, tol, expected kind): the tolerance is the caller's
_WITH_TOL = (
    ("diag(0.01, 1) with tol = 0.1: 0.01 <= tol counts as zero -> degenerate", np.diag([0.01, 1.0]), 0.1, "degenerate"),
    ("diag(0.01, -1) with tol = 0.001: 0.01 > tol is positive -> saddle", np.diag([0.01, -1.0]), 0.001, "saddle"),
)


def check_classify_critical_point(classify_critical_point):
    c = Checker("classify_critical_point")
    for what, hessian, tol, expected in [(what, hessian, None, kind) for what, hessian, kind in _HESSIANS] + list(
        _WITH_TOL
    ):
        hessian = np.array(hessian, dtype=float)
        before = hessian.copy()
        got = classify_critical_point(hessian) if tol is None else classify_critical_point(hessian, tol)
        c.true(what, isinstance(got, str) and got == expected, f"expected {expected!r}, got {got!r}")
        if not np.array_equal(hessian, before):
            c.note(
                "the Hessian is modified in place",
                "grading accepts this (it passes its own copy); the contract leaves its inputs as they were",
            )
    c.finish()


ITERATES = ("iterate", lambda k: f"x_{k}", 0)  # path row k is the iterate x_k, k from 0


def check_gradient_descent_2d(gradient_descent_2d):
    c = Checker("gradient_descent_2d")
    calls = []

    def grad(x):  # f(x1, x2) = x1^2 + 2 x2^2, gradient (2 x1, 4 x2)
        calls.append(np.array(x, dtype=float))
        return np.array([2 * x[0], 4 * x[1]])

    x0 = np.array([1.0, 1.0])
    path = gradient_descent_2d(grad, x0, 0.1, 2)
    # step 1: (1 - 0.1*2*1, 1 - 0.1*4*1) = (0.8, 0.6); step 2: (0.8 - 0.16, 0.6 - 0.24) = (0.64, 0.36)
    c.series(
        "f = x1^2 + 2 x2^2 from (1, 1), alpha 0.1, 2 steps: [[1, 1], [0.8, 0.6], [0.64, 0.36]]",
        path,
        [[1.0, 1.0], [0.8, 0.6], [0.64, 0.36]],
        *ITERATES,
    )
    c.true("the path is a numpy array", isinstance(path, np.ndarray), f"got {type(path).__name__}")
    c.prefer(
        "grad is called once per step (2 calls for 2 steps)",
        len(calls) == 2,
        f"got {len(calls)} calls; grading accepts this (the path is what counts), but the update "
        "x_{k+1} = x_k - alpha * grad(x_k) needs grad once per step",
    )
    c.true("x0 is left unchanged", np.array_equal(x0, [1.0, 1.0]), f"x0 became {x0}")
    c.close(
        "num_steps = 0 returns just the start: [[1, 1]] (shape (1, 2))",
        gradient_descent_2d(grad, x0, 0.1, 0),
        [[1.0, 1.0]],
    )

    def grad_bowl(x):  # f = x1^2 + x2^2, gradient 2 x
        return 2 * np.asarray(x)

    # integer start: (3, 1) - 0.25 * (6, 2) = (1.5, 0.5), which an integer array would truncate
    path = gradient_descent_2d(grad_bowl, [3, 1], 0.25, 1)
    c.series(
        "start given as the integer list [3, 1], alpha 0.25, 1 step: [[3, 1], [1.5, 0.5]]",
        path,
        [[3.0, 1.0], [1.5, 0.5]],
        *ITERATES,
    )
    c.true(
        "the path holds floats (dtype float64)",
        getattr(path, "dtype", None) == np.float64,
        f"got dtype {getattr(path, 'dtype', type(path).__name__)}",
    )
    c.finish()
