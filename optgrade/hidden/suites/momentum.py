"""Hidden tests of ``initialize_velocity`` and ``update_parameters_with_momentum``."""

from .. import inputs, reference
from ..registry import hidden_test
from . import common, initializers

INIT, UPDATE = "initialize_velocity", "update_parameters_with_momentum"
NAMES = ("parameters", "v")
COMPUTED = ("v", "parameters")  # v = beta*v + (1 - beta)*dW first, then W = W - alpha*v


def _reference(parameters, grads, v, beta, learning_rate):
    return reference.function("momentum", UPDATE)(parameters, grads, v, beta, learning_rate)


initializers.register(INIT, "v")


@hidden_test("update_parameters_with_momentum.structure")
def structure_test(student):
    """Returns (parameters, v): dicts of the right keys and shapes; the given arrays unchanged."""
    parameters = inputs.parameters(inputs.LAYERS[0], 1)
    v = inputs.moments(parameters, 3)
    args = (parameters, inputs.gradients(parameters, 2), v, 0.9, 0.1)
    common.check_structure(UPDATE, student, args, NAMES, [parameters, v], COMPUTED)


@hidden_test("update_parameters_with_momentum.values")
def values_test(student):
    """One step from zero and non-zero velocities, two betas."""
    cases = [
        (f"{description}, beta {beta}, {kind} v", (parameters, grads, state, beta, 0.05))
        for description, parameters, grads in common.update_inputs()
        for beta in (0.9, 0.6)
        for kind, state in (("zero", inputs.zeros_like(parameters)), ("non-zero", inputs.moments(parameters, 7)))
    ]
    common.check_values(UPDATE, student, cases, common.dicts_comparer(NAMES, COMPUTED), [_reference])


def _stepper(update):
    """step(parameters, grads, learning_rate) running ``update`` with its velocity kept between steps."""
    v = None

    def step(parameters, grads, learning_rate):
        nonlocal v
        v = inputs.zeros_like(parameters) if v is None else v
        parameters, v = common.unpack(update(parameters, grads, v, 0.9, learning_rate), 2, UPDATE)
        return parameters

    return step


@hidden_test("update_parameters_with_momentum.training")
def training_test(student):
    """Brief training with momentum (beta 0.9) follows the reference step for step."""
    common.check_training(UPDATE, _stepper, student, [_reference], 0.05)
