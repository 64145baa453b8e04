"""The sentence a student reads for a generated mistake: the edit, in the lecture's symbols, at its formula line.

The reference's names are written as the lecture writes them (``LECTURE``:
``learning_rate`` is alpha, ``grad`` is dW, ``new_v[key]`` is v_dW, ...); an
edited fragment is quoted only when it is short (``MAX_FRAGMENT``) and then
only in those symbols, so the sentence points at the formula, never at the
reference's code. The formula line is the docstring line (``formula_lines``)
that shares the most symbols with the edited statement.
"""

import ast
import re
import textwrap

MAX_FRAGMENT = 36
LECTURE = {
    "learning_rate": "alpha",
    "learning_rate0": "alpha_0",
    "grad": "dW",
    "grads[key]": "dW",
    "value": "W",
    "parameters[name]": "W",
    "new_parameters[name]": "W",
    "new_v[key]": "v_dW",
    "v[key]": "v_dW",
    "new_s[key]": "s_dW",
    "s[key]": "s_dW",
    "v_corrected[key]": "v_corrected",
    "s_corrected[key]": "s_corrected",
    "correction1": "(1 - beta1**t)",
    "correction2": "(1 - beta2**t)",
    "np.square": "square",
    "np.sqrt": "sqrt",
    "math.sqrt": "sqrt",
    "math.floor": "floor",
    "math.ceil": "ceil",
}
ROUNDING_WORDS = {"floor": "the floor", "round": "round", "ceil": "the ceiling", "int": "int (truncation)"}
_SYMBOL = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
# a docstring line of prose, not a formula: a continuation ("and the correction fades as beta^t -> 0"),
# a sentence ("Because V_0 = 0, ...", "Example: ..."), or a symbol followed by words ("V_t averages roughly")
_PROSE = re.compile(
    r"^(?:(?i:and|or|but|so|because|example|otherwise|no|then|which|where|when|as)\b"
    r"|[A-Z][a-z]+[\s:,]|\S+ [a-z]{4,} [a-z]{4,})"
)


def lecture(text):
    """``text`` (Python source of a fragment) in the lecture's symbols."""
    for code in sorted(LECTURE, key=len, reverse=True):
        text = re.sub(r"(?<![\w.\[])" + re.escape(code) + r"(?![\w\[])", LECTURE[code], text)
    return text.replace(" ** ", "**")


FUNCTIONS = {"sqrt", "square", "floor", "ceil", "round", "int", "abs", "min", "max"}


def _fragment(text, symbols=None):
    """A short fragment in the lecture's symbols, or None when it would be a line of code or name a symbol
    the student never read (a temporary of the reference's code, when ``symbols`` says which they read)."""
    if not text or text == "pass":
        return None
    text = lecture(text)
    read = None if symbols is None else {*symbols, *_SYMBOL.findall(" ".join(LECTURE.values())), *FUNCTIONS}
    if read is not None and not set(_SYMBOL.findall(text)) <= read:
        return None
    return text if len(text) <= MAX_FRAGMENT and "[" not in text and "{" not in text else None


def formula_lines(docstring):
    """The docstring's formula lines: indented lines with an ``=`` or ``->`` that are not prose (``_PROSE``),
    before the Arguments section."""
    head = (docstring or "").split("Arguments:")[0]
    lines = [line.strip() for line in head.splitlines()[1:]]
    return [
        line for line in lines if ("=" in line or "->" in line) and not line.endswith(":") and not _PROSE.match(line)
    ]


def _symbols(text):
    return set(_SYMBOL.findall(text)) - {"np", "math", "key", "name"}


def formula_for(statement, docstring):
    """The formula line closest to ``statement`` (most shared lecture symbols), or None."""
    wanted = _symbols(lecture(statement))
    best, score = None, 0.0
    for line in formula_lines(docstring):
        have = _symbols(line)
        overlap = len(wanted & have) / len(wanted | have) if wanted | have else 0.0
        if overlap > score:
            best, score = line, overlap
    return best


def _dropped(before, after):
    """What a drop_term edit left out: the other operand of the binary operation."""
    try:
        node = ast.parse(before, mode="eval").body
    except SyntaxError:
        return None
    if isinstance(node, ast.BinOp):
        kept = after.strip()
        left, right = ast.unparse(node.left), ast.unparse(node.right)
        return right if kept == left else left
    return None


def phrase(kind, before, after, symbols=None, statement=None):
    """What the edit did, said with the lecture's symbols (``symbols``: the ones the student reads; one clause)."""
    first_before, first_after = before.split("; ")[0], after.split("; ")[0]
    old, new = _fragment(first_before, symbols), _fragment(first_after, symbols)
    twice = " (in both places)" if "; " in before else ""
    if kind == "rounding":
        return _rounding(first_before, first_after)
    if kind == "constant" and first_before.isdigit() and f".shape[{first_before}]" in (statement or ""):
        return f"the size along axis {first_after} where the formula takes the size along axis {first_before}"
    if kind == "drop_term":
        dropped = _dropped(first_before, first_after) or ""
        left_out = _fragment(dropped, symbols)
        if dropped in ("'d'", '"d"'):
            return "the parameters' keys (W1, b1, ...) where the gradients' keys (dW1, db1, ...) belong"
        return f"the formula without {left_out}" if left_out else "the formula with one factor or term left out"
    if kind == "bias_correction_skipped":
        return "the formula without its bias correction (the division by 1 - beta**t is skipped)"
    if kind == "statement_dropped":
        return "the formula with one of its updates left out (a value is never updated or stored)"
    if kind == "alias":
        return "a function that changes an array it was given in place (the input itself, not a new array, is updated)"
    if kind == "wrong_key":
        return "a lookup with the wrong key: the parameter's name without the gradient's 'd' prefix"
    if kind == "precedence":
        moved = f" ({new} instead of {old})" if old and new else ""
        return f"the formula with its parentheses moved{moved}"
    if kind == "epsilon":
        moved = f" ({new} instead of {old})" if old and new else ""
        return f"the formula with epsilon in the wrong place{moved}"
    if kind == "swap_operands":
        swapped = f" ({new} instead of {old})" if old and new else ""
        return f"the formula with two operands swapped{swapped}"
    if kind == "square_root" and old and new:
        return f"{new} where the formula has {old}"
    if kind == "square_root":
        return "the formula with a square root or a square left out"
    if old and new:
        return f"{new} where the formula has {old}{twice}"
    change = {
        "constant": "a constant changed (0 for 1, ones for zeros)",
        "off_by_one": "a count or bound off by one",
        "swap_variables": "one variable in place of another of the same kind",
        "one_minus": "a weight and its complement (x and 1 - x) confused",
        "sign": "a sign flipped",
    }.get(kind, "one small change")
    return f"the formula with {change}"


def _rounding(before, after):
    old = _SYMBOL.findall(lecture(before))
    new = _SYMBOL.findall(lecture(after))
    old_word = ROUNDING_WORDS.get(old[0], old[0]) if old else "a rounding"
    new_word = new[0] if new else "another rounding"
    argument = _fragment(before[before.find("(") + 1 : before.rfind(")")]) if "(" in before else None
    of = f" of {argument}" if argument else ""
    return f"{new_word} where the formula takes {old_word}{of}"


def _check(statement):
    """ "the check epoch_num < 1 that raises ValueError" when ``statement`` is an ``if`` that raises, else None."""
    try:
        node = ast.parse(textwrap.dedent(statement)).body[0]
    except (SyntaxError, IndexError):
        return None
    raised = next((n for n in getattr(node, "body", ()) if isinstance(n, ast.Raise)), None)
    if not isinstance(node, ast.If) or raised is None:
        return None
    error = raised.exc.func if isinstance(raised.exc, ast.Call) else raised.exc
    condition = _fragment(ast.unparse(node.test))
    return f"the check {condition + ' ' if condition else ''}that raises {ast.unparse(error)}"


def sentence(kind, before, after, statement, docstring, symbols=None):
    """The student-facing sentence of a generated mistake (``symbols``: the lecture symbols the student reads)."""
    where = _check(statement) or formula_for(statement, docstring)
    line = f", in {' '.join(where.split())}" if where else ""
    return f"your result matches {phrase(kind, before, after, symbols, statement)}{line}"
