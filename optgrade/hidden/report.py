"""Reading graded outputs back: the stdout lines ``grade()`` prints, for instructor reports.

Every graded cell prints, on stdout:

    PASS <id>                                      full credit
    PARTIAL <id>: <reason> (<score> of <points> points)
    FAIL <id>: <reason>                            no credit
    MISTAKE <id>: <name>                           one per catalog mistake matched
    FLAG <id>: reference | tampering               integrity findings

``parse`` turns any text holding such lines (a cell's output, a whole
notebook's outputs joined) into records; ``mistake_counts`` aggregates.
"""

import collections
import re
from typing import NamedTuple

KINDS = ("PASS", "PARTIAL", "FAIL", "MISTAKE", "FLAG")
_LINE = re.compile(rf"^({'|'.join(KINDS)}) ([a-z_0-9]+\.[a-z]+)(?:: (.*))?$")


class Line(NamedTuple):
    kind: str  # one of KINDS
    test_id: str
    detail: str  # reason, mistake name or flag ("" for PASS)


def parse(text):
    """The grading lines found in ``text``, in order."""
    return [Line(*match.groups(default="")) for match in map(_LINE.match, text.splitlines()) if match]


def mistake_counts(texts):
    """Counter of (test id, mistake name) over the outputs ``texts`` (e.g. one per student)."""
    return collections.Counter(
        (line.test_id, line.detail) for text in texts for line in parse(text) if line.kind == "MISTAKE"
    )


def flags(texts):
    """Counter of (test id, flag) over the outputs ``texts``."""
    return collections.Counter(
        (line.test_id, line.detail) for text in texts for line in parse(text) if line.kind == "FLAG"
    )
