"""Enumerate the single edits (and cheap pairs) of a reference function, and build each as a function.

An ``Edit`` is one operator applied at one site of the function's body (or the
same edit at two sites: ``t`` -> ``t + 1`` in both bias corrections). Its
``name`` is derived from the edit itself (kind, the text before and after, the
statement it is in), so it stays the same while the reference does; ``sites``
are node positions in ``operators.nodes`` order, which ``mutated_definition`` replays on a
fresh parse of ``solutions/<module>.py``.
"""

import ast
import copy
import hashlib
import re
import sys
from itertools import combinations
from typing import NamedTuple

import numpy as np

from ..exercises import ROOT, module_of
from . import operators

MAX_SLUG = 32  # characters of each readable part of a name


class Edit(NamedTuple):
    function: str  # the exercise function
    kind: str  # an operators.Operator.kind
    sites: tuple  # ((node index, alternative index), ...): one site, or two for a pair
    before: str  # source of the edited node(s) of the reference, "; "-joined for a pair
    after: str  # source of the replacement(s)
    statement: str  # source of the (first) edited statement, for the sentence's formula line
    name: str  # stable identifier derived from the edit


def source_tree(function):
    """(module source, FunctionDef of ``function``) from solutions/<module>.py, freshly parsed."""
    source = (ROOT / "solutions" / f"{module_of(function)}.py").read_text()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == function:
            return source, node
    raise KeyError(f"solutions/{module_of(function)}.py defines no {function}()")


def body_walk(definition):
    """operators.nodes of the function, with the signature and the docstring marked off-limits (None parent)."""
    walk = operators.nodes(definition)
    body = definition.body[1:] if ast.get_docstring(definition) else definition.body
    inside = {id(node) for statement in body for node, *_ in operators.nodes(statement)}
    return [entry if id(entry[0]) in inside else (entry[0], None, None, None) for entry in walk]


def value_tag(value):
    """The type tag of a local's value (see operators): same tag = same-typed."""
    if isinstance(value, bool | np.bool_):
        return "bool"
    if isinstance(value, int | np.integer):
        return "int"
    if isinstance(value, float | np.floating):
        return "float"
    if isinstance(value, np.ndarray):
        return f"ndarray{value.ndim}"
    if callable(value):
        return "function"
    return type(value).__name__


def local_types(implementation, calls):
    """{local name: tag} of ``implementation``'s frame over ``calls`` [(args, kwargs)]; a name seen as int and
    float is "number", with other mixes "mixed"."""
    seen = {}
    code = implementation.__code__

    def tracer(frame, event, arg):
        if frame.f_code is not code:
            return None
        for name, value in frame.f_locals.items():
            seen.setdefault(name, set()).add(value_tag(value))
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        for args, kwargs in calls:
            try:
                implementation(*copy.deepcopy(args), **copy.deepcopy(kwargs))
            except Exception:  # an errors-test input: the reference raises ValueError, the locals still count
                pass
    finally:
        sys.settrace(previous)
    return {name: _merged(tags) for name, tags in seen.items()}


def _merged(tags):
    if len(tags) == 1:
        return next(iter(tags))
    return "number" if tags <= {"int", "float"} else "mixed"


def _text(node):
    return ast.unparse(ast.fix_missing_locations(node)) if not isinstance(node, ast.Pass) else "pass"


def _statement_of(walk, index):
    """The innermost statement that holds node ``index`` (itself if it is one)."""
    target = walk[index][0]
    best = None
    for node, parent, *_ in walk:
        if parent is not None and isinstance(node, ast.stmt) and not isinstance(node, ast.For | ast.If):
            if any(inner is target for inner in ast.walk(node)):
                best = node
    return best if best is not None else target


def _check_of(walk, index):
    """The ``if`` statement whose test holds node ``index`` (a range check), or None."""
    target = walk[index][0]
    checks = [node for node, *_ in walk if isinstance(node, ast.If) and any(n is target for n in ast.walk(node.test))]
    return checks[-1] if checks else None


def _slug(text):
    words = (
        text.replace("**", " pow ")
        .replace("+", " plus ")
        .replace("-", " minus ")
        .replace("*", " times ")
        .replace("/", " over ")
        .replace("<=", " le ")
        .replace("<", " lt ")
        .replace(">=", " ge ")
        .replace(">", " gt ")
    )
    slug = re.sub(r"[^0-9a-zA-Z]+", "_", words).strip("_").lower()
    if len(slug) > MAX_SLUG:
        slug = slug[: MAX_SLUG - 7].rstrip("_") + "_" + hashlib.sha256(text.encode()).hexdigest()[:6]
    return slug or "pass"


def _target(statement):
    if isinstance(statement, ast.Assign):
        return _text(statement.targets[0])
    if isinstance(statement, ast.AugAssign):
        return _text(statement.target)
    return type(statement).__name__.lower()


def _ancestors(walk):
    """{id(node): set of ids of its ancestors} for the pair check (a pair edits two disjoint spots)."""
    parents = {id(node): id(parent) for node, parent, *_ in walk if parent is not None}
    out = {}
    for node, *_ in walk:
        chain, current = set(), parents.get(id(node))
        while current is not None:
            chain.add(current)
            current = parents.get(current)
        out[id(node)] = chain
    return out


def enumerate_edits(function, types):
    """Every single edit of ``function`` by every operator, then the pairs that repeat one edit at two spots."""
    _, definition = source_tree(function)
    walk = body_walk(definition)
    singles = []
    checks = {}  # id(edited statement) -> the if statement whose test it is in (the sentence names that check)
    for operator in operators.OPERATORS:
        for index, choice in operator.sites(walk, types):
            node, parent = walk[index][0], walk[index][1]
            if parent is None:
                continue
            replacement = operator.alternatives(node, parent, types)[choice]
            statement = _statement_of(walk, index)
            if (check := _check_of(walk, index)) is not None and statement is node:
                checks[id(statement)] = check
            singles.append((operator.kind, ((index, choice),), _text(node), _text(replacement), statement))
    ancestors = _ancestors(walk)
    pairs = []
    for first, second in combinations(singles, 2):
        (i, _), (j, _) = first[1][0], second[1][0]
        same = first[0] == second[0] and first[2] == second[2] and first[3] == second[3]
        nested = id(walk[i][0]) in ancestors[id(walk[j][0])] or id(walk[j][0]) in ancestors[id(walk[i][0])]
        if same and not nested:
            pairs.append(
                (first[0], first[1] + second[1], f"{first[2]}; {second[2]}", f"{first[3]}; {second[3]}", first[4])
            )
    return _named(function, singles + pairs, checks)


def _named(function, raw, checks=None):
    """Edits with names: kind, before and after, then the statement's target and an occurrence if still ambiguous."""
    base = [
        f"{kind}__{_slug(before.split('; ')[0])}__to__{_slug(after.split('; ')[0])}"
        + ("__twice" if len(sites) > 1 else "")
        for kind, sites, before, after, _ in raw
    ]
    counts = {name: base.count(name) for name in base}
    named = [
        name if counts[name] == 1 else f"{name}__in_{_slug(_target(entry[4]))}"
        for name, entry in zip(base, raw, strict=True)
    ]
    seen = {}
    edits = []
    for name, (kind, sites, before, after, statement) in zip(named, raw, strict=True):
        seen[name] = seen.get(name, 0) + 1
        unique = name if named.count(name) == 1 else f"{name}__{seen[name]}"
        context = (checks or {}).get(id(statement), statement)  # a range check is said as the check
        edits.append(Edit(function, kind, sites, before, after, _text(context), unique))
    return edits


def mutated_definition(edit, types):
    """The FunctionDef of the edit's mutant (a fresh tree), or None if the edit no longer applies.

    ``types`` are the local types the edits were enumerated with (``local_types``).
    """
    _, definition = source_tree(edit.function)
    walk = body_walk(definition)
    operator = operators.BY_KIND[edit.kind]
    replacements = []
    for index, choice in edit.sites:
        if index >= len(walk) or walk[index][1] is None:
            return None
        node, parent, field, position = walk[index]
        alternatives = operator.alternatives(node, parent, types)
        if choice >= len(alternatives):
            return None
        replacements.append((parent, field, position, node, alternatives[choice]))
    if edit.before and "; ".join(_text(node) for *_, node, _ in replacements) != edit.before:
        return None  # the reference changed since the search: this stored edit is stale
    for parent, field, position, _, replacement in replacements:
        if position is None:
            setattr(parent, field, replacement)
        else:
            getattr(parent, field)[position] = replacement
    return ast.fix_missing_locations(definition)


def build(edit, types, namespace):
    """The mutant as a function: the mutated definition executed in a copy of ``namespace`` (the reference
    module's globals, so helpers such as ``ewa`` stay the reference's)."""
    definition = mutated_definition(edit, types)
    if definition is None:
        return None
    module = ast.Module(body=[definition], type_ignores=[])
    scope = dict(namespace)
    exec(compile(module, f"<mutant {edit.function}:{edit.name}>", "exec"), scope)
    return scope[edit.function]
