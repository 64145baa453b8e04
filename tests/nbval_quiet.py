"""A pytest plugin for nbval runs in a subprocess (``-p nbval_quiet``): every cell must run quietly.

nbval (with ``--nbval-lax``) compares the outputs of the cells marked ``nbval-check-output`` only. This
plugin reads what every cell it ran printed (nbval keeps it as ``item.test_outputs``) and fails the cell
on either of two things, which would otherwise pass unseen:

* anything written to stderr: nbgrader scores a grade cell 0 on any stderr output, and in a student's
  notebook a warning or a progress bar reads as a fault;
* the repr of what a figure cell's last line returned (``<matplotlib.legend.Legend at 0x...>``).

Running these checks in nbval's own run of the solved workbook spares a second execution of it.
"""

import pytest
from IPython.core.displayhook import DisplayHook

STRAY = " at 0x"  # the default object repr: <matplotlib.legend.Legend at 0x7f...>


def noise(source, outputs):
    """What a cell's outputs show that a quiet cell would not: a list of (kind, first 300 characters).

    nbval runs cells without storing them in IPython's history, so IPython does not see a last line's
    ``;`` and shows the value a student's JupyterLab hides: that value is not counted.
    """
    found = []
    hidden = DisplayHook.semicolon_at_end_of_expression(source)
    for output in outputs or []:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            found.append(("stderr", output.get("text", "")[:300]))
        elif output.get("output_type") != "execute_result" or hidden:
            continue
        elif STRAY in output.get("data", {}).get("text/plain", ""):
            found.append(("stray repr", output["data"]["text/plain"][:300]))
    return found


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    found = noise(item.cell.source, getattr(item, "test_outputs", None)) if hasattr(item, "cell") else []
    if found:
        pytest.fail(f"{item.name} is not quiet: " + "; ".join(f"{kind}: {text!r}" for kind, text in found))
    return result
