"""``optgrade release``: the student version, zipped and leak-checked; also to nbgrader's exchange if there is one."""

from pathlib import Path

from .checks import course_options, open_course


def add(subcommands):
    release = subcommands.add_parser("release", help="generate the student version, zip it, check it for leaks")
    course_options(release)
    release.add_argument(
        "--exchange", type=Path, help="also release to this nbgrader exchange (default: the build's --exchange)"
    )


def run(args):
    from ..course.release import release, release_to_exchange

    course = open_course(args, needs=("build",))
    archive = release(course, args.assignment)
    print(f"released {archive.with_suffix('')} and {archive}; leak check passed")
    exchange = args.exchange or course.settings.get("exchange")
    if exchange:
        outbound = release_to_exchange(course, args.assignment, Path(exchange).resolve())
        print(f"released to the exchange: {outbound} (students fetch it in Nbgrader > Assignment List)")
    return 0
