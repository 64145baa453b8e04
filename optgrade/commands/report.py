"""``optgrade report``: feedback refreshed after hand grading, grades.csv exported again, the HTML and CSV report."""

from pathlib import Path

from .checks import InputError, course_options, open_course, students


def add(subcommands):
    report = subcommands.add_parser(
        "report", help="HTML and CSV report; refreshes grades.csv and the feedback after hand grading"
    )
    course_options(report)
    report.add_argument("--out", type=Path, help="report folder (default COURSE/reports/ASSIGNMENT)")
    report.add_argument(
        "--workers", type=int, help="feedback pages refreshed at once after hand grading (default: the machine's cores)"
    )


def run(args):
    from ..course.gradebook import records
    from ..course.pipeline import refresh
    from ..course.report import graded_students, report

    course = open_course(args, needs=("build", "release"))
    if not graded_students(course, args.assignment):
        raise InputError(
            f"no graded submission of {args.assignment!r} in {course.root}: run `optgrade autograde SUBMISSIONS` first"
        )
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise InputError(f"--out {args.out} is a file: name a folder for the report")
    refreshed = refresh(course, args.assignment, workers=args.workers)
    if refreshed:
        names = ", ".join(refreshed)
        print(f"feedback refreshed from the gradebook (hand grades, comments): {students(len(refreshed))}: {names}")
    print(f"grades: {course.path('grades.csv')} (exported again)")
    for student, record in records(course, args.assignment).items():
        if record["status"] == "unreadable":
            print(f"{student}: unreadable: {record['notes'][-1]}")
    page = report(course, args.assignment, args.out)
    print(f"grade files for the LMS: {page.parent / 'canvas.csv'} (Canvas), {page.parent / 'moodle.csv'} (Moodle)")
    print(f"report: {page}")
    return 0
