"""The one error every layer may raise: ``GradingError``, grading itself failed (not a student's code)."""


class GradingError(RuntimeError):
    """Grading itself failed (not a student's code): the command exits non-zero."""
