"""``optgrade report``: per student and per exercise scores, pass rates, common mistakes, a score histogram.

Scores come from the gradebook, manual scores included: after grading the
written answers in nbgrader's formgrader, run the report again. Named mistakes
and integrity flags come from the trusted verdicts only (``_verdicts``).
Writes reports/<assignment>/ with report.html (from templates/report.html.j2,
figures embedded as base64 PNG), students.csv, exercises.csv and mistakes.csv.

Written answers (grade cells that are also solution cells) are in one of
three states: blank (nbgrader scores an unchanged answer 0), to grade by hand
(nbgrader's ``needs_manual_grade``: answered, no manual score yet), or graded.
Points still to grade by hand are neither lost nor earned: they are left out
of the percentages and of the pass rates until someone grades them. The
feedback pages say the same (``plugins.feedback.FeedbackGrades``: "to be graded
by hand", never a score of 0), and ``pipeline.refresh`` (run by ``optgrade report``
first) brings the feedback and grades.csv up to date after grading by hand.
"""

import base64
import collections
import csv
import io
from pathlib import Path

import jinja2
from nbgrader.api import Gradebook

from ..hidden.diagnosing import sentence
from . import gradefiles, imports, roster, sanitize, stand_ins, verdicts
from .gradebook import db_url, records, to_grade
from .layout import COURSE_ID

ASPECTS = ("structure", "values", "training", "errors")
COLUMNS_PER_TABLE = 7  # exercise columns per score table: each stays within a 1280 px page
SHOWN_FLAGS = 3  # distinct flags named in a student's row; the rest are behind "more"
UNGRADED = ("empty", "unreadable", "failed")  # submissions left out of the exercises' means and rates
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def exercise_of(grade_id):
    """update_parameters_with_adam_values -> update_parameters_with_adam."""
    stem, _, aspect = grade_id.rpartition("_")
    return stem if aspect in ASPECTS and stem else grade_id


def _verdicts(course, student, assignment):
    """The grading lines (``optgrade.hidden.report.parse`` records) of a student's trusted verdicts."""
    return verdicts.load(course, assignment, student)


def graded_students(course, assignment):
    """How many submissions of the assignment the gradebook holds (0 when there is no gradebook yet)."""
    if not course.settings.get("db_url") and not course.path("gradebook.db").is_file():
        return 0  # opening it would create it (and nbgrader would need `alembic` on PATH)
    with Gradebook(db_url(course), COURSE_ID) as gradebook:
        return len(gradebook.assignment_submissions(assignment))


def _written(cell):
    """A written answer: graded by hand (a grade cell that is also a solution cell)."""
    return cell.cell_type == "markdown" or any(solution.name == cell.name for solution in cell.notebook.solution_cells)


def collect(course, assignment):
    """{"students": [...], "exercises": {name: max points}, "written": {names}, "max": points} from the gradebook."""
    graded = records(course, assignment)
    exercises, written, students = {}, set(), []
    with Gradebook(db_url(course), COURSE_ID) as gradebook:
        for notebook in gradebook.find_assignment(assignment).notebooks:
            for cell in notebook.grade_cells:
                name = exercise_of(cell.name)
                exercises[name] = exercises.get(name, 0) + cell.max_score
                if _written(cell):
                    written.add(name)
        for submission in sorted(gradebook.assignment_submissions(assignment), key=lambda s: s.student_id):
            scores, pending = collections.defaultdict(float), collections.defaultdict(float)
            by_hand = 0.0
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    name = exercise_of(grade.name)
                    scores[name] += grade.score or 0
                    if to_grade(grade):
                        pending[name] += grade.max_score
                    elif grade.manual_score is not None:
                        by_hand += grade.max_score
            record = graded.get(submission.student_id, {})
            lines = _verdicts(course, submission.student_id, assignment)
            students.append(
                {
                    "student": submission.student_id,
                    "status": record.get("status", "not graded by optgrade"),
                    "scores": dict(scores),
                    "total": sum(scores.values()),
                    "pending": dict(pending),
                    "manual": sum(pending.values()),
                    "by_hand": by_hand,
                    "mistakes": [(line.test_id, line.detail) for line in lines if line.kind == "MISTAKE"],
                    "flags": [(line.test_id, line.detail) for line in lines if line.kind == "FLAG"],
                    "notes": record.get("notes", []),
                }
            )
    students = roster.in_report(course, assignment, students)  # names; the roster's students with no submission
    return {"students": students, "exercises": exercises, "written": written, "max": sum(exercises.values())}


def _figure_png(draw, height=3.2):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, height), layout="constrained")
    draw(ax)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _histogram(percents):
    from matplotlib.ticker import MaxNLocator

    def draw(ax):
        ax.hist(percents, bins=range(0, 101, 10), color="#4c72b0", edgecolor="white")
        ax.set(xlabel="score (% of the points graded so far)", ylabel="students", xlim=(0, 100))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # a count of students: whole ticks only
        median = sorted(percents)[len(percents) // 2] if percents else 0
        ax.set_title(f"Scores of {len(percents)} students: half scored {median:.0f}% or more")

    return _figure_png(draw)


def _pass_rates(rates):
    """Horizontal bars, one per exercise; the figure grows with the number of exercises so labels never overlap."""

    def draw(ax):
        names = list(rates)[::-1]
        ax.barh(names, [100 * rates[name] for name in names], color="#55a868")
        ax.set(xlabel="students with full marks (%)", xlim=(0, 100), ylim=(-0.6, len(names) - 0.4))
        ax.set_title("Pass rate per exercise")
        ax.tick_params(axis="y", labelsize=9)

    return _figure_png(draw, height=1.2 + 0.3 * len(rates))


def _write_csv(path, header, rows):
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)


def _rate(students, name, points):
    """Share of students with full marks among those whose points on the exercise are all decided (None: none)."""
    decided = [s for s in students if not s["pending"].get(name)]
    return sum(s["scores"].get(name, 0) >= points for s in decided) / len(decided) if decided else None


def _percent(student, top):
    decided = top - student["manual"]
    return 100 * student["total"] / decided if decided > 0 else None


def _summary(items, shown=SHOWN_FLAGS):
    """{"count", "shown", "more"}: the distinct items, the first few named and the rest folded away."""
    distinct = list(dict.fromkeys(items))
    return {"count": len(distinct), "shown": distinct[:shown], "more": distinct[shown:]}


def _chunks(items, size):
    return [items[start : start + size] for start in range(0, len(items), size)]


def report(course, assignment, out=None):
    """Write the report files; returns the path of report.html."""
    data = collect(course, assignment)
    out = Path(out or course.path("reports", assignment))
    out.mkdir(parents=True, exist_ok=True)
    students, exercises, written, top = data["students"], data["exercises"], data["written"], data["max"] or 1
    percent = {s["student"]: _percent(s, top) for s in students}
    averaged = [s for s in students if s["status"] not in UNGRADED]
    rates = {name: _rate(averaged, name, points) for name, points in exercises.items()}
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
            "" if percent[s["student"]] is None else f"{percent[s['student']]:.1f}",
            f"{s['manual']:g}",
            "; ".join(s["notes"] + [f"FLAG {test}: {flag}" for test, flag in s["flags"]]),
        ]
        + [f"{s['by_hand']:g}"]
        for s in students
    ]
    exercise_rows = [
        [
            name,
            f"{points:g}",
            f"{sum(s['scores'].get(name, 0) for s in averaged) / max(len(averaged), 1):.2f}",
            "" if rates[name] is None else f"{100 * rates[name]:.0f}",
            "written answer" if name in written else "autograded",
            sum(bool(s["pending"].get(name)) for s in students),
            len(averaged),
        ]
        for name, points in exercises.items()
    ]
    # the page names a mistake as the student reads it, never by its catalog name (mistakes.csv keeps both)
    mistake_rows = [
        [test, name, count, sentence(test.partition(".")[0], name)] for (test, name), count in mistakes.most_common()
    ]
    flag_rows = [[test, flag, count] for (test, flag), count in flags.most_common()]
    _write_csv(out / "students.csv", [*student_header, "graded by hand"], student_rows)
    exercise_header = ["exercise", "points", "mean score", "full-marks rate (%)", "kind", "students to grade by hand"]
    exercise_header += ["graded submissions averaged"]  # the mean and the rate leave out UNGRADED ones
    _write_csv(out / "exercises.csv", exercise_header, exercise_rows)
    _write_csv(out / "mistakes.csv", ["test", "mistake", "students", "sentence"], mistake_rows)
    for lms in ("canvas", "moodle"):  # the LMS gradebooks' import files (gradefiles)
        getattr(gradefiles, lms)(course, assignment, db_url(course), out / f"{lms}.csv")

    charted = {name: rate for name, rate in rates.items() if rate is not None}
    figures = []
    if students:
        decided = [p for p in percent.values() if p is not None]
        figures.append(("score histogram", _histogram(decided)))
    if students and charted:
        figures.append(("pass rates", _pass_rates(charted)))
    names = list(exercises)
    page = TEMPLATES.get_template("report.html.j2").render(
        assignment=assignment,
        course=course.root,
        students=students,
        top=top,
        percent=percent,
        figures=figures,
        exercise_header=exercise_header,
        exercise_rows=exercise_rows,
        mistake_rows=mistake_rows,
        flag_rows=flag_rows,
        flags={s["student"]: _summary(f"{test}: {flag}" for test, flag in s["flags"]) for s in students},
        notes={s["student"]: _summary(s["notes"]) for s in students},
        to_grade=[s for s in students if s["manual"]],
        unreadable=[s for s in students if s["status"] == "unreadable"],
        not_imported=imports.load(course, assignment)["problems"],
        ungraded=[s for s in students if s["status"] in UNGRADED],
        averaged=len(averaged),
        stood_in=stand_ins.stood_in(course, assignment),
        sanitized=sanitize.sanitized(course.root, assignment),
        score_tables=[(names.index(group[0]), group) for group in _chunks(names, COLUMNS_PER_TABLE)],
        uncharted=[name for name, rate in rates.items() if rate is None],
    )
    (out / "report.html").write_text(page)
    return out / "report.html"
