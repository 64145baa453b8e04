"""``optgrade autograde --execute``: the student's notebooks re-run in a Jupyter kernel inside the sandbox.

``ContainedExecute`` replaces nbgrader's Execute: when a student's code kills the kernel (a crash,
``os._exit``, the memory limit) or leaves it unresponsive to an interrupt, nbgrader would abandon the
whole submission. Here the cell gets an error output instead (so its grade cell scores 0), a fresh
kernel starts, the setup cell runs again, and grading goes on with the next cell.

``SandboxedExecute`` is ``ContainedExecute`` (nbgrader's Execute surviving
dead kernels) with a kernel that runs inside bubblewrap
(``optgrade.sandbox.bwrap.command``) on a scratch copy of the notebook's
folder (the student's files and the instructor's given files) at
/submission, under the rlimits of ``optgrade.sandbox.client.Limits``, as the
sandbox's unprivileged uid when the grader is root. The grade cells that hold
hidden tests are not run: ``TrustedVerdicts`` writes their outputs from the
verdicts decided outside the sandbox; every other code cell runs as nbgrader
would run it.

The sandbox has no network, so the kernel talks ZeroMQ over Unix sockets
(``transport="ipc"``) in a private folder per kernel, bound into the sandbox
at the same path. Shutting the kernel down kills the sandbox's process group;
its PID namespace takes everything the student's code started with it.
"""

import copy
import os
import shutil
import signal
import subprocess
import sys
import tempfile

from jupyter_client.manager import AsyncKernelManager
from nbclient.client import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from nbgrader.utils import is_grade, is_solution
from traitlets import Instance, Integer, Unicode

from ... import local_kernel
from ...sandbox import bwrap
from ...sandbox.client import Limits
from ..layout import Course


def _error(name, message):
    return NotebookNode(output_type="error", ename=name, evalue=message, traceback=[f"{name}: {message}"])


class ContainedExecute(Execute):
    """nbgrader's Execute, surviving kernels that die or stop answering (the base of ``SandboxedExecute``)."""

    max_restarts = Integer(3, help="fresh kernels per notebook before the remaining cells are marked not run").tag(
        config=True
    )

    def preprocess(self, nb, resources=None, km=None):
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        code = [index for index, cell in enumerate(self.nb.cells) if cell.cell_type == "code"]
        setup = code[0] if code else None
        start, restarts = 0, 0
        while start < len(self.nb.cells):
            with self.setup_kernel():
                info = self.wait_for_reply(self.kc.kernel_info())
                self.nb.metadata["language_info"] = info["content"]["language_info"]
                index = start
                try:
                    if start > 0 and setup is not None:  # a fresh kernel: imports first
                        self.execute_cell(copy.deepcopy(self.nb.cells[setup]), setup, store_history=False)
                    for index in range(start, len(self.nb.cells)):
                        self.preprocess_cell(self.nb.cells[index], resources, index)
                    start = len(self.nb.cells)
                except (DeadKernelError, CellTimeoutError) as failure:
                    what = "the kernel died" if isinstance(failure, DeadKernelError) else "the kernel stopped answering"
                    self.log.warning("Cell %d: %s; starting a fresh kernel", index, what)
                    index = next((i for i in range(index, len(self.nb.cells)) if i in code), None)
                    if index is None:
                        break
                    cell = self.nb.cells[index]
                    cell.outputs.append(_error("KernelDied", f"{what} while running this cell (crash or memory limit)"))
                    start, restarts = index + 1, restarts + 1
            if restarts > self.max_restarts:
                for cell in self.nb.cells[start:]:
                    if cell.cell_type == "code":
                        cell.outputs = [_error("NotRun", "not run: the kernel died too often in this notebook")]
                break
        self.set_widgets_metadata()
        return self.nb, self.resources


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose ipykernel runs in bubblewrap on ``scratch``, reached over Unix sockets."""

    scratch = Unicode(help="the folder the kernel sees as /submission (its working directory)")
    limits = Instance(Limits, args=())

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.private = tempfile.mkdtemp(prefix="optgrade-kernel-")
        self.sockets = os.path.join(self.private, "run")
        os.mkdir(self.sockets)
        bwrap.give_to_sandbox(self.private)
        self.transport = "ipc"
        self.ip = os.path.join(self.sockets, "zmq")
        self.client_class = local_kernel.CLIENT  # a reply whose wake-up was lost is read within half a second
        self.connection_file = os.path.join(self.sockets, "kernel.json")
        # SIGINT would kill bwrap, not interrupt the kernel: interrupt by a control message
        self.kernel_spec.interrupt_mode = "message"

    def format_kernel_cmd(self, extra_arguments=None):
        """The sandboxed ipykernel (called once the connection file is written); HOME is the sandbox's /tmp."""
        bwrap.give_to_sandbox(self.private)
        program = [sys.executable, "-I", "-m", "ipykernel_launcher", "-f", self.connection_file]
        binds = [(self.sockets, self.sockets)]
        return bwrap.command(self.scratch, program + list(extra_arguments or []), extra_binds=binds)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        kw |= {
            "cwd": self.scratch,
            "env": {"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
            "preexec_fn": self.limits.apply,
            "stdout": subprocess.DEVNULL,
            "stderr": subprocess.DEVNULL,
        }
        await super()._async_launch_kernel(kernel_cmd, **kw)

    async def _async_cleanup_resources(self, restart=False):
        process = getattr(self.provisioner, "process", None)
        if process is not None and process.poll() is None:  # not reaped yet: its pid is still the sandbox's group
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self.private, ignore_errors=True)

    cleanup_resources = _async_cleanup_resources


class SandboxedExecute(ContainedExecute):
    """nbgrader's Execute with the kernel in the sandbox; hidden-test grade cells are left to TrustedVerdicts."""

    def _limits(self):
        settings = Course(self.config.CourseDirectory.root).settings
        return Limits(memory_mb=int(settings.get("memory_mb") or Limits.memory_mb))

    def preprocess(self, nb, resources=None, km=None):
        folder = (resources or {}).get("metadata", {}).get("path") or "."
        with tempfile.TemporaryDirectory(prefix="optgrade-execute-") as tmp:
            self.scratch = os.path.join(tmp, "submission")
            shutil.copytree(folder, self.scratch, symlinks=True)
            bwrap.give_to_sandbox(self.scratch)
            return super().preprocess(nb, resources, km)

    def create_kernel_manager(self):
        if not self.kernel_name:
            self.kernel_name = self.nb.metadata.get("kernelspec", {}).get("name", "python3")
        self.km = SandboxedKernelManager(
            kernel_name=self.kernel_name, config=self.config, scratch=self.scratch, limits=self._limits()
        )
        return self.km

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and is_grade(cell) and not is_solution(cell):
            return cell, resources
        return super().preprocess_cell(cell, resources, index)
