"""Bringing submissions into the course: nbgrader's submitted/ layout, or a flat folder of per-student zips/folders.

A flat folder holds one entry per student, named by the student id:
``alice.zip`` or ``alice/``, holding the assignment's files either directly
or inside one top-level folder. Before grading, ``preflight`` moves any file
that is not a readable notebook out of the way (to .optgrade/quarantine/) so
nbgrader grades that notebook as missing instead of abandoning the student.

An archive that cannot be read (not a zip, a damaged or encrypted one, one
that unpacks too large or outside itself) is not a submission: the student is
imported with no files and the reason kept in .optgrade/quarantine/ until a
readable one is imported; ``unreadable`` gives it, and ``optgrade autograde``
records the student as "unreadable", not "empty", and exits non-zero.
"""

import hashlib
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from pathlib import Path

import nbformat

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]*$")
ARCHIVE_REASON = "archive.reason"  # in .optgrade/quarantine/<student>/<assignment>/
# what reading a bad archive raises: not a zip or truncated, a damaged member, encrypted, an unknown compression
BAD_ARCHIVE = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError, OSError)


def _student_id(name):
    student = re.sub(r"[^A-Za-z0-9_.@-]", "_", name).strip("._") or "student"
    if not STUDENT_ID.match(student):
        raise ValueError(f"cannot make a student id of {name!r}")
    return student


def _is_zip(entry):
    return entry.suffix.lower() == ".zip"


def _is_link(member):
    return stat.S_ISLNK(member.external_attr >> 16)


def _unzip(archive, dest):
    """Extract a zip, refusing members that escape dest and archives that unpack too large; links are dropped."""
    with zipfile.ZipFile(archive) as zipped:
        members = [m for m in zipped.infolist() if not m.is_dir() and not _is_link(m)]
        if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
            raise ValueError(f"{archive.name} unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB")
        for member in members:
            target = (dest / member.filename).resolve()
            if not target.is_relative_to(dest.resolve()):
                raise ValueError(f"{archive.name}: member {member.filename!r} points outside the archive")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zipped.read(member))


def _assignment_root(folder):
    """The folder holding the notebooks: folder itself, or its single subfolder (skipping __MACOSX)."""
    while not any(folder.glob("*.ipynb")) and not (folder / "utils").is_dir():
        entries = [p for p in folder.iterdir() if p.name not in ("__MACOSX", ".DS_Store")]
        if len(entries) != 1 or not entries[0].is_dir():
            break
        folder = entries[0]
    return folder


def _ids(entries, name_of):
    """{entry: student id}; an id that several entries would clean up to goes to the one named exactly so.

    The others are left out (returned with None), so "alice~x" can never overwrite "alice_x".
    """
    wanted = {}
    for entry in entries:
        wanted.setdefault(_student_id(name_of(entry)), []).append(entry)
    ids = {}
    for student, claimants in wanted.items():
        exact = [entry for entry in claimants if name_of(entry) == student]
        for entry in claimants:
            ids[entry] = student if (exact and entry is exact[0]) or len(claimants) == 1 else None
    return ids


def import_submissions(course, incoming, assignment, skipped=None):
    """Copy submissions into submitted/<student>/<assignment>/; returns {student: note or None}.

    Entries whose cleaned-up name collides with another student's are not imported: each gets a line
    in ``skipped`` (a list) if given. Symbolic links in a submission are never followed or copied.
    """
    incoming = Path(incoming)
    imported = {}
    skipped = [] if skipped is None else skipped
    nbgrader_layout = [p for p in incoming.iterdir() if (p / assignment).is_dir() and not p.is_symlink()]
    if nbgrader_layout:
        for student_dir, student in _ids(sorted(nbgrader_layout), lambda p: p.name).items():
            if student is None:
                skipped.append(f"{student_dir.name}: not imported, its id collides with another student's")
                continue
            _replace(course.submitted(student, assignment), student_dir / assignment)
            _archive_reason(course, student, assignment, None)
            imported[student] = None
        return imported
    entries = [entry for entry in sorted(incoming.iterdir()) if not entry.name.startswith(".")]
    ids = _ids(entries, lambda entry: entry.stem if _is_zip(entry) else entry.name)
    for entry in entries:
        student = ids[entry]
        if student is None or entry.is_symlink():
            skipped.append(
                f"{entry.name}: not imported, " + ("a link" if student else "its id collides with another's")
            )
            continue
        with tempfile.TemporaryDirectory() as tmp:
            note = None
            if _is_zip(entry) and entry.is_file():
                try:
                    _unzip(entry, Path(tmp))
                except BAD_ARCHIVE as error:
                    note = _archive_problem(entry, error)
                    shutil.rmtree(tmp, ignore_errors=True)  # nothing half-extracted is graded
                    Path(tmp).mkdir(exist_ok=True)
                folder = _assignment_root(Path(tmp))
            elif entry.is_dir():
                folder = _assignment_root(entry)
            else:
                skipped.append(f"{entry.name}: not imported, neither a .zip archive nor a folder")
                continue
            _replace(course.submitted(student, assignment), folder)
            _archive_reason(course, student, assignment, note)
            imported[student] = note
    return imported


def _archive_problem(entry, error):
    """Why an archive cannot be read, in words an instructor can act on."""
    if isinstance(error, zipfile.BadZipFile) and not zipfile.is_zipfile(entry):
        return f"{entry.name} is not a zip archive, or a truncated one; not graded"
    return f"{entry.name} is a damaged or unusable archive ({type(error).__name__}: {error}); not graded"


def _archive_reason(course, student, assignment, note):
    """Keep (note) or clear (None) the reason a student's archive could not be read."""
    path = course.path(".optgrade", "quarantine", student, assignment, ARCHIVE_REASON)
    if note is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(note)


def unreadable(course, student, assignment):
    """Why the student's imported archive could not be read, or None (a readable one, or files since)."""
    path = course.path(".optgrade", "quarantine", student, assignment, ARCHIVE_REASON)
    submitted = course.submitted(student, assignment)
    if not path.is_file() or any(p.is_file() for p in submitted.rglob("*")):
        return None
    return path.read_text()


def _ignored(folder, names):
    """Names copytree leaves out: caches, checkpoints and every symbolic link (never followed)."""
    return {
        name
        for name in names
        if name in ("__pycache__", ".ipynb_checkpoints") or os.path.islink(os.path.join(folder, name))
    }


def _replace(dest, folder):
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(folder, dest, ignore=_ignored)


def preflight(course, student, assignment):
    """Quarantine submitted notebooks nbgrader could not read; returns one note per quarantined file."""
    notes = []
    submitted = course.submitted(student, assignment)
    for path in sorted(submitted.glob("*.ipynb")):
        try:
            notebook = nbformat.read(path, as_version=4)
            if not isinstance(notebook.get("cells"), list):
                raise ValueError("no cells")
        except Exception as error:  # any reason nbformat refuses it: not JSON, not a notebook, bad encoding
            quarantine = course.path(".optgrade", "quarantine", student, assignment)
            quarantine.mkdir(parents=True, exist_ok=True)
            shutil.move(path, quarantine / path.name)
            (quarantine / f"{path.name}.reason").write_text(f"{type(error).__name__}: {error}"[:500])
    quarantined = course.path(".optgrade", "quarantine", student, assignment)
    for reason in sorted(quarantined.glob("*.ipynb.reason")):
        name = reason.name.removesuffix(".reason")
        if not (submitted / name).exists():
            notes.append(f"{name} is not a readable notebook ({reason.read_text().split(':')[0]}); graded as missing")
    return notes


def fingerprint(folder):
    """A digest of every file's relative path and content: a changed submission gets regraded."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
