"""A real JupyterHub on this machine for the lifecycle test: Unix accounts, a reachable venv, the hub, logins.

``course_hub(steps)`` creates one instructor and two students (``useradd -m``, homes 0700), builds notebook 05
into a course in the instructor's home with an exchange under a fresh /tmp folder, starts ``optgrade hub`` as
root (the test-only shared password), and at the end, failed or not (SIGTERM included), stops the hub, its
proxy and the users' servers and removes the accounts and their homes; the hub's log is kept in KEPT_LOG.

The users' servers run as those accounts, so the Python they run and the checkout optgrade reads (solutions/,
notebooks/, utils/) must be readable by them. A venv made from a pyenv Python under /root (0700), or a checkout
cloned into a 0700 folder, is not: then the checkout is copied (without .git and .venv) into a fresh /tmp folder
every account can read, and a venv is made there from Debian's /usr/bin/python3, sharing this venv's packages as
hard links with its editable install pointed at the copy (seconds), or with ``pip install -e 'COPY[hub]'`` (about
a minute) when it cannot; ``OPTGRADE_HUB_VENV=DIR`` names one made before.

Every wait polls a condition up to a limit made for a busy 2-core machine; ``Steps`` times the steps and a
failure names the step that stalled.
"""

import contextlib
import dataclasses
import os
import pwd
import re
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from browser_support import free_port
from hermetic_support import without_user_folders

from optgrade.hub.users import blocked

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PYTHON = "/usr/bin/python3"
GRADING_TIMEOUT = 120
AS_USER_SECONDS = 900  # an instructor's command (optgrade autograde of the class) on a busy 2-core machine
KEPT_LOG = ROOT / "build" / "hub-lifecycle" / "hub.log"  # the last run's hub log (the users' servers log there too)


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
    checkout: Path  # the checkout the hub's optgrade runs from (ROOT, or the copy reachable_venv made)


def as_user(name, *command, cwd=None, check=True, seconds=AS_USER_SECONDS):
    """Run command as the Unix account name (runuser, a login-less shell) in cwd, by default its home (as a login
    would: the checkout may be in a folder the account cannot enter), without the run's folders for root's
    Jupyter, matplotlib and caches (the account has its own home); the completed process. Fails after seconds."""
    try:
        done = subprocess.run(
            ["runuser", "-u", name, "--", *map(str, command)],
            cwd=cwd or pwd.getpwnam(name).pw_dir,
            capture_output=True,
            text=True,
            check=False,
            env=without_user_folders(os.environ),
            timeout=seconds,
        )
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"{' '.join(map(str, command))} as {name} still running after {seconds} s:\n{error.stdout}")
    if check and done.returncode != 0:
        pytest.fail(f"{' '.join(map(str, command))} as {name} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done


@contextlib.contextmanager
def reachable_venv():
    """A venv with this checkout installed that every account can run: this one, OPTGRADE_HUB_VENV, or a new one
    with a copy of the checkout."""
    readable = (Path(sys.executable).resolve(), sys.base_prefix, ROOT / "optgrade" / "__init__.py")
    if all(blocked(path) is None for path in readable):
        yield Path(sys.prefix)
        return
    if os.environ.get("OPTGRADE_HUB_VENV"):
        yield Path(os.environ["OPTGRADE_HUB_VENV"])
        return
    if not Path(SYSTEM_PYTHON).exists():
        pytest.fail(f"{sys.executable} is not readable by other accounts and there is no {SYSTEM_PYTHON} to make one")
    folder = Path(tempfile.mkdtemp(prefix="optgrade-hub-venv-"))
    folder.chmod(0o755)
    venv, checkout = folder / "venv", folder / "checkout"
    try:
        shutil.copytree(ROOT, checkout, ignore=_not_copied)
        _run_or_fail([SYSTEM_PYTHON, "-m", "venv", "--without-pip", venv])
        if _share_this_venv(venv):
            _point_editable_install(venv, checkout)
        else:
            _run_or_fail([venv / "bin/python", "-m", "ensurepip"])
            _run_or_fail([venv / "bin/python", "-m", "pip", "install", "-q", "-e", f"{checkout}[hub]"])
        yield venv
    finally:
        shutil.rmtree(folder)


def _checkout_of(venv):
    """The checkout whose optgrade venv's Python imports (the one the hub checks and warns about)."""
    asked = [venv / "bin" / "python", "-c", "from optgrade.exercises import ROOT; print(ROOT)"]
    done = subprocess.run(asked, capture_output=True, text=True, check=True, cwd=venv)  # not this checkout by cwd
    return Path(done.stdout.strip())


NOT_COPIED_AT_TOP = {".git", ".venv", "build", "course", "course-demo", "workbook"}  # the checkout's own or made
NOT_COPIED = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".ruff_cache", ".hypothesis"}


def _not_copied(folder, names):
    """copytree's ignore: what the copy of the checkout leaves out (.gitignore's entries, .git and the venv)."""
    top = Path(folder) == ROOT
    return {
        name
        for name in names
        if name in NOT_COPIED or name.endswith(".egg-info") or (top and name in NOT_COPIED_AT_TOP)
    }


def _point_editable_install(venv, checkout):
    """Point the editable install of the checkout that venv shares with this venv (a .pth and setuptools' finder
    naming ROOT) at checkout instead. The shared files are hard links: each is replaced, never written in place."""
    relative = Path("lib") / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    pointing = [
        path
        for path in (venv / relative).iterdir()
        if path.suffix == ".pth" or (path.name.startswith("__editable__") and path.suffix == ".py")
        if str(ROOT) in path.read_text(errors="replace")
    ]
    if not pointing:
        pytest.fail(f"{sys.prefix} has no editable install of {ROOT} (pip install -e '.[test]' makes one)")
    for path in pointing:
        text = path.read_text().replace(str(ROOT), str(checkout))
        path.unlink()
        path.write_text(text)
    shutil.rmtree(venv / relative / "__pycache__", ignore_errors=True)  # compiled from the old finder


def _run_or_fail(command):
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(map(str, command))} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


def _share_this_venv(venv):
    """Give venv (made from SYSTEM_PYTHON) this venv's packages, as hard links: whether it could (seconds).

    It can when both Pythons are the same X.Y (the compiled packages fit both), this venv's site-packages is open
    to every account by its own mode (the folders above it need not be: a hard link does not pass them) and on the
    same filesystem. A copy, not a .pth pointing here: the grading sandbox binds only
    the Python prefixes. bin/'s scripts are rewritten to start venv's python; a package whose Requires-Python
    excludes SYSTEM_PYTHON's X.Y.Z (soupsieve 4.1 needs 3.11.5, Debian 12 has 3.11.2) is installed again by pip,
    in the version pip picks for it. Without that copy pip installs everything (about a minute).
    """
    from importlib import metadata

    from packaging.specifiers import SpecifierSet

    version = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import platform; print(platform.python_version())"], capture_output=True, text=True
    ).stdout.strip()
    relative = Path("lib") / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    ours = Path(sys.prefix)
    if not version.startswith(f"{sys.version_info.major}.{sys.version_info.minor}."):
        return False
    open_to_all = stat.S_IROTH | stat.S_IXOTH  # its own mode: a hard link does not pass the folders above it
    if os.stat(ours / relative).st_mode & open_to_all != open_to_all or os.stat(ours).st_dev != os.stat(venv).st_dev:
        return False
    shutil.rmtree(venv / relative)
    for part in (relative, Path("share"), Path("etc")):
        if (ours / part).exists():
            _run_or_fail(["cp", "-al", ours / part, venv / part])
    ours_python, venv_python = (str(prefix / "bin" / "python").encode() for prefix in (ours, venv))
    for script in (ours / "bin").iterdir():
        target = venv / "bin" / script.name
        if script.is_symlink() or target.exists() or not script.is_file():
            continue  # python, python3...: venv's own
        with script.open("rb") as stream:
            first = stream.readline()
        if first.startswith(b"#!" + ours_python):
            target.write_bytes(b"#!" + venv_python + b"\n" + script.read_bytes()[len(first) :])
            target.chmod(0o755)
    misfits = sorted(  # .get: a package without Requires-Python raises KeyError in newer importlib_metadata
        dist.metadata["Name"]
        for dist in metadata.distributions(path=[str(ours / relative)])
        if dist.metadata.get("Requires-Python") and version not in SpecifierSet(dist.metadata.get("Requires-Python"))
    )
    if misfits:  # pip came with the copy
        _run_or_fail([venv / "bin/python", "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", *misfits])
    return True


@contextlib.contextmanager
def unix_users(*roles, steps=None):
    """One new account per role name ('i', 'a', 'b'): {role: name}; each removed with its home and processes.

    Removal fails the test (after trying every account) if an account or its home is left behind.
    """
    tag = secrets.token_hex(3)
    names = {role: f"ogh{tag}{role}" for role in roles}
    try:
        for name in names.values():
            subprocess.run(["useradd", "-m", "-K", "HOME_MODE=0700", "-s", "/bin/sh", name], check=True)
        yield names
    finally:
        start = time.monotonic()
        left = [problem for name in names.values() if (problem := _remove_user(name))]
        if steps is not None:
            steps.done.append(("remove the accounts", time.monotonic() - start))
        if left:
            pytest.fail("the test's accounts were not all removed:\n" + "\n".join(left))


def _remove_user(name):
    """Kill what still runs as name (a kernel or server the hub did not stop), then userdel -r: a problem or None."""
    try:
        home = Path(pwd.getpwnam(name).pw_dir)
    except KeyError:
        return None  # never created
    deadline = time.monotonic() + 30
    while True:
        left = subprocess.run(["pgrep", "-u", name], capture_output=True, text=True).stdout.split()
        if not left:
            break
        for pid in left:  # only this account's own processes
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
        if time.monotonic() > deadline:
            break  # userdel -f below removes the account even so
        time.sleep(0.2)
    done = subprocess.run(["userdel", "-r", "-f", name], capture_output=True, text=True, check=False)
    if done.returncode not in (0, 12):  # 12: the home could not be removed, handled below
        return f"userdel -r -f {name} failed ({done.returncode}): {done.stderr.strip()}"
    shutil.rmtree(home, ignore_errors=True)
    with contextlib.suppress(KeyError):
        pwd.getpwnam(name)
        return f"{name} is still in /etc/passwd"
    if home.exists():
        return f"{home} is still there"
    return None


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
def course_hub(steps):
    """The whole set-up above, each part timed in steps (a Steps): a Hub; the hub's log is Hub.log (in the
    failure message of a failed start, and copied to KEPT_LOG at the end).

    Everything it started is stopped and removed at the end, a failed test or a SIGTERM (CI cancelling the run)
    included: the hub and the users' servers, the proxy (a session of its own), the accounts and their homes.
    """
    with contextlib.ExitStack() as stack:
        stack.enter_context(_sigterm_interrupts())
        with steps("a venv every account can run"):
            venv = stack.enter_context(reachable_venv())
        names = stack.enter_context(unix_users("i", "a", "b", steps=steps))
        work = Path(tempfile.mkdtemp(prefix="optgrade-hub-"))
        work.chmod(0o755)
        process = None
        try:
            instructor, students = names["i"], [names["a"], names["b"]]
            course = Path("/home") / instructor / "course"
            exchange = work / "exchange"
            optgrade = venv / "bin" / "optgrade"
            with steps("optgrade build (as the instructor)"):
                # a hidden test's time limit (20 s by default, wall time) for a busy 2-core machine
                build = [optgrade, "build", "--course", course, "--exchange", exchange, "--timeout", GRADING_TIMEOUT]
                as_user(instructor, *build, "05")
            users = work / "users"
            users.write_text(f"{instructor} instructor\n" + "".join(f"{name} student\n" for name in students))
            password = secrets.token_urlsafe(12)
            password_file = work / "password"
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
            port, log = free_port(), work / "hub.log"
            command = [optgrade, "hub", "--course", course, "--port", port, "--users-file", users]
            command += ["--state", work / "state", "--dummy-password-file", password_file]
            with steps("optgrade hub starts"):
                with log.open("w") as stream:
                    process = subprocess.Popen(
                        list(map(str, command)),
                        cwd=work,
                        stdout=stream,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                url = f"http://127.0.0.1:{port}"
                _wait_for(f"{url}/hub/api", process, log)
            checkout = _checkout_of(venv)
            yield Hub(url, password, instructor, students, course, exchange, venv, log, checkout)
        finally:
            start = time.monotonic()
            if process is not None:
                _stop_hub(process, work / "state" / "hub" / "proxy.pid")
                steps.done.append(("stop the hub, its proxy and the servers", time.monotonic() - start))
            if (work / "hub.log").exists():  # the hub's and the users' servers' log, kept for a failure
                KEPT_LOG.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(work / "hub.log", KEPT_LOG)
            shutil.rmtree(work)


@contextlib.contextmanager
def _sigterm_interrupts():
    """SIGTERM raises KeyboardInterrupt meanwhile, so that pytest still tears the hub and the accounts down."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop_hub(process, proxy_pid_file):
    """SIGTERM the hub (it stops the users' servers and its proxy), SIGKILL after a minute; then the proxy if left."""
    proxy = int(proxy_pid_file.read_text()) if proxy_pid_file.is_file() else None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if proxy is not None and "configurable-http-proxy" in _command_line(proxy):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proxy, signal.SIGKILL)  # its own session, started by this hub: a killed hub leaves it


def _command_line(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class Steps:
    """The test's steps, timed: ``with steps("ann fetches"):`` names the step that stalled in a failure's message.

    Each wait inside a step polls its condition (a locator, a file) up to a generous limit; the limits are for
    a busy 2-core machine, and a step that goes over them fails with its name, its time and the steps before.
    """

    def __init__(self):
        self.done = []  # (name, seconds)

    @contextlib.contextmanager
    def __call__(self, name):
        start = time.monotonic()
        try:
            yield
        except Exception as error:
            spent = time.monotonic() - start
            raise AssertionError(
                f"step {name!r} failed after {spent:.0f} s ({self}; the hub's log: {KEPT_LOG}):\n{error}"
            ) from error
        self.done.append((name, time.monotonic() - start))

    def __str__(self):
        return "steps done: " + (", ".join(f"{name} {spent:.0f} s" for name, spent in self.done) or "none")


def wait_until(condition, seconds, what, every=0.5):
    """Poll condition() until it is true: its value; fails naming what (a text, or a function giving it, called
    then) if it is still false after seconds."""
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"{what() if callable(what) else what}: still not so after {seconds} s")
        time.sleep(every)
    return value


def login(browser, hub, name):
    """A browser context of its own for name, through the hub's login page: the page (JupyterLab still loading)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    return page


def lab_loaded(page, name):
    """Wait until name's JupyterLab has loaded in page (the hub spawns the server first: up to 4 minutes)."""
    page.wait_for_url(f"**/user/{name}/lab**", timeout=240_000)
    page.locator("#jp-main-dock-panel").wait_for(timeout=120_000)


def assignment_list(page):
    """Open Nbgrader > Assignment List (the menu again if a busy machine lost the click): its panel, lists loaded."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    panel = page.locator("#nbgrader-assignment-list")
    for attempt in range(3):
        page.get_by_text("Nbgrader", exact=True).click()
        page.locator(".lm-Menu").get_by_text("Assignment List", exact=True).click()
        try:
            panel.wait_for(timeout=30_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    for which in ("released", "fetched", "submitted"):  # "Loading, please wait..." until the server answers
        panel.locator(f"#{which}_assignments_list_loading").wait_for(state="hidden", timeout=120_000)
    error = panel.locator(".list_error:visible")
    if error.count():
        pytest.fail(f"the Assignment List shows an error: {error.first.inner_text()}")
    return panel


def click_until(page, button, appears, happened, what, seconds=180, again_after=60):
    """Click button until appears shows: button is clicked again only if happened() (the action's trace on disk)
    is still false again_after seconds after a click (a click a busy machine lost), so an action is never repeated.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline, clicked, clicks = time.monotonic() + seconds, None, 0
    while True:
        if appears.count() and appears.first.is_visible():
            return
        now = time.monotonic()
        if now > deadline:
            state = "it happened on disk" if happened() else "nothing happened on disk"
            pytest.fail(f"{what}: clicked {clicks} times, {appears} still not shown after {seconds} s ({state})")
        if clicked is None or (now - clicked > again_after and not happened()):
            if button.count() and button.first.is_enabled():
                button.first.click()
                clicked, clicks = time.monotonic(), clicks + 1
        with contextlib.suppress(PlaywrightTimeout):
            appears.first.wait_for(timeout=2_000)


def edit_in_editor(page, hub, name, path, text):
    """Open path (relative to the home) in JupyterLab's file editor, replace its text with text, save it;
    returns once the file on disk holds text."""
    page.goto(f"{hub.url}/user/{name}/lab/tree/{path}")
    editor = page.locator(".jp-FileEditor .cm-content")
    editor.wait_for(timeout=180_000)
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)
    page.keyboard.press("Control+s")
    on_disk = Path("/home") / name / path
    wait_until(lambda: on_disk.read_text() == text, 60, f"{on_disk} saved from the editor")
    page.locator(".jp-mod-dirty").wait_for(state="detached", timeout=60_000)


def answer_kernel_dialog(page):
    """If JupyterLab asks which kernel to start, accept what it proposes (the notebook's Python 3), as a student
    would: it asks when a cell is run before the kernel is up. Any other dialog fails the test with its text."""
    dialog = page.locator(".jp-Dialog")
    if not (dialog.count() and dialog.first.is_visible()):
        return False
    text = dialog.first.inner_text()
    if "Select Kernel" not in text:
        pytest.fail(f"JupyterLab shows a dialog: {text!r}")
    dialog.first.locator("button.jp-mod-accept").click()
    dialog.first.wait_for(state="detached", timeout=30_000)
    return True


def kernel_ready(page, hub, name, path, seconds=240):
    """Wait until the notebook at path (open in page) has its kernel: the server's session for path has an idle
    kernel and the notebook shows it idle (a kernel-choice dialog is answered)."""

    def ready():
        answer_kernel_dialog(page)
        answer = page.request.get(f"{hub.url}/user/{name}/api/sessions")
        if not answer.ok:
            return False
        states = [session["kernel"]["execution_state"] for session in answer.json() if session["path"] == path]
        shown = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
        return states == ["idle"] and shown.count() > 0

    wait_until(ready, seconds, f"the kernel of {path} started and idle in {name}'s JupyterLab", every=1)


def run_cell(page, text, seconds=240):
    """Select the code cell whose source contains text, run it, wait until it has finished: its output text.

    The cell has run when its prompt shows a new [n]. A key press a busy machine lost (the prompt stays as it
    was, never [*]) is pressed again after 20 s, at most three presses; a kernel-choice dialog is answered.
    """
    cell = page.locator(".jp-CodeCell", has=page.locator(".jp-InputArea", has_text=text)).first
    prompt = cell.locator(".jp-InputPrompt")
    before = prompt.inner_text()
    pressed = []

    def finished():
        answer_kernel_dialog(page)
        shown = prompt.inner_text()
        if shown != before and re.fullmatch(r"\[\d+\]:", shown.strip()):
            return True
        if shown == before and len(pressed) < 3 and (not pressed or time.monotonic() - pressed[-1] > 20):
            prompt.click()
            page.keyboard.press("Escape")
            page.keyboard.press("Control+Enter")
            pressed.append(time.monotonic())
        return False

    wait_until(
        finished, seconds, lambda: f"the cell {text!r} run ({len(pressed)} presses, prompt {prompt.inner_text()!r})"
    )
    return cell.locator(".jp-OutputArea").inner_text()
