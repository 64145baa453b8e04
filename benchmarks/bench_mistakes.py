"""How many of issue 15's held-out mistakes are named, at grading and before submission.

    python -m benchmarks.bench_mistakes [--slips]

Grades every fixture of ``tests/fixtures/heldout_mistakes`` in this process (hidden tests without
nbgrader or the sandbox, then the visible check) through ``tests/heldout.py``, the helper
``tests/test_heldout_mistakes.py`` uses, and prints per function: fixtures, named at grading (catalog
alone / with the search), named before submission (catalog / search), then the totals, each fixture
with the names it gets, and the accepted valid variants named on either side (must be none).
"""

import argparse
import sys
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))  # heldout and its fixtures live with the tests (no package there)

import heldout  # noqa: E402

COLUMNS = ("function", "fixtures", "grading: catalog", "grading: search", "before: catalog", "before: search")


def _row(label, verdicts):
    return (
        label,
        str(len(verdicts)),
        heldout.share(verdicts, lambda v: v.named_at_grading(catalog_only=True))[2],
        heldout.share(verdicts, lambda v: v.named_at_grading(catalog_only=False))[2],
        heldout.share(verdicts, lambda v: v.named_before_submission(catalog_only=True))[2],
        heldout.share(verdicts, lambda v: v.named_before_submission(catalog_only=False))[2],
    )


def _table(rows):
    widths = [max(len(row[i]) for row in (COLUMNS, *rows)) for i in range(len(COLUMNS))]
    line = lambda row: "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"  # noqa: E731
    return "\n".join([line(COLUMNS), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def _said(names, catalog):
    return ", ".join(name + ("" if name in catalog else "*") for name in sorted(names)) or "-"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slips", action="store_true", help="also print each fixture's one-line slip")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    with heldout.Grader() as grader:
        verdicts = [grader.verdict(student) for student in heldout.fixtures()]
        variants = [grader.verdict(student) for student in heldout.valid_variants()]
    by_function = {}
    for verdict in verdicts:
        by_function.setdefault(verdict.student.function, []).append(verdict)
    rows = [_row(function, group) for function, group in by_function.items()]
    print(_table([*rows, _row("all", verdicts)]))
    print(f"\nlose points at grading: {heldout.share(verdicts, lambda v: v.lost_points)[2]}")
    print("\nper fixture: names at grading / names before submission (- none; * not a catalog entry):")
    for verdict in verdicts:
        catalog = heldout.catalog_names(verdict.student.function)
        before = verdict.visible_names if verdict.named_before_submission(catalog_only=False) else ()
        slip = f"  -- {heldout.describe(verdict.student.label)}" if args.slips else ""
        print(f"  {verdict.student.label}: {_said(verdict.hidden_names, catalog)} / {_said(before, catalog)}{slip}")
    wrongly = [v.student.label for v in variants if v.hidden_names or v.named_before_submission(False)]
    print(f"\nvalid variants named: {len(wrongly)}/{len(variants)} {wrongly if wrongly else ''}".rstrip())
    print(f"({time.perf_counter() - start:.1f} s)")
    return 1 if wrongly or not all(v.lost_points for v in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
