"""The attack tests' course and class (tests/sandbox/test_attacks.py; also test_decoder_attack, test_review_path and
test_serve): the fixture course built and released with the real CLI, students written from its release, the shared
attack sources and the paths they are told, a listener for their connections.
"""

import base64
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from pathlib import Path

import nbformat

from optgrade.course.layout import Course
from optgrade.exercises import ROOT

PY = sys.executable
FIXTURES = Path(__file__).parent / "fixtures"
SCHEDULES_NB = "01_fixture_schedules.ipynb"
EWA_NB = "02_fixture_ewa.ipynb"
NOTEBOOKS = (FIXTURES / "course" / "notebooks" / SCHEDULES_NB, FIXTURES / "attacks" / "notebooks" / EWA_NB)
POINTS = {
    "update_lr_values": 2,
    "update_lr_errors": 1,
    "schedule_lr_decay_values": 2,
    "schedule_lr_decay_errors": 1,
    "ewa_values": 2,
}
FULL = float(sum(POINTS.values()))

SOLUTIONS = ROOT / "solutions"
SOLUTION_FILE = SOLUTIONS / "schedules.py"

TOKEN = uuid.uuid4().hex
MARKER = f"optgrade-attack-{TOKEN[:16]}"  # in the argv of every process an attack starts
COMM = f"ob{TOKEN[:12]}"  # the process name (comm) of fork-bomb children, which keep the worker's argv
TOKEN_ENV = "OPTGRADE_ATTACK_INSTRUCTOR_TOKEN"  # in the grader's environment, never the student's
CLI_TIMEOUT = 900  # seconds: a safety net only (the defended class grades in about a minute)


HEADER = """

import base64 as _base64
import json as _json
import math
import os
import sys
import time

CONFIG = _json.loads(_base64.b64decode("@CONFIG@").decode())
PROBE = {}


def _probe(name):
    if not PROBE.get(name):
        raise NotImplementedError(f"{name}() is not implemented yet")
"""

# correct only if the attack set PROBE[name] (written unlike the reference, so never a "copy")
GATED_SCHEDULES = """

def update_lr(learning_rate0, epoch_num, decay_rate):
    _probe("update_lr")
    if epoch_num < 0:
        raise ValueError("a negative epoch")
    return learning_rate0 / (1.0 + decay_rate * epoch_num)


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    _probe("schedule_lr_decay")
    if epoch_num < 0:
        raise ValueError("a negative epoch")
    return learning_rate0 / (1.0 + decay_rate * math.floor(epoch_num / time_interval))
"""

EWA_BODY = """
    series = np.asarray(theta, dtype=float)
    averages = np.zeros(series.shape)
    running = 0.0
    for index in range(series.shape[0]):
        running = beta * running + (1 - beta) * series[index]
        averages[index] = running
    return averages
"""
HONEST_EWA = "\n\nimport numpy as np\n\n\ndef ewa(theta, beta):" + EWA_BODY

GRADEBOOK = '''
# 4. write the gradebook: own scores to the maximum, everyone else's to 0, now and for later rows
import sqlite3

_OWN = (
    "SELECT sn.id FROM submitted_notebook sn JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
    "WHERE sa.student_id = 'attack_gradebook'"
)
_MAX = "(SELECT max_score FROM grade_cells WHERE grade_cells.id = grade.cell_id)"
_SQL = f"""
UPDATE grade SET manual_score = 0, auto_score = 0;
UPDATE grade SET manual_score = {_MAX}, auto_score = {_MAX} WHERE notebook_id IN ({_OWN});
CREATE TRIGGER IF NOT EXISTS attack_zero_new AFTER INSERT ON grade
    BEGIN UPDATE grade SET manual_score = 0 WHERE id = NEW.id; END;
CREATE TRIGGER IF NOT EXISTS attack_zero_others AFTER UPDATE OF auto_score ON grade
    WHEN NEW.notebook_id NOT IN ({_OWN})
    BEGIN UPDATE grade SET manual_score = 0 WHERE id = NEW.id; END;
CREATE TRIGGER IF NOT EXISTS attack_max_own AFTER UPDATE OF auto_score ON grade
    WHEN NEW.notebook_id IN ({_OWN})
    BEGIN UPDATE grade SET manual_score = {_MAX} WHERE id = NEW.id; END;
"""
_database = os.path.join(CONFIG["course"], "gradebook.db")
for _attempt in range(20):
    if not os.path.exists(_database):
        break
    try:
        with sqlite3.connect(_database, timeout=5) as _connection:
            _connection.executescript(_SQL)
        break
    except sqlite3.Error:
        time.sleep(0.5)
'''

EXEC_REFERENCE = """
# 5. find the reference by path and execute it (compiled under another file name)
_candidates = [CONFIG["solution_file"]]
for _entry in sys.path:
    _candidates.append(os.path.join(os.path.dirname(os.path.abspath(_entry or ".")), "soluti" + "ons", "schedules.py"))
for _candidate in _candidates:
    try:
        with open(_candidate) as _stream:
            _code = compile(_stream.read(), "<my lecture notes>", "exec")
    except (OSError, SyntaxError):
        continue
    _namespace = {"__name__": __name__}
    exec(_code, _namespace)
    _reference_update_lr = _namespace["update_lr"]
    _reference_schedule = _namespace["schedule_lr_decay"]
    PROBE["update_lr"] = PROBE["schedule_lr_decay"] = True
    break
"""


def fill(template, **values):
    for key, value in values.items():
        template = template.replace(f"@{key}@", value)
    return template


def cli(*args, env=None, timeout=CLI_TIMEOUT, wrap=list):
    """Run `optgrade ARGS` (this interpreter, its argv passed through wrap). Returns (exit code, output, seconds);
    exit None on timeout."""
    started = time.monotonic()
    process = subprocess.Popen(
        wrap([PY, "-m", "optgrade.cli", *map(str, args)]),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env or os.environ.copy(),
        start_new_session=True,  # its own process group, so a timeout can end all of it
    )
    try:
        output, _ = process.communicate(timeout=timeout)
        code = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        code = None
        output += f"\n[test] optgrade {args[0]} killed after {timeout} s"
    return code, output, time.monotonic() - started


def build_course(folder, tmp_path_factory):
    """`optgrade build` (the two fixture notebooks) and `optgrade release` into folder; returns the Course."""
    notebooks = tmp_path_factory.mktemp("notebooks")
    for notebook in NOTEBOOKS:
        shutil.copy(notebook, notebooks / notebook.name)
    build = ["build", "--course", folder, "--notebooks-dir", notebooks, "--timeout", 120, "--memory-mb", 2048]
    for args in ([*build, "--max-output-lines", 100], ["release", "--course", folder]):
        code, output, _ = cli(*args)
        assert code == 0, output
    return Course(folder)


def encode(config):
    return base64.b64encode(json.dumps(config).encode()).decode()


def attack_module(stub, config, prelude, gated=GATED_SCHEDULES):
    """The stub file with the attack appended, then functions that are right only if PROBE says so."""
    return stub + fill(HEADER, CONFIG=encode(config)) + prelude + gated


def notebook_edit(path, edit):
    notebook = nbformat.read(path, as_version=4)
    edit(notebook)
    nbformat.write(notebook, path)


class Student:
    """One submission: the release copied, then exercise modules, extra files, notebook edits and links."""

    def __init__(self, modules=None, files=None, edits=None, links=None, archive=False):
        self.modules = modules or {}
        self.files = files or {}
        self.edits = edits or {}  # notebook name -> [edit]
        self.links = links or {}  # relative path -> symlink target
        self.archive = archive

    def write(self, release, incoming, name):
        folder = incoming / name
        shutil.copytree(release, folder)
        for module, text in self.modules.items():
            (folder / "utils" / f"{module}.py").write_text(text)
        for relative, text in self.files.items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_text(text)
        for notebook, edits in self.edits.items():
            for edit in edits:
                notebook_edit(folder / notebook, edit)
        if self.archive:
            self._zip(folder, incoming / f"{name}.zip", name)
            shutil.rmtree(folder)
            return
        for relative, target in self.links.items():
            (folder / relative).unlink(missing_ok=True)
            (folder / relative).symlink_to(target)

    def _zip(self, folder, archive, name):
        with zipfile.ZipFile(archive, "w") as zipped:
            for path in sorted(folder.rglob("*")):
                relative = path.relative_to(folder).as_posix()
                if path.is_file() and relative not in self.links:
                    zipped.write(path, f"{name}/{relative}")
            for relative, target in self.links.items():
                member = zipfile.ZipInfo(relative if relative.startswith(("/", "..")) else f"{name}/{relative}")
                if str(target).startswith("content:"):  # a plain member with a hostile name
                    zipped.writestr(member, str(target).removeprefix("content:"))
                    continue
                member.external_attr = (stat.S_IFLNK | 0o777) << 16
                zipped.writestr(member, str(target))


def make_class(course, incoming, students):
    incoming.mkdir(parents=True, exist_ok=True)
    release = course.release("workbook")
    for name, student in students.items():
        student.write(release, incoming, name)
    return incoming


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection it accepts."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = []
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                connection, peer = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(1)
                try:
                    data = connection.recv(200)
                except OSError:
                    data = b""
            self.connections.append((peer, data))

    def close(self):
        self.running = False
        self.thread.join(timeout=5)
        self.server.close()


def paths_config(course, outside, **extra):
    return {
        "root": str(ROOT),
        "solution_file": str(SOLUTION_FILE),
        "course": str(course.root),
        "secret_file": str(outside / "instructor_secret.txt"),
        "outside_marker": str(outside / f"escaped-{TOKEN[:8]}"),
        "course_marker": str(course.path(f"escaped-{TOKEN[:8]}")),
        "marker": MARKER,
        "comm": COMM,
        "token_env": TOKEN_ENV,
        **extra,
    }


def honest(template):
    return {"schedules": template["solved"], "ewa": template["ewa_stubs"] + HONEST_EWA}
