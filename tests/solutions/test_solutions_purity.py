"""No solution modifies its inputs or touches numpy's global random state (nor does train())."""

import copy

import numpy as np
import pytest

import solutions.adam
import solutions.ewa
import solutions.gd
import solutions.minibatch
import solutions.momentum
import solutions.rmsprop
import solutions.saddle
import solutions.schedules
from optgrade.exercises import EXERCISES
from utils.data import load_moons
from utils.training import train

PARAMETERS = {
    "W1": np.array([[1.0, -2.0], [0.5, 0.25]]),
    "b1": np.array([[0.1], [-0.2]]),
    "W2": np.array([[1.5, -0.5]]),
    "b2": np.array([[0.3]]),
}
GRADS = {"d" + name: np.full_like(value, 0.7) for name, value in PARAMETERS.items()}
STATE = {key: np.full_like(value, 0.2) for key, value in GRADS.items()}
THETA = np.array([3.0, 1.0, 4.0, 1.0, 5.0])
X = np.arange(14.0).reshape(2, 7)
Y = np.array([[0, 1, 0, 1, 1, 0, 1]])

# function name -> (function, positional arguments)
CALLS = {
    "random_mini_batches": (solutions.minibatch.random_mini_batches, (X, Y, 3, 5)),
    "update_parameters_with_gd": (solutions.gd.update_parameters_with_gd, (PARAMETERS, GRADS, 0.1)),
    "ewa": (solutions.ewa.ewa, (THETA, 0.9)),
    "ewa_bias_corrected": (solutions.ewa.ewa_bias_corrected, (THETA, 0.9)),
    "sma": (solutions.ewa.sma, (THETA, 2)),
    "wma": (solutions.ewa.wma, (THETA, 2)),
    "initialize_velocity": (solutions.momentum.initialize_velocity, (PARAMETERS,)),
    "update_parameters_with_momentum": (
        solutions.momentum.update_parameters_with_momentum,
        (PARAMETERS, GRADS, STATE, 0.9, 0.1),
    ),
    "initialize_rmsprop": (solutions.rmsprop.initialize_rmsprop, (PARAMETERS,)),
    "update_parameters_with_rmsprop": (
        solutions.rmsprop.update_parameters_with_rmsprop,
        (PARAMETERS, GRADS, STATE, 0.1, 0.9, 1e-8),
    ),
    "initialize_adam": (solutions.adam.initialize_adam, (PARAMETERS,)),
    "update_parameters_with_adam": (
        solutions.adam.update_parameters_with_adam,
        (PARAMETERS, GRADS, STATE, {key: value * 2 for key, value in STATE.items()}, 3),
    ),
    "update_lr": (solutions.schedules.update_lr, (0.1, 5, 1)),
    "schedule_lr_decay": (solutions.schedules.schedule_lr_decay, (0.1, 5, 1, 2)),
    "exponential_decay": (solutions.schedules.exponential_decay, (0.1, 5, 0.9)),
    "sqrt_decay": (solutions.schedules.sqrt_decay, (0.1, 5, 1)),
    "staircase_decay": (solutions.schedules.staircase_decay, (0.1, 5, 0.5, 2)),
    "classify_critical_point": (solutions.saddle.classify_critical_point, (np.array([[1.0, 2.0], [2.0, 1.0]]),)),
    "gradient_descent_2d": (solutions.saddle.gradient_descent_2d, (lambda p: 2 * p, np.array([1.0, -1.0]), 0.1, 3)),
}


def assert_same(got, expected):
    """Deep equality of nested dicts/tuples/lists of arrays and plain values."""
    assert type(got) is type(expected)
    if isinstance(expected, dict):
        assert list(got) == list(expected)
        for key in expected:
            assert_same(got[key], expected[key])
    elif isinstance(expected, (tuple, list)):
        assert len(got) == len(expected)
        for item, expected_item in zip(got, expected, strict=True):
            assert_same(item, expected_item)
    elif isinstance(expected, np.ndarray):
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)
    elif not callable(expected):
        assert got == expected


def assert_global_rng_untouched(before):
    after = np.random.get_state()
    assert after[0] == before[0]
    np.testing.assert_array_equal(after[1], before[1])
    assert after[2:] == before[2:]


def test_every_contract_function_is_covered():
    assert set(CALLS) == {name for _, functions in EXERCISES.values() for name in functions}


@pytest.mark.parametrize("name", CALLS)
def test_inputs_are_not_modified(name):
    function, arguments = CALLS[name]
    originals = copy.deepcopy(arguments)
    function(*arguments)
    assert_same(arguments, originals)


@pytest.mark.parametrize("name", CALLS)
def test_global_random_state_is_untouched(name):
    function, arguments = CALLS[name]
    before = np.random.get_state()
    function(*arguments)
    assert_global_rng_untouched(before)


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "rmsprop", "adam"])
def test_train_leaves_its_data_and_the_global_random_state_alone(optimizer):
    X, Y = load_moons(60)
    originals = copy.deepcopy((X, Y))
    before = np.random.get_state()
    train(X, Y, optimizer=optimizer, num_epochs=3, decay="update_lr", impl="solutions", print_every=0)
    assert_global_rng_untouched(before)
    assert_same((X, Y), originals)
