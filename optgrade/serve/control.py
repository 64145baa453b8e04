"""``optgrade serve --pause`` / ``--resume`` / ``--status``: a flag file and the status the service writes.

Pausing is a flag file (course/.optgrade/serve/<assignment>/paused), not a signal: it works whether or
not the service is running, survives a restart, and the instructor can see it with ``ls``. While it
exists the service collects nothing new; the students already being graded are finished and released.
"""

import datetime
import os

from . import state


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _when(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def status_lines(course, assignment):
    """What ``--status`` prints: running or not, paused, queue, grading, last graded, the latest errors."""
    status = state.read_status(course, assignment)
    paused = state.paused(course, assignment)
    if status is None:
        return [f"optgrade serve has never run for {assignment!r} in {course.root}" + ("; paused" if paused else "")]
    running = status["state"] != "stopped" and _alive(status["pid"])
    lines = [
        f"service: {'running (pid ' + str(status['pid']) + ')' if running else 'not running'}"
        f"{'; paused: nothing new is collected (--resume)' if paused else ''}",
        f"warm: {'since ' + _when(status['ready']) if status.get('ready') else 'not yet (processes starting)'}",
        f"queue: {', '.join(status['queue']) or 'empty'}",
        f"grading: {', '.join(status['grading']) or 'nobody'}; feedback: {', '.join(status['feedback']) or 'nobody'}",
        f"graded since start: {status['graded']}",
    ]
    last = status.get("last_graded")
    lines.append(
        f"last graded: {last['student']} ({last['status']}) at {_when(last['at'])}" if last else "last graded: -"
    )
    errors = status.get("errors") or []
    lines.append(f"errors: {len(errors)}" + "".join(f"\n  {e['student']}: {e['message']}" for e in errors))
    lines.append(f"status written {_when(status['updated'])}")
    return lines


def pause(course, assignment, on):
    state.set_paused(course, assignment, on)
    return "paused: no new submission is collected until --resume" if on else "resumed"
