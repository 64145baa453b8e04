"""The shared figure helpers: no series hidden under another, a labelled tick at or below the lowest cost."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from utils import plotting

matplotlib.use("Agg")


def test_a_cost_curve_on_an_earlier_one_is_dashed_and_says_so():
    costs = np.linspace(0.7, 0.55, 500)
    ax = plotting.plot_costs({"gradient descent": costs, "momentum": costs + 1e-5, "Adam": costs / 5}, "t")
    gd, momentum, adam = ax.get_lines()
    assert gd.get_linestyle() == "-" and adam.get_linestyle() == "-"
    assert momentum.get_linestyle() == "--" and momentum.get_label() == "momentum (dashed: on gradient descent's curve)"
    plt.close(ax.figure)


def test_a_log_cost_axis_has_a_labelled_tick_at_or_below_the_lowest_cost():
    ax = plotting.plot_costs({"run": np.geomspace(0.7, 0.128, 100)}, "t", log=True)
    ax.figure.canvas.draw()
    low, high = ax.get_ylim()
    shown = [(tick, text.get_text()) for tick, text in zip(ax.get_yticks(), ax.get_yticklabels(), strict=True)]
    shown = [(tick, text) for tick, text in shown if low <= tick <= high]
    assert shown[0][0] <= 0.128 and shown[0][1] == "0.1", shown
    plt.close(ax.figure)


def test_a_path_on_an_earlier_one_is_drawn_dashed_over_it_and_says_so():
    along = np.column_stack([np.linspace(1, 0, 40), np.zeros(40)])
    paths = {"gradient descent": along, "momentum": along[::2], "Adam": np.column_stack([along[:, 0], along[:, 0]])}
    ax = plotting.show_trace_2d(lambda x1, x2: x1**2 + x2**2, paths, "t")
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert lines["momentum (19 steps), dashed over gradient descent"].get_linestyle() == "--"
    assert [lines[name].get_linestyle() for name in ("gradient descent (39 steps)", "Adam (39 steps)")] == ["-", "-"]
    plt.close(ax.figure)
