"""The visible checks after each exercise: pass the reference, stop at the stubs, catch typical mistakes, fast."""

import copy
import importlib
import time

import pytest

from optgrade.exercises import EXERCISES
from optgrade.hidden.mistakes import MISTAKES
from utils.checks import CheckFailed, check

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
    assert "[FAIL]" not in out.out


@pytest.mark.parametrize(("module", "name"), FUNCTIONS, ids=[name for _, name in FUNCTIONS])
def test_untouched_stub_stops_with_its_friendly_message(module, name):
    stub = getattr(importlib.import_module(f"utils.{module}"), name)
    with pytest.raises(NotImplementedError, match="is not implemented yet"):
        check(stub)


@pytest.mark.parametrize("mistake", MISTAKES, ids=[f"{m.function}-{m.name}" for m in MISTAKES])
def test_catalog_mistake_fails_the_visible_check_and_is_named_under_the_first_fail(mistake, capsys):
    """Each catalog mistake is caught by the visible check and named, alone, in the catalog's words."""
    with pytest.raises(CheckFailed, match=f"visible check\\(s\\) of {mistake.function} failed"):
        check(_named(lambda *a, **k: mistake.implementation(*copy.deepcopy(a), **copy.deepcopy(k)), mistake.function))
    lines = capsys.readouterr().out.splitlines()
    known = [index for index, line in enumerate(lines) if "known mistake" in line]
    assert [lines[index].strip() for index in known] == [f"known mistake ({mistake.name}): {mistake.message}"]
    first_fail = next(index for index, line in enumerate(lines) if "[FAIL]" in line)
    assert not any(line.startswith("  [") for line in lines[first_fail + 1 : known[0]]), "right under the first FAIL"


def test_check_names_the_functions_it_knows():
    with pytest.raises(ValueError, match="no visible checks"):
        check(print)
