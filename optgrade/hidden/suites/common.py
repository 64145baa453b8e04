"""Helpers shared by the optimizer suites (gd, momentum, rmsprop, adam)."""

from .. import compare, inputs, structure, trajectories
from ..checking import expect, fail, run_quietly, runner
from ..outcome import Failure


def update_inputs(seeds=(1, 2)):
    """(description, parameters, grads) for both layer shapes and each seed."""
    for layers in inputs.LAYERS:
        for seed in seeds:
            parameters = inputs.parameters(layers, seed)
            yield f"layers {list(layers)}, seed {seed}", parameters, inputs.gradients(parameters, seed + 100)


def dicts_comparer(names, computed=()):
    """Compare a tuple of dicts named ``names`` (or a single dict if one name) with the reference's.

    ``computed`` lists the names in the order the formulas compute them (v before the parameters):
    the failure says which are right and the first wrong value in that order (``compare.dict_quantities``).
    """

    def comparer(got, expected):
        if len(names) == 1:
            return compare.dicts(got, expected, what=names[0])
        problem = structure.sequence(got, len(names))
        if problem:
            return problem
        index = {name: position for position, name in enumerate(names)}
        order = [name for name in computed if name in index] or names
        return compare.dict_quantities([(name, got[index[name]], expected[index[name]]) for name in order])

    return comparer


def check_structure(function, student, args, names, templates, computed=()):
    """The update returns dicts named ``names`` shaped like ``templates`` and leaves its input arrays alone.

    ``args`` are the call's arguments; dict arguments are checked for in-place changes; ``computed``
    as ``dicts_comparer`` takes it.
    """
    copies = [inputs.snapshot(arg) for arg in args]
    arrays_before = [dict(arg) if isinstance(arg, dict) else arg for arg in args]
    got = student(*args)
    if len(names) == 1:
        problem = structure.state_dict(got, templates[0], names[0])
    else:
        problem = structure.sequence(got, len(names))
        for index, (name, template) in enumerate(zip(names, templates, strict=True)):
            problem = problem or structure.state_dict(got[index], template, name)
    for copy, original in zip(copies, arrays_before, strict=True):
        if isinstance(copy, dict):
            problem = problem or structure.unchanged(copy, original, "an input dict's array")
    if problem:
        fail(function, problem, got, runner(*copies), dicts_comparer(names, computed))


def check_values(function, student, cases, comparer, references):
    """For each (description, args): the student's output equals one reference's, within float64 rounding."""
    for description, args in cases:
        got = student(*inputs.snapshot(args))
        expect(function, got, runner(*args), comparer, references, description)


def check_training(function, step_factory, student, references, learning_rate):
    """Brief training with ``step_factory(update)`` follows a reference's path step for step."""
    got = trajectories.run(step_factory(student), learning_rate)

    def run(implementation):
        key = ("update", step_factory, implementation, learning_rate)
        return trajectories.trusted_run(
            key, lambda: run_quietly(trajectories.run, step_factory(implementation), learning_rate)
        )

    expect(function, got, run, trajectories.differences, references, "in brief training")


def unpack(result, count, function):
    """The first ``count`` values of an update's result (Failure if it is not such a tuple)."""
    if not isinstance(result, (tuple, list)) or len(result) < count:
        raise Failure(f"in training, {function}() returned a {type(result).__name__}, expected a tuple")
    return result[:count]
