"""The trusted side's bounds on decoding an answer (issue 14): nodes, opaque values and types, bytes, time.

Each attack is a hand-built answer as the sandbox could send it. Under the budgets it is refused
with a one-line reason before it costs the grader more than a small multiple of its own size.
"""

import json
import os
import re
import struct
import time
import tracemalloc

import numpy as np
import pytest

from optgrade.runner import jobs
from optgrade.runner.pool import LocalExecutor
from optgrade.sandbox.client import Limits, Worker, WorkerFailure, deadline_after
from optgrade.sandbox.inside import wire


def _answer(value):
    return json.dumps({"op": "result", "ok": True, "value": value}, separators=(",", ":")).encode()


def _traced_receive(tmp_path, body, budget, deadline=None):
    """(the message, or the WireError it raised; peak bytes traced) of receive() of one message holding body."""
    path = tmp_path / "message"
    with path.open("wb") as stream:
        stream.write(struct.pack(">I", len(body)))
        stream.write(body)
    fd = os.open(path, os.O_RDONLY)
    tracemalloc.start()
    try:
        try:
            outcome = wire.receive(fd, deadline, budget)
        except wire.WireError as error:
            outcome = error
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        os.close(fd)


def _receive(tmp_path, body, budget):
    outcome, _ = _traced_receive(tmp_path, body, budget)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def _refused(tmp_path, body, budget, match):
    """The message is refused as too large, the reason matching ``match``; returns the peak bytes traced."""
    outcome, peak = _traced_receive(tmp_path, body, budget)
    assert isinstance(outcome, wire.TooLarge), outcome
    assert re.search(match, str(outcome)), str(outcome)
    return peak


def _array(values):
    return wire.Encoder()(np.asarray(values, dtype=float))


def test_two_million_objects_of_the_students_own_class_are_refused_before_json_builds_them(tmp_path):
    body = _answer([{"$o": "Thing"}] * 2_000_000)
    assert wire.MESSAGE_BUDGET["message_bytes"] < len(body) < wire.MAX_MESSAGE
    _refused(tmp_path, body, wire.Budget().message(), "bytes, the limit is 16,777,216 per answer$")
    unbounded_bytes = wire.Budget(message={"message_bytes": wire.MAX_MESSAGE}).message()
    peak = _refused(tmp_path, body, unbounded_bytes, r"^answer too large: 4,000,0\d\d objects, the limit is 100,000")
    assert peak < 3 * len(body)  # the raw bytes, never 2M Python objects (about 6 GB before the budgets)


def test_a_flood_of_empty_lists_is_refused_before_json_builds_them(tmp_path):
    body = _answer([[]] * 5_000_000)
    peak = _refused(tmp_path, body, wire.Budget().message(), r"the limit is 100,000 per answer$")
    assert peak < 3 * len(body)


def test_an_array_over_the_byte_budget_is_refused(tmp_path):
    body = _answer(_array(np.zeros(wire.MESSAGE_BUDGET["array_bytes"] // 8 + 1)))
    message = _receive(tmp_path, body, wire.Budget().message())  # the message itself is small enough
    with pytest.raises(wire.TooLarge, match="bytes of arrays, the limit is 8,388,608 per answer"):
        wire.Decoder(budget=wire.Budget().message())(message["value"])


def test_arrays_add_up_against_the_submissions_budget():
    submission = wire.Budget(submission={"array_bytes": 1000})
    for _ in range(12):
        wire.Decoder(budget=submission.message())(_array(np.zeros(10)))  # 80 bytes each: 960 in all
    with pytest.raises(wire.TooLarge, match="1,040 bytes of arrays in all, the limit is 1,000 per submission"):
        wire.Decoder(budget=submission.message())(_array(np.zeros(10)))


def _nested(depth):
    return _array([1.0, 2.0]) if depth == 0 else [_nested(depth - 1), _nested(depth - 1)]


def test_deeply_nested_lists_of_small_arrays_are_refused(tmp_path):
    body = _answer(_nested(17))  # 131,072 small arrays, 16 levels of lists
    assert len(body) < wire.MESSAGE_BUDGET["message_bytes"]
    _refused(tmp_path, body, wire.Budget().message(), "answer too large: .* objects, the limit is 100,000")


def test_a_nested_answer_within_the_budgets_is_decoded(tmp_path):
    message = _receive(tmp_path, _answer(_nested(10)), wire.Budget().message())
    value = wire.Decoder(budget=wire.Budget().message())(message["value"])
    leaf = value
    while isinstance(leaf, list):
        leaf = leaf[-1]
    assert leaf.tolist() == [1.0, 2.0]


def test_nodes_add_up_against_the_submissions_budget(tmp_path):
    submission = wire.Budget(submission={"nodes": 2500})
    body = _answer(list(range(1000)))
    for _ in range(2):
        _receive(tmp_path, body, submission.message())
    with pytest.raises(wire.TooLarge, match=r"objects in all, the limit is 2,500 per submission"):
        _receive(tmp_path, body, submission.message())


def test_a_message_over_the_byte_budget_is_refused_unread(tmp_path):
    body = _answer("x" * (wire.MESSAGE_BUDGET["message_bytes"] + 1))
    with pytest.raises(wire.TooLarge, match="bytes, the limit is 16,777,216 per answer"):
        _receive(tmp_path, body, wire.Budget().message())


def test_opaque_values_and_their_type_names_are_bounded():
    many = [{"$o": "Thing"}] * (wire.MESSAGE_BUDGET["opaques"] + 1)
    with pytest.raises(wire.TooLarge, match="objects of other types, the limit is 10,000 per answer"):
        wire.Decoder(budget=wire.Budget().message())(many)
    names = [{"$o": f"Type{i}"} for i in range(wire.SUBMISSION_BUDGET["names"] + 1)]
    with pytest.raises(wire.TooLarge, match="65 distinct types in all, the limit is 64 per submission"):
        wire.Decoder(budget=wire.Budget().message())(names)


def test_opaque_types_are_made_once_per_name_and_their_cache_is_bounded():
    assert type(wire.opaque("Thing")) is type(wire.opaque("Thing"))
    for i in range(3 * wire.MAX_OPAQUE_TYPES):
        wire.opaque(f"Kind{i}")
    assert len(wire._OPAQUE_TYPES) <= wire.MAX_OPAQUE_TYPES
    assert not hasattr(wire.opaque("Thing"), "__dict__")  # an instance is a few bytes


def test_decoding_past_the_deadline_stops():
    data = [[i, float(i)] for i in range(50_000)]
    with pytest.raises(wire.DecodeTimedOut):
        wire.Decoder(budget=wire.Budget().message(), deadline=time.monotonic() - 1)(data)
    assert len(wire.Decoder(budget=wire.Budget().message(), deadline=time.monotonic() + 60)(data)) == 50_000


def test_the_largest_legitimate_answer_is_far_within_the_budgets(tmp_path):
    # the largest answer the hidden tests receive from the reference: ~10 KB, 66 nodes, 7.2 KB of arrays
    state = {f"W{i}": np.ones((30, 30)) for i in range(1, 4)} | {f"b{i}": np.zeros((30, 1)) for i in range(1, 4)}
    message = _receive(tmp_path, _answer(wire.Encoder()(state)), wire.Budget().message())
    assert wire.Decoder(budget=wire.Budget().message())(message["value"])["W2"].shape == (30, 30)


ATTACK = """
import numpy as np

class Thing:
    pass

def things():
    return [Thing() for _ in range(2_000_000)]

def nested(depth=17):
    return np.ones(2) if depth == 0 else [nested(depth - 1), nested(depth - 1)]

def fine():
    return [Thing()]
"""


@pytest.mark.slow
def test_a_sandboxed_worker_sending_too_much_is_that_calls_failure_and_the_next_call_works(student):
    (student / "utils" / "probe.py").write_text(ATTACK)
    worker = Worker(student, sandboxed=True, limits=Limits())
    try:
        for function in ("things", "nested"):
            worker.load("probe", deadline_after(30))  # a new worker, after the one that sent too much
            with pytest.raises(WorkerFailure, match=r"^gave an answer too large: [\d,]+ (bytes|objects), the limit is"):
                worker.call("probe", function, [], {}, deadline_after(60))
        worker.load("probe", deadline_after(30))
        assert type(worker.call("probe", "fine", [], {}, deadline_after(30))[0]).__name__ == "Thing"
    finally:
        worker.close()


BIG = """
import numpy as np

def big():
    return np.ones(8 * 2**20 // 8 - 16)  # just within the budgets: 8 MiB of array, 11 MB on the wire
"""


def _big_answer_under_a_low_memory_limit(job):
    """In a pool process: call big() with the grader's data memory capped 15 MB above what it uses now."""
    with open("/proc/self/status") as status:
        data_mb = next(int(line.split()[1]) for line in status if line.startswith("VmData:")) // 1024
    jobs.limit_memory(data_mb + 15)
    worker = Worker(job["folder"], sandboxed=True, limits=Limits())
    try:
        worker.load("probe", deadline_after(30))
        worker.call("probe", "big", [], {}, deadline_after(60))
    except WorkerFailure as failure:
        return {"student": job["student"], "failure": str(failure)}
    finally:
        worker.close()
    return {"student": job["student"], "failure": None}


@pytest.mark.slow
def test_an_answer_over_the_graders_own_memory_limit_is_that_calls_failure(student):
    (student / "utils" / "probe.py").write_text(BIG)
    with LocalExecutor(1, warm=None) as executor:
        (result,) = executor.map_unordered(_big_answer_under_a_low_memory_limit, [{"student": "a", "folder": student}])
    assert result["failure"] == "gave an answer too large for the grader's memory limit", result
