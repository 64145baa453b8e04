"""Hidden tests of ``update_parameters_with_gd``."""

from .. import inputs, reference
from ..registry import hidden_test
from . import common

FUNCTION = "update_parameters_with_gd"
NAMES = ("parameters",)


def _reference(parameters, grads, learning_rate):
    return reference.function("gd", FUNCTION)(parameters, grads, learning_rate)


@hidden_test("update_parameters_with_gd.structure")
def structure_test(student):
    """A new dict of the parameters' keys and shapes; the given arrays unchanged."""
    parameters = inputs.parameters(inputs.LAYERS[0], 1)
    common.check_structure(FUNCTION, student, (parameters, inputs.gradients(parameters, 2), 0.1), NAMES, [parameters])


@hidden_test("update_parameters_with_gd.values")
def values_test(student):
    """One step on fixed parameters and gradients, two learning rates."""
    cases = [
        (f"{description}, learning_rate {rate}", (parameters, grads, rate))
        for description, parameters, grads in common.update_inputs()
        for rate in (0.01, 0.5)
    ]
    common.check_values(FUNCTION, student, cases, common.dicts_comparer(NAMES), [_reference])


@hidden_test("update_parameters_with_gd.training")
def training_test(student):
    """Brief mini-batch gradient descent on make_moons follows the reference step for step."""
    common.check_training(FUNCTION, lambda update: update, student, [_reference], 0.1)
