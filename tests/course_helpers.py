"""Helpers shared by the course end-to-end tests: reading grades back from a graded course."""

import csv
from typing import NamedTuple

from nbgrader.api import Gradebook

from optgrade.course.autograde import db_url
from optgrade.course.layout import COURSE_ID


def scores(course, assignment=None):
    """{student: total score} from the course's grades.csv (nbgrader's export), of one assignment if given."""
    with course.path("grades.csv").open() as stream:
        rows = [row for row in csv.DictReader(stream) if assignment in (None, row["assignment"])]
    return {row["student_id"]: float(row["score"]) for row in rows}


class CellGrade(NamedTuple):
    cell_type: str  # "code" (autograded) or "markdown" (a written answer)
    score: float
    max_score: float
    needs_manual_grade: bool


def cell_grades(course, assignment):
    """{student: {grade_id: CellGrade}} from the gradebook, over every notebook of the assignment."""
    graded = {}
    with Gradebook(db_url(course), COURSE_ID) as gradebook:
        for submission in gradebook.assignment_submissions(assignment):
            graded[submission.student_id] = {
                grade.name: CellGrade(
                    grade.cell_type, grade.score or 0.0, grade.max_score, bool(grade.needs_manual_grade)
                )
                for notebook in submission.notebooks
                for grade in notebook.grades
            }
    return graded


def read_csv(path):
    with path.open() as stream:
        return list(csv.DictReader(stream))
