"""Build and audit utils/checks/fingerprints.json: the mistake catalog as hashes of outcomes on the probes.

Every mistake of the one catalog (``optgrade.mutants.catalog``: the hand-written
entries, then the generated ones) runs on each probe of its function
(``utils/checks/probes.py``); the file keeps, per probe (the hash of its public
inputs), which outcome hash belongs to which mistake, and each mistake's
sentence. A mistake whose outcomes equal a correct answer's (the contract's
reference or an accepted variant) on every probe is left out: the probes could
never confirm it. ``utils/checks/diagnosis.py`` reads the file on both sides
(the rounding and hashing are there). No probe is a hidden test's input.

    optgrade stubs            # writes the stubs and this file
    optgrade stubs --check    # exit 1 if either differs from what would be generated
"""

import contextlib
import importlib
import json
import re

from .exercises import ROOT, module_of
from .mutants import catalog
from .mutants.filtering import VARIANTS, scribble, silent, workbook_on_path

PATH = ROOT / "utils" / "checks" / "fingerprints.json"
HASH = re.compile(r"^[0-9a-f]+$")


def _diagnosis():
    workbook_on_path()
    return importlib.import_module("utils.checks.diagnosis")


def _reference(name):
    workbook_on_path()
    return getattr(importlib.import_module(f"solutions.{module_of(name)}"), name)


def hidden_input_keys():
    """Input hashes of every call the hidden tests make to the student's function (run with the reference)."""
    diagnosis = _diagnosis()
    from .hidden import TESTS
    from .hidden.student import StudentFunction

    keys = set()
    for test_id, test in TESTS.items():
        name = test_id.partition(".")[0]
        recorder = diagnosis.Recorder(_reference(name), name)
        with silent(), contextlib.suppress(Exception):
            test(StudentFunction(recorder, name))
        keys |= {key for key, _ in recorder.calls}
    return keys


def probe_keys(name):
    """Input hashes of the probes of ``name``."""
    diagnosis = _diagnosis()
    return {diagnosis.call_key(probe.args, probe.kwargs) for probe in diagnosis.probes.inputs(name)}


def outcomes(name, implementation, fill=0.0):
    """[(probe input hash, outcome hashes)] of ``implementation`` run as ``name`` on each of its probes.

    Before each call, freed buffers are filled with ``fill`` (``scribble``), so an outcome that depends on
    uninitialised memory (``np.empty``) is the same from one build to the next, and changes with ``fill``.
    """
    diagnosis = _diagnosis()
    found = []
    with silent():
        for probe in diagnosis.probes.inputs(name):
            scribble(fill)
            found.append((diagnosis.call_key(probe.args, probe.kwargs), diagnosis.outcome(implementation, *probe[1:])))
    return found


def _same(first, second):
    """True if two outcome lists agree on every probe (one of the two grids' hashes equal)."""
    return all(set(a) & set(b) for (_, a), (_, b) in zip(first, second, strict=True))


def correct_outcomes(name):
    """The probe outcomes of the correct answers of ``name``: the contract's reference and the accepted variants."""
    return [outcomes(name, implementation) for implementation in [_reference(name), *VARIANTS.get(name, [])]]


def entry(name, mistakes, correct=None):
    """{"mistakes": [[name, sentence]], "probes": {key: {hash: [index]}}} of ``mistakes`` (Mistake tuples of ``name``).

    Entries sharing a name (one per epsilon placement) are one mistake; a mistake equal to a correct
    answer (``correct``: default ``correct_outcomes(name)``) on every probe, or whose outcome depends on
    uninitialised memory, is left out.
    """
    correct = correct_outcomes(name) if correct is None else correct
    table = {"mistakes": [], "probes": {}}
    for mistake in mistakes:
        found = outcomes(name, mistake.implementation)
        if any(_same(found, right) for right in correct) or outcomes(name, mistake.implementation, -7.25) != found:
            continue  # the probes cannot tell it from a correct answer, or its outcome is the memory's: never confirmed
        names = [known for known, _ in table["mistakes"]]
        if mistake.name not in names:
            table["mistakes"].append([mistake.name, mistake.message])
            names.append(mistake.name)
        index = names.index(mistake.name)
        for key, hashes in found:
            for digest in hashes:
                indices = table["probes"].setdefault(key, {}).setdefault(digest, [])
                if index not in indices:
                    indices.append(index)
    return table


def build():
    """{"functions": {function: entry(function, its mistakes)}} over the one catalog (hand-written first)."""
    by_function = {}
    for mistake in catalog():
        by_function.setdefault(mistake.function, []).append(mistake)
    entries = {function: entry(function, mistakes) for function, mistakes in by_function.items()}
    return {"functions": {function: table for function, table in entries.items() if table["mistakes"]}}


def render(table):
    """The file's text: sorted keys, one line per function (stable diffs)."""
    functions = sorted(table["functions"].items())
    lines = [f"  {json.dumps(name)}: {json.dumps(entry, sort_keys=True)}" for name, entry in functions]
    return '{"functions": {\n' + ",\n".join(lines) + "\n}}\n"


def expected_text():
    return render(build())


def audit(text, allowed=None, hidden=None):
    """Leak findings for a fingerprints file's text (empty list: nothing but catalog hashes on the probes).

    Checks that it holds only the catalog's function names, mistake names and
    sentences, and hex hashes (no numbers, no other text), that every input hash
    is one of the function's probes, and that none is a hidden test's input.
    """
    try:
        functions = json.loads(text)["functions"]
    except (ValueError, KeyError, TypeError):
        return ["not a fingerprints table"]
    entries = {(m.function, m.name): m.message for m in catalog()}
    hidden = hidden_input_keys() if hidden is None else hidden
    findings = []
    for function, entry in functions.items():
        if not isinstance(entry, dict) or set(entry) != {"mistakes", "probes"}:
            findings.append(f"{function}: unexpected fields {sorted(entry) if isinstance(entry, dict) else entry}")
            continue
        mistakes = entry["mistakes"]
        for pair in mistakes:
            if not (isinstance(pair, list) and len(pair) == 2 and entries.get((function, pair[0])) == pair[1]):
                findings.append(f"{function}: {pair!r} is not a catalog entry with its sentence")
        known = probe_keys(function) if allowed is None else allowed.get(function, set())
        for key, outcomes_ in entry["probes"].items():
            if not _is_hash(key) or key not in known:
                findings.append(f"{function}: input {key!r} is not a probe of the function")
            if key in hidden:
                findings.append(f"{function}: input {key!r} is a hidden test's input")
            for digest, indices in outcomes_.items():
                valid = all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(mistakes) for i in indices)
                if not _is_hash(digest) or not valid:
                    findings.append(f"{function}: outcome {digest!r} is not a hash of catalog mistakes")
    return findings


def _is_hash(text):
    return isinstance(text, str) and len(text) == _diagnosis().DIGITS and bool(HASH.match(text))


def drifted():
    """True if utils/checks/fingerprints.json differs from what the catalog generates."""
    return not PATH.is_file() or PATH.read_text() != expected_text()


def write():
    PATH.write_text(expected_text())
    return PATH
