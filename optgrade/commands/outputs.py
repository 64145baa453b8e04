"""``optgrade outputs [NOTEBOOK ...]``: refresh the stored outputs of nbval-checked cells."""


def add(subcommands):
    outputs = subcommands.add_parser("outputs", help="refresh the stored outputs of nbval-checked cells")
    outputs.add_argument("notebooks", nargs="*", help="notebooks to refresh (default: all)")


def run(args):
    from ..workbook import refresh_checked_outputs

    for path in refresh_checked_outputs(args.notebooks or None):
        print(f"refreshed {path.name}")
    return 0
