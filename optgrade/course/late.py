"""The late policy: nbgrader's ``none`` and ``zero``, a penalty per day late with a floor, per-student extensions.

``optgrade build --late-penalty per-day:10%,floor:50%`` takes 10 % of what the
student earned for each day (or part of a day) past the due date, and never
more than half of it (the floor is the share of their score a late student
keeps). ``none`` marks a submission late without a penalty (nbgrader's
default), ``zero`` scores it 0. Extensions (``--extensions FILE`` of
``id,extension`` rows, or an ``extension`` column in the roster: days, or
``36h``) move that student's due date.

The policy lives in the course settings and is applied by nbgrader's own
``AssignLatePenalties`` preprocessor, whose plugin the generated
``nbgrader_config.py`` names (``LatePolicy``), and the extension is written to
the student's submission in the gradebook first (``ExtendedLatePenalties``, in
nbgrader's own ``SubmittedAssignment.extension``, which its lateness already
counts): batch autograde, ``optgrade serve`` and nbgrader's own commands read
the same config, so they give the same penalty. The penalty is a share of the
score because nbgrader asks the plugin per notebook with that notebook's
score; a share of each notebook's score is the same share of the total.
"""

import csv
import datetime
import math
import re

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import LateSubmissionPlugin
from nbgrader.preprocessors import AssignLatePenalties
from traitlets import Dict, Unicode

DAY = 86400
PER_DAY = re.compile(r"^per-day:(?P<rate>\d+(?:\.\d+)?)%(?:,floor:(?P<floor>\d+(?:\.\d+)?)%)?$")
EXTENSION = re.compile(r"^(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>[dh]?)$")


def parse_policy(text):
    """The policy's canonical text ("none", "zero", "per-day:R%,floor:F%"); ValueError saying what is accepted."""
    text = text.strip().replace(" ", "").lower()
    if text in ("none", "zero"):
        return text
    match = PER_DAY.match(text)
    if not match or not 0 < float(match["rate"]) <= 100 or float(match["floor"] or 0) > 100:
        raise ValueError(
            f"late penalty {text!r}: give none, zero or per-day:R%[,floor:F%] (R from 0 to 100, F at most 100), "
            "e.g. per-day:10%,floor:50%"
        )
    return f"per-day:{float(match['rate']):g}%,floor:{float(match['floor'] or 0):g}%"


def penalty(policy, score, seconds_late):
    """Points taken from ``score`` for a submission ``seconds_late`` past its due date (extension included)."""
    if seconds_late <= 0 or policy == "none":
        return 0.0
    if policy == "zero":
        return score
    match = PER_DAY.match(policy)
    days = math.ceil(seconds_late / DAY)
    share = min(days * float(match["rate"]) / 100, 1 - float(match["floor"] or 0) / 100)
    return score * max(share, 0.0)


def due_date(course, assignment):
    """The assignment's due date in the gradebook (UTC), or None: no gradebook yet, or no due date set."""
    from .gradebook import db_url

    if not course.settings_file.is_file() or not (
        course.settings.get("db_url") or course.path("gradebook.db").is_file()
    ):
        return None  # opening the gradebook would create one
    with Gradebook(db_url(course)) as gradebook:
        try:
            due = gradebook.find_assignment(assignment).duedate
        except MissingEntry:
            return None
    return due.replace(tzinfo=datetime.UTC) if due else None


def parse_extension(text):
    """Seconds of an extension written as days ("2", "1.5d") or hours ("36h"); ValueError otherwise."""
    match = EXTENSION.match(text.strip().lower())
    if not match:
        raise ValueError(f"extension {text!r}: give days (2, 1.5d) or hours (36h)")
    return float(match["amount"]) * (3600 if match["unit"] == "h" else DAY)


def read_extensions(path):
    """{student id: seconds} from a CSV with ``id`` and ``extension`` columns; ValueError naming the bad row."""
    with open(path, newline="", encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    if rows and not {"id", "extension"} <= set(rows[0]):
        raise ValueError(f"{path}: the first line must name the columns id,extension")
    extensions = {}
    for number, row in enumerate(rows, start=2):
        try:
            if (row.get("extension") or "").strip():
                extensions[row["id"].strip()] = parse_extension(row["extension"])
        except ValueError as error:
            raise ValueError(f"{path}, line {number}: {error}") from None
    return extensions


def configure(config, settings):
    """Give nbgrader's ``config`` the course ``settings``' late policy and extensions (the generated config calls it).

    nbgrader's AssignLatePenalties in the autograde preprocessors becomes ``ExtendedLatePenalties``, whose plugin
    is ``LatePolicy``; "none" and "zero" also go to nbgrader's own LateSubmissionPlugin.penalty_method.
    """
    policy = settings.get("late_penalty") or ""
    if policy in ("none", "zero"):
        config.LateSubmissionPlugin.penalty_method = policy
    config.AssignLatePenalties.plugin_class = LatePolicy
    config.LatePolicy.policy = policy
    config.ExtendedLatePenalties.extensions = dict(settings.get("extensions") or {})
    if "autograde_preprocessors" in config.Autograde:
        config.Autograde.autograde_preprocessors = [
            ExtendedLatePenalties if step is AssignLatePenalties else step
            for step in config.Autograde.autograde_preprocessors
        ]


class LatePolicy(LateSubmissionPlugin):
    """nbgrader's late-submission plugin with the course's policy (``parse_policy``)."""

    policy = Unicode("", help="none, zero or per-day:R%,floor:F% (empty: LateSubmissionPlugin.penalty_method)").tag(
        config=True
    )

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        return penalty(self.policy or self.penalty_method, score or 0.0, total_seconds_late)


class ExtendedLatePenalties(AssignLatePenalties):
    """nbgrader's AssignLatePenalties, after writing the student's extension (or none) to their submission."""

    extensions = Dict(help="{student id: seconds of extension}").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        seconds = self.extensions.get(info["student"])
        with Gradebook(info["db_url"]) as gradebook:
            try:
                submission = gradebook.find_submission(info["assignment"], info["student"])
            except MissingEntry:
                submission = None
            if submission is not None:
                submission.extension = datetime.timedelta(seconds=seconds) if seconds else None
                gradebook.db.commit()
        return super().preprocess(nb, resources)
