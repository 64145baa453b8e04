"""The import structure of ``optgrade``: no circles, no arrow upward, no private name used across modules.

Read with ``ast`` (``tests/import_graph.py``): every import, at module level or inside a function. The layers,
top (0) to bottom; a module imports only from its own layer or below (the longest prefix in ``LAYERS`` names
a module's layer, and every module must have one):

0.  ``optgrade.cli``: assembles the commands
1.  ``optgrade.commands``: one module per command (arguments, checks, printing, exit codes)
2.  the applications: ``optgrade.serve``, ``optgrade.hub``, ``optgrade.course.demo``, ``optgrade.student_copy``
3.  the course's batch steps: ``optgrade.course.{autograde, report, release, formgrader}``
4.  one submission through grading: ``optgrade.course.pipeline``
5.  the rest of ``optgrade.course`` (``build``, ``roster``, ...), nbgrader's plugins (``optgrade.course.plugins``)
6.  ``optgrade.course.{gradebook, layout}``: the gradebook and where everything lives
7.  ``optgrade.runner``: one grading job, the local pool, the Dask cluster
8.  ``optgrade.hidden``, ``optgrade.mutants``, ``optgrade.fingerprints``, ``optgrade.stubs``, ``optgrade.workbook``
9.  ``optgrade.sandbox``: the trusted side that drives the sandbox
10. ``optgrade.sandbox.inside``: what runs in the sandbox
11. ``optgrade.exercises``, ``optgrade.errors``, ``optgrade.local_kernel``, ``optgrade`` itself

Circles, upward arrows and private names used across modules are checked over the whole package.
"""

import import_graph

LAYERS = [
    ("optgrade.cli",),
    ("optgrade.commands",),
    ("optgrade.serve", "optgrade.hub", "optgrade.course.demo", "optgrade.student_copy"),
    tuple(f"optgrade.course.{name}" for name in ("autograde", "report", "release", "formgrader")),
    ("optgrade.course.pipeline",),
    ("optgrade.course",),
    ("optgrade.course.gradebook", "optgrade.course.layout"),
    ("optgrade.runner",),
    ("optgrade.hidden", "optgrade.mutants", "optgrade.fingerprints", "optgrade.stubs", "optgrade.workbook"),
    ("optgrade.sandbox",),
    ("optgrade.sandbox.inside",),
    ("optgrade.exercises", "optgrade.errors", "optgrade.local_kernel", "optgrade"),
]


def _within(module, prefix):
    return module == prefix or module.startswith(prefix + ".")


def layer_of(module):
    """The layer of a module: that of the longest prefix naming it in LAYERS."""
    best = None
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if _within(module, prefix) and (best is None or len(prefix) > len(best[1])):
                best = (number, prefix)
    return best[0] if best else None


GRAPH = import_graph.edges()


def test_the_graph_sees_imports_inside_functions_and_through_module_names():
    """Known edges of the tree as it is: a function-level import and a module bound by ``from . import``."""
    pairs = {(a, b) for a, b, _ in GRAPH}
    assert ("optgrade.commands.stubs", "optgrade.fingerprints") in pairs  # inside run()
    assert ("optgrade.sandbox.client", "optgrade.sandbox.bwrap") in pairs  # from . import bwrap, wire


def test_no_import_circle():
    assert import_graph.circles(GRAPH) == []


def test_no_arrow_runs_upward():
    assert import_graph.upward(GRAPH, layer_of) == []


def test_every_module_has_a_layer():
    assert [module for module in import_graph.modules() if layer_of(module) is None] == []


def test_no_private_name_is_used_across_modules():
    assert import_graph.private_uses(GRAPH) == []


def test_the_checks_catch_each_fault():
    """A circle, an upward arrow and a private name, made up, are each found."""
    made_up = [
        ("optgrade.course.report", "optgrade.course.autograde", {"records"}),
        ("optgrade.course.autograde", "optgrade.course.report", {"_feedback"}),
        ("optgrade.course.layout", "optgrade.serve.lock", set()),
    ]
    assert import_graph.circles(made_up) == [["optgrade.course.autograde", "optgrade.course.report"]]
    assert import_graph.private_uses(made_up) == [("optgrade.course.autograde", "optgrade.course.report", "_feedback")]
    assert import_graph.upward(made_up, layer_of) == [("optgrade.course.layout", "optgrade.serve.lock")]
