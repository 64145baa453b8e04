"""The sandboxed worker: imports one student's modules and calls their functions for the trusted grader.

Runs inside the sandbox as ``python -I -B worker.py IN_FD OUT_FD ROOT`` with
``wire.py`` beside it and nothing of the grader's: it imports only the
standard library, numpy, the workbook's given code and the student's files
under ROOT. Requests arrive on IN_FD and answers leave on OUT_FD (see
``wire``); the student's own prints go to /dev/null.

Requests:
    {"op": "load", "module": name}
        -> {"ok": true, "patched": [numpy functions the import replaced], "functions": [callable names]}
    {"op": "call", "module": name, "function": name, "args": [...], "kwargs": {...}}
        -> {"ok": true, "value": ..., "changes": [...]}   (the in-place changes the call made to its
           arguments, see ``changes``, so the grader sees them in its own objects); while it runs, the
           student's code may call a callback argument, which sends
           {"op": "callback", "id": n, "args": [...], "kwargs": {...}}
           and waits for {"op": "result", "ok": ..., "value" | "error": ...}.
Failures answer {"ok": false, "error": {"type": name, "message": text, "builtin": bool}}.
"""

import builtins
import importlib
import os
import sys
import warnings

import numpy as np
import numpy.testing

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves the script's folder off sys.path
import wire  # noqa: E402

del sys.path[0]

WATCHED = {
    np: ("allclose", "isclose", "array_equal", "array_equiv", "array", "asarray"),
    numpy.testing: (
        "assert_allclose",
        "assert_array_equal",
        "assert_array_almost_equal",
        "assert_almost_equal",
        "assert_approx_equal",
        "assert_equal",
    ),
}
GENUINE = {(owner.__name__, name): getattr(owner, name) for owner, names in WATCHED.items() for name in names}


def error_record(error):
    message = str(error).strip().splitlines()[0][:500] if str(error).strip() else ""
    kind = type(error)
    return {"type": kind.__name__[:60], "message": message, "builtin": kind.__module__ == "builtins"}


def restore_numpy():
    patched = []
    for owner, names in WATCHED.items():
        for name in names:
            if getattr(owner, name) is not GENUINE[owner.__name__, name]:
                patched.append(f"{owner.__name__}.{name}")
                setattr(owner, name, GENUINE[owner.__name__, name])
    return sorted(patched)


def snapshot(item):
    """What an argument object holds before the call: its values (arrays) or the identities it points to."""
    if isinstance(item, np.ndarray):
        return item.copy()
    if isinstance(item, dict):
        return [(key, id(value)) for key, value in item.items()]
    if isinstance(item, list):
        return [id(value) for value in item]
    return None


def changes(table, before, encoder):
    """The in-place changes the call made to the argument objects: [kind, index, new state] for each.

    Arrays send their new values; dicts and lists their new items, in which an
    argument object appears as {"$k": index}: the grader applies them to its own objects.
    """
    found = []
    for index, (item, old) in enumerate(zip(table, before, strict=True)):
        if isinstance(item, np.ndarray):
            if item.shape != old.shape or not np.array_equal(item, old, equal_nan=item.dtype.kind in "fc"):
                found.append(["array", index, encoder(item.copy())])
        elif isinstance(item, dict) and [(key, id(value)) for key, value in item.items()] != old:
            found.append(["dict", index, [[encoder(key), encoder(value)] for key, value in item.items()]])
        elif isinstance(item, list) and [id(value) for value in item] != old:
            found.append(["list", index, [encoder(value) for value in item]])
    return found


class Worker:
    def __init__(self, fd_in, fd_out, root):
        self.fd_in, self.fd_out, self.root = fd_in, fd_out, os.path.realpath(root)

    def send(self, message):
        wire.send(self.fd_out, message)

    def purge(self):
        """Forget every module imported from the student's folder, so the next import reads the files anew."""
        for name, module in list(sys.modules.items()):
            path = getattr(module, "__file__", None) or ""
            if name == "utils" or name.startswith("utils.") or os.path.realpath(path).startswith(self.root + os.sep):
                del sys.modules[name]
        importlib.invalidate_caches()

    def load(self, request):
        self.purge()
        restore_numpy()
        try:
            module = importlib.import_module(f"utils.{request['module']}")
            functions = sorted(name for name, value in vars(module).items() if callable(value))[:1000]
        except BaseException as error:  # noqa: B036 (SystemExit and KeyboardInterrupt of student code too)
            restore_numpy()
            return {"ok": False, "error": error_record(error)}
        return {"ok": True, "patched": restore_numpy(), "functions": [str(name) for name in functions]}

    def callback(self, number):
        def call_back(*args, **kwargs):
            self.send({"op": "callback", "id": number, "args": wire.encode(list(args)), "kwargs": wire.encode(kwargs)})
            answer = wire.receive(self.fd_in)
            if answer.get("ok"):
                return wire.decode(answer["value"])
            error = answer.get("error") or {}
            kind = getattr(builtins, str(error.get("type")), None)
            kind = kind if isinstance(kind, type) and issubclass(kind, Exception) else RuntimeError
            raise kind(error.get("message", "the grader's function failed"))

        return call_back

    def call(self, request):
        module = sys.modules.get(f"utils.{request['module']}")
        function = getattr(module, request["function"], None) if module is not None else None
        if not callable(function):
            return {"ok": False, "error": {"type": "AttributeError", "message": "no such function", "builtin": True}}
        decoder = wire.Decoder(self.callback)
        args, kwargs = decoder(request["args"]), decoder(request["kwargs"])
        before = [snapshot(item) for item in decoder.table]
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                value = function(*args, **kwargs)
        except BaseException as error:  # noqa: B036 (a student's sys.exit is an answer too)
            return {"ok": False, "error": error_record(error)}
        encoder = wire.Encoder(known={id(item): index for index, item in enumerate(decoder.table)})
        try:
            return {"ok": True, "value": encoder(value), "changes": changes(decoder.table, before, encoder)}
        except (wire.WireError, RecursionError) as error:
            return {"ok": False, "error": {"type": "WireError", "message": str(error), "builtin": False}}

    def serve(self):
        while True:
            try:
                request = wire.receive(self.fd_in)
            except wire.Closed:
                return
            handler = {"load": self.load, "call": self.call}.get(request.get("op"))
            refusal = {"ok": False, "error": {"type": "ValueError", "message": "unknown request"}}
            answer = handler(request) if handler else refusal
            self.send(answer)


def main(argv):
    fd_in, fd_out, root = int(argv[1]), int(argv[2]), argv[3]
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.path.insert(0, root)
    sys.setrecursionlimit(5000)
    Worker(fd_in, fd_out, root).serve()


if __name__ == "__main__":
    main(sys.argv)
