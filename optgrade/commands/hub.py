"""``optgrade hub``: JupyterHub on 127.0.0.1 for the course, with nbgrader's exchange (root; replaces the process)."""

import os
import shutil
import sys
from pathlib import Path

from ..course.layout import GradingError
from ..exercises import ROOT
from .checks import InputError, course_options, open_course


def add(subcommands):
    hub = subcommands.add_parser(
        "hub", help="JupyterHub on 127.0.0.1 for the course, with nbgrader's exchange (as root)"
    )
    course_options(hub)
    hub.add_argument("--exchange", type=Path, help="nbgrader's exchange root (default: the build's --exchange)")
    hub.add_argument("--port", type=int, default=8000, help="the hub's port on 127.0.0.1 (default 8000)")
    hub.add_argument("--users-file", type=Path, help="`NAME instructor` and `NAME student` lines: local accounts")
    hub.add_argument("--state", type=Path, default=Path("hub"), help="the hub's own folder (default ./hub)")
    hub.add_argument(
        "--dummy-password-file", type=Path, help="TESTS ONLY: one shared password from this file (default: PAM)"
    )


def run(args):
    """Write the hub's config for the course and replace this process by JupyterHub."""
    from ..course.release import create_exchange
    from ..hub import config, users
    from ..lab_extension import ensure_installed

    if os.geteuid() != 0:  # first: nothing else matters without it
        raise GradingError(
            "run it as root (sudo): JupyterHub starts each user's server as that user's Unix account, "
            "which only root can do"
        )
    course = open_course(args, needs=("build",))
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
    for warning in users.secrets_warnings(ROOT):
        print(warning, file=sys.stderr)
    note = ensure_installed()  # the users' JupyterLab runs from this environment: Validate tells the truth there
    if note:
        print(note, file=sys.stderr)
    password_file = args.dummy_password_file.resolve() if args.dummy_password_file else None
    hub_config = config.write(
        args.state.resolve(), course.root, exchange, instructor, students, args.port, password_file
    )
    print(f"JupyterHub for {course.root} on http://127.0.0.1:{args.port}/ (exchange {exchange}; Ctrl-C stops it)")
    sys.stdout.flush()
    jupyterhub = str(Path(sys.executable).parent / "jupyterhub")
    os.chdir(hub_config.parent)
    os.execv(jupyterhub, [jupyterhub, "-f", str(hub_config)])
