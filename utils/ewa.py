# Exercise file for 02_exponentially_weighted_averages.ipynb: replace each `raise NotImplementedError(...)`
# with your code. (Generated from solutions/ewa.py by `optgrade stubs`.)
"""Exponentially weighted averages (EWA), bias correction and moving averages.

All functions take a 1-D series ``theta`` = (theta_1, ..., theta_T) (any
array-like of numbers, T >= 1) and return a new float64 array of shape (T,)
whose entry t-1 is the average at day t. The input is never modified.
"""

import numpy as np


def ewa(theta, beta):
    """Exponentially weighted average of a series, without bias correction.

        V_0 = 0
        V_t = beta * V_{t-1} + (1 - beta) * theta_t      for t = 1..T

    V_t averages roughly the last 1 / (1 - beta) values (beta = 0.9: ~10 days).

    Arguments:
        theta -- series of shape (T,).
        beta -- weight of the past, 0 <= beta < 1.

    Returns:
        V -- float64 array of shape (T,), V[t-1] = V_t.
    """
    # YOUR CODE HERE
    raise NotImplementedError(
        "ewa() is not implemented yet: write it in utils/ewa.py, save, "
        "and re-run the cell (02_exponentially_weighted_averages.ipynb explains what it should do)."
    )


def ewa_bias_corrected(theta, beta):
    """Bias-corrected exponentially weighted average.

        V_t (as in ``ewa``), then  V_t / (1 - beta^t)      for t = 1..T

    Because V_0 = 0, the plain average starts too low; dividing by
    1 - beta^t (the total weight given to the data so far) removes that bias,
    and the correction fades as beta^t -> 0.

    Arguments:
        theta -- series of shape (T,).
        beta -- weight of the past, 0 <= beta < 1.

    Returns:
        V_corrected -- float64 array of shape (T,).
    """
    # YOUR CODE HERE
    raise NotImplementedError(
        "ewa_bias_corrected() is not implemented yet: write it in utils/ewa.py, save, "
        "and re-run the cell (02_exponentially_weighted_averages.ipynb explains what it should do)."
    )


def sma(theta, window):
    """Simple moving average over the last ``window`` values.

        SMA_t = (theta_{t-k+1} + ... + theta_t) / k,   k = min(window, t)

    The first window - 1 entries average all the values seen so far.

    Arguments:
        theta -- series of shape (T,).
        window -- number of values averaged (int >= 1); may exceed T.

    Returns:
        S -- float64 array of shape (T,).
    """
    # YOUR CODE HERE
    raise NotImplementedError(
        "sma() is not implemented yet: write it in utils/ewa.py, save, "
        "and re-run the cell (02_exponentially_weighted_averages.ipynb explains what it should do)."
    )


def wma(theta, window):
    """Linearly weighted moving average over the same values as ``sma``.

        WMA_t = (1 * theta_{t-k+1} + 2 * theta_{t-k+2} + ... + k * theta_t)
                / (1 + 2 + ... + k),                 k = min(window, t)

    The newest value weighs most (k), the oldest in the window least (1).

    Arguments:
        theta -- series of shape (T,).
        window -- number of values averaged (int >= 1); may exceed T.

    Returns:
        W -- float64 array of shape (T,).
    """
    # YOUR CODE HERE
    raise NotImplementedError(
        "wma() is not implemented yet: write it in utils/ewa.py, save, "
        "and re-run the cell (02_exponentially_weighted_averages.ipynb explains what it should do)."
    )
