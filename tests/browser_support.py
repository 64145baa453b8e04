"""What the browser tests share: Debian's chromium under Playwright, Jupyter servers on 127.0.0.1, page helpers.

Playwright cannot download its own browser here, so it drives Debian's chromium, with flags that keep it off
the closed network. A server is waited for on its /api/status with its token; a failure in a page leaves a
full-page screenshot whose path is in the failure message.
"""

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Limits for a busy 2-core machine (every wait polls, so a quick answer is not delayed): a server's start, a page
# action (Playwright's default for every page of the browser fixture), a cell's run.
STARTUP_SECONDS = 240
ACTION_MS = 120_000
CELL_MS = 300_000


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def accept_kernel_choice(page):
    """Answer JupyterLab's "Select Kernel" dialog as a student would (Select: the kernel it proposes, the one the
    notebook names) whenever it is in the way of an action; the page.

    On a busy machine JupyterLab can ask although the notebook names its kernel; the dialog then took every
    click of the test (a 120 s timeout in CI, its screenshot showing the dialog over the first cell).
    """
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    page.add_locator_handler(dialog, lambda found: found.locator(".jp-Dialog-button.jp-mod-accept").first.click())
    return page


class PatientBrowser:
    """A Playwright browser whose new pages and contexts wait up to ACTION_MS by default (Playwright's is 30 s)."""

    def __init__(self, browser):
        self._browser = browser

    def new_page(self, **options):
        page = self._browser.new_page(**options)
        page.set_default_timeout(ACTION_MS)
        return accept_kernel_choice(page)

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.set_default_timeout(ACTION_MS)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@contextlib.contextmanager
def chromium():
    """Debian's chromium, driven by Playwright (a PatientBrowser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield PatientBrowser(launched)
        launched.close()


@contextlib.contextmanager
def running(command, log_path, token, port, what, **popen):
    """Start a Jupyter server (its own process group), wait until it answers with the token: its base url.

    The server has JupyterLab workspaces of its own (next to its log), so no other server's open notebooks are
    restored in its pages.
    """
    log = Path(log_path).open("w")
    workspaces = Path(log_path).parent / f"workspaces-{port}"
    popen["env"] = popen.get("env", os.environ) | {"JUPYTERLAB_WORKSPACES_DIR": str(workspaces)}
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **popen)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"{what} did not start; see {log.name}")
                time.sleep(0.5)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


@contextlib.contextmanager
def serve(root):
    """JupyterLab serving the folder root on 127.0.0.1: (base url, token); its log is root/../jupyter.log."""
    port, token = free_port(), secrets.token_hex(16)
    command = [
        str(Path(sys.executable).parent / "jupyter"),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--KernelManager.transport=ipc",  # no TCP ports another test process's kernel could take (local_kernel)
    ] + (["--allow-root"] if os.geteuid() == 0 else [])
    with running(command, root.parent / "jupyter.log", token, port, "JupyterLab", cwd=root) as url:
        yield url, token


@contextlib.contextmanager
def screenshot_on_failure(page, folder, name):
    """Re-raise a failure with the path of a full-page screenshot taken at that moment."""
    try:
        yield
    except Exception as error:
        folder.mkdir(parents=True, exist_ok=True)
        shot = folder / f"{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        raise AssertionError(f"{error}\n(screenshot: {shot})") from error


def put(url, token, path, text):
    """Write a text file through the server's contents API, as JupyterLab's editor saves one."""
    body = json.dumps({"type": "file", "format": "text", "content": text}).encode()
    request = urllib.request.Request(
        f"{url}/api/contents/{path}", data=body, method="PUT", headers={"Authorization": f"token {token}"}
    )
    urllib.request.urlopen(request, timeout=10).read()


def run_cell(page, text):
    """Select the code cell whose source contains text, run it, wait for it to finish; its output text.

    A busy machine can drop the key press (the prompt stays as it was): press again after 30 s, up to three times.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    cell = page.locator(".jp-CodeCell", has=page.locator(".jp-InputArea", has_text=text)).first
    prompt = cell.locator(".jp-InputPrompt")
    before = prompt.inner_text()
    for attempt in range(3):
        prompt.click()
        page.keyboard.press("Escape")
        page.keyboard.press("Control+Enter")
        try:
            page.wait_for_function(
                "([el, before]) => el.textContent !== before", arg=[prompt.element_handle(), before], timeout=30_000
            )
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    page.wait_for_function(
        "([el, before]) => /\\[\\d+\\]/.test(el.textContent) && el.textContent !== before",
        arg=[prompt.element_handle(), before],
        timeout=CELL_MS,
    )
    return cell.locator(".jp-OutputArea").inner_text()


# ---------------------------------------------------------------------------------------------------
# student copies in JupyterLab (test_first_hour and the other workbook pages): open a notebook, Run All, read


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a folder of student copies: (base url, token, folder)."""
    root = tmp_path_factory.mktemp("lab") / "copies"
    root.mkdir()
    with serve(root) as (url, token):
        yield url, token, root


def open_notebook(browser, lab, copy, notebook):
    url, token, _ = lab
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    workspace = f"{copy}-{notebook[:2]}-{time.monotonic_ns()}"  # a fresh layout: only this notebook open
    page.goto(f"{url}/lab/workspaces/{workspace}/tree/{copy}/{notebook}?token={token}")
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=240_000)
    _wait_for_connected_kernel(lab, f"{copy}/{notebook}")
    return page


def _wait_for_connected_kernel(lab, path, seconds=240):
    """Wait until the server says the notebook's kernel is idle and the page's websocket is connected to it.

    The indicator above can say idle before that on a loaded machine; a cell run meanwhile stayed at [*] for
    300 s once in CI (slider screens of 03, the first cell of the page).
    """
    url, token, _ = lab
    deadline, kernel = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        request = urllib.request.Request(f"{url}/api/sessions", headers={"Authorization": f"token {token}"})
        sessions = json.loads(urllib.request.urlopen(request, timeout=10).read())
        kernel = next((session["kernel"] for session in sessions if session.get("path") == path), None)
        if kernel and kernel.get("execution_state") == "idle" and kernel.get("connections", 0) >= 1:
            return
        time.sleep(0.5)
    raise AssertionError(f"{path}: no connected idle kernel after {seconds} s (last seen: {kernel})")


def _accept_dialogs(page):
    """Accept any dialog JupyterLab shows (a busy machine can get a kernel dialog); their texts.

    In the page's own script, not through Playwright's actions: an action would first let ``accept_kernel_choice``
    answer a Select Kernel dialog, and then wait for the dialog it was acting on, gone by then.
    """
    return page.evaluate(
        """() => [...document.querySelectorAll('.jp-Dialog')].map(dialog => {
            const text = dialog.innerText;
            dialog.querySelector('.jp-Dialog-button.jp-mod-accept')?.click();
            return text;
        })"""
    )


def _saved(lab, path):
    url, token, _ = lab
    request = urllib.request.Request(f"{url}/api/contents/{path}", headers={"Authorization": f"token {token}"})
    return json.loads(urllib.request.urlopen(request, timeout=10).read())["content"]


def _menu_run_all(page):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def run_all(page, lab, path, timeout=600):
    """Run > Run All Cells, wait until every code cell has run and the kernel is idle; the saved notebook."""
    _accept_dialogs(page)
    _menu_run_all(page)
    clicked = time.monotonic()
    deadline = clicked + timeout
    while time.monotonic() < deadline:
        time.sleep(2)
        if _accept_dialogs(page) or page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").count() == 0:
            continue
        page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
        page.keyboard.press("Escape")
        page.keyboard.press("Control+s")
        time.sleep(1)
        notebook = _saved(lab, path)
        code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
        if all(cell["execution_count"] is not None for cell in code):
            return notebook
        if all(cell["execution_count"] is None for cell in code) and time.monotonic() - clicked > 15:
            _menu_run_all(page)  # the menu click was lost (a busy machine): nothing has run at all
            clicked = time.monotonic()
    raise AssertionError(f"Run All did not reach the end of {path} in {timeout} s")


def output_texts(notebook):
    """(index, output text) of every output of every code cell, errors as their traceback."""
    for index, cell in enumerate(notebook["cells"]):
        for output in cell.get("outputs", []):
            if output["output_type"] == "error":
                yield index, "\n".join(output["traceback"]) or "Traceback"
            else:
                text = output.get("text") or output.get("data", {}).get("text/plain", "")
                yield index, "".join(text) if isinstance(text, list) else text


def traceback_cells(notebook):
    """Indices of the cells that show a traceback, an error or anything on stderr."""
    shown = {index for index, text in output_texts(notebook) if "Traceback" in text}
    shown |= {
        index
        for index, cell in enumerate(notebook["cells"])
        for output in cell.get("outputs", [])
        if output["output_type"] == "error" or output.get("name") == "stderr"
    }
    return sorted(shown)
