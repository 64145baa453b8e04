"""Visible checks of utils.minibatch (01_minibatch_gradient_descent.ipynb).

The inputs are "numbered": column j of X is (j, 10 + j) and Y[0, j] = 100 + j,
so every returned column says which original column it is (batch X of
columns [2, 4] is [[2, 4], [12, 14]], its Y is [[102, 104]]). The permutations
are the documented output of ``np.random.RandomState(seed).permutation(m)``:

    RandomState(2).permutation(5) = [2, 4, 1, 3, 0]
    RandomState(0).permutation(4) = [2, 3, 1, 0]
    RandomState(0).permutation(3) = [2, 1, 0]
"""

import numpy as np

from .checker import Checker, shape_of, where_wrong


def _numbered(m):
    X = np.vstack([np.arange(m), 10 + np.arange(m)]).astype(float)
    Y = (100 + np.arange(m)).reshape(1, m)
    return X, Y


def _case(c, function, m, size, seed, expected_columns, what):
    """Check the batches of a numbered (X, Y) against the expected original column indices."""
    X, Y = _numbered(m)
    batches = function(X, Y, size, seed)
    sizes = [len(columns) for columns in expected_columns]
    what = f"{what}: batches of sizes {sizes} holding columns {' | '.join(map(str, expected_columns))}"
    if isinstance(batches, tuple):
        c.note("returns a tuple of batches", "grading accepts a tuple; the contract returns a list of batches")
    if not isinstance(batches, list | tuple) or len(batches) != len(expected_columns):
        got = f"a list of {len(batches)} batches" if isinstance(batches, list | tuple) else type(batches).__name__
        wanted = f"a list of {len(expected_columns)} (mini_batch_X, mini_batch_Y)"
        return c.true(what, False, f"expected {wanted}, got {got}")
    for k, batch in enumerate(batches):
        if not (isinstance(batch, tuple | list) and len(batch) == 2):
            return c.true(what, False, f"batch {k}: expected a pair (mini_batch_X, mini_batch_Y), got {batch!r}")
        for name, got in (("X", batch[0]), ("Y", batch[1])):
            if not isinstance(got, np.ndarray):
                kind = "a list" if isinstance(got, list) else type(got).__name__
                return c.true(what, False, f"batch {k}: mini_batch_{name} is {kind}, not a numpy array (X[:, columns])")
    # which mini-batches k are right, and the first wrong value (X before Y), exactly
    pairs = [
        (k, name, got, full[:, columns])
        for k, (batch, columns) in enumerate(zip(batches, expected_columns, strict=True))
        for name, got, full in (("X", batch[0], X), ("Y", batch[1], Y))
    ]
    sentence = where_wrong(
        [
            (
                ("mini-batch", k),
                [(f"mini-batch {k}'s {name}", got, expected) for _, name, got, expected in pairs[2 * k : 2 * k + 2]],
            )
            for k in range(len(batches))
        ],
        0.0,
        0.0,
    )
    for k, name, got, expected in pairs:
        if got.shape != expected.shape or not np.array_equal(got, expected):
            return c.true(
                what,
                False,
                (f"{sentence}\n         " if sentence else "")
                + f"batch {k}: expected mini_batch_{name} of shape {expected.shape} = "
                f"{expected.tolist()}, got shape {got.shape} = {got.tolist()}",
                _shape(k, name, got, expected),
            )
    return c.true(what, True)


def _shape(k, name, got, expected):
    """The shape of the difference of one batch (exact comparison), or None."""
    shape = shape_of(got, expected, 0.0, 0.0)
    return f"batch {k}'s mini_batch_{name}: {shape}" if shape else None


def check_random_mini_batches(function):
    c = Checker("random_mini_batches")
    # m = 5, size 2: floor(5 / 2) = 2 full batches + 5 % 2 = 1 column left over.
    # Shuffled order [2, 4, 1, 3, 0] cut after every 2 columns: [2, 4] | [1, 3] | [0].
    _case(c, function, 5, 2, 2, [[2, 4], [1, 3], [0]], "m=5, size 2, seed 2")
    # m = 4, size 2: 4 % 2 = 0, so exactly 2 batches and no empty third one.
    _case(c, function, 4, 2, 0, [[2, 3], [1, 0]], "m=4, size 2, seed 0 (divisible)")
    # size 64 > m = 3: no full batch, one batch with all 3 shuffled columns [2, 1, 0].
    _case(c, function, 3, 64, 0, [[2, 1, 0]], "m=3, size 64 (bigger than m)")
    # size 1 (stochastic gradient descent): one column per batch, in shuffled order.
    _case(c, function, 3, 1, 0, [[2], [1], [0]], "m=3, size 1 (stochastic)")

    X, Y = _numbered(5)
    X_before, Y_before = X.copy(), Y.copy()
    np.random.seed(12345)
    state_before = np.random.get_state()[1].copy()
    function(X, Y, 2, 2)
    c.true(
        "X and Y are not modified in place",
        np.array_equal(X, X_before) and np.array_equal(Y, Y_before),
        "shuffle copies (X[:, permutation]) instead of shuffling the inputs in place",
    )
    c.prefer(
        "numpy's global random state is untouched",
        np.array_equal(np.random.get_state()[1], state_before),
        "grading accepts np.random.seed(seed) with np.random.permutation(m) (the same numbers), but it resets "
        "the random state every other part of the program draws from; the contract draws the permutation from "
        "its own np.random.RandomState(seed)",
    )
    c.finish()
