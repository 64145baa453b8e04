"""The generated nbgrader course directory: where each thing lives, and running nbgrader in it.

``Course`` names every path of the course: nbgrader's own folders (source/, release/, submitted/,
autograded/, feedback/) and each of optgrade's under ``.optgrade/`` (``STATE``), which no other module spells.
"""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import GradingError
from ..exercises import EXERCISES

DEFAULT_ASSIGNMENT = "workbook"
COURSE_ID = "optimization-workbook"
STATE = ".optgrade"  # optgrade's own files in the course: settings, logs, records, verdicts, locks, caches
# Exercise modules are the students' work: autograde must keep the submitted copies.
STUDENT_FILES = tuple(f"utils/{module}.py" for module in EXERCISES)


def nbgrader_environment():
    """The environment for nbgrader: this interpreter's scripts first on PATH (nbgrader runs `alembic`)."""
    scripts = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": os.pathsep.join([scripts, os.environ.get("PATH", "")])}


@dataclass(frozen=True)
class Course:
    """An nbgrader course directory built by ``optgrade build``."""

    root: Path

    def __post_init__(self):
        object.__setattr__(self, "root", Path(self.root).resolve())

    def path(self, *parts):
        return self.root.joinpath(*parts)

    def source(self, assignment):
        return self.path("source", assignment)

    def release(self, assignment):
        return self.path("release", assignment)

    def submitted(self, student=None, assignment=None):
        return self.path("submitted", *[part for part in (student, assignment) if part])

    def autograded(self, student, assignment):
        return self.path("autograded", student, assignment)

    def feedback(self, student, assignment):
        return self.path("feedback", student, assignment)

    def state(self, *parts):
        """A path under the course's .optgrade/ folder (the other methods below name each one)."""
        return self.path(STATE, *parts)

    @property
    def settings_file(self):
        """Settings ``optgrade build`` chose (timeouts, memory), read back by later commands."""
        return self.state("settings.json")

    @property
    def settings(self):
        return json.loads(self.settings_file.read_text())

    def log(self, name):
        logs = self.state("logs")
        logs.mkdir(parents=True, exist_ok=True)
        return logs / f"{name}.log"

    def graded_records(self, assignment):
        """The folder of the assignment's grading records (``gradebook.records``)."""
        return self.state("graded", assignment)

    def graded_record(self, assignment, student):
        return self.graded_records(assignment) / f"{student}.json"

    def verdicts(self, assignment=None, student=None):
        """The trusted verdicts: the folder (no arguments), or one student's file."""
        if assignment is None:
            return self.state("verdicts")
        return self.state("verdicts", assignment, f"{student}.json")

    def feedback_stamp(self, assignment, student):
        """The gradebook state a student's feedback pages were made from (``pipeline.stamp_feedback``)."""
        return self.state("feedback", assignment, f"{student}.json")

    def sanitized(self, assignment, student=None):
        """What sanitising removed from the submitted notebooks, per student (for the report)."""
        return self.state("sanitized", assignment, *([student] if student else []))

    def quarantine(self, student, assignment):
        """Files of a submission that are not readable notebooks, kept out of the way with the reason."""
        return self.state("quarantine", student, assignment)

    def serve_state(self, assignment):
        """``optgrade serve``'s own state of the assignment: per student, journal, status, pause flag."""
        return self.state("serve", assignment)

    def lock_file(self, name):
        """The file a lock named ``name`` is taken on (``gradebook.gradebook_writer``, ``gradebook.hold_service``)."""
        return self.state(f"{name}.lock")

    @property
    def maths(self):
        """The drawn formulas of the feedback pages, shared by every page."""
        return self.state("math")

    @property
    def demo_class(self):
        """The simulated class of ``optgrade demo``."""
        return self.state("demo-class")

    def assignments(self):
        return sorted(p.name for p in self.path("source").iterdir() if p.is_dir())

    def source_notebooks(self, assignment):
        return sorted(p.stem for p in self.source(assignment).glob("*.ipynb"))

    def nbgrader(self, *args, log_name, check=True):
        """Run ``nbgrader *args`` in the course directory; its log goes to .optgrade/logs/<log_name>.log.

        Returns the completed process; raises GradingError if it failed and ``check`` is set.
        """
        log = self.log(log_name)
        with log.open("a") as stream:
            stream.write(f"\n$ nbgrader {' '.join(args)}\n")
            stream.flush()
            done = subprocess.run(
                [sys.executable, "-m", "nbgrader", *args],
                cwd=self.root,
                stdout=stream,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=nbgrader_environment(),
            )
        if check and done.returncode != 0:
            raise GradingError(f"nbgrader {' '.join(args)} failed (exit {done.returncode}); see {log}")
        return done
