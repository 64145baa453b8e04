"""``optgrade hub``, and ``optgrade build`` / ``release`` with nbgrader's exchange (``--exchange``).

``build --exchange DIR`` records the exchange in the course; ``release`` then also runs nbgrader's
release_assignment to it (one command), with ``--exchange`` naming another exchange for this release.
"""

import os
import shutil
import sys
from pathlib import Path

from ..course import commands
from ..course.commands import InputError
from ..course.layout import GradingError
from ..exercises import ROOT
from .users import readable_by_others


def build(args):
    from ..course.build import write_settings
    from ..course.layout import Course

    done = commands.build(args)
    if args.exchange is not None:
        write_settings(Course(args.course), exchange=str(args.exchange.resolve()))
        print(f"exchange: {args.exchange.resolve()} (optgrade release releases to it)")
    return done


def release(args):
    from ..course.release import release_to_exchange

    done = commands.release(args)
    course = commands._course(args, needs=("build",))
    exchange = args.exchange or course.settings.get("exchange")
    if exchange:
        outbound = release_to_exchange(course, args.assignment, Path(exchange).resolve())
        print(f"released to the exchange: {outbound} (students fetch it in Nbgrader > Assignment List)")
    return done


def hub(args):
    """Write the hub's config for the course and replace this process by JupyterHub."""
    from ..course.release import create_exchange
    from . import config, users

    if os.geteuid() != 0:  # first: nothing else matters without it
        raise GradingError(
            "run it as root (sudo): JupyterHub starts each user's server as that user's Unix account, "
            "which only root can do"
        )
    course = commands._course(args, needs=("build",))
    exchange = args.exchange or course.settings.get("exchange")
    if not exchange:
        raise InputError("no exchange: give --exchange DIR, or build the course with `--exchange DIR`")
    if args.users_file is None or not args.users_file.is_file():
        raise InputError(f"--users-file {args.users_file}: give the file of `NAME instructor|student` lines")
    if shutil.which("configurable-http-proxy") is None:
        raise GradingError("no configurable-http-proxy: `sh scripts/install-system-packages` installs it (npm)")
    instructor, students = users.read(args.users_file)
    users.check_reachable([sys.executable, sys.base_prefix, config.singleuser_command(), ROOT / "optgrade"])
    users.check_private_homes(students)
    exchange = create_exchange(Path(exchange).resolve())
    for warning in secrets_warnings(ROOT):
        print(warning, file=sys.stderr)
    password_file = args.dummy_password_file.resolve() if args.dummy_password_file else None
    hub_config = config.write(
        args.state.resolve(), course.root, exchange, instructor, students, args.port, password_file
    )
    print(f"JupyterHub for {course.root} on http://127.0.0.1:{args.port}/ (exchange {exchange}; Ctrl-C stops it)")
    sys.stdout.flush()
    jupyterhub = str(Path(sys.executable).parent / "jupyterhub")
    os.chdir(hub_config.parent)
    os.execv(jupyterhub, [jupyterhub, "-f", str(hub_config)])


def secrets_warnings(root):
    """A warning for each of the checkout's solutions/ and optgrade/hidden/ that every account can read.

    On one machine each student is a Unix account: unless those folders are closed to them, a student's kernel or
    terminal reads the reference answers and the hidden tests. The hub still starts (the instructor decides).
    """
    return [
        f"warning: {secret} ({what}) can be read by every account on this machine, students included: "
        f"`chown -R INSTRUCTOR {root}` and `chmod o-rwx {secret}` (see docs/deployment.md, 'A hub on one machine')"
        for secret, what in (
            (root / "solutions", "the reference answers"),
            (root / "optgrade" / "hidden", "the hidden tests"),
        )
        if readable_by_others(secret)
    ]
