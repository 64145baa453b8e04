"""The diagnosis engine (utils/checks/diagnosis.py): a mistake is named only when the probes confirm it.

A probe is a public input on which the student's own function is run; every
probe rules out every known mistake whose outcome differs there. One survivor
is named, several that the probes cannot tell apart are "one of", none is
nothing. The graders run the same engine (loaded by path) on the same probes,
so both sides give the same words.
"""

import math
import time

import numpy as np
import pytest
from fixtures.hidden.students import StudentFolder, reference_source, replace_function

from optgrade import fingerprints
from optgrade.hidden import diagnosing, parse
from optgrade.mutants.hand import MISTAKES, Mistake
from utils.checks import CheckFailed, check, diagnosis, probes
from utils.checks.diagnosis import call_key, diagnose


def _hand(function, name):
    return next(m for m in MISTAKES if m.function == function and m.name == name)


def _table(function, mistakes, keep=lambda kind: True):
    """A table of ``mistakes`` (nothing left out as correct) on the probes of ``function`` whose kind ``keep``s."""
    entry = fingerprints.entry(function, mistakes, correct=[])
    kept = {call_key(p.args, p.kwargs) for p in probes.inputs(function) if keep(p.kind)}
    entry["probes"] = {key: outcomes for key, outcomes in entry["probes"].items() if key in kept}
    return {function: entry}


def _ewa_past_weight_doubled(theta, beta):
    """V_t = (1 - beta) * V_{t-1} + (1 - beta) * theta_t: equals beta_swapped at beta = 0.5 only."""
    V, v = [], 0.0
    for value in theta:
        v = (1 - beta) * v + (1 - beta) * value
        V.append(v)
    return np.array(V)


def _last_batch_merged(X, Y, mini_batch_size=64, seed=0):
    """The rest m % mini_batch_size is added to the last full mini-batch instead of forming its own."""
    m = X.shape[1]
    permutation = np.random.RandomState(seed).permutation(m)
    X, Y = X[:, permutation], Y[:, permutation]
    full = max(m // mini_batch_size, 1)
    starts = [k * mini_batch_size for k in range(full)]
    ends = [*starts[1:], m]
    return [(X[:, a:b], Y[:, a:b]) for a, b in zip(starts, ends, strict=True)]


def _descent(grad_of, grad, x0, learning_rate, num_steps):
    path = [np.asarray(x0, dtype=float)]
    for _ in range(num_steps):
        path.append(path[-1] - learning_rate * grad_of(grad, path[-1]))
    return np.array(path)


def _coordinates_swapped(grad, x0, learning_rate, num_steps):
    """Each step moves x along grad(x) with its two coordinates swapped."""
    return _descent(lambda g, x: np.asarray(g(x), dtype=float)[::-1], grad, x0, learning_rate, num_steps)


def _point_swapped(grad, x0, learning_rate, num_steps):
    """Each step moves x along the gradient at the point with swapped coordinates."""
    return _descent(lambda g, x: np.asarray(g(x[::-1]), dtype=float), grad, x0, learning_rate, num_steps)


# (kind of distinguishing input, function, the student's mistake A, a look-alike B, probes where they agree,
#  the probe that tells them apart)
KINDS = [
    (
        "t = 1 against t > 1",
        "update_parameters_with_adam",
        _hand("update_parameters_with_adam", "t_always_one"),
        _hand("update_parameters_with_adam", "epsilon_missing"),
        lambda kind: "t = 1 from zero moments" in kind,
        "2 layers, t = 2",
    ),
    (
        "beta = 0",
        "ewa",
        _hand("ewa", "beta_swapped"),
        Mistake("ewa", "past_weight_doubled", "(1 - beta) weighs both terms", _ewa_past_weight_doubled),
        lambda kind: kind.startswith("beta = 0.5"),
        "beta = 0 (V_t = theta_t)",
    ),
    (
        "a last mini-batch of another size",
        "random_mini_batches",
        _hand("random_mini_batches", "last_batch_dropped"),
        Mistake("random_mini_batches", "last_batch_merged", "the rest joins the last batch", _last_batch_merged),
        lambda kind: kind.startswith("mini_batch_size divides m"),
        "a last mini-batch of another size (m = 10, mini_batch_size = 4)",
    ),
    (
        "epoch 0",
        "update_lr",
        _hand("update_lr", "epoch_plus_one"),
        _hand("update_lr", "decay_rate_ignored"),
        lambda kind: kind in ("epoch_num = 1", "epoch_num = -1 (out of range)"),
        "epoch_num = 0 (the first epoch)",
    ),
    (
        "a non-symmetric step",
        "gradient_descent_2d",
        Mistake("gradient_descent_2d", "coordinates_swapped", "grad(x)[::-1]", _coordinates_swapped),
        Mistake("gradient_descent_2d", "point_swapped", "grad(x[::-1])", _point_swapped),
        lambda kind: kind.startswith("num_steps = 0"),
        "a non-symmetric step, 3 steps",
    ),
]


@pytest.mark.parametrize(("kind", "function", "mine", "other", "agree", "separating"), KINDS, ids=[k[0] for k in KINDS])
def test_each_kind_of_distinguishing_input_separates_two_look_alike_mistakes(
    kind, function, mine, other, agree, separating
):
    without = _table(function, [mine, other], agree)
    assert without[function]["probes"], "the look-alikes must share some probe"
    verdict = diagnose(function, mine.implementation, without)
    assert verdict.kind == "one_of" and set(verdict.names) == {mine.name, other.name}, verdict
    with_probe = _table(function, [mine, other], lambda k: agree(k) or k == separating)
    verdict = diagnose(function, mine.implementation, with_probe)
    assert verdict.names == (mine.name,), (kind, verdict)
    assert verdict.inputs == len(with_probe[function]["probes"])
    assert "confirmed on" in verdict.text() and mine.message in verdict.text()


def _decay_compounded(learning_rate0, epoch_num, decay_rate):
    """lr0 / (1 + decay_rate)**(epoch_num + 1): equals epoch_plus_one at epoch 0 only."""
    if epoch_num < 0:
        raise ValueError("epoch_num must be >= 0")
    return learning_rate0 / (1 + decay_rate) ** (epoch_num + 1)


def test_a_mistake_that_matches_on_the_failing_input_but_not_on_a_probe_is_not_named():
    hand = [m for m in MISTAKES if m.function == "update_lr"]
    table = _table("update_lr", hand)
    failing = probes.inputs("update_lr")[0]  # epoch_num = 0, where the student's answer is wrong
    expected = _hand("update_lr", "epoch_plus_one").implementation(*failing.args)
    assert math.isclose(_decay_compounded(*failing.args), expected, rel_tol=1e-12)
    verdict = diagnose("update_lr", _decay_compounded, table)
    assert verdict.kind == "none" and verdict.text() == ""
    assert diagnose("update_lr", _decay_compounded).names == ()  # and with the shipped table


def test_two_surviving_mistakes_are_said_as_one_of_never_one_picked():
    mine = _hand("update_lr", "epoch_plus_one")
    other = _hand("update_lr", "decay_rate_ignored")
    table = _table("update_lr", [mine, other], lambda kind: kind == "epoch_num = 1")
    verdict = diagnose("update_lr", other.implementation, table)
    assert verdict.kind == "one_of" and verdict.names == (mine.name, other.name)
    text = verdict.text()
    assert text.startswith("could be either of these known mistakes") and "on all 1 inputs tried" in text
    assert mine.message in text and other.message in text and "known mistake:" not in text


def _constant(value):
    def update_lr(learning_rate0, epoch_num, decay_rate):
        if epoch_num < 0:
            raise ValueError("epoch_num must be >= 0")
        return value

    return update_lr


@pytest.mark.parametrize(
    ("student", "candidate", "named"),
    [
        (1e308, math.inf, False),
        (-math.inf, math.inf, False),
        (math.inf, math.inf, True),
        (0.0, math.nan, False),
        (math.nan, math.nan, True),
        (math.nan, math.inf, False),
    ],
)
def test_infinite_and_nan_outcomes_equal_only_themselves(student, candidate, named):
    table = _table("update_lr", [Mistake("update_lr", "odd", "an odd rate", _constant(candidate))])
    assert bool(diagnose("update_lr", _constant(student), table).names) is named


def test_an_untouched_stub_or_a_stalled_sandbox_stops_the_diagnosis():
    def stub(*args):
        raise NotImplementedError

    assert diagnose("update_lr", stub) == diagnosis.Diagnosis()


def _student_folder(tmp_path, function, definition):
    folder = StudentFolder(tmp_path)
    module = "schedules" if function == "update_lr" else "adam"
    folder.write(module, replace_function(reference_source(module), function, definition))
    return folder


EPOCH_PLUS_ONE = """def update_lr(learning_rate0, epoch_num, decay_rate):
    if epoch_num < 0:
        raise ValueError("epoch_num must be >= 0")
    return learning_rate0 / (1 + decay_rate * (epoch_num + 1))
"""

COMPOUNDED = """def update_lr(learning_rate0, epoch_num, decay_rate):
    if epoch_num < 0:
        raise ValueError("epoch_num must be >= 0")
    return learning_rate0 / (1 + decay_rate) ** (epoch_num + 1)
"""


def test_grading_and_the_visible_check_give_the_same_words(tmp_path, capsys):
    folder = _student_folder(tmp_path, "update_lr", EPOCH_PLUS_ONE)
    result = folder.grade("update_lr.values")
    namespace = {}
    exec(EPOCH_PLUS_ONE, namespace)
    said = diagnose("update_lr", namespace["update_lr"]).text()
    assert said.startswith("known mistake: ") and said in result.error
    assert [line.detail for line in parse(result.stdout) if line.kind == "MISTAKE"] == ["epoch_plus_one"]
    with pytest.raises(CheckFailed):
        check(namespace["update_lr"])
    assert said in capsys.readouterr().out


def test_grading_names_nothing_the_probes_refute(tmp_path):
    result = _student_folder(tmp_path, "update_lr", COMPOUNDED).grade("update_lr.values")
    assert result.error and "known mistake" not in result.error and "could be either" not in result.error
    assert not [line for line in parse(result.stdout) if line.kind in ("MISTAKE", "ONE_OF")]


LOOPS_ON_A_PROBE = """def update_lr(learning_rate0, epoch_num, decay_rate):
    if epoch_num == 6:  # a probe's epoch, none of the visible check's or the hidden tests'
        while True:
            pass
    return learning_rate0 / (1 + decay_rate * (epoch_num + 1))
"""


def test_a_function_that_stalls_on_a_probe_costs_the_diagnosis_seconds_and_gets_no_name(tmp_path):
    folder = _student_folder(tmp_path, "update_lr", LOOPS_ON_A_PROBE)
    start = time.monotonic()
    result = folder.grade("update_lr.values", sandboxed=True)
    assert time.monotonic() - start < diagnosing.SECONDS + 8, "the diagnosis waited for the test's time limit"
    assert result.error and "known mistake" not in result.error
    assert not [line for line in parse(result.stdout) if line.kind in ("MISTAKE", "ONE_OF")]


def test_before_submission_a_function_that_stalls_on_a_probe_costs_the_check_seconds_and_gets_no_name(capsys):
    namespace = {}
    exec(LOOPS_ON_A_PROBE, namespace)
    start = time.monotonic()
    with pytest.raises(CheckFailed):
        check(namespace["update_lr"])
    assert time.monotonic() - start < diagnosis.SECONDS + 2, "the check waited for a stalled probe"
    assert "known mistake" not in capsys.readouterr().out


def test_the_graders_load_the_engine_by_path_and_turn_a_stored_name_into_its_sentence():
    assert diagnosing.DIAGNOSIS.__name__.startswith("_optgrade_private_")
    assert diagnosing.DIAGNOSIS.FINGERPRINTS == diagnosis.FINGERPRINTS
    assert diagnosing.sentence("update_lr", "epoch_plus_one") == _hand("update_lr", "epoch_plus_one").message
    assert diagnosing.sentence("update_lr", "no_such_mistake") is None
