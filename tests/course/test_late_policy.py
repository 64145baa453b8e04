"""The late policy: a penalty per day late with a floor, per-student extensions, the same under nbgrader itself."""

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
from course_helpers import read_csv
from nbgrader.api import Gradebook

from optgrade.cli import main
from optgrade.course import late
from optgrade.course.demo import make_student, solved
from optgrade.course.layout import COURSE_ID, Course, nbgrader_environment

FIXTURES = Path(__file__).parent.parent / "fixtures" / "course"
DAY = 86400


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("none", "none"), ("ZERO", "zero"), ("per-day:10%", "per-day:10%,floor:0%"), ("per-day:12.5%,floor:50%", None)],
)
def test_policies_read_back_in_one_form(text, canonical):
    assert late.parse_policy(text) == (canonical or "per-day:12.5%,floor:50%")


@pytest.mark.parametrize("text", ["per-day", "per-day:0%", "per-day:150%", "per-day:10%,floor:120%", "10%", "half"])
def test_a_policy_that_says_nothing_clear_is_refused_with_the_syntax(text):
    with pytest.raises(ValueError, match=r"per-day:R%\[,floor:F%\]"):
        late.parse_policy(text)


def test_the_penalty_counts_each_started_day_and_stops_at_the_floor():
    policy = late.parse_policy("per-day:10%,floor:50%")
    assert late.penalty(policy, 6.0, 0) == 0
    assert late.penalty(policy, 6.0, 1) == pytest.approx(0.6)  # one second late is a day late
    assert late.penalty(policy, 6.0, 1.5 * DAY) == pytest.approx(6.0 * 0.2)
    assert late.penalty(policy, 6.0, 30 * DAY) == pytest.approx(3.0)  # the floor: half of the score is kept
    assert late.penalty("zero", 6.0, 5) == 6.0 and late.penalty("none", 6.0, 5 * DAY) == 0


def test_extensions_are_days_or_hours_and_a_bad_row_is_named(tmp_path):
    path = tmp_path / "extensions.csv"
    path.write_text("id,extension\nalice,2\nbob,36h\ncarol,\n")
    assert late.read_extensions(path) == {"alice": 2 * DAY, "bob": 36 * 3600}
    path.write_text("id,extension\nalice,two days\n")
    with pytest.raises(ValueError, match="line 2"):
        late.read_extensions(path)


def test_build_refuses_an_unclear_policy_in_one_line(capsys, tmp_path):
    assert main(["build", "--course", str(tmp_path / "course"), "--late-penalty", "per-day:ten", "06"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "per-day:R%[,floor:F%]" in err[0] and "Traceback" not in err[0]


def _penalties(course):
    """{student: (seconds late, penalty, extension seconds)} from nbgrader's gradebook."""
    with Gradebook(f"sqlite:///{course.path('gradebook.db')}", COURSE_ID) as gradebook:
        return {
            s.student_id: (
                s.total_seconds_late,
                round(sum(n.late_submission_penalty or 0 for n in s.notebooks), 6),
                s.extension.total_seconds() if s.extension else 0,
            )
            for s in gradebook.assignment_submissions("workbook")
        }


@pytest.mark.slow
def test_a_late_student_loses_a_share_per_day_and_an_extended_one_nothing_also_under_nbgrader(tmp_path):
    """per-day:10%,floor:50%: 1.5 days late costs 20 %, 10 days late 50 % (the floor); a 2-day extension
    covers 1.5 days. `nbgrader autograde` run by hand in the course gives the same penalties (the config's plugin)."""
    course_dir = tmp_path / "course"
    (tmp_path / "extensions.csv").write_text("id,extension\nextended,2\n")
    options = ["--late-penalty", "per-day:10%,floor:50%", "--extensions", tmp_path / "extensions.csv"]
    options += ["--accept-reference", "--timeout", "5", "--notebooks-dir", FIXTURES / "notebooks"]
    assert main(["build", "--course", str(course_dir), *map(str, options)]) == 0
    course = Course(course_dir)
    assert main(["release", "--course", str(course_dir)]) == 0
    due = datetime.datetime(2026, 11, 2, 12, 0)
    with Gradebook(f"sqlite:///{course.path('gradebook.db')}", COURSE_ID) as gradebook:
        gradebook.update_or_create_assignment("workbook", duedate=due)
    incoming = tmp_path / "incoming"
    lateness = {"ontime": -3600, "late": 1.5 * DAY, "extended": 1.5 * DAY, "verylate": 10 * DAY}
    for student, seconds in lateness.items():
        reference = {"schedules": solved("schedules")}
        folder = make_student(course.release("workbook"), incoming / student / "workbook", reference)
        stamp = due + datetime.timedelta(seconds=seconds)
        (folder / "timestamp.txt").write_text(stamp.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
    assert main(["autograde", str(incoming), "--course", str(course_dir), "--workers", "2"]) == 0
    rows = {row["student_id"]: row for row in read_csv(course.path("grades.csv"))}
    full = float(rows["ontime"]["max_score"])
    expected = {"ontime": 0.0, "late": full * 0.10 * 2, "extended": 0.0, "verylate": full * 0.5}
    assert {s: float(row["late_submission_penalty"]) for s, row in rows.items()} == pytest.approx(expected)
    assert {s: float(row["score"]) for s, row in rows.items()} == pytest.approx(
        {s: full - penalty for s, penalty in expected.items()}
    )
    batch = _penalties(course)
    assert batch["extended"] == (0, 0, 2 * DAY) and batch["late"][0] == 1.5 * DAY
    # nbgrader's own command, from the course folder, with the generated config only
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", "workbook", "--force"],
        cwd=course.root,
        env=nbgrader_environment(),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert _penalties(course) == batch


def test_the_graders_of_batch_and_serve_load_the_policy_and_extensions_from_the_course_config(tmp_path):
    """optgrade serve and batch autograde commit through pipeline.Nbgrader, which loads the course's config."""
    from nbgrader.preprocessors import AssignLatePenalties

    from optgrade.course.pipeline import Nbgrader

    (tmp_path / "extensions.csv").write_text("id,extension\nalice,36h\n")
    argv = ["build", "--course", tmp_path / "course", "--late-penalty", "per-day:10%,floor:50%"]
    assert main([str(arg) for arg in [*argv, "--extensions", tmp_path / "extensions.csv", "06"]]) == 0
    config = Nbgrader(Course(tmp_path / "course")).config
    steps = config.Autograde.autograde_preprocessors
    assert late.ExtendedLatePenalties in steps and AssignLatePenalties not in steps
    assert config.AssignLatePenalties.plugin_class is late.LatePolicy
    assert config.LatePolicy.policy == "per-day:10%,floor:50%"
    assert config.ExtendedLatePenalties.extensions == {"alice": 36 * 3600}
