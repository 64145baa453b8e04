"""Hidden tests of ``initialize_adam`` and ``update_parameters_with_adam``."""

from .. import inputs, reference, variants
from ..outcome import Failure
from ..registry import hidden_test
from . import common, initializers

INIT, UPDATE = "initialize_adam", "update_parameters_with_adam"
NAMES = ("parameters", "v", "s", "v_corrected", "s_corrected")
COMPUTED = ("v", "s", "v_corrected", "s_corrected", "parameters")  # the order of the formulas
UPDATE_ONLY = 3  # the lecture's optimizer-switch snippet unpacks (parameters, v, s)


def _contract(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    return reference.function("adam", UPDATE)(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon)


# epsilon outside the root (the contract) or inside it (the lecture's formula): both earn full marks
REFERENCES = [_contract, variants.adam_epsilon_inside_root]

initializers.register(INIT, "v", "s")


def _comparer(got, expected):
    """Five values as the contract says; three (the update's own) are compared as far as they go."""
    count = UPDATE_ONLY if isinstance(got, (tuple, list)) and len(got) == UPDATE_ONLY else len(NAMES)
    return common.dicts_comparer(NAMES[:count], COMPUTED)(got, tuple(expected)[:count])


@hidden_test("update_parameters_with_adam.structure")
def structure_test(student):
    """Returns the five dicts of the contract with the right keys and shapes; the given arrays unchanged."""
    parameters = inputs.parameters(inputs.LAYERS[0], 1)
    v, s = inputs.moments(parameters, 3), inputs.moments(parameters, 4, squared=True)
    args = (parameters, inputs.gradients(parameters, 2), v, s, 2, 0.01, 0.9, 0.999, 1e-8)
    got = student(*inputs.snapshot(args))
    if isinstance(got, (tuple, list)) and len(got) == UPDATE_ONLY:
        raise Failure(
            "returns 3 values (parameters, v, s), like the lecture's optimizer-switch snippet; the contract "
            "returns 5: (parameters, v, s, v_corrected, s_corrected)"
        )
    common.check_structure(UPDATE, student, args, NAMES, [parameters, v, s, v, s], COMPUTED)


@hidden_test("update_parameters_with_adam.values")
def values_test(student):
    """Steps t = 1, 2 and 10 from fixed moments, default and other betas, tiny gradient entries."""
    cases = []
    for description, parameters, grads in common.update_inputs():
        zeros = inputs.zeros_like(parameters)
        v, s = inputs.moments(parameters, 7), inputs.moments(parameters, 8, squared=True)
        cases += [
            (f"{description}, t = 1 from zero moments", (parameters, grads, zeros, zeros, 1)),
            (f"{description}, t = 2", (parameters, grads, v, s, 2, 0.01, 0.9, 0.999, 1e-8)),
            (f"{description}, t = 10, beta1 0.8, beta2 0.99", (parameters, grads, v, s, 10, 0.05, 0.8, 0.99, 1e-8)),
        ]
    common.check_values(UPDATE, student, cases, _comparer, REFERENCES)


def _stepper(update):
    """step(parameters, grads, learning_rate) running ``update`` with v, s and t = 1, 2, ... between steps."""
    v = s = None
    t = 0

    def step(parameters, grads, learning_rate):
        nonlocal v, s, t
        if v is None:
            v, s = inputs.zeros_like(parameters), inputs.zeros_like(parameters)
        t += 1
        result = update(parameters, grads, v, s, t, learning_rate, 0.9, 0.999, 1e-8)
        parameters, v, s = common.unpack(result, UPDATE_ONLY, UPDATE)
        return parameters

    return step


@hidden_test("update_parameters_with_adam.training")
def training_test(student):
    """Brief training with Adam (t counting updates from 1) follows a reference step for step."""
    common.check_training(UPDATE, _stepper, student, REFERENCES, 0.01)
