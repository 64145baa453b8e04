"""Who uses the hub, and whether the machine lets each of them reach what their single-user server needs.

The users file has one ``NAME ROLE`` pair a line (``#`` starts a comment), ROLE ``instructor`` or ``student``,
exactly one instructor; every NAME is a local Unix account, because JupyterHub's LocalProcessSpawner starts each
user's server as that account.
"""

import pwd
import stat
from pathlib import Path

from ..course.layout import GradingError

ROLES = ("instructor", "student")


def read(path):
    """(instructor, [students]) from the users file at path; GradingError names the line that is wrong."""
    instructor, students = None, []
    for number, line in enumerate(Path(path).read_text().splitlines(), 1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        if len(fields) != 2 or fields[1] not in ROLES:
            raise GradingError(f"{path}:{number}: write `NAME instructor` or `NAME student`, not {line.strip()!r}")
        name, role = fields
        try:
            pwd.getpwnam(name)
        except KeyError:
            message = f"{path}:{number}: {name!r} is not a Unix account on this machine (useradd -m it)"
            raise GradingError(message) from None
        if role == "instructor":
            if instructor is not None:
                raise GradingError(f"{path}:{number}: a second instructor ({name}); the course has one grader")
            instructor = name
        else:
            students.append(name)
    if instructor is None:
        raise GradingError(f"{path}: no `NAME instructor` line: the course needs its grader")
    return instructor, students


def blocked(path):
    """The first folder on the way to path (path included) that other users cannot enter or read, else None."""
    path = Path(path).resolve()
    for folder in [*reversed(path.parents), path]:
        mode = folder.stat().st_mode
        needed = stat.S_IXOTH | (stat.S_IROTH if folder == path else 0)
        if mode & needed != needed:
            return folder
    return None


def check_reachable(paths):
    """GradingError if a user's server could not start: each of paths must be readable by every account."""
    for path in paths:
        folder = blocked(path)
        if folder is not None:
            mode = stat.S_IMODE(folder.stat().st_mode)
            raise GradingError(
                f"{folder} is mode {mode:04o}: the hub starts each user's server as that user, who cannot reach "
                f"{path}; put the checkout and its .venv where every account can read them (a clone under /tmp, "
                "/opt or /srv, not under a 0700 home) or `chmod o+rx` the folders on the way"
            )


def check_private_homes(students):
    """GradingError if a student's home can be read by other accounts (their work would be open to the others)."""
    for name in students:
        home = Path(pwd.getpwnam(name).pw_dir)
        mode = stat.S_IMODE(home.stat().st_mode)
        if mode & 0o077:
            raise GradingError(
                f"{name}'s home {home} is mode {mode:04o}: other students could read their work there; "
                f"`chmod 0700 {home}` (useradd -m -K HOME_MODE=0700 makes new homes so)"
            )


def readable_by_others(path):
    """Whether every account on the machine can read path (and reach it)."""
    return Path(path).exists() and blocked(path) is None


def secrets_warnings(root):
    """A warning for each of the checkout's solutions/ and optgrade/hidden/ that every account can read.

    On one machine each student is a Unix account: unless those folders are closed to them, a student's kernel or
    terminal reads the reference answers and the hidden tests. The hub still starts (the instructor decides).
    """
    return [
        f"warning: {secret} ({what}) can be read by every account on this machine, students included: "
        f"`chown -R INSTRUCTOR {root}` and `chmod o-rwx {secret}` (see docs/deployment.md, 'A hub on one machine')"
        for secret, what in (
            (root / "solutions", "the reference answers"),
            (root / "optgrade" / "hidden", "the hidden tests"),
        )
        if readable_by_others(secret)
    ]
