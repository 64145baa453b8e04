"""A student cannot submit in another student's name: inbound folders are believed only from their owner.

nbgrader's inbound is writable by everyone (mode 2733), and its collect believes a folder's name. With
students as local Unix accounts, one could create ``<other>+workbook+...`` and be graded as the other
(or hide their work behind a newer folder). These tests use two system accounts as the students
("daemon" and "nobody"; CI runs as root, so it can chown).
"""

import os
import pwd
import sys
from pathlib import Path

import pytest
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from optgrade.course.plugins.exchange import OwnerCheckedCollect, impostor
from optgrade.serve import inbound

VICTIM, ATTACKER = "daemon", "nobody"
OLD, NEW = "2026-12-01 10:00:00.000000 UTC", "2026-12-02 10:00:00.000000 UTC"


def _folder(inbound_path, student, timestamp, owner):
    folder = inbound_path / f"{student}+workbook+{timestamp}+x{len(list(inbound_path.iterdir()))}"
    folder.mkdir()
    (folder / "submission_secret.txt").write_text("secret")
    (folder / "timestamp.txt").write_text(timestamp)
    folder.chmod(0o777)
    account = pwd.getpwnam(owner)
    os.chown(folder, account.pw_uid, account.pw_gid)
    return folder


@pytest.fixture
def exchange(tmp_path):
    path = tmp_path / "exchange" / "optimization-workbook" / "inbound"
    path.mkdir(parents=True)
    return tmp_path / "exchange"


def test_a_folder_is_an_impostor_only_when_another_account_wrote_it_in_a_local_accounts_name(exchange):
    inbound_path = exchange / "optimization-workbook" / "inbound"
    assert impostor(_folder(inbound_path, VICTIM, OLD, ATTACKER), VICTIM) == ATTACKER
    assert impostor(_folder(inbound_path, VICTIM, OLD, VICTIM), VICTIM) is None
    assert impostor(_folder(inbound_path, VICTIM, OLD, "root"), VICTIM) is None  # the instructor as root
    assert impostor(_folder(inbound_path, "no-such-account", OLD, ATTACKER), "no-such-account") is None


def test_the_service_skips_it_and_the_victims_own_submission_counts(exchange):
    inbound_path = exchange / "optimization-workbook" / "inbound"
    own = _folder(inbound_path, VICTIM, OLD, VICTIM)
    forged = _folder(inbound_path, VICTIM, NEW, ATTACKER)  # newer: would be the one that counts
    refused = []
    latest = inbound.latest(exchange, "optimization-workbook", "workbook", refused)
    assert latest[VICTIM].name == own.name
    assert [(submission.name, owner) for submission, owner in refused] == [(forged.name, ATTACKER)]


def _collect(exchange, tmp_path, **options):
    config = Config()
    config.CourseDirectory.root = str(tmp_path / "course")
    config.CourseDirectory.course_id = "optimization-workbook"
    config.CourseDirectory.db_url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    config.Exchange.root = str(exchange)
    for name, value in options.items():
        setattr(config.OwnerCheckedCollect, name, value)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = "workbook"
    app = OwnerCheckedCollect(coursedir=coursedir, authenticator=Authenticator(config=config), config=config)
    app.init_src()
    return sorted(record["filename"] for record in app.src_records)


def test_nbgraders_collect_in_the_course_takes_the_victims_own_folder(exchange, tmp_path, monkeypatch):
    # nbgrader's Gradebook runs alembic from the venv
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    inbound_path = exchange / "optimization-workbook" / "inbound"
    own = _folder(inbound_path, VICTIM, OLD, VICTIM)
    forged = _folder(inbound_path, VICTIM, NEW, ATTACKER)
    only_forged = _folder(inbound_path, ATTACKER + "x", NEW, ATTACKER)  # no such account: not checked
    assert _collect(exchange, tmp_path) == sorted([own.name, only_forged.name])
    assert _collect(exchange, tmp_path, check_owner=False) == sorted([forged.name, only_forged.name])


def test_the_course_config_makes_it_nbgraders_collect():
    """The course's nbgrader_config.py line, read by nbgrader's own ExchangeFactory, gives this class."""
    from nbgrader.exchange import ExchangeFactory

    from optgrade.course import build

    line = next(line for line in build.CONFIG.splitlines() if line.startswith("c.ExchangeFactory.collect"))
    config = Config()
    exec(line, {"c": config})
    assert ExchangeFactory(config=config).collect is OwnerCheckedCollect


def test_with_before_duedate_nbgraders_own_rule_picks_among_the_victims_own_folders(exchange, tmp_path, monkeypatch):
    from nbgrader.api import Gradebook

    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    inbound_path = exchange / "optimization-workbook" / "inbound"
    on_time = _folder(inbound_path, VICTIM, OLD, VICTIM)
    _folder(inbound_path, VICTIM, "2026-12-03 10:00:00.000000 UTC", VICTIM)  # the victim's own, after the due date
    _folder(inbound_path, VICTIM, "2026-12-01 12:00:00.000000 UTC", ATTACKER)  # forged, before it
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}", "optimization-workbook") as gradebook:
        gradebook.add_assignment("workbook", duedate="2026-12-02 00:00:00 UTC")
    assert _collect(exchange, tmp_path, before_duedate=True) == [on_time.name]
