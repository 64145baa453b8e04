"""The grading kernel: ipykernel started under an address-space limit, with the real optgrade preloaded.

nbgrader runs every submitted notebook in this kernel (``Execute.kernel_name``
in the course's nbgrader_config.py). The launcher

* caps the kernel's virtual memory (``RLIMIT_AS``), so a memory blow-up ends
  in MemoryError or a dead kernel instead of taking the grading machine down;
* imports ``optgrade.hidden`` before any student code runs, so a submitted
  file or folder named ``optgrade`` cannot stand in for the hidden tests;
* pins BLAS to one thread (grading shares the machine with other kernels).

    python -P -m optgrade.course.kernel --memory-mb 4096 -f CONNECTION_FILE
"""

import json
import resource
import sys

from ..hidden.integrity import ACCEPT_REFERENCE

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def kernelspec(memory_mb, accept_reference=False):
    """The kernel.json of the grading kernel (accept_reference: verbatim reference copies score, for demos)."""
    env = dict.fromkeys(THREAD_VARIABLES, "1") | ({ACCEPT_REFERENCE: "1"} if accept_reference else {})
    return {
        "argv": [sys.executable, "-P", "-m", __name__, "--memory-mb", str(memory_mb), "-f", "{connection_file}"],
        "display_name": f"Python 3 (optgrade grading, {memory_mb} MB)",
        "language": "python",
        "env": env,
        "metadata": {"debugger": False},
    }


def install(jupyter_dir, name, memory_mb, accept_reference=False):
    """Write the kernel spec under ``jupyter_dir/kernels/name`` (add jupyter_dir to JUPYTER_PATH to use it)."""
    spec_dir = jupyter_dir / "kernels" / name
    spec_dir.mkdir(parents=True, exist_ok=True)
    (spec_dir / "kernel.json").write_text(json.dumps(kernelspec(memory_mb, accept_reference), indent=2) + "\n")
    return spec_dir


def main(argv):
    memory_mb = int(argv[argv.index("--memory-mb") + 1])
    rest = [arg for i, arg in enumerate(argv) if arg != "--memory-mb" and (i == 0 or argv[i - 1] != "--memory-mb")]
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from ipykernel.kernelapp import launch_new_instance

    import optgrade.hidden  # noqa: F401  (cached in sys.modules before student code can shadow it)

    launch_new_instance(argv=rest)


if __name__ == "__main__":
    main(sys.argv[1:])
