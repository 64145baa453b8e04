"""``optgrade solved DEST``: the solved workbook (stubs replaced by solutions), for the instructor."""


def add(subcommands):
    solved = subcommands.add_parser("solved", help="build the solved workbook (stubs replaced by solutions)")
    solved.add_argument("dest", help="directory to create")


def run(args):
    from ..workbook import build_solved

    print(build_solved(args.dest))
    return 0
