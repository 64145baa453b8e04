"""The machine's processes read from /proc, for the tests that check a run leaves none of its processes behind."""

import os
from pathlib import Path
from typing import NamedTuple

STOP_SECONDS = 2.0  # a signalled command stops within this on an idle machine (issue 23)


class Process(NamedTuple):
    pid: int
    name: str  # the executable's name as the kernel keeps it ("python3.11")
    state: str  # "Z": exited, not yet reaped (not alive)
    group: int  # process group
    session: int
    cmdline: str


def processes():
    """Every process there is now (one that ends while it is read is left out)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        state, _, group, session = stat[stat.rindex(")") + 2 :].split()[:4]
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        yield Process(int(entry.name), name, state, int(group), int(session), cmdline)


def alive():
    """The processes there are now that have not exited."""
    return [process for process in processes() if process.state != "Z"]


def stop_limit():
    """STOP_SECONDS scaled by the load: on a loaded machine (this suite shares 2 cores) a run gets a share of a core."""
    return STOP_SECONDS * max(1.0, os.getloadavg()[0] / os.cpu_count())
