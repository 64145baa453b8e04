"""Brief make_moons training for the ``training`` tests, recorded step by step.

The run is the workbook's (layers [2, 5, 2, 1], He init from RandomState(3),
mini-batches of 64 shuffled with seed 11 + epoch) but short: ``EPOCHS``
epochs of 5 mini-batches. The network and data are the instructor's copies
(``reference.network``, ``reference.moons``), so edits to the student's
given files change nothing.
"""

import numpy as np

from . import compare, reference
from .outcome import Failure

EPOCHS = 30
LAYERS = (2, 5, 2, 1)
MINI_BATCH_SIZE = 64


def _keys():
    return {f"{kind}{l}" for l in range(1, len(LAYERS)) for kind in "Wb"}


def _check_parameters(parameters, step):
    if not isinstance(parameters, dict) or set(parameters) != _keys():
        kind = type(parameters).__name__
        keys = sorted(parameters) if isinstance(parameters, dict) else kind
        raise Failure(f"in training, update {step} returned parameters {keys} instead of a dict of W1..b3")
    recorded = {}
    for key, value in parameters.items():
        if compare.as_floats(value) is None:
            raise Failure(f"in training, update {step} returned parameters that are not arrays of numbers")
        recorded[key] = np.array(value, dtype=float)  # a copy: later in-place updates cannot change it
    return recorded


def run(update, learning_rate, batches=None, schedule=None, epochs=EPOCHS):
    """Parameters after every mini-batch update: one dict of float array copies per step.

    Arguments:
        update -- update(parameters, grads, learning_rate) -> new parameters
            (the optimizer with its state closed over).
        learning_rate -- the initial rate.
        batches -- random_mini_batches-like function (default: the reference).
        schedule -- None or rate(learning_rate0, epoch): the rate after ``epoch``.
    """
    network = reference.network()
    X, Y = reference.moons()
    batches = batches or reference.function("minibatch", "random_mini_batches")
    parameters = network.initialize_parameters_he(list(LAYERS))
    rate, history = learning_rate, []
    for epoch in range(epochs):
        for mini_batch_X, mini_batch_Y in batches(X, Y, MINI_BATCH_SIZE, 11 + epoch):
            AL, cache = network.forward(mini_batch_X, parameters)
            grads = network.backward(mini_batch_Y, parameters, AL, cache)
            parameters = update(parameters, grads, rate)
            history.append(_check_parameters(parameters, len(history) + 1))
        if schedule is not None:
            rate = schedule(learning_rate, epoch)
    return history


_TRUSTED_RUNS = {}


def trusted_run(key, compute):
    """``compute()`` of a reference or catalog implementation, once per process: every student meets the same run.

    ``key`` names the run by the trusted functions and rates it uses; never pass a student's function.
    """
    if key not in _TRUSTED_RUNS:
        _TRUSTED_RUNS[key] = compute()
    return _TRUSTED_RUNS[key]


def differences(got, expected):
    """Where two recorded runs first differ (None if they agree step for step).

    Said as the first update that differs, its epoch, which of W1, b1, ... are right there and the
    first wrong value (``compare.where``).
    """
    steps_per_epoch = max(1, len(expected) // EPOCHS)
    for step, (mine, theirs) in enumerate(zip(got, expected, strict=False), start=1):
        if any(compare.arrays(mine[key], theirs[key], **compare.TRAINING) for key in theirs):
            epoch = (step - 1) // steps_per_epoch
            where = compare.where([(key, [(key, mine[key], theirs[key])]) for key in theirs], **compare.TRAINING)
            return f"the parameters leave the reference's path at update {step} (epoch {epoch}): {where}"
    if len(got) != len(expected):
        return f"training made {len(got)} updates, expected {len(expected)}"
    return None
