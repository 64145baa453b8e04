"""The `optgrade` console script: one subcommand per instructor job."""

import argparse
import sys

from .commands import (
    autograde,
    build,
    demo,
    formgrader,
    hub,
    leaks,
    outputs,
    release,
    report,
    serve,
    solved,
    stubs,
    student,
)
from .commands.checks import InputError
from .course.gradebook import AlreadyRunning
from .course.layout import GradingError

COMMANDS = (stubs, solved, outputs, student, build, release, hub, leaks, autograde, report, formgrader, serve, demo)


def parser():
    """The script's argument parser: each command module adds its subcommand, in the order of ``--help``."""
    top = argparse.ArgumentParser(prog="optgrade", description=__doc__)
    subcommands = top.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add(subcommands)
    return top


def main(argv=None):
    args = parser().parse_args(argv)
    command = next(command for command in COMMANDS if command.__name__.rpartition(".")[2] == args.command)
    try:
        return command.run(args)
    except (GradingError, InputError, AlreadyRunning) as error:
        message = str(error)
    except OSError as error:  # a path no check foresaw: name it rather than show a traceback
        message = f"{error.filename or ''}: {error.strerror or error} (check the path and try again)"
    print(f"optgrade {args.command}: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
