"""Stopping a run on SIGINT or SIGTERM: at once, except inside a step that must not be cut in two.

``raised_on_signals()`` turns SIGINT (Ctrl-C) and SIGTERM into ``Interrupted`` in the main thread for its
block; ``uninterrupted()`` marks a step (one student's commit to the gradebook) that a signal must not cut:
a signal arriving inside it is raised as soon as the step is done. ``Interrupted`` is a BaseException, like
KeyboardInterrupt, so no ``except Exception`` of a step turns it into that step's failure.
"""

import contextlib
import signal

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_deferred = {"depth": 0, "signal": None}  # inside uninterrupted(): how deep, and the signal that came meanwhile


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived: ``number`` and ``name`` ("SIGINT") say which."""

    def __init__(self, number):
        self.number = int(number)
        self.name = signal.Signals(number).name
        super().__init__(self.name)


def _handler(number, frame):
    if _deferred["depth"]:
        _deferred["signal"] = number
        return
    raise Interrupted(number)


@contextlib.contextmanager
def raised_on_signals():
    """SIGINT and SIGTERM raise ``Interrupted`` in the block (main thread only); the previous handlers after it."""
    previous = {number: signal.signal(number, _handler) for number in SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextlib.contextmanager
def uninterrupted():
    """A step no signal cuts in two: one that arrives meanwhile is raised (``Interrupted``) when the step is done."""
    _deferred["depth"] += 1
    try:
        yield
    finally:
        _deferred["depth"] -= 1
        if not _deferred["depth"] and _deferred["signal"] is not None:
            number, _deferred["signal"] = _deferred["signal"], None
            raise Interrupted(number)
