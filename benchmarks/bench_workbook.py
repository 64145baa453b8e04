"""Benchmark: the solved workbook's run time against one 5000-epoch Adam run, measured in the same process.

Budgets (issue "graded notebooks"): the whole solved workbook ≤ 10× one Adam run; no single cell > 1× one Adam run.
Also reports each notebook's points and the time of its hidden tests (grade cells), budget ≤ 5 s per notebook.
On a shared machine the timings wander by tens of percent: the Adam run is timed between notebooks, every
notebook is run ``--repeat`` times, and each figure is the minimum (noise only ever adds time).

    .venv/bin/python -m benchmarks.bench_workbook [--repeat 2]
"""

import argparse
import tempfile
import time
from pathlib import Path

from optgrade.workbook import accepting_reference, build_solved, cell_seconds, notebooks, run_notebook
from utils.data import load_moons
from utils.training import train


def adam_run_seconds():
    X, Y = load_moons()
    start = time.perf_counter()
    train(X, Y, optimizer="adam", impl="solutions", print_every=0)
    return time.perf_counter() - start


def timed_run(path):
    """(wall seconds, executed notebook) of one run."""
    start = time.perf_counter()
    executed = run_notebook(path)
    return time.perf_counter() - start, executed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs of each notebook (the fastest counts)")
    args = parser.parse_args(argv)
    units, rows, total = [adam_run_seconds()], [], 0.0
    with tempfile.TemporaryDirectory() as tmp, accepting_reference():
        solved = build_solved(Path(tmp))
        for path in notebooks():
            seconds, executed = min((timed_run(solved / path.name) for _ in range(args.repeat)), key=lambda r: r[0])
            units.append(adam_run_seconds())
            total += seconds
            cells = enumerate(executed.cells)
            slowest, slowest_index = max((cell_seconds(cell), i) for i, cell in cells if cell.cell_type == "code")
            graded = [cell for cell in executed.cells if cell.metadata.get("nbgrader", {}).get("grade")]
            points = sum(float(cell.metadata["nbgrader"]["points"]) for cell in graded)
            hidden = sum(cell_seconds(cell) for cell in graded if cell.cell_type == "code")
            rows.append((path.name, points, seconds, slowest, slowest_index, hidden))
    unit = min(units)
    print(f"one 5000-epoch Adam run: {unit:.2f} s (fastest of {len(units)}, slowest {max(units):.2f} s)")
    print(f"{'notebook':42} {'points':>6} {'run s':>6} {'slowest cell s':>15} {'hidden tests s':>15}")
    for name, points, seconds, slowest, index, hidden in rows:
        print(f"{name:42} {points:6.0f} {seconds:6.1f} {slowest:9.2f} (#{index:<3}) {hidden:15.2f}")
    worst = max(row[3] for row in rows)
    print(f"total {total:.1f} s = {total / unit:.1f}× one Adam run (budget 10×)")
    print(f"slowest cell {worst:.2f} s = {worst / unit:.2f}× one Adam run (budget 1×)")


if __name__ == "__main__":
    main()
