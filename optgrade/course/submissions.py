"""Bringing submissions into the course: nbgrader's submitted/ layout, an LMS download, per-student zips/folders.

A flat folder holds one entry per student, named after the student:
``alice.zip`` or ``alice/``, holding the assignment's files either directly
or inside one top-level folder; Canvas's and Moodle's downloads are read as
``lms`` says (ids, display names, submission times), and every import is
recorded (``imports``). Before grading, ``preflight`` moves any file
that is not a readable notebook out of the way (to .optgrade/quarantine/) so
nbgrader grades that notebook as missing instead of abandoning the student.

An archive that cannot be read (not a zip, a damaged or encrypted one, one
that unpacks too large or outside itself) is not a submission: the student is
imported with no files and the reason kept in .optgrade/quarantine/ until a
readable one is imported; ``unreadable`` gives it, and ``optgrade autograde``
records the student as "unreadable", not "empty", and exits non-zero.
"""

import datetime
import hashlib
import os
import re
import shutil
import stat
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

import nbformat

from . import imports, late, lms, stand_ins
from .layout import STUDENT_FILES

MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # one student's archive
MAX_DOWNLOAD_BYTES = 4 * 1024 * 1024 * 1024  # an LMS's zip of a whole class
ARCHIVE_REASON = "archive.reason"  # in .optgrade/quarantine/<student>/<assignment>/
# what reading a bad archive raises: not a zip or truncated, a damaged member, encrypted, an unknown compression
BAD_ARCHIVE = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError, OSError)


def _is_link(member):
    return stat.S_ISLNK(member.external_attr >> 16)


def _unzip(archive, dest, limit=MAX_UNPACKED_BYTES):
    """Extract a zip with its file times, refusing members that escape dest and archives that unpack too large.

    Links and archive junk (``__MACOSX/``, ``.DS_Store``, ...) are dropped; a member's time is read as this
    machine's local time, as ``unzip`` does.
    """
    with zipfile.ZipFile(archive) as zipped:
        members = [
            m
            for m in zipped.infolist()
            if not m.is_dir() and not _is_link(m) and not any(lms.junk(part) for part in Path(m.filename).parts)
        ]
        if sum(m.file_size for m in members) > limit:
            raise ValueError(f"{archive.name} unpacks to more than {limit // 2**20} MB")
        for member in members:
            target = (dest / member.filename).resolve()
            if not target.is_relative_to(dest.resolve()):
                raise ValueError(f"{archive.name}: member {member.filename!r} points outside the archive")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zipped.read(member))
            stamp = time.mktime((*member.date_time, 0, 0, -1))
            os.utime(target, (stamp, stamp))


def _assignment_root(folder):
    """The folder holding the notebooks: folder itself, or its single subfolder (skipping archive junk)."""
    while not any(folder.glob("*.ipynb")) and not (folder / "utils").is_dir():
        entries = [p for p in folder.iterdir() if not lms.junk(p.name)]
        if len(entries) != 1 or not entries[0].is_dir():
            break
        folder = entries[0]
    return folder


def _placed(name, known):
    """Where a single uploaded file goes: an exercise module under utils/, anything else at the top.

    An LMS's renamed re-upload (``schedules-1.py``) goes where the workbook's file of that name goes.
    """
    plain = re.sub(r"-\d+(\.[A-Za-z0-9]+)$", r"\1", name)
    name = plain if plain in known and name not in known else name
    return known.get(name, name)


def _gather(entry, tmp, known):
    """Lay a student's files out in tmp as the assignment's folder; returns (folder, note or None)."""
    if entry.source == "nbgrader":
        return entry.paths[0], None
    if entry.source == "folder":
        return _assignment_root(entry.paths[0]), None
    path = entry.paths[0]  # the archive being read, for the note if it cannot be
    try:
        if entry.source == "zip":
            _unzip(path, tmp)
        for path in entry.paths if entry.source in ("canvas", "moodle") else ():
            name = lms.original_name(entry, path)
            if path.is_dir():
                shutil.copytree(path, tmp, dirs_exist_ok=True, ignore=_ignored)
            elif name.lower().endswith(".zip"):
                _unzip(path, tmp)
            elif Path(name).name == name and not name.startswith(".") and name and not lms.junk(name):
                target = tmp / _placed(name, known)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
    except BAD_ARCHIVE as error:
        shutil.rmtree(tmp, ignore_errors=True)  # nothing half-extracted is graded
        tmp.mkdir(exist_ok=True)
        return tmp, _archive_problem(path, error)
    return _assignment_root(tmp), None


def _known_files(course, assignment):
    """{file name a student may upload alone: where it goes}: the notebooks, and utils/<module>.py by module name."""
    known = {f"{stem}.ipynb": f"{stem}.ipynb" for stem in course.source_notebooks(assignment)}
    known.update({Path(path).name: path for path in STUDENT_FILES})
    return known


def import_submissions(course, incoming, assignment, skipped=None):
    """Copy submissions into submitted/<student>/<assignment>/; returns {student: note or None}.

    ``incoming`` is nbgrader's layout (``STUDENT/<assignment>/``), an LMS download (a folder, or Canvas's or
    Moodle's zip as downloaded) or a folder of per-student folders and zips (see ``lms``). Every entry that is
    not imported gets a line in ``skipped`` (a list) if given, and in the import record (``imports.problems``):
    ``optgrade autograde`` says them, fails with them and the report lists them. Symbolic links in a
    submission are never followed or copied.
    """
    incoming = Path(incoming)
    skipped = [] if skipped is None else skipped
    if incoming.is_file():  # the LMS's own zip: its members' times are the submission times
        with tempfile.TemporaryDirectory() as tmp:
            _unzip(incoming, Path(tmp), limit=MAX_DOWNLOAD_BYTES)
            return import_submissions(course, _assignment_root(Path(tmp)), assignment, skipped)
    nbgrader_layout = [p for p in incoming.iterdir() if (p / assignment).is_dir() and not p.is_symlink()]
    if nbgrader_layout:
        found, problems = lms.entries_of_folders(nbgrader_layout, assignment)
    else:
        found, problems = lms.entries(incoming)
    imported, known, due = {}, _known_files(course, assignment), late.due_date(course, assignment)
    for entry in found:
        if entry.late and due is not None and (entry.submitted is None or entry.submitted <= due):
            entry.submitted = due + datetime.timedelta(seconds=1)  # Canvas says late, its file times do not
        with tempfile.TemporaryDirectory() as tmp:
            folder, note = _gather(entry, Path(tmp), known)
            stamped = entry.submitted is not None and note is None  # an unreadable archive stays without files
            _replace(course.submitted(entry.student, assignment), folder, entry.submitted if stamped else None)
        _archive_reason(course, entry.student, assignment, note)
        imported[entry.student] = note
    skipped.extend(problems)
    imports.record(course, assignment, found, problems)
    return imported


def _archive_problem(entry, error):
    """Why an archive cannot be read, in words an instructor can act on."""
    if isinstance(error, zipfile.BadZipFile) and not zipfile.is_zipfile(entry):
        return f"{lms.display_name(entry.name)} is not a zip archive, or a truncated one; not graded"
    reason = lms.display_name(f"{type(error).__name__}: {error}")
    return f"{lms.display_name(entry.name)} is a damaged or unusable archive ({reason}); not graded"


def _archive_reason(course, student, assignment, note):
    """Keep (note) or clear (None) the reason a student's archive could not be read."""
    path = course.quarantine(student, assignment) / ARCHIVE_REASON
    if note is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(note)


def unreadable(course, student, assignment):
    """Why the student's imported archive could not be read, or None (a readable one, or files since)."""
    path = course.quarantine(student, assignment) / ARCHIVE_REASON
    submitted = course.submitted(student, assignment)
    if not path.is_file() or any(p.is_file() for p in submitted.rglob("*")):
        return None
    return path.read_text()


def _ignored(folder, names):
    """Names copytree leaves out: caches, checkpoints, archive junk and every symbolic link (never followed)."""
    return {name for name in names if lms.junk(name) or os.path.islink(os.path.join(folder, name))}


def _replace(dest, folder, submitted=None):
    """dest becomes a copy of folder (with nbgrader's timestamp.txt of the datetime submitted, if given), whole:
    the copy is made beside it and renamed into place, so an import stopped half-way (Ctrl-C, a full disk)
    leaves the student's previous submission or none, never a part."""
    staging, old = dest.with_name(f".{dest.name}.importing"), dest.with_name(f".{dest.name}.replaced")
    for leftover in (staging, old):  # of an import stopped before
        if leftover.exists():
            shutil.rmtree(leftover)
    shutil.copytree(folder, staging, ignore=_ignored)
    if submitted is not None:
        (staging / "timestamp.txt").write_text(submitted.strftime("%Y-%m-%d %H:%M:%S.%f UTC") + "\n")
    if dest.exists():
        dest.rename(old)
    staging.rename(dest)
    if old.exists():
        shutil.rmtree(old)


def preflight(course, student, assignment):
    """Quarantine submitted notebooks nbgrader could not read and put stand-ins (``stand_ins``); one note each."""
    for path in sorted(course.submitted(student, assignment).glob("*.ipynb")):
        try:
            notebook = nbformat.read(path, as_version=4)
            if not isinstance(notebook.get("cells"), list):
                raise ValueError("no cells")
        except Exception as error:  # any reason nbformat refuses it: not JSON, not a notebook, bad encoding
            stand_ins.quarantine(course, student, assignment, path, error)
    return stand_ins.put(course, student, assignment)


def fingerprint(folder):
    """A digest of every file's relative path and content: a changed submission gets regraded."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
