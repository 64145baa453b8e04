"""The class roster: who is in the course, their names and emails, and how it meets the submissions.

A roster is a CSV file (UTF-8, a header line) with the columns ``id,name,email``
and optionally ``section``, ``lms_id`` (Canvas's user "ID", Moodle's participant
id) and ``extension`` (days, or hours as ``36h``; see ``late``). ``use`` checks
it and keeps it in the course (``.optgrade/roster.json``; its extensions join
the course settings, so nbgrader's late plugin sees them). ``people`` puts it
together with the names the imports recorded (``imports``): the roster's name,
email and section win. ``sync`` writes everyone into nbgrader's gradebook
(``Student``: first and last name, email, LMS id), so nbgrader's grades.csv
gives a roster student with no submission a row with 0, and returns the lines
to say: students on the roster with no submission, submissions not on the roster.
"""

import csv
import json

from nbgrader.api import Gradebook

from . import imports, late, lms

COLUMNS = ("id", "name", "email")
OPTIONAL = ("section", "lms_id", "extension")


def _path(course):
    return course.state("roster.json")


def read(path):
    """{id: {"name", "email", "section", "lms_id", "extension" (seconds or None)}}; ValueError naming the bad line."""
    with open(path, newline="", encoding="utf-8-sig") as stream:
        reader = csv.DictReader(stream)
        header = [name.strip().lower() for name in reader.fieldnames or ()]
        if not set(COLUMNS) <= set(header):
            raise ValueError(f"{path}: the first line must name the columns id,name,email (and section, if any)")
        reader.fieldnames = header
        roster = {}
        for number, row in enumerate(reader, start=2):
            student = (row.get("id") or "").strip()
            if not lms.PLAIN_ID.match(student):
                raise ValueError(f"{path}, line {number}: id {student!r} is not a plain id (letters, digits, _ . @ -)")
            if student in roster:
                raise ValueError(f"{path}, line {number}: id {student!r} is on the roster twice")
            try:
                extension = late.parse_extension(row["extension"]) if (row.get("extension") or "").strip() else None
            except ValueError as error:
                raise ValueError(f"{path}, line {number}: {error}") from None
            roster[student] = {
                "name": lms.display_name(row.get("name") or student),
                "email": (row.get("email") or "").strip(),
                "section": (row.get("section") or "").strip(),
                "lms_id": (row.get("lms_id") or "").strip() or None,
                "extension": extension,
            }
    return roster


def use(course, path):
    """Read the roster at ``path`` and keep it in the course; its extensions join the settings. Returns it."""
    from .build import write_settings

    roster = read(path)
    _path(course).parent.mkdir(parents=True, exist_ok=True)
    _path(course).write_text(json.dumps(roster, indent=2, ensure_ascii=False) + "\n")
    extensions = {student: row["extension"] for student, row in roster.items() if row["extension"]}
    if extensions:
        write_settings(course, extensions={**(course.settings.get("extensions") or {}), **extensions})
    return roster


def load(course):
    """The course's roster ({} when it has none)."""
    return json.loads(_path(course).read_text()) if _path(course).is_file() else {}


def people(course, assignment):
    """{id: {"name", "email", "section", "lms_id", "source", "on_roster", "submitted"}}: the roster and the imports."""
    roster, imported = load(course), imports.load(course, assignment)["students"]
    submitted = {path.parent.name for path in course.submitted().glob(f"*/{assignment}") if path.is_dir()}
    everyone = {}
    for student in sorted(set(roster) | set(imported) | submitted):
        row = {"name": student, "email": "", "section": "", "lms_id": None, "source": None}
        row.update({key: value for key, value in imported.get(student, {}).items() if key in row and value})
        row.update({key: value for key, value in roster.get(student, {}).items() if key in row and value})
        everyone[student] = {**row, "on_roster": student in roster, "submitted": student in submitted}
    return everyone


def split_name(name):
    """(first, last) for nbgrader's two name columns: "Last, First" as written, else the last word is the last name."""
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip(), last.strip()
    first, _, last = name.rpartition(" ")
    return first, last


def sync(course, assignment, db_url):
    """Write everyone's name, email and LMS id to the gradebook; returns the lines about the roster (``notes``)."""
    everyone = people(course, assignment)
    with Gradebook(db_url) as gradebook:
        for student, row in everyone.items():
            first, last = split_name(row["name"])
            gradebook.update_or_create_student(
                student, first_name=first, last_name=last, email=row["email"] or None, lms_user_id=row["lms_id"]
            )
    return notes(everyone) if load(course) else []


def notes(everyone):
    """The lines about the roster: its students with no submission, submissions not on it."""
    lines = [
        f"{s} ({row['name']}): on the roster, no submission: 0" for s, row in everyone.items() if not row["submitted"]
    ]
    lines += [f"{s} ({row['name']}): not on the roster" for s, row in everyone.items() if not row["on_roster"]]
    return lines


def in_report(course, assignment, students):
    """The report's students with their names, a note for those not on the roster, and the roster's absentees at 0."""
    everyone, on_roster = people(course, assignment), bool(load(course))
    listed = {student["student"] for student in students}
    for student in students:
        row = everyone.get(student["student"], {"name": student["student"], "on_roster": True})
        student["name"] = row["name"]
        if on_roster and not row["on_roster"]:
            student["notes"] = [*student["notes"], "not on the roster"]
    absent = [
        {
            "student": student,
            "name": row["name"],
            "status": "no submission",
            "scores": {},
            "total": 0.0,
            "pending": {},
            "manual": 0.0,
            "by_hand": 0.0,
            "mistakes": [],
            "flags": [],
            "notes": ["on the roster, no submission: 0"],
        }
        for student, row in everyone.items()
        if row["on_roster"] and student not in listed
    ]
    return sorted(students + absent, key=lambda student: student["student"])
