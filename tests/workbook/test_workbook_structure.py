"""Static checks of the source notebooks: order, nbgrader metadata, points, stored outputs."""

import re

import pytest
from workbook_helpers import GRADE_CALL, grade_cells, load_all, nbgrader_meta, tags

from optgrade.exercises import EXERCISES, ROOT
from optgrade.workbook import CHECKED

NOTEBOOKS = load_all()
EXPECTED = sorted({notebook for notebook, _ in EXERCISES.values()})


def test_every_exercise_notebook_exists():
    assert sorted(set(EXPECTED) - set(NOTEBOOKS)) == []


def test_grade_ids_are_unique_across_the_workbook():
    ids = [nbgrader_meta(cell)["grade_id"] for nb in NOTEBOOKS.values() for cell in nb.cells if nbgrader_meta(cell)]
    duplicates = sorted({grade_id for grade_id in ids if ids.count(grade_id) > 1})
    assert duplicates == []


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_grade_cells_call_their_hidden_test_with_their_points(name):
    for cell in grade_cells(NOTEBOOKS[name]):
        meta = nbgrader_meta(cell)
        assert cell.source.lstrip().startswith('"""'), f"{meta['grade_id']}: a grade cell opens with a docstring"
        calls = GRADE_CALL.findall(cell.source)
        assert len(calls) == 1, f"{meta['grade_id']}: expected one grade(...) call"
        test_id, points = calls[0]
        assert meta["grade_id"] == test_id.replace(".", "_")
        assert float(points) == float(meta["points"]), f"{meta['grade_id']}: points differ from the metadata"
        assert meta.get("locked") and "### BEGIN HIDDEN TESTS" in cell.source


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_hidden_tests_cover_every_function_the_notebook_asks_for(name):
    tested = {GRADE_CALL.search(cell.source).group("id").split(".")[0] for cell in grade_cells(NOTEBOOKS[name])}
    asked = {fn for notebook, functions in EXERCISES.values() if notebook == name for fn in functions}
    assert asked <= tested, f"functions without hidden tests: {sorted(asked - tested)}"


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_points_stated_at_the_top_match_the_grade_cells(name):
    notebook = NOTEBOOKS[name]
    total = sum(float(nbgrader_meta(cell)["points"]) for cell in notebook.cells if nbgrader_meta(cell).get("grade"))
    intro = "\n".join(cell.source for cell in notebook.cells[:3] if cell.cell_type == "markdown")
    stated = re.search(r"Points:\**\s*(\d+)", intro)
    assert stated, "the notebook states its points near the top ('Points: N')"
    assert float(stated.group(1)) == total


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_setup_cell_comes_first_and_loads_the_workbook_extension_after_the_path(name):
    """One way to load exercise code: ``%load_ext utils.checks`` (utils/checks/ondisk.py), never %autoreload."""
    source = next(cell for cell in NOTEBOOKS[name].cells if cell.cell_type == "code").source
    assert "sys.path.insert(0" in source and "%load_ext utils.checks" in source
    assert source.index("sys.path.insert(0") < source.index("%load_ext utils.checks") < source.index("from utils")
    assert "autoreload" not in source and "importlib" not in source


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_each_check_cell_is_pinned_so_nbval_sees_a_failing_check(name):
    """A failed check prints (Run All goes on) instead of raising: nbval compares its pinned PASS lines instead."""
    for index, cell in enumerate(NOTEBOOKS[name].cells):
        if cell.cell_type == "code" and re.search(r"\bcheck\(", cell.source):
            assert CHECKED in tags(cell), f"cell {index} runs a visible check but is not tagged {CHECKED}"


def test_exercise_numbers_of_the_one_line_messages_are_the_notebooks_headings():
    from utils.checks.ondisk import EXERCISES as NUMBERED

    text = "\n".join(cell.source for nb in NOTEBOOKS.values() for cell in nb.cells if cell.cell_type == "markdown")
    headings = dict((name, number) for number, name in re.findall(r"^### Exercise (\S+) — `(\w+)`", text, re.M))
    assert {name: number for name, (_, number) in NUMBERED.items()} == headings
    assert {name: module for name, (module, _) in NUMBERED.items()} == {
        name: module for module, (_, names) in EXERCISES.items() for name in names
    }


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_only_pinned_cells_store_outputs(name):
    for index, cell in enumerate(NOTEBOOKS[name].cells):
        if cell.cell_type != "code":
            continue
        if CHECKED in tags(cell):
            assert cell.outputs, f"cell {index} is pinned for nbval but has no stored output (run `optgrade outputs`)"
        else:
            assert not cell.outputs, f"cell {index} stores outputs; strip them"


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_every_visible_check_is_tagged_as_using_student_code(name):
    for index, cell in enumerate(NOTEBOOKS[name].cells):
        if cell.cell_type == "code" and re.search(r"\bcheck\(", cell.source):
            assert "uses-exercise" in tags(cell), f"cell {index} runs a visible check but is not tagged uses-exercise"


def test_student_facing_code_never_imports_the_reference_or_the_grader():
    for path in sorted(ROOT.joinpath("utils").rglob("*.py")):
        imports = re.findall(r"^\s*(?:from|import)\s+([\w.]+)", path.read_text(), flags=re.MULTILINE)
        leaks = [name for name in imports if name.split(".")[0] in {"solutions", "optgrade"}]
        assert leaks == [], f"{path.relative_to(ROOT)} imports {leaks}"


def test_every_hidden_test_is_called_by_exactly_one_grade_cell():
    from optgrade.hidden import TESTS

    called = [GRADE_CALL.search(cell.source).group("id") for nb in NOTEBOOKS.values() for cell in grade_cells(nb)]
    assert sorted(called) == sorted(TESTS)


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_headings_and_exercise_numbers_follow_one_style(name):
    """'# 05 · Title' first; exercises 'Exercise 5.1', 'Exercise 5.2', ... in order, numbered by the notebook."""
    number = name[:2]
    cells = NOTEBOOKS[name].cells
    assert re.match(rf"# {number} · \S", cells[0].source), f"the first cell opens with '# {number} · <title>'"
    text = "\n".join(cell.source for cell in cells if cell.cell_type == "markdown")
    headings = re.findall(r"^### Exercise (\S+) — ", text, flags=re.MULTILINE)
    assert headings == [f"{int(number)}.{k}" for k in range(1, len(headings) + 1)], headings
    mentioned = set(re.findall(r"\bExercise (\d+(?:\.\d+)?)", text))
    assert mentioned <= set(headings), f"mentions of missing exercises: {sorted(mentioned - set(headings))}"
    assert not re.search(r"^# \d+ —", text, flags=re.MULTILINE)


POINTS = re.compile(
    r"^\*\*Points: (?P<points>\d+)\*\* \((?P<code>\d+) from hidden tests of your code, (?P<written>\d+) for "
    r"(?:one written answer|two written answers)\)\.\n\*\*You edit:\*\* `utils/\w+\.py`",
    re.M,
)
WRITTEN = re.compile(r"^### Written answer \((?P<points>\d+) points?\): (?P<title>.+)$", re.M)


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_every_notebook_opens_alike_goals_then_points_then_the_file_to_edit(name):
    notebook = NOTEBOOKS[name]
    head, goals_heading, rest = notebook.cells[0].source.partition("\n## Learning goals\n\n")
    assert goals_heading, f"{name} has '## Learning goals' in its first cell"
    assert re.match(r"# \d\d · [^\n]+\n\n\S", head), "the title, then why the notebook matters"
    assert rest.startswith("After this notebook you can\n- "), "the goals: one list"
    opening = POINTS.search(rest)
    assert opening, "after the goals: '**Points: N** (C from hidden tests ..., W for ...).' then '**You edit:**'"
    code = sum(float(nbgrader_meta(cell)["points"]) for cell in grade_cells(notebook))
    assert float(opening.group("code")) == code
    assert float(opening.group("written")) == float(opening.group("points")) - code


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_every_written_answer_has_one_heading_and_its_answer_cell_names_the_question(name):
    """The released answer cell keeps its title (outside the solution region): Validate's dialog shows it."""
    cells = NOTEBOOKS[name].cells
    answers = [
        index
        for index, cell in enumerate(cells)
        if cell.cell_type == "markdown" and nbgrader_meta(cell).get("solution")
    ]
    assert answers, f"{name} has a written answer"
    headings = [match for cell in cells if cell.cell_type == "markdown" for match in WRITTEN.finditer(cell.source)]
    assert len(headings) == len(answers), "one '### Written answer (P points): title' heading per answer cell"
    for index in answers:
        heading = WRITTEN.search(cells[index - 1].source)
        assert heading, f"cell {index - 1} (above an answer cell) has the written-answer heading"
        assert float(heading.group("points")) == float(nbgrader_meta(cells[index])["points"])
        title = heading.group("title")
        expected = f"**Your answer ({title}):**\n\n### BEGIN SOLUTION\nYOUR ANSWER HERE\n### END SOLUTION"
        assert cells[index].source == expected
    everything = "\n".join(cell.source for cell in cells if cell.cell_type == "markdown")
    assert not re.search(r"\*\*Question \(|Your turn to explain|\*\*You will learn to\*\*", everything)
