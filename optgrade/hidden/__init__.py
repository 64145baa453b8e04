"""Hidden tests that the notebooks' nbgrader grade cells call at grading time.

A grade cell's hidden region is two lines:

    from optgrade.hidden import grade
    grade("ewa.values")

``grade(test_id)`` runs the test named ``<function>.<aspect>`` against the
student's function in ``utils/`` and prints a one-line verdict on stdout; on
failure it raises AssertionError whose message names what is wrong (and, when
the result matches a known mistake, which one).
"""


def grade(test_id):
    raise NotImplementedError(f"hidden test {test_id!r} is not written yet")
