"""What each course subcommand of the `optgrade` script does with its parsed arguments."""

from .layout import Course


def build(args):
    from .build import build as build_course

    course = build_course(
        args.course,
        args.assignment,
        args.notebooks,
        notebooks_dir=args.notebooks_dir,
        timeout=args.timeout,
        memory_mb=args.memory_mb,
        max_output_lines=args.max_output_lines,
        db_url=args.db_url,
        accept_reference=args.accept_reference,
    )
    print(f"built {course.source(args.assignment)} ({len(course.source_notebooks(args.assignment))} notebooks)")
    return 0


def release(args):
    from .release import release as release_assignment

    archive = release_assignment(Course(args.course), args.assignment)
    print(f"released {archive.with_suffix('')} and {archive}; leak check passed")
    return 0


def leaks(args):
    from .leaks import check

    findings = check(args.target)
    for finding in findings:
        print(f"LEAK {finding}")
    print(f"{args.target}: {len(findings)} leaks" if findings else f"{args.target}: no leaks")
    return 1 if findings else 0


def autograde(args):
    from .autograde import autograde as grade_all

    course = Course(args.course)
    options = {name: getattr(args, name) for name in ("workers", "execute", "unsafe_no_sandbox", "cluster")}
    limits = {"test_timeout": args.test_timeout, "budget": args.budget}
    graded = grade_all(course, args.assignment, args.submissions, force=args.force, limits=limits, **options)
    print(f"graded {len(graded)} students; grades: {course.path('grades.csv')}; feedback: {course.path('feedback')}")
    return 0


def report(args):
    from .report import report as write_report

    print(f"report: {write_report(Course(args.course), args.assignment, args.out)}")
    return 0


def demo(args):
    from .demo import demo as run_demo

    print(f"report: {run_demo(args.course, args.notebooks, timeout=args.timeout)}")
    return 0
