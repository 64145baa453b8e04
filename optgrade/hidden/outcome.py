"""How a hidden test ends when it does not pass: a failure or partial credit."""


class Failure(Exception):
    """The student's code earns no points for this test.

    Attributes:
        reason -- one sentence for the student (never hidden test source).
        mistakes -- names of the catalog mistakes the output matched.
        flag -- None, "reference" or "tampering": an integrity finding for the report.
    """

    def __init__(self, reason, mistakes=(), flag=None):
        super().__init__(reason)
        self.reason = reason
        self.mistakes = list(mistakes)
        self.flag = flag


class PartialCredit(Exception):
    """The student's code earns ``fraction`` of the test's points; ``reason`` says why not all."""

    def __init__(self, fraction, reason, mistakes=()):
        super().__init__(reason)
        self.fraction = fraction
        self.reason = reason
        self.mistakes = list(mistakes)
