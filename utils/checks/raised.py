"""Given code: an error raised in a student's exercise file, said in one short block.

    random_mini_batches raised IndexError: index 4 is out of bounds for axis 0 with size 2
      utils/minibatch.py, line 31, in random_mini_batches:  shuffled_X = X[permutation, :]
      inputs: X array of shape (2, 5), Y array of shape (1, 5), mini_batch_size=2, seed=2

``block(error)`` is that text when the error passed through a file of ``utils/`` that
holds exercises (``ondisk.EXERCISES``), else None: an error of given code keeps its
full traceback. The block names the student's deepest line, the exercise function
that was called, and that call's inputs as shapes (arrays, dicts of arrays) or short
numbers, never the values of an array. The notebook extension prints it instead of a
traceback, a check counts it as a FAIL, a slider prints it instead of its plot.
"""

import dis
import sys
from pathlib import Path

import numpy as np

from . import ondisk

_LONGEST = 240  # characters of an exception's message kept in the block


def block(error):
    """The short block for ``error`` raised in a student's exercise file, or None (not the student's code)."""
    frames = _student_frames(error)
    if not frames:
        return None
    entry, deepest = frames[0], frames[-1]
    function = entry.f_code.co_name
    message = " ".join(str(error).split())
    message = message if len(message) <= _LONGEST else message[: _LONGEST - 3] + "..."
    where = Path(deepest.f_code.co_filename)
    # a comprehension runs in a frame of its own (<listcomp>): name the function it is written in
    named = (frame.f_code.co_name for frame in reversed(frames) if not frame.f_code.co_name.startswith("<"))
    inside = next(named, function)
    called = "" if inside == function else f" (called by {function})"
    line = _source_line(where, deepest.f_lineno)
    lines = [
        f"{function} raised {type(error).__name__}" + (f": {message}" if message else ""),
        f"  {where.parent.name}/{where.name}, line {deepest.f_lineno}, in {inside}{called}:"
        + (f"  {line}" if line else ""),
    ]
    inputs = _inputs(entry)
    if inputs:
        lines.append(f"  inputs: {inputs}")
    return "\n".join(lines)


def reason(error):
    """One line for the cells that need what a raising cell would have defined, or None."""
    frames = _student_frames(error)
    if not frames:
        return None
    where = Path(frames[-1].f_code.co_filename)
    return f"raised {type(error).__name__} ({where.parent.name}/{where.name}, line {frames[-1].f_lineno})"


def function_of(error):
    """The exercise function through which ``error`` was raised (the outermost frame in a student's file)."""
    frames = _student_frames(error)
    return frames[0].f_code.co_name if frames else None


def _student_frames(error):
    """Frames of the traceback that run code of a student's exercise file, outermost first."""
    if isinstance(error, NotImplementedError):  # an untouched stub or a file that does not import: said elsewhere
        return []
    files = _exercise_files()
    frames, tb = [], error.__traceback__
    while tb is not None:
        if _resolved(tb.tb_frame.f_code.co_filename) in files:
            frames.append(_At(tb.tb_frame, tb.tb_lineno, tb.tb_lasti))
        tb = tb.tb_next
    return frames


class _At:
    """A frame of the traceback and the line it was at when the error passed through it."""

    def __init__(self, frame, lineno, lasti):
        self.f_code, self.f_locals, self.f_lineno, self.f_lasti = frame.f_code, frame.f_locals, lineno, lasti


def _exercise_files():
    files = set()
    for module in {module for module, _ in ondisk.EXERCISES.values()}:
        loaded = sys.modules.get(f"{ondisk.PACKAGE}.{module}")
        if loaded is not None and getattr(loaded, "__file__", None):
            files.add(_resolved(loaded.__file__))
    return files


def _resolved(filename):
    try:
        return Path(filename).resolve()
    except (OSError, RuntimeError):
        return Path(filename)


def _source_line(path, lineno):
    try:
        return path.read_text().splitlines()[lineno - 1].strip()
    except (OSError, IndexError, UnicodeDecodeError):
        return ""


def _inputs(entry):
    """The arguments of the exercise function's call, as shapes and short numbers (reassigned ones marked)."""
    code = entry.f_code
    count = code.co_argcount + code.co_kwonlyargcount
    names = list(code.co_varnames[:count])
    instructions = list(dis.get_instructions(code))
    at = entry.f_lasti
    loops = [  # (first, last) offsets of each loop around the error
        (instruction.argval, instruction.offset)
        for instruction in instructions
        if instruction.opname.startswith("JUMP_BACKWARD") and instruction.argval <= at <= instruction.offset
    ]
    reassigned = {  # stores the call may have run before the error: before it, or in a loop around it
        instruction.argval
        for instruction in instructions
        if instruction.opname in ("STORE_FAST", "DELETE_FAST", "STORE_DEREF")
        and (instruction.offset < at or any(first <= instruction.offset <= last for first, last in loops))
    }
    described = []
    for name in names:
        if name not in entry.f_locals:
            continue
        value = _describe(entry.f_locals[name])
        text = f"{name}{value}" if value.startswith("=") else f"{name} {value}"
        described.append(text + (" (after your code reassigned it)" if name in reassigned else ""))
    return ", ".join(described)


def _describe(value):
    """'array of shape (2, 5)', 'dict of W1 (3, 2), b1 (3, 1)', '=0.01': what a value is, not its entries."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}"
    if isinstance(value, dict):
        entries = [f"{key} {_shape(item)}" for key, item in list(value.items())[:8]]
        more = ", ..." if len(value) > 8 else ""
        return f"dict of {', '.join(entries)}{more}" if entries else "an empty dict"
    if isinstance(value, bool | np.bool_) or value is None:
        return f"={value}"
    if isinstance(value, int | np.integer):
        return f"={int(value)}"
    if isinstance(value, float | np.floating):
        return f"={float(value):.6g}"
    if isinstance(value, str):
        return f"={value[:40]!r}"
    if isinstance(value, list | tuple):
        return f"{type(value).__name__} of {len(value)} items"
    return f"({type(value).__name__})"


def _shape(value):
    if isinstance(value, np.ndarray):
        return str(value.shape)
    if isinstance(value, int | float | np.number):
        return "(a number)"
    return f"({type(value).__name__})"
