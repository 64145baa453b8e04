"""``optgrade demo``: the instructor's whole job on a simulated class, end to end.

Build, release, then a class made from the release: the reference
solutions, untouched stubs, one student per typical mistake (each made by a
small edit of the reference source, named as the mistake catalog names it),
a valid variant (epsilon inside the square root), and a hostile submission
(a print flood, patched numpy comparisons and a fake ``optgrade`` package
shipped along); then autograde and report. Each step says what it starts
before it starts (the release and the first grading results take tens of
seconds), and the end says how many students were graded, apart from any
skipped.
"""

import shutil
import sys
import threading
import time
from pathlib import Path

from ..exercises import EXERCISES, ROOT
from ..stubs import solved_source
from . import autograde, build, release, report
from .autograde import counts
from .layout import DEFAULT_ASSIGNMENT

# student -> {module: [(reference text, edited text)]}; every module not listed is the reference
REFERENCE = "reference"
UNTOUCHED = "untouched"
EDITS = {
    "mistake_momentum_without_one_minus_beta": {
        "momentum": [("(1 - beta) * grads[key]", "grads[key]")],
    },
    "mistake_last_batch_dropped": {"minibatch": [("if m % mini_batch_size != 0:", "if False:")]},
    "mistake_ewa_beta_swapped": {"ewa": [("v = beta * v + (1 - beta) * value", "v = (1 - beta) * v + beta * value")]},
    "mistake_adam_bias_correction_missing": {
        "adam": [("new_v[key] / correction1", "new_v[key]"), ("new_s[key] / correction2", "new_s[key]")],
    },
    "mistake_schedule_no_floor": {
        "schedules": [("math.floor(epoch_num / time_interval)", "epoch_num / time_interval")],
    },
    "variant_epsilon_inside_root": {
        "adam": [("(np.sqrt(s_corrected[key]) + epsilon)", "np.sqrt(s_corrected[key] + epsilon)")],
        "rmsprop": [("(np.sqrt(new_s[key]) + epsilon)", "np.sqrt(new_s[key] + epsilon)")],
    },
}
HOSTILE = "hostile"
HOSTILE_PRELUDE = """\
import numpy as _np

_np.allclose = lambda *args, **kwargs: True  # every comparison "passes"
_np.array_equal = lambda *args, **kwargs: True
for _line in range(200_000):
    print("flooding the grader", _line)
"""
FAKE_OPTGRADE = 'def grade(test_id, points=None):\n    print(f"PASS {test_id}")\n'


def solved(module, edits=(), root=ROOT):
    """The reference source of an exercise module as a student file, with edits applied."""
    text = solved_source((root / "solutions" / f"{module}.py").read_text())
    for old, new in edits:
        if old not in text:
            raise ValueError(f"solutions/{module}.py no longer contains {old!r}: update the demo's edits")
        text = text.replace(old, new)
    return text


def make_student(release_dir, dest, modules, root=ROOT):
    """A submission: the release copied to dest with the given {module: source} written into utils/."""
    shutil.copytree(release_dir, dest)
    for module, text in modules.items():
        (dest / "utils" / f"{module}.py").write_text(text)
    return dest


def simulate_class(release_dir, dest, root=ROOT):
    """A flat folder of per-student folders made from the release; only edits the assignment exercises apply."""
    release_dir, dest = Path(release_dir), Path(dest)
    present = {path.name for path in release_dir.glob("*.ipynb")}
    asked = [module for module, (notebook, _) in EXERCISES.items() if notebook in present]
    reference = {module: solved(module, root=root) for module in asked}
    make_student(release_dir, dest / REFERENCE, reference)
    make_student(release_dir, dest / UNTOUCHED, {})
    for student, edits in EDITS.items():
        if set(edits) <= set(asked):
            modules = {module: solved(module, edits.get(module, ()), root) for module in asked}
            make_student(release_dir, dest / student, modules)
    hostile = {module: HOSTILE_PRELUDE + text for module, text in reference.items()}
    fake = make_student(release_dir, dest / HOSTILE, hostile) / "optgrade" / "hidden"
    fake.mkdir(parents=True)
    (fake.parent / "__init__.py").write_text("")
    (fake / "__init__.py").write_text(FAKE_OPTGRADE)
    return dest


class _Ticker:
    """A line every ``every`` seconds until stopped, so a long step never leaves the terminal silent."""

    def __init__(self, progress, what, every=15):
        self.stopped, self.start = threading.Event(), time.monotonic()
        self.thread = threading.Thread(target=self._tick, args=(progress, what, every), daemon=True)
        self.thread.start()

    def _tick(self, progress, what, every):
        while not self.stopped.wait(every):
            progress(f"... {what}: {time.monotonic() - self.start:.0f} s")

    def stop(self):
        self.stopped.set()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def demo(course_dir, names=(), timeout=None, progress=print, workers=None):
    """Build, release, simulate a class, autograde, report. Returns the report's path."""
    progress(f"building the course in {course_dir} from {', '.join(names) if names else 'every notebook'}")
    course = build.build(course_dir, DEFAULT_ASSIGNMENT, names, timeout=timeout, accept_reference=True)
    progress(f"built {course.source(DEFAULT_ASSIGNMENT)}")
    progress("releasing: nbgrader generate_assignment, then the leak check (20 s to a minute)")
    with _Ticker(progress, "still releasing"):
        archive = release.release(course, DEFAULT_ASSIGNMENT)
    progress(f"released {archive} (leak check passed)")
    incoming = course.demo_class
    if incoming.exists():
        shutil.rmtree(incoming)
    simulate_class(course.release(DEFAULT_ASSIGNMENT), incoming)
    students = sorted(path.name for path in incoming.iterdir())
    progress(f"simulated a class of {len(students)} students in {incoming}: {', '.join(students)}")
    progress(
        f"grading {len(students)} students in the sandbox; the first result takes half a minute or more "
        "(sandboxes start, the maths of the feedback is drawn), then one line a student"
    )
    tally = {}
    # on a terminal autograde's progress bar counts the seconds itself
    waiting = _Ticker(progress, "waiting for the first result", every=15 if not sys.stderr.isatty() else 10**9)

    def said(line):
        waiting.stop()
        progress(line)

    with waiting:
        autograde.autograde(
            course, DEFAULT_ASSIGNMENT, incoming, force=True, progress=said, workers=workers, tally=tally
        )
    progress(counts(tally))
    progress("writing the report")
    return report.report(course, DEFAULT_ASSIGNMENT)
