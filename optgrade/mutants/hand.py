"""The hand-named mistakes: edits of the reference's source, each with the sentence the student reads.

A hand entry is written like a generated one: an edit of the reference
function in ``solutions/`` (``HandEdit(function, name, message, edits)``, each
edit an ``(old, new)`` replacement of an exact snippet of the function's
source), built at load time by applying the edits and executing the edited
module (``build``). No optimizer is re-implemented here: a change of the
reference changes every entry with it, and an ``old`` snippet that is no longer
in the function (or is there more than once) raises ``StaleEdit`` at import.

``MISTAKES`` lists them as ``Mistake`` tuples (with the built implementation);
``optgrade.mutants.catalog`` puts them first, before the search's generated
ones, in the one list the mistake hashes (``optgrade.fingerprints``) are built
from, and the search puts them through the same filters (``filtering.classify``).
Grading never runs this code: it reads the hashes and sentences as data
(``utils/checks/fingerprints.json``).

``name`` is a short stable slug (the report counts it); ``message`` is the
sentence the student reads, in the lecture's symbols. An entry is named only
where the probes confirm it: a wrong entry only weakens diagnostics.
"""

import ast
from collections.abc import Callable
from typing import NamedTuple

from ..exercises import ROOT, module_of


class Mistake(NamedTuple):
    function: str  # the exercise function it imitates
    name: str  # short stable slug, e.g. "beta_swapped"
    message: str  # what the student reads
    implementation: Callable  # same signature as the exercise function


class HandEdit(NamedTuple):
    function: str  # the exercise function it edits
    name: str  # short stable slug
    message: str  # what the student reads
    edits: tuple  # ((old, new), ...): exact snippets of the reference function's source, replaced in order


class StaleEdit(ValueError):
    """An edit's ``old`` snippet is not (or not exactly once) in the reference function's source."""


def edited_source(entry):
    """The source of ``solutions/<module>.py`` with ``entry``'s edits applied inside its function."""
    source = (ROOT / "solutions" / f"{module_of(entry.function)}.py").read_text()
    definitions = [node for node in ast.parse(source).body if getattr(node, "name", None) == entry.function]
    if len(definitions) != 1:
        raise StaleEdit(f"solutions/{module_of(entry.function)}.py defines no {entry.function}()")
    lines = source.splitlines(keepends=True)
    start, end = definitions[0].lineno - 1, definitions[0].end_lineno
    function = "".join(lines[start:end])
    for old, new in entry.edits:
        if function.count(old) != 1:
            found = "more than once" if old in function else "no longer"
            raise StaleEdit(f"{entry.function}:{entry.name}: {old!r} is {found} in the reference's source")
        function = function.replace(old, new)
    return "".join(lines[:start]) + function + "".join(lines[end:])


def build(entry):
    """The entry's implementation: the edited module executed on its own, its edited function."""
    scope = {"__name__": f"_optgrade_hand_{module_of(entry.function)}"}
    exec(compile(edited_source(entry), f"<hand {entry.function}:{entry.name}>", "exec"), scope)
    return scope[entry.function]


def _edit(function, name, message, *edits):
    return HandEdit(function, name, message, tuple(edits))


# An accepted variant puts epsilon inside the root; a mistake may come with either placement, so the optimizer
# entries below come twice: as written, and with the root's epsilon moved inside (``_both_placements``).
_INSIDE = {
    "update_parameters_with_rmsprop": ("(np.sqrt(new_s[key]) + epsilon)", "np.sqrt(new_s[key] + epsilon)"),
    "update_parameters_with_adam": ("(np.sqrt(s_corrected[key]) + epsilon)", "np.sqrt(s_corrected[key] + epsilon)"),
}


def _both_placements(function, name, message, *edits, inside=None):
    """Two entries: the edits, then the edits with epsilon inside the root (``inside``: edits for that placement
    where the mistake itself changes the root)."""
    return [
        _edit(function, name, message, *edits),
        _edit(function, name, message, *(inside or (*edits, _INSIDE[function]))),
    ]


_PLUS = "the step adds the gradient (+) instead of subtracting it (-): it climbs the cost"
_BETA = "beta and 1 - beta are swapped: the new value gets weight beta, the past 1 - beta"
_NO_CORRECTION = "no bias correction: divide by 1 - beta**t"
_T_OFF = "bias correction with t off by one: use beta**t with t counting from 1"
_FLOOR = "floor(epoch_num / {0}) is rounded to the nearest integer (round) instead of rounded down (floor)"
_PRECEDENCE = "missing parentheses: lr0 / 1 + ... divides only by 1; write lr0 / (1 + ...)"

_DRAW = (
    "permutation = np.random.RandomState(seed).permutation(m)",
    "rng = np.random.RandomState(seed)\n    permutation = rng.permutation(m)",
)
_GD_STEP = 'value - learning_rate * grads["d" + name]'
_MOMENTUM_STEP = "value - learning_rate * new_v[key]"
_RMS_ROOT = "(np.sqrt(new_s[key]) + epsilon)"
_RMS_AVERAGE = "beta2 * s[key] + (1 - beta2) * np.square(grad)"
_ADAM_ROOT = "(np.sqrt(s_corrected[key]) + epsilon)"
_CORRECTIONS = "correction1 = 1 - beta1**t\n    correction2 = 1 - beta2**t"
_INVERSE_TIME = "learning_rate0 / (1 + decay_rate * epoch_num)"
_INTERVAL = "learning_rate0 / (1 + decay_rate * math.floor(epoch_num / time_interval))"
_EXPONENTIAL = "decay_rate**epoch_num * learning_rate0"
_SQRT = "k / math.sqrt(epoch_num) * learning_rate0"
_STAIRS = "math.floor(epoch_num / epochs_per_drop)"

EDITS = [
    _edit(
        "random_mini_batches",
        "xy_different_permutations",
        "X and Y are shuffled with different permutations, so examples lose their labels",
        _DRAW,
        ("Y[:, permutation].reshape", "Y[:, rng.permutation(m)].reshape"),
    ),
    _edit(
        "random_mini_batches",
        "permutation_drawn_twice",
        "the permutation is drawn twice from the seeded generator: use the first draw, once, for X and Y",
        (_DRAW[0], _DRAW[1] + "\n    permutation = rng.permutation(m)"),
    ),
    _edit(
        "random_mini_batches",
        "not_shuffled",
        "the columns are not shuffled: draw np.random.RandomState(seed).permutation(m)",
        ("np.random.RandomState(seed).permutation(m)", "np.arange(m)"),
    ),
    _edit(
        "random_mini_batches",
        "last_batch_dropped",
        "the last, smaller mini-batch is missing (m % mini_batch_size examples)",
        ("mini_batches.append((shuffled_X[:, start:], shuffled_Y[:, start:]))", "pass"),
    ),
    _edit(
        "random_mini_batches",
        "empty_batch_added",
        "an empty mini-batch is added when mini_batch_size divides m",
        ("if m % mini_batch_size != 0:", "if m % mini_batch_size >= 0:"),
    ),
    _edit(
        "update_parameters_with_gd", "plus_instead_of_minus", _PLUS, ("value - learning_rate", "value + learning_rate")
    ),
    _edit(
        "update_parameters_with_gd",
        "learning_rate_missing",
        "the step is W - dW: multiply the gradient by the learning rate alpha",
        (_GD_STEP, 'value - grads["d" + name]'),
    ),
    _edit(
        "update_parameters_with_gd",
        "step_without_old_value",
        "W = -alpha * dW forgets the old value: the new parameter is W - alpha * dW",
        (_GD_STEP, '-learning_rate * grads["d" + name]'),
    ),
    _edit(
        "update_parameters_with_gd",
        "bias_not_updated",
        "only the weights W move: the biases b need the same step b - alpha * db",
        (_GD_STEP, f'(value if name[0] == "b" else {_GD_STEP})'),
    ),
    _edit(
        "update_parameters_with_gd",
        "last_layer_skipped",
        "the last layer is not updated (a loop over range(1, L) stops one short: use range(1, L + 1))",
        ("return {", "layers = len(parameters) // 2\n    return {"),
        (_GD_STEP, f"(value if int(name[1:]) == layers else {_GD_STEP})"),
    ),
    _edit("ewa", "beta_swapped", _BETA, ("v = beta * v + (1 - beta) * value", "v = (1 - beta) * v + beta * value")),
    _edit(
        "ewa",
        "started_at_theta1",
        "the average starts at theta_1 instead of V_0 = 0",
        ("v = beta * v + (1 - beta) * value", "v = value if t == 0 else beta * v + (1 - beta) * value"),
    ),
    _edit("ewa_bias_corrected", "beta_swapped", _BETA, ("V = ewa(theta, beta)", "V = ewa(theta, 1 - beta)")),
    _edit("ewa_bias_corrected", "bias_correction_missing", _NO_CORRECTION, ("return V / (1 - beta**t)", "return V")),
    _edit(
        "ewa_bias_corrected",
        "bias_correction_t_off_by_one",
        _T_OFF,
        ("np.arange(1, V.shape[0] + 1)", "np.arange(2, V.shape[0] + 2)"),
    ),
    _edit(
        "sma",
        "divides_by_window_at_start",
        "the first window - 1 averages divide by window instead of by the k values seen so far",
        ("/ (t - start)", "/ window"),
    ),
    _edit(
        "wma",
        "divides_by_window_at_start",
        "the first window - 1 averages divide by 1 + ... + window instead of 1 + ... + k (k values seen so far)",
        ("/ weights.sum()", "/ (window * (window + 1) / 2)"),
    ),
    _edit(
        "wma",
        "weights_reversed",
        "the weights are reversed: the newest value must weigh most (k), the oldest least (1)",
        ("np.arange(1, values.shape[0] + 1)", "np.arange(1, values.shape[0] + 1)[::-1]"),
    ),
    _edit(
        "update_parameters_with_momentum",
        "beta_swapped",
        _BETA,
        ("beta * v[key] + (1 - beta) * grads[key]", "(1 - beta) * v[key] + beta * grads[key]"),
    ),
    _edit(
        "update_parameters_with_momentum",
        "momentum_without_one_minus_beta",
        "v = beta * v + dW misses the factor (1 - beta) of the lecture's EWA form",
        ("beta * v[key] + (1 - beta) * grads[key]", "beta * v[key] + grads[key]"),
    ),
    _edit(
        "update_parameters_with_momentum",
        "plus_instead_of_minus",
        _PLUS,
        (_MOMENTUM_STEP, "value + learning_rate * new_v[key]"),
    ),
    _edit(
        "update_parameters_with_momentum",
        "step_uses_gradient",
        "the step uses dW instead of the new velocity: momentum steps W = W - alpha * v",
        (_MOMENTUM_STEP, "value - learning_rate * grads[key]"),
    ),
    _edit(
        "update_parameters_with_momentum",
        "step_uses_old_velocity",
        "the step uses the velocity from before this update: compute v first, then W = W - alpha * v",
        (_MOMENTUM_STEP, "value - learning_rate * v[key]"),
    ),
    _edit(
        "update_parameters_with_momentum",
        "velocity_not_returned",
        "the velocity returned is the old one: return the new v, or the next step starts from stale momentum",
        ("return new_parameters, new_v", "return new_parameters, v"),
    ),
    *_both_placements(
        "update_parameters_with_rmsprop",
        "rmsprop_without_root",
        "the step divides by s instead of sqrt(s)",
        (_RMS_ROOT, "(new_s[key] + epsilon)"),
        inside=[(_RMS_ROOT, "(new_s[key] + epsilon)")],  # no root: both placements are the same code
    ),
    *_both_placements(
        "update_parameters_with_rmsprop",
        "plus_instead_of_minus",
        _PLUS,
        ("value - learning_rate", "value + learning_rate"),
    ),
    *_both_placements(
        "update_parameters_with_rmsprop",
        "beta_swapped",
        _BETA,
        (_RMS_AVERAGE, "(1 - beta2) * s[key] + beta2 * np.square(grad)"),
    ),
    *_both_placements(
        "update_parameters_with_rmsprop",
        "squares_summed_not_averaged",
        "s = beta2 * s + dW**2 misses the factor (1 - beta2) of the average",
        (_RMS_AVERAGE, "beta2 * s[key] + np.square(grad)"),
    ),
    *_both_placements(
        "update_parameters_with_rmsprop",
        "s_in_numerator",
        "s is in the numerator (a slip in the lecture's display formula): W = W - alpha * dW / sqrt(s)",
        ("learning_rate * grad /", "learning_rate * new_s[key] /"),
    ),
    *_both_placements(
        "update_parameters_with_rmsprop",
        "step_uses_old_s",
        "the step divides by the root of the s from before this update: update s first, then step",
        (_RMS_ROOT, "(np.sqrt(s[key]) + epsilon)"),
        inside=[(_RMS_ROOT, "np.sqrt(s[key] + epsilon)")],
    ),
    _edit(
        "update_parameters_with_rmsprop",
        "epsilon_missing",
        "epsilon is missing: with s = 0 the step is 0 / 0 (NaN); divide by sqrt(s) + epsilon",
        (_RMS_ROOT, "np.sqrt(new_s[key])"),
    ),
    *_both_placements(
        "update_parameters_with_adam",
        "beta_swapped",
        _BETA,
        ("beta1 * v[key] + (1 - beta1) * grad", "(1 - beta1) * v[key] + beta1 * grad"),
        ("beta2 * s[key] + (1 - beta2) * np.square(grad)", "(1 - beta2) * s[key] + beta2 * np.square(grad)"),
    ),
    *_both_placements(
        "update_parameters_with_adam",
        "bias_correction_missing",
        _NO_CORRECTION,
        ("new_v[key] / correction1", "new_v[key]"),
        ("new_s[key] / correction2", "new_s[key]"),
    ),
    *_both_placements(
        "update_parameters_with_adam",
        "bias_correction_t_off_by_one",
        _T_OFF,
        (_CORRECTIONS, "correction1 = 1 - beta1 ** (t + 1)\n    correction2 = 1 - beta2 ** (t + 1)"),
    ),
    *_both_placements(
        "update_parameters_with_adam",
        "corrected_returned_as_state",
        "the bias-corrected moments are returned as the running state v, s: return the uncorrected ones",
        ("return new_parameters, new_v, new_s,", "return new_parameters, v_corrected, s_corrected,"),
    ),
    *_both_placements(
        "update_parameters_with_adam",
        "update_uses_uncorrected_v",
        "the update uses v instead of v_corrected",
        ("learning_rate * v_corrected[key] /", "learning_rate * new_v[key] /"),
    ),
    *_both_placements(
        "update_parameters_with_adam",
        "beta1_beta2_swapped",
        "beta1 and beta2 are swapped",
        (_CORRECTIONS, "beta1, beta2 = beta2, beta1\n    " + _CORRECTIONS),
    ),
    *_both_placements(
        "update_parameters_with_adam",
        "t_always_one",
        "the bias correction ignores t (as if t = 1 at every step): use the t passed in",
        (_CORRECTIONS, "correction1 = 1 - beta1\n    correction2 = 1 - beta2"),
    ),
    *_both_placements(
        "update_parameters_with_adam",
        "plus_instead_of_minus",
        _PLUS,
        ("value - learning_rate", "value + learning_rate"),
    ),
    *_both_placements(
        "update_parameters_with_adam",
        "corrections_swapped",
        "the corrections are swapped: v_corrected = v / (1 - beta1**t), s_corrected = s / (1 - beta2**t)",
        (_CORRECTIONS, "correction1 = 1 - beta2**t\n    correction2 = 1 - beta1**t"),
    ),
    _edit(
        "update_parameters_with_adam",
        "epsilon_missing",
        "epsilon is missing: with s = 0 the step is 0 / 0 (NaN); divide by sqrt(s_corrected) + epsilon",
        (_ADAM_ROOT, "np.sqrt(s_corrected[key])"),
    ),
    _edit(
        "update_lr",
        "precedence_divides_by_one",
        _PRECEDENCE,
        (_INVERSE_TIME, "learning_rate0 / 1 + decay_rate * epoch_num"),
    ),
    _edit(
        "update_lr",
        "epoch_plus_one",
        "epochs counted from 1 (epoch_num + 1): epoch 0 must run at lr0",
        (_INVERSE_TIME, "learning_rate0 / (1 + decay_rate * (epoch_num + 1))"),
    ),
    _edit(
        "update_lr",
        "decay_rate_ignored",
        "decay_rate is not used: lr0 / (1 + epoch_num) is the case decay_rate = 1 only",
        (_INVERSE_TIME, "learning_rate0 / (1 + epoch_num)"),
    ),
    _edit(
        "update_lr",
        "multiplies_instead_of_dividing",
        "lr0 is multiplied by (1 + decay_rate * epoch_num): the rate must shrink, divide by it",
        (_INVERSE_TIME, "learning_rate0 * (1 + decay_rate * epoch_num)"),
    ),
    _edit(
        "update_lr",
        "rounded_result",
        "the rate is rounded (to 5 decimals, like 0.16667 in the contract): return the exact value",
        (_INVERSE_TIME, f"round({_INVERSE_TIME}, 5)"),
    ),
    _edit(
        "schedule_lr_decay",
        "no_floor",
        "epoch_num / time_interval is not rounded down: use floor(epoch_num / time_interval)",
        ("decay_rate * math.floor(epoch_num / time_interval)", "decay_rate * epoch_num / time_interval"),
    ),
    _edit("schedule_lr_decay", "round_instead_of_floor", _FLOOR.format("time_interval"), ("math.floor(", "round(")),
    _edit(
        "schedule_lr_decay",
        "time_interval_ignored",
        "time_interval is not used: the rate must drop once every time_interval epochs, not every epoch",
        ("math.floor(epoch_num / time_interval)", "math.floor(epoch_num)"),
    ),
    _edit(
        "schedule_lr_decay",
        "floor_includes_decay_rate",
        "the floor wraps decay_rate too: floor(decay_rate * epoch_num / time_interval); floor only the ratio",
        ("decay_rate * math.floor(epoch_num / time_interval)", "math.floor(decay_rate * epoch_num / time_interval)"),
    ),
    _edit(
        "schedule_lr_decay",
        "precedence_divides_by_one",
        _PRECEDENCE,
        (_INTERVAL, "learning_rate0 / 1 + decay_rate * math.floor(epoch_num / time_interval)"),
    ),
    _edit(
        "exponential_decay",
        "one_minus_rate",
        "written as lr0 * (1 - decay_rate)**epoch_num: the rate is decay_rate**epoch_num * lr0",
        (_EXPONENTIAL, "learning_rate0 * (1 - decay_rate) ** epoch_num"),
    ),
    _edit(
        "exponential_decay",
        "epoch_plus_one",
        "the exponent is epoch_num + 1: epoch 0 must run at lr0 (decay_rate**0 = 1)",
        (_EXPONENTIAL, "decay_rate ** (epoch_num + 1) * learning_rate0"),
    ),
    _edit(
        "exponential_decay",
        "lr_inside_power",
        "lr0 is inside the power, (decay_rate * lr0)**epoch_num: only decay_rate is raised to epoch_num",
        (_EXPONENTIAL, "(decay_rate * learning_rate0) ** epoch_num"),
    ),
    _edit(
        "exponential_decay",
        "decay_rate_hard_coded",
        "0.95 is written in the formula: use the decay_rate argument (0.95 is only its default)",
        (_EXPONENTIAL, "0.95**epoch_num * learning_rate0"),
    ),
    _edit(
        "exponential_decay",
        "exp_of_minus_rate",
        "written as lr0 * exp(-decay_rate * epoch_num): this schedule is decay_rate**epoch_num * lr0",
        (_EXPONENTIAL, "learning_rate0 * math.exp(-decay_rate * epoch_num)"),
    ),
    _edit(
        "sqrt_decay",
        "sqrt_missing",
        "the square root is missing: k / epoch_num decays faster than k / sqrt(epoch_num)",
        (_SQRT, "k / epoch_num * learning_rate0"),
    ),
    _edit(
        "sqrt_decay",
        "sqrt_of_ratio",
        "the root covers k too, sqrt(k / epoch_num): only epoch_num is under the root, k / sqrt(epoch_num)",
        (_SQRT, "math.sqrt(k / epoch_num) * learning_rate0"),
    ),
    _edit(
        "sqrt_decay",
        "epoch_plus_one",
        "sqrt(epoch_num + 1) is used: the first epoch (epoch_num = 1) must run at k * lr0",
        (_SQRT, "k / math.sqrt(epoch_num + 1) * learning_rate0"),
    ),
    _edit(
        "sqrt_decay",
        "k_ignored",
        "k is not used: the rate is k / sqrt(epoch_num) * lr0",
        (_SQRT, "learning_rate0 / math.sqrt(epoch_num)"),
    ),
    _edit(
        "sqrt_decay",
        "divides_by_lr0",
        "lr0 ends up in the denominator, k / (sqrt(epoch_num) * lr0): multiply, (k / sqrt(epoch_num)) * lr0",
        (_SQRT, "k / (math.sqrt(epoch_num) * learning_rate0)"),
    ),
    _edit(
        "staircase_decay",
        "no_floor",
        "epoch_num / epochs_per_drop is not rounded down: use floor(epoch_num / epochs_per_drop)",
        (_STAIRS, "(epoch_num / epochs_per_drop)"),
    ),
    _edit("staircase_decay", "round_instead_of_floor", _FLOOR.format("epochs_per_drop"), ("math.floor(", "round(")),
    _edit(
        "staircase_decay",
        "drop_as_fraction_removed",
        "drop is used as the fraction removed, (1 - drop)**...: drop is the factor kept at each step",
        ("drop ** math.floor", "(1 - drop) ** math.floor"),
    ),
    _edit(
        "staircase_decay",
        "lr_inside_power",
        "lr0 is inside the power, (lr0 * drop)**...: only drop is raised to floor(epoch_num / epochs_per_drop)",
        (f"learning_rate0 * drop ** {_STAIRS}", f"(learning_rate0 * drop) ** {_STAIRS}"),
    ),
    _edit(
        "staircase_decay",
        "drop_times_count",
        "drop is multiplied by the number of drops, * instead of **: lr0 * drop**floor(epoch_num / epochs_per_drop)",
        ("drop ** math.floor", "drop * math.floor"),
    ),
    _edit(
        "classify_critical_point",
        "signs_swapped",
        "minimum and maximum are swapped: positive eigenvalues (curving up) make a minimum",
        ('return "minimum" if has_positive else "maximum"', 'return "maximum" if has_positive else "minimum"'),
    ),
    _edit(
        "classify_critical_point",
        "degenerate_as_minimum",
        "a zero eigenvalue is treated as a minimum: with |lambda| <= tol the test cannot decide (degenerate)",
        ("if np.any(np.abs(", 'if not has_negative:\n        return "minimum"\n    if np.any(np.abs('),
    ),
    _edit(
        "gradient_descent_2d",
        "path_missing_start",
        "the path leaves out the start x0: path[0] must be x0",
        ("return path", "return path[1:]"),
    ),
    _edit(
        "gradient_descent_2d",
        "num_steps_rows",
        "the path has num_steps rows and misses the last iterate: it needs num_steps + 1 rows",
        ("return path", "return path[:-1]"),
    ),
    _edit(
        "gradient_descent_2d", "plus_instead_of_minus", _PLUS, ("path[k] - learning_rate", "path[k] + learning_rate")
    ),
]

MISTAKES = [Mistake(entry.function, entry.name, entry.message, build(entry)) for entry in EDITS]
