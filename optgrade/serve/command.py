"""The ``optgrade serve`` subcommand: its options, and what it does with them."""

import sys
from pathlib import Path


def add_parser(commands, course_options):
    serve = commands.add_parser(
        "serve", help="grade each submission as it arrives in nbgrader's exchange and release its feedback"
    )
    course_options(serve)
    serve.add_argument(
        "--exchange", type=Path, help="the exchange's root folder (default: the course's c.Exchange.root)"
    )
    serve.add_argument("--workers", type=int, help="students graded at once (default: the machine's cores)")
    serve.add_argument(
        "--poll", type=float, default=1.0, help="seconds between looks at the inbound folder (default 1)"
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


def main(args):
    from ..course.commands import InputError, _course
    from ..course.layout import GradingError
    from . import control
    from .lock import AlreadyRunning

    try:
        course = _course(args, needs=("build",) if (args.pause or args.resume or args.status) else ("build", "release"))
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
        from .service import Service

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
        return service.run()
    except (GradingError, InputError, AlreadyRunning) as error:
        print(f"optgrade serve: {error}", file=sys.stderr)
        return 1
