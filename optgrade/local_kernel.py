"""Kernels on this machine for the instructor's own runs (the solved workbook, the student's copy), over Unix sockets.

jupyter_client's default TCP transport picks free ports by binding and releasing them before the kernel binds them
itself: a kernel started meanwhile by another process can take one of those ports, and the client then talks to
the wrong kernel and waits for replies that never come (jupyter_client issue 487; it hung parallel test runs
here). Unix sockets in the runtime folder, named by a new unique id, cannot collide. The path is absolute
because the kernel runs in the notebook's folder. Sandboxed kernels do the same in their own folder
(``course.plugins.execute``).
"""

import os
import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from nbclient import NotebookClient


class LocalKernelManager(AsyncKernelManager):
    """An ipykernel of this environment reached over ``ipc://`` sockets in the Jupyter runtime folder."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport, self.ip = "ipc", ipc_prefix()


def ipc_prefix():
    """A new absolute path prefix for a kernel's five sockets (``<prefix>-1`` …), in the Jupyter runtime folder."""
    os.makedirs(jupyter_runtime_dir(), exist_ok=True)
    return os.path.join(jupyter_runtime_dir(), f"kernel-{uuid.uuid4()}-ipc")


def notebook_client(notebook, **options):
    """nbclient's NotebookClient for the notebook (options as nbclient's) with a ``LocalKernelManager``."""
    return NotebookClient(notebook, kernel_manager_class=LocalKernelManager, **options)
