"""What an LMS download holds: one ``Entry`` per student, with a stable id, the display name and the time.

Recognised, entry by entry, in the folder given to ``optgrade autograde`` (or
the download's own zip):

* **Canvas** (*Download Submissions*): files named
  ``<name>_<user id>_<number>_<original name>``, with ``late`` after the name for a
  late submission (``leeann_late_12345_678_hw.zip``; older Canvas wrote
  ``lee-ann-late_12345_...``: its ContentZipper appended `` LATE_`` to the sortable
  name, then turned spaces and other non-word characters into ``-`` and lowercased
  it). The student id is the Canvas user id (what Canvas's gradebook export calls
  "ID"), the display name ``<name>``.
* **Moodle** (*Download all submissions*): folders
  ``<Full Name>_<participant id>_assignsubmission_<plugin>`` holding the files
  (with "Download submissions in folders", the default since Moodle 3.1), or files
  prefixed ``<Full Name>_<participant id>_assignsubmission_<plugin>_``. The id comes from
  the full name (below; two participants with one name: the name and the participant
  id), the participant id is kept for Moodle's grading worksheet.
* Otherwise a **folder or a zip per student**, named after the student.

A name that is not already a plain id (ASCII letters, digits, ``_ . @ -``, not
starting with a punctuation mark, at most 64 characters) gets a stable id of its
own: its letters folded to ASCII, the rest turned to ``-``, and the first 6 hex
digits of the SHA-256 of the name, so ``José García`` is ``Jose-Garcia-<hash>``
every time, ``-dash`` and ``<b>x</b>`` get ids that are neither options nor
markup, and ``alice~x`` never becomes ``alice_x``. The display name keeps the
letters; control characters are dropped and it is cut to 120 characters.

Submission times: Canvas's and Moodle's zips carry each file's time, read from
the zip given as is (as ``unzip`` would, in this machine's time zone) or from the
files of the unzipped folder; the newest file of a student's submission is its
time. Canvas's ``late`` mark is kept as well. A per-student folder or zip carries
no submission time (its files' times are the student's own).
"""

import datetime
import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

JUNK = frozenset({"__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini", "__pycache__", ".ipynb_checkpoints"})
PLAIN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
CANVAS = re.compile(r"^(?P<name>[^_]*?)(?:[-_](?P<late>late))?_(?P<uid>\d+)_(?P<sid>\d+)_(?P<file>.+)$", re.IGNORECASE)
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<pid>\d+)_assignsubmission_(?P<plugin>[a-z]+)(?:_(?P<file>.*))?$")
MAX_NAME = 120


def junk(name):
    """Archive and desktop clutter, never taken for a student or a file: __MACOSX, .DS_Store, Thumbs.db, ._x, ...."""
    return name in JUNK or name.startswith("._") or name.lower() in ("thumbs.db", "desktop.ini")


def display_name(name):
    """The name as a person reads it: Unicode NFC, no control or format characters, at most MAX_NAME characters."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())[:MAX_NAME] or "?"


def student_id(name):
    """A stable id for a student named ``name``: the name itself if it is a plain id, else an ASCII slug and a hash."""
    if PLAIN_ID.match(name):
        return name
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-")[:40].strip("-") or "student"
    return f"{slug}-{hashlib.sha256(name.encode('utf-8', 'surrogatepass')).hexdigest()[:6]}"


@dataclass
class Entry:
    """One student's submission in a download: where its files are and what the download says about it."""

    student: str  # the stable id (submitted/<student>/)
    name: str  # the display name
    source: str  # "canvas", "moodle", "folder" or "zip"
    paths: list = field(default_factory=list)  # files (Canvas, Moodle files), or one folder or zip
    lms_id: str | None = None  # Canvas user id, Moodle participant id
    late: bool = False  # Canvas's late mark
    submitted: datetime.datetime | None = None  # UTC, from the download's file times

    @property
    def label(self):
        """How the instructor finds it in the download (a quoted name: never markup, never a second line)."""
        return repr(self.paths[0].name) if len(self.paths) == 1 else f"{len(self.paths)} files of {self.name!r}"


def _file_time(path):
    """The newest modification time (UTC) of a file or of the files of a folder; None for an empty folder."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    if not files:
        return None
    newest = max(p.stat().st_mtime for p in files)
    return datetime.datetime.fromtimestamp(newest, datetime.UTC)


def entries(folder):
    """(entries, problems): the students in a download folder, and a line for each entry that is not a student's.

    Entries are grouped by student: Canvas files by user id, Moodle files and folders by participant id.
    """
    by_key, problems = {}, []
    for path in sorted(Path(folder).iterdir()):
        if junk(path.name):
            continue
        if path.is_symlink() or path.name.startswith("."):
            why = "a link" if path.is_symlink() else "a hidden name (it starts with a dot)"
            problems.append(f"{display_name(path.name)!r}: not imported, {why}")
            continue
        canvas = CANVAS.match(path.name) if path.is_file() else None
        moodle = MOODLE.match(path.name)
        if canvas:
            key, uid = ("canvas", canvas["uid"]), canvas["uid"]
            entry = by_key.setdefault(key, Entry(uid, display_name(canvas["name"] or uid), "canvas", lms_id=uid))
            entry.late = entry.late or bool(canvas["late"])
        elif moodle:
            key, name = ("moodle", moodle["pid"]), display_name(moodle["name"])
            entry = by_key.setdefault(key, Entry(student_id(moodle["name"]), name, "moodle", lms_id=moodle["pid"]))
        elif path.is_dir() or path.suffix.lower() == ".zip":
            stem = path.name if path.is_dir() else path.stem
            key = ("plain", path.name)
            entry = by_key.setdefault(
                key, Entry(student_id(stem), display_name(stem), "folder" if path.is_dir() else "zip")
            )
        else:
            problems.append(f"{display_name(path.name)!r}: not imported, neither a .zip archive nor a folder")
            continue
        entry.paths.append(path)
        if entry.source in ("canvas", "moodle"):
            times = [t for t in (entry.submitted, _file_time(path)) if t is not None]
            entry.submitted = max(times) if times else None
    return _without_collisions(list(by_key.values()), problems)


def entries_of_folders(folders, assignment):
    """(entries, problems) of nbgrader's layout: ``STUDENT/<assignment>/`` folders, the student named by the folder."""
    found = [Entry(student_id(f.name), display_name(f.name), "nbgrader", [f / assignment]) for f in folders]
    return _without_collisions(found, [])


def is_download(archive):
    """True if the zip is Canvas's or Moodle's download of a class (a member named as one of theirs at its top)."""
    with zipfile.ZipFile(archive) as zipped:
        tops = {name.split("/")[0] for name in zipped.namelist()}
    return any(CANVAS.match(name) or MOODLE.match(name) for name in tops)


def _without_collisions(found, problems):
    """Entries whose ids are unique; two entries with one id are both named in ``problems`` and neither imported."""
    claims = {}
    for entry in found:
        claims.setdefault(entry.student, []).append(entry)
    for student, claimants in list(claims.items()):  # two Moodle participants with one name: the id says which
        if len(claimants) > 1 and all(entry.source == "moodle" for entry in claimants):
            del claims[student]
            for entry in claimants:
                entry.student = student_id(f"{entry.name} {entry.lms_id}")
                claims.setdefault(entry.student, []).append(entry)
    kept = []
    for student, claimants in claims.items():
        if len(claimants) == 1:
            kept.append(claimants[0])
            continue
        names = " and ".join(entry.label for entry in claimants)
        problems.append(f"{names}: not imported, both would be student {student!r}; rename one and import again")
    return sorted(kept, key=lambda entry: entry.student), problems


def original_name(entry, path):
    """The student's own file name inside an LMS-prefixed file name (the whole name otherwise)."""
    match = (CANVAS if entry.source == "canvas" else MOODLE).match(path.name) if path.is_file() else None
    return match["file"] if match and entry.source in ("canvas", "moodle") else path.name
