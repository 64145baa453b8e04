"""How well the held-out mistakes are diagnosed, at grading and before submission, judged against their keys.

    python -m benchmarks.bench_mistakes [--slips] [--sets heldout_mistakes heldout_mistakes_2]

Grades every fixture of each held-out set (``tests/fixtures/<set>``) in this process (hidden tests without
nbgrader or the sandbox, then the visible check) through ``tests/heldout.py``, the helper
``tests/hidden/test_heldout_mistakes.py`` uses. Each side's verdict (named / one of / unnamed, with the sentences
the student reads) is judged with ``tests/heldout_keys.py`` against the set's ``keys.toml``. Prints per set
and side: named right, named wrong, one-of (listing the mistake or not), unnamed, precision, right rate;
the share of fixtures where both sides give the same verdict; each fixture's verdicts; the accepted valid
variants named on either side (must be none); and the times: the slowest visible check of a failing
answer, and the diagnosis a failing hidden test adds (in-process; at grading each probe is one sandbox call).
"""

import argparse
import sys
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))  # heldout and its fixtures live with the tests (no package there)

import heldout  # noqa: E402
import heldout_keys  # noqa: E402

from utils.checks import probes  # noqa: E402
from utils.checks.diagnosis import diagnose  # noqa: E402

SIDES = ("grading", "before")
COLUMNS = ("set", "side", "right", "wrong", "one-of right", "one-of wrong", "unnamed", "precision", "right rate")


def _percent(value):
    return "-" if value is None else f"{100 * value:.1f} %"


def judged(set_name, verdicts):
    """{side: [outcome per verdict]} (heldout_keys.judge)."""
    return {
        side: [
            heldout_keys.judge(set_name, v.student.label, getattr(v, side).kind, getattr(v, side).sentences)
            for v in verdicts
        ]
        for side in SIDES
    }


def _said(said):
    if said.kind == "unnamed":
        return "-"
    return ("one of: " if said.kind == "one_of" else "") + " | ".join(said.sentences)


def _timed_visible(student):
    start = time.perf_counter()
    failed, _ = heldout.visible(student)
    return failed, time.perf_counter() - start


def _diagnosis_seconds(student):
    """Seconds of one diagnosis of the student's function in this process (what a failing hidden test adds)."""
    namespace = {}
    exec(compile(student.source, student.label, "exec"), namespace)
    start = time.perf_counter()
    diagnose(student.function, namespace[student.function])
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slips", action="store_true", help="also print each fixture's one-line slip")
    parser.add_argument("--sets", nargs="+", default=list(heldout_keys.SETS), help="held-out sets to grade")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    rows, lines, bad, seconds, added = [], [], 0, [], []
    with heldout.Grader() as grader:
        for set_name in args.sets:
            folder = heldout_keys.folder(set_name)
            verdicts = [grader.verdict(student) for student in heldout.fixtures(folder)]
            outcomes = judged(set_name, verdicts)
            for side in SIDES:
                score = heldout_keys.score(outcomes[side])
                rows.append(
                    (set_name, side, *(str(score[k]) for k in heldout_keys.OUTCOMES))
                    + (_percent(score["precision"]), _percent(score["right_rate"]))
                )
            same = sum(v.same for v in verdicts)
            lines.append(f"\n{set_name}: same verdict on both sides {same}/{len(verdicts)}")
            lines.append(f"  lose points at grading: {sum(v.lost_points for v in verdicts)}/{len(verdicts)}")
            for index, verdict in enumerate(verdicts):
                slip = f"  -- {heldout.describe(verdict.student.label, folder)}" if args.slips else ""
                lines.append(
                    f"  {verdict.student.label}: [{outcomes['grading'][index]}] {_said(verdict.grading)}"
                    f" / [{outcomes['before'][index]}] {_said(verdict.before)}{slip}"
                )
                failed, took = _timed_visible(verdict.student)
                if failed:
                    seconds.append((took, verdict.student.label))
                if verdict.lost_points:
                    added.append(_diagnosis_seconds(verdict.student))
            bad += sum(not v.lost_points for v in verdicts)
        variants = [grader.verdict(student) for student in heldout.valid_variants()]
    widths = [max(len(row[i]) for row in (COLUMNS, *rows)) for i in range(len(COLUMNS))]
    line = lambda row: "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"  # noqa: E731
    print("\n".join([line(COLUMNS), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)]))
    print("\n".join(lines))
    wrongly = [v.student.label for v in variants if v.grading.kind != "unnamed" or v.before.kind != "unnamed"]
    print(f"\nvalid variants named: {len(wrongly)}/{len(variants)} {wrongly if wrongly else ''}".rstrip())
    slowest = max(seconds) if seconds else (0.0, "-")
    print(f"slowest visible check of a failing answer: {slowest[0]:.3f} s ({slowest[1]})")
    most = max(len(probes.inputs(v.student.function)) for v in variants)
    print(
        f"diagnosis added per failing hidden test, in-process: median {sorted(added)[len(added) // 2]:.4f} s,"
        f" max {max(added):.4f} s (at grading, at most {most} sandbox calls: one per probe)"
    )
    print(f"({time.perf_counter() - start:.1f} s)")
    return 1 if wrongly or bad else 0


if __name__ == "__main__":
    sys.exit(main())
