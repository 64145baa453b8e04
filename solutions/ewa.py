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
    ### BEGIN SOLUTION
    theta = np.asarray(theta, dtype=float)
    V = np.empty_like(theta)
    v = 0.0
    for t, value in enumerate(theta):
        v = beta * v + (1 - beta) * value
        V[t] = v
    return V
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    V = ewa(theta, beta)
    t = np.arange(1, V.shape[0] + 1)
    return V / (1 - beta**t)
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    theta = np.asarray(theta, dtype=float)
    sums = np.concatenate(([0.0], np.cumsum(theta)))
    t = np.arange(1, theta.shape[0] + 1)
    start = np.maximum(t - window, 0)
    return (sums[t] - sums[start]) / (t - start)
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    theta = np.asarray(theta, dtype=float)
    W = np.empty_like(theta)
    for t in range(theta.shape[0]):
        values = theta[max(0, t - window + 1) : t + 1]
        weights = np.arange(1, values.shape[0] + 1)
        W[t] = weights @ values / weights.sum()
    return W
    ### END SOLUTION
