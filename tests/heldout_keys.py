"""Answer keys of the held-out mistakes (issue 21) and the judgement of a diagnosis against them.

Each held-out set (``fixtures/heldout_mistakes``, ``fixtures/heldout_mistakes_2``) keeps a ``keys.toml``
with one table per fixture label (the file stem ``<function>__<slip>``)::

    [update_parameters_with_adam__no_root_on_s]
    mistake = "the square root of s_corrected is missing in the step"   # the truth, in plain words
    patterns = ['square root', ...]   # case-insensitive regexes (re.search)

A student-facing sentence *names* a fixture's mistake when it matches ANY of the key's patterns. The keys
were written from each fixture's code before any diagnosis was run on it, so a diagnosis is judged against
what the mistake really is, not against what some tool said.

A diagnosis of one student comes in one of three kinds, and ``judge`` turns it into one outcome:

=========  ==========================================  ==================================================
kind       ``sentences``                               outcome
=========  ==========================================  ==================================================
named      the sentence(s) of the one mistake named    ``right`` if one of them names the fixture's
                                                       mistake, else ``wrong``
one_of     one sentence per candidate listed           ``one_of_right`` if a candidate names it, else
                                                       ``one_of_wrong``
unnamed    none                                        ``unnamed``
=========  ==========================================  ==================================================

``score`` counts the outcomes. Issue 21 counts a one-of that lists the student's mistake half right and one
that does not wrong, so over the ``named = right + wrong + one_of_right + one_of_wrong`` diagnoses that say
something::

    precision  = (right + 0.5 * one_of_right) / named
    right_rate = (right + 0.5 * one_of_right) / total      (total counts the unnamed too)
"""

import functools
import re
import tomllib
from pathlib import Path
from typing import NamedTuple

FIXTURES = Path(__file__).parent / "fixtures"
SETS = ("heldout_mistakes", "heldout_mistakes_2")
KINDS = ("named", "one_of", "unnamed")
OUTCOMES = ("right", "wrong", "one_of_right", "one_of_wrong", "unnamed")


class Key(NamedTuple):
    """The answer key of one fixture: the truth (``mistake``) and the patterns that name it."""

    label: str
    mistake: str
    patterns: tuple  # compiled, re.IGNORECASE

    def names(self, sentence):
        """True if ``sentence`` (a str) names this mistake: it matches one of the patterns."""
        return any(pattern.search(sentence) for pattern in self.patterns)


def folder(set_or_folder):
    """The fixture folder of a held-out set: a set name of ``SETS`` or a folder path."""
    return FIXTURES / set_or_folder if set_or_folder in SETS else Path(set_or_folder)


@functools.cache
def _load(path):
    with path.open("rb") as file:
        tables = tomllib.load(file)
    return {
        label: Key(label, table["mistake"], tuple(re.compile(pattern, re.IGNORECASE) for pattern in table["patterns"]))
        for label, table in tables.items()
    }


def keys(set_or_folder):
    """{label: Key} from ``keys.toml`` of a set (a name of ``SETS`` or a folder path)."""
    return _load((folder(set_or_folder) / "keys.toml").resolve())


def judge(set_or_folder, label, kind, sentences=()):
    """The outcome of one diagnosis of the fixture ``label``: one of ``OUTCOMES`` (see the module's table).

    ``kind`` is "named", "one_of" or "unnamed"; ``sentences`` the student-facing sentences (str) of the
    mistake named or of the candidates listed, none for "unnamed".
    """
    key = keys(set_or_folder)[label]
    sentences = list(sentences)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if (kind == "unnamed") != (not sentences):
        raise ValueError(f"{kind} takes {'no' if kind == 'unnamed' else 'at least one'} sentence, got {sentences}")
    if kind == "unnamed":
        return "unnamed"
    hit = any(key.names(sentence) for sentence in sentences)
    if kind == "named":
        return "right" if hit else "wrong"
    return "one_of_right" if hit else "one_of_wrong"


def score(judgements):
    """Counts of each outcome in ``judgements`` (outcomes of ``judge``), their total, precision and right rate.

    precision = (right + 0.5 * one_of_right) / (right + wrong + one_of_right + one_of_wrong), None when no
    diagnosis named anything; right_rate = (right + 0.5 * one_of_right) / total, None for no judgement.
    """
    judgements = list(judgements)
    unknown = set(judgements) - set(OUTCOMES)
    if unknown:
        raise ValueError(f"not an outcome: {sorted(unknown)}")
    counts = {outcome: judgements.count(outcome) for outcome in OUTCOMES}
    credit = counts["right"] + 0.5 * counts["one_of_right"]
    named = len(judgements) - counts["unnamed"]
    return {
        **counts,
        "total": len(judgements),
        "precision": credit / named if named else None,
        "right_rate": credit / len(judgements) if judgements else None,
    }
