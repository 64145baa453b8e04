"""What the service has done, kept in ``Course.serve_state`` and derived again on restart.

students/<student>.json  {"submission": inbound folder name, "stage": "collecting" | "collected" | "released",
                          "fingerprint": of the submitted/ copy released}; written before and after each step
journal.jsonl            one line per step done: {"event": "collected" | "committed" | "released" | "error",
                          "student", "submission", "at": UNIX seconds, "seconds": {phase: s}}
status.json              the running service's state for ``optgrade serve --status``
paused                   a flag file: while it exists no new submission is collected (``--pause``/``--resume``)

After a crash nothing here is trusted alone: ``next_step`` compares the exchange's inbound folder, the
course's submitted/ copy (its timestamp.txt), optgrade's grading record (written only once the grades
are in the gradebook) and the student file, so a submission that arrived while the service was down is
collected, one whose grading was cut off is graded again, and one graded but not released is released.
"""

import json
import os
import time
from pathlib import Path

from nbgrader.utils import parse_utc

from ..course import submissions


def folder(course, assignment):
    path = course.serve_state(assignment)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write_json(path, data):
    """Write ``data`` to ``path`` atomically (a reader or a crash sees the old file or the new one, never half)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(data, indent=1) + "\n")
    os.replace(partial, path)


def student_file(course, assignment, student):
    return folder(course, assignment) / "students" / f"{student}.json"


def read_student(course, assignment, student):
    path = student_file(course, assignment, student)
    return json.loads(path.read_text()) if path.is_file() else {}


def write_student(course, assignment, student, **state):
    _write_json(student_file(course, assignment, student), state)


def journal(course, assignment, event, student, submission, **fields):
    line = {"event": event, "student": student, "submission": submission, "at": time.time(), **fields}
    with (folder(course, assignment) / "journal.jsonl").open("a") as stream:
        stream.write(json.dumps(line) + "\n")
        stream.flush()
        os.fsync(stream.fileno())


def read_journal(course, assignment):
    path = course.serve_state(assignment) / "journal.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def submitted_timestamp(course, assignment, student):
    """The timestamp (UTC datetime) of the collected copy in submitted/, or None (none, or no timestamp.txt)."""
    path = Path(course.submitted(student, assignment), "timestamp.txt")
    try:
        return parse_utc(path.read_text().strip())
    except (OSError, ValueError):
        return None


def next_step(course, assignment, submission):
    """What a student's latest complete inbound ``submission`` still needs: "collect", "grade", "release" or None."""
    student = submission.student
    state = read_student(course, assignment, student)
    collected = submitted_timestamp(course, assignment, student)
    if state.get("stage") == "collecting" or collected is None or submission.timestamp > collected:
        return "collect"
    path = course.graded_record(assignment, student)
    record = json.loads(path.read_text()) if path.is_file() else None
    digest = submissions.fingerprint(course.submitted(student, assignment))
    if record is None or record["fingerprint"] != digest:
        return "grade"  # collected, but its grades never reached the gradebook (or a newer copy did not)
    if state.get("stage") != "released" or state.get("fingerprint") != digest:
        return "release"
    return None


def paused(course, assignment):
    return (folder(course, assignment) / "paused").exists()


def set_paused(course, assignment, pause):
    flag = folder(course, assignment) / "paused"
    if pause:
        flag.touch()
    else:
        flag.unlink(missing_ok=True)


def write_status(course, assignment, status):
    _write_json(folder(course, assignment) / "status.json", status)


def read_status(course, assignment):
    path = course.serve_state(assignment) / "status.json"
    return json.loads(path.read_text()) if path.is_file() else None
