"""A real JupyterHub on this machine for the lifecycle test: Unix accounts, a reachable venv, the hub, logins.

``course_hub()`` creates one instructor and two students (``useradd -m``, homes 0700, removed afterwards),
builds notebook 05 into a course in the instructor's home with an exchange under a fresh /tmp folder, starts
``optgrade hub`` as root (the test-only shared password), and stops and removes everything at the end.

The users' servers run as those accounts, so the Python they run must be readable by them. A venv made from a
pyenv Python under /root (0700) is not: then a venv is made from Debian's /usr/bin/python3 with
``pip install -e '.[hub]'`` (about a minute); ``OPTGRADE_HUB_VENV=DIR`` names one made so before.
"""

import contextlib
import dataclasses
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from browser_support import free_port

from optgrade.hub.users import blocked

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PYTHON = "/usr/bin/python3"


@dataclasses.dataclass
class Hub:
    url: str
    password: str
    instructor: str
    students: list
    course: Path
    exchange: Path
    venv: Path
    log: Path


def as_user(name, *command, cwd=None, check=True):
    """Run command as the Unix account name (runuser, a login-less shell); the completed process."""
    done = subprocess.run(
        ["runuser", "-u", name, "--", *map(str, command)], cwd=cwd, capture_output=True, text=True, check=False
    )
    if check and done.returncode != 0:
        pytest.fail(f"{' '.join(map(str, command))} as {name} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done


@contextlib.contextmanager
def reachable_venv():
    """A venv with this checkout installed that every account can run: this one, OPTGRADE_HUB_VENV, or a new one."""
    if blocked(Path(sys.executable).resolve()) is None and blocked(sys.base_prefix) is None:
        yield Path(sys.prefix)
        return
    if os.environ.get("OPTGRADE_HUB_VENV"):
        yield Path(os.environ["OPTGRADE_HUB_VENV"])
        return
    if not Path(SYSTEM_PYTHON).exists():
        pytest.fail(f"{sys.executable} is not readable by other accounts and there is no {SYSTEM_PYTHON} to make one")
    folder = Path(tempfile.mkdtemp(prefix="optgrade-hub-venv-"))
    folder.chmod(0o755)
    try:
        for command in (
            [SYSTEM_PYTHON, "-m", "venv", folder / "venv"],
            [folder / "venv/bin/pip", "install", "-q", "-e", f"{ROOT}[hub]"],
        ):
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                pytest.fail(f"{' '.join(map(str, command))} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        yield folder / "venv"
    finally:
        shutil.rmtree(folder)


@contextlib.contextmanager
def unix_users(*roles):
    """One new account per role name ('i', 'a', 'b'): {role: name}; each removed with its home and processes."""
    tag = secrets.token_hex(3)
    names = {role: f"ogh{tag}{role}" for role in roles}
    try:
        for name in names.values():
            subprocess.run(["useradd", "-m", "-K", "HOME_MODE=0700", "-s", "/bin/sh", name], check=True)
        yield names
    finally:
        for name in names.values():
            left = subprocess.run(["pgrep", "-u", name], capture_output=True, text=True).stdout.split()
            for pid in left:  # a kernel or server the hub did not stop: only these accounts' own processes
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(pid), signal.SIGKILL)
            subprocess.run(["userdel", "-r", name], capture_output=True, check=False)


def _wait_for(url, process, log, seconds=90):
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail(f"the hub did not start; see {log}:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)


@contextlib.contextmanager
def course_hub():
    """The whole set-up above: a Hub; the hub's log is Hub.log (kept in the failure message of a failed start)."""
    with reachable_venv() as venv, unix_users("i", "a", "b") as names:
        work = Path(tempfile.mkdtemp(prefix="optgrade-hub-"))
        work.chmod(0o755)
        instructor, students = names["i"], [names["a"], names["b"]]
        course = Path("/home") / instructor / "course"
        exchange = work / "exchange"
        optgrade = venv / "bin" / "optgrade"
        as_user(instructor, optgrade, "build", "--course", course, "--exchange", exchange, "05")
        users = work / "users"
        users.write_text(f"{instructor} instructor\n" + "".join(f"{name} student\n" for name in students))
        password = secrets.token_urlsafe(12)
        password_file = work / "password"
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
        port, log = free_port(), work / "hub.log"
        command = [optgrade, "hub", "--course", course, "--port", port, "--users-file", users]
        command += ["--state", work / "state", "--dummy-password-file", password_file]
        with log.open("w") as stream:
            process = subprocess.Popen(
                list(map(str, command)), cwd=work, stdout=stream, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_for(f"{url}/hub/api", process, log)
            yield Hub(url, password, instructor, students, course, exchange, venv, log)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)  # the hub stops the users' servers and its proxy
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            shutil.rmtree(work)


def login(browser, hub, name):
    """A browser context of its own for name, logged in through the hub's login page, JupyterLab loaded: the page."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{name}/lab**", timeout=240_000)  # the hub spawns the server first
    page.locator("#jp-main-dock-panel").wait_for(timeout=120_000)
    return page


def assignment_list(page):
    """Open Nbgrader > Assignment List (the menu again if a busy machine lost the click): its panel."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    panel = page.locator("#nbgrader-assignment-list")
    for attempt in range(3):
        page.get_by_text("Nbgrader", exact=True).click()
        page.locator(".lm-Menu").get_by_text("Assignment List", exact=True).click()
        try:
            panel.wait_for(timeout=20_000)
            return panel
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    return panel


def click_until(page, button, appears, attempts=3):
    """Click button until the locator appears shows up (a lost click on a busy machine is clicked again)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        button.click()
        try:
            appears.wait_for(timeout=60_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def edit_in_editor(page, hub, name, path, text):
    """Open path (relative to the home) in JupyterLab's file editor, replace its text with text, save."""
    page.goto(f"{hub.url}/user/{name}/lab/tree/{path}")
    editor = page.locator(".jp-FileEditor .cm-content")
    editor.wait_for(timeout=120_000)
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)
    page.keyboard.press("Control+s")
    page.locator(".jp-mod-dirty").wait_for(state="detached", timeout=30_000)
