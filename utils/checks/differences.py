"""Given code: when two results are equal, and where they first differ.

    close(got, expected, rtol, atol)            -> bool, for two numbers
    difference(what, got, expected, close)      -> where one quantity first differs, or None
    where(quantities, close)                    -> which quantities are right and the first wrong value
    steps(got, expected, word, label, first)    -> the rows of a series as quantities for ``where``

is the one rule every comparison uses, on this side (the visible checks) and at
grading (the hidden tests and the naming of mistakes): finite numbers are equal
when ``|got - expected| <= atol + rtol * |expected|``; infinite and NaN values
equal only themselves (inf only an inf of the same sign, NaN only a NaN where the
expected value is NaN). Without that, ``rtol * inf`` would make every finite
answer "equal" to an infinite expectation.

``where`` says the quantities in the order the formulas compute them (Adam's v, s,
v_corrected, s_corrected, then the parameters; the days of a series; the
mini-batches), so a student reads which step of the formula goes wrong first:

    v and s are right; first wrong: v_corrected["dW1"][0, 1] is 0.45, expected 0.5

It is a fact about the two results, never a guess about the mistake.

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


def _number(x):
    return f"{x:.10g}"


def index_text(flat, shape):
    """``[i, j]`` of the entry at position ``flat`` of a C-ordered array of ``shape`` ("" for a 0-d one)."""
    index = []
    for size in reversed(shape):
        index.append(flat % size)
        flat //= size
    return "[" + ", ".join(str(i) for i in reversed(index)) + "]" if index else ""


def difference(what, got, expected, close_enough):
    """Where ``got`` first differs from ``expected``, as one sentence, or None if they are equal.

    Arguments:
        what -- the quantity's name in the lecture's symbols (``v_corrected["dW1"]``, ``the value of day 4``).
        got, expected -- (shape tuple, flat list of floats in row-major order).
        close_enough -- close_enough(g, e) -> bool, the comparison's test of one entry (``close`` with its tolerance).
    """
    (got_shape, g), (shape, e) = got, expected
    if tuple(got_shape) != tuple(shape):
        return f"{what} has shape {tuple(got_shape)}, expected {tuple(shape)}"
    for position, (a, b) in enumerate(zip(g, e, strict=True)):
        if not close_enough(a, b):
            return f"{what}{index_text(position, shape)} is {_number(a)}, expected {_number(b)}"
    return None


def listed(names):
    """``v and s``, ``days 1 to 3 and 7``: names in order; a name is a string or a (word, number) pair."""
    parts, numbered = [], {}
    for name in names:
        if isinstance(name, tuple):
            word, number = name
            if word not in numbered:
                numbered[word] = []
                parts.append(word)
            numbered[word].append(number)
        else:
            parts.append(name)
    said = []
    for part in parts:
        if part not in numbered:
            said.append(part)
            continue
        numbers = numbered[part]
        said.append(f"{_plural(part)} {_ranges(numbers)}" if len(numbers) > 1 else f"{part} {numbers[0]}")
    return _joined(said)


def _ranges(numbers):
    runs = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    words = [word for a, b in runs for word in ([str(a), str(b)][: b - a + 1] if b - a < 2 else [f"{a} to {b}"])]
    return _joined(words)


def _plural(word):
    return word + ("es" if word.endswith(("ch", "s", "x")) else "s")


def _joined(words):
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def where(quantities, close_enough):
    """Which quantities are right and the first wrong value, in the order the formulas compute them; None if all right.

    Arguments:
        quantities -- [(name, [(what, got, expected), ...]), ...] in the order the formulas compute them
            (v, s, v_corrected, s_corrected, then the parameters; the days t of a series; the mini-batches k);
            ``name`` a string or a (word, number) pair, each part as ``difference`` takes it.
        close_enough -- the comparison's test of one entry, or {name: test} where quantities differ in tolerance.

    Returns one sentence, e.g. ``v and s are right; first wrong: v_corrected["dW1"][0, 1] is 0.45, expected 0.5``.
    """
    right, first, first_right_parts = [], None, []
    for name, parts in quantities:
        equal = close_enough[name] if isinstance(close_enough, dict) else close_enough
        found = [(what, difference(what, got, expected, equal)) for what, got, expected in parts]
        wrong = [sentence for _, sentence in found if sentence]
        if not wrong:
            right.append(name)
        elif first is None:
            first = wrong[0]
            first_right_parts = [what for what, sentence in found if sentence is None]
    if first is None:
        return None
    if first_right_parts:
        first += f" ({listed(first_right_parts)} {'is' if len(first_right_parts) == 1 else 'are'} right)"
    if len(quantities) == 1:
        return first
    if not right:
        return f"none of {listed([name for name, _ in quantities])} is right; first wrong: {first}"
    return f"{listed(right)} {'are' if len(right) > 1 else 'is'} right; first wrong: {first}"


def steps(got, expected, word, label, first=1):
    """The rows of two equal-shaped results as ``where``'s quantities: row i is step ``first + i``.

    Arguments:
        got, expected -- (shape tuple, flat list of floats), the same shape with at least one row.
        word -- the step's name (``day``, ``iterate``); the right steps are listed as ``days 1 to 3``.
        label -- label(step) -> the row's name in the first wrong value (``the value of day 4``, ``x_3``).
        first -- the number of the first row (days t count from 1, iterates x_k from 0).
    """
    (shape, g), (_, e) = got, expected
    width = len(e) // shape[0]
    rows = range(shape[0])
    return [
        (
            (word, first + i),
            [
                (
                    label(first + i),
                    (shape[1:], g[i * width : (i + 1) * width]),
                    (shape[1:], e[i * width : (i + 1) * width]),
                )
            ],
        )
        for i in rows
    ]
