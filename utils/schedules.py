# Exercise file for 06_learning_rate_decay.ipynb: replace each `raise NotImplementedError(...)`
# with your code. (Generated from solutions/schedules.py by `optgrade stubs`.)
"""Learning-rate decay schedules: pure functions of the epoch number.

Every schedule takes the initial rate alpha_0 (``learning_rate0``) and a
scalar ``epoch_num`` (int or float, epochs counted from 0) and returns the
rate as a float. A negative ``epoch_num`` raises ValueError.
"""

import math


def update_lr(learning_rate0, epoch_num, decay_rate):
    """Inverse-time decay, updated every epoch.

        alpha = alpha_0 / (1 + decay_rate * epoch_num)

    Example: alpha_0 = 0.2, decay_rate = 1 gives 0.1, 0.067, 0.05, 0.04 for
    epochs 1..4.

    Arguments:
        learning_rate0 -- initial learning rate alpha_0 (float > 0).
        epoch_num -- epoch number (>= 0).
        decay_rate -- how fast the rate decays (float >= 0).

    Returns:
        learning_rate -- the decayed rate (float).

    Raises:
        ValueError -- if epoch_num is negative.
    """
    # YOUR CODE HERE
    raise NotImplementedError(
        "update_lr() is not implemented yet: write it in utils/schedules.py, save, "
        "and re-run the cell (06_learning_rate_decay.ipynb explains what it should do)."
    )


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    """Inverse-time decay with a floor: the rate drops once every time_interval epochs.

        alpha = alpha_0 / (1 + decay_rate * floor(epoch_num / time_interval))

    Arguments:
        learning_rate0 -- initial learning rate alpha_0 (float > 0).
        epoch_num -- epoch number (>= 0).
        decay_rate -- how fast the rate decays (float >= 0).
        time_interval -- epochs between two drops (default 1000).

    Returns:
        learning_rate -- the decayed rate (float).

    Raises:
        ValueError -- if epoch_num is negative.
    """
    # YOUR CODE HERE
    raise NotImplementedError(
        "schedule_lr_decay() is not implemented yet: write it in utils/schedules.py, save, "
        "and re-run the cell (06_learning_rate_decay.ipynb explains what it should do)."
    )


def exponential_decay(learning_rate0, epoch_num, decay_rate=0.95):
    """Exponential decay.

        alpha = decay_rate ** epoch_num * alpha_0

    Arguments:
        learning_rate0 -- initial learning rate alpha_0 (float > 0).
        epoch_num -- epoch number (>= 0).
        decay_rate -- factor per epoch, 0 < decay_rate <= 1 (default 0.95).

    Returns:
        learning_rate -- the decayed rate (float).

    Raises:
        ValueError -- if epoch_num is negative.
    """
    # YOUR CODE HERE
    raise NotImplementedError(
        "exponential_decay() is not implemented yet: write it in utils/schedules.py, save, "
        "and re-run the cell (06_learning_rate_decay.ipynb explains what it should do)."
    )


def sqrt_decay(learning_rate0, epoch_num, k):
    """Decay with the inverse square root of the epoch (or of the step t).

        alpha = k / sqrt(epoch_num) * alpha_0,       epoch_num >= 1

    Arguments:
        learning_rate0 -- initial learning rate alpha_0 (float > 0).
        epoch_num -- epoch (or mini-batch step) number, >= 1: at 0 the rate
            would be infinite.
        k -- constant (float > 0).

    Returns:
        learning_rate -- the decayed rate (float).

    Raises:
        ValueError -- if epoch_num < 1.
    """
    # YOUR CODE HERE
    raise NotImplementedError(
        "sqrt_decay() is not implemented yet: write it in utils/schedules.py, save, "
        "and re-run the cell (06_learning_rate_decay.ipynb explains what it should do)."
    )


def staircase_decay(learning_rate0, epoch_num, drop=0.5, epochs_per_drop=1000):
    """Discrete staircase: multiply the rate by ``drop`` every epochs_per_drop epochs.

        alpha = alpha_0 * drop ** floor(epoch_num / epochs_per_drop)

    Arguments:
        learning_rate0 -- initial learning rate alpha_0 (float > 0).
        epoch_num -- epoch number (>= 0).
        drop -- factor applied at each step of the staircase (default 0.5).
        epochs_per_drop -- width of one stair in epochs (default 1000).

    Returns:
        learning_rate -- the decayed rate (float).

    Raises:
        ValueError -- if epoch_num is negative.
    """
    # YOUR CODE HERE
    raise NotImplementedError(
        "staircase_decay() is not implemented yet: write it in utils/schedules.py, save, "
        "and re-run the cell (06_learning_rate_decay.ipynb explains what it should do)."
    )
