"""Grading cost: autograde of one complete submission vs running the same notebooks bare, and a class end to end.

    python benchmarks/bench_grading.py [NB ...] [--students 20] [--profile]

NB selects workbook notebooks as in `optgrade build` (default: all). Prints seconds for:

* the bare nbclient run of the reference submission's notebooks (one kernel per notebook, in this process);
* `autograde` of that one submission, split by nbgrader command (`nbgrader autograde` for the student,
  `generate_feedback`, `export`), and the ratio to the bare run; the ratio of the `nbgrader autograde`
  command alone says what grading adds to running the notebooks, the rest is per-class fixed cost;
* kernel start-up: the grading kernel (RLIMIT_AS launcher, optgrade.hidden preloaded) vs plain ipykernel;
* with --profile: `nbgrader autograde` of the same submission under cProfile (in-process time only: the
  kernel's work shows up as waiting), the top entries by cumulative time;
* a class of --students simulated submissions (the demo class, repeated) end to end in a fresh course:
  build, release, autograde (import, grading, feedback, export) and report.
"""

import argparse
import collections
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

from optgrade.course import autograde, build, release, report
from optgrade.course.demo import REFERENCE, simulate_class
from optgrade.course.layout import KERNEL_NAME, Course, nbgrader_environment

NBGRADER_SECONDS = collections.defaultdict(float)  # log name -> seconds spent in nbgrader subprocesses
_nbgrader = Course.nbgrader


def _timed_nbgrader(self, *args, log_name, check=True):
    started = time.perf_counter()
    try:
        return _nbgrader(self, *args, log_name=log_name, check=check)
    finally:
        NBGRADER_SECONDS[log_name] += time.perf_counter() - started


Course.nbgrader = _timed_nbgrader


def bare_run(folder):
    """Execute every notebook of a submission with nbclient, as a student would; returns seconds."""
    started = time.perf_counter()
    for path in sorted(folder.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        NotebookClient(
            notebook, timeout=600, allow_errors=True, resources={"metadata": {"path": str(folder)}}
        ).execute()
    return time.perf_counter() - started


def graded_run(course, incoming, force=False):
    NBGRADER_SECONDS.clear()
    started = time.perf_counter()
    autograde.autograde(course, "workbook", incoming, force=force, progress=lambda line: None)
    return time.perf_counter() - started, dict(NBGRADER_SECONDS)


def kernel_start(course, kernel_name, repeats=3):
    """Best seconds to start a kernel and get its first reply (the grading kernel is found through the course)."""
    saved = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(course.path(".optgrade", "jupyter"))  # read when the kernel spec is looked up
    best = float("inf")
    try:
        for _ in range(repeats):
            started = time.perf_counter()
            manager, client = start_new_kernel(kernel_name=kernel_name, startup_timeout=120)
            client.execute_interactive("pass", timeout=60)
            best = min(best, time.perf_counter() - started)
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    finally:
        if saved is None:
            del os.environ["JUPYTER_PATH"]
        else:
            os.environ["JUPYTER_PATH"] = saved
    return best


def profile_autograde(course, student, top=25):
    """`nbgrader autograde` of one student under cProfile; prints the top entries by cumulative time."""
    out = course.path(".optgrade", "autograde.prof")
    command = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "nbgrader", "autograde", "workbook"]
    started = time.perf_counter()
    subprocess.run(
        [*command, "--student", student, "--force"],
        cwd=course.root,
        env=nbgrader_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    print(f"\nprofiled nbgrader autograde: {time.perf_counter() - started:.1f} s wall; top {top} by cumulative time:")
    pstats.Stats(str(out)).sort_stats("cumulative").print_stats(top)


def class_end_to_end(tmp, names, students):
    """Build, release, a class of ``students`` (the demo class repeated), autograde, report; seconds per phase."""
    phases = {}
    started = time.perf_counter()
    course = build.build(tmp / "class-course", names=names, accept_reference=True)
    phases["build"] = time.perf_counter() - started
    started = time.perf_counter()
    release.release(course, "workbook")
    phases["release"] = time.perf_counter() - started
    demo_class = simulate_class(course.release("workbook"), tmp / "class-demo")
    crowd = tmp / "crowd"
    kinds = sorted(demo_class.iterdir())
    for number in range(students):
        kind = kinds[number % len(kinds)]
        shutil.copytree(kind, crowd / f"s{number:02d}_{kind.name}")
    seconds, split = graded_run(course, crowd)
    phases["autograde"] = seconds
    started = time.perf_counter()
    report.report(course, "workbook")
    phases["report"] = time.perf_counter() - started
    return phases, split, autograde.records(course, "workbook")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="profile one nbgrader autograde with cProfile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        course = build.build(tmp / "course", names=args.notebooks, accept_reference=True)
        release.release(course, "workbook")
        demo_class = simulate_class(course.release("workbook"), tmp / "class")
        notebooks = course.source_notebooks("workbook")
        bare = bare_run(demo_class / REFERENCE)
        one = tmp / "one"
        shutil.copytree(demo_class / REFERENCE, one / REFERENCE)
        graded, split = graded_run(course, one)
        print(f"notebooks: {', '.join(notebooks)}")
        print(f"one submission, bare nbclient run:     {bare:7.1f} s")
        print(f"one submission, optgrade autograde:    {graded:7.1f} s  ({graded / bare:.2f}x)")
        in_nbgrader = sum(split.values())
        for name, seconds in split.items():
            print(
                f"  nbgrader {name:<10} {seconds:7.1f} s"
                + (f"  ({seconds / bare:.2f}x)" if name == "autograde" else "")
            )
        print(f"  optgrade itself (import, records)    {graded - in_nbgrader:7.1f} s")
        grading, plain = kernel_start(course, KERNEL_NAME), kernel_start(course, "python3")
        print(
            f"kernel start to first reply, best of 3: grading kernel {grading:.2f} s, plain ipykernel {plain:.2f} s "
            f"(x {len(notebooks)} notebooks per submission)"
        )
        if args.profile:
            profile_autograde(course, REFERENCE)
        if args.students:
            phases, split, records = class_end_to_end(tmp, args.notebooks, args.students)
            total = sum(phases.values())
            statuses = collections.Counter(record["status"] for record in records.values())
            print(
                f"class of {args.students} submissions, end to end: {total:7.1f} s "
                f"({total / args.students:.1f} s each); "
                + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items())
            )
            print("  nbgrader: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in split.items()))
            print(f"  statuses: {dict(statuses)}")


if __name__ == "__main__":
    main()
