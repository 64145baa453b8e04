"""The import graph of the ``optgrade`` package, read with ``ast`` (nothing is imported or run).

``modules(root)`` maps each dotted module name to its file; ``edges(root)`` lists every import of one
optgrade module by another (module level and inside functions alike) with the names it takes;
``circles``, ``private_uses`` and ``upward`` count what ``tests/project/test_imports.py`` forbids. Run as a
script it prints the three counts, the measure quoted in the reports.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def modules(root=ROOT):
    """{"optgrade.course.layout": Path, ...}; a package is named by its folder (its ``__init__.py``)."""
    found = {}
    for path in sorted((root / "optgrade").rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _package(name, path):
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _resolve(name, path, node):
    """The absolute module an ImportFrom names (``from ..x import y`` -> ``optgrade.x``)."""
    if node.level == 0:
        return node.module or ""
    base = _package(name, path).split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def edges(root=ROOT):
    """[(importer, imported module, {names taken from it, or the attributes used on it})], optgrade modules only.

    ``from .x import y`` where ``y`` is itself a module is an edge to ``x.y``; ``import a.b as c`` and
    ``from . import m`` bind a module whose attribute uses (``m._name``) count as names taken from it.
    """
    known = modules(root)
    found = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(), str(path))
        bound = {}  # local name -> module it binds
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in known:
                        found.append((name, alias.name, set()))
                        bound[alias.asname or alias.name] = alias.name
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(name, path, node)
                if not target.startswith("optgrade"):
                    continue
                taken = set()
                for alias in node.names:
                    submodule = f"{target}.{alias.name}"
                    if submodule in known:
                        found.append((name, submodule, set()))
                        bound[alias.asname or alias.name] = submodule
                    else:
                        taken.add(alias.name)
                if taken and target in known:
                    found.append((name, target, taken))
        attributes = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound:
                attributes.setdefault(bound[node.value.id], set()).add(node.attr)
        for target, names in attributes.items():
            found.append((name, target, names))
    return [(a, b, names) for a, b, names in found if a != b]


def circles(graph_edges, within=None):
    """Strongly connected groups of two or more modules (Tarjan), among the modules ``within`` selects."""
    graph = {}
    for a, b, _ in graph_edges:
        if within is None or (within(a) and within(b)):
            graph.setdefault(a, set()).add(b)
            graph.setdefault(b, set())
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def private_uses(graph_edges):
    """[(importer, module, name)] for each ``_name`` one module takes from another (dunders excepted)."""
    return sorted(
        (a, b, name)
        for a, b, names in graph_edges
        for name in names
        if name.startswith("_") and not name.startswith("__")
    )


def upward(graph_edges, layer_of):
    """[(importer, imported)] where the imported module sits in a higher layer (a smaller number) than the importer."""
    layers = {(a, b): (layer_of(a), layer_of(b)) for a, b, _ in graph_edges}
    return sorted(pair for pair, (top, bottom) in layers.items() if None not in (top, bottom) and bottom < top)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent / "project"))  # the layers are test_imports's
    from test_imports import LAYERS, layer_of

    graph = edges()
    print(f"modules {len(modules())}, import edges {len({(a, b) for a, b, _ in graph})}")
    for group in circles(graph):
        print(f"circle of {len(group)}: {' '.join(group)}")
    for a, b, name in private_uses(graph):
        print(f"private: {a} uses {b}.{name}")
    for a, b in upward(graph, layer_of):
        print(f"upward: {a} -> {b} (layer {layer_of(a)} -> {layer_of(b)})")
    print(f"layers: {LAYERS}")
