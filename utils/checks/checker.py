"""Collects the outcome of visible checks and prints them readably."""

import numpy as np

from .diagnosis import named_mistakes


class CheckFailed(AssertionError):
    """A visible check found a wrong result (the message says which and how)."""


def first_difference(got, expected, atol, rtol):
    """Describe where two equal-shaped arrays first differ, or return None."""
    close = np.isclose(got, expected, atol=atol, rtol=rtol)
    if close.all():
        return None
    index = tuple(int(i) for i in np.argwhere(~close)[0])
    where = f"[{', '.join(map(str, index))}]" if index else ""
    return f"first difference at {where or 'the value'}: expected {expected[index].item()!r}, got {got[index].item()!r}"


class Checker:
    """One function's visible checks: record cases, then ``finish()`` prints and raises on failure."""

    def __init__(self, function_name):
        self.function_name = function_name
        self.lines = []
        self.failures = 0

    def _record(self, ok, what, detail=""):
        self.failures += not ok
        mark = "PASS" if ok else "FAIL"
        self.lines.append(f"  [{mark}] {what}" + (f"\n         {detail}" if detail else ""))
        return ok

    def true(self, what, condition, detail=""):
        """Record a yes/no case; ``detail`` explains a failure."""
        return self._record(bool(condition), what, "" if condition else detail)

    def close(self, what, got, expected, atol=1e-8, rtol=1e-6):
        """Record that ``got`` matches ``expected`` (numbers or arrays) in shape and value."""
        expected = np.asarray(expected, dtype=float)
        try:
            got_array = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return self._record(False, what, f"expected numbers of shape {expected.shape}, got {got!r}")
        if got_array.shape != expected.shape:
            return self._record(False, what, f"expected shape {expected.shape}, got shape {got_array.shape}")
        difference = first_difference(got_array, expected, atol, rtol)
        return self._record(difference is None, what, difference or "")

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
        """Print every case; raise CheckFailed if any failed."""
        total = sum(line.startswith("  [") for line in self.lines)
        print(f"{self.function_name}: {total - self.failures}/{total} visible checks passed")
        lines = list(self.lines)
        if self.failures:
            first_fail = next(i for i, line in enumerate(lines) if line.startswith("  [FAIL]"))
            known = named_mistakes(self.function_name)
            known = [f"         known mistake ({name}): {message}" for name, message in known]
            lines[first_fail + 1 : first_fail + 1] = known
        print("\n".join(lines))
        if self.failures:
            raise CheckFailed(
                f"{self.failures} visible check(s) of {self.function_name} failed (see above): "
                "fix your code, save the file, and re-run this cell."
            )
        print("Visible checks passed; hidden tests run at grading.")
