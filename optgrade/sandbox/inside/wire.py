"""The grader <-> sandbox wire format: length-prefixed JSON that can only ever decode to plain data.

Nothing read from the sandbox is unpickled or evaluated. A message is a
4-byte big-endian length and a UTF-8 JSON document. Values other than JSON's
own are tagged one-key objects:

    {"$t": [...]}                  tuple
    {"$d": [[key, value], ...]}    dict (any plain keys, insertion order kept)
    {"$a": [dtype, shape, b64, writeable]}  numpy array of a plain dtype (bool, int, uint, float, complex)
    {"$s": [dtype, b64]}           numpy scalar of such a dtype
    {"$r": n}                      the n-th container or array of this message again (aliasing kept)
    {"$c": n}                      callback n: a function the other side calls back through the wire
    {"$k": n}                      the n-th container or array of the request this answers (identity kept)
    {"$o": name}                   an object of another type: arrives as an empty ``Opaque`` of that name
    {"$f": "nan" | "inf" | "-inf"} a non-finite float

What the trusted side receives is also bounded in cost (``Budget``): bytes,
nodes (counted on the raw bytes before json.loads builds anything), opaque
values and their type names, and array bytes, per answer and per submission,
and decoding stops at the call's deadline.

This module is copied into the sandbox next to ``worker.py``: it imports only
the standard library and numpy.
"""

import base64
import json
import os
import re
import select
import struct
import time

import numpy as np

MAX_MESSAGE = 64 * 2**20  # bytes of one message
MAX_DEPTH = 64
MAX_NODES = 2_000_000
_PLAIN_KINDS = "biufc"
_NAME = re.compile(r"[^A-Za-z0-9_]")

# What decoding the sandbox's answers may cost the trusted grader (``Budget``). Measured: the largest
# answer the hidden tests receive from the reference solutions (all 43 tests, grade_job) is 10 KB,
# 66 nodes and 7.2 KB of arrays, and one whole submission's answers are 1.3 MB in 1,012 messages,
# about 12,000 nodes, no opaque value. The budgets leave a margin of 100x and more over that.
MESSAGE_BUDGET = {"message_bytes": 16 * 2**20, "nodes": 100_000, "opaques": 10_000, "array_bytes": 8 * 2**20}
SUBMISSION_BUDGET = {
    "message_bytes": 256 * 2**20,
    "nodes": 2_000_000,
    "opaques": 100_000,
    "names": 64,  # distinct type names of opaque values
    "array_bytes": 128 * 2**20,
}
_UNITS = {
    "message_bytes": "bytes",
    "nodes": "objects",
    "opaques": "objects of other types",
    "names": "distinct types",
    "array_bytes": "bytes of arrays",
}
CHECK_EVERY = 1024  # nodes decoded between two looks at the deadline
MAX_OPAQUE_TYPES = 1024  # Opaque subclasses kept for reuse, over every submission this process decodes


class WireError(ValueError):
    """A message that is not well-formed plain data (or too big, too deep)."""


class TooLarge(WireError):
    """An answer over a decoding budget (its message is the one-line reason)."""


class DecodeTimedOut(WireError):
    """Decoding an answer ran past the call's deadline."""


class Budget:
    """What decoding one submission's answers may still cost; ``message()`` is the budget of one answer.

    Both count the same things (bytes, nodes, opaque values, array bytes) and every charge goes to
    both, so an answer is refused when it is too large itself or when the submission's answers add
    up to too much. ``submission`` and ``message`` override some of the default limits.
    """

    def __init__(self, submission=None, message=None):
        self.limits = SUBMISSION_BUDGET | (submission or {})
        self.per_message = MESSAGE_BUDGET | (message or {})
        self.used = dict.fromkeys(self.limits, 0)
        self.names = set()

    def message(self):
        return _MessageBudget(self)

    def charge(self, kind, amount=1):
        self.used[kind] += amount
        if self.used[kind] > self.limits[kind]:
            raise TooLarge(_too_large(self.used[kind], kind, self.limits[kind], "in all", "per submission"))

    def name(self, name):
        """Count a type name of opaque values (each distinct name once)."""
        if name not in self.names:
            self.names.add(name)
            self.charge("names")


class _MessageBudget:
    def __init__(self, submission):
        self.submission = submission
        self.limits = submission.per_message
        self.used = dict.fromkeys(self.limits, 0)

    def charge(self, kind, amount=1):
        self.used[kind] += amount
        if self.used[kind] > self.limits[kind]:
            raise TooLarge(_too_large(self.used[kind], kind, self.limits[kind], "", "per answer"))
        self.submission.charge(kind, amount)

    def name(self, name):
        self.submission.name(name)


def _too_large(used, kind, limit, scope, per):
    return f"answer too large: {used:,} {_UNITS[kind]}{' ' + scope if scope else ''}, the limit is {limit:,} {per}"


class Opaque:
    """Stands for a value of a type that does not cross the wire (its class carries the type's name)."""

    __slots__ = ()

    def __repr__(self):
        return f"<{type(self).__name__} object>"


_OPAQUE_TYPES = {}  # sanitised name -> its Opaque subclass


def opaque_type(name):
    """The Opaque subclass called ``name`` (sanitised to an identifier), made once per name (a class is ~1 KB)."""
    clean = _NAME.sub("_", str(name))[:60] or "object"
    clean = clean if clean[0].isalpha() else f"_{clean}"
    kind = _OPAQUE_TYPES.get(clean)
    if kind is None:
        if len(_OPAQUE_TYPES) >= MAX_OPAQUE_TYPES:
            _OPAQUE_TYPES.clear()
        kind = _OPAQUE_TYPES[clean] = type(clean, (Opaque,), {"__slots__": ()})
    return kind


def opaque(name):
    """An Opaque instance whose type is called ``name`` (sanitised to an identifier)."""
    return opaque_type(name)()


def _dtype(text):
    if not isinstance(text, str) or len(text) > 8:
        raise WireError(f"bad dtype {text!r}")
    try:
        dtype = np.dtype(text)
    except TypeError as error:
        raise WireError(f"bad dtype {text!r}") from error
    if dtype.kind not in _PLAIN_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise WireError(f"dtype {text!r} is not plain data")
    return dtype


class Encoder:
    """Turn a value into JSON-ready data; ``callback(function) -> id`` handles callables (else they are Opaque)."""

    def __init__(self, callback=None, known=None):
        self.callback = callback
        self.known = known or {}  # id() -> index of the objects the other side sent (they are sent back as $k)
        self.seen = {}
        self.keep = []  # the containers and arrays in encoding order (the other side's Decoder.table)

    def __call__(self, value, depth=0):
        if depth > MAX_DEPTH:
            raise WireError("value nested too deeply")
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, int) and type(value) in (int, bool):
            return value
        if type(value) is float:
            return value if value == value and value not in (float("inf"), float("-inf")) else {"$f": str(value)}
        if id(value) in self.known:
            return {"$k": self.known[id(value)]}
        if isinstance(value, np.ndarray) and (value.dtype.kind not in _PLAIN_KINDS or value.dtype.fields is not None):
            return {"$o": f"ndarray_of_{value.dtype.kind}"}
        if type(value) in (list, tuple, dict) or isinstance(value, np.ndarray):
            if id(value) in self.seen:
                return {"$r": self.seen[id(value)]}
            self.seen[id(value)] = len(self.seen)
            self.keep.append(value)
        if isinstance(value, np.ndarray):
            data = base64.b64encode(np.ascontiguousarray(value).tobytes()).decode()
            return {"$a": [value.dtype.str, list(value.shape), data, bool(value.flags.writeable)]}
        if isinstance(value, np.generic) and value.dtype.kind in _PLAIN_KINDS:
            return {"$s": [value.dtype.str, base64.b64encode(value.tobytes()).decode()]}
        if type(value) is list:
            return [self(item, depth + 1) for item in value]
        if type(value) is tuple:
            return {"$t": [self(item, depth + 1) for item in value]}
        if type(value) is dict:
            return {"$d": [[self(key, depth + 1), self(item, depth + 1)] for key, item in value.items()]}
        if callable(value) and self.callback is not None and not isinstance(value, type):
            return {"$c": self.callback(value)}
        return {"$o": type(value).__name__}


class Decoder:
    """Turn JSON data back into plain values; ``callback(id) -> callable`` for callbacks (else refused).

    With a ``budget`` (the answer's ``Budget.message()``), opaque values, their type names and array
    bytes are charged to it; with a ``deadline`` (a time.monotonic() value), decoding past it stops.
    """

    def __init__(self, callback=None, known=(), budget=None, deadline=None):
        self.callback = callback
        self.known = known  # the objects this side sent, in its Encoder's order (for $k)
        self.table = []  # the containers and arrays decoded, in order (the other side's Encoder.keep)
        self.nodes = 0
        self.budget, self.deadline = budget, deadline

    def __call__(self, data, depth=0):
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            raise WireError("message nested too deeply or too large")
        if self.deadline is not None and self.nodes % CHECK_EVERY == 0 and time.monotonic() > self.deadline:
            raise DecodeTimedOut("decoding the answer ran past the deadline")
        if data is None or isinstance(data, (bool, int, float, str)):
            return data
        if isinstance(data, list):
            value = []
            self.table.append(value)
            value.extend(self(item, depth + 1) for item in data)
            return value
        if not isinstance(data, dict) or len(data) != 1:
            raise WireError("malformed value")
        ((tag, body),) = data.items()
        if tag == "$f" and body in ("nan", "inf", "-inf"):
            return float(body)
        if tag == "$r" and isinstance(body, int) and 0 <= body < len(self.table):
            return self.table[body]
        if tag == "$k" and isinstance(body, int) and 0 <= body < len(self.known):
            return self.known[body]
        if tag == "$o" and isinstance(body, str):
            return self._opaque(body)
        if tag == "$c" and isinstance(body, int) and self.callback is not None:
            return self.callback(body)
        if tag == "$s" and isinstance(body, list) and len(body) == 2:
            dtype = _dtype(body[0])
            raw = self._bytes(body[1], dtype.itemsize)
            return np.frombuffer(raw, dtype=dtype)[0]
        if tag == "$a" and isinstance(body, list) and len(body) == 4:
            return self._array(*body)
        if tag == "$t" and isinstance(body, list):
            slot = self._reserve()
            value = tuple(self(item, depth + 1) for item in body)
            self.table[slot] = value
            return value
        if tag == "$d" and isinstance(body, list):
            value = {}
            self.table.append(value)
            for pair in body:
                if not isinstance(pair, list) or len(pair) != 2:
                    raise WireError("malformed dict item")
                key = self(pair[0], depth + 1)
                try:
                    value[key] = self(pair[1], depth + 1)
                except TypeError as error:  # an unhashable key
                    raise WireError("unhashable dict key") from error
            return value
        raise WireError(f"unknown tag {tag!r}")

    def _opaque(self, name):
        kind = opaque_type(name)
        if self.budget is not None:
            self.budget.charge("opaques")
            self.budget.name(kind.__name__)
        return kind()

    def _reserve(self):
        self.table.append(None)
        return len(self.table) - 1

    @staticmethod
    def _bytes(text, size):
        if not isinstance(text, str):
            raise WireError("malformed bytes")
        raw = base64.b64decode(text.encode(), validate=True)
        if len(raw) != size:
            raise WireError("byte count does not match the shape")
        return raw

    def _array(self, dtype, shape, data, writeable):
        dtype = _dtype(dtype)
        if not isinstance(shape, list) or len(shape) > 32 or not all(isinstance(n, int) and n >= 0 for n in shape):
            raise WireError("bad shape")
        count = 1
        for n in shape:
            count *= n
        if self.budget is not None:
            self.budget.charge("array_bytes", count * dtype.itemsize)
        array = np.frombuffer(self._bytes(data, count * dtype.itemsize), dtype=dtype).reshape(shape).copy()
        array.setflags(write=bool(writeable))
        self.table.append(array)
        return array


def encode(value, callback=None):
    return Encoder(callback)(value)


def decode(data, callback=None):
    return Decoder(callback)(data)


def send(fd, message):
    """Write one message (a JSON-ready dict) to the file descriptor ``fd``."""
    body = json.dumps(message, separators=(",", ":"), allow_nan=False).encode()
    if len(body) > MAX_MESSAGE:
        raise WireError(f"message of {len(body)} bytes is over the {MAX_MESSAGE} byte limit")
    payload = struct.pack(">I", len(body)) + body
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class Closed(EOFError):
    """The other side closed the channel (it exited or crashed)."""


class TimedOut(TimeoutError):
    """No complete message before the deadline."""


def _read_exactly(fd, count, deadline):
    chunks, remaining = [], count
    while remaining:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimedOut()
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise Closed()
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def structure(body):
    """How many JSON values ``body`` can hold at most: its ``[``, ``{`` and ``,`` (each value but one needs one).

    Counted on the bytes (C speed, no object built), so that json.loads is never asked to build more
    Python objects than a budget allows. Characters inside strings count too: an over-estimate.
    """
    return body.count(b"[") + body.count(b"{") + body.count(b",")


def receive(fd, deadline=None, budget=None):
    """Read one message (a dict) from ``fd``; ``deadline`` is a time.monotonic() value or None.

    With a ``budget`` (``Budget.message()``), the message's bytes and nodes are charged to it before
    its body is read and parsed (TooLarge: the channel is then out of step and must be closed).
    """
    (length,) = struct.unpack(">I", _read_exactly(fd, 4, deadline))
    if length > MAX_MESSAGE:
        raise WireError(f"message of {length} bytes is over the {MAX_MESSAGE} byte limit")
    if budget is not None:
        budget.charge("message_bytes", length)
    body = _read_exactly(fd, length, deadline)
    if budget is not None:
        budget.charge("nodes", structure(body))
    try:
        message = json.loads(body)
    except (ValueError, RecursionError) as error:  # not UTF-8, not JSON, absurd numbers or nesting
        raise WireError("message is not JSON") from error
    if deadline is not None and time.monotonic() > deadline:
        raise TimedOut()
    if not isinstance(message, dict):
        raise WireError("message is not an object")
    return message
