"""The hidden tests by id (``<function>.<aspect>``), filled in by the ``suites`` modules."""

from ..exercises import module_of

ASPECTS = ("structure", "values", "training", "errors")
TESTS = {}  # test id -> test(student_function) that returns, or raises Failure / PartialCredit


def hidden_test(test_id):
    """Register the decorated function as the hidden test ``test_id``."""
    function, _, aspect = test_id.partition(".")
    module_of(function)  # KeyError for a function that is not an exercise
    if aspect not in ASPECTS or test_id in TESTS:
        raise ValueError(f"bad or duplicate hidden test id {test_id!r}")

    def register(test):
        TESTS[test_id] = test
        return test

    return register
