"""Kernels on this machine for the instructor's own runs (the solved workbook, the student's copy), and the client
every nbclient run of optgrade uses, sandboxed or not.

Two defences against a run that waits on a kernel that has already answered:

* Transport: jupyter_client's default TCP transport picks free ports by binding and releasing them before the
  kernel binds them itself; a kernel started meanwhile by another process can take one of those ports, and the
  client then talks to the wrong kernel (jupyter_client issue 487). Unix sockets in the runtime folder, named by
  a new unique id, cannot collide. The path is absolute because the kernel runs in the notebook's folder.
  (Sandboxed kernels use Unix sockets in their own folder: ``course.plugins.execute``.)
* Polling: an asyncio ZeroMQ socket is woken by its file descriptor's edge, and a send on the same socket can
  consume that edge (ipykernel's pull request 1529 is the kernel's side of it). Under parallel test runs here,
  nbclient's run of a notebook waited exactly its 600 s cell timeout after the last cell, its kernel idle, and
  then passed: the reply had been in the client's socket all along, and pyzmq's poll, on its timeout, checks the
  socket once more and found it. So the client polls in slices of ``SLICE`` seconds: a reply whose wake-up was
  lost is read at the end of a slice instead of at the end of the cell's timeout.
"""

import os
import time
import uuid
from queue import Empty

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from nbclient import NotebookClient
from traitlets import Type

SLICE = 0.5  # seconds: the longest a message already in the socket can wait to be read


class SlicedChannel(AsyncZMQSocketChannel):
    """A channel whose ``get_msg`` polls in slices of ``SLICE`` seconds instead of one wait for the whole timeout."""

    async def get_msg(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = SLICE if deadline is None else min(SLICE, max(0.0, deadline - time.monotonic()))
            if await self.socket.poll(int(left * 1000)):
                return await self._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty


class SlicedClient(AsyncKernelClient):
    """jupyter_client's asyncio kernel client with ``SlicedChannel`` channels."""

    shell_channel_class = Type(SlicedChannel)
    iopub_channel_class = Type(SlicedChannel)
    stdin_channel_class = Type(SlicedChannel)
    control_channel_class = Type(SlicedChannel)


CLIENT = f"{__name__}.SlicedClient"  # a kernel manager's client_class


class LocalKernelManager(AsyncKernelManager):
    """An ipykernel of this environment reached over ``ipc://`` sockets in the Jupyter runtime folder."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport, self.ip, self.client_class = "ipc", ipc_prefix(), CLIENT


def ipc_prefix():
    """A new absolute path prefix for a kernel's five sockets (``<prefix>-1`` …), in the Jupyter runtime folder."""
    os.makedirs(jupyter_runtime_dir(), exist_ok=True)
    return os.path.join(jupyter_runtime_dir(), f"kernel-{uuid.uuid4()}-ipc")


def notebook_client(notebook, **options):
    """nbclient's NotebookClient for the notebook (options as nbclient's) with a ``LocalKernelManager``."""
    return NotebookClient(notebook, kernel_manager_class=LocalKernelManager, **options)
