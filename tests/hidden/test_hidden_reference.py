"""Every hidden test: full credit for the reference, a clean failure for the stubs, and fast enough."""

import collections
import time

import pytest
from fixtures.hidden.students import StudentFolder

from optgrade.exercises import EXERCISES, module_of
from optgrade.hidden import TESTS, grade

BUDGET_PER_NOTEBOOK = 5.0  # seconds for all hidden tests of one notebook
EXPECTED_IDS = {
    "random_mini_batches": ("structure", "values", "training"),
    "update_parameters_with_gd": ("structure", "values", "training"),
    "ewa": ("structure", "values"),
    "ewa_bias_corrected": ("structure", "values"),
    "sma": ("structure", "values"),
    "wma": ("structure", "values"),
    "initialize_velocity": ("structure", "values"),
    "update_parameters_with_momentum": ("structure", "values", "training"),
    "initialize_rmsprop": ("structure", "values"),
    "update_parameters_with_rmsprop": ("structure", "values", "training"),
    "initialize_adam": ("structure", "values"),
    "update_parameters_with_adam": ("structure", "values", "training"),
    "update_lr": ("values", "errors"),
    "schedule_lr_decay": ("values", "errors", "training"),
    "exponential_decay": ("values", "errors"),
    "sqrt_decay": ("values", "errors"),
    "staircase_decay": ("values", "errors"),
    "classify_critical_point": ("structure", "values"),
    "gradient_descent_2d": ("structure", "values"),
}


def test_the_registry_holds_exactly_the_protocol_ids():
    assert set(TESTS) == {f"{function}.{aspect}" for function, aspects in EXPECTED_IDS.items() for aspect in aspects}


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    folder = StudentFolder(tmp_path_factory.mktemp("solved"))
    folder.solve()
    return folder


@pytest.fixture(scope="module")
def stubs(tmp_path_factory):
    return StudentFolder(tmp_path_factory.mktemp("stubs"))


@pytest.mark.parametrize("test_id", sorted(TESTS))
def test_reference_gets_full_credit(solved, monkeypatch, test_id):
    monkeypatch.setenv("OPTGRADE_ACCEPT_REFERENCE", "1")
    result = solved.grade(test_id)
    assert result.full, result
    assert result.stdout == f"PASS {test_id}\n"


@pytest.mark.parametrize("test_id", sorted(TESTS))
def test_stub_fails_with_not_implemented(stubs, test_id):
    result = stubs.grade(test_id)
    function = test_id.partition(".")[0]
    assert result.error == f"{test_id}: {function}() is not implemented yet"
    assert result.stdout == f"FAIL {result.error}\n"


def test_unknown_id_is_an_authoring_error():
    with pytest.raises(KeyError):
        grade("ewa.training", points=1)


def test_hidden_tests_of_each_notebook_fit_the_time_budget(solved, monkeypatch, capsys):
    """Times each id on the reference (after one warm-up pass) and sums them per notebook."""
    monkeypatch.setenv("OPTGRADE_ACCEPT_REFERENCE", "1")
    for test_id in TESTS:
        solved.grade(test_id)
    timings = {}
    for test_id in sorted(TESTS):
        start = time.perf_counter()
        solved.grade(test_id)
        timings[test_id] = time.perf_counter() - start
    per_notebook = collections.Counter()
    for test_id, seconds in timings.items():
        per_notebook[EXERCISES[module_of(test_id.partition(".")[0])][0]] += seconds
    with capsys.disabled():
        print()
        for test_id, seconds in timings.items():
            print(f"  {test_id:45s} {seconds * 1000:7.1f} ms")
        for notebook, seconds in sorted(per_notebook.items()):
            print(f"  {notebook:45s} {seconds:7.3f} s total")
    assert max(per_notebook.values()) < BUDGET_PER_NOTEBOOK, per_notebook
