"""Given code: ungraded sliders that redraw with your functions (notebooks 02-05).

    from utils import sliders
    sliders.valley("momentum")     # or "rmsprop", "adam": sliders for alpha and beta, and the path
    sliders.interactive_output(show, {"beta": beta_slider})   # any drawing function, drawn politely

The valley is ``surfaces.elongated_quadratic`` (f = 0.05 x1^2 + 2 x2^2) from
``surfaces.START``; the path is made by your own update function through
``surfaces.optimizer_path``. beta is momentum's beta, RMSprop's beta2 or
Adam's beta1 (Adam's beta2 stays 0.999; for momentum, beta = 0 is plain
gradient descent). The panel draws once when it is made, then on every
release of a slider, each time with the code on disk (``checks.ondisk``: a
slider's callback runs outside any cell); nothing goes to stderr: an
unimplemented function, or a file that does not import, prints its one
sentence instead of a plot, and an error of your code its short block
(``checks.raised``: your file, line and the inputs).
"""

import matplotlib.pyplot as plt
import numpy as np

from . import plotting, surfaces
from .checks import notebook, raised

NUM_STEPS = 60
# optimizer -> (name of its beta in optimizer_path, alpha slider (min, max, start) as powers of 10, beta start)
SETTINGS = {
    "momentum": ("beta", (-2, 0.5, -0.35), 0.9),
    "rmsprop": ("beta2", (-3, 0, -1.3), 0.9),
    "adam": ("beta1", (-3, 0, -1), 0.9),
}
BETAS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99)
BARELY = 0.025  # a path shorter than this fraction of the view's width hides under the start marker
SYMBOLS = {"beta": "β", "beta1": "β₁", "beta2": "β₂"}  # the lecture's symbol of each optimizer's beta
LOOK_FOR = {
    "momentum": "Look for: raising β damps the zigzag across the valley, until too much β overshoots and swings.",
    "rmsprop": "Look for: RMSprop's steps have about the same size α in both directions, whatever the gradient.",
    "adam": "Look for: Adam's first steps have size α in each coordinate; a higher β₁ swings past the minimum.",
}


def path(optimizer, learning_rate, beta, impl="utils", num_steps=NUM_STEPS):
    """Array (num_steps + 1, 2): the start and every iterate of ``optimizer`` (your code) in the valley."""
    grad = surfaces.elongated_quadratic_grad
    beta_name = SETTINGS[optimizer][0]
    return surfaces.optimizer_path(optimizer, grad, surfaces.START, num_steps, learning_rate, impl, **{beta_name: beta})


def draw(optimizer, learning_rate, beta, impl="utils"):
    """Plot the path (the sliders' callback); returns the axes, or None after printing why it cannot."""
    notebook.refresh()
    try:
        drawn = path(optimizer, learning_rate, beta, impl)
    except Exception as error:
        _say(error)
        return None
    symbol = SYMBOLS[SETTINGS[optimizer][0]]
    label = f"{optimizer}, α = {learning_rate:.3g}, {symbol} = {beta}"
    ax = plotting.show_trace_2d(
        surfaces.elongated_quadratic, {label: drawn}, _title(optimizer, drawn), view=surfaces.VALLEY_VIEW
    )
    ax.plot(0.0, 0.0, "P", color="#000000", markersize=9, label="minimum (0, 0)")
    ax.legend(fontsize=8, loc="upper right")
    ax.set_xlabel("$x_1$ (flat direction, parameter value, no unit)")
    ax.set_ylabel("$x_2$ (steep direction, no unit)")
    plt.show()
    return ax


def _title(optimizer, drawn):
    """The figure's title; it says when the path leaves the fixed view (the plot cuts it off there), and when it
    is too short to be seen (it hides under the start marker)."""
    (x_low, x_high), (y_low, y_high) = surfaces.VALLEY_VIEW
    with np.errstate(invalid="ignore"):
        inside = (drawn[:, 0] >= x_low) & (drawn[:, 0] <= x_high) & (drawn[:, 1] >= y_low) & (drawn[:, 1] <= y_high)
    if inside.all():
        moved = float(np.max(np.hypot(drawn[:, 0] - drawn[0, 0], drawn[:, 1] - drawn[0, 1])))
        if moved < BARELY * (x_high - x_low):
            return f"{optimizer} barely moves in {len(drawn) - 1} steps: α too small (the path is under the start)"
        return f"{optimizer} in the valley"
    largest = float(np.nanmax(np.abs(drawn[:, 1]))) if np.isfinite(drawn).all() else float("inf")
    how = "diverges" if largest > 100 * abs(y_high) else f"|x₂| up to {largest:.2g}"
    return f"{optimizer} leaves the view ({how})"


def valley(optimizer, impl="utils"):
    """The panel: alpha (log scale) and beta sliders, the line saying what to look for, and the plot."""
    import ipywidgets as widgets

    low, high, start = SETTINGS[optimizer][1]
    alpha = widgets.FloatLogSlider(
        value=10**start, base=10, min=low, max=high, step=0.05, description="α", continuous_update=False
    )
    beta = widgets.SelectionSlider(
        options=BETAS,
        value=SETTINGS[optimizer][2],
        description=SYMBOLS[SETTINGS[optimizer][0]],
        continuous_update=False,
    )
    plot = widgets.interactive_output(
        lambda learning_rate, beta: draw(optimizer, learning_rate, beta, impl), {"learning_rate": alpha, "beta": beta}
    )
    return widgets.VBox([widgets.HBox([alpha, beta]), widgets.Label(LOOK_FOR[optimizer]), plot])


def interactive_output(function, controls):
    """``ipywidgets.interactive_output`` of ``function`` with the code on disk, and one sentence if it cannot draw."""
    import ipywidgets as widgets

    def politely(**values):
        notebook.refresh()
        try:
            function(**values)
        except Exception as error:
            _say(error)

    return widgets.interactive_output(politely, controls)


def _say(error):
    """Print why a panel cannot draw: one sentence for an unfinished exercise, the short block for an error
    of your code (``checks.raised``); an error of given code is raised as usual."""
    said = raised.block(error)
    if not isinstance(error, NotImplementedError) and said is None:
        raise error
    plt.close("all")  # no empty axes
    print(f"Nothing to draw yet: {error}" if said is None else said)
