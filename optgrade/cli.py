"""The `optgrade` console script: one subcommand per instructor job."""

import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="optgrade", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    stubs = commands.add_parser("stubs", help="regenerate utils/ stubs from solutions/")
    stubs.add_argument("--check", action="store_true", help="only report drift (exit 1 if any)")
    solved = commands.add_parser("solved", help="build the solved workbook (stubs replaced by solutions)")
    solved.add_argument("dest", help="directory to create")
    outputs = commands.add_parser("outputs", help="refresh the stored outputs of nbval-checked cells")
    outputs.add_argument("notebooks", nargs="*", help="notebooks to refresh (default: all)")
    args = parser.parse_args(argv)
    if args.command == "stubs":
        from . import stubs

        return stubs.main(check=args.check)
    from . import workbook

    if args.command == "solved":
        print(workbook.build_solved(args.dest))
    elif args.command == "outputs":
        workbook.refresh_checked_outputs(args.notebooks or None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
