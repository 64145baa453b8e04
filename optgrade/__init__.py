"""Instructor tooling of the optimization workbook (never shipped to students).

Subpackages and modules, one per job: ``stubs`` (generate the student
stubs from ``solutions/``), ``hidden`` (the hidden tests the grade cells
call), and the course commands (build, release, autograde, report, demo).
"""
