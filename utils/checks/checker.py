"""Collects the outcome of visible checks and prints them readably.

A case is PASS or FAIL. A NOTE is no case and no failure: it names a style the
contract prefers where grading accepts the answer in full (numpy's global random
state, new arrays stored in the given dict, ...), so it never stops Run All.
Under a FAIL that names no known mistake, the check says the shape of the
difference when one fits (``shapes``: a constant factor, the sign, a shift, ...).
"""

import numpy as np

from .diagnosis import named_mistakes
from .differences import close, steps, where
from .shapes import describe


class CheckFailed(AssertionError):
    """A visible check found a wrong result (the message says which and how)."""


def first_difference(got, expected, atol, rtol):
    """Describe where two equal-shaped float arrays first differ (``differences.close``), or return None."""
    pairs = zip(got.ravel().tolist(), expected.ravel().tolist(), strict=True)
    position = next((i for i, (g, e) in enumerate(pairs) if not close(g, e, rtol, atol)), None)
    if position is None:
        return None
    index = tuple(int(i) for i in np.unravel_index(position, expected.shape))
    where = f"[{', '.join(map(str, index))}]" if index else ""
    return f"first difference at {where or 'the value'}: expected {expected[index].item()!r}, got {got[index].item()!r}"


def shape_of(got, expected, atol, rtol):
    """The shape of the difference of two array-likes (``shapes.describe``) on the check's own test, or None."""
    try:
        got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return None
    return describe(
        (got.shape, got.ravel().tolist()),
        (expected.shape, expected.ravel().tolist()),
        lambda g, e: close(g, e, rtol, atol),
    )


def flat(value):
    """(shape, flat list of floats) of an array-like, or None if it is not numbers."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return array.shape, array.ravel().tolist()


def where_wrong(quantities, atol, rtol):
    """``differences.where`` on array-likes: which quantities are right and the first wrong value.

    ``quantities`` is [(name, [(what, got, expected), ...]), ...] in the order the formulas compute
    them; None when all are right or a part is not numbers (its own case says so). ``atol`` is one number or
    {name: atol}, so that each quantity is judged right on the same tolerance as its own case.
    """
    converted = []
    for name, parts in quantities:
        flats = [(what, flat(got), flat(expected)) for what, got, expected in parts]
        if any(got is None for _, got, _ in flats):
            return None
        converted.append((name, flats))
    if isinstance(atol, dict):
        return where(converted, {name: _close_within(rtol, atol[name]) for name, _ in quantities})
    return where(converted, _close_within(rtol, atol))


def _close_within(rtol, atol):
    return lambda got, expected: close(got, expected, rtol, atol)


class Checker:
    """One function's visible checks: record cases, then ``finish()`` prints and raises on failure."""

    def __init__(self, function_name):
        self.function_name = function_name
        self.lines = []
        self.failures = 0
        self.shapes = {}  # index in lines of a FAIL -> the shape of its difference
        self.group = 0  # index in lines of the first case of the call ``where`` speaks of next

    def _record(self, ok, what, detail="", shape=None):
        self.failures += not ok
        mark = "PASS" if ok else "FAIL"
        self.lines.append(f"  [{mark}] {what}" + (f"\n         {detail}" if detail else ""))
        if shape and not ok:
            self.shapes[len(self.lines) - 1] = shape
        return ok

    def true(self, what, condition, detail="", shape=None):
        """Record a yes/no case; ``detail`` explains a failure, ``shape`` (from ``shape_of``) its difference."""
        return self._record(bool(condition), what, "" if condition else detail, shape)

    def note(self, what, detail):
        """A style the contract prefers where grading accepts the answer: printed as NOTE, never a failure."""
        line = f"  [NOTE] {what}\n         {detail}"
        if line not in self.lines:
            self.lines.append(line)

    def prefer(self, what, condition, detail):
        """A case that is PASS when ``condition`` holds and a NOTE (not a failure) otherwise."""
        if condition:
            return self._record(True, what)
        self.note(what, detail)
        return False

    def close(self, what, got, expected, atol=1e-8, rtol=1e-6):
        """Record that ``got`` matches ``expected`` (numbers or arrays) in shape and value."""
        expected = np.asarray(expected, dtype=float)
        try:
            got_array = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return self._record(False, what, f"expected numbers of shape {expected.shape}, got {got!r}")
        if got_array.shape != expected.shape:
            detail = f"expected shape {expected.shape}, got shape {got_array.shape}"
            return self._record(False, what, detail, shape_of(got_array, expected, atol, rtol))
        difference = first_difference(got_array, expected, atol, rtol)
        shape = difference and shape_of(got_array, expected, atol, rtol)
        return self._record(difference is None, what, difference or "", shape)

    def series(self, what, got, expected, word, label, first=1, atol=1e-8, rtol=1e-6):
        """Like ``close`` for a result whose rows are steps (days t, iterates x_k): right ones, first wrong value.

        Row i is step ``first + i``, listed as ``(word, step)`` and named ``label(step)`` (``differences.steps``).
        """
        have, want = flat(got), flat(np.asarray(expected, dtype=float))
        if have is None or have[0] != want[0] or not want[0]:
            return self.close(what, got, expected, atol, rtol)
        sentence = where(steps(have, want, word, label, first), lambda g, e: close(g, e, rtol, atol))
        return self._record(sentence is None, what, sentence or "", sentence and shape_of(got, expected, atol, rtol))

    def where(self, sentence):
        """Say which returned quantities of one call are right and its first wrong value (``where_wrong``).

        The sentence goes under the first FAIL recorded since the previous ``where`` (the call's cases);
        nothing when it is None or none of those cases failed.
        """
        failed = [i for i in range(self.group, len(self.lines)) if self.lines[i].startswith("  [FAIL]")]
        if sentence and failed:
            self.lines[failed[0]] += f"\n         where: {sentence}"
        self.group = len(self.lines)

    def same_keys(self, what, got, expected_keys):
        """Record that ``got`` is a dict with exactly ``expected_keys``."""
        if not isinstance(got, dict):
            return self._record(False, what, f"expected a dict, got {type(got).__name__}")
        missing, extra = set(expected_keys) - set(got), set(got) - set(expected_keys)
        detail = "; ".join(
            part
            for part in (
                f"missing keys {sorted(missing)}" if missing else "",
                f"unexpected keys {sorted(extra)}" if extra else "",
            )
            if part
        )
        return self._record(not detail, what, detail)

    def finish(self):
        """Print every case; raise CheckFailed if any failed.

        Under the first FAIL: the known mistake the probes confirm, or those they cannot
        tell apart (``diagnosis``, the graders' words too); if none, under each FAIL: the
        shape of its difference, when one fits.
        """
        total = sum(line.startswith(("  [PASS]", "  [FAIL]")) for line in self.lines)
        print(f"{self.function_name}: {total - self.failures}/{total} visible checks passed")
        lines = list(self.lines)
        known = named_mistakes(self.function_name).text() if self.failures else ""
        if known:
            first_fail = next(i for i, line in enumerate(lines) if line.startswith("  [FAIL]"))
            lines[first_fail] += f"\n         {known}"
        else:
            for index, shape in self.shapes.items():
                lines[index] += f"\n         shape of the difference: {shape}"
        print("\n".join(lines))
        if self.failures:
            raise CheckFailed(
                f"{self.failures} visible check(s) of {self.function_name} failed (see above): "
                "fix your code, save the file, and re-run this cell."
            )
        if any(line.startswith("  [NOTE]") for line in self.lines):
            print("A NOTE is not a failure: grading accepts this code; the note says what the contract prefers.")
        print("Visible checks passed; hidden tests run at grading.")
