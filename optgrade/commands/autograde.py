"""``optgrade autograde [SUBMISSIONS]``: import, grade in the sandbox, feedback, grades.csv; one line per student."""

import multiprocessing
import sys
from pathlib import Path

from ..interrupts import Interrupted, raised_on_signals
from .checks import InputError, course_options, open_course, submissions_folder


def add(subcommands):
    autograde = subcommands.add_parser("autograde", help="grade submissions, generate feedback, export grades.csv")
    course_options(autograde)
    autograde.add_argument("submissions", nargs="?", type=Path, help="folder to import first (nbgrader or flat)")
    autograde.add_argument("--force", action="store_true", help="regrade students already graded")
    autograde.add_argument("--workers", type=int, help="students graded at once (default: the machine's cores)")
    autograde.add_argument(
        "--execute", action="store_true", help="also re-run the notebooks (in the sandbox) for fresh outputs"
    )
    autograde.add_argument(
        "--unsafe-no-sandbox",
        action="store_true",
        help="grade without the bubblewrap sandbox: student code can then read and write what you can",
    )
    autograde.add_argument(
        "--test-timeout", type=float, help="seconds one hidden test may take (default: the build's --timeout, 20)"
    )
    autograde.add_argument("--budget", type=float, help="seconds of hidden tests per submission (default 180)")
    autograde.add_argument("--cluster", help="Dask scheduler address: grade on its workers instead of locally")
    autograde.add_argument(
        "--roster", type=Path, help="CSV id,name,email[,section]: names and emails in grades.csv, absentees at 0"
    )


def run(args):
    from ..course.autograde import autograde, counts

    course = open_course(args, needs=("build", "release"))
    submissions_folder(args.submissions)
    if args.roster is not None:  # kept in the course: later runs and reports use it too
        from ..course import roster

        try:
            roster.use(course, args.roster)
        except ValueError as error:
            raise InputError(str(error)) from None
    options = {name: getattr(args, name) for name in ("workers", "execute", "unsafe_no_sandbox", "cluster")}
    options["limits"] = {"test_timeout": args.test_timeout, "budget": args.budget}
    tally, stopped = {}, None
    try:
        with raised_on_signals():
            autograde(course, args.assignment, args.submissions, force=args.force, tally=tally, **options)
    except Interrupted as signal:  # Ctrl-C or SIGTERM: one line; the students committed so far stay graded
        stopped = signal
        for child in multiprocessing.active_children():  # a pool process no pool had stopped: not waited for at exit
            child.kill()
        print(
            f"optgrade autograde: interrupted ({signal.name}): {counts(tally) if tally else 'nobody graded'} so far; "
            "run it again to grade the rest",
            file=sys.stderr,
            flush=True,
        )
        return 128 + signal.number
    finally:  # also when a submission could not be read or graded: the others are
        if tally and stopped is None:
            print(f"{counts(tally)}; grades: {course.path('grades.csv')}; feedback: {course.path('feedback')}")
    return 0
