"""Grading cost: autograde of one complete submission vs running the same notebooks bare, and a class end to end.

    python benchmarks/bench_grading.py [NB ...] [--students 20]

NB selects workbook notebooks as in `optgrade build` (default: all). Prints
seconds for: the bare nbclient run of the reference submission's notebooks,
`optgrade autograde` of that one submission (nbgrader, sanitising, grading
kernel, feedback, export), their ratio, and a class of --students simulated
submissions (the demo class, repeated) graded end to end.
"""

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from optgrade.course import autograde, build, release
from optgrade.course.demo import REFERENCE, simulate_class


def bare_run(folder):
    """Execute every notebook of a submission with nbclient, as a student would; returns seconds."""
    started = time.perf_counter()
    for path in sorted(folder.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        NotebookClient(
            notebook, timeout=600, allow_errors=True, resources={"metadata": {"path": str(folder)}}
        ).execute()
    return time.perf_counter() - started


def graded_run(course, incoming):
    started = time.perf_counter()
    autograde.autograde(course, "workbook", incoming, progress=lambda line: None)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument("--students", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        course = build.build(tmp / "course", names=args.notebooks, accept_reference=True)
        release.release(course, "workbook")
        demo_class = simulate_class(course.release("workbook"), tmp / "class")
        bare = bare_run(demo_class / REFERENCE)
        one = tmp / "one"
        shutil.copytree(demo_class / REFERENCE, one / REFERENCE)
        graded = graded_run(course, one)
        print(f"notebooks: {', '.join(course.source_notebooks('workbook'))}")
        print(f"one submission, bare nbclient run: {bare:7.1f} s")
        print(f"one submission, optgrade autograde: {graded:7.1f} s  ({graded / bare:.2f}x)")
        if args.students:
            crowd = tmp / "crowd"
            students = sorted(demo_class.iterdir())
            for number in range(args.students):
                shutil.copytree(
                    students[number % len(students)], crowd / f"s{number:02d}_{students[number % len(students)].name}"
                )
            seconds = graded_run(course, crowd)
            each = seconds / args.students
            print(f"class of {args.students} submissions, end to end: {seconds:7.1f} s ({each:.1f} s each)")


if __name__ == "__main__":
    main()
