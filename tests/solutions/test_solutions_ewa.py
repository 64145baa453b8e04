"""solutions.ewa: ewa, ewa_bias_corrected, sma and wma on hand-computed series."""

import numpy as np
import pytest

from solutions.ewa import ewa, ewa_bias_corrected, sma, wma


def test_ewa_by_hand():
    # V1 = 0.5 * 0 + 0.5 * 10 = 5; V2 = 0.5 * 5 + 0.5 * 20 = 12.5; V3 = 0.5 * 12.5 + 0.5 * 30 = 21.25
    np.testing.assert_allclose(ewa([10, 20, 30], 0.5), [5.0, 12.5, 21.25])


def test_ewa_lecture_beta():
    # beta = 0.9: V1 = 0.1 * 40 = 4; V2 = 0.9 * 4 + 0.1 * 50 = 8.6
    np.testing.assert_allclose(ewa([40.0, 50.0], 0.9), [4.0, 8.6])


def test_ewa_bias_corrected_by_hand():
    # the V above divided by 1 - 0.5^t: 5 / 0.5 = 10; 12.5 / 0.75 = 16.666...; 21.25 / 0.875 = 24.2857...
    np.testing.assert_allclose(ewa_bias_corrected([10, 20, 30], 0.5), [10.0, 50 / 3, 170 / 7])


def test_single_value_series():
    # T = 1: V1 = (1 - 0.9) * 4 = 0.4, corrected 0.4 / (1 - 0.9) = 4
    np.testing.assert_allclose(ewa([4.0], 0.9), [0.4])
    np.testing.assert_allclose(ewa_bias_corrected([4.0], 0.9), [4.0])
    np.testing.assert_allclose(sma([4.0], 3), [4.0])
    np.testing.assert_allclose(wma([4.0], 3), [4.0])


def test_beta_zero_returns_the_series():
    np.testing.assert_allclose(ewa([3.0, -1.0, 7.0], 0.0), [3.0, -1.0, 7.0])
    np.testing.assert_allclose(ewa_bias_corrected([3.0, -1.0, 7.0], 0.0), [3.0, -1.0, 7.0])


def test_sma_by_hand():
    # window 3: 1; (1+2)/2; (1+2+3)/3; (2+3+4)/3; (3+4+5)/3
    np.testing.assert_allclose(sma([1, 2, 3, 4, 5], 3), [1.0, 1.5, 2.0, 3.0, 4.0])


def test_sma_window_larger_than_the_series():
    # every entry averages everything so far: 2; (2+4)/2; (2+4+9)/3
    np.testing.assert_allclose(sma([2, 4, 9], 10), [2.0, 3.0, 5.0])


def test_wma_by_hand():
    # window 2: 1; (1*1 + 2*2)/3; (1*2 + 2*3)/3; (1*3 + 2*4)/3
    np.testing.assert_allclose(wma([1, 2, 3, 4], 2), [1.0, 5 / 3, 8 / 3, 11 / 3])


def test_wma_window_larger_than_the_series():
    # 3; (1*3 + 2*6)/3 = 5; (1*3 + 2*6 + 3*9)/6 = 42/6 = 7
    np.testing.assert_allclose(wma([3, 6, 9], 5), [3.0, 5.0, 7.0])


@pytest.mark.parametrize("average", [sma, wma])
def test_window_one_returns_the_series(average):
    np.testing.assert_allclose(average([5.0, -2.0, 8.0], 1), [5.0, -2.0, 8.0])


@pytest.mark.parametrize(
    "call",
    [
        lambda theta: ewa(theta, 0.9),
        lambda theta: ewa_bias_corrected(theta, 0.9),
        lambda theta: sma(theta, 2),
        lambda theta: wma(theta, 2),
    ],
    ids=["ewa", "ewa_bias_corrected", "sma", "wma"],
)
def test_integer_list_gives_a_float64_array_of_shape_t(call):
    result = call([1, 2, 3, 4])
    assert isinstance(result, np.ndarray)
    assert result.dtype == np.float64
    assert result.shape == (4,)
