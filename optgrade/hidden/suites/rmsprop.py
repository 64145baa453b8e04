"""Hidden tests of ``initialize_rmsprop`` and ``update_parameters_with_rmsprop``."""

from .. import inputs, reference, variants
from ..registry import hidden_test
from . import common, initializers

INIT, UPDATE = "initialize_rmsprop", "update_parameters_with_rmsprop"
NAMES = ("parameters", "s")
COMPUTED = ("s", "parameters")  # s = beta2*s + (1 - beta2)*dW**2 first, then the step


def _contract(parameters, grads, s, learning_rate=0.01, beta2=0.999, epsilon=1e-8):
    return reference.function("rmsprop", UPDATE)(parameters, grads, s, learning_rate, beta2, epsilon)


# epsilon outside the root (the contract) or inside it (the lecture's code): both earn full marks
REFERENCES = [_contract, variants.rmsprop_epsilon_inside_root]

initializers.register(INIT, "s")


@hidden_test("update_parameters_with_rmsprop.structure")
def structure_test(student):
    """Returns (parameters, s): dicts of the right keys and shapes; the given arrays unchanged."""
    parameters = inputs.parameters(inputs.LAYERS[0], 1)
    s = inputs.moments(parameters, 3, squared=True)
    args = (parameters, inputs.gradients(parameters, 2), s, 0.01, 0.999, 1e-8)
    common.check_structure(UPDATE, student, args, NAMES, [parameters, s], COMPUTED)


@hidden_test("update_parameters_with_rmsprop.values")
def values_test(student):
    """One step from zero and non-zero s, with tiny gradient entries where epsilon matters."""
    cases = [
        (f"{description}, {kind} s, beta2 {beta2}", (parameters, grads, state, 0.01, beta2, 1e-8))
        for description, parameters, grads in common.update_inputs()
        for beta2 in (0.999, 0.9)
        for kind, state in (("zero", inputs.zeros_like(parameters)), ("non-zero", inputs.moments(parameters, 7, True)))
    ]
    common.check_values(UPDATE, student, cases, common.dicts_comparer(NAMES, COMPUTED), REFERENCES)


def _stepper(update):
    """step(parameters, grads, learning_rate) running ``update`` with its s kept between steps."""
    s = None

    def step(parameters, grads, learning_rate):
        nonlocal s
        s = inputs.zeros_like(parameters) if s is None else s
        parameters, s = common.unpack(update(parameters, grads, s, learning_rate, 0.999, 1e-8), 2, UPDATE)
        return parameters

    return step


@hidden_test("update_parameters_with_rmsprop.training")
def training_test(student):
    """Brief training with RMSprop follows a reference (epsilon in or out of the root) step for step."""
    common.check_training(UPDATE, _stepper, student, REFERENCES, 0.005)
