"""The leak check: a handout must hold no solution code, hidden test, solutions/ package or instructor tooling.

Solution code is recognised as the text of any ``### BEGIN SOLUTION`` region
of solutions/*.py (whole, or any three consecutive lines of a longer region,
compared with indentation and blank lines ignored) and the full source of
every solution function.

A visible check's fingerprints (``utils/checks/fingerprints.json``) are audited
by ``optgrade.fingerprints.audit``: catalog names and messages and hashes only,
of visible-check inputs only, none of them a hidden test's input.
"""

import ast
import io
import json
import re
import zipfile
from pathlib import Path

from .. import fingerprints
from ..exercises import ROOT
from ..stubs import MARKER
from .layout import STATE

WINDOW = 3
PRIVATE_TEXT = [
    (re.compile(r"###\s*(BEGIN|END)\s+HIDDEN\s+TESTS"), "a hidden test region"),
    (re.compile(r"###\s*(BEGIN|END)\s+SOLUTION"), "a solution region marker"),
    (re.compile(r"\b(from|import)\s+optgrade\b|\boptgrade\.(hidden|course|exercises)\b"), "an optgrade import"),
    (re.compile(r"\bgrade\(\s*[\"'][\w.]+[\"']"), "a hidden test's grade() call"),
    (re.compile(r"_optgrade_private_"), "the hidden tests' private reference"),
]
PRIVATE_PATHS = {
    "solutions": "the solutions package",
    "optgrade": "instructor tooling (optgrade)",
    "nbgrader_config.py": "the course's nbgrader config",
    "gradebook.db": "the gradebook",
    STATE: f"instructor tooling ({STATE})",
}


def _normalise(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def solution_fingerprints(root=ROOT):
    """{normalised code block: where it comes from} for every solution region and solution function."""
    blocks = {}
    for path in sorted((root / "solutions").glob("*.py")):
        source = path.read_text()
        region = None
        for line in source.splitlines():
            marker = MARKER.match(line)
            if marker and marker.group(3) == "BEGIN":
                region = []
            elif marker:
                lines = _normalise("\n".join(region))
                if lines:
                    blocks["\n".join(lines)] = f"a solution region of solutions/{path.name}"
                for start in range(len(lines) - WINDOW + 1) if len(lines) > WINDOW else ():
                    blocks["\n".join(lines[start : start + WINDOW])] = f"solution code from solutions/{path.name}"
                region = None
            elif region is not None:
                region.append(line)
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef):
                body = _normalise(ast.get_source_segment(source, node))
                blocks["\n".join(body)] = f"function {node.name} of solutions/{path.name}"
    return blocks


def _notebook_text(text):
    """Cell sources and text outputs of a notebook (the raw JSON when it is not one)."""
    try:
        cells = json.loads(text)["cells"]
    except (ValueError, KeyError, TypeError):
        return text
    parts = []
    for cell in cells:
        parts.append(_joined(cell.get("source", "")))
        for output in cell.get("outputs", []):
            parts += [_joined(output.get("text", "")), _joined(output.get("traceback", []))]
            parts += [_joined(value) for value in output.get("data", {}).values() if isinstance(value, (str, list))]
    return "\n".join(parts)


def _joined(value):
    return "".join(value) if isinstance(value, list) else str(value)


def _scan_text(name, text, blocks, audited):
    if name.endswith(".ipynb"):
        text = _notebook_text(text)
    findings = [f"{name}: {what}" for pattern, what in PRIVATE_TEXT if pattern.search(text)]
    if re.split(r"[!/\\]", name)[-3:] == ["utils", "checks", fingerprints.PATH.name]:
        if text not in audited:  # the audit runs every hidden test on the reference (about 3 s): once per text
            audited[text] = fingerprints.audit(text)
        findings += [f"{name}: fingerprints: {finding}" for finding in audited[text]]
    flat = "\n".join(_normalise(text))
    findings += sorted({f"{name}: {where}" for block, where in blocks.items() if block in flat})
    return findings


def _scan_path(name):
    parts = set(re.split(r"[!/\\]", name))
    return [f"{name}: {what}" for part, what in PRIVATE_PATHS.items() if part in parts]


def _read(data):
    return data.decode("utf-8", errors="ignore") if b"\0" not in data[:4096] else None


def check(target, root=ROOT, audited=None):
    """Every leak in a folder or zip (recursing into zips), one finding per line naming the file.

    ``audited`` ({fingerprints file text: the audit's findings}), if given, is shared with other checks of the same
    files: ``release`` checks the folder, then the zip of it, and audits their one fingerprints file once.
    """
    target = Path(target)
    blocks = solution_fingerprints(root)
    audited = {} if audited is None else audited
    findings = []

    def scan(name, data):
        findings.extend(_scan_path(name))
        if name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    if not member.endswith("/"):
                        scan(f"{name}!{member}", archive.read(member))
        elif (text := _read(data)) is not None:
            findings.extend(_scan_text(name, text, blocks, audited))

    if target.is_file():
        scan(target.name, target.read_bytes())
    else:
        for path in sorted(target.rglob("*")):
            if path.is_file():
                scan(str(path.relative_to(target.parent)), path.read_bytes())
    return findings
