"""The catalog of known mistakes: small wrong implementations, run on the failing test's inputs.

When a hidden test finds a wrong result, it runs every entry of its function
on the same inputs; an entry whose output equals the student's (with the
test's own comparison) is named in the failure message and on a stdout line
``MISTAKE <test id>: <name>`` that ``optgrade.hidden.report`` aggregates.

To add a mistake, append a ``Mistake(function, name, message, implementation)``
to ``MISTAKES``: ``implementation`` takes the student function's arguments and
returns what the mistaken code would. ``name`` is a short stable slug (the
report counts it); ``message`` is the sentence the student reads. Entries are
matched, never trusted: a wrong entry only weakens diagnostics.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np


class Mistake(NamedTuple):
    function: str  # the exercise function it imitates
    name: str  # short stable slug, e.g. "beta_swapped"
    message: str  # what the student reads
    implementation: Callable  # same signature as the exercise function


def mistakes_for(function):
    """The catalog entries that imitate ``function``."""
    return [mistake for mistake in MISTAKES if mistake.function == function]


# --- mini-batches ---------------------------------------------------------------------------------


def _mini_batches(X, Y, size, seed, *, draws=1, separate_y=False, shuffle=True, drop_last=False, empty_tail=False):
    m = X.shape[1]
    rng = np.random.RandomState(seed)
    permutation = np.arange(m)
    for _ in range(draws if shuffle else 0):
        permutation = rng.permutation(m)
    y_permutation = rng.permutation(m) if separate_y else permutation
    X, Y = X[:, permutation], Y[:, y_permutation].reshape(1, m)
    batches = [(X[:, k : k + size], Y[:, k : k + size]) for k in range(0, m - m % size, size)]
    if m % size and not drop_last:
        batches.append((X[:, m - m % size :], Y[:, m - m % size :]))
    if empty_tail and not m % size:
        batches.append((X[:, m:], Y[:, m:]))
    return batches


def _batches(**options):
    return lambda X, Y, mini_batch_size=64, seed=0: _mini_batches(X, Y, mini_batch_size, seed, **options)


# --- EWA and moving averages ----------------------------------------------------------------------


def _ewa(theta, beta, *, swapped=False, start_at_first=False):
    theta = np.asarray(theta, dtype=float)
    past, new = (1 - beta, beta) if swapped else (beta, 1 - beta)
    V, v = np.empty_like(theta), 0.0
    for t, value in enumerate(theta):
        v = value if start_at_first and t == 0 else past * v + new * value
        V[t] = v
    return V


def _ewa_corrected(theta, beta, *, swapped=False, shift=0, correct=True):
    V = _ewa(theta, beta, swapped=swapped)
    t = np.arange(1, V.shape[0] + 1) + shift
    return V / (1 - beta**t) if correct else V


def _moving(theta, window, *, weighted, by_window=False, reversed_weights=False):
    theta = np.asarray(theta, dtype=float)
    out = np.empty_like(theta)
    for t in range(theta.shape[0]):
        values = theta[max(0, t - window + 1) : t + 1]
        k = values.shape[0]
        weights = np.arange(1, k + 1, dtype=float) if weighted else np.ones(k)
        if reversed_weights:
            weights = weights[::-1]
        total = (window * (window + 1) / 2 if weighted else window) if by_window else weights.sum()
        out[t] = weights @ values / total
    return out


# --- optimizers -----------------------------------------------------------------------------------


def _gd_plus(parameters, grads, learning_rate):
    return {name: value + learning_rate * grads["d" + name] for name, value in parameters.items()}


def _momentum(parameters, grads, v, beta, learning_rate, *, swapped=False, plain_sum=False, sign=-1):
    new_parameters, new_v = {}, {}
    for name, value in parameters.items():
        key = "d" + name
        if plain_sum:
            new_v[key] = beta * v[key] + grads[key]
        elif swapped:
            new_v[key] = (1 - beta) * v[key] + beta * grads[key]
        else:
            new_v[key] = beta * v[key] + (1 - beta) * grads[key]
        new_parameters[name] = value + sign * learning_rate * new_v[key]
    return new_parameters, new_v


def _rmsprop(parameters, grads, s, learning_rate=0.01, beta2=0.999, epsilon=1e-8, *, inside, mistake):
    new_parameters, new_s = {}, {}
    for name, value in parameters.items():
        key = "d" + name
        grad = grads[key]
        past, new = (1 - beta2, beta2) if mistake == "beta_swapped" else (beta2, 1 - beta2)
        new_s[key] = past * s[key] + new * grad**2
        if mistake == "rmsprop_without_root":
            denominator = new_s[key] + epsilon
        else:
            denominator = np.sqrt(new_s[key] + epsilon) if inside else np.sqrt(new_s[key]) + epsilon
        sign = 1 if mistake == "plus_instead_of_minus" else -1
        new_parameters[name] = value + sign * learning_rate * grad / denominator
    return new_parameters, new_s


def _adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8, *, inside, mistake):
    if mistake == "beta1_beta2_swapped":
        beta1, beta2 = beta2, beta1
    if mistake == "t_always_one":
        t = 1
    if mistake == "bias_correction_t_off_by_one":
        t = t + 1
    new_parameters, new_v, new_s, v_corrected, s_corrected = {}, {}, {}, {}, {}
    for name, value in parameters.items():
        key = "d" + name
        grad = grads[key]
        if mistake == "beta_swapped":
            new_v[key] = (1 - beta1) * v[key] + beta1 * grad
            new_s[key] = (1 - beta2) * s[key] + beta2 * grad**2
        else:
            new_v[key] = beta1 * v[key] + (1 - beta1) * grad
            new_s[key] = beta2 * s[key] + (1 - beta2) * grad**2
        correct = mistake != "bias_correction_missing"
        v_corrected[key] = new_v[key] / (1 - beta1**t) if correct else new_v[key]
        s_corrected[key] = new_s[key] / (1 - beta2**t) if correct else new_s[key]
        first = new_v[key] if mistake == "update_uses_uncorrected_v" else v_corrected[key]
        root = np.sqrt(s_corrected[key] + epsilon) if inside else np.sqrt(s_corrected[key]) + epsilon
        sign = 1 if mistake == "plus_instead_of_minus" else -1
        new_parameters[name] = value + sign * learning_rate * first / root
    if mistake == "corrected_returned_as_state":
        return new_parameters, v_corrected, s_corrected, v_corrected, s_corrected
    return new_parameters, new_v, new_s, v_corrected, s_corrected


def _both_placements(function, optimizer, name, message):
    """One entry per epsilon placement (both are accepted, so a mistake may come with either)."""
    return [
        Mistake(
            function,
            name,
            message,
            lambda *args, _inside=inside, **kwargs: optimizer(*args, inside=_inside, mistake=name, **kwargs),
        )
        for inside in (False, True)
    ]


# --- schedules and saddle points ------------------------------------------------------------------


def _schedule_no_floor(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    if epoch_num < 0:
        raise ValueError("negative epoch")
    return learning_rate0 / (1 + decay_rate * epoch_num / time_interval)


def _exponential_one_minus(learning_rate0, epoch_num, decay_rate=0.95):
    if epoch_num < 0:
        raise ValueError("negative epoch")
    return learning_rate0 * (1 - decay_rate) ** epoch_num


def _staircase_no_floor(learning_rate0, epoch_num, drop=0.5, epochs_per_drop=1000):
    if epoch_num < 0:
        raise ValueError("negative epoch")
    return learning_rate0 * drop ** (epoch_num / epochs_per_drop)


def _classify(hessian, tol=1e-8, *, signs_swapped=False, degenerate_as_minimum=False):
    eigenvalues = np.linalg.eigvalsh(np.asarray(hessian, dtype=float))
    positive, negative = bool(np.any(eigenvalues > tol)), bool(np.any(eigenvalues < -tol))
    if positive and negative:
        return "saddle"
    if degenerate_as_minimum and not negative:
        return "minimum"
    if np.any(np.abs(eigenvalues) <= tol):
        return "degenerate"
    if signs_swapped:
        return "maximum" if positive else "minimum"
    return "minimum" if positive else "maximum"


def _descent(grad, x0, learning_rate, num_steps, *, keep_start=True, keep_last=True, sign=-1):
    points = [np.asarray(x0, dtype=float)]
    for _ in range(num_steps):
        points.append(points[-1] + sign * learning_rate * np.asarray(grad(points[-1]), dtype=float))
    points = points[: len(points) - (not keep_last)][(not keep_start) :]
    return np.array(points).reshape(-1, 2)


_PLUS = "the step adds the gradient (+) instead of subtracting it (-): it climbs the cost"
_BETA = "beta and 1 - beta are swapped: the new value gets weight beta, the past 1 - beta"
_NO_CORRECTION = "no bias correction: divide by 1 - beta**t"
_T_OFF = "bias correction with t off by one: use beta**t with t counting from 1"

MISTAKES = [
    Mistake(
        "random_mini_batches",
        "xy_different_permutations",
        "X and Y are shuffled with different permutations, so examples lose their labels",
        _batches(separate_y=True),
    ),
    Mistake(
        "random_mini_batches",
        "permutation_drawn_twice",
        "the permutation is drawn twice from the seeded generator: use the first draw, once, for X and Y",
        _batches(draws=2),
    ),
    Mistake(
        "random_mini_batches",
        "not_shuffled",
        "the columns are not shuffled: draw np.random.RandomState(seed).permutation(m)",
        _batches(shuffle=False),
    ),
    Mistake(
        "random_mini_batches",
        "last_batch_dropped",
        "the last, smaller mini-batch is missing (m % mini_batch_size examples)",
        _batches(drop_last=True),
    ),
    Mistake(
        "random_mini_batches",
        "empty_batch_added",
        "an empty mini-batch is added when mini_batch_size divides m",
        _batches(empty_tail=True),
    ),
    Mistake("update_parameters_with_gd", "plus_instead_of_minus", _PLUS, _gd_plus),
    Mistake("ewa", "beta_swapped", _BETA, lambda theta, beta: _ewa(theta, beta, swapped=True)),
    Mistake(
        "ewa",
        "started_at_theta1",
        "the average starts at theta_1 instead of V_0 = 0",
        lambda theta, beta: _ewa(theta, beta, start_at_first=True),
    ),
    Mistake("ewa_bias_corrected", "beta_swapped", _BETA, lambda theta, beta: _ewa_corrected(theta, beta, swapped=True)),
    Mistake(
        "ewa_bias_corrected",
        "bias_correction_missing",
        _NO_CORRECTION,
        lambda theta, beta: _ewa_corrected(theta, beta, correct=False),
    ),
    Mistake(
        "ewa_bias_corrected",
        "bias_correction_t_off_by_one",
        _T_OFF,
        lambda theta, beta: _ewa_corrected(theta, beta, shift=1),
    ),
    Mistake(
        "sma",
        "divides_by_window_at_start",
        "the first window - 1 averages divide by window instead of by the k values seen so far",
        lambda theta, window: _moving(theta, window, weighted=False, by_window=True),
    ),
    Mistake(
        "wma",
        "divides_by_window_at_start",
        "the first window - 1 averages divide by 1 + ... + window instead of 1 + ... + k (k values seen so far)",
        lambda theta, window: _moving(theta, window, weighted=True, by_window=True),
    ),
    Mistake(
        "wma",
        "weights_reversed",
        "the weights are reversed: the newest value must weigh most (k), the oldest least (1)",
        lambda theta, window: _moving(theta, window, weighted=True, reversed_weights=True),
    ),
    Mistake(
        "update_parameters_with_momentum",
        "beta_swapped",
        _BETA,
        lambda p, g, v, beta, lr: _momentum(p, g, v, beta, lr, swapped=True),
    ),
    Mistake(
        "update_parameters_with_momentum",
        "momentum_without_one_minus_beta",
        "v = beta * v + dW misses the factor (1 - beta) of the lecture's EWA form",
        lambda p, g, v, beta, lr: _momentum(p, g, v, beta, lr, plain_sum=True),
    ),
    Mistake(
        "update_parameters_with_momentum",
        "plus_instead_of_minus",
        _PLUS,
        lambda p, g, v, beta, lr: _momentum(p, g, v, beta, lr, sign=1),
    ),
    *_both_placements(
        "update_parameters_with_rmsprop",
        _rmsprop,
        "rmsprop_without_root",
        "the step divides by s instead of sqrt(s)",
    ),
    *_both_placements("update_parameters_with_rmsprop", _rmsprop, "plus_instead_of_minus", _PLUS),
    *_both_placements("update_parameters_with_rmsprop", _rmsprop, "beta_swapped", _BETA),
    *_both_placements("update_parameters_with_adam", _adam, "beta_swapped", _BETA),
    *_both_placements("update_parameters_with_adam", _adam, "bias_correction_missing", _NO_CORRECTION),
    *_both_placements("update_parameters_with_adam", _adam, "bias_correction_t_off_by_one", _T_OFF),
    *_both_placements(
        "update_parameters_with_adam",
        _adam,
        "corrected_returned_as_state",
        "the bias-corrected moments are returned as the running state v, s: return the uncorrected ones",
    ),
    *_both_placements(
        "update_parameters_with_adam",
        _adam,
        "update_uses_uncorrected_v",
        "the update uses v instead of v_corrected",
    ),
    *_both_placements("update_parameters_with_adam", _adam, "beta1_beta2_swapped", "beta1 and beta2 are swapped"),
    *_both_placements(
        "update_parameters_with_adam",
        _adam,
        "t_always_one",
        "the bias correction ignores t (as if t = 1 at every step): use the t passed in",
    ),
    *_both_placements("update_parameters_with_adam", _adam, "plus_instead_of_minus", _PLUS),
    Mistake(
        "schedule_lr_decay",
        "no_floor",
        "epoch_num / time_interval is not rounded down: use floor(epoch_num / time_interval)",
        _schedule_no_floor,
    ),
    Mistake(
        "exponential_decay",
        "one_minus_rate",
        "written as lr0 * (1 - decay_rate)**epoch_num: the rate is decay_rate**epoch_num * lr0",
        _exponential_one_minus,
    ),
    Mistake(
        "staircase_decay",
        "no_floor",
        "epoch_num / epochs_per_drop is not rounded down: use floor(epoch_num / epochs_per_drop)",
        _staircase_no_floor,
    ),
    Mistake(
        "classify_critical_point",
        "signs_swapped",
        "minimum and maximum are swapped: positive eigenvalues (curving up) make a minimum",
        lambda hessian, tol=1e-8: _classify(hessian, tol, signs_swapped=True),
    ),
    Mistake(
        "classify_critical_point",
        "degenerate_as_minimum",
        "a zero eigenvalue is treated as a minimum: with |lambda| <= tol the test cannot decide (degenerate)",
        lambda hessian, tol=1e-8: _classify(hessian, tol, degenerate_as_minimum=True),
    ),
    Mistake(
        "gradient_descent_2d",
        "path_missing_start",
        "the path leaves out the start x0: path[0] must be x0",
        lambda grad, x0, lr, n: _descent(grad, x0, lr, n, keep_start=False),
    ),
    Mistake(
        "gradient_descent_2d",
        "num_steps_rows",
        "the path has num_steps rows and misses the last iterate: it needs num_steps + 1 rows",
        lambda grad, x0, lr, n: _descent(grad, x0, lr, n, keep_last=False),
    ),
    Mistake(
        "gradient_descent_2d",
        "plus_instead_of_minus",
        _PLUS,
        lambda grad, x0, lr, n: _descent(grad, x0, lr, n, sign=1),
    ),
]
