"""Given code: one plotting style and the small figure helpers every notebook shares.

Figures carry their own opaque light background and a colour-blind-safe
palette (Okabe-Ito), so they read the same in JupyterLab's light and dark
themes. Axis limits always come from the data.
"""

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from . import network

# Okabe & Ito (2008), distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

STYLE = {
    "figure.figsize": (7.0, 4.2),
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#111111",
    "text.color": "#111111",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "legend.fontsize": 9,
    "legend.framealpha": 0.9,
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "figure.constrained_layout.use": True,
}


def use_style():
    """Apply the workbook style to every later figure (call once in the setup cell)."""
    mpl.rcParams.update(STYLE)


def subplots(nrows=1, ncols=1, **kwargs):
    """plt.subplots with the workbook style applied and a width that grows with ncols."""
    use_style()
    kwargs.setdefault("figsize", (min(4.6 * ncols, 14), 3.8 * nrows))
    return plt.subplots(nrows, ncols, **kwargs)


def label(ax, title, xlabel, ylabel):
    """Set a takeaway title and unit-bearing axis labels in one call."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def plot_costs(histories, title, ax=None, every=1, log=False):
    """Cost per epoch of several runs: histories maps a label to a list of costs.

    A curve that lies on an earlier one (``coincides_with``) is drawn dashed over it, and its label says so,
    so no run hides under another.
    """
    if ax is None:
        _, ax = subplots()
    drawn = {}
    for name, costs in histories.items():
        epochs = np.arange(0, len(costs), every)
        values = np.asarray(costs, dtype=float)[::every]
        under = coincides_with(values, drawn)
        style = {"linestyle": (0, (4, 3)), "linewidth": 2.0} if under else {"linewidth": 1.4}
        ax.plot(epochs, values, label=f"{name} (dashed: on {under}'s curve)" if under else name, **style)
        drawn[name] = values
    if log:
        low = min(float(np.min(values)) for values in drawn.values())
        decade = 10 ** np.floor(np.log10(low))
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(mpl.ticker.LogLocator(subs=(1.0, 2.0, 3.0, 5.0)))
        ax.yaxis.set_major_formatter(mpl.ticker.FormatStrFormatter("%g"))
        ax.yaxis.set_minor_formatter(mpl.ticker.NullFormatter())
        ax.set_ylim(bottom=np.floor(low / decade) * decade)  # a labelled tick at or below the lowest cost
    label(ax, title, "epoch", "cost (mean cross-entropy, nats)")
    ax.legend()
    return ax


def coincides_with(values, drawn, fraction=0.005):
    """The name of the first curve in ``drawn`` (name -> values) that ``values`` lies on, or None.

    Lies on: same length, and every point within ``fraction`` of the plotted range of both.
    """
    for name, other in drawn.items():
        if other.shape == values.shape:
            span = max(np.ptp(np.concatenate([other, values])), np.finfo(float).tiny)
            if np.max(np.abs(other - values)) <= fraction * span:
                return name
    return None


def padded_limits(values, pad=0.1):
    """(low, high) around the data with a margin of ``pad`` times its range."""
    low, high = float(np.min(values)), float(np.max(values))
    margin = pad * (high - low) if high > low else 1.0
    return low - margin, high + margin


def plot_decision_boundary(parameters, X, Y, title, ax=None, resolution=300):
    """Predicted class regions of the network over the plane, with the points of (X, Y)."""
    if ax is None:
        _, ax = subplots()
    x_low, x_high = padded_limits(X[0])
    y_low, y_high = padded_limits(X[1])
    xx, yy = np.meshgrid(np.linspace(x_low, x_high, resolution), np.linspace(y_low, y_high, resolution))
    grid = np.vstack([xx.ravel(), yy.ravel()])
    regions = network.predict(grid, parameters).reshape(xx.shape)
    ax.contourf(xx, yy, regions, levels=[-0.5, 0.5, 1.5], colors=[PALETTE[5], PALETTE[4]], alpha=0.35)
    for cls, marker in ((0, "o"), (1, "^")):
        mask = Y[0] == cls
        ax.scatter(X[0, mask], X[1, mask], s=14, marker=marker, color=PALETTE[cls], label=f"class {cls}")
    label(ax, title, "$x_1$ (feature 1, no unit)", "$x_2$ (feature 2, no unit)")
    ax.legend(loc="lower right")
    return ax


def show_trace_2d(f, paths, title, ax=None, levels=30, pad=0.15, view=None):
    """Contours of f(x1, x2) with optimisation paths (label -> array (steps, 2)) on top.

    The view spans every path plus a margin, so nothing is cut off, unless ``view``
    ((x1 low, x1 high), (x2 low, x2 high)) fixes it (a slider's figure keeps one view).
    """
    if ax is None:
        _, ax = subplots()
    points = np.vstack([np.asarray(path) for path in paths.values()])
    (x_low, x_high), (y_low, y_high) = view or (padded_limits(points[:, 0], pad), padded_limits(points[:, 1], pad))
    x1, x2 = np.meshgrid(np.linspace(x_low, x_high, 200), np.linspace(y_low, y_high, 200))
    ax.contour(x1, x2, f(x1, x2), levels=levels, colors="#999999", linewidths=0.6)
    span = np.hypot(x_high - x_low, y_high - y_low)
    drawn = []
    for name, path in paths.items():
        path = np.asarray(path)
        steps = len(path) - 1
        label_text = f"{name} ({steps} step{'s' if steps != 1 else ''})"
        on = [other for other, earlier in drawn if _runs_on(path[1:], earlier, 0.01 * span)]
        if on:  # a path on an earlier one (the shared start aside): dashed and thin over it, so both show
            label_text += f", dashed over {on[0]}"
            ax.plot(path[:, 0], path[:, 1], "--o", markersize=1.5, linewidth=1.0, label=label_text)
        else:
            ax.plot(path[:, 0], path[:, 1], "-o", markersize=3.5, linewidth=2.2, label=label_text)
        drawn.append((name, path))
    ax.plot(*np.asarray(next(iter(paths.values())))[0], "k*", markersize=10, label="start")
    if view:
        ax.set_xlim(x_low, x_high)
        ax.set_ylim(y_low, y_high)
    label(ax, title, "$x_1$", "$x_2$")
    ax.legend(fontsize=8)
    return ax


def _runs_on(path, earlier, distance, share=0.2):
    """True if at least ``share`` of the points of ``path`` lie within ``distance`` of a point of ``earlier``."""
    if len(path) == 0:
        return False
    gaps = np.min(np.hypot(*(path[:, None, :] - earlier[None, :, :]).transpose(2, 0, 1)), axis=1)
    return np.mean(gaps <= distance) >= share
