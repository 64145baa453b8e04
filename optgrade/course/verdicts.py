"""Trusted verdicts: stored per student, written into the grade cells by ``plugins.cells.TrustedVerdicts``.

``optgrade autograde`` decides every grade cell outside the sandbox
(``optgrade.runner.jobs``) and stores the result in
.optgrade/verdicts/<assignment>/<student>.json, a folder no student code can
reach. In ``nbgrader autograde`` the ``TrustedVerdicts`` preprocessor runs
before ``SaveAutoGrades``: it gives each hidden-test grade cell the verdict's
output (a stream, plus an error for no credit or a number for partial credit,
which is how nbgrader reads a code cell's score) and leaves the student's
submitted outputs in the other cells, marked as submitted. The report reads
named mistakes and flags from these files only, never from the notebooks.
"""

import json

from ..hidden.report import parse


def path(course, assignment, student):
    return course.verdicts(assignment, student)


def write(course, assignment, result):
    target = path(course, assignment, result["student"])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=1) + "\n")


def read(course, assignment, student):
    """The stored grading result of a student (None if never graded by optgrade)."""
    target = path(course, assignment, student)
    return json.loads(target.read_text()) if target.exists() else None


def load(course, assignment, student):
    """The verdict lines (``report.parse`` records) of a student's trusted verdicts."""
    result = read(course, assignment, student) or {"verdicts": []}
    return [line for verdict in result["verdicts"] for line in parse(verdict["output"])]
