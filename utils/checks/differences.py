"""Given code: when two results are equal, and where they first differ.

    close(got, expected, rtol, atol)

is the one rule every comparison uses, on this side (the visible checks) and at
grading (the hidden tests and the naming of mistakes): finite numbers are equal
when ``|got - expected| <= atol + rtol * |expected|``; infinite and NaN values
equal only themselves (inf only an inf of the same sign, NaN only a NaN where the
expected value is NaN). Without that, ``rtol * inf`` would make every finite
answer "equal" to an infinite expectation.

Plain Python only (no numpy, no math, no abs): the trusted grader loads this file
from the instructor's repository by its path under a private name, and no
function a student module can replace decides a comparison.
"""


def finite(x):
    """True for a finite number (x - x is 0), False for inf, -inf and NaN (x - x is NaN)."""
    return x - x == 0


def close(got, expected, rtol, atol):
    """True if the number ``got`` equals the expected number within ``atol + rtol * |expected|``.

    NaN equals only NaN, inf only inf of the same sign; a finite number never equals either.
    """
    if expected != expected:  # NaN
        return got != got
    if not finite(expected):
        return got == expected
    if not finite(got):
        return False
    difference = got - expected if got >= expected else expected - got
    magnitude = expected if expected >= 0 else -expected
    return difference <= atol + rtol * magnitude
