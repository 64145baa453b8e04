"""Grade files for the LMS gradebooks: Canvas's gradebook CSV import and Moodle's CSV grade import.

Both are written from nbgrader's gradebook (the score after the late penalty;
a student with no submission gets 0) with the names, emails, sections and LMS
ids of ``roster.people``:

* ``canvas.csv``: ``Student, ID, SIS User ID, SIS Login ID, Section`` and one
  column named after the assignment, then a ``Points Possible`` row: the layout
  of Canvas's own gradebook export, which its import reads back (it matches a
  row by ID, the Canvas user id: the download's, the roster's ``lms_id``, or the
  roster's id in a course whose ids came from a Canvas download; else by SIS User
  ID, the roster id). A column header Canvas does not know makes a new
  assignment; rename it to the existing column's header (``Name (id)``) to fill that one.
* ``moodle.csv``: ``Identifier, Full name, Email address, Grade, Maximum Grade,
  Last modified (grade)``: the columns of Moodle's grading worksheet, which the
  assignment's *Upload grading worksheet* reads (Identifier ``Participant N``
  from the download), and which the course gradebook's *Import > CSV file* reads
  with "Email address" mapped to the user's email and "Grade" to the assignment.

Every cell is written with Python's csv module (a name with a comma or a quote
stays one cell), and a text cell that a spreadsheet would take for a formula
(starting with ``= + - @``, a tab or a carriage return) gets a leading ``'``.
``GradesCsv`` writes nbgrader's grades.csv the same way, with nbgrader's columns.
"""

import csv

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import CsvExportPlugin

from . import roster

CANVAS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE = ("Identifier", "Full name", "Email address", "Grade", "Maximum Grade", "Last modified (grade)")
GRADES = (
    "assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
    "raw_score", "late_submission_penalty", "score", "max_score",
)  # fmt: skip


def inert(cell):
    """A text cell no spreadsheet runs: a leading = + - @, tab or carriage return is quoted with '."""
    text = "" if cell is None else str(cell)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _number(value):
    return f"{value:g}"


def _write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def scores(course, assignment, db_url):
    """{student: (score after the late penalty, max score)} for everyone in the gradebook (0 without a submission)."""
    with Gradebook(db_url) as gradebook:
        top = gradebook.find_assignment(assignment).max_score
        result = {}
        for student in gradebook.students:
            try:
                submission = gradebook.find_submission(assignment, student.id)
            except MissingEntry:
                result[student.id] = (0.0, top)
                continue
            result[student.id] = (max(0.0, submission.score - submission.late_submission_penalty), top)
    return result


def canvas(course, assignment, db_url, path):
    """Write Canvas's gradebook import file for the assignment; returns its path."""
    everyone, graded = roster.people(course, assignment), scores(course, assignment, db_url)
    # ids taken from a Canvas download are Canvas user ids, and so are the ids of a roster that matches them
    canvas_ids = any(row["source"] == "canvas" and row["lms_id"] == student for student, row in everyone.items())
    rows = []
    for student, (score, _) in sorted(graded.items()):
        row = everyone.get(student, {"name": student, "lms_id": None, "section": "", "source": None})
        canvas_id = row["lms_id"] if row["source"] != "moodle" else None
        canvas_id = canvas_id or (student if canvas_ids else None)
        sis = "" if student == canvas_id else student
        rows.append([inert(row["name"]), canvas_id or "", inert(sis), "", inert(row["section"]), _number(score)])
    top = next(iter(graded.values()), (0, 0))[1]
    return _write(path, [*CANVAS, assignment], [["Points Possible", "", "", "", "", _number(top)], *rows])


def moodle(course, assignment, db_url, path):
    """Write Moodle's grade import file (the grading worksheet's columns) for the assignment; returns its path."""
    everyone, graded = roster.people(course, assignment), scores(course, assignment, db_url)
    rows = []
    for student, (score, top) in sorted(graded.items()):
        row = everyone.get(student, {"name": student, "email": "", "lms_id": None})
        identifier = f"Participant {row['lms_id']}" if row.get("source") == "moodle" and row["lms_id"] else ""
        rows.append([identifier, inert(row["name"]), inert(row["email"]), _number(score), _number(top), ""])
    return _write(path, MOODLE, rows)


class GradesCsv(CsvExportPlugin):
    """nbgrader's CSV export (the same columns and rows) written with the csv module and inert text cells."""

    def export(self, gradebook):
        rows = []
        for assignment in gradebook.assignments:
            if self.assignment and assignment.name not in self.assignment:
                continue
            for student in gradebook.students:
                if self.student and student.id not in self.student:
                    continue
                row = [assignment.name, assignment.duedate]
                try:
                    submission = gradebook.find_submission(assignment.name, student.id)
                except MissingEntry:
                    score = ["", 0.0, 0.0, 0.0]
                else:
                    penalty = submission.late_submission_penalty
                    score = [submission.timestamp, submission.score, penalty, max(0.0, submission.score - penalty)]
                names = [student.id, student.last_name, student.first_name, student.email]
                row += [score[0], *names, *score[1:], assignment.max_score]
                rows.append([inert(cell) if isinstance(cell, str) else ("" if cell is None else cell) for cell in row])
        _write(self.to or "grades.csv", GRADES, rows)
