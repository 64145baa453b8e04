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
from pathlib import Path

import pytest
from browser_support import run_cell, screenshot_on_failure
from hub_support import as_user, assignment_list, click_until, course_hub, edit_in_editor, login

from optgrade.course.layout import COURSE_ID, GradingError
from optgrade.hub import config, users

SHOTS = Path(__file__).parent.parent / "build" / "screenshots"
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
def hub():
    with course_hub() as running:
        yield running


@pytest.fixture(scope="module")
def pages(browser, hub):
    """Each user's own browser context, logged in through the hub: {name: page}."""
    logged_in = {}
    for name in [hub.instructor, *hub.students]:
        logged_in[name] = login(browser, hub, name)
    yield logged_in
    for page in logged_in.values():
        page.context.close()


def _autograded_points(course):
    """Points of the notebook's automatically graded cells (the written answer is graded by hand)."""
    notebook = json.loads((course / "source" / "workbook" / "05_adam.ipynb").read_text())
    cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    return sum(cell["metadata"].get("nbgrader", {}).get("points", 0) for cell in cells)


def _grades(course):
    with (course / "grades.csv").open() as stream:
        return {row["student_id"]: row for row in csv.DictReader(stream)}


def _fetch_and_work(page, hub, name, code):
    panel = assignment_list(page)
    click_until(
        page,
        panel.locator("#released_assignments_list button", has_text="Fetch"),
        panel.locator("#fetched_assignments_list button", has_text="Submit"),
    )
    edit_in_editor(page, hub, name, "workbook/utils/adam.py", code)
    assert (Path("/home") / name / "workbook" / "utils" / "adam.py").read_text() == code
    page.goto(f"{hub.url}/user/{name}/lab/tree/workbook/05_adam.ipynb")
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=120_000)
    run_cell(page, "ROOT = next(")
    checked = run_cell(page, "check(update_parameters_with_adam)")
    panel = assignment_list(page)
    click_until(
        page,
        panel.locator("#fetched_assignments_list button", has_text="Submit"),
        panel.locator("#submitted_assignments_list button", has_text="Fetch Feedback"),
    )
    return checked


def _feedback_page(page):
    """Fetch Feedback, then view it as the student does: (view feedback), then open 05_adam.html; its text."""
    panel = assignment_list(page)
    view = panel.locator("#submitted_assignments_list a", has_text="view feedback")
    click_until(page, panel.locator("#submitted_assignments_list button", has_text="Fetch Feedback"), view)
    view.click()
    page.locator(".jp-DirListing-item", has_text="05_adam.html").dblclick()
    body = page.frame_locator(".jp-HTMLViewer iframe").locator("body")
    body.get_by_text("05_adam (Score:").wait_for(timeout=60_000)
    return body.inner_text()


@pytest.mark.slow
def test_release_fetch_submit_grade_and_feedback_through_the_hub(hub, pages):
    instructor, (right, wrong) = hub.instructor, hub.students
    with screenshot_on_failure(pages[instructor], SHOTS, "hub-instructor"):
        formgrader = pages[instructor].goto(f"{hub.url}/user/{instructor}/formgrader")
        assert formgrader.status == 200 and "Manage Assignments" in pages[instructor].content()
    assert pages[right].goto(f"{hub.url}/user/{right}/formgrader").status == 404  # no formgrader for students
    pages[right].goto(f"{hub.url}/user/{right}/lab")

    as_user(instructor, hub.venv / "bin" / "optgrade", "release", "--course", hub.course)
    assert (hub.exchange / COURSE_ID / "outbound" / "workbook" / "05_adam.ipynb").is_file()

    checks = {}
    for name, code in ((right, RIGHT), (wrong, SWAPPED)):
        with screenshot_on_failure(pages[name], SHOTS, f"hub-{name}-work"):
            checks[name] = _fetch_and_work(pages[name], hub, name, code)
    assert "FAIL" not in checks[right] and "Visible checks passed" in checks[right]
    assert "FAIL" in checks[wrong]

    nbgrader = hub.venv / "bin" / "nbgrader"
    as_user(instructor, nbgrader, "collect", "workbook", cwd=hub.course)
    as_user(instructor, hub.venv / "bin" / "optgrade", "autograde", "--course", hub.course)
    as_user(instructor, nbgrader, "release_feedback", "workbook", cwd=hub.course)

    grades = _grades(hub.course)
    assert sorted(grades) == sorted(hub.students)
    assert float(grades[right]["score"]) == _autograded_points(hub.course)  # every automatic point
    assert float(grades[wrong]["score"]) < float(grades[right]["score"])
    for name in hub.students:
        with screenshot_on_failure(pages[name], SHOTS, f"hub-{name}-feedback"):
            shown = _feedback_page(pages[name])
        row = grades[name]
        assert f"05_adam (Score: {row['score']} / {row['max_score']})" in shown
        assert (MISTAKE in shown) == (name == wrong)


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def _owner(path):
    return pwd.getpwuid(path.stat().st_uid).pw_name


@pytest.mark.slow
def test_a_student_cannot_reach_the_other_students_work(hub, pages):
    instructor, (first, second) = hub.instructor, hub.students
    course = hub.exchange / COURSE_ID
    assert _mode(hub.exchange) == 0o777
    assert (_mode(course / "outbound"), _owner(course / "outbound")) == (0o755, instructor)
    assert (_mode(course / "inbound"), _owner(course / "inbound")) == (0o2733, instructor)  # write, never list
    assert (_mode(course / "feedback"), _owner(course / "feedback")) == (0o711, instructor)  # by hash only
    submissions = sorted((course / "inbound").iterdir())
    assert sorted(_owner(path) for path in submissions) == sorted(hub.students)
    assert all(path.name.startswith(f"{_owner(path)}+workbook+") for path in submissions)
    for name in hub.students:
        assert _mode(Path("/home") / name) == 0o700

    for name, other in ((first, second), (second, first)):
        for folder in (course / "inbound", course / "feedback", Path("/home") / other):
            listed = as_user(name, "ls", folder, check=False)
            assert listed.returncode != 0 and "Permission denied" in listed.stderr, (name, folder)
        assert as_user(name, "cat", Path("/home") / other / "workbook/utils/adam.py", check=False).returncode != 0
        page = pages[name]
        for path in ("lab", "files/workbook/utils/adam.py", "api/contents/workbook/utils"):
            answer = page.goto(f"{hub.url}/user/{other}/{path}")
            assert answer.status == 403, (name, path, answer.status)
            assert "update_parameters_with_adam" not in page.content()
        outside = page.request.get(f"{hub.url}/user/{name}/api/contents/..%2F{other}%2Fworkbook")
        assert outside.status in (400, 403, 404), outside.status
        page.goto(f"{hub.url}/user/{name}/lab")
        page.locator("#jp-main-dock-panel").wait_for(timeout=120_000)
        panel = assignment_list(page)
        panel.locator("#submitted_assignments_list button", has_text="Fetch Feedback").wait_for()
        assert other not in panel.inner_text()
        feedback = (Path("/home") / name / "workbook" / "feedback").rglob("*.html")
        feedback = [path for path in feedback if ".ipynb_checkpoints" not in path.parts]  # JupyterLab's own copy
        assert [path.name for path in feedback] == ["05_adam.html"]  # their own, one submission, nothing else


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
