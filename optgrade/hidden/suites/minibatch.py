"""Hidden tests of ``random_mini_batches``."""

import numpy as np

from .. import compare, reference, structure, trajectories
from ..checking import expect, fail, run_quietly, runner
from ..outcome import Failure, PartialCredit
from ..registry import hidden_test

FUNCTION = "random_mini_batches"
# (n_x, m, mini_batch_size, seed): a tail batch, a divisible m, tiny sizes, one batch bigger than m
CASES = ((3, 148, 64, 1), (2, 300, 64, 11), (4, 128, 32, 5), (1, 10, 3, 0), (2, 7, 10, 2))


def _data(n_x, m):
    """X whose column j holds j + i / 10 in row i, Y whose column j holds 1000 + j: pairs are traceable."""
    X = np.arange(m, dtype=float) + np.arange(n_x).reshape(-1, 1) / 10
    return X, (1000.0 + np.arange(m)).reshape(1, m)


def _reference(X, Y, size, seed):
    return reference.function("minibatch", FUNCTION)(X, Y, size, seed)


def _shape_problem(got, n_x, m, size):
    """Container, pairs and shapes (the sizes the contract gives), or None."""
    sizes = [size] * (m // size) + ([m % size] if m % size else [])
    problem = structure.sequence(got, len(sizes), "the list of mini-batches")
    for k, (batch, width) in enumerate(zip(got, sizes, strict=False)):
        problem = problem or structure.sequence(batch, 2, f"mini-batch {k}")
        if problem:
            break
        problem = structure.first(
            structure.array(batch[0], (n_x, width), f"mini-batch {k}'s X", floats=False),
            structure.array(batch[1], (1, width), f"mini-batch {k}'s Y", floats=False),
        )
    return problem


def same_batches(got, expected):
    """Exact comparison of two lists of (X, Y) mini-batches: which mini-batches k are right, the first wrong value."""
    problem = structure.sequence(got, len(expected), "the list of mini-batches")
    for k, batch in enumerate(got if problem is None else ()):
        problem = problem or structure.sequence(batch, 2, f"mini-batch {k}")
    return problem or compare.where(
        [
            (("mini-batch", k), [(f"mini-batch {k}'s X", batch[0], want_X), (f"mini-batch {k}'s Y", batch[1], want_Y)])
            for k, (batch, (want_X, want_Y)) in enumerate(zip(got, expected, strict=True))
        ],
        0,
        0,
    )


def _valid_partition(got, X, Y, size):
    """Right sizes, every column exactly once, each X column with its own label."""
    n_x, m = X.shape
    if _shape_problem(got, n_x, m, size):
        return False
    columns = [int(round(j)) for batch_X, _ in got for j in compare.as_floats(batch_X[0])[1]]
    labels = [int(round(y)) - 1000 for _, batch_Y in got for y in compare.as_floats(batch_Y)[1]]
    return sorted(columns) == list(range(m)) and columns == labels


def _student_output(student, n_x, m, size, seed):
    X, Y = _data(n_x, m)
    X.setflags(write=False)
    Y.setflags(write=False)
    return X, Y, student(X, Y, size, seed)


@hidden_test("random_mini_batches.structure")
def structure_test(student):
    """Container, pairs, shapes and count of the batches (with a tail batch, and without)."""
    for n_x, m, size, seed in (CASES[0], CASES[2]):
        X, Y, got = _student_output(student, n_x, m, size, seed)
        problem = _shape_problem(got, n_x, m, size)
        if problem:
            context = f"m = {m}, mini_batch_size = {size}: {problem}"
            fail(FUNCTION, context, got, runner(X, Y, size, seed), same_batches)


@hidden_test("random_mini_batches.values")
def values_test(student):
    """The same batches as the reference; a valid shuffled partition in another order earns half."""
    partial = None
    for n_x, m, size, seed in CASES:
        X, Y, got = _student_output(student, n_x, m, size, seed)
        expected = _reference(X, Y, size, seed)
        difference = same_batches(got, expected)
        if difference is None:
            continue
        context = f"m = {m}, mini_batch_size = {size}, seed = {seed}: {difference}"
        if not _valid_partition(got, X, Y, size):
            fail(FUNCTION, context, got, runner(X, Y, size, seed), same_batches)
        partial = partial or PartialCredit(
            0.5,
            f"{context}. The batches are a valid shuffled partition, but not the contract's: shuffle with "
            "np.random.RandomState(seed).permutation(m) and cut the shuffled columns in order",
        )
    if partial:
        raise partial


def _checked(function):
    """The student's function, failing clearly if a training epoch gets malformed batches."""

    def batches(X, Y, size, seed):
        got = function(X, Y, size, seed)
        problem = _shape_problem(got, X.shape[0], X.shape[1], size)
        if problem:
            raise Failure(f"in training (seed {seed}): {problem}")
        return got

    return batches


def _gd(parameters, grads, learning_rate):
    return reference.function("gd", "update_parameters_with_gd")(parameters, grads, learning_rate)


@hidden_test("random_mini_batches.training")
def training_test(student):
    """Brief mini-batch gradient descent with the student's batches follows the reference step for step."""
    got = trajectories.run(_gd, 0.1, batches=_checked(student))

    def run(implementation):
        key = ("batches", implementation)
        return trajectories.trusted_run(key, lambda: run_quietly(trajectories.run, _gd, 0.1, batches=implementation))

    expect(FUNCTION, got, run, trajectories.differences, [_reference], "in brief training")
