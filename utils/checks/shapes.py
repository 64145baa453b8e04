"""Given code: says what shape the difference between a wrong result and the expected one has.

    describe((got_shape, got_values), (expected_shape, expected_values), close)

``got_values`` and ``expected_values`` are flat lists of Python floats in
row-major order (``array.ravel().tolist()``); ``close(g, e)`` is the
comparison's own test of one entry ``g`` against the expected ``e`` (for
example ``|g - e| <= atol + rtol * |e|``), so every claim below holds on the
tolerance the failed comparison used. The answer is one sentence, or None when
no shape fits: never a guess. Shapes, tried in this order:

- a single number where an array is expected (got has shape ());
- NaN or inf where the expected entry is a number;
- transposed (2-D, got[j][i] = expected[i][j]), or the right values in another shape;
- the sign flipped (every g = -e);
- a constant factor c (every g = c * e, at least two nonzero expected entries);
- off by a constant d (every g = e + d, at least two entries);
- shifted by one step: g[t] = e[t - 1] ("one step later") or g[t] = e[t + 1]
  ("one step earlier"), along the steps of a vector or the rows of a matrix, with
  at least three steps and an expected result that is not the same at every step;
- only the first or only the last entry (or row) differs;
- transposed (a square matrix), the right values in reverse order, or in another order.

Plain Python only (no numpy): the trusted grader loads this file from the
instructor's repository by its path and uses it on its own float lists.
"""

import math


def describe(got, expected, close):
    """One sentence for the shape of the difference between ``got`` and ``expected``, or None.

    Arguments:
        got, expected -- (shape tuple, flat list of floats in row-major order).
        close -- close(g, e) -> bool, the comparison's test of one entry (expected e).
    """
    (got_shape, g), (shape, e) = (tuple(got[0]), list(got[1])), (tuple(expected[0]), list(expected[1]))
    if got_shape == () and len(e) > 1:
        return f"a single number where an array of shape {shape} is expected"
    if len(g) != len(e) or not e:
        return None
    bad = [i for i, (a, b) in enumerate(zip(g, e, strict=True)) if not math.isfinite(a) and math.isfinite(b)]
    if bad:
        kinds = " or ".join(sorted({"NaN" if math.isnan(g[i]) else "inf" for i in bad}))
        return f"{kinds} in {len(bad)} of {len(e)} entries where a number belongs"
    if got_shape != shape:
        return _reshaped(got_shape, g, shape, e, close)
    differing = [i for i, (a, b) in enumerate(zip(g, e, strict=True)) if not close(a, b)]
    if not differing:
        return None
    return next(
        (
            sentence
            for test in (_sign, _factor, _offset, _shift, _one_end, _order)
            if (sentence := test(g, e, shape, close, differing))
        ),
        None,
    )


def _all_close(got, expected, close):
    return len(got) == len(expected) and all(close(a, b) for a, b in zip(got, expected, strict=True))


def _number(x):
    return f"{x:.6g}"


def _transposed(got_shape, g, shape, e, close):
    """2-D, got[j][i] = expected[i][j] for every entry."""
    if len(shape) != 2 or got_shape != shape[::-1]:
        return None
    rows, columns = shape
    transposed = [g[j * rows + i] for i in range(rows) for j in range(columns)]  # got[j][i], in expected's order
    return "transposed: your rows are the expected columns" if _all_close(transposed, e, close) else None


def _reshaped(got_shape, g, shape, e, close):
    sentence = _transposed(got_shape, g, shape, e, close)
    if sentence is None and _all_close(g, e, close):
        sentence = f"the right values in shape {got_shape}; expected shape {shape}"
    return sentence


def _sign(g, e, shape, close, differing):
    if _all_close(g, [-b for b in e], close):
        return "the sign is flipped: every entry is minus the expected one"
    return None


def _factor(g, e, shape, close, differing):
    if sum(not close(0.0, b) for b in e) < 2:
        return None  # one nonzero number is a multiple of any other: no claim
    k = max(range(len(e)), key=lambda i: abs(e[i]))
    factor = g[k] / e[k]
    if factor == 1 or not _all_close(g, [factor * b for b in e], close):
        return None
    if close(0.0, factor * e[k]):
        return "every entry is 0 where the expected ones are not"
    return f"every entry is {_number(factor)} times the expected one"


def _offset(g, e, shape, close, differing):
    if len(e) < 2:
        return None
    offset = g[differing[0]] - e[differing[0]]
    if _all_close(g, [b + offset for b in e], close):
        return f"every entry is the expected one {'plus' if offset > 0 else 'minus'} {_number(abs(offset))}"
    return None


def _steps(values, shape):
    """The result as a list of steps: its entries for a vector (one axis longer than 1), else its rows."""
    if sum(size > 1 for size in shape) <= 1:
        return [[x] for x in values]
    width = len(values) // shape[0]
    return [values[t * width : (t + 1) * width] for t in range(shape[0])]


def _same_steps(first, second, close):
    return all(_all_close(a, b, close) for a, b in zip(first, second, strict=True))


def _shift(g, e, shape, close, differing):
    got, expected = _steps(g, shape), _steps(e, shape)
    if len(expected) < 3 or _same_steps(expected[1:], expected[:-1], close):
        return None  # too short, or the same at every step: a shift says nothing
    word = "entry" if len(expected[0]) == 1 else "row"
    if _same_steps(got[1:], expected[:-1], close):
        return f"your values are the expected ones one step later ({word} t holds the expected {word} t - 1)"
    if _same_steps(got[:-1], expected[1:], close):
        return f"your values are the expected ones one step earlier ({word} t holds the expected {word} t + 1)"
    return None


def _one_end(g, e, shape, close, differing):
    steps = _steps(e, shape)
    if len(steps) < 2:
        return None
    width = len(steps[0])
    word = "entry" if width == 1 else "row"
    if differing[-1] < width:
        return f"only the first {word} differs; the others match"
    if differing[0] >= len(e) - width:
        return f"only the last {word} differs; the others match"
    return None


def _order(g, e, shape, close, differing):
    if len(e) < 2:
        return None
    if len(shape) == 2 and shape[0] == shape[1] and _transposed(shape, g, shape, e, close):
        return _transposed(shape, g, shape, e, close)
    if _all_close(g[::-1], e, close):
        return "the right values in reverse order"
    if _all_close(sorted(g), sorted(e), close):
        return "the right values in the wrong order"
    return None
