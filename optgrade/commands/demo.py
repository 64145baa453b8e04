"""``optgrade demo``: build, release, grade a simulated class and report, in ./course-demo; progress line by line."""


def add(subcommands):
    demo = subcommands.add_parser("demo", help="build, release, grade a simulated class and report")
    demo.add_argument(
        "--course", default="course-demo", help="course directory (default ./course-demo, apart from a real ./course)"
    )
    demo.add_argument("notebooks", nargs="*", help="notebooks to use (default: all)")
    demo.add_argument("--timeout", type=int, help="seconds one hidden test may take when grading (default 20)")


def _say(line):
    print(line, flush=True)  # a line as soon as it is known, also through a pipe or a log file


def run(args):
    _say(f"optgrade demo: build, release, grade a simulated class and report, in {args.course} (a few minutes)")
    from ..course.demo import demo  # imports nbgrader and nbconvert: seconds

    print(f"report: {demo(args.course, args.notebooks, timeout=args.timeout, progress=_say)}")
    return 0
