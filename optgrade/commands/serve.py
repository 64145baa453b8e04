"""``optgrade serve``: grade each submission as it arrives in the exchange; ``--pause``, ``--resume``, ``--status``."""

from pathlib import Path

from .checks import InputError, course_options, open_course


def add(subcommands):
    serve = subcommands.add_parser(
        "serve", help="grade each submission as it arrives in nbgrader's exchange and release its feedback"
    )
    course_options(serve)
    serve.add_argument(
        "--exchange", type=Path, help="the exchange's root folder (default: the course's c.Exchange.root)"
    )
    serve.add_argument("--workers", type=int, help="students graded at once (default: the machine's cores)")
    serve.add_argument(
        "--poll", type=float, default=0.25, help="seconds between looks at the inbound folder (default 0.25)"
    )
    serve.add_argument(
        "--unsafe-no-sandbox",
        action="store_true",
        help="grade without the bubblewrap sandbox: student code can then read and write what you can",
    )
    control = serve.add_mutually_exclusive_group()
    control.add_argument("--pause", action="store_true", help="stop collecting new submissions (a flag file)")
    control.add_argument("--resume", action="store_true", help="collect again after --pause")
    control.add_argument("--status", action="store_true", help="queue, students in grading, last graded, errors")


def run(args):
    from ..serve import control

    course = open_course(args, needs=("build",) if (args.pause or args.resume or args.status) else ("build", "release"))
    if args.status:
        print("\n".join(control.status_lines(course, args.assignment)))
        return 0
    if args.pause or args.resume:
        print(control.pause(course, args.assignment, args.pause))
        return 0
    if args.exchange is not None and not args.exchange.is_dir():
        raise InputError(
            f"--exchange {args.exchange}: no such folder (nbgrader's exchange root, e.g. /srv/nbgrader/exchange)"
        )
    from ..serve.service import Service

    service = Service(
        course,
        args.assignment,
        exchange=args.exchange,
        workers=args.workers,
        poll=args.poll,
        unsafe_no_sandbox=args.unsafe_no_sandbox,
    )
    service.stop_on_signals()
    print(f"optgrade serve: grading {args.assignment!r} of {course.root} from {service.exchange}", flush=True)
    service.run()
    print(f"optgrade serve: stopped by {service.stopped_by}; the next start goes on from here", flush=True)
    return 0
