"""Mutation operators: the small edits of a formula a student makes, one class per edit kind.

Each operator looks at one AST node of a reference function's body and returns
its alternatives (new nodes that replace it, each a complete mistaken version
of that spot). ``Operator.sites(nodes, types)`` lists the (node index,
alternative) pairs it applies to, so the search is the product of the operators
and the nodes. ``types`` maps each local name of the function to a tag of the
value it held when the reference ran ("int", "float", "str", "dict",
"ndarray1", ...): two names with the same tag are "same-typed" (``beta1`` and
``beta2``, ``v`` and ``s``), an "int" name is a counter that can be off by one.

Nodes are numbered in the order of ``nodes(tree)`` (a depth-first walk), which
``generate.apply`` repeats on a fresh parse, so a site is reproducible from the
source alone.
"""

import ast
import copy

ROUNDING = {"floor": "math.floor", "round": "round", "ceil": "math.ceil", "int": "int"}
ROOTS = {"sqrt"}  # np.sqrt, math.sqrt
COPIES = {"zeros_like", "empty_like", "copy", "array", "asarray", "ones_like"}
NON_ASSOCIATIVE = (ast.Sub, ast.Div, ast.Pow, ast.FloorDiv, ast.Mod)


def nodes(tree):
    """Every node under ``tree`` (itself first), depth first in field order, with (parent, field, position)."""
    out = [(tree, None, None, None)]

    def visit(node):
        for field, value in ast.iter_fields(node):
            if isinstance(value, list):
                for position, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        out.append((item, node, field, position))
                        visit(item)
            elif isinstance(value, ast.AST):
                out.append((value, node, field, None))
                visit(value)

    visit(tree)
    return out


def _name(identifier):
    return ast.Name(id=identifier, ctx=ast.Load())


def _number(value):
    return ast.Constant(value=value)


def _call_name(node):
    """'sqrt' for np.sqrt(x) / math.sqrt(x) / sqrt(x); None if ``node`` is not such a call."""
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return node.func.id if isinstance(node.func, ast.Name) else None


def _call(dotted, *args):
    module, _, attr = dotted.rpartition(".")
    func = ast.Attribute(value=_name(module), attr=attr, ctx=ast.Load()) if module else _name(attr)
    return ast.Call(func=func, args=list(args), keywords=[])


def _is_load(node):
    return isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)


class Operator:
    """One edit kind. Subclasses define ``kind`` and ``alternatives(node, parent, types)``."""

    kind = ""

    def alternatives(self, node, parent, types):  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def sites(self, walk, types):
        """[(node index, alternative index)] of every place this operator can edit."""
        return [
            (index, choice)
            for index, (node, parent, _, _) in enumerate(walk)
            for choice in range(len(self.alternatives(node, parent, types)))
        ]


class Constant(Operator):
    """0 <-> 1 (and 2 -> 1), zeros <-> ones."""

    kind = "constant"

    def alternatives(self, node, parent, types):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float) and node.value in (0, 1, 2):
            value = {0: 1, 1: 0, 2: 1}[node.value]
            return [_number(type(node.value)(value))]
        name = _call_name(node)
        swaps = {"zeros_like": "ones_like", "ones_like": "zeros_like", "zeros": "ones", "ones": "zeros"}
        if name in swaps and isinstance(node.func, ast.Attribute):
            new = copy.deepcopy(node)
            new.func.attr = swaps[name]
            return [new]
        return []


class OffByOne(Operator):
    """A counter, a range bound or a slice bound shifted by one; < and <= (> and >=) swapped."""

    kind = "off_by_one"

    def alternatives(self, node, parent, types):
        if _is_load(node) and types.get(node.id) == "int" and not isinstance(parent, ast.Call | ast.Attribute):
            return [ast.BinOp(node, ast.Add(), _number(1)), ast.BinOp(node, ast.Sub(), _number(1))]
        if _is_load(node) and types.get(node.id) == "int" and isinstance(parent, ast.Call) and node in parent.args:
            return [ast.BinOp(node, ast.Add(), _number(1)), ast.BinOp(node, ast.Sub(), _number(1))]
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            swaps = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt}
            if type(node.ops[0]) in swaps:
                return [ast.Compare(node.left, [swaps[type(node.ops[0])]()], node.comparators)]
        if isinstance(parent, ast.Slice) and not _is_load(node) and not isinstance(node, ast.Constant):
            return [ast.BinOp(node, ast.Add(), _number(1)), ast.BinOp(node, ast.Sub(), _number(1))]
        return []


class SwapOperands(Operator):
    """a - b -> b - a (and /, **): the operands of an order-sensitive operation swapped."""

    kind = "swap_operands"

    def alternatives(self, node, parent, types):
        if isinstance(node, ast.BinOp) and isinstance(node.op, NON_ASSOCIATIVE):
            return [ast.BinOp(node.right, node.op, node.left)]
        return []


class SwapVariables(Operator):
    """One use of a variable replaced by another of the same type (beta1 / beta2, v / s, dW / v)."""

    kind = "swap_variables"

    def alternatives(self, node, parent, types):
        if not _is_load(node) or node.id not in types or types[node.id] in ("function", "module"):
            return []
        return [_name(other) for other in sorted(types) if other != node.id and types[other] == types[node.id]]


class DropTerm(Operator):
    """A factor, a divisor or a term left out: a * b -> a or b, a / b -> a, a + b -> a or b."""

    kind = "drop_term"

    def alternatives(self, node, parent, types):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Add | ast.Sub):
            return [node.left, node.right]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return [node.left]
        return []


class OneMinus(Operator):
    """1 - x -> x, and x -> 1 - x for a number argument (a weight and its complement confused)."""

    kind = "one_minus"

    def alternatives(self, node, parent, types):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub) and _is_one(node.left):
            return [node.right]
        if _is_load(node) and types.get(node.id) == "float" and not _is_one_minus(parent, node):
            return [ast.BinOp(_number(1), ast.Sub(), node)]
        return []


def _is_one(node):
    return isinstance(node, ast.Constant) and node.value == 1


def _is_one_minus(parent, node):
    return isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Sub) and parent.right is node


class SquareRoot(Operator):
    """A square root or a square left out (sqrt(x) -> x, square(x) -> x, x**2 -> x), or a factor squared (x -> x**2)."""

    kind = "square_root"

    def alternatives(self, node, parent, types):
        name = _call_name(node)
        if name in ROOTS | {"square"} and len(node.args) == 1:
            return [node.args[0]]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow) and getattr(node.right, "value", None) == 2:
            return [node.left]
        if _is_load(node) and types.get(node.id, "").startswith("ndarray") and _is_factor(parent, node):
            return [ast.BinOp(node, ast.Pow(), _number(2))]
        return []


def _is_factor(parent, node):
    return (
        isinstance(parent, ast.BinOp)
        and isinstance(parent.op, ast.Mult | ast.Div)
        and node in (parent.left, parent.right)
    )


class Rounding(Operator):
    """floor / round / ceil / int swapped for one another."""

    kind = "rounding"

    def alternatives(self, node, parent, types):
        name = _call_name(node)
        if name not in ROUNDING or len(node.args) != 1:
            return []
        return [_call(dotted, node.args[0]) for other, dotted in ROUNDING.items() if other != name]


class Precedence(Operator):
    """Parentheses moved: a / (b + c) -> a / b + c and (a - b) * c -> a - b * c."""

    kind = "precedence"

    def alternatives(self, node, parent, types):
        if not isinstance(node, ast.BinOp):
            return []
        out = []
        if isinstance(node.right, ast.BinOp) and (type(node.op) is not type(node.right.op) or _non_associative(node)):
            inner = node.right
            out.append(ast.BinOp(ast.BinOp(node.left, node.op, inner.left), inner.op, inner.right))
        if isinstance(node.left, ast.BinOp) and (type(node.op) is not type(node.left.op) or _non_associative(node)):
            inner = node.left
            out.append(ast.BinOp(inner.left, inner.op, ast.BinOp(inner.right, node.op, node.right)))
        return out


def _non_associative(node):
    return isinstance(node.op, NON_ASSOCIATIVE)


class Epsilon(Operator):
    """epsilon moved: f(x) + eps -> f(x + eps), a / (b + eps) -> (a + eps) / b."""

    kind = "epsilon"

    def alternatives(self, node, parent, types):
        if not isinstance(node, ast.BinOp):
            return []
        if isinstance(node.op, ast.Add) and _is_epsilon(node.right) and _call_name(node.left):
            inner = node.left
            return [ast.Call(inner.func, [ast.BinOp(inner.args[0], ast.Add(), node.right)], inner.keywords)]
        if isinstance(node.op, ast.Div) and isinstance(node.right, ast.BinOp) and _is_epsilon(node.right.right):
            return [ast.BinOp(ast.BinOp(node.left, ast.Add(), node.right.right), ast.Div(), node.right.left)]
        return []


def _is_epsilon(node):
    return _is_load(node) and node.id.startswith(("eps", "epsilon"))


class StatementDropped(Operator):
    """One assignment or call statement of the body left out (a state update that never happens)."""

    kind = "statement_dropped"

    def alternatives(self, node, parent, types):
        if isinstance(node, ast.Assign | ast.AugAssign) or (isinstance(node, ast.Expr) and _call_name(node.value)):
            return [ast.Pass()]
        return []


class WrongKey(Operator):
    """The key's prefix left out: grads["d" + name] -> grads[name]."""

    kind = "wrong_key"

    def alternatives(self, node, parent, types):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.left, ast.Constant):
            if isinstance(node.left.value, str):
                return [node.right]
        return []


class Alias(Operator):
    """An alias instead of a copy: np.zeros_like(x) / np.array(x) / x.copy() -> x; a second state = the first."""

    kind = "alias"

    def alternatives(self, node, parent, types):
        name = _call_name(node)
        if name in COPIES and isinstance(node.func, ast.Attribute):
            source = node.func.value if name == "copy" else (node.args[0] if node.args else None)
            if source is not None and (_is_load(source) or isinstance(source, ast.Subscript)):
                return [source]
        return []


class Sign(Operator):
    """A sign flipped: a - b -> a + b, a + b -> a - b, -x -> x."""

    kind = "sign"

    def alternatives(self, node, parent, types):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub) and not _is_one(node.left):
            return [ast.BinOp(node.left, ast.Add(), node.right)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and not isinstance(node.left, ast.Constant):
            return [ast.BinOp(node.left, ast.Sub(), node.right)]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return [node.operand]
        return []


class BiasCorrection(Operator):
    """The bias correction skipped: x / (1 - beta**t) -> x (also through a named correction1)."""

    kind = "bias_correction_skipped"

    def alternatives(self, node, parent, types):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and _is_correction(node.right):
            return [node.left]
        return []


def _is_correction(node):
    if _is_load(node):
        return node.id.startswith("correction")
    return any(isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.Pow) for inner in ast.walk(node)) and any(
        _is_one(inner) for inner in ast.walk(node)
    )


OPERATORS = [
    Constant(),
    OffByOne(),
    SwapOperands(),
    SwapVariables(),
    DropTerm(),
    OneMinus(),
    SquareRoot(),
    Rounding(),
    Precedence(),
    Epsilon(),
    StatementDropped(),
    WrongKey(),
    Alias(),
    Sign(),
    BiasCorrection(),
]
BY_KIND = {operator.kind: operator for operator in OPERATORS}
