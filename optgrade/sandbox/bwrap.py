"""The bubblewrap command line that confines one student's code.

Why bubblewrap: it is the maintained, unprivileged sandbox Flatpak is built
on (Debian package ``bubblewrap``), it needs no daemon or image, and it gives
exactly what grading needs: a private mount namespace that holds only what we
bind into it, no network, a new PID namespace (everything the student starts
dies with the sandbox) and no capabilities.

Inside the sandbox the filesystem holds only
  /usr (and the /lib, /bin links)      the operating system's read-only runtime
  the Python prefixes, read-only         the interpreter and the course's packages (any ``optgrade``
                                         package installed there is hidden under an empty tmpfs)
  /grader/worker.py, /grader/wire.py     the worker (it imports nothing of the grader's)
  /submission                            a scratch copy of this one student's files, writable
  /tmp                                   a small private tmpfs
and no environment variable of the grader's. When the grader runs as root,
the student's code runs as an unprivileged uid of its own (``setpriv``), so
the process limit applies and nothing in the sandbox is root.
"""

import functools
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

INSIDE = Path(__file__).resolve().parent / "inside"  # the files copied into the sandbox
WORKER_FILES = ("worker.py", "wire.py")
SUBMISSION = "/submission"
SANDBOX_UID_BASE = 100_000
TMP_BYTES = 64 * 2**20
ENVIRONMENT = {
    "PATH": "/usr/bin:/bin",
    "HOME": "/tmp",
    "LANG": "C.UTF-8",
    "MPLBACKEND": "Agg",
    "MPLCONFIGDIR": "/tmp",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def _python_prefixes():
    """Directories the interpreter and its packages live in (the venv and the base installation)."""
    prefixes = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent.parent}
    return sorted({prefix.resolve() for prefix in prefixes} | prefixes)


def _grader_packages():
    """Installed copies of optgrade inside the Python prefixes (a non-editable install): hidden in the sandbox."""
    spec = importlib.util.find_spec("optgrade")
    locations = [Path(p).resolve() for p in (spec.submodule_search_locations or [])] if spec else []
    return [path for path in locations if any(path.is_relative_to(prefix) for prefix in _python_prefixes())]


def _with_parents(path, made):
    """bwrap arguments creating the ancestors of ``path`` world-traversable (bwrap would copy their modes)."""
    arguments = []
    for parent in reversed(Path(path).parents):
        if str(parent) in made or parent == Path("/"):
            continue
        made.add(str(parent))
        arguments += ["--perms", "0755", "--dir", str(parent)]
    return arguments


def _system_links():
    arguments = []
    for name in ("lib", "lib64", "bin", "sbin", "lib32", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            arguments += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            arguments += ["--ro-bind", str(path), str(path)]
    return arguments


def sandbox_uid():
    """The unprivileged uid the student's code runs as when the grader is root (one per grading process)."""
    return SANDBOX_UID_BASE + os.getpid() % 50_000


def drops_privileges():
    return os.geteuid() == 0


def chown_tree(root, uid):
    """Make ``root`` and everything under it ``uid``'s (group too), links not followed."""
    for directory, dirs, names in os.walk(root):
        for name in [*dirs, *names]:
            os.lchown(os.path.join(directory, name), uid, uid)
    os.chown(root, uid, uid)


def give_to_sandbox(root):
    """Make ``root`` and everything under it the sandbox uid's, links not followed (when the grader is root)."""
    if drops_privileges():
        chown_tree(root, sandbox_uid())


def command(scratch, program, bwrap="bwrap", extra_binds=()):
    """argv running ``program`` (a list) inside the sandbox with ``scratch`` as /submission."""
    made = {"/usr"}
    argv = [bwrap, "--die-with-parent", "--new-session", "--unshare-ipc", "--unshare-pid", "--unshare-net"]
    argv += ["--unshare-uts", "--unshare-cgroup-try"]
    argv += ["--unshare-user"] if not drops_privileges() else []
    argv += ["--ro-bind", "/usr", "/usr", *_system_links()]
    # /tmp first: a Python prefix (a venv in a clone under /tmp) is bound over it, not hidden by it
    argv += ["--perms", "01777", "--size", str(TMP_BYTES), "--tmpfs", "/tmp"]
    made.add("/tmp")
    if Path("/etc/ld.so.cache").exists():
        argv += _with_parents("/etc/ld.so.cache", made) + ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    for prefix in _python_prefixes():
        if not str(prefix).startswith("/usr/"):
            argv += _with_parents(prefix, made) + ["--ro-bind", str(prefix), str(prefix)]
    for package in _grader_packages():
        argv += ["--tmpfs", str(package)]
    argv += ["--proc", "/proc", "--dev", "/dev"]
    argv += ["--perms", "0755", "--dir", "/grader"]
    for name in WORKER_FILES:
        argv += ["--ro-bind", str(INSIDE / name), f"/grader/{name}"]
    for source, target in extra_binds:
        argv += _with_parents(target, made) + ["--bind", str(source), str(target)]
    argv += ["--bind", str(scratch), SUBMISSION, "--chdir", SUBMISSION, "--clearenv"]
    for name, value in ENVIRONMENT.items():
        argv += ["--setenv", name, value]
    if drops_privileges():
        uid = str(sandbox_uid())
        argv += ["--", "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs"]
        argv += ["--inh-caps=-all", "--bounding-set=-all"]
    else:
        argv += ["--"]
    return argv + list(program)


def worker_program(fd_in, fd_out, root=SUBMISSION):
    """The worker's command line (the same inside the sandbox and, for --unsafe-no-sandbox, outside it)."""
    return [
        sys.executable,
        "-I",
        "-B",
        str(INSIDE / "worker.py") if root != SUBMISSION else "/grader/worker.py",
        str(fd_in),
        str(fd_out),
        str(root),
    ]


@functools.cache
def check():
    """None if the sandbox works here, else the reason it does not (cached per process)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap (the `bwrap` command, Debian package `bubblewrap`) is not installed"
    probe = Path(os.environ.get("TMPDIR", "/tmp"))
    program = [sys.executable, "-I", "-c", "import numpy"]
    try:
        done = subprocess.run(
            command(probe, program, bwrap), capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap could not start a sandbox: {error}"
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return f"bubblewrap could not start a sandbox: {lines[-1] if lines else f'exit {done.returncode}'}"
    return None
