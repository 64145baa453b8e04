"""Packaging: pins agree (pyproject, environment.yml, students' requirements), README has CI's command, ruff passes."""

import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_environment_yml_pins_the_same_versions_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = project["dependencies"] + project["optional-dependencies"]["test"]
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    assert sorted(line for line in pip if "==" in line) == sorted(pinned)
    assert all("==" in line for line in pinned)


def test_an_optgrade_command_does_not_import_rfc3987_syntax():
    """Its import builds a grammar in 1-3 s of CPU, paid by every process that imports nbformat (see pyproject)."""
    code = "import sys, nbformat, optgrade.cli; print('rfc3987_syntax' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False", "jsonschema's format-nongpl extra brought rfc3987-syntax back"


def test_readme_shows_the_command_ci_runs():
    command = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert command in [line.strip() for line in (ROOT / "README.md").read_text().splitlines()]


def test_ruff_check_passes():
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([ruff, "check", "."], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_students_get_a_guide_and_the_run_time_pins(tmp_path):
    from optgrade.workbook import build_student_copy

    copy = build_student_copy(tmp_path)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [line for line in (copy / "requirements.txt").read_text().splitlines() if "==" in line]
    assert requirements == project["dependencies"]
    guide = (copy / "README.md").read_text()
    assert "01_minibatch_gradient_descent.ipynb" in guide and "hidden tests run at grading" in guide
    assert all((copy / name).is_file() for name in ("01_minibatch_gradient_descent.ipynb", "utils/ewa.py"))
