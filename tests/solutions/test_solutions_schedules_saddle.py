"""solutions.schedules (learning-rate decay) and solutions.saddle (critical points, 2-D gradient descent)."""

import numpy as np
import pytest

from solutions.saddle import classify_critical_point, gradient_descent_2d
from solutions.schedules import exponential_decay, schedule_lr_decay, sqrt_decay, staircase_decay, update_lr


def test_contract_known_values():
    assert update_lr(0.5, 2, 1) == pytest.approx(0.16667, abs=5e-6)  # 0.5 / (1 + 2)
    assert schedule_lr_decay(0.5, 100, 1, 100) == pytest.approx(0.25)  # 0.5 / (1 + floor(100 / 100))
    assert schedule_lr_decay(0.3, 1000, 0.25, 100) == pytest.approx(0.085714, abs=5e-7)  # 0.3 / (1 + 0.25 * 10)


def test_lecture_table():
    # alpha0 = 0.2, decay_rate = 1: 0.2 / 2, 0.2 / 3, 0.2 / 4, 0.2 / 5
    rates = [update_lr(0.2, epoch, 1) for epoch in (1, 2, 3, 4)]
    assert rates == pytest.approx([0.1, 0.0667, 0.05, 0.04], abs=5e-5)


def test_schedule_lr_decay_drops_once_per_interval():
    # floor(999 / 1000) = 0, floor(1000 / 1000) = 1, floor(2999 / 1000) = 2
    assert schedule_lr_decay(0.1, 999, 1) == pytest.approx(0.1)
    assert schedule_lr_decay(0.1, 1000, 1) == pytest.approx(0.05)
    assert schedule_lr_decay(0.1, 2999, 1) == pytest.approx(0.1 / 3)


def test_exponential_decay():
    assert exponential_decay(0.2, 2, 0.5) == pytest.approx(0.05)  # 0.5^2 * 0.2
    assert exponential_decay(1.0, 1) == pytest.approx(0.95)  # default rate 0.95
    assert exponential_decay(0.1, 0, 0.5) == pytest.approx(0.1)


def test_sqrt_decay():
    assert sqrt_decay(0.2, 4, 1) == pytest.approx(0.1)  # 1 / sqrt(4) * 0.2
    assert sqrt_decay(0.2, 1, 0.5) == pytest.approx(0.1)  # 0.5 / sqrt(1) * 0.2
    assert sqrt_decay(0.3, 9, 2) == pytest.approx(0.2)  # 2 / 3 * 0.3


@pytest.mark.parametrize("epoch", [0, 0.5, -1])
def test_sqrt_decay_needs_epoch_at_least_one(epoch):
    with pytest.raises(ValueError, match="epoch_num"):
        sqrt_decay(0.2, epoch, 1)


def test_staircase_decay():
    assert staircase_decay(0.4, 999) == pytest.approx(0.4)  # default: drop 0.5 every 1000 epochs
    assert staircase_decay(0.4, 2500) == pytest.approx(0.1)  # 0.4 * 0.5^2
    assert staircase_decay(0.9, 30, 1 / 3, 10) == pytest.approx(0.9 / 27)  # 0.9 * (1/3)^3


SCHEDULES = [
    lambda epoch: update_lr(0.1, epoch, 1),
    lambda epoch: schedule_lr_decay(0.1, epoch, 1, 10),
    lambda epoch: exponential_decay(0.1, epoch, 0.9),
    lambda epoch: sqrt_decay(0.1, epoch, 1),
    lambda epoch: staircase_decay(0.1, epoch, 0.5, 10),
]
SCHEDULE_NAMES = ["update_lr", "schedule_lr_decay", "exponential_decay", "sqrt_decay", "staircase_decay"]


@pytest.mark.parametrize("schedule", SCHEDULES, ids=SCHEDULE_NAMES)
@pytest.mark.parametrize("epoch", [-1, -0.5, -1000])
def test_negative_epoch_raises(schedule, epoch):
    with pytest.raises(ValueError):
        schedule(epoch)


@pytest.mark.parametrize("schedule", SCHEDULES, ids=SCHEDULE_NAMES)
def test_returns_a_float(schedule):
    assert isinstance(schedule(20), float)


@pytest.mark.parametrize("schedule", SCHEDULES[:3] + SCHEDULES[4:], ids=SCHEDULE_NAMES[:3] + SCHEDULE_NAMES[4:])
def test_epoch_zero_runs_at_the_initial_rate(schedule):
    assert schedule(0) == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("hessian", "kind"),
    [
        (np.diag([2.0, 3.0]), "minimum"),
        (np.diag([-1.0, -2.0]), "maximum"),
        (np.diag([1.0, -1.0]), "saddle"),
        ([[0.0, 1.0], [1.0, 0.0]], "saddle"),  # f = xy: eigenvalues +1 and -1, zero diagonal
        ([[2.0, 1.0], [1.0, 2.0]], "minimum"),  # eigenvalues 1 and 3
        ([[1.0, 2.0], [2.0, 1.0]], "saddle"),  # eigenvalues 3 and -1 despite a positive diagonal
        ([[1.0, 1.0], [1.0, 1.0]], "degenerate"),  # eigenvalues 0 and 2
        (np.diag([1.0, 0.0]), "degenerate"),
        (np.diag([-1.0, 0.0]), "degenerate"),
        (np.zeros((2, 2)), "degenerate"),  # e.g. the monkey saddle x^3 - 3xy^2 at the origin
        (np.diag([1.0, 0.0, -1.0]), "saddle"),  # a zero eigenvalue does not hide opposite curvatures
        ([[4.0]], "minimum"),
        (np.diag([1.0, 1e-9]), "degenerate"),  # |1e-9| <= tol = 1e-8 counts as zero
        (np.diag([1.0, 1e-6]), "minimum"),
    ],
)
def test_classify_critical_point(hessian, kind):
    assert classify_critical_point(hessian) == kind


def test_classify_critical_point_tolerance():
    assert classify_critical_point(np.diag([1.0, 1e-3]), tol=1e-2) == "degenerate"
    assert classify_critical_point(np.diag([1.0, -1e-3]), tol=1e-2) == "degenerate"
    assert classify_critical_point(np.diag([1.0, -1e-3]), tol=1e-4) == "saddle"


def test_gradient_descent_2d_by_hand():
    # f = x^2 + 10 y^2, grad = (2x, 20y), alpha = 0.1: x <- 0.8 x, y <- -y
    path = gradient_descent_2d(lambda p: np.array([2 * p[0], 20 * p[1]]), (1.0, 1.0), 0.1, 2)
    assert path.dtype == np.float64
    np.testing.assert_allclose(path, [[1.0, 1.0], [0.8, -1.0], [0.64, 1.0]])


def test_gradient_descent_2d_zero_steps_returns_the_start():
    np.testing.assert_array_equal(gradient_descent_2d(lambda p: p, [3, -4], 0.1, 0), [[3.0, -4.0]])


def test_gradient_descent_2d_accepts_a_list_gradient():
    path = gradient_descent_2d(lambda p: [1.0, -2.0], [0.0, 0.0], 0.5, 1)
    np.testing.assert_allclose(path, [[0.0, 0.0], [-0.5, 1.0]])


def test_gradient_descent_2d_at_a_saddle():
    # f = x^2 - y^2, grad = (2x, -2y), alpha = 0.1: x <- 0.8 x (attracted), y <- 1.2 y (repelled)
    def grad(p):
        return np.array([2 * p[0], -2 * p[1]])

    on_ridge = gradient_descent_2d(grad, [1.0, 0.0], 0.1, 10)
    np.testing.assert_allclose(on_ridge[-1], [0.8**10, 0.0])  # stuck on the way to the saddle
    nudged = gradient_descent_2d(grad, [1.0, 1e-3], 0.1, 10)
    np.testing.assert_allclose(nudged[-1], [0.8**10, 1e-3 * 1.2**10])
