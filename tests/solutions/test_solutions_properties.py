"""Property tests (hypothesis) of the solutions where many inputs have one simple law."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from solutions.ewa import ewa, ewa_bias_corrected, sma, wma
from solutions.minibatch import random_mini_batches
from solutions.schedules import exponential_decay, schedule_lr_decay, sqrt_decay, staircase_decay, update_lr

series = st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=40)
betas = st.floats(0.0, 0.99)
windows = st.integers(1, 50)
epochs = st.floats(0, 1e4)
rates0 = st.floats(1e-4, 10.0)


@given(m=st.integers(1, 300), size=st.integers(1, 320), seed=st.integers(0, 2**32 - 1))
def test_mini_batches_partition_the_columns(m, size, seed):
    X = np.vstack([np.arange(m), -np.arange(m)])
    Y = np.arange(m).reshape(1, m)
    batches = random_mini_batches(X, Y, size, seed)
    sizes = [batch_X.shape[1] for batch_X, _ in batches]
    assert sizes[:-1] == [size] * (len(sizes) - 1)
    assert 0 < sizes[-1] <= size
    columns = np.concatenate([batch_Y[0] for _, batch_Y in batches])
    np.testing.assert_array_equal(np.sort(columns), np.arange(m))  # every column exactly once
    for batch_X, batch_Y in batches:
        np.testing.assert_array_equal(batch_X, np.vstack([batch_Y[0], -batch_Y[0]]))


@given(theta=series, beta=betas)
def test_ewa_is_the_weighted_sum(theta, beta):
    # V_t = (1 - beta) * sum_{k=1..t} beta^(t-k) theta_k
    expected = [
        (1 - beta) * sum(beta ** (t - k) * theta[k - 1] for k in range(1, t + 1)) for t in range(1, len(theta) + 1)
    ]
    np.testing.assert_allclose(ewa(theta, beta), expected, rtol=1e-9, atol=1e-9)


@given(value=st.floats(-1e3, 1e3), length=st.integers(1, 40), beta=betas)
def test_bias_corrected_ewa_of_a_constant_is_the_constant(value, length, beta):
    np.testing.assert_allclose(ewa_bias_corrected([value] * length, beta), value, rtol=1e-9, atol=1e-9)


@given(value=st.floats(-1e3, 1e3), length=st.integers(1, 40), window=windows)
def test_moving_averages_of_a_constant_are_the_constant(value, length, window):
    np.testing.assert_allclose(sma([value] * length, window), value, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(wma([value] * length, window), value, rtol=1e-9, atol=1e-9)


@given(theta=series, window=windows)
def test_moving_averages_stay_within_the_window(theta, window):
    for t in range(len(theta)):
        values = theta[max(0, t - window + 1) : t + 1]
        for average in (sma, wma):
            assert min(values) - 1e-9 <= average(theta, window)[t] <= max(values) + 1e-9


def non_increasing(schedule, first, second):
    earlier, later = sorted((first, second))
    return schedule(later) <= schedule(earlier) * (1 + 1e-12)


@given(lr0=rates0, decay_rate=st.floats(0, 10), first=epochs, second=epochs, interval=st.integers(1, 2000))
def test_inverse_time_schedules_are_non_increasing(lr0, decay_rate, first, second, interval):
    assert non_increasing(lambda epoch: update_lr(lr0, epoch, decay_rate), first, second)
    assert non_increasing(lambda epoch: schedule_lr_decay(lr0, epoch, decay_rate, interval), first, second)


@given(lr0=rates0, factor=st.floats(0.01, 1.0), first=epochs, second=epochs, interval=st.integers(1, 2000))
def test_exponential_and_staircase_schedules_are_non_increasing(lr0, factor, first, second, interval):
    assert non_increasing(lambda epoch: exponential_decay(lr0, epoch, factor), first, second)
    assert non_increasing(lambda epoch: staircase_decay(lr0, epoch, factor, interval), first, second)


@given(lr0=rates0, k=st.floats(0.01, 10), first=st.floats(1, 1e4), second=st.floats(1, 1e4))
def test_sqrt_schedule_is_non_increasing(lr0, k, first, second):
    assert non_increasing(lambda epoch: sqrt_decay(lr0, epoch, k), first, second)
