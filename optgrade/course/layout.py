"""The generated nbgrader course directory: where each thing lives, and running nbgrader in it."""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..exercises import EXERCISES

DEFAULT_ASSIGNMENT = "workbook"
COURSE_ID = "optimization-workbook"
# Exercise modules are the students' work: autograde must keep the submitted copies.
STUDENT_FILES = tuple(f"utils/{module}.py" for module in EXERCISES)


class GradingError(RuntimeError):
    """Grading itself failed (not a student's code): the command exits non-zero."""


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

    @property
    def settings_file(self):
        """Settings ``optgrade build`` chose (timeouts, memory), read back by later commands."""
        return self.path(".optgrade", "settings.json")

    @property
    def settings(self):
        return json.loads(self.settings_file.read_text())

    def log(self, name):
        logs = self.path(".optgrade", "logs")
        logs.mkdir(parents=True, exist_ok=True)
        return logs / f"{name}.log"

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
