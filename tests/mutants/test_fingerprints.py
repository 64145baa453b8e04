"""The mistake hashes (utils/checks/fingerprints.json): generated from the one catalog, leak nothing, name by probes."""

import json
import shutil

import numpy as np
import pytest
from valid_variants import IDS, VALID

from optgrade import fingerprints
from optgrade.course import leaks
from optgrade.mutants import catalog
from optgrade.mutants.hand import MISTAKES
from utils.checks import check, diagnosis
from utils.checks.diagnosis import call_key, diagnose

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
    assert set(shipped["functions"]) == {mistake.function for mistake in catalog()}


def test_no_probe_is_a_hidden_test_input(hidden_keys):
    functions = {mistake.function for mistake in catalog()}
    assert all(not fingerprints.probe_keys(function) & hidden_keys for function in functions)


def test_each_generated_mistake_is_confirmed_or_said_among_those_the_probes_cannot_tell_apart(shipped):
    """Every generated mistake in the file, run as the student's function, is named, or is one of a one-of."""
    hand = {(m.function, m.name) for m in MISTAKES}
    generated = [m for m in catalog() if (m.function, m.name) not in hand]
    assert len(generated) > 300
    kinds = {"named": 0, "one_of": 0}
    for mistake in generated:
        names = [name for name, _ in shipped["functions"].get(mistake.function, {}).get("mistakes", [])]
        if mistake.name not in names:
            continue  # equal to a correct answer on every probe: left out of the file
        verdict = diagnose(mistake.function, mistake.implementation)
        assert mistake.name in verdict.names, (mistake.function, mistake.name, verdict.names)
        kinds[verdict.kind] += 1
    assert kinds["named"] > 10 * kinds["one_of"], kinds


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
def test_each_hand_entry_is_confirmed_alone_even_with_float_noise(index):
    mistake = MISTAKES[index]
    rng = np.random.RandomState(index)
    verdict = diagnose(mistake.function, lambda *args, **kwargs: _noisy(mistake.implementation(*args, **kwargs), rng))
    assert verdict.names == (mistake.name,)
    assert verdict.inputs == len(diagnosis.probes.inputs(mistake.function))


def _function(module, name, definition):
    namespace = {"np": np}
    exec(compile(definition, f"<variant of {module}>", "exec"), namespace)
    return namespace[name]


@pytest.mark.parametrize(("module", "name", "definition"), VALID, ids=IDS)
def test_valid_variants_are_never_named(module, name, definition, capsys):
    function = _function(module, name, definition)
    check(function)  # a style the contract prefers but grading accepts is a NOTE
    assert "known mistake" not in capsys.readouterr().out
    assert diagnose(name, function).names == ()


def _tampered(tmp_path, change):
    table = json.loads(fingerprints.PATH.read_text())
    change(table["functions"])
    folder = tmp_path / "release"
    shutil.copytree(fingerprints.PATH.parent, folder / "utils" / "checks")
    (folder / "utils" / "checks" / fingerprints.PATH.name).write_text(json.dumps(table))
    return leaks.check(folder)


def _add_hidden_input(functions):
    # a hidden test's input (update_lr.values calls update_lr(0.1, 7, 0.3)) with an outcome hash
    functions["update_lr"]["probes"][call_key((0.1, 7, 0.3), {})] = {"0" * 12: [0]}


def _add_value(functions):
    next(iter(functions["sqrt_decay"]["probes"].values()))["0.0707107"] = [0]


def _add_text(functions):
    functions["ewa"]["mistakes"][0][1] = "the reference returns [5.0, 12.5, 21.25]"


@pytest.mark.parametrize(
    ("change", "finding"),
    [
        (_add_hidden_input, "is a hidden test's input"),
        (_add_hidden_input, "is not a probe of the function"),
        (_add_value, "is not a hash of catalog mistakes"),
        (_add_text, "is not a catalog entry with its sentence"),
    ],
    ids=["hidden-input", "not-a-probe", "a-value", "other-text"],
)
def test_the_leak_check_rejects_fingerprints_that_say_more(tmp_path, change, finding):
    findings = _tampered(tmp_path, change)
    assert any("fingerprints.json: fingerprints:" in line and finding in line for line in findings), findings


def test_the_leak_check_accepts_the_shipped_fingerprints(tmp_path):
    assert _tampered(tmp_path, lambda functions: None) == []
