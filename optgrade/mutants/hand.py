"""The hand-written mistakes: small wrong implementations, each with the sentence the student reads.

``MISTAKES`` lists them; ``optgrade.mutants.catalog`` puts them first, before
the search's generated ones, in the one list the mistake hashes
(``optgrade.fingerprints``) are built from. Grading never runs this code: it
reads the hashes and sentences as data (``utils/checks/fingerprints.json``).

To add a mistake, append a ``Mistake(function, name, message, implementation)``
to ``MISTAKES``: ``implementation`` takes the student function's arguments and
returns what the mistaken code would. ``name`` is a short stable slug (the
report counts it); ``message`` is the sentence the student reads, in the
lecture's symbols. An entry is named only where the probes confirm it: a wrong
entry only weakens diagnostics.
"""

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np


class Mistake(NamedTuple):
    function: str  # the exercise function it imitates
    name: str  # short stable slug, e.g. "beta_swapped"
    message: str  # what the student reads
    implementation: Callable  # same signature as the exercise function


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


def _gd(parameters, grads, learning_rate, *, mistake):
    """W[l] = W[l] - alpha * dW[l] for every layer, with one slip (``mistake``)."""
    layers = len(parameters) // 2
    new_parameters = {}
    for name, value in parameters.items():
        grad = grads["d" + name]
        if mistake == "plus_instead_of_minus":
            new_parameters[name] = value + learning_rate * grad
        elif mistake == "learning_rate_missing":
            new_parameters[name] = value - grad
        elif mistake == "step_without_old_value":
            new_parameters[name] = -learning_rate * grad
        elif (mistake == "bias_not_updated" and name[0] == "b") or (
            mistake == "last_layer_skipped" and int(name[1:]) == layers
        ):
            new_parameters[name] = value
        else:
            new_parameters[name] = value - learning_rate * grad
    return new_parameters


def _gd_entry(name, message):
    return Mistake("update_parameters_with_gd", name, message, lambda p, g, lr: _gd(p, g, lr, mistake=name))


def _momentum(parameters, grads, v, beta, learning_rate, *, mistake):
    """v = beta * v + (1 - beta) * dW, W = W - alpha * v, with one slip (``mistake``)."""
    new_parameters, new_v = {}, {}
    for name, value in parameters.items():
        key = "d" + name
        if mistake == "momentum_without_one_minus_beta":
            new_v[key] = beta * v[key] + grads[key]
        elif mistake == "beta_swapped":
            new_v[key] = (1 - beta) * v[key] + beta * grads[key]
        else:
            new_v[key] = beta * v[key] + (1 - beta) * grads[key]
        direction = {"step_uses_gradient": grads[key], "step_uses_old_velocity": v[key]}.get(mistake, new_v[key])
        sign = 1 if mistake == "plus_instead_of_minus" else -1
        new_parameters[name] = value + sign * learning_rate * direction
    return new_parameters, (v if mistake == "velocity_not_returned" else new_v)


def _momentum_entry(name, message):
    return Mistake(
        "update_parameters_with_momentum",
        name,
        message,
        lambda p, g, v, beta, lr: _momentum(p, g, v, beta, lr, mistake=name),
    )


def _rmsprop(parameters, grads, s, learning_rate=0.01, beta2=0.999, epsilon=1e-8, *, inside, mistake):
    """s = beta2 * s + (1 - beta2) * dW**2, W = W - alpha * dW / (sqrt(s) + eps), with one slip (``mistake``)."""
    new_parameters, new_s = {}, {}
    for name, value in parameters.items():
        key = "d" + name
        grad = grads[key]
        past, new = (1 - beta2, beta2) if mistake == "beta_swapped" else (beta2, 1 - beta2)
        new = 1 if mistake == "squares_summed_not_averaged" else new
        new_s[key] = past * s[key] + new * grad**2
        root_of = s[key] if mistake == "step_uses_old_s" else new_s[key]
        if mistake == "rmsprop_without_root":
            denominator = root_of + epsilon
        elif mistake == "epsilon_missing":
            denominator = np.sqrt(root_of)
        else:
            denominator = np.sqrt(root_of + epsilon) if inside else np.sqrt(root_of) + epsilon
        numerator = new_s[key] if mistake == "s_in_numerator" else grad
        sign = 1 if mistake == "plus_instead_of_minus" else -1
        new_parameters[name] = value + sign * learning_rate * numerator / denominator
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
        v_beta, s_beta = (beta2, beta1) if mistake == "corrections_swapped" else (beta1, beta2)
        v_corrected[key] = new_v[key] / (1 - v_beta**t) if correct else new_v[key]
        s_corrected[key] = new_s[key] / (1 - s_beta**t) if correct else new_s[key]
        first = new_v[key] if mistake == "update_uses_uncorrected_v" else v_corrected[key]
        if mistake == "epsilon_missing":
            root = np.sqrt(s_corrected[key])
        else:
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


def _schedule(function, name, message, rate, lowest_epoch=0):
    """A schedule entry: ``rate(learning_rate0, epoch_num, *rest)`` behind the contract's ValueError check."""

    def implementation(learning_rate0, epoch_num, *rest):
        if epoch_num < lowest_epoch:
            raise ValueError(f"epoch_num must be >= {lowest_epoch}")
        return rate(learning_rate0, epoch_num, *rest)

    return Mistake(function, name, message, implementation)


def _inverse_time(rate):
    """update_lr-style entry: rate(lr0, epoch, decay_rate); decay_rate is required."""
    return lambda lr0, epoch, decay_rate: rate(lr0, epoch, decay_rate)


def _interval(rate):
    """schedule_lr_decay-style entry: rate(lr0, epoch, decay_rate, time_interval) with its default 1000."""
    return lambda lr0, epoch, decay_rate, time_interval=1000: rate(lr0, epoch, decay_rate, time_interval)


def _exponential(rate):
    """exponential_decay-style entry with the default decay_rate 0.95."""
    return lambda lr0, epoch, decay_rate=0.95: rate(lr0, epoch, decay_rate)


def _staircase(rate):
    """staircase_decay-style entry with the defaults drop 0.5, epochs_per_drop 1000."""
    return lambda lr0, epoch, drop=0.5, epochs_per_drop=1000: rate(lr0, epoch, drop, epochs_per_drop)


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


_FLOOR = "floor(epoch_num / {0}) is rounded to the nearest integer (round) instead of rounded down (floor)"
_PRECEDENCE = "missing parentheses: lr0 / 1 + ... divides only by 1; write lr0 / (1 + ...)"
_SCHEDULES = [
    _schedule(
        "update_lr",
        "precedence_divides_by_one",
        _PRECEDENCE,
        _inverse_time(lambda lr0, epoch, rate: lr0 / 1 + rate * epoch),
    ),
    _schedule(
        "update_lr",
        "epoch_plus_one",
        "epochs counted from 1 (epoch_num + 1): epoch 0 must run at lr0",
        _inverse_time(lambda lr0, epoch, rate: lr0 / (1 + rate * (epoch + 1))),
    ),
    _schedule(
        "update_lr",
        "decay_rate_ignored",
        "decay_rate is not used: lr0 / (1 + epoch_num) is the case decay_rate = 1 only",
        _inverse_time(lambda lr0, epoch, rate: lr0 / (1 + epoch)),
    ),
    _schedule(
        "update_lr",
        "multiplies_instead_of_dividing",
        "lr0 is multiplied by (1 + decay_rate * epoch_num): the rate must shrink, divide by it",
        _inverse_time(lambda lr0, epoch, rate: lr0 * (1 + rate * epoch)),
    ),
    _schedule(
        "update_lr",
        "rounded_result",
        "the rate is rounded (to 5 decimals, like 0.16667 in the contract): return the exact value",
        _inverse_time(lambda lr0, epoch, rate: round(lr0 / (1 + rate * epoch), 5)),
    ),
    _schedule(
        "schedule_lr_decay",
        "no_floor",
        "epoch_num / time_interval is not rounded down: use floor(epoch_num / time_interval)",
        _interval(lambda lr0, epoch, rate, interval: lr0 / (1 + rate * epoch / interval)),
    ),
    _schedule(
        "schedule_lr_decay",
        "round_instead_of_floor",
        _FLOOR.format("time_interval"),
        _interval(lambda lr0, epoch, rate, interval: lr0 / (1 + rate * round(epoch / interval))),
    ),
    _schedule(
        "schedule_lr_decay",
        "time_interval_ignored",
        "time_interval is not used: the rate must drop once every time_interval epochs, not every epoch",
        _interval(lambda lr0, epoch, rate, interval: lr0 / (1 + rate * math.floor(epoch))),
    ),
    _schedule(
        "schedule_lr_decay",
        "floor_includes_decay_rate",
        "the floor wraps decay_rate too: floor(decay_rate * epoch_num / time_interval); floor only the ratio",
        _interval(lambda lr0, epoch, rate, interval: lr0 / (1 + math.floor(rate * epoch / interval))),
    ),
    _schedule(
        "schedule_lr_decay",
        "precedence_divides_by_one",
        _PRECEDENCE,
        _interval(lambda lr0, epoch, rate, interval: lr0 / 1 + rate * math.floor(epoch / interval)),
    ),
    _schedule(
        "exponential_decay",
        "one_minus_rate",
        "written as lr0 * (1 - decay_rate)**epoch_num: the rate is decay_rate**epoch_num * lr0",
        _exponential(lambda lr0, epoch, rate: lr0 * (1 - rate) ** epoch),
    ),
    _schedule(
        "exponential_decay",
        "epoch_plus_one",
        "the exponent is epoch_num + 1: epoch 0 must run at lr0 (decay_rate**0 = 1)",
        _exponential(lambda lr0, epoch, rate: rate ** (epoch + 1) * lr0),
    ),
    _schedule(
        "exponential_decay",
        "lr_inside_power",
        "lr0 is inside the power, (decay_rate * lr0)**epoch_num: only decay_rate is raised to epoch_num",
        _exponential(lambda lr0, epoch, rate: (rate * lr0) ** epoch),
    ),
    _schedule(
        "exponential_decay",
        "decay_rate_hard_coded",
        "0.95 is written in the formula: use the decay_rate argument (0.95 is only its default)",
        _exponential(lambda lr0, epoch, rate: 0.95**epoch * lr0),
    ),
    _schedule(
        "exponential_decay",
        "exp_of_minus_rate",
        "written as lr0 * exp(-decay_rate * epoch_num): this schedule is decay_rate**epoch_num * lr0",
        _exponential(lambda lr0, epoch, rate: lr0 * math.exp(-rate * epoch)),
    ),
    _schedule(
        "sqrt_decay",
        "sqrt_missing",
        "the square root is missing: k / epoch_num decays faster than k / sqrt(epoch_num)",
        lambda lr0, epoch, k: k / epoch * lr0,
        lowest_epoch=1,
    ),
    _schedule(
        "sqrt_decay",
        "sqrt_of_ratio",
        "the root covers k too, sqrt(k / epoch_num): only epoch_num is under the root, k / sqrt(epoch_num)",
        lambda lr0, epoch, k: math.sqrt(k / epoch) * lr0,
        lowest_epoch=1,
    ),
    _schedule(
        "sqrt_decay",
        "epoch_plus_one",
        "sqrt(epoch_num + 1) is used: the first epoch (epoch_num = 1) must run at k * lr0",
        lambda lr0, epoch, k: k / math.sqrt(epoch + 1) * lr0,
        lowest_epoch=1,
    ),
    _schedule(
        "sqrt_decay",
        "k_ignored",
        "k is not used: the rate is k / sqrt(epoch_num) * lr0",
        lambda lr0, epoch, k: lr0 / math.sqrt(epoch),
        lowest_epoch=1,
    ),
    _schedule(
        "sqrt_decay",
        "divides_by_lr0",
        "lr0 ends up in the denominator, k / (sqrt(epoch_num) * lr0): multiply, (k / sqrt(epoch_num)) * lr0",
        lambda lr0, epoch, k: k / (math.sqrt(epoch) * lr0),
        lowest_epoch=1,
    ),
    _schedule(
        "staircase_decay",
        "no_floor",
        "epoch_num / epochs_per_drop is not rounded down: use floor(epoch_num / epochs_per_drop)",
        _staircase(lambda lr0, epoch, drop, per: lr0 * drop ** (epoch / per)),
    ),
    _schedule(
        "staircase_decay",
        "round_instead_of_floor",
        _FLOOR.format("epochs_per_drop"),
        _staircase(lambda lr0, epoch, drop, per: lr0 * drop ** round(epoch / per)),
    ),
    _schedule(
        "staircase_decay",
        "drop_as_fraction_removed",
        "drop is used as the fraction removed, (1 - drop)**...: drop is the factor kept at each step",
        _staircase(lambda lr0, epoch, drop, per: lr0 * (1 - drop) ** math.floor(epoch / per)),
    ),
    _schedule(
        "staircase_decay",
        "lr_inside_power",
        "lr0 is inside the power, (lr0 * drop)**...: only drop is raised to floor(epoch_num / epochs_per_drop)",
        _staircase(lambda lr0, epoch, drop, per: (lr0 * drop) ** math.floor(epoch / per)),
    ),
    _schedule(
        "staircase_decay",
        "drop_times_count",
        "drop is multiplied by the number of drops, * instead of **: lr0 * drop**floor(epoch_num / epochs_per_drop)",
        _staircase(lambda lr0, epoch, drop, per: lr0 * drop * math.floor(epoch / per)),
    ),
]

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
    _gd_entry("plus_instead_of_minus", _PLUS),
    _gd_entry("learning_rate_missing", "the step is W - dW: multiply the gradient by the learning rate alpha"),
    _gd_entry(
        "step_without_old_value",
        "W = -alpha * dW forgets the old value: the new parameter is W - alpha * dW",
    ),
    _gd_entry("bias_not_updated", "only the weights W move: the biases b need the same step b - alpha * db"),
    _gd_entry(
        "last_layer_skipped",
        "the last layer is not updated (a loop over range(1, L) stops one short: use range(1, L + 1))",
    ),
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
    _momentum_entry("beta_swapped", _BETA),
    _momentum_entry(
        "momentum_without_one_minus_beta",
        "v = beta * v + dW misses the factor (1 - beta) of the lecture's EWA form",
    ),
    _momentum_entry("plus_instead_of_minus", _PLUS),
    _momentum_entry(
        "step_uses_gradient",
        "the step uses dW instead of the new velocity: momentum steps W = W - alpha * v",
    ),
    _momentum_entry(
        "step_uses_old_velocity",
        "the step uses the velocity from before this update: compute v first, then W = W - alpha * v",
    ),
    _momentum_entry(
        "velocity_not_returned",
        "the velocity returned is the old one: return the new v, or the next step starts from stale momentum",
    ),
    *_both_placements(
        "update_parameters_with_rmsprop",
        _rmsprop,
        "rmsprop_without_root",
        "the step divides by s instead of sqrt(s)",
    ),
    *_both_placements("update_parameters_with_rmsprop", _rmsprop, "plus_instead_of_minus", _PLUS),
    *_both_placements("update_parameters_with_rmsprop", _rmsprop, "beta_swapped", _BETA),
    *_both_placements(
        "update_parameters_with_rmsprop",
        _rmsprop,
        "squares_summed_not_averaged",
        "s = beta2 * s + dW**2 misses the factor (1 - beta2) of the average",
    ),
    *_both_placements(
        "update_parameters_with_rmsprop",
        _rmsprop,
        "s_in_numerator",
        "s is in the numerator (a slip in the lecture's display formula): W = W - alpha * dW / sqrt(s)",
    ),
    *_both_placements(
        "update_parameters_with_rmsprop",
        _rmsprop,
        "step_uses_old_s",
        "the step divides by the root of the s from before this update: update s first, then step",
    ),
    Mistake(
        "update_parameters_with_rmsprop",
        "epsilon_missing",
        "epsilon is missing: with s = 0 the step is 0 / 0 (NaN); divide by sqrt(s) + epsilon",
        lambda *args, **kwargs: _rmsprop(*args, inside=False, mistake="epsilon_missing", **kwargs),
    ),
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
    *_both_placements(
        "update_parameters_with_adam",
        _adam,
        "corrections_swapped",
        "the corrections are swapped: v_corrected = v / (1 - beta1**t), s_corrected = s / (1 - beta2**t)",
    ),
    Mistake(
        "update_parameters_with_adam",
        "epsilon_missing",
        "epsilon is missing: with s = 0 the step is 0 / 0 (NaN); divide by sqrt(s_corrected) + epsilon",
        lambda *args, **kwargs: _adam(*args, inside=False, mistake="epsilon_missing", **kwargs),
    ),
    *_SCHEDULES,
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
