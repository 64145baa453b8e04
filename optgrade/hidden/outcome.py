"""How a hidden test ends when it does not pass: a failure or partial credit."""


class Failure(Exception):
    """The student's code earns no points for this test.

    Attributes:
        reason -- one sentence for the student (never hidden test source).
        flag -- None, "reference" or "tampering": an integrity finding for the report.
        shape -- None, or the shape of the difference ("shape of the difference in v: ..."), said when no
                 mistake is confirmed.
        diagnosis -- the ``utils/checks/diagnosis.py`` Diagnosis that ``grading`` adds (None before).
    """

    def __init__(self, reason, flag=None, shape=None):
        super().__init__(reason)
        self.reason = reason
        self.flag = flag
        self.shape = shape
        self.diagnosis = None


class PartialCredit(Exception):
    """The student's code earns ``fraction`` of the test's points; ``reason`` says why not all."""

    def __init__(self, fraction, reason):
        super().__init__(reason)
        self.fraction = fraction
        self.reason = reason
        self.flag = None
        self.shape = None
        self.diagnosis = None
