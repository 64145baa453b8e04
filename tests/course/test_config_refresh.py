"""A course built by an earlier optgrade names nbgrader plugin modules that have moved since (issue 22's layers):
the next optgrade command rewrites its nbgrader_config.py from the course's settings, and says so; an up-to-date
config, edits included, is left alone."""

import argparse

from optgrade.commands.checks import open_course
from optgrade.course.build import refresh_config, write_settings
from optgrade.course.layout import Course


def _course(tmp_path):
    course = Course(tmp_path / "course")
    course.source("workbook").mkdir(parents=True)
    write_settings(course)
    return course, course.path("nbgrader_config.py")


def test_an_up_to_date_config_is_left_as_it_is_even_when_edited(tmp_path):
    course, config = _course(tmp_path)
    assert refresh_config(course) is False  # every optgrade name the generated config uses imports
    config.write_text(config.read_text() + "c.Execute.timeout = 999  # the instructor's own line\n")
    assert refresh_config(course) is False
    assert config.read_text().endswith("# the instructor's own line\n")


def test_a_config_naming_moved_modules_is_rewritten_when_a_command_opens_the_course(tmp_path, capsys):
    course, config = _course(tmp_path)
    fresh = config.read_text()
    assert "optgrade.course.plugins.cells" in fresh
    # as b10d107's build wrote it: the preprocessors lived in course/verdicts.py and course/preprocessors.py
    config.write_text(
        fresh.replace("optgrade.course.plugins.cells", "optgrade.course.verdicts").replace(
            "optgrade.course.plugins.exchange.OwnerCheckedCollect", "optgrade.course.exchange.OwnerCheckedCollect"
        )
    )
    open_course(argparse.Namespace(course=str(course.root), assignment="workbook"))
    assert config.read_text() == fresh
    assert "nbgrader_config.py rewritten for this version of optgrade" in capsys.readouterr().err
