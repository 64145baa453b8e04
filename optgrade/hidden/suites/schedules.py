"""Hidden tests of the learning-rate schedules."""

import numpy as np

from .. import compare, reference, trajectories
from ..checking import expect, run_quietly, runner
from ..outcome import Failure
from ..registry import hidden_test
from ..student import describe

# function -> argument tuples of the values test (plain, float and numpy epochs; fractional ratios)
VALUES = {
    "update_lr": ((0.5, 2, 1), (0.2, 0, 1), (0.1, 7, 0.3), (0.05, 2.5, 2), (1.0, np.int64(10), 0.5)),
    "schedule_lr_decay": (
        (0.5, 100, 1, 100),
        (0.3, 1000, 0.25, 100),
        (0.1, 99, 1, 100),
        (0.1, 250, 0.5, 100),
        (0.2, 2999, 1),
        (0.1, 7.5, 1, 2),
        (0.1, 0, 3, 10),
    ),
    "exponential_decay": ((0.1, 0, 0.95), (0.1, 10, 0.95), (0.5, 3, 0.5), (0.2, 2.5, 0.9), (1.0, 100)),
    "sqrt_decay": ((0.1, 1, 1), (0.1, 4, 1), (0.2, 9, 0.5), (0.3, 2.5, 2)),
    "staircase_decay": ((0.1, 0), (0.1, 999), (0.1, 1000), (0.1, 2500, 0.5, 1000), (0.3, 7, 0.25, 3)),
}
# function -> (epochs that must raise ValueError, epochs that must not); other arguments as in VALUES[0]
ERRORS = {name: ((-1, -0.5, -1000), (0, 1)) for name in VALUES}
ERRORS["sqrt_decay"] = ((0, 0.5, -1), (1, 2))


def _call(arguments):
    return ", ".join(repr(float(a)) if isinstance(a, np.generic) else repr(a) for a in arguments)


def _rate(have, want):
    return compare.number(have, want, rtol=1e-12, atol=0)


def _values(function, student):
    """The rate at each epoch_num, in increasing epochs: a failure says the right epochs and the first wrong one."""
    implementation = reference.function("schedules", function)
    right, checked, first = [], [], None
    for arguments in sorted(VALUES[function], key=lambda arguments: float(arguments[1])):
        try:
            got = student(*arguments)
        except Failure:
            if first:  # an earlier epoch is wrong: say that one
                break
            raise
        checked.append(f"{float(arguments[1]):g}")
        if _rate(got, run_quietly(implementation, *arguments)) is None:
            right.append(checked[-1])
        elif first is None:
            first = got, arguments
    if first:
        got, arguments = first
        listed = compare.differences.listed
        said = f"right at epoch_num {listed(right)}" if right else f"none of epoch_num {listed(checked)} is right"
        context = f"{said}; first wrong: {function}({_call(arguments)})"
        expect(function, got, runner(*arguments), _rate, [implementation], context)


def _errors(function, student):
    """ValueError for epochs out of range, a number (no exception) at the boundary."""
    must_raise, must_not = ERRORS[function]
    base = VALUES[function][0]
    for epoch in must_raise:
        arguments = (base[0], epoch, *base[2:])
        try:
            result = student.raw(*arguments)
        except ValueError:
            continue
        except NotImplementedError as error:
            raise Failure(describe(error, function)) from None
        except Exception as error:
            raise Failure(
                f"{function}({_call(arguments)}) raised {type(error).__name__}, expected ValueError"
            ) from None
        raise Failure(f"{function}({_call(arguments)}) returned {result!r} instead of raising ValueError")
    for epoch in must_not:
        student(base[0], epoch, *base[2:])


for _function in VALUES:
    hidden_test(f"{_function}.values")(lambda student, f=_function: _values(f, student))
    hidden_test(f"{_function}.errors")(lambda student, f=_function: _errors(f, student))


TIME_INTERVAL = 5  # short enough for the rate to drop several times in a brief run


def _gd(parameters, grads, learning_rate):
    return reference.function("gd", "update_parameters_with_gd")(parameters, grads, learning_rate)


def _training_run(schedule_function):
    def schedule(learning_rate0, epoch):
        return schedule_function(learning_rate0, epoch, 1, TIME_INTERVAL)

    return trajectories.run(_gd, 0.2, schedule=schedule)


@hidden_test("schedule_lr_decay.training")
def training_test(student):
    """Brief gradient descent whose rate drops every 5 epochs follows the reference step for step."""
    got = _training_run(student)
    expect(
        "schedule_lr_decay",
        got,
        lambda implementation: trajectories.trusted_run(
            ("schedule", implementation), lambda: run_quietly(_training_run, implementation)
        ),
        trajectories.differences,
        [reference.function("schedules", "schedule_lr_decay")],
        f"in brief training with time_interval {TIME_INTERVAL}",
    )
