"""The `optgrade` console script: one subcommand per instructor job."""

import argparse
import sys
from pathlib import Path


def _course_options(parser):
    parser.add_argument("--course", default="course", help="course directory (default ./course)")
    parser.add_argument("--assignment", default="workbook", help="assignment name (default workbook)")


def _parser():
    parser = argparse.ArgumentParser(prog="optgrade", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    stubs = commands.add_parser("stubs", help="regenerate utils/ stubs from solutions/")
    stubs.add_argument("--check", action="store_true", help="only report drift (exit 1 if any)")
    solved = commands.add_parser("solved", help="build the solved workbook (stubs replaced by solutions)")
    solved.add_argument("dest", help="directory to create")
    outputs = commands.add_parser("outputs", help="refresh the stored outputs of nbval-checked cells")
    outputs.add_argument("notebooks", nargs="*", help="notebooks to refresh (default: all)")

    build = commands.add_parser("build", help="assemble the nbgrader course directory")
    _course_options(build)
    build.add_argument("notebooks", nargs="*", help="notebooks: name, stem or number (default: all)")
    build.add_argument("--notebooks-dir", type=Path, help="where the source notebooks are (default notebooks/)")
    build.add_argument("--timeout", type=int, help="seconds per cell when grading (default 120)")
    build.add_argument("--memory-mb", type=int, help="address-space limit of a grading kernel (default 4096)")
    build.add_argument("--max-output-lines", type=int, help="stream lines kept per graded cell (default 1000)")
    build.add_argument("--db-url", help="gradebook database URL (default SQLite in the course directory)")
    build.add_argument(
        "--accept-reference", action="store_true", default=None, help="verbatim reference copies score (demos only)"
    )
    release = commands.add_parser("release", help="generate the student version, zip it, check it for leaks")
    _course_options(release)
    leaks = commands.add_parser("leaks", help="check a folder or zip for leaked instructor material")
    leaks.add_argument("target", type=Path)
    autograde = commands.add_parser("autograde", help="grade submissions, generate feedback, export grades.csv")
    _course_options(autograde)
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
    autograde.add_argument("--test-timeout", type=float, help="seconds one hidden test may take (default 20)")
    autograde.add_argument("--budget", type=float, help="seconds of hidden tests per submission (default 180)")
    autograde.add_argument("--cluster", help="Dask scheduler address: grade on its workers instead of locally")
    report = commands.add_parser("report", help="HTML and CSV report of an autograded assignment")
    _course_options(report)
    report.add_argument("--out", type=Path, help="report folder (default COURSE/reports/ASSIGNMENT)")
    demo = commands.add_parser("demo", help="build, release, grade a simulated class and report")
    demo.add_argument(
        "--course", default="course-demo", help="course directory (default ./course-demo, apart from a real ./course)"
    )
    demo.add_argument("notebooks", nargs="*", help="notebooks to use (default: all)")
    demo.add_argument("--timeout", type=int, help="seconds per cell when grading (default 120)")
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.command == "stubs":
        from . import stubs

        return stubs.main(check=args.check)
    if args.command in ("solved", "outputs"):
        from . import workbook

        if args.command == "solved":
            print(workbook.build_solved(args.dest))
        else:
            workbook.refresh_checked_outputs(args.notebooks or None)
        return 0
    from .course import commands
    from .course.layout import GradingError

    try:
        return getattr(commands, args.command)(args)
    except GradingError as error:
        print(f"optgrade {args.command}: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
