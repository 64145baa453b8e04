"""Grading on a Dask cluster against the local pool: the same class, the same number of workers, the same run.

    python benchmarks/bench_cluster.py [NB ...] [--students 200] [--workers 2] [--noop-jobs 200]

A class of --students submissions (the demo's mix, repeated) of the notebooks NB
(default: all of the workbook) is graded end to end by ``optgrade autograde``
twice, each time into a fresh course: with the local pool of --workers processes,
then with ``--cluster`` on a ``distributed.LocalCluster`` of --workers worker
processes (one thread each; started before the clock, its workers cold). Prints
the seconds and students per second of both (with the mean time of a job itself:
the rest is the parent's serial share, nbgrader writing each student's grades and
feedback), their ratio, and whether every student got the same score (exit 1 otherwise).

The scheduler's overhead per job: --noop-jobs jobs carrying a real submission's
files but doing nothing, through ``ClusterExecutor`` and through ``LocalExecutor``
(wall time x workers / jobs: what each job costs a worker in transport and
scheduling), and the round trip of one such job alone.
"""

import argparse
import csv
import shutil
import sys
import tempfile
import time
from pathlib import Path

import distributed

from optgrade.course import autograde, build, release
from optgrade.course.demo import simulate_class
from optgrade.runner import jobs
from optgrade.runner.cluster import ClusterExecutor
from optgrade.runner.pool import LocalExecutor


def noop(job):
    return {"student": job["student"], "verdicts": [], "notes": [], "seconds": 0.0}


def _scores(course):
    with course.path("grades.csv").open() as stream:
        return {row["student_id"]: float(row["score"]) for row in csv.DictReader(stream)}


def _course(folder, notebooks):
    course = build.build(folder, "workbook", notebooks, accept_reference=True)
    release.release(course, "workbook")
    return course


def _class(course, folder, students):
    mix = simulate_class(course.release("workbook"), folder / "mix")
    kinds = sorted(path.name for path in mix.iterdir())
    class_dir = folder / "class"
    for i in range(students):
        shutil.copytree(mix / kinds[i % len(kinds)], class_dir / f"{kinds[i % len(kinds)]}_{i // len(kinds):03d}")
    return class_dir, kinds


def _grade(course, class_dir, label, students, **where):
    """Seconds of ``optgrade autograde`` of the class; prints them with the jobs' own mean time."""
    started = time.perf_counter()
    graded = autograde.autograde(course, "workbook", class_dir, force=True, progress=lambda line: None, **where)
    seconds = time.perf_counter() - started
    mean_job = sum(record["seconds"] for record in graded.values()) / len(graded)
    print(f"{label:12} {seconds:7.1f} s  {students / seconds:6.2f} students/s  (a job itself: {mean_job:.2f} s)")
    return seconds


def _per_job(executor, job_list, workers):
    started = time.perf_counter()
    count = sum(1 for _ in executor.map_unordered(noop, job_list))
    return (time.perf_counter() - started) * workers / count


def overhead(address, workers, job, count):
    """(cluster s per job, local pool s per job, cluster round trip of one job) for payload-carrying no-op jobs."""
    job_list = [{**job, "student": f"s{i}"} for i in range(count)]
    with ClusterExecutor(address) as executor:
        list(executor.map_unordered(noop, job_list[:workers]))  # workers import the job's function once
        started = time.perf_counter()
        list(executor.map_unordered(noop, job_list[:1]))
        round_trip = time.perf_counter() - started
        cluster = _per_job(executor, job_list, workers)
    with LocalExecutor(workers) as executor:
        list(executor.map_unordered(noop, job_list[:workers]))
        local = _per_job(executor, job_list, workers)
    return cluster, local, round_trip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", help="notebooks of the assignment (default: the whole workbook)")
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--noop-jobs", type=int, default=200)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    local = _course(work / "local", args.notebooks)
    on_cluster = _course(work / "cluster", args.notebooks)
    class_dir, kinds = _class(local, work, args.students)
    tests = jobs.tests_of(local.source("workbook"))
    print(
        f"{len(local.source_notebooks('workbook'))} notebooks, {len(tests)} hidden tests; class of {args.students} "
        f"({len(kinds)} kinds of submission); {args.workers} workers each way"
    )
    pool_seconds = _grade(local, class_dir, "local pool:", args.students, workers=args.workers)
    started = time.perf_counter()
    with distributed.LocalCluster(
        n_workers=args.workers, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        print(f"(LocalCluster started in {time.perf_counter() - started:.1f} s, not counted)")
        cluster_seconds = _grade(on_cluster, class_dir, "cluster:", args.students, cluster=cluster.scheduler_address)
        print(f"cluster throughput / local pool: {pool_seconds / cluster_seconds:.3f}")
        job = {"student": "s", "assignment": "workbook", "files": jobs.read_files(class_dir / f"{kinds[0]}_000")}
        size = sum(len(content) for content in job["files"].values())
        per_job, pool_per_job, round_trip = overhead(cluster.scheduler_address, args.workers, job, args.noop_jobs)
    print(
        f"per job ({size / 1024:.0f} KiB of files, {args.noop_jobs} no-op jobs): scheduler {per_job * 1000:.1f} ms, "
        f"local pool {pool_per_job * 1000:.1f} ms; one job's round trip on the cluster {round_trip * 1000:.1f} ms"
    )
    pool_scores, cluster_scores = _scores(local), _scores(on_cluster)
    students = pool_scores.keys() | cluster_scores.keys()
    differ = sorted(s for s in students if pool_scores.get(s) != cluster_scores.get(s))
    print(f"scores differ for {differ}" if differ else f"same scores for all {len(pool_scores)} students")
    shutil.rmtree(work)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
