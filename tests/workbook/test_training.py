"""utils.training.train (validation, printing, schedules, Adam's t) and utils.network's gradients and init."""

import warnings

import numpy as np
import pytest

import solutions.adam
import solutions.minibatch
from solutions.schedules import update_lr
from utils import network
from utils.data import load_moons
from utils.training import TrainingDivergedError, train


@pytest.fixture(scope="module")
def moons():
    return load_moons()


def quick(X, Y, **options):
    """A few epochs of the reference implementation, silent."""
    return train(X, Y, **{"num_epochs": 3, "impl": "solutions", "print_every": 0, **options})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"X": np.zeros(300)}, r"X must be a 2-D array of shape \(n_x, m\)"),
        ({"Y": np.zeros(300)}, r"Y must be an array of shape \(1, m\)"),
        ({"Y": np.zeros((2, 300))}, r"Y must be an array of shape \(1, m\)"),
        ({"Y": np.zeros((1, 299))}, "X has m = 300 columns but Y has 299"),
        ({"optimizer": "sgd"}, "unknown optimizer 'sgd'; choose one of gd, momentum, rmsprop, adam"),
        ({"decay": "cosine"}, "unknown schedule 'cosine'"),
        ({"learning_rate": 0}, "learning_rate must be a positive number, got 0"),
        ({"learning_rate": -0.1}, "learning_rate must be a positive number, got -0.1"),
        ({"mini_batch_size": 0}, "mini_batch_size must be a positive integer, got 0"),
        ({"mini_batch_size": 2.5}, "mini_batch_size must be a positive integer, got 2.5"),
        ({"num_epochs": 0}, "num_epochs must be a positive integer, got 0"),
        ({"layers_dims": [3, 5, 1]}, r"layers_dims must run from n_x = 2 to 1 output unit; got \[3, 5, 1\]"),
        ({"layers_dims": [2, 5, 2]}, "layers_dims must run from n_x = 2 to 1 output unit"),
        ({"layers_dims": [2, 0, 1]}, "every layer size must be a positive integer, got 0"),
    ],
    ids=[
        "X-1d",
        "Y-1d",
        "Y-two-rows",
        "m-mismatch",
        "optimizer",
        "schedule",
        "learning-rate-0",
        "learning-rate-negative",
        "batch-size-0",
        "batch-size-2.5",
        "epochs-0",
        "layers-input",
        "layers-output",
        "layers-empty",
    ],
)
def test_bad_arguments_raise_a_clear_value_error(moons, change, message):
    arguments = {"X": moons[0], "Y": moons[1], **change}
    with pytest.raises(ValueError, match=message):
        quick(arguments.pop("X"), arguments.pop("Y"), **arguments)


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
def test_huge_learning_rate_raises_training_diverged(moons, optimizer):
    # 1e308 overflows the parameters to inf in the first epoch (smaller huge rates only kill the ReLUs)
    with pytest.raises(TrainingDivergedError, match="in epoch 0 .*try a smaller learning rate"):
        quick(*moons, optimizer=optimizer, learning_rate=1e308)


def test_print_every_zero_is_silent(moons, capsys):
    quick(*moons, num_epochs=4)
    assert capsys.readouterr() == ("", "")


def test_print_every_k_prints_every_k_epochs_to_stdout(moons, capsys):
    result = quick(*moons, num_epochs=5, print_every=2)
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert [line.split(":")[0] for line in lines] == [f"Cost after epoch {epoch}" for epoch in (0, 2, 4)]
    assert lines[1] == f"Cost after epoch 2: {result.costs[2]:.6f}"


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "rmsprop", "adam"])
@pytest.mark.parametrize(
    "decay", [None, "update_lr", "schedule_lr_decay", "exponential_decay", "sqrt_decay", "staircase_decay"]
)
def test_no_warnings_and_one_cost_and_rate_per_epoch(moons, optimizer, decay):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = quick(*moons, optimizer=optimizer, decay=decay, num_epochs=4)
    assert len(result.costs) == len(result.learning_rates) == 4
    assert all(np.isfinite(result.costs))
    assert list(result.parameters) == ["W1", "b1", "W2", "b2", "W3", "b3"]


def test_schedule_runs_epoch_zero_at_the_initial_rate(moons):
    result = quick(*moons, learning_rate=0.1, decay="update_lr", decay_rate=1, num_epochs=4)
    # epoch 0 at lr0; after epoch i the rate is 0.1 / (1 + i): epochs 1, 2, 3 run at 0.1 / 1, 0.1 / 2, 0.1 / 3
    assert result.learning_rates == pytest.approx([0.1, 0.1, 0.05, 0.1 / 3])


def test_sqrt_decay_gets_the_number_of_epochs_done(moons):
    result = quick(*moons, learning_rate=0.1, decay="sqrt_decay", decay_rate=1, num_epochs=4)
    # after epoch i the rate is 1 / sqrt(i + 1) * 0.1
    assert result.learning_rates == pytest.approx([0.1, 0.1, 0.1 / np.sqrt(2), 0.1 / np.sqrt(3)])


def test_default_decay_rates(moons):
    assert quick(*moons, learning_rate=0.1, decay="exponential_decay").learning_rates == pytest.approx(
        [0.1, 0.1, 0.095]  # 0.95^0 * 0.1, 0.95^1 * 0.1
    )
    assert quick(*moons, learning_rate=0.1, decay="staircase_decay").learning_rates == pytest.approx([0.1] * 3)


def test_callable_schedule_gets_lr0_the_epoch_and_the_rate(moons):
    calls = []

    def schedule(learning_rate0, epoch_num, decay_rate):
        calls.append((learning_rate0, epoch_num, decay_rate))
        return update_lr(learning_rate0, epoch_num, decay_rate)

    result = quick(*moons, learning_rate=0.2, decay=schedule, decay_rate=0.5)
    assert calls == [(0.2, 0, 0.5), (0.2, 1, 0.5), (0.2, 2, 0.5)]
    assert result.learning_rates == pytest.approx([0.2, 0.2, 0.2 / 1.5])


def test_epoch_i_shuffles_with_seed_11_plus_i(moons, monkeypatch):
    seeds = []
    original = solutions.minibatch.random_mini_batches

    def recording(X, Y, mini_batch_size, seed):
        seeds.append((mini_batch_size, seed))
        return original(X, Y, mini_batch_size, seed)

    monkeypatch.setattr(solutions.minibatch, "random_mini_batches", recording)
    quick(*moons)
    assert seeds == [(64, 11), (64, 12), (64, 13)]


def test_adam_counts_updates_from_one(moons, monkeypatch):
    calls = []
    original = solutions.adam.update_parameters_with_adam

    def recording(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon):
        calls.append((t, learning_rate, beta1, beta2, epsilon))
        return original(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon)

    monkeypatch.setattr(solutions.adam, "update_parameters_with_adam", recording)
    quick(*moons, optimizer="adam", learning_rate=0.01, beta1=0.8, beta2=0.99, epsilon=1e-7, num_epochs=2)
    # 300 examples in batches of 64: 5 updates per epoch, t = 1..10
    assert [call[0] for call in calls] == list(range(1, 11))
    assert {call[1:] for call in calls} == {(0.01, 0.8, 0.99, 1e-7)}


def test_utils_stubs_raise_not_implemented(moons):
    with pytest.raises(
        NotImplementedError, match=r"random_mini_batches\(\) is not implemented yet.*utils/minibatch.py"
    ):
        train(*moons, optimizer="gd", num_epochs=1, print_every=0)


def test_backward_matches_finite_differences():
    rng = np.random.RandomState(0)
    X, Y = rng.randn(3, 7), (rng.rand(1, 7) > 0.5).astype(float)
    parameters = network.initialize_parameters_he([3, 4, 2, 1], seed=1)
    parameters = {name: value + 0.1 * rng.randn(*value.shape) for name, value in parameters.items()}

    def mean_cost(params):
        return network.compute_cost(network.forward(X, params)[1], Y) / X.shape[1]

    AL, cache = network.forward(X, parameters)
    grads = network.backward(Y, parameters, AL, cache)
    step = 1e-6
    for name, value in parameters.items():
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            shifted = {key: array.copy() for key, array in parameters.items()}
            shifted[name][index] += step
            plus = mean_cost(shifted)
            shifted[name][index] -= 2 * step
            numeric[index] = (plus - mean_cost(shifted)) / (2 * step)
        np.testing.assert_allclose(grads["d" + name], numeric, rtol=1e-5, atol=1e-8, err_msg=name)


def test_compute_cost_is_the_summed_cross_entropy():
    # Z = [0, ln 3]: a = [1/2, 3/4]; Y = [1, 0]: -ln(1/2) - ln(1 - 3/4) = ln 2 + ln 4 = ln 8
    cache = ([], np.array([[0.0, np.log(3.0)]]))
    assert network.compute_cost(cache, np.array([[1, 0]])) == pytest.approx(np.log(8.0))


def test_initialize_parameters_he_matches_the_contract_formula():
    parameters = network.initialize_parameters_he([2, 5, 2, 1])
    rng = np.random.RandomState(3)  # W = randn(n_l, n_{l-1}) * sqrt(2 / n_{l-1}), layer by layer, biases zero
    expected = {
        "W1": rng.randn(5, 2) * np.sqrt(2 / 2),
        "b1": np.zeros((5, 1)),
        "W2": rng.randn(2, 5) * np.sqrt(2 / 5),
        "b2": np.zeros((2, 1)),
        "W3": rng.randn(1, 2) * np.sqrt(2 / 2),
        "b3": np.zeros((1, 1)),
    }
    assert list(parameters) == list(expected)
    for name, value in expected.items():
        np.testing.assert_array_equal(parameters[name], value)
