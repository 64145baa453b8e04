"""Student code that raises: one short block naming the student's file, line, function and the call's inputs.

The notebook extension prints it instead of a traceback and the cell after it still runs, a visible check
counts it as a FAIL, a slider prints it instead of its plot; an error of given code keeps its traceback.
And the extension itself stays quiet on a second Run All (no "already loaded" line).
"""

import notebook_shell

from optgrade.exercises import ROOT
from optgrade.stubs import solved_source

shell, _cell = notebook_shell.shell, notebook_shell.cell  # the fixture, and one cell run in it

SHUFFLE_ROWS = ("X[:, permutation]", "X[permutation, :]")  # an IndexError as soon as m > n_x


def _solved(module):
    """The reference solution of utils/<module>.py as a student would write it."""
    return solved_source((ROOT / "solutions" / f"{module}.py").read_text())


def _no_numpy(source):
    """The solved schedules written with np.floor / np.sqrt but without importing numpy: a NameError."""
    return source.replace("import math\n", "").replace("math.", "np.")


def test_a_check_of_code_that_raises_is_one_fail_naming_the_students_line_and_the_inputs(shell, capsys):
    ipython, utils = shell
    (utils / "minibatch.py").write_text(_solved("minibatch").replace(*SHUFFLE_ROWS))
    ok, out = _cell(ipython, capsys, "check(random_mini_batches)")
    lines = out.splitlines()
    assert ok and "Traceback" not in out and "utils/checks" not in out, out
    assert "[FAIL] random_mini_batches raised IndexError: index " in lines[1], out
    line = next(
        n
        for n, text in enumerate((utils / "minibatch.py").read_text().splitlines(), 1)
        if "shuffled_X = X[permutation, :]" in text
    )
    assert f"utils/minibatch.py, line {line}, in random_mini_batches:  shuffled_X = X[permutation, :]" in lines[2], out
    assert lines[3].strip() == "inputs: X array of shape (2, 5), Y array of shape (1, 5), mini_batch_size=2, seed=2"
    assert len(lines) == 5, out


def test_a_given_cell_calling_code_that_raises_prints_the_block_and_the_cells_after_it_one_line(shell, capsys):
    ipython, utils = shell
    (utils / "schedules.py").write_text(_no_numpy(_solved("schedules")))
    ipython.run_cell("from utils.schedules import schedule_lr_decay")
    ok, out = _cell(ipython, capsys, "rates = [schedule_lr_decay(0.1, epoch, 1, 10) for epoch in range(3)]")
    assert ok and "Traceback" not in out, out
    assert out.startswith(
        "schedule_lr_decay raised NameError: name 'np' is not defined\n  utils/schedules.py, line "
    ), out
    assert out.splitlines()[2] == "  inputs: learning_rate0=0.1, epoch_num=0, decay_rate=1, time_interval=10", out
    ok, out = _cell(ipython, capsys, "print(rates)")
    assert ok and out.startswith(
        "needs schedule_lr_decay (Exercise 6.5): raised NameError (utils/schedules.py, line "
    ), out
    ok, out = _cell(ipython, capsys, "check(schedule_lr_decay)")
    assert ok and "  [FAIL] schedule_lr_decay raised NameError: name 'np' is not defined" in out, out


def test_an_error_of_given_code_or_of_the_notebook_keeps_its_traceback(shell, capsys):
    ipython, _ = shell
    ok, _ = _cell(ipython, capsys, "import numpy as np\nnp.ones((2, 3)) @ np.ones((2, 3))")
    assert not ok, "an error of the notebook's own code is shown as usual"
    ok, _ = _cell(ipython, capsys, "from utils import network\nnetwork.forward(np.ones((3, 2)), {})")
    assert not ok, "an error of given code is shown as usual"


def test_a_slider_over_code_that_raises_prints_the_block_instead_of_a_plot(shell, capsys):
    """Notebook 02's beta slider goes through sliders.interactive_output, like the valley sliders of 03-05."""
    ipython, utils = shell
    (utils / "ewa.py").write_text(_solved("ewa").replace("import numpy as np\n", ""))
    ok, out = _cell(
        ipython,
        capsys,
        "import ipywidgets as widgets, matplotlib\nmatplotlib.use('Agg')\nfrom utils import sliders\n"
        "from utils.ewa import ewa\nbeta = widgets.SelectionSlider(options=[0.5, 0.9], value=0.9)\n"
        "panel = sliders.interactive_output(lambda beta: ewa([1.0, 2.0], beta), {'beta': beta})",
    )
    block = out[out.index("ewa raised") :]  # after the Output widget's clear-line codes
    assert ok and block.startswith("ewa raised NameError: name 'np' is not defined\n  utils/ewa.py, line "), out
    assert block.splitlines()[2] == "  inputs: theta list of 2 items, beta=0.9" and "Traceback" not in out, out


def test_a_second_run_all_runs_the_setup_cell_without_an_already_loaded_line(shell, capsys):
    ipython, _ = shell
    setup = "%load_ext utils.checks\nimport numpy as np\nfrom utils.checks import check\n"
    assert _cell(ipython, capsys, setup) == (True, "")
    assert _cell(ipython, capsys, "%load_ext utils.checks") == (True, "")


def test_an_error_inside_a_comprehension_names_the_function_it_is_written_in(shell, capsys):
    ipython, utils = shell
    solved = _solved("gd").replace("value - learning_rate", "np.subtract(value, 0) - learning_rate")
    (utils / "gd.py").write_text(solved.replace("import numpy as np\n", ""))
    ok, out = _cell(ipython, capsys, "from utils.gd import update_parameters_with_gd\ncheck(update_parameters_with_gd)")
    assert ok and ", in update_parameters_with_gd:  return {name: np.subtract(" in out and "<dictcomp>" not in out, out
