"""The student stubs in utils/ are generated from solutions/ and keep their signatures and docstrings."""

import importlib
import inspect

import pytest

from optgrade.exercises import EXERCISES
from optgrade.stubs import drifted, make_stub, solved_source

FUNCTIONS = [(module, name) for module, (_, names) in EXERCISES.items() for name in names]
IDS = [name for _, name in FUNCTIONS]


def pair(module, name):
    stub = getattr(importlib.import_module(f"utils.{module}"), name)
    solution = getattr(importlib.import_module(f"solutions.{module}"), name)
    return stub, solution


def test_utils_matches_the_generated_stubs():
    assert drifted() == []


@pytest.mark.parametrize(("module", "name"), FUNCTIONS, ids=IDS)
def test_stub_raises_a_helpful_not_implemented_error(module, name):
    stub, _ = pair(module, name)
    required = [p for p in inspect.signature(stub).parameters.values() if p.default is inspect.Parameter.empty]
    with pytest.raises(NotImplementedError) as raised:
        stub(*[None] * len(required))
    message = str(raised.value)
    assert f"{name}()" in message
    assert f"utils/{module}.py" in message
    assert EXERCISES[module][0] in message


@pytest.mark.parametrize(("module", "name"), FUNCTIONS, ids=IDS)
def test_stub_has_the_solution_signature_and_docstring(module, name):
    stub, solution = pair(module, name)
    assert inspect.signature(stub) == inspect.signature(solution)
    assert stub.__doc__ == solution.__doc__
    assert stub.__doc__


@pytest.mark.parametrize("module", EXERCISES)
def test_stub_module_keeps_the_module_docstring(module):
    stub, solution = (importlib.import_module(f"{package}.{module}") for package in ("utils", "solutions"))
    assert stub.__doc__ == solution.__doc__


def source(body):
    return "def f(x):\n" + body + "\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (source("    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION"), "nested"),
        (source("    ### BEGIN SOLUTION\n    return x"), "never closed"),
        (source("    return x\n    ### END SOLUTION"), "without"),
        ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n", "outside a function"),
    ],
    ids=["nested", "unclosed", "end-without-begin", "outside-function"],
)
def test_generator_rejects_bad_markers(text, problem):
    with pytest.raises(ValueError, match=problem):
        make_stub(text, "ewa")


def test_generator_replaces_the_solution_and_keeps_the_rest():
    text = 'import numpy as np\n\n\ndef ewa(theta, beta):\n    """Doc."""\n' + (
        "    ### BEGIN SOLUTION\n    return np.asarray(theta) * beta\n    ### END SOLUTION\n"
    )
    stub = make_stub(text, "ewa")
    assert 'import numpy as np\n\n\ndef ewa(theta, beta):\n    """Doc."""\n    # YOUR CODE HERE\n' in stub
    assert "return np.asarray" not in stub
    assert "SOLUTION" not in stub
    namespace = {}
    exec(compile(stub, "stub", "exec"), namespace)
    with pytest.raises(NotImplementedError, match=r"ewa\(\).*utils/ewa\.py"):
        namespace["ewa"]([1.0], 0.5)


def test_generator_names_the_innermost_function():
    text = "def outer():\n    def inner():\n        ### BEGIN SOLUTION\n        pass\n        ### END SOLUTION\n"
    assert "inner() is not implemented yet" in make_stub(text, "ewa")


def test_solved_source_removes_only_the_markers():
    text = source("    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION")
    assert solved_source(text) == "def f(x):\n    return x\n"


@pytest.mark.parametrize("module", EXERCISES)
def test_solved_solution_modules_compile_without_markers(module):
    path = importlib.import_module(f"solutions.{module}").__file__
    with open(path, encoding="utf-8") as handle:
        solved = solved_source(handle.read())
    assert "### BEGIN SOLUTION" not in solved
    assert "### END SOLUTION" not in solved
    compile(solved, path, "exec")
