"""``optgrade student DEST``: a student's copy of the workbook (an existing copy is kept as it is)."""

from pathlib import Path

from .checks import InputError


def add(subcommands):
    student = subcommands.add_parser(
        "student", help="a student's copy of the workbook: the released notebooks and utils/"
    )
    student.add_argument("dest", type=Path, help="folder to create (an existing copy is kept as it is)")


def run(args):
    from ..student_copy import StudentCopyError, make

    try:
        copy, created = make(args.dest)
    except StudentCopyError as error:
        raise InputError(str(error)) from None
    first = sorted(copy.glob("01_*.ipynb"))[0]
    print(f"{'created' if created else 'kept your existing copy'} {copy}; open {first} in JupyterLab")
    return 0
