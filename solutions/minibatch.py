"""Mini-batch gradient descent: splitting a training set into shuffled mini-batches."""

import math

import numpy as np


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """Shuffle the columns of (X, Y) together and cut them into mini-batches.

    Arguments:
        X -- inputs, array of shape (n_x, m), one example per column.
        Y -- labels, array of shape (1, m), column j labels X[:, j].
        mini_batch_size -- number of examples per mini-batch (int >= 1);
            powers of two (64, 128, 256, 512) suit memory layouts best.
        seed -- seed of the shuffle. Build ``np.random.RandomState(seed)`` and
            draw ``permutation = rng.permutation(m)``; never touch numpy's
            global random state.

    Returns:
        mini_batches -- list of ``(mini_batch_X, mini_batch_Y)`` tuples.
            ``mini_batch_X`` has shape (n_x, size) and ``mini_batch_Y`` shape
            (1, size). X and Y are shuffled by the same permutation, so pairs
            stay together: ``X[:, permutation]``, ``Y[:, permutation]``.
            There are ``floor(m / mini_batch_size)`` full batches, in order,
            then one smaller batch with the remaining ``m % mini_batch_size``
            columns if that is not zero. Batch k (from 0) holds shuffled
            columns ``k * mini_batch_size`` to ``(k + 1) * mini_batch_size - 1``.
    """
    ### BEGIN SOLUTION
    m = X.shape[1]
    permutation = np.random.RandomState(seed).permutation(m)
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation].reshape((1, m))
    num_complete = math.floor(m / mini_batch_size)
    mini_batches = []
    for k in range(num_complete):
        start = k * mini_batch_size
        stop = start + mini_batch_size
        mini_batches.append((shuffled_X[:, start:stop], shuffled_Y[:, start:stop]))
    if m % mini_batch_size != 0:
        start = num_complete * mini_batch_size
        mini_batches.append((shuffled_X[:, start:], shuffled_Y[:, start:]))
    return mini_batches
    ### END SOLUTION
