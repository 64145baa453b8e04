"""The valley sliders of notebooks 03-05, exercised without a browser: callbacks, redraws, stubs, speed."""

import time

import matplotlib
import matplotlib.pyplot
import numpy as np
import pytest

from utils import sliders, surfaces

matplotlib.use("Agg")

OPTIMIZERS = sorted(sliders.SETTINGS)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_the_callback_draws_the_path_of_the_update_function(optimizer, capsys):
    ax = sliders.draw(optimizer, 0.05, 0.9, impl="solutions")
    drawn = next(line for line in ax.get_lines() if line.get_label().startswith(optimizer))
    expected = sliders.path(optimizer, 0.05, 0.9, impl="solutions")
    assert expected.shape == (sliders.NUM_STEPS + 1, 2)
    np.testing.assert_array_equal(np.column_stack(drawn.get_data()), expected)
    assert capsys.readouterr().err == ""


def test_beta_reaches_the_optimizer_s_own_beta():
    """Momentum's beta = 0 is plain gradient descent: x <- x - alpha * grad(x), here by hand on the valley."""
    x = surfaces.START.copy()
    for _ in range(3):
        x = x - 0.1 * surfaces.elongated_quadratic_grad(x)
    np.testing.assert_allclose(sliders.path("momentum", 0.1, 0.0, "solutions", num_steps=3)[-1], x)
    assert not np.allclose(sliders.path("momentum", 0.1, 0.9, "solutions", num_steps=3)[-1], x)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_with_the_stub_the_callback_prints_one_sentence(optimizer, capsys):
    assert sliders.draw(optimizer, 0.05, 0.9) is None  # utils/ holds the untouched stubs
    out = capsys.readouterr()
    assert out.out.startswith("Nothing to draw yet: ") and "is not implemented yet" in out.out
    assert out.out.count("\n") == 1 and out.err == ""


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_moving_a_slider_redraws_with_its_values(optimizer, monkeypatch):
    calls = []
    monkeypatch.setattr(sliders, "draw", lambda *args: calls.append(args))
    start = time.perf_counter()
    panel = sliders.valley(optimizer, impl="solutions")
    assert time.perf_counter() - start < 1.0
    (alpha, beta), label, _ = panel.children[0].children, panel.children[1], panel.children[2]
    assert label.value == sliders.LOOK_FOR[optimizer]
    alpha.value = 0.01
    beta.value = 0.5
    assert calls[-2:] == [
        (optimizer, 0.01, sliders.SETTINGS[optimizer][2], "solutions"),
        (optimizer, 0.01, 0.5, "solutions"),
    ]


def test_the_first_draw_is_fast():
    start = time.perf_counter()
    sliders.draw("adam", 0.1, 0.9, impl="solutions")
    assert time.perf_counter() - start < 1.0


@pytest.mark.slow
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_the_view_is_fixed_by_the_surface_and_holds_start_and_minimum_at_every_extreme(optimizer):
    """The valley's view does not follow the path: the minimum (0, 0) and the start stay in it, a path that
    leaves it is said in the title, and the beta slider is named with the optimizer's own symbol."""
    (x_low, x_high), (y_low, y_high) = surfaces.VALLEY_VIEW
    assert x_low < surfaces.START[0] < 0 < x_high and y_low < 0 < surfaces.START[1] < y_high
    low, high, _ = sliders.SETTINGS[optimizer][1]
    for alpha in (10**low, 10**high):
        for beta in (sliders.BETAS[0], sliders.BETAS[-1]):
            with np.errstate(all="ignore"):
                ax = sliders.draw(optimizer, alpha, beta, impl="solutions")
                drawn = sliders.path(optimizer, alpha, beta, impl="solutions")
            assert (ax.get_xlim(), ax.get_ylim()) == surfaces.VALLEY_VIEW
            inside = np.all((np.abs(drawn) <= [x_high, y_high]) & np.isfinite(drawn))
            assert ("leaves the view" in ax.get_title()) == (not inside), ax.get_title()
            assert ax.get_xlabel().endswith("no unit)") and ax.get_ylabel().endswith("no unit)")
            labels = [line.get_label() for line in ax.get_lines()]
            assert "minimum (0, 0)" in labels and "start" in labels
            matplotlib.pyplot.close(ax.figure)
    symbol = {"momentum": "β", "rmsprop": "β₂", "adam": "β₁"}[optimizer]
    assert sliders.valley(optimizer, impl="solutions").children[0].children[1].description == symbol


@pytest.mark.parametrize(
    ("optimizer", "alpha", "hidden"),
    [("adam", 0.001, True), ("rmsprop", 0.001, True), ("rmsprop", 0.01, False), ("momentum", 0.01, False)],
)
def test_a_path_too_short_to_see_says_so_in_the_title(optimizer, alpha, hidden):
    """At the smallest α, RMSprop's and Adam's 60 steps move 0.08-0.2 (hand check: about 60 α along x₁), less
    than the start marker covers in a view 20 wide; the title says so instead of "in the valley"."""
    ax = sliders.draw(optimizer, alpha, 0.9, impl="solutions")
    try:
        assert ("barely moves in 60 steps" in ax.get_title()) == hidden, ax.get_title()
        assert ("in the valley" in ax.get_title()) == (not hidden)
    finally:
        matplotlib.pyplot.close(ax.figure)
