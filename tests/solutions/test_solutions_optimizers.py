"""solutions.momentum, solutions.rmsprop and solutions.adam: single steps computed by hand on tiny dicts."""

import inspect

import numpy as np
import pytest

from solutions.adam import initialize_adam, update_parameters_with_adam
from solutions.momentum import initialize_velocity, update_parameters_with_momentum
from solutions.rmsprop import initialize_rmsprop, update_parameters_with_rmsprop

PARAMETERS = {
    "W1": np.array([[1.0, -2.0], [0.5, 0.0], [3.0, 1.0]]),
    "b1": np.array([[0.1], [0.2], [0.3]]),
    "W2": np.array([[1.0, 2.0, 3.0]]),
    "b2": np.array([[-1.0]]),
}
SHAPES = {"dW1": (3, 2), "db1": (3, 1), "dW2": (1, 3), "db2": (1, 1)}


def one_layer(W, b):
    return {"W1": np.array([W], dtype=float), "b1": np.array([[b]], dtype=float)}


def gradients(dW, db):
    return {"dW1": np.array([dW], dtype=float), "db1": np.array([[db]], dtype=float)}


def assert_zero_state(state):
    assert list(state) == list(SHAPES)
    for key, shape in SHAPES.items():
        assert state[key].shape == shape
        assert state[key].dtype == np.float64
        assert not state[key].any()


def test_initialize_velocity():
    assert_zero_state(initialize_velocity(PARAMETERS))


def test_initialize_rmsprop():
    assert_zero_state(initialize_rmsprop(PARAMETERS))


def test_initialize_adam_gives_two_distinct_zero_dicts():
    v, s = initialize_adam(PARAMETERS)
    assert_zero_state(v)
    assert_zero_state(s)
    for key in SHAPES:
        assert not np.shares_memory(v[key], s[key])
        assert not np.shares_memory(v[key], PARAMETERS[key[1:]])


def test_momentum_first_step():
    parameters, grads = one_layer([1.0, -2.0], 0.5), gradients([0.2, -0.4], 1.0)
    new, v = update_parameters_with_momentum(parameters, grads, initialize_velocity(parameters), 0.9, 0.1)
    # v = 0.9 * 0 + 0.1 * grad = [0.02, -0.04], 0.1; W = [1 - 0.1 * 0.02, -2 + 0.1 * 0.04]; b = 0.5 - 0.1 * 0.1
    np.testing.assert_allclose(v["dW1"], [[0.02, -0.04]])
    np.testing.assert_allclose(v["db1"], [[0.1]])
    np.testing.assert_allclose(new["W1"], [[0.998, -1.996]])
    np.testing.assert_allclose(new["b1"], [[0.49]])


def test_momentum_step_from_a_nonzero_velocity():
    parameters, grads = one_layer([0.0, 0.0], 1.0), gradients([1.0, -1.0], 2.0)
    v = gradients([0.5, 0.5], -2.0)
    new, v = update_parameters_with_momentum(parameters, grads, v, 0.5, 0.2)
    # v = 0.5 * [0.5, 0.5] + 0.5 * [1, -1] = [0.75, -0.25]; v_db = 0.5 * -2 + 0.5 * 2 = 0
    np.testing.assert_allclose(v["dW1"], [[0.75, -0.25]])
    np.testing.assert_allclose(v["db1"], [[0.0]])
    np.testing.assert_allclose(new["W1"], [[-0.15, 0.05]])  # -0.2 * [0.75, -0.25]
    np.testing.assert_allclose(new["b1"], [[1.0]])


def test_momentum_updates_every_layer():
    grads = {key: np.ones(shape) for key, shape in SHAPES.items()}
    new, v = update_parameters_with_momentum(PARAMETERS, grads, initialize_velocity(PARAMETERS), 0.9, 1.0)
    for name, value in PARAMETERS.items():
        np.testing.assert_allclose(v["d" + name], 0.1)  # 0.1 * 1
        np.testing.assert_allclose(new[name], value - 0.1, atol=1e-12)


def test_rmsprop_first_step():
    parameters, grads = one_layer([1.0, 1.0], 0.0), gradients([3.0, -4.0], 2.0)
    new, s = update_parameters_with_rmsprop(parameters, grads, initialize_rmsprop(parameters), 0.1, 0.75, 0.0)
    # s = 0.25 * grad^2 = [2.25, 4], 1; sqrt(s) = 0.5 |grad|, so the step is 0.1 * grad / (0.5 |grad|) = 0.2 sign
    np.testing.assert_allclose(s["dW1"], [[2.25, 4.0]])
    np.testing.assert_allclose(s["db1"], [[1.0]])
    np.testing.assert_allclose(new["W1"], [[0.8, 1.2]])
    np.testing.assert_allclose(new["b1"], [[-0.2]])


def test_rmsprop_step_from_a_nonzero_state():
    parameters, grads = one_layer([1.0], 0.0), gradients([2.0], 1.0)
    s = gradients([4.0], 1.0)
    new, s = update_parameters_with_rmsprop(parameters, grads, s, 0.1, 0.75, 0.0)
    # s = 0.75 * 4 + 0.25 * 2^2 = 4; W = 1 - 0.1 * 2 / sqrt(4) = 0.9; s_db = 0.75 + 0.25 = 1, b = 0 - 0.1 * 1 / 1
    np.testing.assert_allclose(s["dW1"], [[4.0]])
    np.testing.assert_allclose(new["W1"], [[0.9]])
    np.testing.assert_allclose(s["db1"], [[1.0]])
    np.testing.assert_allclose(new["b1"], [[-0.1]])


def test_rmsprop_adds_epsilon_after_the_root():
    parameters, grads = one_layer([0.0], 0.0), gradients([1e-6], 0.0)
    new, _ = update_parameters_with_rmsprop(parameters, grads, initialize_rmsprop(parameters), 0.1, 0.75, 1e-8)
    # s = 0.25e-12, sqrt(s) = 5e-7: 0.1 * 1e-6 / (5e-7 + 1e-8) = 0.1 / 0.51 = 0.19607843...
    # (inside the root it would be 0.1 * 1e-6 / sqrt(1.000025e-8) = 0.00099999...)
    np.testing.assert_allclose(new["W1"], [[-0.1 / 0.51]], rtol=1e-12)


def test_adam_first_step_moves_by_the_learning_rate_against_the_sign():
    grads = {
        key: np.full(shape, value) for (key, shape), value in zip(SHAPES.items(), [0.5, -3.0, 1e-2, -7.0], strict=True)
    }
    new, v, s, v_corrected, s_corrected = update_parameters_with_adam(
        PARAMETERS, grads, *initialize_adam(PARAMETERS), 1
    )
    for name, value in PARAMETERS.items():
        grad = grads["d" + name]
        # t = 1: v = 0.1 g, s = 0.001 g^2; corrected: g and g^2; step = 0.01 g / (|g| + 1e-8) ~ 0.01 sign(g)
        np.testing.assert_allclose(v["d" + name], 0.1 * grad)
        np.testing.assert_allclose(s["d" + name], 0.001 * grad**2)
        np.testing.assert_allclose(v_corrected["d" + name], grad)
        np.testing.assert_allclose(s_corrected["d" + name], grad**2)
        np.testing.assert_allclose(new[name], value - 0.01 * np.sign(grad), rtol=0, atol=1e-7)


def test_adam_second_step_by_hand():
    parameters, grads = one_layer([1.0], 0.0), gradients([2.0], -2.0)
    v, s = gradients([1.0], -1.0), gradients([1.0], 1.0)
    new, v, s, v_corrected, s_corrected = update_parameters_with_adam(parameters, grads, v, s, 2, 0.1, 0.5, 0.75, 0.0)
    # v = 0.5 * 1 + 0.5 * 2 = 1.5;  s = 0.75 * 1 + 0.25 * 4 = 1.75
    # v_corrected = 1.5 / (1 - 0.5^2) = 2;  s_corrected = 1.75 / (1 - 0.75^2) = 1.75 / 0.4375 = 4
    # W = 1 - 0.1 * 2 / sqrt(4) = 0.9; b is the mirror image (v -1.5, s 1.75): 0 + 0.1 * 2 / sqrt(4) = 0.1
    np.testing.assert_allclose(v["dW1"], [[1.5]])
    np.testing.assert_allclose(s["dW1"], [[1.75]])
    np.testing.assert_allclose(v_corrected["dW1"], [[2.0]])
    np.testing.assert_allclose(s_corrected["dW1"], [[4.0]])
    np.testing.assert_allclose(new["W1"], [[0.9]])
    np.testing.assert_allclose(v["db1"], [[-1.5]])
    np.testing.assert_allclose(new["b1"], [[0.1]])


def test_adam_adds_epsilon_after_the_root():
    parameters, grads = one_layer([0.0], 0.0), gradients([1e-6], 0.0)
    new = update_parameters_with_adam(parameters, grads, *initialize_adam(parameters), 1, 0.1, 0.9, 0.999, 1e-8)[0]
    # t = 1: v_corrected = 1e-6, sqrt(s_corrected) = 1e-6: 0.1 * 1e-6 / (1e-6 + 1e-8) = 0.1 / 1.01
    # (inside the root it would be 0.1 * 1e-6 / sqrt(1e-12 + 1e-8) = 0.00099995...)
    np.testing.assert_allclose(new["W1"], [[-0.1 / 1.01]], rtol=1e-12)


@pytest.mark.parametrize(
    ("function", "defaults"),
    [
        (update_parameters_with_rmsprop, {"learning_rate": 0.01, "beta2": 0.999, "epsilon": 1e-8}),
        (update_parameters_with_adam, {"learning_rate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}),
    ],
)
def test_contract_defaults(function, defaults):
    parameters = inspect.signature(function).parameters
    assert {name: parameters[name].default for name in defaults} == defaults
