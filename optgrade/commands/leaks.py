"""``optgrade leaks TARGET``: a folder or zip checked for leaked instructor material (exit 1 if any)."""

import zipfile
from pathlib import Path

from .checks import InputError


def add(subcommands):
    leaks = subcommands.add_parser("leaks", help="check a folder or zip for leaked instructor material")
    leaks.add_argument("target", type=Path)


def run(args):
    from ..course.leaks import check

    if not args.target.exists():
        raise InputError(f"no such file or folder: {args.target}; give the release folder or its zip")
    try:
        findings = check(args.target)
    except zipfile.BadZipFile:
        raise InputError(
            f"{args.target} holds a file named .zip that is not a zip archive (or a damaged one): "
            "give a folder or a real zip"
        ) from None
    for finding in findings:
        print(f"LEAK {finding}")
    print(f"{args.target}: {len(findings)} leaks" if findings else f"{args.target}: no leaks")
    return 1 if findings else 0
