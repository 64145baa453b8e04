"""Given code: the probe inputs on which a failed check asks the student's function what it does.

When a check fails, ``diagnosis`` runs the student's function on every probe of
that function and compares each outcome (by hash) with what each known mistake
gives there. The probes are public, small and fixed; each is of a kind where
mistakes that look alike on one input part ways: ``t = 1`` against ``t > 1``
(bias correction), ``beta = 0`` (the average is the newest value),
a last mini-batch of another size, ``epoch_num = 0``, a non-symmetric step
(different curvature per coordinate), ...

    inputs(function_name) -> [Probe(kind, args, kwargs), ...]

Plain Python and numpy; it imports nothing of the workbook, so the graders load
it by its path (never from ``sys.path``) and run the same probes.
"""

from typing import NamedTuple

import numpy as np


class Probe(NamedTuple):
    kind: str  # what sets it apart, in the lecture's symbols, e.g. "t = 1 from zero moments"
    args: tuple
    kwargs: dict


def _parameters(layers, seed):
    """W1, b1, ..., WL, bL for layer sizes ``layers`` (n_0, ..., n_L): values of both signs, none equal."""
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(layers)):  # noqa: E741 (the lecture's layer index)
        parameters[f"W{l}"] = rng.uniform(-1.0, 1.0, (layers[l], layers[l - 1]))
        parameters[f"b{l}"] = rng.uniform(-0.5, 0.5, (layers[l], 1))
    return parameters


def _like(parameters, seed, low=-1.0, high=1.0, prefix="d"):
    """A dict under the gradient keys dW1, db1, ... of random values in [low, high), shaped like ``parameters``."""
    rng = np.random.RandomState(seed)
    return {prefix + key: rng.uniform(low, high, value.shape) for key, value in parameters.items()}


def _zeros(parameters):
    return {"d" + key: np.zeros_like(value) for key, value in parameters.items()}


def _with_zero_gradient(grads):
    """``grads`` with its first entry 0 (with zero state, a missing epsilon divides 0 by 0 there)."""
    return _zero_first(grads)


def _zero_first(values):
    """A copy of the dict of arrays ``values`` with the first entry of its first array 0."""
    values = {key: value.copy() for key, value in values.items()}
    values[next(iter(values))][0, 0] = 0.0
    return values


TWO, THREE = (3, 2, 1), (2, 3, 2, 1)  # layer sizes: two layers, three layers (the last layer is not layer 2)


def _optimizer_states(seed):
    """(description, parameters, grads, state, squared state) for two and three layers."""
    for layers in (TWO, THREE):
        parameters = _parameters(layers, seed)
        grads = _like(parameters, seed + 1)
        v = _like(parameters, seed + 2, -0.2, 0.2)
        s = _like(parameters, seed + 3, 0.01, 0.09)
        yield f"{len(layers) - 1} layers", parameters, grads, v, s


def _mini_batches():
    def data(m, n_x=2):
        X = np.arange(n_x * m, dtype=float).reshape(n_x, m) + 0.5
        Y = (np.arange(m).reshape(1, m) % 3 == 0).astype(float)
        return X, Y

    return [
        Probe("a last mini-batch of another size (m = 10, mini_batch_size = 4)", (*data(10), 4, 1), {}),
        Probe("mini_batch_size divides m (m = 8, mini_batch_size = 4)", (*data(8), 4, 2), {}),
        Probe("one mini-batch of 1 left over (m = 7, mini_batch_size = 3)", (*data(7, 3), 3, 5), {}),
        Probe("mini_batch_size larger than m (m = 5, mini_batch_size = 8)", (*data(5), 8, 3), {}),
        Probe("a last mini-batch one short of full (m = 11, mini_batch_size = 4)", (*data(11), 4, 4), {}),
        Probe("the default mini_batch_size and seed (m = 70)", data(70, 1), {}),
    ]


def _gd():
    probes = []
    for description, parameters, grads, _, _ in _optimizer_states(11):
        probes.append(Probe(f"{description}, learning_rate = 0.1", (parameters, grads, 0.1), {}))
    parameters = _parameters(THREE, 13)
    probes.append(Probe("3 layers, learning_rate = 0.5", (parameters, _like(parameters, 14), 0.5), {}))
    return probes


def _series():
    rise = [1.0, 3.0, 2.0, 6.0, 5.0, 9.0, 4.0]
    return rise, np.array([10.0, -2.0, 7.0, 3.5, 0.0, 8.0])


def _averages():
    rise, array = _series()
    return [
        Probe("beta = 0.9, T = 7", (rise, 0.9), {}),
        Probe("beta = 0 (V_t = theta_t)", (array, 0.0), {}),
        Probe("beta = 0.5 on an array with negative values", (array, 0.5), {}),
        Probe("beta = 0.2, T = 1", ([4.0], 0.2), {}),
    ]


def _windows():
    rise, array = _series()
    return [
        Probe("window = 3, T = 7", (rise, 3), {}),
        Probe("window = 1 (each value alone)", (array, 1), {}),
        Probe("window = T", (array, 6), {}),
        Probe("window larger than T", ([2.0, 5.0, 1.0], 5), {}),
        Probe("window = 4 on an array with negative values", (array, 4), {}),
    ]


def _initializers():
    return [
        Probe("2 layers", (_parameters(TWO, 21),), {}),
        Probe("3 layers", (_parameters(THREE, 22),), {}),
    ]


def _momentum():
    probes = []
    for description, parameters, grads, v, _ in _optimizer_states(31):
        probes.append(Probe(f"{description}, v = 0, beta = 0.9", (parameters, grads, _zeros(parameters), 0.9, 0.1), {}))
        probes.append(Probe(f"{description}, v != 0, beta = 0.8", (parameters, grads, v, 0.8, 0.05), {}))
    parameters = _parameters(TWO, 33)
    grads, v = _like(parameters, 34), _like(parameters, 35, -0.3, 0.3)
    probes.append(Probe("beta = 0 (v is the gradient)", (parameters, grads, v, 0.0, 0.1), {}))
    return probes


def _rmsprop():
    probes = []
    for description, parameters, grads, _, s in _optimizer_states(41):
        probes.append(Probe(f"{description}, s = 0", (parameters, grads, _zeros(parameters), 0.01, 0.999, 1e-8), {}))
        probes.append(Probe(f"{description}, s != 0, beta2 = 0.9", (parameters, grads, s, 0.02, 0.9, 1e-8), {}))
    parameters = _parameters(TWO, 43)
    grads = _with_zero_gradient(_like(parameters, 44))
    probes.append(Probe("s = 0 and a zero gradient entry", (parameters, grads, _zeros(parameters)), {}))
    s = _like(parameters, 45, 0.02, 0.08)
    probes.append(Probe("beta2 = 0 (s is dW**2)", (parameters, _like(parameters, 46), s, 0.01, 0.0, 1e-8), {}))
    zero = (_zero_first(parameters), _zero_first(_like(parameters, 47)), s)
    probes.append(Probe("W = 0 and dW = 0 at one entry, s != 0 (the step there is 0)", zero, {}))
    return probes


def _adam():
    probes = []
    for description, parameters, grads, v, s in _optimizer_states(51):
        zeros = _zeros(parameters)
        probes.append(Probe(f"{description}, t = 1 from zero moments", (parameters, grads, zeros, zeros, 1), {}))
        probes.append(Probe(f"{description}, t = 2", (parameters, grads, v, s, 2, 0.01, 0.9, 0.999, 1e-8), {}))
        probes.append(
            Probe(
                f"{description}, t = 7, beta1 = 0.8, beta2 = 0.99",
                (parameters, grads, v, s, 7, 0.03, 0.8, 0.99, 1e-8),
                {},
            )
        )
    parameters = _parameters(TWO, 53)
    grads, v, s = _like(parameters, 54), _like(parameters, 55, -0.2, 0.2), _like(parameters, 56, 0.01, 0.09)
    probes.append(Probe("beta1 = 0, t = 3", (parameters, grads, v, s, 3, 0.01, 0.0, 0.999, 1e-8), {}))
    zeros = _zeros(parameters)
    probes.append(Probe("t = 1, a zero gradient entry", (parameters, _with_zero_gradient(grads), zeros, zeros, 1), {}))
    zero = (_zero_first(parameters), _zero_first(grads), _zero_first(v), s, 2)
    probes.append(Probe("W = 0, dW = 0 and v = 0 at one entry, s != 0 (the step there is 0)", zero, {}))
    return probes


def _schedule(*calls, errors=(-1,)):
    """Probes (learning_rate0, epoch_num, ...) for each of ``calls``, epochs out of range (ValueError), and a
    valid epoch with a negative learning_rate0, then a negative third argument (only epoch_num is range-checked:
    a check on another argument raises there)."""
    probes = [
        Probe(f"epoch_num = {call[1]}" + (" (the first epoch)" if call[1] == 0 else ""), call, {}) for call in calls
    ]
    base = calls[-1]
    probes += [Probe(f"epoch_num = {epoch} (out of range)", (base[0], epoch, *base[2:]), {}) for epoch in errors]
    lr0, epoch, third, *rest = calls[1]
    probes.append(Probe("a negative learning_rate0, epoch_num in range", (-lr0, epoch, third, *rest), {}))
    probes.append(Probe("a negative third argument, epoch_num in range", (lr0, epoch, -third, *rest), {}))
    return probes


SCHEDULES = {
    "update_lr": lambda: _schedule((0.3, 0, 0.5), (0.3, 1, 0.5), (0.4, 3, 0.25), (0.2, 6, 2.0), (0.5, 2.5, 1.5)),
    "schedule_lr_decay": lambda: _schedule(
        (0.3, 0, 0.5, 4),
        (0.3, 3, 0.5, 4),
        (0.3, 4, 0.5, 4),
        (0.4, 7, 2.0, 2),
        (0.2, 11, 0.25, 3),
        (0.2, 1500, 1.5),
        (0.2, 6.5, 1.0, 2),
    ),
    "exponential_decay": lambda: _schedule((0.3, 0, 0.8), (0.3, 1, 0.8), (0.4, 4, 0.5), (0.2, 20), (0.5, 2.5, 0.6)),
    "sqrt_decay": lambda: _schedule((0.3, 1, 2.0), (0.3, 4, 2.0), (0.4, 9, 0.5), (0.2, 2.5, 3.0), errors=(0, -2)),
    "staircase_decay": lambda: _schedule(
        (0.3, 0, 0.4, 3),
        (0.3, 2, 0.4, 3),
        (0.3, 3, 0.4, 3),
        (0.3, 4, 0.4, 3),
        (0.4, 7, 0.6, 2),
        (0.2, 1500),
        (0.2, 4.5, 0.5, 3),
    ),
}


def _hessians():
    return [
        Probe(f"H = {matrix} ({what})", (np.array(matrix, dtype=float),), {})
        for matrix, what in [
            ([[3.0, 0.0], [0.0, 0.5]], "a minimum"),
            ([[-2.0, 0.0], [0.0, -0.5]], "a maximum"),
            ([[2.0, 0.0], [0.0, -3.0]], "a saddle"),
            ([[0.0, 0.0], [0.0, 4.0]], "one zero eigenvalue"),
            ([[0.0, 0.0], [0.0, -2.0]], "one zero eigenvalue, the other negative"),
            ([[3.0, 1.0], [1.0, 3.0]], "off-diagonal terms, a minimum"),
            ([[1.0, 3.0], [3.0, 1.0]], "off-diagonal terms, a saddle"),
            ([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], "all zero, 3x3"),
            ([[2.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, 0.5]], "3x3, a saddle"),
        ]
    ]


def _stretched(point):
    """The gradient of f(x, y) = x**2 + 3 * y**2 (a non-symmetric bowl): (2x, 6y)."""
    point = np.asarray(point, dtype=float)
    return np.array([2.0 * point[0], 6.0 * point[1]])


def _descent():
    return [
        Probe("a non-symmetric step, 3 steps", (_stretched, np.array([1.0, -2.0]), 0.1, 3), {}),
        Probe("num_steps = 1", (_stretched, np.array([0.5, 1.5]), 0.05, 1), {}),
        Probe("num_steps = 0 (the path is x0 alone)", (_stretched, np.array([2.0, 1.0]), 0.1, 0), {}),
        Probe("x0 given as a list", (_stretched, [-1.0, 0.5], 0.2, 2), {}),
    ]


_PROBES = {
    "random_mini_batches": _mini_batches,
    "update_parameters_with_gd": _gd,
    "ewa": _averages,
    "ewa_bias_corrected": _averages,
    "sma": _windows,
    "wma": _windows,
    "initialize_velocity": _initializers,
    "update_parameters_with_momentum": _momentum,
    "initialize_rmsprop": _initializers,
    "update_parameters_with_rmsprop": _rmsprop,
    "initialize_adam": _initializers,
    "update_parameters_with_adam": _adam,
    **SCHEDULES,
    "classify_critical_point": _hessians,
    "gradient_descent_2d": _descent,
}


def inputs(function_name):
    """The probes of ``function_name`` (new arrays on every call), [] for a function without probes."""
    make = _PROBES.get(function_name)
    return make() if make else []
