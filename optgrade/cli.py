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
    student = commands.add_parser("student", help="a student's copy of the workbook: the released notebooks and utils/")
    student.add_argument("dest", type=Path, help="folder to create (an existing copy is kept as it is)")

    build = commands.add_parser("build", help="assemble the nbgrader course directory")
    _course_options(build)
    build.add_argument("notebooks", nargs="*", help="notebooks: name, stem or number (default: all)")
    build.add_argument("--notebooks-dir", type=Path, help="where the source notebooks are (default notebooks/)")
    build.add_argument("--timeout", type=int, help="seconds one hidden test may take when grading (default 20)")
    build.add_argument("--memory-mb", type=int, help="address-space limit of a grading kernel (default 4096)")
    build.add_argument(
        "--grader-memory-mb", type=int, help="data-memory limit of a trusted grading process (default 2048)"
    )
    build.add_argument("--max-output-lines", type=int, help="stream lines kept per graded cell (default 1000)")
    build.add_argument("--db-url", help="gradebook database URL (default SQLite in the course directory)")
    build.add_argument(
        "--accept-reference", action="store_true", default=None, help="verbatim reference copies score (demos only)"
    )
    build.add_argument("--exchange", type=Path, help="nbgrader's exchange root: release and collect use it")
    build.add_argument(
        "--late-penalty",
        help="a submission after the due date: 'none' marks it late (nbgrader's default), 'zero' scores it 0, "
        "'per-day:10%%,floor:50%%' takes 10%% of the score per day late and leaves at least half",
    )
    build.add_argument(
        "--extensions", type=Path, help="CSV with columns id,extension (days, or hours as 36h): later due dates"
    )
    release = commands.add_parser("release", help="generate the student version, zip it, check it for leaks")
    _course_options(release)
    release.add_argument(
        "--exchange", type=Path, help="also release to this nbgrader exchange (default: the build's --exchange)"
    )
    hub = commands.add_parser("hub", help="JupyterHub on 127.0.0.1 for the course, with nbgrader's exchange (as root)")
    _course_options(hub)
    hub.add_argument("--exchange", type=Path, help="nbgrader's exchange root (default: the build's --exchange)")
    hub.add_argument("--port", type=int, default=8000, help="the hub's port on 127.0.0.1 (default 8000)")
    hub.add_argument("--users-file", type=Path, help="`NAME instructor` and `NAME student` lines: local accounts")
    hub.add_argument("--state", type=Path, default=Path("hub"), help="the hub's own folder (default ./hub)")
    hub.add_argument(
        "--dummy-password-file", type=Path, help="TESTS ONLY: one shared password from this file (default: PAM)"
    )
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
    autograde.add_argument(
        "--test-timeout", type=float, help="seconds one hidden test may take (default: the build's --timeout, 20)"
    )
    autograde.add_argument("--budget", type=float, help="seconds of hidden tests per submission (default 180)")
    autograde.add_argument("--cluster", help="Dask scheduler address: grade on its workers instead of locally")
    autograde.add_argument(
        "--roster", type=Path, help="CSV id,name,email[,section]: names and emails in grades.csv, absentees at 0"
    )
    report = commands.add_parser(
        "report", help="HTML and CSV report; refreshes grades.csv and the feedback after hand grading"
    )
    _course_options(report)
    report.add_argument("--out", type=Path, help="report folder (default COURSE/reports/ASSIGNMENT)")
    report.add_argument(
        "--workers", type=int, help="feedback pages refreshed at once after hand grading (default: the machine's cores)"
    )
    formgrader = commands.add_parser(
        "formgrader", help="JupyterLab on the course (127.0.0.1, no terminals) with nbgrader's formgrader open"
    )
    _course_options(formgrader)
    formgrader.add_argument("--port", type=int, help="port to serve on (default: Jupyter's, 8888 or the next free)")
    formgrader.add_argument("--no-browser", action="store_true", help="do not open a browser (print the address)")
    formgrader.add_argument(
        "--terminals", action="store_true", help="allow terminals in this server (off: pages show student content)"
    )
    from .serve.command import add_parser as add_serve

    add_serve(commands, _course_options)
    demo = commands.add_parser("demo", help="build, release, grade a simulated class and report")
    demo.add_argument(
        "--course", default="course-demo", help="course directory (default ./course-demo, apart from a real ./course)"
    )
    demo.add_argument("notebooks", nargs="*", help="notebooks to use (default: all)")
    demo.add_argument("--timeout", type=int, help="seconds one hidden test may take when grading (default 20)")
    return parser


def _student(dest):
    from .student_copy import StudentCopyError, make

    try:
        copy, created = make(dest)
    except StudentCopyError as error:
        print(f"optgrade student: {error}", file=sys.stderr)
        return 1
    first = sorted(copy.glob("01_*.ipynb"))[0]
    print(f"{'created' if created else 'kept your existing copy'} {copy}; open {first} in JupyterLab")
    return 0


def _course_command(args):
    from .course import commands

    if args.command in ("build", "release", "hub"):
        from .hub import commands  # the same commands, plus nbgrader's exchange
    from .course.layout import GradingError

    try:
        return getattr(commands, args.command)(args)
    except (GradingError, commands.InputError) as error:
        message = str(error)
    except OSError as error:  # a path no check foresaw: name it rather than show a traceback
        message = f"{error.filename or ''}: {error.strerror or error} (check the path and try again)"
    print(f"optgrade {args.command}: {message}", file=sys.stderr)
    return 1


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.command == "student":
        return _student(args.dest)
    if args.command == "serve":
        from .serve.command import main as serve

        return serve(args)
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
    return _course_command(args)


if __name__ == "__main__":
    sys.exit(main())
