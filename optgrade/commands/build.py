"""``optgrade build``: the nbgrader course directory; ``--exchange DIR`` records nbgrader's exchange in it."""

from pathlib import Path

from ..exercises import ROOT
from .checks import InputError, course_options, open_course


def add(subcommands):
    build = subcommands.add_parser("build", help="assemble the nbgrader course directory")
    course_options(build)
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


def _late_options(args):
    """The build's late policy and extensions, checked (``course.late``); InputError naming the problem."""
    from ..course import late

    try:
        return {
            "late_penalty": late.parse_policy(args.late_penalty) if args.late_penalty else None,
            "extensions": late.read_extensions(args.extensions) if args.extensions else None,
        }
    except ValueError as error:
        raise InputError(str(error)) from None


def run(args):
    from ..course.build import NotebookChoiceError, select_notebooks, write_settings
    from ..course.build import build as build_course

    open_course(args)
    notebooks_dir = args.notebooks_dir or ROOT / "notebooks"
    if not notebooks_dir.is_dir():
        raise InputError(
            f"no such folder: {notebooks_dir}; --notebooks-dir names the folder of NN_name.ipynb notebooks"
        )
    try:
        found = select_notebooks(args.notebooks, notebooks_dir)
    except NotebookChoiceError as error:  # which name matched how many notebooks
        names = ", ".join(path.stem for path in select_notebooks((), notebooks_dir))
        raise InputError(f"{error}; name one of {names}") from None
    if not found:
        raise InputError(f"no NN_name.ipynb notebooks in {notebooks_dir}: give --notebooks-dir the notebooks' folder")
    course = build_course(
        args.course,
        args.assignment,
        args.notebooks,
        notebooks_dir=args.notebooks_dir,
        timeout=args.timeout,
        memory_mb=args.memory_mb,
        grader_memory_mb=args.grader_memory_mb,
        max_output_lines=args.max_output_lines,
        db_url=args.db_url,
        accept_reference=args.accept_reference,
        **_late_options(args),
    )
    print(f"built {course.source(args.assignment)} ({len(course.source_notebooks(args.assignment))} notebooks)")
    if args.exchange is not None:
        write_settings(course, exchange=str(args.exchange.resolve()))
        print(f"exchange: {args.exchange.resolve()} (optgrade release releases to it)")
    return 0
