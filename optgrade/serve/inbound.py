"""The exchange's inbound folder: nbgrader names each submission ``student+assignment+timestamp+random``.

``ExchangeSubmit`` copies the files into that folder first and writes timestamp.txt and
submission_secret.txt after them, then opens the folder to everyone (mode 0777) as its last step: a
folder is *complete* once that has happened, and only complete folders are collected (a half-copied
one is looked at again at the next poll).
"""

import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from nbgrader.utils import parse_utc

from ..course.plugins.exchange import impostor


@dataclass(frozen=True)
class Submission:
    """One folder in inbound: the student, nbgrader's timestamp of it (a UTC datetime), its name."""

    student: str
    assignment: str
    timestamp: object
    name: str


def inbound(exchange, course_id):
    return Path(exchange, course_id, "inbound")


@functools.lru_cache(maxsize=65536)
def parse(name):
    """The Submission a folder name stands for, the way nbgrader's collect reads it (None: not a submission).

    Kept for each name: nbgrader's ``parse_utc`` (dateutil) took 80 % of a look at inbound (24 of 30 ms
    for 300 folders), and the service looks every ``--poll`` seconds.
    """
    parts = name.rsplit("+", 3)  # a student id may hold "+": only the last three are split off, as nbgrader does
    if len(parts) < 3:
        return None
    try:
        return Submission(parts[0], parts[1], parse_utc(parts[2]), name)
    except ValueError:
        return None


def complete(folder):
    """True once ``ExchangeSubmit`` finished writing the folder (its secret written, the folder opened: 0777)."""
    try:
        mode = os.stat(folder).st_mode
    except OSError:
        return False
    return stat.S_IMODE(mode) & 0o777 == 0o777 and (folder / "submission_secret.txt").is_file()


def latest(exchange, course_id, assignment, refused=None):
    """{student: the Submission that counts} (the latest, as nbgrader's collect picks), complete ones only.

    A student whose latest folder is still being written is left out until it is complete: an older
    complete folder never stands in for it, since nbgrader's collect would pick the newest one. A folder
    another account wrote in a student's name (``course.plugins.exchange.impostor``) is skipped, and added to
    ``refused`` as (Submission, owner) if a list is given.
    """
    folder = inbound(exchange, course_id)
    found = {}
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return {}
    for entry in entries:
        submission = parse(entry.name)
        if submission is None or submission.assignment != assignment:
            continue
        owner = impostor(folder / entry.name, submission.student)
        if owner is not None:
            if refused is not None:
                refused.append((submission, owner))
            continue
        known = found.get(submission.student)
        if known is None or submission.timestamp > known.timestamp:
            found[submission.student] = submission
    return {student: sub for student, sub in found.items() if complete(folder / sub.name)}
