# Exercise file for 01_minibatch_gradient_descent.ipynb: replace each `raise NotImplementedError(...)`
# with your code. (Generated from solutions/minibatch.py by `optgrade stubs`.)
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
    # YOUR CODE HERE
    raise NotImplementedError(
        "random_mini_batches() is not implemented yet: write it in utils/minibatch.py, save, "
        "and re-run the cell (01_minibatch_gradient_descent.ipynb explains what it should do)."
    )
