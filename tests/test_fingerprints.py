"""The visible checks name the catalog's mistakes from shipped hashes; the hashes leak nothing."""

import json
import shutil

import numpy as np
import pytest
from test_hidden_variants import IDS, VALID

from optgrade import fingerprints
from optgrade.course import leaks
from optgrade.hidden.mistakes import MISTAKES
from utils.checks import check
from utils.checks.diagnosis import Recorder, call_key, matching

NOISE = 1e-12  # relative


@pytest.fixture(scope="module")
def shipped():
    return json.loads(fingerprints.PATH.read_text())


@pytest.fixture(scope="module")
def hidden_keys():
    return fingerprints.hidden_input_keys()


def test_the_shipped_file_is_what_the_catalog_generates():
    assert not fingerprints.drifted(), "run `optgrade stubs` to regenerate utils/checks/fingerprints.json"


def test_the_shipped_file_passes_the_audit(shipped, hidden_keys):
    assert fingerprints.audit(fingerprints.PATH.read_text(), hidden=hidden_keys) == []
    assert set(shipped["functions"]) == {mistake.function for mistake in fingerprints.catalog()}


def test_each_generated_mistake_is_named_before_submission_unless_a_hand_entry_wins():
    """The search's kept mutants are in the file: on the visible checks' calls each is named (or, where a
    hand-written entry gives the same outcome, that entry is) unless the visible calls cannot tell it from
    the reference."""
    hand = {(m.function, m.name) for m in MISTAKES}
    generated = [m for m in fingerprints.catalog() if (m.function, m.name) not in hand]
    assert len(generated) > 300
    unnamed = []
    for mistake in generated:
        calls = fingerprints.visible_calls(mistake.function, mistake.implementation)
        reference = fingerprints.visible_calls(mistake.function, fingerprints._reference(mistake.function))
        names = matching(mistake.function, calls)
        if mistake.name not in names and not any((mistake.function, n) in hand for n in names) and calls != reference:
            unnamed.append(f"{mistake.function}:{mistake.name} -> {names}")
    assert len(unnamed) <= len(generated) // 10, unnamed


def _noisy(value, rng):
    """value with every float scaled by 1 +- NOISE (random signs), same containers."""
    if isinstance(value, dict):
        return {key: _noisy(item, rng) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_noisy(item, rng) for item in value)
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value * (1 + NOISE * rng.choice([-1.0, 1.0], size=value.shape))
    if isinstance(value, float):
        return value * (1 + NOISE * rng.choice([-1.0, 1.0]))
    return value


@pytest.mark.parametrize("index", range(len(MISTAKES)), ids=[f"{m.function}:{m.name}" for m in MISTAKES])
def test_float_noise_does_not_change_the_match(index):
    mistake = MISTAKES[index]
    rng = np.random.RandomState(index)
    noisy = fingerprints.visible_calls(
        mistake.function, lambda *args, **kwargs: _noisy(mistake.implementation(*args, **kwargs), rng)
    )
    assert matching(mistake.function, noisy) == [mistake.name]


def _function(module, name, definition):
    namespace = {"np": np}
    exec(compile(definition, f"<variant of {module}>", "exec"), namespace)
    return namespace[name]


@pytest.mark.parametrize(("module", "name", "definition"), VALID, ids=IDS)
def test_valid_variants_are_never_named(module, name, definition, capsys):
    check(_function(module, name, definition))  # a style the contract prefers but grading accepts is a NOTE
    assert "known mistake" not in capsys.readouterr().out


def test_a_recorded_noisy_outcome_matches_only_on_the_known_inputs(shipped):
    """Calls the file does not know are skipped; with none known, nothing is named."""
    recorder = Recorder(lambda lr0, epoch, rate: lr0 / 1 + rate * epoch, "update_lr")
    recorder(0.25, 3, 2)  # inputs no visible check uses
    assert call_key((0.25, 3, 2), {}) not in shipped["functions"]["update_lr"]["calls"]
    assert matching("update_lr", recorder.calls) == []


def _tampered(tmp_path, change):
    table = json.loads(fingerprints.PATH.read_text())
    change(table["functions"])
    folder = tmp_path / "release"
    shutil.copytree(fingerprints.PATH.parent, folder / "utils" / "checks")
    (folder / "utils" / "checks" / fingerprints.PATH.name).write_text(json.dumps(table))
    return leaks.check(folder)


def _add_hidden_input(functions):
    # a hidden test's input (update_lr.values calls update_lr(0.1, 7, 0.3)) with an outcome hash
    functions["update_lr"]["calls"][call_key((0.1, 7, 0.3), {})] = {"0" * 12: [0]}


def _add_value(functions):
    next(iter(functions["sqrt_decay"]["calls"].values()))["0.0707107"] = [0]


def _add_text(functions):
    functions["ewa"]["mistakes"][0][1] = "the reference returns [5.0, 12.5, 21.25]"


@pytest.mark.parametrize(
    ("change", "finding"),
    [
        (_add_hidden_input, "is a hidden test's input"),
        (_add_hidden_input, "is not a visible check's call"),
        (_add_value, "is not a hash of catalog mistakes"),
        (_add_text, "is not a catalog entry with its message"),
    ],
    ids=["hidden-input", "not-a-visible-call", "a-value", "other-text"],
)
def test_the_leak_check_rejects_fingerprints_that_say_more(tmp_path, change, finding):
    findings = _tampered(tmp_path, change)
    assert any("fingerprints.json: fingerprints:" in line and finding in line for line in findings), findings


def test_the_leak_check_accepts_the_shipped_fingerprints(tmp_path):
    assert _tampered(tmp_path, lambda functions: None) == []
