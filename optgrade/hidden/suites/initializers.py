"""Hidden tests of the optimizer initialisers (velocity, RMSprop's s, Adam's v and s)."""

import numpy as np

from .. import compare, inputs, structure
from ..outcome import Failure
from ..registry import hidden_test


def _outputs(got, names):
    """The state dicts out of the initialiser's result (one dict, or a tuple of len(names))."""
    if len(names) == 1:
        return [got]
    problem = structure.sequence(got, len(names))
    if problem:
        raise Failure(problem)
    return list(got)


def _structure(names, student):
    for layers in inputs.LAYERS:
        parameters = inputs.parameters(layers, 4)
        template = inputs.zeros_like(parameters)
        for name, state in zip(names, _outputs(student(parameters), names), strict=True):
            problem = structure.state_dict(state, template, name)
            if problem:
                raise Failure(f"layers {list(layers)}: {problem}")


def _values(names, student):
    parameters = inputs.parameters(inputs.LAYERS[1], 5)
    states = _outputs(student(parameters), names)
    for name, state in zip(names, states, strict=True):
        problem = compare.dicts(state, inputs.zeros_like(parameters), rtol=0, atol=0, what=name)
        if problem:
            raise Failure(problem)
        for key, value in state.items():
            if np.shares_memory(value, parameters[key[1:]]):
                raise Failure(f'{name}["{key}"] shares memory with the parameters: build new zero arrays')
    if len(states) == 2:
        first, second = states
        if any(np.shares_memory(first[key], second[key]) for key in first):
            raise Failure(f"{names[0]} and {names[1]} share arrays: updating one would change the other")


def register(function, *names):
    """Register ``<function>.structure`` and ``.values`` for an initialiser returning ``names``."""
    hidden_test(f"{function}.structure")(lambda student: _structure(names, student))
    hidden_test(f"{function}.values")(lambda student: _values(names, student))
