"""Visible and hidden agree: a valid answer that grading accepts in full never FAILs its visible check.

Every accepted valid variant of ``valid_variants`` runs under its exercise's
visible check (which may print a NOTE for a style the contract prefers, never a
FAIL) and under every hidden test of its function (full credit).
"""

import pytest
from fixtures.hidden.students import reference_source, replace_function
from valid_variants import IDS, SCHEDULES_IMPORT, VALID, student_folder

from optgrade.hidden import TESTS
from utils.checks import CheckFailed, check


def _variant(module, function, definition):
    """The variant's function, defined in a module of its own (check() runs it as given)."""
    source = (SCHEDULES_IMPORT if module == "schedules" else "") + replace_function(
        reference_source(module), function, definition
    )
    namespace = {"__name__": f"variant_{module}"}
    exec(compile(source, f"<variant of {module}.{function}>", "exec"), namespace)
    return namespace[function]


@pytest.mark.parametrize(("module", "function", "definition"), VALID, ids=IDS)
def test_valid_variant_passes_its_visible_check_and_gets_full_credit(tmp_path, module, function, definition, capsys):
    try:
        check(_variant(module, function, definition))
    except CheckFailed as failed:
        pytest.fail(f"the visible check FAILs a valid variant: {failed}\n{capsys.readouterr().out}")
    out = capsys.readouterr().out
    assert "[FAIL]" not in out and "fix your code" not in out, out
    assert "Visible checks passed; hidden tests run at grading." in out, out

    folder = student_folder(tmp_path, module, function, definition)
    for test_id in (test_id for test_id in TESTS if test_id.startswith(function + ".")):
        result = folder.grade(test_id)
        assert result.full, (test_id, result)
        assert result.stdout.strip() == f"PASS {test_id}"
