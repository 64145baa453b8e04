"""Helpers shared by the course end-to-end tests: the table of simulated students, a class of notebook 06 to
grade, its grades read back, and a student's copy with exercises finished (for the browser tests)."""

import csv
import shutil
import time
from pathlib import Path
from typing import NamedTuple

import nbformat
from nbgrader.api import Gradebook

from optgrade.course import build, release
from optgrade.course.demo import make_student, solved
from optgrade.course.gradebook import db_url
from optgrade.course.layout import COURSE_ID, Course
from optgrade.student_copy import released_notebook
from optgrade.workbook import copy_given, notebooks

FIXTURE_NOTEBOOKS = Path(__file__).parent / "fixtures" / "course" / "notebooks"
NOTEBOOK_06 = "06_learning_rate_decay.ipynb"
ANSWER_06 = "The rate drops in steps, so training settles instead of oscillating."
NO_FLOOR = [("math.floor(epoch_num / time_interval)", "epoch_num / time_interval")]  # a named mistake
# The simulated students the course tests grade (the fixture course's notebook and notebook 06 are both on the
# schedules): kind -> the edits of solutions/schedules.py they submit as utils/schedules.py, None for the stub
# left untouched. Tests name them as they like ("alice_reference") and add their own hostile or broken ones.
SIMULATED = {"reference": [], "untouched": None, "mistake_no_floor": NO_FLOOR}


def modules_of(kind):
    """The utils/ modules a simulated student of that kind (SIMULATED) submits: {module: source}."""
    return {} if SIMULATED[kind] is None else {"schedules": solved("schedules", SIMULATED[kind])}


def write_answer(folder, text=ANSWER_06, notebook=NOTEBOOK_06):
    """Fill the written-answer cells (nbgrader solution markdown) of ``folder/notebook`` with ``text``."""
    path = folder / notebook
    cells = nbformat.read(path, as_version=4)
    for cell in cells.cells:
        if cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = text
    nbformat.write(cells, path)


def finished_copy(folder, modules, numbers=None):
    """A student's copy at folder: the given code, the released notebooks (those whose number, "03", is in numbers;
    all if None) and the reference code of ``modules`` in utils/. Returns folder."""
    folder.mkdir()
    copy_given(folder)
    for path in notebooks():
        if numbers is None or path.name[:2] in numbers:
            nbformat.write(released_notebook(path), folder / path.name)
    for module in modules:
        (folder / "utils" / f"{module}.py").write_text(solved(module))
    return folder


def released_course(folder, **options):
    """A course built at folder with build.build's options (its reference accepted) and released: the Course."""
    course = build.build(folder, accept_reference=True, **options)
    release.release(course, "workbook")
    return course


def copy_course(course, folder):
    """A copy of course at folder, to grade or change (a course names no absolute path: it moves as it is)."""
    shutil.copytree(course.root, folder, symlinks=True)
    return Course(folder)


def class_of_06(released_06, tmp_path_factory):
    """(course, incoming): a copy of the session's released notebook 06, and a class folder with two students.

    "answered" has the reference ``schedules`` and a written answer; "mistake" did not floor the epoch
    ratio (a catalog mistake). Tests add their own students to ``incoming`` before grading it.
    """
    course = copy_course(released_06, tmp_path_factory.mktemp("course") / "course")
    incoming = tmp_path_factory.mktemp("incoming")
    source = course.release("workbook")
    write_answer(make_student(source, incoming / "answered", modules_of("reference")))
    make_student(source, incoming / "mistake", modules_of("mistake_no_floor"))
    return course, incoming


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


def exchange_config(exchange, student=None, home=None):
    """nbgrader config for the filesystem exchange at ``exchange``; a student's own cache and folder if given."""
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.course_id = COURSE_ID
    config.Exchange.root = str(exchange)
    if student is not None:
        config.CourseDirectory.student_id = student
        config.Exchange.cache = str(home / ".nbgrader_cache")
        config.Exchange.assignment_dir = str(home)
    return config


def release_to_exchange(course, exchange, assignment="workbook"):
    """nbgrader's release_assignment of the course's release/<assignment> to the exchange (outbound, inbound)."""
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeReleaseAssignment

    config = exchange_config(exchange)
    config.CourseDirectory.root = str(course.root)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    ExchangeReleaseAssignment(coursedir=coursedir, config=config, force=True).start()


def submit(exchange, student, home, assignment="workbook"):
    """``student`` submits ``home/<assignment>`` with nbgrader's ExchangeSubmit (the Assignment List's Submit).

    Returns (inbound folder name, the UNIX time just before the call).
    """
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeSubmit

    config = exchange_config(exchange, student, home)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    started = time.time()
    app = ExchangeSubmit(coursedir=coursedir, authenticator=Authenticator(config=config), config=config)
    app.start()
    return app.assignment_filename, started


def fetch_feedback(exchange, student, home, assignment="workbook"):
    """nbgrader's ExchangeFetchFeedback as ``student``: {timestamp: {notebook: html}} of what they can fetch."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchFeedback

    config = exchange_config(exchange, student, home)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    ExchangeFetchFeedback(coursedir=coursedir, authenticator=Authenticator(config=config), config=config).start()
    fetched = home / assignment / "feedback"
    return {
        stamp.name: {page.stem: page.read_text() for page in sorted(stamp.glob("*.html"))}
        for stamp in sorted(fetched.glob("*"))
        if stamp.is_dir()
    }
