"""The six published training accuracies of the contract's reference table, with the reference solutions."""

import pytest

from utils.data import load_moons
from utils.network import accuracy
from utils.training import train


@pytest.mark.slow
@pytest.mark.parametrize(
    ("optimizer", "learning_rate", "decay", "expected"),
    [
        ("gd", 0.0007, None, 0.7167),
        ("momentum", 0.0007, None, 0.7167),
        ("adam", 0.0007, None, 0.9433),
        ("gd", 0.1, "schedule_lr_decay", 0.9433),
        ("momentum", 0.1, "schedule_lr_decay", 0.9533),
        ("adam", 0.01, "schedule_lr_decay", 0.94),
    ],
)
def test_published_accuracy(optimizer, learning_rate, decay, expected):
    X, Y = load_moons()  # 300 points, noise 0.2, seed 3
    # layers [2, 5, 2, 1], batches of 64, 5000 epochs, beta 0.9; schedule_lr_decay's defaults:
    # decay_rate 1 and time_interval 1000
    result = train(X, Y, optimizer=optimizer, learning_rate=learning_rate, decay=decay, impl="solutions", print_every=0)
    assert round(accuracy(X, Y, result.parameters), 4) == expected
