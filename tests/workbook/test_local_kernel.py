"""optgrade.local_kernel: the instructor's notebook runs over Unix sockets, with a client that polls in slices."""

import asyncio
import os
import shutil
import time
from queue import Empty

import pytest
import zmq
import zmq.asyncio
from jupyter_client.session import Session
from jupyter_core.paths import jupyter_runtime_dir
from nbformat.v4 import new_code_cell, new_notebook

from optgrade import local_kernel


def test_a_notebook_runs_over_unix_sockets_with_the_sliced_client_and_leaves_no_socket_file():
    before = set(os.listdir(jupyter_runtime_dir())) if os.path.isdir(jupyter_runtime_dir()) else set()
    notebook = new_notebook(cells=[new_code_cell("6 * 7")])
    client = local_kernel.notebook_client(notebook, timeout=60)
    with client.setup_kernel():
        seen = (client.km.transport, type(client.kc).__name__, type(client.kc.shell_channel).__name__)
        address = client.km.ip
        client.execute_cell(notebook.cells[0], 0)
    assert seen == ("ipc", "SlicedClient", "SlicedChannel")
    assert os.path.isabs(address) and address.startswith(jupyter_runtime_dir())
    assert notebook.cells[0].outputs[0]["data"]["text/plain"] == "42"
    assert set(os.listdir(jupyter_runtime_dir())) - before == set()


def _pair():
    context = zmq.asyncio.Context()
    receiver, sender = context.socket(zmq.PAIR), context.socket(zmq.PAIR)
    port = receiver.bind_to_random_port("tcp://127.0.0.1")
    sender.connect(f"tcp://127.0.0.1:{port}")
    return context, receiver, sender


def test_get_msg_waits_the_whole_timeout_in_slices_then_says_empty():
    async def scenario():
        context, receiver, sender = _pair()
        channel = local_kernel.SlicedChannel(receiver, Session(key=b""))
        started = time.monotonic()
        with pytest.raises(Empty):
            await channel.get_msg(timeout=3 * local_kernel.SLICE + 0.2)
        waited = time.monotonic() - started
        context.destroy(linger=0)
        return waited

    waited = asyncio.run(scenario())
    assert 3 * local_kernel.SLICE + 0.2 <= waited < 3 * local_kernel.SLICE + 2


def test_get_msg_returns_a_message_that_arrives_after_several_slices():
    async def scenario():
        context, receiver, sender = _pair()
        session = Session(key=b"")
        channel = local_kernel.SlicedChannel(receiver, session)

        async def later():
            await asyncio.sleep(2.5 * local_kernel.SLICE)
            session.send(sender, "kernel_info_reply", {"status": "ok"})

        task = asyncio.ensure_future(later())
        message = await channel.get_msg(timeout=30)
        await task
        context.destroy(linger=0)
        return message

    assert asyncio.run(scenario())["msg_type"] == "kernel_info_reply"


def test_the_sandboxed_kernel_manager_uses_the_sliced_client():
    from optgrade.course.plugins.execute import SandboxedKernelManager

    manager = SandboxedKernelManager()
    try:
        assert manager.client_class == local_kernel.CLIENT
        assert type(manager.client().shell_channel).__name__ == "SlicedChannel"
    finally:
        shutil.rmtree(manager.private, ignore_errors=True)
