"""Reading graded outputs back: the stdout lines ``grade()`` prints, for instructor reports.

Every graded cell prints, on stdout:

    PASS <id>                                      full credit
    PARTIAL <id>: <reason> (<score> of <points> points)
    FAIL <id>: <reason>                            no credit
    MISTAKE <id>: <name>                           the mistake the probes confirmed (one)
    ONE_OF <id>: <name> | <name> [| ...]           mistakes the probes cannot tell apart (none is named)
    FLAG <id>: reference | tampering               integrity findings

``parse`` turns any text holding such lines (a cell's output, a whole
notebook's outputs joined) into records; ``mistake_counts`` aggregates the
MISTAKE lines (``diagnosing.sentence`` turns a name back into its sentence).
"""

import collections
import re
from typing import NamedTuple

KINDS = ("PASS", "PARTIAL", "FAIL", "MISTAKE", "ONE_OF", "FLAG")
_LINE = re.compile(rf"^({'|'.join(KINDS)}) ([a-z_0-9]+\.[a-z]+)(?:: (.*))?$")


class Line(NamedTuple):
    kind: str  # one of KINDS
    test_id: str
    detail: str  # reason, mistake name, "name | name" (ONE_OF) or flag ("" for PASS)


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
