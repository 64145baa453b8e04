"""course/feedback_math.py: maths drawn into feedback pages, the instructor's cached, a student's capped."""

import pytest

from optgrade.course import feedback_math
from optgrade.course.feedback_math import Renderer, expressions


@pytest.fixture
def drawn(monkeypatch):
    """The expressions actually drawn (svg called), each drawing a fake <img>."""
    calls = []

    def fake_svg(tex, size=13):
        calls.append(tex)
        return None if "pmatrix" in tex else f'<img class="math" alt="{tex}">'

    monkeypatch.setattr(feedback_math, "svg", fake_svg)
    return calls


def test_expressions_finds_inline_and_display_maths_in_order():
    assert expressions(r"a $x^2$ b $$\beta_1$$ c \$5 and $y$") == ["x^2", r"\beta_1", "y"]


def test_the_instructors_expressions_are_drawn_once_then_read_from_the_disk_cache(tmp_path, drawn):
    cache = tmp_path / "math"
    first = Renderer(frozenset({"v_t", r"\begin{pmatrix}1\end{pmatrix}"}), cache).render(
        r"$v_t$ and $\begin{pmatrix}1\end{pmatrix}$"
    )
    assert drawn == ["v_t", r"\begin{pmatrix}1\end{pmatrix}"]
    assert len(list(cache.iterdir())) == 2  # the undrawable one is cached too (as "stays TeX")
    second = Renderer(frozenset({"v_t", r"\begin{pmatrix}1\end{pmatrix}"}), cache).render(
        r"$v_t$ and $\begin{pmatrix}1\end{pmatrix}$"
    )
    assert drawn == ["v_t", r"\begin{pmatrix}1\end{pmatrix}"]  # nothing drawn the second time
    assert first == second == r'<img class="math" alt="v_t"> and <code class="tex">\begin{pmatrix}1\end{pmatrix}</code>'


def test_a_students_own_expressions_are_capped_and_never_cached(tmp_path, drawn):
    cache = tmp_path / "math"
    renderer = Renderer(frozenset({"v_t"}), cache, student_limit=2)
    page = renderer.render("$x_1$ $x_2$ $v_t$ $x_3$ $" + "x" * (feedback_math.LONGEST + 1) + "$")
    assert drawn == ["x_1", "x_2", "v_t"]  # two of the student's, the instructor's one, then TeX only
    assert page.count('class="math"') == 3 and page.count('class="tex"') == 2
    assert len(list(cache.iterdir())) == 1  # only the instructor's expression is on disk


def test_source_expressions_are_those_of_the_source_notebooks_markdown(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    notebook = new_notebook(cells=[new_markdown_cell(r"$\beta_1$ and $$s_t$$"), new_code_cell("x = '$not maths$'")])
    nbformat.write(notebook, tmp_path / "01.ipynb")
    assert feedback_math.source_expressions(tmp_path) == {r"\beta_1", "s_t"}


def test_an_expression_nested_too_deep_for_mathtext_stays_tex():
    # mathtext recurses per level: whether 60 raises RecursionError depends on the caller's stack (it drew under xdist)
    assert feedback_math.nesting(r"\frac{a}{b^{2}}") == 2
    assert feedback_math.svg("{" * (feedback_math.DEEPEST + 1) + "x" + "}" * (feedback_math.DEEPEST + 1)) is None
    assert feedback_math.svg("{" * feedback_math.DEEPEST + "x" + "}" * feedback_math.DEEPEST) is not None
