"""Build and audit utils/checks/fingerprints.json: the catalog's mistakes as hashes, per visible-check call.

Each catalog entry (``optgrade.hidden.mistakes``) runs under its function's
visible check through a ``utils.checks.diagnosis.Recorder``; the file keeps,
per call (the hash of its public inputs), which outcome hash belongs to which
mistake. Calls whose inputs a hidden test also uses are left out, so the file
says nothing about any hidden input. See ``utils/checks/diagnosis.py`` for the
rounding and hashing.

    optgrade stubs            # writes the stubs and this file
    optgrade stubs --check    # exit 1 if either differs from what would be generated
"""

import contextlib
import copy
import importlib
import io
import json
import re
import sys
import warnings

import numpy as np

from .exercises import ROOT, module_of

PATH = ROOT / "utils" / "checks" / "fingerprints.json"
HASH = re.compile(r"^[0-9a-f]+$")


@contextlib.contextmanager
def _silent():
    with (
        contextlib.redirect_stdout(io.StringIO()),
        warnings.catch_warnings(),
        np.errstate(all="ignore"),
    ):
        warnings.simplefilter("ignore")
        yield


def workbook_on_path():
    """The workbook's own utils/ and solutions/ importable (the console script does not start in the repository)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def visible_calls(name, implementation):
    """[(input hash, outcome hashes)] of ``implementation`` run as ``name`` under its visible check."""
    workbook_on_path()
    from utils.checks import run
    from utils.checks.diagnosis import Recorder

    recorder = Recorder(implementation, name)
    with _silent(), contextlib.suppress(Exception):  # a failed check (CheckFailed) or a crashing entry
        run(name, recorder)
    return recorder.calls


def _reference(name):
    workbook_on_path()
    return getattr(importlib.import_module(f"solutions.{module_of(name)}"), name)


def hidden_input_keys():
    """Input hashes of every call the hidden tests make to the student's function (run with the reference)."""
    workbook_on_path()
    from utils.checks.diagnosis import Recorder

    from .hidden import TESTS
    from .hidden.student import StudentFunction

    keys = set()
    for test_id, test in TESTS.items():
        name = test_id.partition(".")[0]
        recorder = Recorder(_reference(name), name)
        with _silent(), contextlib.suppress(Exception):
            test(StudentFunction(recorder, name))
        keys |= {key for key, _ in recorder.calls}
    return keys


def visible_input_keys(name):
    """Input hashes of the calls the visible check of ``name`` makes with the reference."""
    return {key for key, _ in visible_calls(name, _reference(name))}


def catalog():
    """Every catalog entry the visible checks can name: the hand-written ones, then the generated ones."""
    from .hidden.mistakes import GENERATED, MISTAKES

    return [*MISTAKES, *GENERATED]


def build():
    """{"functions": {function: {"mistakes": ..., "hand": ..., "calls": ...}}} from the catalog (diagnosis.py).

    ``mistakes`` lists the hand-written entries first, ``hand`` says how many: where a hand entry and a
    generated one both match, the visible check names only the hand entry.
    """
    from .hidden.mistakes import MISTAKES

    hand = {(mistake.function, mistake.name) for mistake in MISTAKES}
    hidden = hidden_input_keys()
    messages, named = {}, {}
    for mistake in catalog():
        messages.setdefault(mistake.function, {}).setdefault(mistake.name, mistake.message)
        calls = named.setdefault(mistake.function, {})
        for key, hashes in visible_calls(mistake.function, _isolated(mistake.implementation)):
            if key in hidden:
                continue
            for digest in hashes:
                names = calls.setdefault(key, {}).setdefault(digest, [])
                if mistake.name not in names:
                    names.append(mistake.name)
    functions = {}
    for function, calls in named.items():
        used = {name for outcomes in calls.values() for names in outcomes.values() for name in names}
        order = [name for name in messages[function] if name in used]  # catalog order: hand entries first
        index = {name: position for position, name in enumerate(order)}
        functions[function] = {
            "mistakes": [[name, messages[function][name]] for name in order],
            "hand": sum((function, name) in hand for name in order),
            "calls": {
                key: {digest: sorted(index[name] for name in names) for digest, names in outcomes.items()}
                for key, outcomes in calls.items()
            },
        }
    return {"functions": functions}


def _isolated(implementation):
    """Run a catalog entry on deep copies, as the hidden tests do (catalog code may share arrays)."""
    return lambda *args, **kwargs: implementation(*copy.deepcopy(args), **copy.deepcopy(kwargs))


def render(table):
    """The file's text: sorted keys, one line per function (stable diffs)."""
    functions = sorted(table["functions"].items())
    lines = [f"  {json.dumps(name)}: {json.dumps(entry, sort_keys=True)}" for name, entry in functions]
    return '{"functions": {\n' + ",\n".join(lines) + "\n}}\n"


def expected_text():
    return render(build())


def audit(text, allowed=None, hidden=None):
    """Leak findings for a fingerprints file's text (empty list: nothing but catalog hashes of visible calls).

    Checks that it holds only the catalog's function names, mistake names and
    messages, and hex hashes (no numbers, no other text), that every input hash
    is one the visible checks make, and that none is a hidden test's input.
    """
    try:
        functions = json.loads(text)["functions"]
    except (ValueError, KeyError, TypeError):
        return ["not a fingerprints table"]
    entries = {(m.function, m.name): m.message for m in catalog()}
    hidden = hidden_input_keys() if hidden is None else hidden
    findings = []
    for function, entry in functions.items():
        if set(entry) != {"mistakes", "hand", "calls"} or not isinstance(entry["hand"], int):
            findings.append(f"{function}: unexpected fields {sorted(entry)}")
            continue
        mistakes = entry["mistakes"]
        for pair in mistakes:
            if not (isinstance(pair, list) and len(pair) == 2 and entries.get((function, pair[0])) == pair[1]):
                findings.append(f"{function}: {pair!r} is not a catalog entry with its message")
        known = visible_input_keys(function) if allowed is None else allowed.get(function, set())
        for key, outcomes in entry["calls"].items():
            if not _is_hash(key) or key not in known:
                findings.append(f"{function}: input {key!r} is not a visible check's call")
            if key in hidden:
                findings.append(f"{function}: input {key!r} is a hidden test's input")
            for digest, indices in outcomes.items():
                valid = all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(mistakes) for i in indices)
                if not _is_hash(digest) or not valid:
                    findings.append(f"{function}: outcome {digest!r} is not a hash of catalog mistakes")
    return findings


def _is_hash(text):
    from utils.checks.diagnosis import DIGITS

    return isinstance(text, str) and len(text) == DIGITS and bool(HASH.match(text))


def drifted():
    """True if utils/checks/fingerprints.json differs from what the catalog generates."""
    return not PATH.is_file() or PATH.read_text() != expected_text()


def write():
    PATH.write_text(expected_text())
    return PATH
