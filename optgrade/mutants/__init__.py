"""The mistake search: small edits of each reference function, filtered, named and said in the lecture's words.

``optgrade stubs`` runs the search (``search_all``) and writes ``kept.json``
next to this file: per function the local types the edits were enumerated
with, the kept edits (function, name, kind, sites, before, after, message),
the counts of what was dropped, and the hand entries the same filters would
drop. Grading rebuilds each kept mutant from the solution's AST
(``generated()``, a few milliseconds) and ``catalog()`` lists it after the
hand entries (``hand.MISTAKES``, built from ``hand.EDITS``): the one list the
mistake hashes (``optgrade.fingerprints``) are built from. The search is an
authoring tool above the hidden tests: grading imports nothing of it and reads
only the hashes and sentences it leads to, as data.

Modules: ``hand`` (the hand-named entries, edits of the reference too),
``operators`` (one class per edit kind), ``generate`` (enumeration, names,
building a mutant), ``filtering`` (test inputs, dropped and kept),
``sentences`` (the student's sentence).

    optgrade stubs            # writes kept.json, then utils/checks/fingerprints.json
    optgrade stubs --check    # exit 1 if either drifted
"""

import ast
import functools
import json
import re
from pathlib import Path

from ..exercises import EXERCISES
from . import filtering, generate, sentences
from .hand import MISTAKES, Mistake

PATH = Path(__file__).with_name("kept.json")
FUNCTIONS = [function for _, functions in EXERCISES.values() for function in functions]


def _reference_module(function):
    from ..exercises import module_of
    from ..hidden import reference

    return reference.module(module_of(function))


def search(function):
    """{"types", "kept", "counts", "hand"} of ``function``: the search's result as stored in kept.json.

    "hand" reports the hand entries (edits of the reference too, ``hand.EDITS``) the same filters would drop:
    [name, reason, the earlier hand entry it equals]; the catalog keeps them all (the author decides)."""
    module = _reference_module(function)
    reference = getattr(module, function)
    calls = filtering.test_inputs(function, reference)
    types = generate.local_types(reference, calls)
    symbols = lecture_symbols(reference)
    edits = [edit for edit in generate.enumerate_edits(function, types) if _plausible(edit, symbols)]
    mutants = [(edit, _built(edit, types, module)) for edit in edits]
    hand = [mistake for mistake in MISTAKES if mistake.function == function]
    results = filtering.classify(function, reference, mutants, hand, calls)
    counts = {reason: 0 for reason in filtering.REASONS}
    for _, reason, _ in results:
        counts[reason] += 1
    docstring = ast.get_docstring(generate.source_tree(function)[1])
    kept = [
        {
            "name": edit.name,
            "kind": edit.kind,
            "sites": [list(site) for site in edit.sites],
            "before": edit.before,
            "after": edit.after,
            "message": sentences.sentence(edit.kind, edit.before, edit.after, edit.statement, docstring, symbols),
        }
        for edit, reason, _ in results
        if reason == "kept"
    ]
    dropped = [[name, reason, into] for name, reason, into in filtering.classify_hand(function, reference, hand, calls)]
    return {
        "types": dict(sorted(types.items())),
        "kept": kept,
        "counts": {"generated": len(results), **counts},
        "hand": {"entries": len(hand), "dropped": [entry for entry in dropped if entry[1] != "kept"]},
    }


def lecture_symbols(reference):
    """The names a student reads in the lecture's formula: the function's parameters and its docstring's words."""
    code = reference.__code__
    words = re.findall(r"[A-Za-z_]\w*", reference.__doc__ or "")
    return {*code.co_varnames[: code.co_argcount + code.co_kwonlyargcount], *words}


def _plausible(edit, symbols):
    """False for a swap involving a helper variable of the reference (``value``, ``new_v``, ``start``): a student
    confuses the formula's symbols (beta1 and beta2, v and s), not the solution's own temporaries."""
    if edit.kind != "swap_variables":
        return True
    return all(name in symbols for name in [*edit.before.split("; "), *edit.after.split("; ")])


def _built(edit, types, module):
    try:
        return generate.build(edit, types, vars(module))
    except (SyntaxError, TypeError, ValueError):  # an edit that does not compile counts as crashing
        return None


def search_all():
    """{function: search(function)} for every exercise function."""
    return {function: search(function) for function in FUNCTIONS}


def render(table):
    """The text of kept.json: one function per line block, sorted keys (stable diffs)."""
    return json.dumps({"functions": table}, indent=1, sort_keys=True) + "\n"


def drifted():
    """True if kept.json differs from what the search finds now (the solutions or the catalog changed)."""
    return not PATH.is_file() or PATH.read_text() != render(search_all())


def write():
    """Run the search, write kept.json, forget the previously built entries; the search's table."""
    table = search_all()
    PATH.write_text(render(table))
    generated.cache_clear()
    return table


def stored():
    """The committed search result {function: {"types", "kept", "counts"}} ({} if there is none)."""
    try:
        return json.loads(PATH.read_text())["functions"]
    except (OSError, ValueError, KeyError):
        return {}


@functools.cache
def generated():
    """The kept mutants as catalog entries (``Mistake``), rebuilt from the solutions."""
    entries = []
    for function, result in stored().items():
        module = _reference_module(function)
        for kept in result["kept"]:
            edit = generate.Edit(
                function,
                kept["kind"],
                tuple(tuple(site) for site in kept["sites"]),
                kept["before"],
                kept["after"],
                "",
                kept["name"],
            )
            implementation = _built(edit, result["types"], module)
            if implementation is not None:
                entries.append(Mistake(function, kept["name"], kept["message"], implementation))
    return entries


def catalog(function=None):
    """The one list of mistakes: the hand-written entries, then the generated ones (of ``function`` if given)."""
    return [mistake for mistake in [*MISTAKES, *generated()] if function in (None, mistake.function)]


def counts_table(table):
    """Lines of per-function counts for ``optgrade stubs``."""
    header = ["function", "generated", *filtering.REASONS]
    rows = [[function, *(str(result["counts"][column]) for column in header[1:])] for function, result in table.items()]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in [header, *rows]]
