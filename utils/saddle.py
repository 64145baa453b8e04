# Exercise file for 07_local_optima_saddle_points.ipynb: replace each `raise NotImplementedError(...)`
# with your code. (Generated from solutions/saddle.py by `optgrade stubs`.)
"""Critical points of a cost surface, and plain gradient descent in 2-D."""

import numpy as np


def classify_critical_point(hessian, tol=1e-8):
    """Classify a critical point from the eigenvalues of its Hessian.

    With lambda_1..lambda_n the eigenvalues of the symmetric Hessian H:
        all lambda_i >  tol                    -> "minimum"   (curves up everywhere)
        all lambda_i < -tol                    -> "maximum"   (curves down everywhere)
        some > tol and some < -tol             -> "saddle"
        otherwise (some |lambda_i| <= tol and
        no two of opposite signs)              -> "degenerate" (the second-order
                                                  test cannot decide: a plateau)

    Arguments:
        hessian -- symmetric array of shape (n, n), n >= 1.
        tol -- eigenvalues with |lambda| <= tol count as zero.

    Returns:
        kind -- one of "minimum", "maximum", "saddle", "degenerate".
    """
    # YOUR CODE HERE
    raise NotImplementedError(
        "classify_critical_point() is not implemented yet: write it in utils/saddle.py, save, "
        "and re-run the cell (07_local_optima_saddle_points.ipynb explains what it should do)."
    )


def gradient_descent_2d(grad, x0, learning_rate, num_steps):
    """Run plain gradient descent from x0 and record the path.

        x_0 = x0,   x_{k+1} = x_k - alpha * grad(x_k)     for k = 0..num_steps-1

    Arguments:
        grad -- function mapping a point x of shape (2,) to the gradient at x,
            shape (2,).
        x0 -- starting point, array-like of shape (2,).
        learning_rate -- alpha (float > 0).
        num_steps -- number of steps (int >= 0).

    Returns:
        path -- float64 array of shape (num_steps + 1, 2): path[0] = x0 and
            path[k] = x_k.
    """
    # YOUR CODE HERE
    raise NotImplementedError(
        "gradient_descent_2d() is not implemented yet: write it in utils/saddle.py, save, "
        "and re-run the cell (07_local_optima_saddle_points.ipynb explains what it should do)."
    )
