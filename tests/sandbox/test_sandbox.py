"""The sandbox's parts: the plain-data wire format, the worker's view of the filesystem, limits and write-back."""

import ast
import json
import os
import pickle

import numpy as np
import pytest

from optgrade.exercises import ROOT
from optgrade.sandbox import bwrap
from optgrade.sandbox.client import CallTimedOut, Limits, Worker, WorkerDied, deadline_after
from optgrade.sandbox.inside import wire


def _round_trip(value):
    return wire.decode(json.loads(json.dumps(wire.encode(value))))


def test_plain_values_keep_their_types_shapes_flags_and_aliasing():
    W = np.arange(6.0).reshape(2, 3)
    W.setflags(write=False)
    state = {"W1": W, "b1": np.zeros((2, 1))}
    got = _round_trip((state, state, [1, 2.5, float("nan")], np.float64(3.5), np.int64(2), "s", None, True, {1: 2}))
    assert got[0] is got[1] and isinstance(got, tuple)
    assert got[0]["W1"].tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]] and not got[0]["W1"].flags.writeable
    assert type(got[3]) is np.float64 and got[3] == 3.5 and type(got[4]) is np.int64
    assert got[2][:2] == [1, 2.5] and got[2][2] != got[2][2]
    assert got[5:] == ("s", None, True, {1: 2})


def test_other_objects_arrive_as_empty_stand_ins_named_like_their_type():
    class Sneaky:
        def __reduce__(self):
            return (os.system, ("true",))

    got = _round_trip([Sneaky(), np.array([object()], dtype=object)])
    assert [type(item).__name__ for item in got] == ["Sneaky", "ndarray_of_O"]
    assert all(isinstance(item, wire.Opaque) for item in got)


@pytest.mark.parametrize(
    "data",
    [
        {"$a": ["O", [1], "AAAAAAAAAAA=", True]},  # object dtype
        {"$a": ["<f8", [2], "AAAAAAAAAAA=", True]},  # 8 bytes for 2 floats
        {"$a": ["[('a', '<f8')]", [1], "AAAAAAAAAAA=", True]},  # structured
        {"$p": pickle.dumps(1).hex()},  # no such tag: pickles have no way in
        {"$r": 3},  # a reference to nothing
        {"$t": [1], "$d": []},  # two tags
    ],
)
def test_malformed_or_unsafe_data_is_refused(data):
    with pytest.raises(wire.WireError):
        wire.decode(data)


def test_messages_over_the_size_limit_are_refused():
    read, write = os.pipe()
    os.write(write, (wire.MAX_MESSAGE + 1).to_bytes(4, "big"))
    with pytest.raises(wire.WireError):
        wire.receive(read)
    os.close(read)
    os.close(write)


def _worker(folder, source, **limits):
    (folder / "utils" / "probe.py").write_text(source)
    worker = Worker(folder, sandboxed=True, limits=Limits(**limits))
    worker.load("probe", deadline_after(30))
    return worker


VIEW = """
import os, socket

def view(paths):
    seen = {path: os.path.exists(path) for path in paths}
    try:
        socket.create_connection(("127.0.0.1", 9), timeout=1)
        seen["network"] = True
    except OSError:
        seen["network"] = False
    seen["uid"] = os.getuid()
    seen["environment"] = sorted(os.environ)
    return seen
"""


def test_the_sandbox_holds_no_reference_course_or_network(student):
    assert bwrap.check() is None, "bubblewrap must work here: the suite tests the sandboxed path"
    worker = _worker(student, VIEW)
    paths = [str(ROOT / "solutions"), str(ROOT / "optgrade"), str(ROOT / "utils"), "/root", "/etc/passwd", "/work"]
    try:
        seen = worker.call("probe", "view", [paths], {}, deadline_after(30))
    finally:
        worker.close()
    assert [path for path in paths if seen[path] and path not in ("/root", "/work")] == []
    assert seen["network"] is False
    assert set(seen["environment"]) <= set(bwrap.ENVIRONMENT) | {"PWD"}  # none of the grader's variables
    if os.geteuid() == 0:
        assert seen["uid"] != 0  # root's sandbox runs the student's code as an unprivileged uid


def test_a_stalled_call_is_killed_at_its_deadline_and_a_crash_is_reported(student):
    worker = _worker(student, "import os, time\n\ndef stall():\n    time.sleep(60)\n\ndef crash():\n    os._exit(3)\n")
    with pytest.raises(CallTimedOut):
        worker.call("probe", "stall", [], {}, deadline_after(1))
    assert not worker.alive
    worker.load("probe", deadline_after(30))
    with pytest.raises(WorkerDied, match="status 3"):
        worker.call("probe", "crash", [], {}, deadline_after(30))


def test_in_place_changes_show_in_the_callers_objects_and_rebinding_stays_rebinding(student):
    source = (
        "def scale(state, grads):\n"
        "    state['W1'] *= 2\n"  # in place: the caller's array changes
        "    state['b1'] = state['b1'] + 1\n"  # rebinding: the caller's array does not
        "    return state\n"
    )
    worker = _worker(student, source)
    state = {"W1": np.ones((1, 2)), "b1": np.zeros((1, 1))}
    W1, b1 = state["W1"], state["b1"]
    try:
        got = worker.call("probe", "scale", [state, {"dW1": np.ones((1, 2))}], {}, deadline_after(30))
    finally:
        worker.close()
    assert got is state  # the same object came back
    assert W1.tolist() == [[2.0, 2.0]] and state["W1"] is W1
    assert b1.tolist() == [[0.0]] and state["b1"].tolist() == [[1.0]]


def test_callbacks_run_in_the_grader_and_answer_plain_data(student):
    worker = _worker(student, "def apply(f, x):\n    return f(x) + f(x)\n")
    calls = []

    def trusted(x):
        calls.append(type(x).__name__)
        return np.asarray(x) * 3

    try:
        got = worker.call("probe", "apply", [trusted, np.array([1.0, 2.0])], {}, deadline_after(30))
    finally:
        worker.close()
    assert got.tolist() == [6.0, 12.0] and calls == ["ndarray", "ndarray"]


def test_the_worker_imports_only_the_standard_library_numpy_and_the_wire_format():
    imported = set()
    for name in ("worker.py", "wire.py"):
        tree = ast.parse((ROOT / "optgrade" / "sandbox" / "inside" / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add((node.module or "").split(".")[0] if not node.level else "relative")
    assert imported <= {
        "base64",
        "builtins",
        "importlib",
        "json",
        "numpy",
        "os",
        "re",
        "select",
        "struct",
        "sys",
        "time",
        "warnings",
        "wire",
    }, imported
