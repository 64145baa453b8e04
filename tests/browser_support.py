"""What the browser tests share: Debian's chromium under Playwright, a free local port, a screenshot on failure."""

import contextlib
import socket

CHROMIUM = "/usr/bin/chromium"
# Playwright cannot download its own browser here; these flags keep Debian's chromium off the closed network.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


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
