"""``optgrade report``: per student and per exercise scores, pass rates, common mistakes, a score histogram.

Scores come from the gradebook; named mistakes and integrity flags from the
verdict lines the hidden tests printed into the autograded notebooks
(``optgrade.hidden.report.parse``). Writes reports/<assignment>/ with
report.html (figures embedded as base64 PNG), students.csv, exercises.csv
and mistakes.csv.
"""

import base64
import collections
import csv
import html
import io
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from ..hidden.report import parse
from .autograde import db_url, records
from .layout import COURSE_ID

ASPECTS = ("structure", "values", "training", "errors")


def exercise_of(grade_id):
    """update_parameters_with_adam_values -> update_parameters_with_adam."""
    stem, _, aspect = grade_id.rpartition("_")
    return stem if aspect in ASPECTS and stem else grade_id


def _verdicts(course, student, assignment):
    """The grading lines printed in a student's autograded notebooks."""
    lines = []
    for path in sorted(course.autograded(student, assignment).glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stdout":
                    lines += parse(output.text)
    return lines


def collect(course, assignment):
    """{"students": [...], "exercises": {name: max points}} from the gradebook, outputs and grading records."""
    graded = records(course, assignment)
    exercises, students = {}, []
    with Gradebook(db_url(course), COURSE_ID) as gradebook:
        for notebook in gradebook.find_assignment(assignment).notebooks:
            for cell in notebook.grade_cells:
                name = exercise_of(cell.name)
                exercises[name] = exercises.get(name, 0) + cell.max_score
        for submission in sorted(gradebook.assignment_submissions(assignment), key=lambda s: s.student_id):
            scores = collections.defaultdict(float)
            manual = 0
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    scores[exercise_of(grade.name)] += grade.score or 0
                    manual += bool(grade.needs_manual_grade)
            record = graded.get(submission.student_id, {})
            lines = _verdicts(course, submission.student_id, assignment)
            students.append(
                {
                    "student": submission.student_id,
                    "status": record.get("status", "not graded by optgrade"),
                    "scores": dict(scores),
                    "total": sum(scores.values()),
                    "manual": manual,
                    "mistakes": [(line.test_id, line.detail) for line in lines if line.kind == "MISTAKE"],
                    "flags": [(line.test_id, line.detail) for line in lines if line.kind == "FLAG"],
                    "notes": record.get("notes", []),
                }
            )
    return {"students": students, "exercises": exercises, "max": sum(exercises.values())}


def _figure_png(draw):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.2), layout="constrained")
    draw(ax)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _histogram(percents):
    def draw(ax):
        ax.hist(percents, bins=range(0, 101, 10), color="#4c72b0", edgecolor="white")
        ax.set(xlabel="score (% of the points)", ylabel="students", xlim=(0, 100))
        ax.set_title(f"Scores of {len(percents)} students")

    return _figure_png(draw)


def _pass_rates(rates):
    def draw(ax):
        names = list(rates)
        ax.barh(names[::-1], [100 * rates[name] for name in names[::-1]], color="#55a868")
        ax.set(xlabel="students with full marks (%)", xlim=(0, 100))
        ax.set_title("Pass rate per exercise")
        ax.tick_params(axis="y", labelsize=7)

    return _figure_png(draw)


def _write_csv(path, header, rows):
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)


def _table(header, rows):
    head = "".join(f"<th>{html.escape(str(cell))}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


STYLE = (
    "body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}"
    "td,th{border:1px solid #ccc;padding:2px 8px;font-size:90%;text-align:left}th{background:#eee}"
)


def report(course, assignment, out=None):
    """Write the report files; returns the path of report.html."""
    data = collect(course, assignment)
    out = Path(out or course.path("reports", assignment))
    out.mkdir(parents=True, exist_ok=True)
    students, exercises, top = data["students"], data["exercises"], data["max"] or 1
    percent = {s["student"]: 100 * s["total"] / top for s in students}
    rates = {
        name: sum(s["scores"].get(name, 0) >= points for s in students) / max(len(students), 1)
        for name, points in exercises.items()
    }
    mistakes = collections.Counter(m for s in students for m in dict.fromkeys(s["mistakes"]))
    flags = collections.Counter(f for s in students for f in dict.fromkeys(s["flags"]))

    student_header = ["student", "status", *exercises, "total", "max", "percent", "to grade by hand", "notes"]
    student_rows = [
        [
            s["student"],
            s["status"],
            *(f"{s['scores'].get(name, 0):g}" for name in exercises),
            f"{s['total']:g}",
            f"{top:g}",
            f"{percent[s['student']]:.1f}",
            s["manual"],
            "; ".join(s["notes"] + [f"FLAG {test}: {flag}" for test, flag in s["flags"]]),
        ]
        for s in students
    ]
    exercise_rows = [
        [
            name,
            f"{points:g}",
            f"{sum(s['scores'].get(name, 0) for s in students) / max(len(students), 1):.2f}",
            f"{100 * rates[name]:.0f}",
        ]
        for name, points in exercises.items()
    ]
    mistake_rows = [[test, name, count] for (test, name), count in mistakes.most_common()]
    flag_rows = [[test, flag, count] for (test, flag), count in flags.most_common()]
    _write_csv(out / "students.csv", student_header, student_rows)
    _write_csv(out / "exercises.csv", ["exercise", "points", "mean score", "full-marks rate (%)"], exercise_rows)
    _write_csv(out / "mistakes.csv", ["test", "mistake", "students"], mistake_rows)

    figures = "".join(
        f'<img alt="{alt}" src="data:image/png;base64,{png}">'
        for alt, png in (("score histogram", _histogram(list(percent.values()))), ("pass rates", _pass_rates(rates)))
        if students
    )
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(assignment)} report</title>"
        f"<style>{STYLE}</style></head><body><h1>Assignment {html.escape(assignment)}: {len(students)} students</h1>"
        f"{figures}<h2>Exercises</h2>"
        + _table(["exercise", "points", "mean score", "full-marks rate (%)"], exercise_rows)
        + "<h2>Most common mistakes</h2>"
        + (_table(["test", "mistake", "students"], mistake_rows) if mistake_rows else "<p>None named.</p>")
        + "<h2>Integrity flags</h2>"
        + (_table(["test", "flag", "students"], flag_rows) if flag_rows else "<p>None.</p>")
        + "<h2>Students</h2>"
        + _table(student_header, student_rows)
        + "</body></html>"
    )
    (out / "report.html").write_text(page)
    return out / "report.html"
