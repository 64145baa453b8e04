"""Reference solutions of the workbook's exercises (instructor-only).

Each module mirrors a student module in ``utils/``; the student stubs are
generated from these files by ``optgrade stubs`` (code between the
``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers is replaced by a
friendly ``NotImplementedError``). Never ship this package to students.
"""
