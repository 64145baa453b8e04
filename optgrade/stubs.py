"""Generate the student stubs in utils/ from the reference solutions in solutions/.

Code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` is replaced by
a ``raise NotImplementedError`` that names the function, the file and the
notebook; everything else (imports, signatures, docstrings) is kept, so
there is one source of truth per exercise.

    optgrade stubs            # rewrite utils/<module>.py for every exercise module, run the
                              # mistake search (optgrade/mutants/kept.json, counts printed)
                              # and write utils/checks/fingerprints.json (optgrade.fingerprints)
    optgrade stubs --check    # exit 1 if any of them differs from what would be generated
"""

import ast
import re

from .exercises import EXERCISES, ROOT

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
HEADER = (
    "# Exercise file for {notebook}: replace each `raise NotImplementedError(...)`\n"
    "# with your code. (Generated from solutions/{module}.py by `optgrade stubs`.)\n"
)
MARKER = re.compile(r"^(\s*)(### (BEGIN|END) SOLUTION)\s*$")  # group 3: BEGIN or END


def _enclosing_functions(source):
    """Map each line number to the name of the innermost function around it."""
    owner = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for line in range(node.lineno, node.end_lineno + 1):
                if line not in owner or owner[line][0] < node.lineno:
                    owner[line] = (node.lineno, node.name)
    return {line: name for line, (_, name) in owner.items()}


def make_stub(source, module):
    """Student version of a solution module's source."""
    notebook = EXERCISES[module][0]
    owners = _enclosing_functions(source)
    out, inside = [HEADER.format(notebook=notebook, module=module)], False
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        marker = MARKER.match(line)
        if marker and marker.group(3) == "BEGIN":
            if inside:
                raise ValueError(f"solutions/{module}.py:{number}: nested {BEGIN}")
            inside, indent, name = True, marker.group(1), owners.get(number)
            if name is None:
                raise ValueError(f"solutions/{module}.py:{number}: {BEGIN} outside a function")
            out.append(
                f"{indent}# YOUR CODE HERE\n"
                f"{indent}raise NotImplementedError(\n"
                f'{indent}    "{name}() is not implemented yet: write it in utils/{module}.py, save, "\n'
                f'{indent}    "and re-run the cell ({notebook} explains what it should do)."\n'
                f"{indent})\n"
            )
        elif marker:
            if not inside:
                raise ValueError(f"solutions/{module}.py:{number}: {END} without {BEGIN}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"solutions/{module}.py: {BEGIN} is never closed")
    return "".join(out)


def solved_source(source):
    """A solution module with its markers removed (for the solved workbook)."""
    return "".join(line for line in source.splitlines(keepends=True) if not MARKER.match(line))


def expected_stubs(root=ROOT):
    """{path of utils/<module>.py: the stub text it should hold}."""
    return {
        root / "utils" / f"{module}.py": make_stub((root / "solutions" / f"{module}.py").read_text(), module)
        for module in EXERCISES
    }


def drifted(root=ROOT):
    """Paths in utils/ whose text differs from the generated stub."""
    return [path for path, text in expected_stubs(root).items() if not path.is_file() or path.read_text() != text]


def write(root=ROOT):
    """Write every stub into utils/; returns the paths written."""
    written = []
    for path, text in expected_stubs(root).items():
        path.write_text(text)
        written.append(path)
    return written
