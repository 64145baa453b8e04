"""One submission's hidden tests, as a pure function of plain data: ``grade_job(job) -> result``.

The job holds the submission's files as bytes, the grade cells to decide
(read from the instructor's source notebooks) and the limits. The function
runs in a trusted process (a local pool worker or a Dask worker): it writes a
scratch copy of the files with the workbook's given code laid over them,
starts the student's sandboxed worker on it, runs each hidden test here with
the student's functions as proxies, and returns one verdict per grade cell.
The student's code never sees the job, the tests or the reference.

job = {"student": str, "assignment": str, "files": {relative path: bytes},
       "tests": [{"notebook", "grade_id", "test_id", "points"}],
       "limits": {"test_timeout": s, "budget": s, "memory_mb": MB, "grader_memory_mb": MB},
       "sandbox": bool, "accept_reference": bool, "queued": time.time() when the job was made}
result = {"student", "verdicts": [{"notebook", "grade_id", "test_id", "points",
          "score", "status": "pass" | "partial" | "fail", "output": stdout text,
          "message": None or the failure}], "notes": [str], "seconds": float,
          "stages": {"queued", "started", "graded": time.time() of each}}
"""

import ast
import contextlib
import io
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path, PurePosixPath

from ..exercises import EXERCISES, ROOT
from ..sandbox import bwrap
from ..sandbox.client import Limits

# memory_mb: the sandbox's address space. grader_memory_mb: the data memory (RLIMIT_DATA) of the trusted
# process grading the job (see limit_memory). Measured: a pool process, warmed and after grading the
# reference on all 43 hidden tests, has 125 MB resident and 269 MB of data (VmHWM, VmData; 2 CPUs).
# 2048 MB leaves a margin of 7x for machines with more BLAS threads (their buffers count as data).
DEFAULT_LIMITS = {"test_timeout": 20.0, "budget": 180.0, "memory_mb": 4096, "grader_memory_mb": 2048}
MAX_FILE_BYTES = 20 * 2**20
GIVEN = ("utils", "datasets")  # laid over the student's copy: the workbook's given code and data


def limits(overrides=None):
    """DEFAULT_LIMITS with the non-None ``overrides``."""
    return DEFAULT_LIMITS | {key: value for key, value in (overrides or {}).items() if value is not None}


def limit_memory(megabytes):
    """Cap the data memory (RLIMIT_DATA: heap and private mappings) of this trusted grading process.

    Past it, an allocation fails with MemoryError in the job that made it (that student's failure)
    rather than the machine swapping or killing a process. Only the soft limit is lowered, so that
    the sandbox started from here can be given its own limits (``Limits.apply``). Call it only in a
    process that does nothing but grade (a pool process, the child a Dask worker starts).
    """
    hard = resource.getrlimit(resource.RLIMIT_DATA)[1]
    wanted = int(megabytes) * 2**20
    resource.setrlimit(resource.RLIMIT_DATA, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))


def grade_calls(source):
    """[(test_id, points or None)] of the ``grade("id", points=N)`` calls in a grade cell's source."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "grade" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                points = next((k.value.value for k in node.keywords if k.arg == "points"), None)
                calls.append((first.value, points))
    return calls


def tests_of(source_dir):
    """The hidden-test grade cells of an assignment's source notebooks (the instructor's, never the student's)."""
    import nbformat

    tests = []
    for path in sorted(Path(source_dir).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
                continue
            for test_id, _ in grade_calls(cell.source):
                tests.append(
                    {
                        "notebook": path.stem,
                        "grade_id": meta["grade_id"],
                        "test_id": test_id,
                        "points": float(meta.get("points", 0)),
                    }
                )
    return tests


def read_files(folder):
    """{relative path: bytes} of a submission folder's regular files (no symlinks, none too large)."""
    files = {}
    folder = Path(folder)
    for directory, dirs, names in os.walk(folder):  # links to folders are not followed
        dirs[:] = sorted(name for name in dirs if name != "__pycache__")
        for name in sorted(names):
            path = Path(directory, name)
            if not path.is_symlink() and path.is_file() and path.stat().st_size <= MAX_FILE_BYTES:
                files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


def _safe(relative):
    path = PurePosixPath(relative)
    return not path.is_absolute() and ".." not in path.parts and path.parts and not path.parts[0].startswith(".")


def write_scratch(scratch, files, root=ROOT):
    """The submission's files (notebooks left out) under ``scratch``, with the given code and data laid over."""
    for relative, content in files.items():
        if _safe(relative) and not relative.endswith(".ipynb"):
            target = scratch / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.parent.is_dir() and not target.is_dir():
                target.write_bytes(content)
    for name in GIVEN:
        given = root / name
        for path in given.rglob("*"):
            relative = path.relative_to(root)
            if path.is_dir() or "__pycache__" in relative.parts:
                continue
            if relative.parent == Path("utils") and path.stem in EXERCISES and (scratch / relative).is_file():
                continue  # the student's exercise module
            target = scratch / relative
            if target.is_dir():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    bwrap.give_to_sandbox(scratch)


def sources(files):
    """{exercise module: submitted source text} (read before any student code runs)."""
    texts = {}
    for module in EXERCISES:
        content = files.get(f"utils/{module}.py")
        if content is not None:
            texts[module] = content.decode("utf-8", errors="replace")
    return texts


def _verdict(test, score, output, message):
    if message is None:
        status = "pass" if score is None else "partial"
        score = test["points"] if score is None else float(score)
    else:
        status, score = "fail", 0.0
    return {**test, "score": score, "status": status, "output": output, "message": message}


def _run_test(test, code):
    from ..hidden import grade

    stdout = io.StringIO()
    score = message = None
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
        try:
            score = grade(test["test_id"], points=test["points"], code=code)
        except AssertionError as failure:
            message = str(failure)
        except Exception as error:  # a grader bug must still give a verdict, never a crash of the whole class
            message = f"{test['test_id']}: the grader failed ({type(error).__name__}: {error})"
            print(f"FAIL {test['test_id']}: {message}")
    return _verdict(test, score, stdout.getvalue()[:20_000], message)


def _not_run(test, budget):
    message = f"{test['test_id']}: not run: the submission used up its grading budget of {budget:g} s"
    return _verdict(test, None, f"FAIL {message}\n", message)


def grade_job(job):
    """Decide every grade cell of one submission (see the module docstring). Safe to retry."""
    from ..hidden.code import Sandboxed

    started, started_at = time.monotonic(), time.time()
    settings = limits(job.get("limits"))
    budget, per_test = float(settings["budget"]), float(settings["test_timeout"])
    worker_limits = Limits(memory_mb=int(settings["memory_mb"]), cpu_seconds=int(budget) + 30)
    verdicts, notes = [], []
    with tempfile.TemporaryDirectory(prefix="optgrade-job-") as tmp:
        scratch = Path(tmp) / "submission"
        scratch.mkdir()
        write_scratch(scratch, job["files"])
        code = Sandboxed(
            scratch, sources(job["files"]), job.get("sandbox", True), worker_limits, job.get("accept_reference", False)
        )
        try:
            for test in job["tests"]:
                remaining = budget - (time.monotonic() - started)
                if remaining <= 0:
                    verdicts.append(_not_run(test, budget))
                    continue
                if remaining < per_test:
                    seconds, reason = remaining, f"the submission's grading budget of {budget:g} s"
                else:
                    seconds, reason = per_test, f"the time limit of {per_test:g} s per test"
                with code.limit(seconds, reason):
                    verdicts.append(_run_test(test, code))
        finally:
            code.close()
    skipped = sum(v["message"] is not None and "grading budget" in v["message"] for v in verdicts)
    if skipped:
        notes.append(f"grading budget of {budget:g} s used up: {skipped} tests scored 0")
    return {
        "student": job["student"],
        "verdicts": verdicts,
        "notes": notes,
        "seconds": round(time.monotonic() - started, 2),
        "stages": {"queued": job.get("queued"), "started": round(started_at, 3), "graded": round(time.time(), 3)},
    }
