"""Feedback latency of ``optgrade serve``: from a student's submit to their feedback being fetchable.

    python -m benchmarks.bench_serve [--burst 40] [--spread 60] [--repeat 3] [--kinds mix|reference] [--workers N]

Builds a temporary course of the whole workbook with the real ``optgrade build --accept-reference
--exchange`` and ``optgrade release`` (released to a temporary nbgrader exchange), starts ``optgrade
serve`` as a subprocess, and measures, each student submitting with nbgrader's own ``ExchangeSubmit``
from their own home folder (``tests/course_helpers.submit``):

(a) one full-workbook reference submission at a time (--repeat times, after one warm-up submission
    that is reported apart): seconds from ExchangeSubmit's return until every notebook's feedback page
    is in the exchange's feedback folder under the name ``ExchangeFetchFeedback`` looks for (polled
    every 50 ms; each student's pages are then fetched with ``fetch_feedback`` to check), against the
    sandboxed job's own time for the same submission (``runner.jobs.grade_job`` run in this process
    while the service is idle, as ``benchmarks/bench_grading.py`` measures it, and the job's own
    ``seconds`` as the service's worker reported it); the per-phase breakdown comes from the timings the
    service writes in its journal (``course/.optgrade/serve/workbook/journal.jsonl``, "released" lines);
(b) a burst of --burst distinct students submitting evenly over --spread seconds (the demo's mix of
    submissions repeated, or the reference only with --kinds reference): the time until every
    student's feedback is fetchable, and the latencies' median and maximum.

The machine's load (``/proc/loadavg``) and the CPU share of the service's processes against the whole
machine's (``psutil``) are printed for each part, so a run on a shared machine says how shared it was.
Exit code 1 if a student's feedback never arrived (--timeout) or the service logged an error.
"""

import argparse
import contextlib
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from nbgrader.utils import notebook_hash

from optgrade.course import pipeline
from optgrade.course.demo import REFERENCE, simulate_class
from optgrade.course.layout import COURSE_ID, Course
from optgrade.course.release import create_exchange
from optgrade.runner import jobs
from optgrade.serve import state
from tests.course_helpers import fetch_feedback, submit

ASSIGNMENT = "workbook"
PHASES = (  # (label, journal timing point it ends at, point it starts at); "submit", "fetchable": this script's
    ("detect (poll wait, listing)", "detected", "submit"),
    ("wait for a grading slot, collect, preflight", "queued", "detected"),
    ("grade: the sandboxed job (its own seconds)", "job", None),
    ("grade: waiting for a worker / the loop, IPC", "graded", "queued"),  # minus the job's own seconds
    ("gradebook commit (nbgrader autograde, lock)", "committed", "graded"),
    ("feedback page (queue + generate_feedback)", "feedback", "committed"),
    ("release (nbgrader release_feedback)", "released", "feedback"),
    ("until this script's poll saw the pages", "fetchable", "released"),
)


def optgrade(*args, log):
    """Run the real ``optgrade`` command line; its output goes to ``log``."""
    with log.open("a") as stream:
        subprocess.run(
            [sys.executable, "-m", "optgrade.cli", *map(str, args)], stdout=stream, stderr=stream, check=True
        )


class Machine:
    """CPU seconds of the whole machine and of the service's process tree between two ``mark`` calls."""

    def __init__(self, service_pid):
        self.service, self.me = psutil.Process(service_pid), psutil.Process()
        self.start = self._now()

    def _tree_cpu(self):
        total = 0.0
        for process in [self.service, *self.service.children(recursive=True)]:
            try:
                times = process.cpu_times()
                total += times.user + times.system + times.children_user + times.children_system
            except psutil.Error:
                pass
        return total

    def _now(self):
        cpu = psutil.cpu_times()
        busy = cpu.user + cpu.nice + cpu.system + cpu.irq + cpu.softirq + cpu.steal
        mine = self.me.cpu_times()
        return (
            time.monotonic(),
            busy,
            self._tree_cpu(),
            mine.user + mine.system + mine.children_user + mine.children_system,
        )

    def mark(self):
        """'load ...; machine busy X of its N cores, the service's processes Y' since the last mark."""
        now = self._now()
        (t0, busy0, tree0, me0), (t1, busy1, tree1, me1) = self.start, now
        self.start = now
        wall, cores = max(t1 - t0, 1e-9), psutil.cpu_count()
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        return (
            f"load average {load}; over these {wall:.0f} s the machine's {cores} cores were busy "
            f"{(busy1 - busy0) / wall:.2f} cores' worth: the service's processes {(tree1 - tree0) / wall:.2f} "
            f"({tree1 - tree0:.0f} CPU s), "
            f"this script {(me1 - me0) / wall:.2f} (its submits, polls and grade_job), the rest other work"
        )


class Student:
    def __init__(self, name, kind, home):
        self.name, self.kind, self.home = name, kind, home
        self.submitted = self.fetchable = None
        self.pages = []

    def expect(self, exchange):
        """The exchange's feedback page names ExchangeFetchFeedback will look for (from the submission's secret)."""
        cache = self.home / ".nbgrader_cache" / COURSE_ID
        [folder] = [path for path in cache.iterdir() if path.name.startswith(f"{self.name}+{ASSIGNMENT}+")]
        secret = (folder / "submission_secret.txt").read_text()
        outbound = Path(exchange, COURSE_ID, "feedback")
        self.pages = [
            outbound / f"{notebook_hash(secret=secret, notebook_id=path.stem)}.html" for path in folder.glob("*.ipynb")
        ]

    def check(self, now):
        if self.fetchable is None and self.pages and all(page.exists() for page in self.pages):
            self.fetchable = now
        return self.fetchable is not None


def make_home(homes, name, kind, mix):
    home = homes / name
    shutil.copytree(mix / kind, home / ASSIGNMENT)
    return Student(name, kind, home)


def wait_for(students, exchange, timeout):
    """Poll every 50 ms until each student (whose submit returned) has every feedback page, or ``timeout``."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        now = time.time()
        if all([student.submitted is not None and student.check(now) for student in students]):  # each checked
            return True
        time.sleep(0.05)
    return False


def submit_one(student, exchange):
    submit(exchange, student.name, student.home)
    student.submitted = time.time()
    student.expect(exchange)


def confirm(students, exchange):
    """Each student fetches their feedback with nbgrader's ExchangeFetchFeedback: the pages of every notebook."""
    problems = []
    for student in students:
        fetched = fetch_feedback(exchange, student.name, student.home)
        pages = sum(len(notebooks) for notebooks in fetched.values())
        if pages != len(student.pages):
            problems.append(f"{student.name}: fetched {pages} pages, expected {len(student.pages)}")
    return problems


def released_timings(course):
    """{student: the timing of their latest "released" journal line}, and the journal's error lines."""
    timings, errors = {}, []
    for line in state.read_journal(course, ASSIGNMENT):
        if line["event"] == "released":
            timings[line["student"]] = line.get("timing", {})
        elif line["event"] == "error":
            errors.append(f"{line['student']}: {line['message']}")
    return timings, errors


def phases(student, timing):
    """{phase: seconds} of one student, from the journal's timing and this script's own two clocks."""
    points = {**timing, "submit": student.submitted, "fetchable": student.fetchable}
    found = {}
    for label, end, start in PHASES:
        if start is None:
            if points.get(end) is not None:
                found[label] = points[end]
        elif points.get(end) is not None and points.get(start) is not None:
            found[label] = points[end] - points[start] - (points.get("job", 0) if end == "graded" else 0)
    return found


def table(rows, header):
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)) for row in [header, *rows]
    ]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


def sandboxed_job_seconds(course, student, repeat=2):
    """``grade_job`` of the collected submission in this process, sandboxed, warm: the fastest of ``repeat``."""
    from optgrade.runner.pool import warm

    warm()
    options = pipeline.grading_options(course)
    tests = jobs.tests_of(course.source(ASSIGNMENT))
    best = None
    for _ in range(repeat):
        job = pipeline.job(course, ASSIGNMENT, student, tests, options)
        started = time.perf_counter()
        result = jobs.grade_job(job)
        seconds = time.perf_counter() - started
        best = seconds if best is None else min(best, seconds)
    return best, result


def single(args, course, exchange, homes, mix, machine):
    print(f"\n(a) one full-workbook reference submission at a time, {args.repeat} times after a warm-up")
    timings = []
    runs = []
    for index in range(args.repeat + 1):
        student = make_home(homes, f"single{index:02d}", REFERENCE, mix)
        submit_one(student, exchange)
        if not wait_for([student], exchange, args.timeout):
            print(f"  {student.name}: no feedback after {args.timeout} s")
            return [f"{student.name}: no feedback after {args.timeout} s"]
        runs.append(student)
        time.sleep(1.5)  # the service writes the journal line right after the release: let it, and settle
    released, errors = released_timings(course)
    problems = confirm(runs, exchange)
    job_here, result = sandboxed_job_seconds(course, runs[-1].name)
    rows = []
    for position, student in enumerate(runs):
        timing = released.get(student.name, {})
        latency = student.fetchable - student.submitted
        timings.append(timing)
        rows.append(
            [
                student.name + (" (warm-up)" if position == 0 else ""),
                f"{latency:.2f}",
                f"{timing.get('job', float('nan')):.2f}",
                f"{latency / job_here:.2f}x",
            ]
        )
    print(table(rows, ["student", "submit -> fetchable (s)", "job in the service (s)", "/ job here"]))
    measured = [student.fetchable - student.submitted for student in runs[1:]]
    print(
        f"sandboxed job in this process (grade_job, warm, fastest of 2): {job_here:.2f} s "
        f"({sum(v['score'] for v in result['verdicts']):g} of "
        f"{sum(v['points'] for v in result['verdicts']):g} points); "
        f"latency after warm-up: median {statistics.median(measured):.2f} s, best {min(measured):.2f} s, "
        f"worst {max(measured):.2f} s = {statistics.median(measured) / job_here:.2f}x the job here "
        f"(goal <= 2x; {statistics.median(measured) / 5:.2f}x the issue's 5 s)"
    )
    breakdown = [phases(student, released.get(student.name, {})) for student in runs[1:]]
    rows = []
    for label, *_ in PHASES:
        values = [entry[label] for entry in breakdown if label in entry]
        if values:
            rows.append([label, f"{statistics.median(values):.2f}", f"{min(values):.2f}", f"{max(values):.2f}"])
    collect = [timing.get("collect") for timing in timings[1:] if timing.get("collect") is not None]
    print(table(rows, ["phase (from the service's journal)", "median s", "min", "max"]))
    if collect:
        print(f"  of which nbgrader collect itself: median {statistics.median(collect):.2f} s")
    print(machine.mark())
    return [*errors, *problems]


def burst(args, course, exchange, homes, mix, machine):
    kinds = [REFERENCE] if args.kinds == "reference" else sorted(path.name for path in mix.iterdir())
    students = [
        make_home(homes, f"burst{index:03d}-{kinds[index % len(kinds)]}", kinds[index % len(kinds)], mix)
        for index in range(args.burst)
    ]
    gap = args.spread / max(len(students) - 1, 1)
    print(f"\n(b) a burst of {len(students)} students over {args.spread:g} s (one every {gap:.2f} s), kinds: {kinds}")
    machine.mark()
    start = time.time()

    def submitter():
        for index, student in enumerate(students):
            time.sleep(max(0.0, start + index * gap - time.time()))
            submit_one(student, exchange)

    thread = threading.Thread(target=submitter, daemon=True)
    thread.start()
    arrived = wait_for(students, exchange, args.spread + args.timeout)
    thread.join(timeout=60)
    time.sleep(1.5)
    released, errors = released_timings(course)
    done = [student for student in students if student.fetchable is not None]
    latencies = sorted(student.fetchable - student.submitted for student in done)
    last = max((student.fetchable for student in done), default=time.time())
    if done:
        print(
            f"every feedback fetchable {last - start:.1f} s after the first submit began "
            f"({last - max(s.submitted for s in done):.1f} s after the last submit returned); "
            f"latency median {statistics.median(latencies):.1f} s, 90th percentile "
            f"{latencies[math.ceil(0.9 * len(latencies)) - 1]:.1f} s, max {latencies[-1]:.1f} s (goal: max <= 180 s)"
        )
    if not arrived:
        errors.append(f"{len(students) - len(done)} students had no feedback after {args.spread + args.timeout:g} s")
    by_kind = {}
    for student in done:
        by_kind.setdefault(student.kind, []).append(student)
    rows = []
    for kind, group in sorted(by_kind.items()):
        lat = [s.fetchable - s.submitted for s in group]
        job = [released.get(s.name, {}).get("job") for s in group]
        job = [value for value in job if value is not None]
        rows.append(
            [
                kind,
                len(group),
                f"{statistics.median(lat):.1f}",
                f"{max(lat):.1f}",
                f"{statistics.median(job):.2f}" if job else "-",
            ]
        )
    print(table(rows, ["kind", "students", "median latency s", "max s", "job s (median)"]))
    breakdown = [phases(student, released.get(student.name, {})) for student in done]
    rows = []
    for label, *_ in PHASES:
        values = [entry[label] for entry in breakdown if label in entry]
        if values:
            rows.append(
                [label, f"{statistics.median(values):.2f}", f"{max(values):.2f}", f"{sum(values) / len(done):.2f}"]
            )
    print(table(rows, ["phase (from the service's journal)", "median s", "max", "mean"]))
    print(machine.mark())
    return [*errors, *confirm(done, exchange)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--burst", type=int, default=40, help="students in the burst (0: no burst)")
    parser.add_argument("--spread", type=float, default=60.0, help="seconds the burst's submissions are spread over")
    parser.add_argument("--repeat", type=int, default=3, help="single submissions measured after the warm-up")
    parser.add_argument("--kinds", choices=("mix", "reference"), default="mix", help="the burst's submissions")
    parser.add_argument("--workers", type=int, help="optgrade serve --workers (default: its own, the cores)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for feedback")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (printed)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    log = work / "optgrade.log"
    exchange = create_exchange(work / "exchange")
    print(f"{work}: {os.cpu_count()} cores; load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    started = time.perf_counter()
    optgrade("build", "--course", work / "course", "--accept-reference", "--exchange", exchange, log=log)
    optgrade("release", "--course", work / "course", log=log)
    course = Course(work / "course")
    mix = simulate_class(course.release(ASSIGNMENT), work / "mix")
    print(f"optgrade build + release to the exchange: {time.perf_counter() - started:.1f} s")
    command = [sys.executable, "-m", "optgrade.cli", "serve", "--course", str(course.root)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    with (work / "serve.log").open("w") as stream:
        service = subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT, start_new_session=True)
    problems = []
    try:
        deadline = time.time() + 120
        while (state.read_status(course, ASSIGNMENT) or {}).get("state") != "running":
            if service.poll() is not None or time.time() > deadline:
                print((work / "serve.log").read_text())
                raise SystemExit("optgrade serve did not start")
            time.sleep(0.1)
        while not (state.read_status(course, ASSIGNMENT) or {}).get("ready") and time.time() < deadline + 60:
            time.sleep(0.1)  # until a grading and a feedback process are warm (the service's "ready", since c6bf06d)
        machine = Machine(service.pid)
        homes = work / "homes"
        homes.mkdir()
        problems += single(args, course, exchange, homes, mix, machine)
        if args.burst:
            problems += burst(args, course, exchange, homes, mix, machine)
        status = subprocess.run(
            [sys.executable, "-m", "optgrade.cli", "serve", "--course", str(course.root), "--status"],
            capture_output=True,
            text=True,
            check=False,
        )
        print("\noptgrade serve --status:\n" + status.stdout.strip())
    finally:
        if service.poll() is None:
            service.send_signal(signal.SIGTERM)  # the service stops its pools itself
            try:
                service.wait(timeout=60)
            except subprocess.TimeoutExpired:
                service.kill()
                service.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(service.pid, signal.SIGKILL)  # pool processes left behind, if any (its own session)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    for problem in problems:
        print(f"problem: {problem}")
    if args.keep:
        print(f"kept {work} (service log: {work / 'serve.log'}, journal: {state.folder(course, ASSIGNMENT)})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
