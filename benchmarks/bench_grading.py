"""Grading cost: the sandboxed, parallel `optgrade autograde` against plain `nbgrader autograde`, same class, same run.

    python benchmarks/bench_grading.py [--students 40] [--workers 2] [--baseline-students N] [--skip-baseline]

Prints seconds for:

* the hidden tests of one full-workbook reference submission run in this process (no sandbox, reference
  data warm), and ``runner.jobs.grade_job`` of the same submission (sandboxed worker, proxies, warm);
* ``optgrade autograde`` of that one submission end to end (verdicts, gradebook, feedback, grades.csv),
  split into the hidden-test job and the rest;
* a class of --students submissions (the demo's mix, repeated) graded end to end by ``optgrade autograde
  --workers N``, and by plain ``nbgrader autograde`` (nbgrader's own Execute on the stock python3 kernel,
  serial, the course config's exclude_overwriting only) on the same class; --baseline-students N grades
  the first N (one of each kind of submission for N = 9) with plain nbgrader and scales up (said so in
  the output); the scores of both, per student.
"""

import argparse
import collections
import contextlib
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from optgrade.course import autograde, build, gradebook, pipeline, release
from optgrade.course.demo import REFERENCE, simulate_class
from optgrade.course.layout import STUDENT_FILES, nbgrader_environment
from optgrade.exercises import EXERCISES
from optgrade.runner import jobs
from optgrade.runner.pool import LocalExecutor

PHASES = collections.defaultdict(float)  # name -> seconds spent in that part of optgrade autograde


def _timed(owner, name, phase):
    original = getattr(owner, name)

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            PHASES[phase] += time.perf_counter() - started

    setattr(owner, name, timed)


_timed(pipeline.Nbgrader, "__init__", "nbgrader config")
_timed(pipeline.Nbgrader, "autograde", "nbgrader autograde (verdicts into the gradebook)")
_timed(pipeline.Nbgrader, "generate_feedback", "nbgrader feedback")
_timed(pipeline.Nbgrader, "export", "nbgrader export")
_timed(LocalExecutor, "__init__", "pool start")
_timed(LocalExecutor, "close", "pool shutdown")

PLAIN_CONFIG = """\
c = get_config()  # noqa: F821
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "optimization-workbook"
c.Autograde.exclude_overwriting = {{"workbook": {files!r}}}
c.Execute.timeout = 600
"""


def _hidden_in_process(folder, tests):
    """Seconds of every hidden test on the folder's code, imported in this process (the tests' own cost)."""
    from optgrade.hidden import grade

    _forget_utils()  # the release's leak check imported the repository's utils/
    sys.path.insert(0, str(folder))
    os.environ["OPTGRADE_ACCEPT_REFERENCE"] = "1"
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        passed = sum(grade(test["test_id"], points=test["points"]) is None for test in tests)
    seconds = time.perf_counter() - started
    sys.path.remove(str(folder))
    _forget_utils()
    assert passed == len(tests), f"the reference passed {passed} of {len(tests)} hidden tests in process"
    return seconds


def _forget_utils():
    for name in [name for name in sys.modules if name == "utils" or name.startswith("utils.")]:
        del sys.modules[name]


def single(course, class_dir):
    reference = class_dir / REFERENCE
    from optgrade.hidden import reference as trusted

    trusted.moons()  # warm, as the pool's processes are
    tests = jobs.tests_of(course.source("workbook"))
    hidden = min(_hidden_in_process(reference, tests) for _ in range(2))
    job = {
        "student": REFERENCE,
        "assignment": "workbook",
        "files": jobs.read_files(reference),
        "tests": tests,
        "accept_reference": True,
    }
    started = time.perf_counter()
    jobs.grade_job(job)
    sandboxed = time.perf_counter() - started
    print(f"hidden tests in process: {hidden:.2f} s; grade_job (sandboxed): {sandboxed:.2f} s")
    one = Path(tempfile.mkdtemp()) / "one"
    one.mkdir()
    shutil.copytree(reference, one / REFERENCE)
    PHASES.clear()
    started = time.perf_counter()
    autograde.autograde(course, "workbook", one, force=True, progress=lambda line: None, workers=1)
    total = time.perf_counter() - started
    print(f"optgrade autograde of one submission: {total:.2f} s = {total / hidden:.2f}x the hidden tests' own time")
    _phases(total)


def _phases(total):
    for phase, seconds in sorted(PHASES.items(), key=lambda item: -item[1]):
        print(f"  {phase}: {seconds:.2f} s (parent, serial)")
    print(f"  the rest (import, jobs not overlapped with the parent's work): {total - sum(PHASES.values()):.2f} s")


def _scores(path):
    with path.open() as stream:
        return {row["student_id"]: float(row["score"]) for row in csv.DictReader(stream)}


def plain_nbgrader(course_dir, class_dir, students):
    """Plain nbgrader on a copy of the course: nbgrader's own Execute, one process, serial. Returns seconds."""
    root = Path(course_dir)
    (root / "nbgrader_config.py").write_text(PLAIN_CONFIG.format(root=str(root), files=list(STUDENT_FILES)))
    for student in students:
        target = root / "submitted" / student / "workbook"
        shutil.copytree(class_dir / student, target)
    environment = nbgrader_environment() | {"OPTGRADE_ACCEPT_REFERENCE": "1"}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", "workbook", "--create"],
        cwd=root,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    seconds = time.perf_counter() - started
    subprocess.run(
        [sys.executable, "-m", "nbgrader", "export", "--to", str(root / "grades.csv")],
        cwd=root,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return seconds, _scores(root / "grades.csv")


def _against_the_jobs(course, wall, workers):
    """The class's wall time against its floor, the sum of the sandboxed jobs' own seconds over the workers (issue
    23's goal: at most 2x), and the median of each stage's wait from the grading records' stage times."""
    graded = [record for record in gradebook.records(course, "workbook").values() if record.get("stages")]
    floor = sum(record["seconds"] for record in graded) / workers
    print(
        f"{len(graded)} sandboxed jobs, {sum(r['seconds'] for r in graded):.1f} s of their own: floor {floor:.1f} s "
        f"with {workers} workers; wall / floor = {wall / floor:.2f} (goal: at most 2)"
    )
    steps = (("queued", "started", "waiting for a worker"), ("started", "graded", "the job"))
    steps += (("graded", "committed", "graded to committed (queue + nbgrader's commit)"),)
    for first, then, name in steps:
        waits = sorted(record["stages"][then] - record["stages"][first] for record in graded)
        print(f"  {name}: median {waits[len(waits) // 2]:.2f} s, longest {waits[-1]:.2f} s")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline-students", type=int, help="grade only this many with plain nbgrader")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    course = build.build(work / "course", accept_reference=True)
    release.release(course, "workbook")
    pristine = work / "pristine"
    shutil.copytree(course.root, pristine)  # built and released, nothing graded: the baseline's course
    mix = simulate_class(course.release("workbook"), work / "mix")
    names = sorted(path.name for path in mix.iterdir())
    class_dir = work / "class"
    class_dir.mkdir()
    students = [f"{names[i % len(names)]}_{i // len(names):02d}" for i in range(args.students)]
    for student in students:
        shutil.copytree(mix / student.rsplit("_", 1)[0], class_dir / student)
    print(
        f"{len(EXERCISES)} exercise modules, {len(jobs.tests_of(course.source('workbook')))} hidden tests; "
        f"class of {len(students)} ({len(names)} kinds of submission); {os.cpu_count()} cores"
    )
    single(course, mix)
    PHASES.clear()
    started = time.perf_counter()
    autograde.autograde(course, "workbook", class_dir, force=True, progress=lambda line: None, workers=args.workers)
    ours = time.perf_counter() - started
    our_scores = _scores(course.path("grades.csv"))
    print(
        f"optgrade autograde --workers {args.workers}, {len(students)} students: {ours:.1f} s "
        f"({ours / len(students):.2f} s a student)"
    )
    _phases(ours)
    _against_the_jobs(course, ours, args.workers)
    if args.skip_baseline:
        return 0
    baseline = students[: args.baseline_students] if args.baseline_students else students
    plain, plain_scores = plain_nbgrader(pristine, class_dir, baseline)
    scaled = plain * len(students) / len(baseline)
    note = "" if len(baseline) == len(students) else f" ({len(baseline)} graded, scaled to {len(students)})"
    print(f"plain nbgrader autograde, serial: {scaled:.1f} s{note}; optgrade/plain = {ours / scaled:.3f}")
    differ = {s: (our_scores.get(s), plain_scores.get(s)) for s in baseline if our_scores.get(s) != plain_scores.get(s)}
    print("scores differ for:" if differ else "same scores for every student graded by both")
    for student, (mine, theirs) in sorted(differ.items()):
        print(f"  {student}: optgrade {mine}, plain nbgrader {theirs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
