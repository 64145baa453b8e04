"""What several commands check before any work starts; a bad input raises ``InputError``.

Its one-line message names the file and what to do (``optgrade.cli`` prints it and exits 1; nothing in the
course is touched). ``open_course`` also rewrites a course's nbgrader_config.py that names optgrade modules which
have moved since the course was built (``course.build.refresh_config``), saying so.
"""

import sys
import zipfile
from pathlib import Path

from ..course import lms
from ..course.build import refresh_config
from ..course.layout import Course


class InputError(Exception):
    """A bad instructor input: the message names the file and what to do."""


def course_options(parser):
    """--course and --assignment, as every course command takes them."""
    parser.add_argument("--course", default="course", help="course directory (default ./course)")
    parser.add_argument("--assignment", default="workbook", help="assignment name (default workbook)")


def open_course(args, needs=()):
    """The course of --course, checked for each step that must have run first ("build", "release")."""
    root = Path(args.course)
    if root.exists() and not root.is_dir():
        raise InputError(f"--course {root} is a file, not a course folder: name a folder (default ./course)")
    course = Course(root)
    if "build" in needs and not course.settings_file.is_file():
        raise InputError(f"no course in {course.root} (no {course.settings_file.name}): run `optgrade build` first")
    if course.settings_file.is_file() and refresh_config(course):
        print(f"optgrade: {course.path('nbgrader_config.py')} rewritten for this version of optgrade", file=sys.stderr)
    if "build" in needs and not course.source(args.assignment).is_dir():
        raise InputError(
            f"no assignment {args.assignment!r} in {course.root / 'source'}: "
            f"run `optgrade build --assignment {args.assignment}` first, or pick one of {course.assignments()}"
        )
    if "release" in needs and not course.release(args.assignment).is_dir():
        raise InputError(
            f"assignment {args.assignment!r} is not released (no {course.release(args.assignment)}): "
            "run `optgrade release` first"
        )
    return course


def submissions_folder(path):
    """The folder ``autograde`` imports from, if given: a folder, or Canvas's or Moodle's own download zip."""
    if path is None:
        return
    if not path.exists():
        raise InputError(f"no such folder: {path}; give the folder holding the submissions")
    zipped = zipfile.is_zipfile(path)
    if zipped and not lms.is_download(path):  # Canvas's and Moodle's own zips are read as they are
        raise InputError(
            f"{path} is a zip file: give a folder, e.g. unzip it first or put it in a folder of per-student zips"
        )
    if not zipped and not path.is_dir():
        raise InputError(f"{path} is a file, not a folder: give the folder holding the submissions")


def students(count):
    """'1 student', '3 students'."""
    return f"{count} student{'s' if count != 1 else ''}"
