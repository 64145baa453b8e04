"""Reference copies, imports of the grader and numpy tampering earn nothing and are flagged."""

import pytest
from fixtures.hidden.students import StudentFolder, reference_source, replace_function

EWA_WRONG = """
def ewa(theta, beta):
    return np.asarray(theta, dtype=float) * 0
"""
COPIES = {
    "import-solutions": "from solutions.ewa import ewa\n",
    "import-optgrade": "import optgrade.hidden\n",
    "importlib-solutions": 'import importlib\newa = importlib.import_module("solutions.ewa").ewa\n',
    "spec-from-path": (
        'import importlib.util\nspec = importlib.util.spec_from_file_location("x", "/somewhere/solutions/ewa.py")\n'
    ),
}


def _ewa_student(tmp_path, source):
    folder = StudentFolder(tmp_path)
    folder.write("ewa", source)
    return folder


@pytest.mark.parametrize("snippet", COPIES.values(), ids=COPIES.keys())
def test_using_the_reference_is_flagged(tmp_path, snippet):
    folder = _ewa_student(
        tmp_path, reference_source("ewa").replace("import numpy as np\n", "import numpy as np\n" + snippet)
    )
    result = folder.grade("ewa.values")
    assert "uses the reference solution" in result.error
    assert "FLAG ewa.values: reference" in result.stdout


def test_a_copied_function_body_is_flagged(tmp_path, monkeypatch):
    monkeypatch.delenv("OPTGRADE_ACCEPT_REFERENCE", raising=False)
    source = reference_source("ewa").replace("Exponentially weighted average of a series", "My own EWA")
    result = _ewa_student(tmp_path, source).grade("ewa.values")
    assert "uses the reference solution" in result.error
    assert "FLAG ewa.values: reference" in result.stdout


def test_a_one_line_body_like_the_reference_is_not_taken_for_a_copy(tmp_path, monkeypatch):
    """The gd update is one line: an honest student may write it exactly as the reference does."""
    monkeypatch.delenv("OPTGRADE_ACCEPT_REFERENCE", raising=False)
    folder = StudentFolder(tmp_path)
    folder.write("gd", reference_source("gd"))
    result = folder.grade("update_parameters_with_gd.values")
    assert result.full and "FLAG" not in result.stdout


def test_the_solved_build_passes_when_the_instructor_accepts_the_reference(tmp_path, monkeypatch):
    monkeypatch.setenv("OPTGRADE_ACCEPT_REFERENCE", "1")
    assert _ewa_student(tmp_path, reference_source("ewa")).grade("ewa.values").full


TAMPERING = {
    "allclose": "np.allclose = lambda *args, **kwargs: True\n",
    "testing": "np.testing.assert_allclose = lambda *args, **kwargs: None\n",
    "isclose": "np.isclose = lambda a, b, **kwargs: np.ones(np.shape(a), dtype=bool)\n",
}


@pytest.mark.parametrize("patch", TAMPERING.values(), ids=TAMPERING.keys())
def test_patching_numpy_comparisons_is_flagged_and_does_not_pass(tmp_path, patch):
    import numpy as np

    genuine = np.allclose, np.isclose, np.testing.assert_allclose
    source = replace_function(reference_source("ewa"), "ewa", EWA_WRONG) + patch
    result = _ewa_student(tmp_path, source).grade("ewa.values")
    assert result.error and "FLAG ewa.values: tampering" in result.stdout
    assert (np.allclose, np.isclose, np.testing.assert_allclose) == genuine


def test_wrong_code_fails_even_if_numpy_was_patched_before_grading(tmp_path):
    import numpy as np

    genuine = np.allclose
    try:
        np.allclose = lambda *args, **kwargs: True
        result = _ewa_student(tmp_path, replace_function(reference_source("ewa"), "ewa", EWA_WRONG)).grade("ewa.values")
    finally:
        np.allclose = genuine
    assert result.error and "the value of day 1 is 0" in result.error


def test_an_exception_is_reported_by_type_and_message(tmp_path):
    source = replace_function(reference_source("ewa"), "ewa", "def ewa(theta, beta):\n    return theta[99]\n")
    result = _ewa_student(tmp_path, source).grade("ewa.values")
    assert result.error == "ewa.values: ewa() raised IndexError: index 99 is out of bounds for axis 0 with size 40"
    assert "Traceback" not in result.stdout


def test_a_module_that_cannot_be_imported_fails_cleanly(tmp_path):
    result = _ewa_student(tmp_path, "def ewa(:\n").grade("ewa.values")
    assert "utils/ewa.py cannot be imported" in result.error and "SyntaxError" in result.error


def test_warnings_and_prints_of_student_code_stay_off_stderr(tmp_path):
    noisy = """
def ewa(theta, beta):
    import sys
    import warnings
    warnings.warn("careful")
    print("debug", file=sys.stderr)
    np.log(np.zeros(1))
    return np.asarray(theta, dtype=float) * 0 + 1
"""
    result = _ewa_student(tmp_path, replace_function(reference_source("ewa"), "ewa", noisy)).grade("ewa.values")
    assert result.error and result.stdout.startswith("FAIL ewa.values")  # and StudentFolder.grade saw no stderr
