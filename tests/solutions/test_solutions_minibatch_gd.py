"""solutions.minibatch.random_mini_batches and solutions.gd.update_parameters_with_gd on hand-built inputs."""

import numpy as np
import pytest

from solutions.gd import update_parameters_with_gd
from solutions.minibatch import random_mini_batches


def numbered(m):
    """X whose columns can be read back: X[0, j] = j, X[1, j] = 100 + j; Y[0, j] = 1000 + j."""
    X = np.vstack([np.arange(m), 100 + np.arange(m)]).astype(float)
    Y = (1000 + np.arange(m)).reshape(1, m)
    return X, Y


@pytest.mark.parametrize(
    ("m", "size", "expected_sizes"),
    [
        (148, 64, [64, 64, 20]),  # 148 = 2 * 64 + 20
        (128, 64, [64, 64]),  # divisible: no empty last batch
        (10, 64, [10]),  # m smaller than the batch size: one batch with everything
        (5, 1, [1, 1, 1, 1, 1]),  # batch size 1: stochastic gradient descent
        (300, 64, [64, 64, 64, 64, 44]),  # the published setup: 300 = 4 * 64 + 44
    ],
)
def test_batch_sizes(m, size, expected_sizes):
    X, Y = numbered(m)
    batches = random_mini_batches(X, Y, size, seed=1)
    assert [batch_X.shape for batch_X, _ in batches] == [(2, k) for k in expected_sizes]
    assert [batch_Y.shape for _, batch_Y in batches] == [(1, k) for k in expected_sizes]


@pytest.mark.parametrize("seed", [0, 3, 11])
def test_shuffles_with_the_seeded_permutation(seed):
    X, Y = numbered(148)
    batches = random_mini_batches(X, Y, 64, seed)
    order = np.concatenate([batch_X[0] for batch_X, _ in batches])
    np.testing.assert_array_equal(order, np.random.RandomState(seed).permutation(148))


def test_keeps_pairs_together():
    X, Y = numbered(148)
    for batch_X, batch_Y in random_mini_batches(X, Y, 64, seed=5):
        np.testing.assert_array_equal(batch_X[1], 100 + batch_X[0])
        np.testing.assert_array_equal(batch_Y[0], 1000 + batch_X[0])


def test_default_batch_size_and_seed():
    X, Y = numbered(148)
    batches = random_mini_batches(X, Y)
    assert [batch_X.shape[1] for batch_X, _ in batches] == [64, 64, 20]
    np.testing.assert_array_equal(batches[0][0][0], np.random.RandomState(0).permutation(148)[:64])


def test_batch_size_one_gives_the_columns_one_by_one():
    X, Y = numbered(4)
    batches = random_mini_batches(X, Y, 1, seed=2)
    permutation = np.random.RandomState(2).permutation(4)
    for (batch_X, batch_Y), column in zip(batches, permutation, strict=True):
        np.testing.assert_array_equal(batch_X, X[:, [column]])
        np.testing.assert_array_equal(batch_Y, Y[:, [column]])


def two_layers():
    parameters = {
        "W1": np.array([[1.0, 2.0], [3.0, 4.0]]),
        "b1": np.array([[1.0], [-1.0]]),
        "W2": np.array([[0.5, -0.5]]),
        "b2": np.array([[0.0]]),
    }
    grads = {
        "dW1": np.array([[0.5, -1.0], [2.0, 0.0]]),
        "db1": np.array([[10.0], [0.0]]),
        "dW2": np.array([[-3.0, 1.0]]),
        "db2": np.array([[4.0]]),
    }
    return parameters, grads


def test_gd_step_by_hand():
    parameters, grads = two_layers()
    new = update_parameters_with_gd(parameters, grads, 0.1)
    assert list(new) == ["W1", "b1", "W2", "b2"]
    # W1 - 0.1 dW1 = [[1 - 0.05, 2 + 0.1], [3 - 0.2, 4 - 0]]
    np.testing.assert_allclose(new["W1"], [[0.95, 2.1], [2.8, 4.0]])
    np.testing.assert_allclose(new["b1"], [[0.0], [-1.0]])  # 1 - 0.1 * 10, -1 - 0
    np.testing.assert_allclose(new["W2"], [[0.8, -0.6]])  # 0.5 + 0.3, -0.5 - 0.1
    np.testing.assert_allclose(new["b2"], [[-0.4]])  # 0 - 0.1 * 4


def test_gd_with_zero_gradients_keeps_the_parameters():
    parameters, grads = two_layers()
    zeros = {key: np.zeros_like(value) for key, value in grads.items()}
    new = update_parameters_with_gd(parameters, zeros, 0.5)
    for name, value in parameters.items():
        np.testing.assert_array_equal(new[name], value)
