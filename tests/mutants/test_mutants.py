"""The mistake search: operators on small hand-written functions, sentences, stable names, filtering."""

import ast

import pytest

from optgrade import mutants
from optgrade.mutants import filtering, generate, hand, operators, sentences


def _edits(source, operator, types):
    """Sources of every mutant ``operator`` makes of the one-function module ``source``."""
    out = []
    for index, choice in operator.sites(operators.nodes(ast.parse(source)), types):
        tree = ast.parse(source)
        node, parent, field, position = operators.nodes(tree)[index]
        if parent is None:
            continue
        replacement = operator.alternatives(node, parent, types)[choice]
        if position is None:
            setattr(parent, field, replacement)
        else:
            getattr(parent, field)[position] = replacement
        out.append(ast.unparse(ast.fix_missing_locations(tree)).splitlines()[-1].strip())
    return out


SMALL = "def f(beta1, beta2, t):\n    return (1 - beta1) / (1 - beta2 ** t)"
TYPES = {"beta1": "float", "beta2": "float", "t": "int"}


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        (operators.SwapVariables(), "return (1 - beta2) / (1 - beta2 ** t)"),
        (operators.OffByOne(), "return (1 - beta1) / (1 - beta2 ** (t + 1))"),
        (operators.Constant(), "return (0 - beta1) / (1 - beta2 ** t)"),
        (operators.BiasCorrection(), "return 1 - beta1"),
        (operators.OneMinus(), "return beta1 / (1 - beta2 ** t)"),
        (operators.SwapOperands(), "return (1 - beta2 ** t) / (1 - beta1)"),
        (operators.DropTerm(), "return 1 - beta1"),
        (operators.Sign(), "return (1 - beta1) / (1 - beta2 ** t)"),
    ],
    ids=lambda value: getattr(value, "kind", "")[:20],
)
def test_each_operator_makes_the_hand_computed_mutant(operator, expected):
    mutants = _edits(SMALL, operator, TYPES)
    if operator.kind == "sign":  # 1 - x is a complement, never a sign slip: no site in SMALL
        assert mutants == []
    else:
        assert expected in mutants, mutants


def test_rounding_precedence_epsilon_and_alias():
    assert _edits("def f(e, n):\n    return math.floor(e / n)", operators.Rounding(), {}) == [
        "return round(e / n)",
        "return math.ceil(e / n)",
        "return int(e / n)",
    ]
    assert "return a / 1 + r * e" in _edits("def f(a, r, e):\n    return a / (1 + r * e)", operators.Precedence(), {})
    moved = _edits("def f(g, s, eps):\n    return g / (np.sqrt(s) + eps)", operators.Epsilon(), {})
    assert moved == ["return (g + eps) / np.sqrt(s)", "return g / np.sqrt(s + eps)"]  # outer node first
    assert _edits("def f(x):\n    return np.zeros_like(x)", operators.Alias(), {}) == ["return x"]


def test_sentence_uses_the_lecture_symbols_and_the_formula_line():
    docstring = "Adam.\n\n    v_corrected = v_dW / (1 - beta1**t)\n\nArguments:\n    t -- step"
    text = sentences.sentence("off_by_one", "t", "t + 1", "correction1 = 1 - beta1 ** t", docstring)
    assert text == "your result matches t + 1 where the formula has t, in v_corrected = v_dW / (1 - beta1**t)"
    assert sentences.lecture("value - learning_rate * grad") == "W - alpha * dW"


def test_prose_lines_of_a_docstring_are_never_quoted_as_the_formula():
    """Issue 21: "..., in and the correction fades as beta^t -> 0" quoted a line of prose."""
    docstring = (
        "Bias-corrected EWA.\n\n    V_t (as in ``ewa``), then  V_t / (1 - beta^t)      for t = 1..T\n\n"
        "    Because V_0 = 0, the plain average starts too low; dividing by\n"
        "    and the correction fades as beta^t -> 0.\n    V_t averages roughly the last 1 / (1 - beta) values.\n"
        '    Example: alpha_0 = 0.2 gives 0.1\n    some > tol and some < -tol             -> "saddle"\n'
    )
    assert sentences.formula_lines(docstring) == [
        "V_t (as in ``ewa``), then  V_t / (1 - beta^t)      for t = 1..T",
        'some > tol and some < -tol             -> "saddle"',
    ]
    text = sentences.sentence("constant", "1", "0", "V / (1 - beta ** t)", docstring)
    assert text.endswith(", in V_t (as in ``ewa``), then V_t / (1 - beta^t) for t = 1..T"), text


def test_an_edit_of_a_range_check_says_which_check():
    """Issue 21: "your result matches 0 where the formula has 1" gave no place for an edit of a ValueError check."""
    statement = "if epoch_num < 1:\n    raise ValueError('epoch_num must be >= 1')"
    text = sentences.sentence("constant", "1", "0", statement, "Rate.\n\n    alpha = k / sqrt(epoch_num)\n")
    assert text == "your result matches 0 where the formula has 1, in the check epoch_num < 1 that raises ValueError"


def test_a_temporary_of_the_references_code_is_never_quoted():
    """Issue 21: "start - 1 where the formula has start" named a variable the student never read."""
    symbols = {"X", "Y", "mini_batch_size", "seed", "m"}
    said = sentences.phrase("off_by_one", "start", "start - 1", symbols)
    assert "start" not in said and said == "the formula with a count or bound off by one"
    assert sentences.phrase("off_by_one", "m", "m - 1", symbols) == "m - 1 where the formula has m"


def test_a_key_without_its_d_and_an_axis_of_the_shape_are_said_in_the_lecture_s_words():
    said = sentences.phrase("drop_term", "'d' + name", "name", {"parameters"})
    assert said == "the parameters' keys (W1, b1, ...) where the gradients' keys (dW1, db1, ...) belong"
    said = sentences.phrase("constant", "1", "0", {"X"}, "m = X.shape[1]")
    assert said == "the size along axis 0 where the formula takes the size along axis 1"


def test_an_edit_in_a_range_check_of_a_solution_is_said_as_that_check():
    edits = generate.enumerate_edits("sqrt_decay", {"learning_rate0": "float", "epoch_num": "int", "k": "float"})
    (edit,) = [edit for edit in edits if edit.name == "constant__1__to__0"]
    assert edit.statement.startswith("if epoch_num < 1:")
    said = sentences.sentence(edit.kind, edit.before, edit.after, edit.statement, "")
    assert said == "your result matches 0 where the formula has 1, in the check epoch_num < 1 that raises ValueError"


def test_the_alias_sentence_says_what_the_students_function_does_not_the_references_code():
    said = sentences.phrase("alias", "np.zeros_like(x)", "x")
    assert "in place" in said and "code" not in said and "alias" not in said


def test_names_are_derived_from_the_edit_and_stable():
    first = generate.enumerate_edits(
        "update_lr", {"learning_rate0": "float", "epoch_num": "int", "decay_rate": "float"}
    )
    again = generate.enumerate_edits(
        "update_lr", {"learning_rate0": "float", "epoch_num": "int", "decay_rate": "float"}
    )
    names = [edit.name for edit in first]
    assert names == [edit.name for edit in again] and len(set(names)) == len(names)
    assert "off_by_one__epoch_num__to__epoch_num_plus_1__in_return" in names


def test_filtering_drops_equivalent_valid_and_crashing_mutants():
    def reference(x):
        return 2.0 * x

    calls = [((1.0,), {}), ((3.0,), {})]
    mutants = [
        (generate.Edit("f", "k", (), "", "", "", "same"), lambda x: x + x),
        (generate.Edit("f", "k", (), "", "", "", "crash"), lambda x: 1 / (x - 1.0)),
        (generate.Edit("f", "k", (), "", "", "", "wrong"), lambda x: 3.0 * x),
        (generate.Edit("f", "k", (), "", "", "", "wrong_again"), lambda x: x * 3.0),
    ]
    reasons = {edit.name: reason for edit, reason, _ in filtering.classify("f", reference, mutants, [], calls)}
    assert reasons == {"same": "equivalent", "crash": "crashing", "wrong": "kept", "wrong_again": "indistinguishable"}


@pytest.mark.slow
def test_the_committed_search_result_is_what_the_search_finds():
    """optgrade/mutants/kept.json is rewritten by `optgrade stubs`; it must match the solutions and catalog."""
    assert not mutants.drifted(), "run `optgrade stubs` to rerun the mistake search (optgrade/mutants/kept.json)"


def test_every_kept_mutant_is_rebuilt_as_a_catalog_entry_with_a_sentence():
    table = mutants.stored()
    entries = mutants.generated()
    assert len(entries) == sum(len(result["kept"]) for result in table.values()) > 300
    for entry in entries:
        assert entry.message.startswith("your result matches "), entry
        assert "[" not in entry.message.split(", in ")[0], f"code pasted into {entry.name}: {entry.message}"


def test_square_root_statement_dropped_wrong_key_and_sign():
    """The four operators the small formula above has no site for, each on a function of its own."""
    assert _edits("def f(s, g):\n    return g / np.sqrt(s)", operators.SquareRoot(), {}) == ["return g / s"]
    assert _edits("def f(g):\n    return g ** 2", operators.SquareRoot(), {}) == ["return g"]
    assert "return g ** 2 * a" in _edits("def f(g, a):\n    return g * a", operators.SquareRoot(), {"g": "ndarray2"})
    dropped = _edits("def f(v, g):\n    v = 0.9 * v + g\n    return v", operators.StatementDropped(), {})
    assert dropped == ["return v"], dropped  # one site, the update, not the return (the last line is unchanged)
    update = ast.parse("v = 0.9 * v + g").body[0]
    assert isinstance(operators.StatementDropped().alternatives(update, None, {})[0], ast.Pass)
    assert _edits("def f(grads, name):\n    return grads['d' + name]", operators.WrongKey(), {}) == [
        "return grads[name]"
    ]
    assert _edits("def f(W, a, dW):\n    return W - a * dW", operators.Sign(), {}) == ["return W + a * dW"]
    assert _edits("def f(x):\n    return -x", operators.Sign(), {}) == ["return x"]


def test_every_hand_entry_is_an_edit_of_the_reference_that_changes_what_it_returns():
    """Each hand entry is built from the solution's source by its edits, and the search's filters (kept.json "hand")
    find none equal to the reference or to an accepted variant: a hand name is never given to a correct answer. A
    hand entry may still be "crashing" (it raises where the reference returns, as a student's code with that
    mistake does: 1 + decay_rate * (epoch_num + 1) = 0) or equal an earlier entry of the same name (no root:
    both epsilon placements are the same code); the catalog keeps those."""
    assert len(hand.EDITS) == len(hand.MISTAKES) > 80
    for entry, mistake in zip(hand.EDITS, hand.MISTAKES, strict=True):
        assert entry.edits and (entry.function, entry.name, entry.message) == mistake[:3]
        reference = (generate.ROOT / "solutions" / f"{generate.module_of(entry.function)}.py").read_text()
        assert hand.edited_source(entry) != reference, entry.name
    table = mutants.stored()
    assert sum(result["hand"]["entries"] for result in table.values()) == len(hand.MISTAKES)
    dropped = [(function, *entry) for function, result in table.items() for entry in result["hand"]["dropped"]]
    assert not [entry for entry in dropped if entry[2] in ("equivalent", "valid")], dropped
    assert all(entry[1] == entry[3] for entry in dropped if entry[2] == "indistinguishable"), dropped


def test_a_hand_edit_whose_snippet_left_the_reference_fails_loudly():
    gone = hand.HandEdit("ewa", "gone", "-", (("v = beta * v + (1 - beta) * theta_t", "v = 0"),))
    with pytest.raises(hand.StaleEdit, match="no longer"):
        hand.build(gone)
    twice = hand.HandEdit("ewa", "twice", "-", (("V[t", "V[t + 1"),))  # V[t-1] in the docstring, V[t] in the code
    with pytest.raises(hand.StaleEdit, match="more than once"):
        hand.build(twice)
    built = hand.build(hand.HandEdit("ewa", "one", "-", (("v = 0.0", "v = 1.0"),)))
    assert built([0.0], 0.5)[0] == 0.5  # V_1 = 0.5 * 1 + 0.5 * 0: the edit is what runs
