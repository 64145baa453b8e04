"""What each course subcommand of the `optgrade` script does with its parsed arguments.

Every instructor input is checked before any work starts: a wrong path, a
command run too early or a file where a folder belongs raises InputError,
whose one-line message names the file and what to do (the script prints it
and exits 1; nothing in the course is touched).
"""

import zipfile
from pathlib import Path

from ..exercises import ROOT
from . import lms
from .layout import Course


class InputError(Exception):
    """A bad instructor input: the message names the file and what to do."""


def _course(args, needs=()):
    """The course of --course, checked for each step that must have run first ("build", "release")."""
    root = Path(args.course)
    if root.exists() and not root.is_dir():
        raise InputError(f"--course {root} is a file, not a course folder: name a folder (default ./course)")
    course = Course(root)
    if "build" in needs and not course.settings_file.is_file():
        raise InputError(f"no course in {course.root} (no {course.settings_file.name}): run `optgrade build` first")
    if "build" in needs and not course.source(args.assignment).is_dir():
        raise InputError(
            f"no assignment {args.assignment!r} in {course.root / 'source'}: "
            f"run `optgrade build --assignment {args.assignment}` first, or pick one of {course.assignments()}"
        )
    if "release" in needs and not course.release(args.assignment).is_dir():
        raise InputError(
            f"assignment {args.assignment!r} is not released (no {course.release(args.assignment)}): "
            "run `optgrade release` first"
        )
    return course


def _submissions(path):
    if path is None:
        return
    if not path.exists():
        raise InputError(f"no such folder: {path}; give the folder holding the submissions")
    if zipfile.is_zipfile(path) and not lms.is_download(path):  # Canvas's and Moodle's own zips are read as they are
        raise InputError(
            f"{path} is a zip file: give a folder, e.g. unzip it first or put it in a folder of per-student zips"
        )
    if not path.is_dir() and not zipfile.is_zipfile(path):
        raise InputError(f"{path} is a file, not a folder: give the folder holding the submissions")


def build(args):
    from .build import build as build_course
    from .build import select_notebooks

    _course(args)
    notebooks_dir = args.notebooks_dir or ROOT / "notebooks"
    if not notebooks_dir.is_dir():
        raise InputError(
            f"no such folder: {notebooks_dir}; --notebooks-dir names the folder of NN_name.ipynb notebooks"
        )
    try:
        found = select_notebooks(args.notebooks, notebooks_dir)
    except SystemExit as error:  # select_notebooks says which name matched how many notebooks
        names = ", ".join(path.stem for path in select_notebooks((), notebooks_dir))
        raise InputError(f"{str(error).removeprefix('optgrade build: ')}; name one of {names}") from None
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
    return 0


def _late_options(args):
    """The build's late policy and extensions, checked (``late``); InputError naming the problem."""
    from . import late

    try:
        return {
            "late_penalty": late.parse_policy(args.late_penalty) if args.late_penalty else None,
            "extensions": late.read_extensions(args.extensions) if args.extensions else None,
        }
    except ValueError as error:
        raise InputError(str(error)) from None


def release(args):
    from .release import release as release_assignment

    archive = release_assignment(_course(args, needs=("build",)), args.assignment)
    print(f"released {archive.with_suffix('')} and {archive}; leak check passed")
    return 0


def leaks(args):
    from .leaks import check

    if not args.target.exists():
        raise InputError(f"no such file or folder: {args.target}; give the release folder or its zip")
    try:
        findings = check(args.target)
    except zipfile.BadZipFile:
        raise InputError(
            f"{args.target} holds a file named .zip that is not a zip archive (or a damaged one): "
            "give a folder or a real zip"
        ) from None
    for finding in findings:
        print(f"LEAK {finding}")
    print(f"{args.target}: {len(findings)} leaks" if findings else f"{args.target}: no leaks")
    return 1 if findings else 0


def _students(count):
    return f"{count} student{'s' if count != 1 else ''}"


def counts(tally):
    """This run's students by outcome: 'graded 3 students (2 skipped: already graded; 1 empty)'."""
    others = [
        f"{len(tally[kind])} {label}"
        for kind, label in (
            ("skipped", "skipped: already graded"),
            ("empty", "empty"),
            ("unreadable", "unreadable"),
            ("failed", "failed"),
        )
        if tally.get(kind)
    ]
    return f"graded {_students(len(tally.get('graded', [])))}" + (f" ({'; '.join(others)})" if others else "")


def autograde(args):
    from .autograde import autograde as grade_all

    course = _course(args, needs=("build", "release"))
    _submissions(args.submissions)
    if args.roster is not None:  # kept in the course: later runs and reports use it too
        from . import roster

        try:
            roster.use(course, args.roster)
        except ValueError as error:
            raise InputError(str(error)) from None
    options = {name: getattr(args, name) for name in ("workers", "execute", "unsafe_no_sandbox", "cluster")}
    limits = {"test_timeout": args.test_timeout, "budget": args.budget}
    tally = {}
    try:
        grade_all(course, args.assignment, args.submissions, force=args.force, limits=limits, tally=tally, **options)
    finally:  # also when a submission could not be read or graded: the others are
        if tally:
            print(f"{counts(tally)}; grades: {course.path('grades.csv')}; feedback: {course.path('feedback')}")
    return 0


def report(args):
    from .autograde import records
    from .report import graded_students, refresh
    from .report import report as write_report

    course = _course(args, needs=("build", "release"))
    if not graded_students(course, args.assignment):
        raise InputError(
            f"no graded submission of {args.assignment!r} in {course.root}: run `optgrade autograde SUBMISSIONS` first"
        )
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise InputError(f"--out {args.out} is a file: name a folder for the report")
    refreshed = refresh(course, args.assignment, workers=args.workers)
    if refreshed:
        names = ", ".join(refreshed)
        print(f"feedback refreshed from the gradebook (hand grades, comments): {_students(len(refreshed))}: {names}")
    print(f"grades: {course.path('grades.csv')} (exported again)")
    for student, record in records(course, args.assignment).items():
        if record["status"] == "unreadable":
            print(f"{student}: unreadable: {record['notes'][-1]}")
    page = write_report(course, args.assignment, args.out)
    print(f"grade files for the LMS: {page.parent / 'canvas.csv'} (Canvas), {page.parent / 'moodle.csv'} (Moodle)")
    print(f"report: {page}")
    return 0


def _say(line):
    print(line, flush=True)  # a line as soon as it is known, also through a pipe or a log file


def demo(args):
    _say(f"optgrade demo: build, release, grade a simulated class and report, in {args.course} (a few minutes)")
    from .demo import demo as run_demo  # imports nbgrader and nbconvert: seconds

    print(f"report: {run_demo(args.course, args.notebooks, timeout=args.timeout, progress=_say)}")
    return 0


def formgrader(args):
    from .formgrader import run

    course = _course(args, needs=("build",))
    print(f"starting JupyterLab in {course.root} with the formgrader open (Ctrl-C twice to stop)", flush=True)
    run(course, port=args.port, browser=not args.no_browser, terminals=args.terminals)
    return 0  # not reached: the server replaced this process
