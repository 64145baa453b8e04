"""The course as it runs on a hub: a real JupyterHub, real Unix accounts, nbgrader's exchange, a real browser.

tests/hub_support.py starts the hub (one instructor, two students, notebook 05). Each user logs in through the
hub's login page in a browser context of their own. The instructor releases with ``optgrade release`` (which
releases to the exchange); both students fetch the workbook in Nbgrader > Assignment List, write
``utils/adam.py`` in JupyterLab's file editor (one right, one with beta1 and beta2 swapped), run the check cell
and submit there; the instructor collects, grades with ``optgrade autograde`` (sandboxed) and releases the
feedback; each student fetches it in the Assignment List and reads their own score (and the named mistake) in
the feedback page. Then what each student cannot reach: the other's server, files, submission and feedback.
The quick tests at the end check the users file and the reachability checks ``optgrade hub`` makes.
"""

import csv
import json
import pwd
import stat
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from browser_support import screenshot_on_failure
from hub_support import (
    Steps,
    as_user,
    assignment_list,
    click_until,
    course_hub,
    edit_in_editor,
    kernel_ready,
    lab_loaded,
    login,
    run_cell,
)

from optgrade.course.layout import COURSE_ID, GradingError
from optgrade.hub import config, users
from optgrade.hub.users import secrets_warnings

SHOTS = Path(__file__).parents[2] / "build" / "screenshots"
MISTAKE = "beta1 and beta2 are swapped"  # the hidden tests' name for it (optgrade/hidden/mistakes.py)

# A student's own Adam (not the reference's text, which scores nothing); $first/$second are beta1/beta2 when right.
ADAM = string.Template('''\
"""Adam, as I understood the lecture."""

import numpy as np


def initialize_adam(parameters):
    v, s = {}, {}
    for name, value in parameters.items():
        v["d" + name] = np.zeros(value.shape)
        s["d" + name] = np.zeros(value.shape)
    return v, s


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    parameters, v, s = dict(parameters), dict(v), dict(s)
    v_corrected, s_corrected = {}, {}
    for key in grads:
        v[key] = $first * v[key] + (1 - $first) * grads[key]
        s[key] = $second * s[key] + (1 - $second) * grads[key] ** 2
        v_corrected[key] = v[key] / (1 - $first**t)
        s_corrected[key] = s[key] / (1 - $second**t)
        step = learning_rate * v_corrected[key] / (np.sqrt(s_corrected[key]) + epsilon)
        parameters[key[1:]] = parameters[key[1:]] - step
    return parameters, v, s, v_corrected, s_corrected
''')
RIGHT = ADAM.substitute(first="beta1", second="beta2")
SWAPPED = ADAM.substitute(first="beta2", second="beta1")


@pytest.fixture(scope="module")
def steps():
    """The timed steps of this module's hub tests (their times are printed at the end, and named in a failure)."""
    done = Steps()
    yield done
    print(f"\nhub lifecycle, {done}")


@pytest.fixture(scope="module")
def hub(steps):
    with course_hub(steps) as running:
        yield running


@pytest.fixture(scope="module")
def pages(browser, hub, steps):
    """Each user's own browser context, logged in through the hub: {name: page}. The three log in at once."""
    logged_in = {}
    try:
        with steps("log in (the hub spawns three servers)"):
            for name in [hub.instructor, *hub.students]:
                logged_in[name] = login(browser, hub, name)
            for name, page in logged_in.items():
                with screenshot_on_failure(page, SHOTS, f"hub-{name}-login"):
                    lab_loaded(page, name)
        yield logged_in
    finally:
        start = time.monotonic()
        for page in logged_in.values():
            page.context.close()
        steps.done.append(("close the browser contexts", time.monotonic() - start))


def _autograded_points(course):
    """Points of the notebook's automatically graded cells (the written answer is graded by hand)."""
    notebook = json.loads((course / "source" / "workbook" / "05_adam.ipynb").read_text())
    cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    return sum(cell["metadata"].get("nbgrader", {}).get("points", 0) for cell in cells)


def _grades(course):
    with (course / "grades.csv").open() as stream:
        return {row["student_id"]: row for row in csv.DictReader(stream)}


def _logs(course):
    """The ends of the course's logs (optgrade's and nbgrader's), for a failure message."""
    logs = sorted((course / ".optgrade" / "logs").glob("*.log"))
    return "\n".join(f"--- {path.name}:\n{path.read_text()[-3000:]}" for path in logs) or "(no logs)"


def _records(course):
    """optgrade's grading record of each student (status, notes), for a failure message."""
    folder = course / ".optgrade" / "graded" / "workbook"
    return {path.stem: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))}


def _submissions(hub, name):
    return [path for path in (hub.exchange / COURSE_ID / "inbound").iterdir() if path.name.startswith(f"{name}+")]


def _feedback_files(name):
    """The feedback pages fetched into name's workbook (not JupyterLab's .ipynb_checkpoints copies)."""
    found = (Path("/home") / name / "workbook" / "feedback").rglob("*.html")
    return [path for path in found if ".ipynb_checkpoints" not in path.parts]


def _fetch_and_work(page, hub, name, code, steps):
    workbook = Path("/home") / name / "workbook"
    with steps(f"{name} fetches the workbook in the Assignment List"):
        panel = assignment_list(page)
        click_until(
            page,
            panel.locator("#released_assignments_list button", has_text="Fetch"),
            panel.locator("#fetched_assignments_list button", has_text="Submit"),
            happened=(workbook / "05_adam.ipynb").is_file,
            what=f"{name} fetching the workbook",
        )
    with steps(f"{name} writes utils/adam.py in the file editor"):
        edit_in_editor(page, hub, name, "workbook/utils/adam.py", code)
    with steps(f"{name} opens 05_adam.ipynb and its kernel starts"):
        page.goto(f"{hub.url}/user/{name}/lab/tree/workbook/05_adam.ipynb")
        kernel_ready(page, hub, name, "workbook/05_adam.ipynb")
    with steps(f"{name} runs the notebook's first cell (imports)"):
        run_cell(page, "ROOT = next(")
    with steps(f"{name} runs the check cell"):
        checked = run_cell(page, "check(update_parameters_with_adam)")
    with steps(f"{name} submits in the Assignment List"):
        panel = assignment_list(page)
        click_until(
            page,
            panel.locator("#fetched_assignments_list button", has_text="Submit"),
            panel.locator("#submitted_assignments_list button", has_text="Fetch Feedback"),
            happened=lambda: _submissions(hub, name),
            what=f"{name} submitting",
        )
    return checked


def _feedback_page(page, name):
    """Fetch Feedback, then view it as the student does: (view feedback), then open 05_adam.html; its text."""
    panel = assignment_list(page)
    view = panel.locator("#submitted_assignments_list a", has_text="view feedback")
    button = panel.locator("#submitted_assignments_list button", has_text="Fetch Feedback")
    click_until(page, button, view, happened=lambda: _feedback_files(name), what=f"{name} fetching the feedback")
    view.click()
    page.locator(".jp-DirListing-item", has_text="05_adam.html").dblclick()
    body = page.frame_locator(".jp-HTMLViewer iframe").locator("body")
    body.get_by_text("05_adam (Score:").wait_for(timeout=120_000)
    return body.inner_text()


@pytest.mark.slow
def test_release_fetch_submit_grade_and_feedback_through_the_hub(hub, pages, steps):
    instructor, (right, wrong) = hub.instructor, hub.students
    with steps("the instructor opens the formgrader, a student gets 404 there"):
        with screenshot_on_failure(pages[instructor], SHOTS, "hub-instructor"):
            formgrader = pages[instructor].goto(f"{hub.url}/user/{instructor}/formgrader")
            assert formgrader.status == 200 and "Manage Assignments" in pages[instructor].content()
        assert pages[right].goto(f"{hub.url}/user/{right}/formgrader").status == 404  # no formgrader for students
        pages[right].goto(f"{hub.url}/user/{right}/lab")

    with steps("optgrade release (to the exchange)"):
        as_user(instructor, hub.venv / "bin" / "optgrade", "release", "--course", hub.course)
        assert (hub.exchange / COURSE_ID / "outbound" / "workbook" / "05_adam.ipynb").is_file()

    checks = {}
    for name, code in ((right, RIGHT), (wrong, SWAPPED)):
        with screenshot_on_failure(pages[name], SHOTS, f"hub-{name}-work"):
            checks[name] = _fetch_and_work(pages[name], hub, name, code, steps)
        assert (Path("/home") / name / "workbook" / "utils" / "adam.py").read_text() == code
    assert "FAIL" not in checks[right] and "Visible checks passed" in checks[right], checks[right]
    assert "FAIL" in checks[wrong], checks[wrong]

    nbgrader = hub.venv / "bin" / "nbgrader"
    with steps("nbgrader collect"):
        as_user(instructor, nbgrader, "collect", "workbook", cwd=hub.course)
    with steps("optgrade autograde (sandboxed)"):
        as_user(instructor, hub.venv / "bin" / "optgrade", "autograde", "--course", hub.course)
        for name in hub.students:
            feedback = hub.course / "feedback" / name / "workbook"
            made = [path.name for path in feedback.glob("*")] if feedback.is_dir() else []
            assert {"05_adam.html", "timestamp.txt"} <= set(made), f"{name}'s feedback: {made}\n{_logs(hub.course)}"
    with steps("nbgrader release_feedback"):
        as_user(instructor, nbgrader, "release_feedback", "workbook", cwd=hub.course)

    grades = _grades(hub.course)
    assert sorted(grades) == sorted(hub.students)
    graded = _records(hub.course)
    assert float(grades[right]["score"]) == _autograded_points(hub.course), graded  # every automatic point
    assert float(grades[wrong]["score"]) < float(grades[right]["score"]), graded
    for name in hub.students:
        with (
            steps(f"{name} fetches and reads the feedback"),
            screenshot_on_failure(pages[name], SHOTS, f"hub-{name}-feedback"),
        ):
            shown = _feedback_page(pages[name], name)
        row = grades[name]
        assert f"05_adam (Score: {row['score']} / {row['max_score']})" in shown
        assert (MISTAKE in shown) == (name == wrong)


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def _owner(path):
    return pwd.getpwuid(path.stat().st_uid).pw_name


@pytest.mark.slow
def test_a_student_cannot_reach_the_other_students_work(hub, pages, steps):
    """After the lifecycle above (it needs its submissions and feedback): what each student cannot reach."""
    instructor, (first, second) = hub.instructor, hub.students
    course = hub.exchange / COURSE_ID
    submissions = sorted((course / "inbound").iterdir())
    assert submissions, "no submission in the exchange: the lifecycle test before this one did not get that far"
    assert _mode(hub.exchange) == 0o777
    assert (_mode(course / "outbound"), _owner(course / "outbound")) == (0o755, instructor)
    assert (_mode(course / "inbound"), _owner(course / "inbound")) == (0o2733, instructor)  # write, never list
    assert (_mode(course / "feedback"), _owner(course / "feedback")) == (0o711, instructor)  # by hash only
    assert sorted(_owner(path) for path in submissions) == sorted(hub.students)  # one each
    assert all(path.name.startswith(f"{_owner(path)}+workbook+") for path in submissions)
    for name in [instructor, *hub.students]:
        assert _mode(Path("/home") / name) == 0o700
    # this checkout is readable by every account: the hub started, and said so (docs/deployment.md)
    warned, secrets = hub.log.read_text(), secrets_warnings(hub.checkout)
    assert secrets, f"{hub.checkout}: its solutions/ and optgrade/hidden/ are readable by the students' servers"
    for secret in secrets:
        assert secret in warned

    for name, other in ((first, second), (second, first)):
        with steps(f"{name} tries to reach {other}'s work"):
            # the other's home, the instructor's (the course: collected submissions, gradebook, feedback), the
            # exchange's submissions and feedback: none can be listed
            for folder in (course / "inbound", course / "feedback", Path("/home") / other, Path("/home") / instructor):
                listed = as_user(name, "ls", folder, check=False)
                assert listed.returncode != 0 and "Permission denied" in listed.stderr, (name, folder)
            for path in (Path("/home") / other / "workbook/utils/adam.py", hub.course / "gradebook.db"):
                assert as_user(name, "cat", path, check=False).returncode != 0, (name, path)
            page = pages[name]
            for path in ("lab", "files/workbook/utils/adam.py", "api/contents/workbook/utils"):
                answer = page.goto(f"{hub.url}/user/{other}/{path}")
                assert answer.status == 403, (name, path, answer.status)
                assert "update_parameters_with_adam" not in page.content()
            assert page.goto(f"{hub.url}/user/{instructor}/formgrader").status == 403
            for outside in (f"..%2F{other}%2Fworkbook", f"..%2F{instructor}%2Fcourse"):
                answer = page.request.get(f"{hub.url}/user/{name}/api/contents/{outside}")
                assert answer.status in (400, 403, 404), (outside, answer.status)
            users = page.request.get(f"{hub.url}/hub/api/users")
            assert users.status == 403 and other not in users.text(), users.status
        with steps(f"{name}'s Assignment List shows their own submission only"):
            page.goto(f"{hub.url}/user/{name}/lab")
            page.locator("#jp-main-dock-panel").wait_for(timeout=120_000)
            panel = assignment_list(page)
            panel.locator("#submitted_assignments_list button", has_text="Fetch Feedback").wait_for()
            assert other not in panel.inner_text()
            assert [path.name for path in _feedback_files(name)] == ["05_adam.html"]  # their own, nothing else


def test_the_users_file_needs_one_instructor_and_known_accounts(tmp_path):
    users_file = tmp_path / "users"
    users_file.write_text("root instructor\n# a comment\n\n")
    assert users.read(users_file) == ("root", [])
    for text, named in (
        ("root teacher\n", "NAME instructor"),
        ("root student\n", "no `NAME instructor` line"),
        ("root instructor\nroot instructor\n", "a second instructor"),
        ("no-such-account-here student\nroot instructor\n", "is not a Unix account"),
    ):
        users_file.write_text(text)
        with pytest.raises(GradingError, match=named):
            users.read(users_file)


@pytest.fixture
def open_folder():
    """A fresh folder under /tmp that every account can enter (pytest's own tmp_path is under a 0700 folder)."""
    with tempfile.TemporaryDirectory() as name:
        Path(name).chmod(0o755)
        yield Path(name)


def test_a_venv_under_a_private_folder_is_named_before_the_hub_starts(open_folder):
    private = open_folder / "home"
    (private / "venv" / "bin").mkdir(parents=True)
    (private / "venv" / "bin" / "python").write_text("")
    for path in (private / "venv", private / "venv" / "bin"):
        path.chmod(0o755)
    (private / "venv" / "bin" / "python").chmod(0o755)
    private.chmod(0o700)
    with pytest.raises(GradingError, match=rf"{private} is mode 0700"):
        users.check_reachable([private / "venv" / "bin" / "python"])
    private.chmod(0o755)
    users.check_reachable([private / "venv" / "bin" / "python"])


def test_students_servers_get_the_exchange_and_no_formgrader(tmp_path):
    password = tmp_path / "password"
    password.write_text("test-only\n")
    course, exchange = tmp_path / "course", tmp_path / "exchange"
    written = config.write(tmp_path / "state", course, exchange, "teacher", ["ann", "bob"], 8123, password)
    student = tmp_path / "state" / "jupyter" / "student"
    loaded = _load_config(student / "nbgrader_config.py")
    assert (loaded.Exchange.root, loaded.CourseDirectory.course_id) == (str(exchange), COURSE_ID)
    disabled = json.loads((student / "jupyter_server_config.d" / "optgrade-student.json").read_text())
    assert disabled["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is False
    hub_config = _load_config(written)
    assert hub_config.Spawner.environment["JUPYTER_CONFIG_PATH"] == str(student)
    grader = hub_config.Spawner.group_overrides["1-grader"]
    assert grader["groups"] == [f"formgrade-{COURSE_ID}"]
    assert grader["spawner_override"]["environment"]["JUPYTER_CONFIG_PATH"].endswith("jupyter/instructor")
    assert hub_config.JupyterHub.load_groups[f"nbgrader-{COURSE_ID}"]["users"] == ["ann", "bob"]
    assert hub_config.DummyAuthenticator.password == "test-only"
    assert hub_config.Spawner.cmd == [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
    assert _mode(written.parent) == 0o700 and _mode(tmp_path / "state") == 0o711


def test_without_a_password_file_the_hub_uses_pam(tmp_path):
    written = config.write(tmp_path / "state", tmp_path / "c", tmp_path / "x", "teacher", [], 8123)
    assert _load_config(written).JupyterHub.authenticator_class == "pam"


def test_optgrade_hub_refuses_a_student_home_other_accounts_can_read(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o755)
    monkeypatch.setattr(users.pwd, "getpwnam", lambda name: type("Entry", (), {"pw_dir": str(home)}))
    with pytest.raises(GradingError, match=r"home .* is mode 0755: other students could read"):
        users.check_private_homes(["ann"])
    home.chmod(0o700)
    users.check_private_homes(["ann"])


def _load_config(path):
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def test_the_hub_command_names_what_is_missing(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "optgrade.cli", "hub", "--course", tmp_path / "none"], capture_output=True, text=True
    )
    assert done.returncode == 1 and "run `optgrade build` first" in done.stderr


def test_optgrade_hub_refuses_to_run_as_another_account_than_root(tmp_path):
    """The first thing `optgrade hub` checks (the CLI itself, its effective uid made 1000): it names root."""
    fake_uid = "import os, sys; os.geteuid = lambda: 1000; from optgrade.cli import main; sys.exit(main())"
    done = subprocess.run(
        [sys.executable, "-c", fake_uid, "hub", "--course", tmp_path / "none"], capture_output=True, text=True
    )
    assert done.returncode == 1, done
    assert "optgrade hub: run it as root (sudo)" in done.stderr and "which only root can do" in done.stderr, done.stderr


def test_optgrade_hub_warns_while_other_accounts_can_read_the_solutions_and_hidden_tests(open_folder):
    checkout = open_folder / "checkout"
    for folder in (checkout / "solutions", checkout / "optgrade" / "hidden"):
        folder.mkdir(parents=True)
        folder.chmod(0o755)
    warned = secrets_warnings(checkout)
    assert [line.split()[1] for line in warned] == [str(checkout / "solutions"), str(checkout / "optgrade/hidden")]
    assert all("can be read by every account on this machine, students included" in line for line in warned)
    (checkout / "solutions").chmod(0o750)  # the instructor's, closed to the others
    assert [line.split()[1] for line in secrets_warnings(checkout)] == [str(checkout / "optgrade/hidden")]
    (checkout / "optgrade" / "hidden").chmod(0o700)
    assert secrets_warnings(checkout) == []
