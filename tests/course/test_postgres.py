"""The gradebook on a real PostgreSQL server (tests/postgres_server.py starts one): graded, interrupted, resumed.

A small class (the fixture notebook on two schedules, 6 points) is graded twice
with the `optgrade` command: once into the default SQLite gradebook, once into a
PostgreSQL database chosen with ``optgrade build --db-url``, where the first
``optgrade autograde`` is killed (with everything it started) as soon as one
graded student's scores are in the gradebook, and a second run finishes the class. The
exported scores and every cell grade must match SQLite's, with no grade stored twice.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from course_helpers import cell_grades, modules_of, scores
from postgres_server import PostgresServer

from optgrade.course.demo import make_student
from optgrade.course.layout import Course, nbgrader_environment

pytestmark = pytest.mark.slow

NOTEBOOKS = Path(__file__).parent.parent / "fixtures" / "course" / "notebooks"
GRADE_CELLS = 4  # update_lr.values/.errors, schedule_lr_decay.values/.errors
GRADED_STUDENTS = """
SELECT count(DISTINCT sa.student_id) FROM grade g
JOIN submitted_notebook sn ON g.notebook_id = sn.id JOIN submitted_assignment sa ON sn.assignment_id = sa.id
WHERE g.auto_score {condition}
"""


def optgrade(*args, wait=True):
    command = [sys.executable, "-m", "optgrade.cli", *map(str, args)]
    if not wait:  # its own session, so the test can kill it with everything it started
        return subprocess.Popen(command, env=nbgrader_environment(), start_new_session=True, stdout=subprocess.DEVNULL)
    done = subprocess.run(command, env=nbgrader_environment(), capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def released_course(folder, *db_option):
    optgrade(
        "build", "--course", folder, "--notebooks-dir", NOTEBOOKS, "--timeout", 10, "--accept-reference", *db_option
    )
    optgrade("release", "--course", folder)
    return Course(folder)


@pytest.fixture(scope="module")
def server():
    running = PostgresServer().start()
    yield running
    running.stop()


@pytest.fixture
def database(server):
    """A fresh database on the test server, per test: its SQLAlchemy URL."""
    return server.create_database()


@pytest.fixture(scope="module")
def sqlite_run(tmp_path_factory):
    """The class and its grades in the default SQLite gradebook: (class folder, course)."""
    course = released_course(tmp_path_factory.mktemp("sqlite") / "course")
    incoming = tmp_path_factory.mktemp("class")
    source = course.release("workbook")
    make_student(source, incoming / "alice_reference", modules_of("reference"))
    make_student(source, incoming / "bob_untouched", modules_of("untouched"))
    make_student(source, incoming / "carol_no_floor", modules_of("mistake_no_floor"))
    make_student(source, incoming / "dave_reference", modules_of("reference"))
    (incoming / "erin_empty").mkdir()
    optgrade("autograde", "--course", course.root, incoming)
    return incoming, course


def _graded_students(server, url, condition="IS NOT NULL"):
    """How many students have grades in the gradebook (or grades meeting ``condition``)."""
    connection = server.connect(url.rsplit("/", 1)[1])
    try:
        with connection.cursor() as cursor:
            cursor.execute(GRADED_STUDENTS.format(condition=condition))
            return cursor.fetchone()[0]
    finally:
        connection.close()


def _counts(server, url):
    connection = server.connect(url.rsplit("/", 1)[1])
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM submitted_assignment")
            submissions = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM grade")
            return submissions, cursor.fetchone()[0]
    finally:
        connection.close()


def test_a_class_graded_on_postgresql_interrupted_and_resumed_exports_the_sqlite_scores(
    server, database, sqlite_run, tmp_path
):
    incoming, sqlite_course = sqlite_run
    expected = scores(sqlite_course)
    assert expected == {
        "alice_reference": 6.0,
        "bob_untouched": 0.0,
        "carol_no_floor": 4.0,
        "dave_reference": 6.0,
        "erin_empty": 0.0,
    }
    course = released_course(tmp_path / "course", "--db-url", database)
    assert course.settings["db_url"] == database

    first = optgrade("autograde", "--course", course.root, incoming, wait=False)
    try:
        deadline = time.monotonic() + 300
        # the empty submission gets its zeros first: wait for a student whose grading ran
        while _graded_students(server, database, "> 0") == 0 and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert first.poll() is None, "autograde finished (or failed) before it could be interrupted"
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    interrupted = _graded_students(server, database)
    assert 1 <= interrupted < len(expected), interrupted

    optgrade("autograde", "--course", course.root)
    assert not course.path("gradebook.db").exists()  # every grade went to PostgreSQL
    assert scores(course) == expected
    assert cell_grades(course, "workbook") == cell_grades(sqlite_course, "workbook")
    assert _counts(server, database) == (len(expected), len(expected) * GRADE_CELLS)
