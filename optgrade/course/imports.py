"""The record of what each import brought in: the students' display names, where from, when, and what was left out.

``.optgrade/imports/<assignment>.json`` holds ``{"students": {id: {...}}, "problems": [...]}``: the students
accumulate over imports (a later import of a student replaces their entry), the problems are the latest
import's (each is an entry of the download that was not imported, with the reason). ``optgrade autograde``
prints and fails on the problems, the report lists them, and the roster (``roster``) starts from the names.
"""

import json


def _path(course, assignment):
    return course.state("imports", f"{assignment}.json")


def load(course, assignment):
    """{"students": {id: {"name", "source", "lms_id", "late", "submitted"}}, "problems": [lines]} (empty if none)."""
    path = _path(course, assignment)
    return json.loads(path.read_text()) if path.is_file() else {"students": {}, "problems": []}


def record(course, assignment, entries, problems):
    """Store an import's entries (``lms.Entry``) and problems."""
    data = load(course, assignment)
    for entry in entries:
        data["students"][entry.student] = {
            "name": entry.name,
            "source": entry.source,
            "lms_id": entry.lms_id,
            "late": entry.late,
            "submitted": entry.submitted.isoformat() if entry.submitted else None,
        }
    data["problems"] = list(problems)
    path = _path(course, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
