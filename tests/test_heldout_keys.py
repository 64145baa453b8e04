"""The answer keys of the held-out mistakes (issue 21) and the judgement of diagnoses against them.

Also: every fixture of the second set is one exercise function with its signature, and loses points at
grading (a fixture with full marks would be a mistake the grader cannot see, not an evaluation case).
"""

import ast
import inspect
import re
import tomllib

import pytest
from heldout_keys import OUTCOMES, SETS, folder, judge, keys, score

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
