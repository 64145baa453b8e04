"""Where, always (issue 21): a failure says which returned quantities are right and the first wrong value.

The quantities are said in the order the formulas compute them (Adam: v, s, v_corrected, s_corrected,
then the parameters; the days t of a series; the mini-batches k; the epochs; the updates of training),
on both sides, by one implementation (``utils/checks/differences.py``, loaded by path at grading).
Every value below is computed by hand.
"""

import numpy as np
import pytest
from fixtures.hidden.students import StudentFolder, reference_source, replace_function

from optgrade.exercises import ROOT
from optgrade.hidden import compare, trajectories
from optgrade.hidden.suites import minibatch
from utils.checks import CheckFailed, check
from utils.checks import differences as visible_differences
from utils.checks.dicts import where_dicts


def exact(got, expected):
    return got == expected


def flat(values, shape=None):
    array = np.asarray(values, dtype=float)
    return array.shape if shape is None else shape, array.ravel().tolist()


@pytest.mark.parametrize(
    ("names", "said"),
    [
        (["v"], "v"),
        (["v", "s"], "v and s"),
        (["v", "s", "v_corrected"], "v, s and v_corrected"),
        ([("day", 4)], "day 4"),
        ([("day", 1), ("day", 2)], "days 1 and 2"),
        ([("day", 1), ("day", 2), ("day", 3), ("day", 7)], "days 1 to 3 and 7"),
        ([("day", 1), ("day", 2), ("day", 6), ("day", 8), ("day", 9), ("day", 10)], "days 1, 2, 6 and 8 to 10"),
        ([("mini-batch", 0), ("mini-batch", 2)], "mini-batches 0 and 2"),
        ([("iterate", 0)], "iterate 0"),
    ],
)
def test_names_are_listed_in_order_with_runs_of_steps(names, said):
    assert visible_differences.listed(names) == said


ADAM = [  # (name, got, expected) in the order the formulas compute them; v_corrected["dW1"][0, 1] is wrong
    ("v", [[0.05, -0.2]], [[0.05, -0.2]]),
    ("s", [[0.00025, 0.004]], [[0.00025, 0.004]]),
    ("v_corrected", [[0.5, -1.8]], [[0.5, -2.0]]),
    ("s_corrected", [[0.25, 4.0]], [[0.25, 4.0]]),
    ("parameters", [[0.99, 1.0]], [[0.99, 1.01]]),
]


def test_the_right_quantities_and_the_first_wrong_value_in_the_order_of_the_formulas():
    quantities = [(name, [(name, flat(got), flat(expected))]) for name, got, expected in ADAM]
    assert visible_differences.where(quantities, exact) == (
        "v, s and s_corrected are right; first wrong: v_corrected[0, 1] is -1.8, expected -2"
    )


def test_the_right_parts_of_the_first_wrong_quantity_are_said_too():
    quantities = [
        ("v", [('v["dW1"]', flat([[1.0]]), flat([[1.0]])), ('v["db1"]', flat([[3.0]]), flat([[2.0]]))]),
        ("parameters", [('parameters["W1"]', flat([[0.5]]), flat([[0.5]]))]),
    ]
    assert visible_differences.where(quantities, exact) == (
        'parameters is right; first wrong: v["db1"][0, 0] is 3, expected 2 (v["dW1"] is right)'
    )


def test_when_nothing_is_right_it_says_so_and_one_quantity_is_just_its_value():
    both_wrong = [("v", [("v", flat([1.0]), flat([2.0]))]), ("s", [("s", flat([1.0]), flat([3.0]))])]
    assert (
        visible_differences.where(both_wrong, exact) == "none of v and s is right; first wrong: v[0] is 1, expected 2"
    )
    assert visible_differences.where(both_wrong[:1], exact) == "v[0] is 1, expected 2"
    assert visible_differences.where([("v", [("v", flat([2.0]), flat([2.0]))])], exact) is None


def test_a_wrong_shape_is_the_first_wrong_value():
    quantities = [("v", [("v", flat([1.0]), flat([1.0]))]), ("s", [("s", flat([[1.0, 2.0]]), flat([1.0, 2.0]))])]
    assert visible_differences.where(quantities, exact) == "v is right; first wrong: s has shape (1, 2), expected (2,)"


# --- the hidden side ---------------------------------------------------------------------------------------------


def _dicts(values):
    return {key: np.array(value) for key, value in values.items()}


def test_hidden_dicts_say_the_quantities_in_the_order_of_the_formulas():
    named = [(name, _dicts({"dW1": got}), _dicts({"dW1": expected})) for name, got, expected in ADAM]
    assert compare.dict_quantities(named) == (
        'v, s and s_corrected are right; first wrong: v_corrected["dW1"][0, 1] is -1.8, expected -2'
    )
    assert compare.dict_quantities([(name, e, e) for name, _, e in named]) is None


def test_both_sides_give_the_same_sentence_for_the_same_values():
    """One implementation: the visible check's where_dicts and the grader's dict_quantities agree word for word."""
    got = {name: {"dW1": np.array(value)} for name, value, _ in ADAM}
    expected = {name: {"dW1": np.array(value)} for name, _, value in ADAM}
    hidden = compare.dict_quantities([(name, got[name], expected[name]) for name in expected])
    assert where_dicts(got, expected) == hidden
    assert compare.differences.where is not visible_differences.where  # the grader's own copy, loaded by path
    assert compare.differences.__file__ == str(ROOT / "utils" / "checks" / "differences.py")


def test_each_quantity_is_judged_on_its_own_cases_tolerance():
    """RMSprop's visible case checks s to 1e-7 and the parameters to 1e-6: an s off by 5e-7 fails its case, so the
    "where" line must not call it right (one tolerance of 1e-6 for both did)."""
    got = {"s": {"db1": np.array([[0.0025005]])}, "parameters": {"b1": np.array([[-0.02]])}}
    expected = {"s": {"db1": np.array([[0.0025]])}, "parameters": {"b1": np.array([[-0.0200005]])}}
    said = where_dicts(got, expected, atol={"s": 1e-7, "parameters": 1e-6})
    assert said == 'parameters is right; first wrong: s["db1"][0, 0] is 0.0025005, expected 0.0025'
    assert where_dicts(got, expected, atol=1e-6) is None


def test_a_single_dict_says_its_keys():
    got = {"W1": np.array([[0.9, 2.2]]), "b1": np.array([[0.0]]), "W2": np.array([[2.0], [-1.5]])}
    expected = {"W1": np.array([[0.9, 2.2]]), "b1": np.array([[0.0]]), "W2": np.array([[2.0], [-1.0]])}
    assert compare.dicts(got, expected, what="parameters") == (
        'parameters["W1"] and parameters["b1"] are right; first wrong: parameters["W2"][1, 0] is -1.5, expected -1'
    )


def test_a_series_says_the_days():
    """ewa([10, 20, 30], 0.5) = [5, 12.5, 21.25]; a third day of 20 is the first wrong one."""

    def by_day(got, expected):
        return compare.series(got, expected, "day", lambda t: f"the value of day {t}")

    assert by_day([5.0, 12.5, 20.0], [5.0, 12.5, 21.25]) == (
        "days 1 and 2 are right; first wrong: the value of day 3 is 20, expected 21.25"
    )
    assert by_day([0.0, 5.0, 12.5], [5.0, 12.5, 21.25]) == (
        "none of days 1 to 3 is right; first wrong: the value of day 1 is 0, expected 5"
    )
    assert by_day([5.0, 12.5], [5.0, 12.5, 21.25]) == "the result has shape (2,), expected (3,)"


def test_a_path_says_the_iterates():
    """x_0 = (1, 1), x_1 = (0.8, 0.6), x_2 = (0.64, 0.36) on f = x1^2 + 2 x2^2, alpha 0.1."""
    got = [[1.0, 1.0], [0.8, 0.6], [0.6, 0.36]]
    expected = [[1.0, 1.0], [0.8, 0.6], [0.64, 0.36]]
    assert compare.series(got, expected, "iterate", lambda k: f"x_{k}", first=0) == (
        "iterates 0 and 1 are right; first wrong: x_2[0] is 0.6, expected 0.64"
    )


def test_mini_batches_say_the_batch_and_x_or_y():
    X = np.array([[0.0, 1.0, 2.0, 3.0]])
    Y = np.array([[10.0, 11.0, 12.0, 13.0]])
    expected = [(X[:, [2, 3]], Y[:, [2, 3]]), (X[:, [1, 0]], Y[:, [1, 0]])]
    y_not_shuffled = [(X[:, [2, 3]], Y[:, [0, 1]]), (X[:, [1, 0]], Y[:, [2, 3]])]
    assert minibatch.same_batches(y_not_shuffled, expected) == (
        "none of mini-batches 0 and 1 is right; first wrong: mini-batch 0's Y[0, 0] is 10, expected 12 "
        "(mini-batch 0's X is right)"
    )
    second_wrong = [expected[0], (X[:, [0, 1]], Y[:, [1, 0]])]
    assert minibatch.same_batches(second_wrong, expected) == (
        "mini-batch 0 is right; first wrong: mini-batch 1's X[0, 0] is 0, expected 1 (mini-batch 1's Y is right)"
    )


def test_training_says_the_update_the_epoch_and_the_parameters_right_there():
    def run(*steps):
        return [{"W1": np.array([[w]]), "b1": np.array([[b]])} for w, b in steps]

    expected = run(*[(1.0, 0.0)] * (2 * trajectories.EPOCHS - 1), (2.0, 0.5))  # 2 updates per epoch
    got = run(*[(1.0, 0.0)] * (2 * trajectories.EPOCHS - 1), (2.0, 1.0))
    last = 2 * trajectories.EPOCHS
    assert trajectories.differences(got, expected) == (
        f"the parameters leave the reference's path at update {last} (epoch {trajectories.EPOCHS - 1}): "
        "W1 is right; first wrong: b1[0, 0] is 1, expected 0.5"
    )


UPDATE_LR_LATE = """
def update_lr(learning_rate0, epoch_num, decay_rate):
    if epoch_num < 0:
        raise ValueError("epoch_num must be >= 0")
    return learning_rate0 / (1 + decay_rate * min(epoch_num, 5))
"""


def test_a_schedule_says_the_right_epochs_and_the_first_wrong_one(tmp_path):
    """update_lr's values test calls epochs 0, 2, 2.5, 7 and 10; capping the epoch at 5 is wrong from 7 on."""
    folder = StudentFolder(tmp_path)
    folder.write("schedules", replace_function(reference_source("schedules"), "update_lr", UPDATE_LR_LATE))
    error = folder.grade("update_lr.values", sandboxed=False).error
    # update_lr(0.1, 7, 0.3) = 0.1 / 3.1 = 0.03225806452; capped: 0.1 / 2.5 = 0.04
    assert "right at epoch_num 0, 2 and 2.5; first wrong: update_lr(0.1, 7, 0.3): the result is 0.04, " in error
    assert "expected 0.03225806452" in error


ADAM_CORRECTION_FROM_ZERO = """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    parameters, v, s = dict(parameters), dict(v), dict(s)
    v_corrected, s_corrected = {}, {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            g = grads[f"d{p}{l}"]
            v[f"d{p}{l}"] = beta1 * v[f"d{p}{l}"] + (1 - beta1) * g
            s[f"d{p}{l}"] = beta2 * s[f"d{p}{l}"] + (1 - beta2) * g**2
            v_corrected[f"d{p}{l}"] = v[f"d{p}{l}"] / (1 - beta1 ** (t + 1))
            s_corrected[f"d{p}{l}"] = s[f"d{p}{l}"] / (1 - beta2**t)
            step = v_corrected[f"d{p}{l}"] / (np.sqrt(s_corrected[f"d{p}{l}"]) + epsilon)
            parameters[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * step
    return parameters, v, s, v_corrected, s_corrected
"""


def test_a_hidden_adam_failure_says_v_and_s_are_right_and_v_corrected_is_first_wrong(tmp_path):
    folder = StudentFolder(tmp_path)
    folder.write(
        "adam", replace_function(reference_source("adam"), "update_parameters_with_adam", ADAM_CORRECTION_FROM_ZERO)
    )
    error = folder.grade("update_parameters_with_adam.values", sandboxed=False).error
    assert 't = 1 from zero moments: v, s and s_corrected are right; first wrong: v_corrected["dW1"][0, 0] is ' in error


# --- the visible side ----------------------------------------------------------------------------------------------


def _named(function, name):
    function.__name__ = name
    return function


def test_a_visible_series_fail_says_the_days(capsys):
    """ewa([10, 20, 30], 0.5) = [5, 12.5, 21.25]; a student whose third day is 20 (= 21.25 - 1.25)."""

    def ewa(theta, beta):
        values = [5.0, 12.5, 20.0] if list(theta) == [10, 20, 30] else [0.0] * len(theta)
        return np.array(values)

    with pytest.raises(CheckFailed):
        check(_named(ewa, "ewa"))
    out = capsys.readouterr().out
    assert "days 1 and 2 are right; first wrong: the value of day 3 is 20, expected 21.25" in out, out


def test_a_visible_optimizer_fail_says_where_under_the_calls_first_fail(capsys):
    """Momentum case 1 by hand: v = [0.13, -0.02], [-0.35]; a step with the old velocity gives W1[0, 0] = 0.99."""
    momentum = __import__("solutions.momentum", fromlist=["x"])

    def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
        new_v = {key: beta * v[key] + (1 - beta) * grads[key] for key in grads}
        new = {key: value - learning_rate * v["d" + key] for key, value in parameters.items()}
        return new, new_v

    assert momentum  # the reference module imports: the check below compares with hand-computed values only
    with pytest.raises(CheckFailed):
        check(update_parameters_with_momentum)
    lines = capsys.readouterr().out.splitlines()
    first_fail = next(i for i, line in enumerate(lines) if "[FAIL]" in line)
    assert lines[first_fail].strip() == "[FAIL] parameters = W1: [[0.987, 2.002]], b1: [[0.535]]"
    assert 'where: v is right; first wrong: parameters["W1"][0, 0] is 0.99, expected 0.987' in lines[first_fail + 2]
