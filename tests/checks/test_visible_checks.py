"""The visible checks after each exercise: pass the reference, stop at the stubs, catch typical mistakes, fast."""

import copy
import importlib
import time

import notebook_shell
import numpy as np
import pytest

from optgrade.exercises import EXERCISES
from optgrade.mutants.hand import MISTAKES
from utils.checks import CheckFailed, check, probes

shell, _cell = notebook_shell.shell, notebook_shell.cell  # the fixture, and one cell run in it

FUNCTIONS = [(module, name) for module, (_, names) in EXERCISES.items() for name in names]


def _reference(module, name):
    return getattr(importlib.import_module(f"solutions.{module}"), name)


def _named(function, name):
    """A wrapper of function called name (check() dispatches on the name; catalog entries are lambdas)."""

    def named(*args, **kwargs):
        return function(*args, **kwargs)

    named.__name__ = name
    return named


@pytest.mark.parametrize(("module", "name"), FUNCTIONS, ids=[name for _, name in FUNCTIONS])
def test_reference_passes_quickly_and_says_hidden_tests_follow(module, name, capsys):
    start = time.perf_counter()
    check(_reference(module, name))
    assert time.perf_counter() - start < 0.5
    out = capsys.readouterr()
    assert "Visible checks passed; hidden tests run at grading." in out.out and out.err == ""
    assert "[FAIL]" not in out.out and "[NOTE]" not in out.out, "the reference is the contract's style"


@pytest.mark.parametrize(("module", "name"), FUNCTIONS, ids=[name for _, name in FUNCTIONS])
def test_untouched_stub_stops_with_its_friendly_message(module, name):
    stub = getattr(importlib.import_module(f"utils.{module}"), name)
    with pytest.raises(NotImplementedError, match="is not implemented yet"):
        check(stub)


@pytest.mark.parametrize("mistake", MISTAKES, ids=[f"{m.function}-{m.name}" for m in MISTAKES])
def test_catalog_mistake_fails_the_visible_check_and_is_named_under_the_first_fail(mistake, capsys):
    """Each catalog mistake is caught by the visible check and named, alone, confirmed by the probes, in its words."""
    with pytest.raises(CheckFailed, match=f"visible check\\(s\\) of {mistake.function} failed"):
        check(_named(lambda *a, **k: mistake.implementation(*copy.deepcopy(a), **copy.deepcopy(k)), mistake.function))
    lines = capsys.readouterr().out.splitlines()
    known = [index for index, line in enumerate(lines) if "known mistake" in line]
    count = len(probes.inputs(mistake.function))
    said = f"known mistake: {mistake.message} (confirmed on {count} inputs)"
    assert [lines[index].strip() for index in known] == [said]
    first_fail = next(index for index, line in enumerate(lines) if "[FAIL]" in line)
    assert not any(line.startswith("  [") for line in lines[first_fail + 1 : known[0]]), "right under the first FAIL"


def test_check_names_the_functions_it_knows():
    with pytest.raises(ValueError, match="no visible checks"):
        check(print)


def test_in_a_notebook_a_fixed_function_is_the_one_every_later_cell_uses(shell, capsys):
    ipython, utils = shell
    ok, out = _cell(ipython, capsys, "check(random_mini_batches)")
    assert ok and out.count("\n") == 1 and "random_mini_batches() is not implemented yet" in out, out
    (utils / "minibatch.py").write_text(importlib.import_module("optgrade.course.demo").solved("minibatch"))
    ok, out = _cell(ipython, capsys, "check(random_mini_batches)")
    assert ok and "6/6 visible checks passed" in out, out
    ok, out = _cell(ipython, capsys, "print(len(random_mini_batches(np.ones((1, 5)), np.ones((1, 5)), 2)))")
    assert ok and out == "3\n", out


def test_in_a_notebook_a_cell_needing_an_unfinished_exercise_and_the_cells_after_it_say_one_line(shell, capsys):
    ipython, _ = shell
    needs = "needs random_mini_batches (Exercise 1.2): not implemented yet\n"
    assert _cell(ipython, capsys, "batches = random_mini_batches(np.ones((1, 5)), np.ones((1, 5)), 2)") == (True, needs)
    assert _cell(ipython, capsys, "print('first line')\nprint(len(batches))") == (True, needs)
    assert _cell(ipython, capsys, "def count():\n    return len(batches)\n") == (True, "")
    assert _cell(ipython, capsys, "print('before')\nprint(count())") == (True, needs)
    ok, out = _cell(ipython, capsys, "print(undefined_by_anyone)")
    assert not ok, "a genuine NameError is shown as usual"


def test_in_a_notebook_a_file_that_does_not_import_is_one_line_everywhere(shell, capsys):
    ipython, utils = shell
    (utils / "minibatch.py").write_text("def random_mini_batches(X, Y, mini_batch_size=64, seed=0):\n    return [\n")
    ok, out = _cell(ipython, capsys, "check(random_mini_batches)")
    assert ok and out.count("\n") == 1, out
    assert out.startswith("utils/minibatch.py does not import (line 2: SyntaxError"), out
    ok, out = _cell(ipython, capsys, "random_mini_batches(np.ones((1, 5)), np.ones((1, 5)), 2)")
    assert (ok, out.count("\n")) == (True, 1), out
    assert out.startswith("needs random_mini_batches (Exercise 1.2): utils/minibatch.py does not import (line 2"), out


def test_a_drawing_callback_with_the_stub_prints_one_sentence_not_a_traceback(capsys):
    """Notebook 02's beta slider goes through sliders.interactive_output, like the valley sliders of 03-05."""
    import ipywidgets as widgets
    import matplotlib

    from utils import sliders
    from utils.ewa import ewa

    matplotlib.use("Agg")
    beta = widgets.SelectionSlider(options=[0.5, 0.9], value=0.9)
    sliders.interactive_output(lambda beta: ewa([1.0, 2.0], beta), {"beta": beta})
    beta.value = 0.5
    out = capsys.readouterr()
    assert out.out.count("Nothing to draw yet: ewa() is not implemented yet") == 2, out.out
    assert out.out.count("\n") == 2 and out.err == ""


def test_in_a_notebook_a_style_grading_accepts_is_a_note_and_run_all_goes_on(shell, capsys):
    """The classic np.random.seed idiom scores full marks at grading: its check prints a NOTE, not a FAIL."""
    from fixtures.hidden.students import reference_source, replace_function
    from valid_variants import MINIBATCH_GLOBAL_SEED

    ipython, utils = shell
    (utils / "minibatch.py").write_text(
        replace_function(reference_source("minibatch"), "random_mini_batches", MINIBATCH_GLOBAL_SEED)
    )
    ok, out = _cell(ipython, capsys, "check(random_mini_batches)")
    assert ok and "random_mini_batches: 5/5 visible checks passed" in out, out
    assert "  [NOTE] numpy's global random state is untouched" in out and "grading accepts" in out, out
    assert "[FAIL]" not in out and "fix your code" not in out, out
    assert out.rstrip().endswith("Visible checks passed; hidden tests run at grading."), out


def test_a_hessian_changed_in_place_is_a_note_since_grading_passes_its_own_copy(capsys):
    classify = importlib.import_module("solutions.saddle").classify_critical_point

    def classify_critical_point(hessian, tol=1e-8):
        kind = classify(hessian, tol)
        hessian[...] = 0.0  # changes the caller's array; grading never sees it
        return kind

    check(classify_critical_point)
    out = capsys.readouterr().out
    assert out.count("[NOTE] the Hessian is modified in place") == 1 and "[FAIL]" not in out, out


INTEGER_ZEROS = """
def initialize_velocity(parameters):
    return {"d" + name: np.zeros(value.shape, dtype=int) for name, value in parameters.items()}
"""


def test_integer_zeros_fail_the_initializer_check_as_they_fail_grading(tmp_path, capsys):
    """Grading's structure test wants float arrays; the visible check says so instead of passing them."""
    from fixtures.hidden.students import StudentFolder, reference_source, replace_function

    namespace = {"np": np}
    exec(INTEGER_ZEROS, namespace)
    with pytest.raises(CheckFailed):
        check(namespace["initialize_velocity"])
    out = capsys.readouterr().out
    assert "[FAIL] v holds float arrays" in out and "int64" in out, out
    folder = StudentFolder(tmp_path)
    folder.write("momentum", replace_function(reference_source("momentum"), "initialize_velocity", INTEGER_ZEROS))
    assert "expected floats" in folder.grade("initialize_velocity.structure").error


LIST_BATCHES = """
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    permutation = np.random.RandomState(seed).permutation(m)
    columns = [list(permutation[k : k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
    return [(X[:, c].tolist(), Y[:, c].tolist()) for c in columns]
"""


def test_batches_of_python_lists_fail_the_visible_check_as_they_fail_grading(tmp_path, capsys):
    """Grading's structure test wants numpy arrays in each batch; the visible check says so too."""
    from fixtures.hidden.students import StudentFolder, reference_source, replace_function

    namespace = {"np": np}
    exec(LIST_BATCHES, namespace)
    with pytest.raises(CheckFailed):
        check(namespace["random_mini_batches"])
    assert "a list, not a numpy array" in capsys.readouterr().out
    folder = StudentFolder(tmp_path)
    folder.write("minibatch", replace_function(reference_source("minibatch"), "random_mini_batches", LIST_BATCHES))
    assert folder.grade("random_mini_batches.structure", sandboxed=False).error is not None
