"""The answer keys of the held-out mistakes (issue 21) and the judgement of diagnoses against them.

Also: every fixture of the second set is one exercise function with its signature, loses points at
grading (a fixture with full marks would be a mistake the grader cannot see, not an evaluation case), and
agrees with the reference or with another mistake on the input its README names (what makes a wrong name
likely), while differing from it elsewhere.
"""

import ast
import inspect
import re
import tomllib

import numpy as np
import pytest
from heldout_keys import OUTCOMES, SETS, folder, judge, keys, score

import solutions.adam
import solutions.ewa
import solutions.gd
import solutions.minibatch
import solutions.momentum
import solutions.rmsprop
import solutions.saddle
import solutions.schedules
from optgrade.exercises import module_of

ALL_KEYS = [(name, label) for name in SETS for label in keys(name)]

# Pairs (key, other fixture's mistake text) where a pattern of the key is meant to match the other text.
# None today: where two fixtures agree on some input, their keys are written to tell them apart.
INTENDED_OVERLAPS = set()


def _raw_patterns(name):
    with (folder(name) / "keys.toml").open("rb") as file:
        return {label: table["patterns"] for label, table in tomllib.load(file).items()}


@pytest.fixture
def hand_keys(tmp_path):
    """A set of two hand-made keys of one function, in its own folder."""
    (tmp_path / "keys.toml").write_text(
        "[f__no_root]\n"
        'mistake = "the square root of s is missing"\n'
        "patterns = ['square root', 'sqrt']\n"
        "[f__t_minus_one]\n"
        'mistake = "t - 1 in the bias correction"\n'
        "patterns = ['t - 1']\n"
    )
    return tmp_path


def test_a_named_mistake_is_right_only_if_its_sentence_matches_the_key(hand_keys):
    assert judge(hand_keys, "f__no_root", "named", ["the SQUARE ROOT of s is missing"]) == "right"
    assert judge(hand_keys, "f__no_root", "named", ["your result matches t - 1 where the formula has t"]) == "wrong"
    # the same sentence names the other fixture's mistake: it counts for that one, not for this one
    assert judge(hand_keys, "f__t_minus_one", "named", ["your result matches t - 1 where the formula has t"]) == "right"


def test_a_one_of_is_half_right_if_one_candidate_matches_and_wrong_otherwise(hand_keys):
    candidates = ["t - 1 in v_corrected", "the step divides by s instead of sqrt(s)"]
    assert judge(hand_keys, "f__no_root", "one_of", candidates) == "one_of_right"
    assert judge(hand_keys, "f__no_root", "one_of", ["t - 1 in v_corrected", "epsilon is missing"]) == "one_of_wrong"


def test_unnamed_takes_no_sentence_and_named_needs_one(hand_keys):
    assert judge(hand_keys, "f__no_root", "unnamed") == "unnamed"
    with pytest.raises(ValueError):
        judge(hand_keys, "f__no_root", "unnamed", ["sqrt"])
    with pytest.raises(ValueError):
        judge(hand_keys, "f__no_root", "named", [])
    with pytest.raises(ValueError):
        judge(hand_keys, "f__no_root", "guessed", ["sqrt"])
    with pytest.raises(KeyError):
        judge(hand_keys, "f__not_a_fixture", "unnamed")


def test_score_counts_one_of_right_half_in_precision_and_right_rate():
    judgements = ["right", "right", "wrong", "one_of_right", "one_of_right", "one_of_wrong"] + ["unnamed"] * 4
    assert score(judgements) == {
        "right": 2,
        "wrong": 1,
        "one_of_right": 2,
        "one_of_wrong": 1,
        "unnamed": 4,
        "total": 10,
        "precision": 0.5,  # (2 + 0.5 * 2) / (2 + 1 + 2 + 1)
        "right_rate": 0.3,  # (2 + 0.5 * 2) / 10
    }


def test_score_of_nothing_named_has_no_precision():
    assert score(["unnamed", "unnamed"])["precision"] is None
    assert score([])["right_rate"] is None
    with pytest.raises(ValueError):
        score(["right", "named"])


def test_the_issue_s_wrong_names_are_judged_wrong_and_the_right_ones_right():
    t_minus_one = "your result matches t - 1 where the formula has t, in v_corrected = v_dW / (1 - beta1**t)"
    no_root = "the square root is missing: the step divides by s_corrected instead of sqrt(s_corrected)"
    assert judge("heldout_mistakes", "update_parameters_with_adam__no_root_on_s", "named", [t_minus_one]) == "wrong"
    assert judge("heldout_mistakes", "update_parameters_with_adam__no_root_on_s", "named", [no_root]) == "right"
    assert judge(
        "heldout_mistakes_2", "update_parameters_with_adam__correction_t_minus_one", "named", [t_minus_one]
    ) == ("right")
    epochs_from_one = "epochs counted from 1 (epoch_num + 1): epoch 0 must run at lr0"
    assert judge("heldout_mistakes", "update_lr__decay_compounded", "named", [epochs_from_one]) == "wrong"
    assert judge("heldout_mistakes", "update_lr__epoch_plus_one", "named", [epochs_from_one]) == "right"
    misses = "v = beta * v + dW misses the factor (1 - beta) of the lecture's EWA form"
    label = "update_parameters_with_momentum__learning_rate_inside_velocity"
    assert judge("heldout_mistakes", label, "named", [misses]) == "wrong"
    assert (
        judge("heldout_mistakes_2", "update_parameters_with_momentum__no_one_minus_beta", "named", [misses]) == "right"
    )


@pytest.mark.parametrize("name", SETS)
def test_every_fixture_has_a_key_and_every_key_a_fixture(name):
    fixtures = {path.stem for path in folder(name).glob("*.py")}
    assert fixtures, f"no fixture in {folder(name)}"
    assert set(keys(name)) == fixtures


@pytest.mark.parametrize("name", SETS)
def test_every_pattern_compiles_and_every_key_has_its_truth(name):
    for label, patterns in _raw_patterns(name).items():
        assert patterns and all(isinstance(pattern, str) for pattern in patterns), label
        for pattern in patterns:
            re.compile(pattern, re.IGNORECASE)
        assert keys(name)[label].mistake.strip(), label


@pytest.mark.parametrize(("name", "label"), ALL_KEYS, ids=[label for _, label in ALL_KEYS])
def test_a_key_names_its_own_mistake_and_no_other_mistake_of_its_function(name, label):
    key = keys(name)[label]
    assert key.names(key.mistake), f"{label}: no pattern matches the key's own mistake text"
    function = label.partition("__")[0]
    for other_name in SETS:
        for other, other_key in keys(other_name).items():
            if other == label or other.partition("__")[0] != function or (label, other) in INTENDED_OVERLAPS:
                continue
            hits = [pattern.pattern for pattern in key.patterns if pattern.search(other_key.mistake)]
            assert not hits, f"{label}'s patterns {hits} match the mistake of {other}: {other_key.mistake!r}"


def test_outcomes_are_the_five_of_the_issue():
    assert OUTCOMES == ("right", "wrong", "one_of_right", "one_of_wrong", "unnamed")


SECOND_SET = sorted(path.stem for path in folder("heldout_mistakes_2").glob("*.py"))


@pytest.fixture(scope="module")
def second_set_verdicts():
    from heldout import Grader, fixtures  # the grader is imported only by the tests that grade

    with Grader() as grader:
        yield {student.label: (student, grader.verdict(student)) for student in fixtures(folder("heldout_mistakes_2"))}


@pytest.mark.slow  # grades 55 student modules (about 15 s)
@pytest.mark.parametrize("label", SECOND_SET)
def test_second_set_fixture_is_the_exercise_function_and_loses_points_at_grading(second_set_verdicts, label):
    student, verdict = second_set_verdicts[label]
    namespace = {}
    exec(compile(student.source, label, "exec"), namespace)
    reference = __import__(f"solutions.{module_of(student.function)}", fromlist=[student.function])
    assert inspect.signature(namespace[student.function]) == inspect.signature(getattr(reference, student.function))
    tree = ast.parse(student.source)
    assert sum(isinstance(node, ast.FunctionDef) and node.name == student.function for node in tree.body) == 1
    assert verdict.lost_points, f"{label} scores full marks: not a mistake the grader can see"
    assert verdict.flags == frozenset(), "lost for an integrity finding, not for the slip"


def _mistake(label, name="heldout_mistakes_2"):
    """The fixture's function, run in plain Python (``ewa_bias_corrected__*`` call the reference ``ewa``)."""
    namespace = {"ewa": solutions.ewa.ewa}
    exec(compile((folder(name) / f"{label}.py").read_text(), label, "exec"), namespace)
    return namespace[label.partition("__")[0]]


def _same(a, b):
    if isinstance(a, str):
        return a == b
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-12, atol=1e-15)


_RNG = np.random.RandomState(1)
P = {"W1": _RNG.randn(3, 2), "b1": _RNG.randn(3, 1), "W2": _RNG.randn(1, 3), "b2": _RNG.randn(1, 1)}
G = {"d" + name: _RNG.randn(*value.shape) for name, value in P.items()}
ZERO = {key: np.zeros_like(value) for key, value in G.items()}
S = {key: np.abs(_RNG.randn(*value.shape)) + 0.1 for key, value in G.items()}
SIGNS = {key: np.sign(value) for key, value in G.items()}  # entries +-1: dW**2 = 1 = |dW|
POSITIVE = {key: np.abs(value) for key, value in G.items()}  # |dW| = dW
ZERO_ONE = {key: (value > 0).astype(float) for key, value in G.items()}  # dW**2 = dW
ONE_INPUT = {"W1": _RNG.randn(3, 1), "b1": _RNG.randn(3, 1)}  # n[l-1] = 1: W[l] has b[l]'s shape
SQUARE = {"W1": _RNG.randn(3, 3), "b1": _RNG.randn(3, 1)}
THETA = _RNG.randn(7)
THETA_0 = np.concatenate(([0.0], THETA[1:]))
X, Y = _RNG.randn(2, 12), _RNG.randn(1, 12)
ADAM, RMSPROP = solutions.adam.update_parameters_with_adam, solutions.rmsprop.update_parameters_with_rmsprop
MOMENTUM = solutions.momentum.update_parameters_with_momentum
SET_1 = "heldout_mistakes"

# (fixture of the second set, the function it agrees with (None: the reference), arguments where they agree,
#  arguments where they differ). The README's table says which input and why.
AGREEMENTS = [
    ("update_parameters_with_adam__correction_without_power", None, (P, G, ZERO, ZERO, 1), (P, G, ZERO, S, 3)),
    ("update_parameters_with_adam__s_correction_without_power", None, (P, G, ZERO, ZERO, 1), (P, G, ZERO, S, 3)),
    ("update_parameters_with_adam__correction_times_t", None, (P, G, ZERO, ZERO, 1), (P, G, ZERO, S, 3)),
    (
        "update_parameters_with_adam__correction_times_t",
        _mistake("update_parameters_with_adam__correction_without_power"),
        (P, G, S, S, 1),
        (P, G, S, S, 2),
    ),
    ("update_parameters_with_adam__no_bias_correction", None, (P, G, ZERO, S, 3, 0.01, 0.0, 0.0), (P, G, ZERO, S, 3)),
    ("update_parameters_with_adam__betas_swapped", None, (P, G, S, S, 3, 0.01, 0.9, 0.9), (P, G, S, S, 3)),
    ("update_parameters_with_adam__gradient_not_squared", None, (P, ZERO_ONE, ZERO, S, 2), (P, G, ZERO, S, 2)),
    (
        "update_parameters_with_adam__step_with_uncorrected_s",
        None,
        (P, G, ZERO, S, 2, 0.01, 0.9, 0.0),
        (P, G, ZERO, S, 2),
    ),
    (
        "update_parameters_with_adam__second_moment_summed",
        None,
        (P, G, ZERO, ZERO, 2, 0.01, 0.9, 0.0),
        (P, G, ZERO, S, 2),
    ),
    ("update_parameters_with_rmsprop__no_root_on_s", None, (P, SIGNS, S, 0.01, 0.0), (P, G, S)),
    (
        "update_parameters_with_rmsprop__gradient_not_squared",
        _mistake("update_parameters_with_rmsprop__absolute_value_not_square"),
        (P, POSITIVE, S),
        (P, G, S),
    ),
    ("update_parameters_with_rmsprop__absolute_value_not_square", None, (P, SIGNS, S), (P, G, S)),
    ("update_parameters_with_rmsprop__old_s_not_decayed", None, (P, G, ZERO), (P, G, S)),
    ("update_parameters_with_rmsprop__adagrad_sum", None, (P, G, ZERO, 0.01, 0.0), (P, G, ZERO)),
    (
        "update_parameters_with_rmsprop__s_not_returned",
        None,
        (P, G, {key: np.square(value) for key, value in G.items()}),  # s at its fixed point dW**2
        (P, G, S),
    ),
    ("update_parameters_with_momentum__learning_rate_scaled_velocity", None, (P, G, S, 0.9, 1.0), (P, G, S, 0.9, 0.1)),
    (
        "update_parameters_with_momentum__learning_rate_scaled_velocity",
        _mistake("update_parameters_with_momentum__learning_rate_inside_velocity", SET_1),
        (P, G, S, 0.0, 0.1),
        (P, G, S, 0.9, 0.1),
    ),
    ("update_parameters_with_momentum__ewa_weights_swapped", None, (P, G, S, 0.5, 0.1), (P, G, S, 0.9, 0.1)),
    (
        "update_parameters_with_momentum__no_one_minus_beta",
        _mistake("update_parameters_with_momentum__old_velocity_dropped"),
        (P, G, S, 0.0, 0.1),
        (P, G, S, 0.9, 0.1),
    ),
    ("update_parameters_with_momentum__nesterov_step", None, (P, G, S, 0.0, 0.1), (P, G, S, 0.9, 0.1)),
    ("update_parameters_with_momentum__old_velocity_dropped", None, (P, G, ZERO, 0.9, 0.1), (P, G, S, 0.9, 0.1)),
    ("initialize_velocity__bias_velocity_shaped_like_weights", None, (ONE_INPUT,), (SQUARE,)),
    ("initialize_rmsprop__weights_shape_transposed", None, (SQUARE,), (P,)),
    (
        "update_parameters_with_gd__weights_step_with_db",
        None,
        (ONE_INPUT, {"dW1": ONE_INPUT["b1"], "db1": ONE_INPUT["b1"]}, 0.1),
        (P, G, 0.1),
    ),
    ("update_parameters_with_gd__divides_by_learning_rate", None, (P, G, 1.0), (P, G, 0.1)),
    ("ewa__weights_swapped", None, (THETA, 0.5), (THETA, 0.9)),
    ("ewa__starts_at_first_value", None, (THETA_0, 0.9), (THETA, 0.9)),
    ("ewa__running_mean", None, (THETA[:1], 0.0), (THETA, 0.0)),
    ("ewa__running_mean", lambda theta, beta: solutions.ewa.sma(theta, 3), (THETA[:3], 0.9), (THETA, 0.9)),
    ("ewa_bias_corrected__first_day_correction_every_day", None, (THETA[:1], 0.9), (THETA, 0.9)),
    (
        "ewa_bias_corrected__first_day_correction_every_day",
        _mistake("ewa_bias_corrected__same_t_for_every_day", SET_1),
        (THETA[:1], 0.9),
        (THETA, 0.9),
    ),
    ("ewa_bias_corrected__corrects_the_inputs", None, (THETA, 0.0), (THETA, 0.9)),
    ("sma__divides_by_window_at_start", None, (THETA, 1), (THETA, 3)),
    ("sma__window_minus_one_values", None, (THETA[:2], 3), (THETA, 3)),
    ("wma__weights_reversed", None, (np.full(6, 2.5), 3), (THETA, 3)),
    ("wma__divides_by_full_window_weights", None, (THETA, 1), (THETA, 3)),
    ("random_mini_batches__remainder_dropped", None, (X, Y, 4, 3), (X, Y, 5, 3)),
    ("random_mini_batches__empty_batch_when_divisible", None, (X, Y, 5, 3), (X, Y, 4, 3)),
    ("random_mini_batches__last_batch_full_size", None, (X, Y, 4, 3), (X, Y, 5, 3)),
    ("random_mini_batches__seed_hard_coded", None, (X, Y, 5, 0), (X, Y, 5, 3)),
    ("random_mini_batches__interleaved_batches", None, (X, Y, 64, 3), (X, Y, 5, 3)),
    ("update_lr__decay_rate_not_used", None, (0.5, 7, 1.0), (0.5, 7, 0.3)),
    ("update_lr__linear_decay", None, (0.5, 0, 0.3), (0.5, 2, 0.3)),
    ("schedule_lr_decay__ceil_not_floor", None, (0.3, 1000, 0.25, 100), (0.3, 1050, 0.25, 100)),
    (
        "schedule_lr_decay__ceil_not_floor",
        _mistake("schedule_lr_decay__no_floor"),
        (0.3, 1000, 0.25, 100),
        (0.3, 1050, 0.25, 100),
    ),
    ("schedule_lr_decay__no_floor", None, (0.3, 1000, 0.25, 100), (0.3, 1050, 0.25, 100)),
    ("schedule_lr_decay__time_interval_ignored", None, (0.3, 17, 0.25, 1), (0.3, 17, 0.25, 10)),
    ("exponential_decay__one_minus_decay_rate", None, (0.3, 7, 0.5), (0.3, 7, 0.9)),
    ("exponential_decay__decay_rate_hard_coded", None, (0.3, 7), (0.3, 7, 0.9)),
    ("sqrt_decay__root_over_k_too", None, (0.3, 7, 1.0), (0.3, 7, 4.0)),
    ("staircase_decay__ceil_not_floor", None, (0.3, 3000), (0.3, 2500)),
    (
        "staircase_decay__ceil_not_floor",
        _mistake("staircase_decay__first_drop_at_zero", SET_1),
        (0.3, 2500),
        (0.3, 3000),
    ),
    ("staircase_decay__drop_as_fraction_removed", None, (0.3, 2500), (0.3, 2500, 0.25)),
    ("classify_critical_point__diagonal_as_eigenvalues", None, (np.diag([1.0, -2.0, 3.0]),), (np.ones((2, 2)),)),
    ("classify_critical_point__minimum_maximum_swapped", None, (np.diag([1.0, -2.0]),), (np.eye(2),)),
    (
        "gradient_descent_2d__path_shifted_one_step",
        None,
        (lambda x: 2 * x, [0.0, 0.0], 0.1, 4),
        (lambda x: 2 * x, [1.0, 2.0], 0.1, 4),
    ),
    (
        "gradient_descent_2d__learning_rate_ignored",
        None,
        (lambda x: 2 * x, [1.0, 2.0], 1.0, 4),
        (lambda x: 2 * x, [1.0, 2.0], 0.1, 4),
    ),
]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # 1 - beta2 * t < 0 under a square root, on purpose
@pytest.mark.parametrize(
    ("label", "other", "agree", "differ"), AGREEMENTS, ids=[f"{row[0]}-{index}" for index, row in enumerate(AGREEMENTS)]
)
def test_second_set_fixture_agrees_where_its_readme_says_and_differs_elsewhere(label, other, agree, differ):
    function = label.partition("__")[0]
    other = other or getattr(getattr(solutions, module_of(function)), function)
    mistake = _mistake(label)
    assert _same(mistake(*agree), other(*agree)), f"{label} does not agree on the README's input"
    assert not _same(mistake(*differ), other(*differ)), f"{label} is not told apart by the second input"
