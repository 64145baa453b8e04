"""Hidden tests that the notebooks' nbgrader grade cells call at grading time.

A grade cell's hidden region is two lines:

    from optgrade.hidden import grade
    grade("ewa.values", points=2)

``grade(test_id, points)`` looks up the student's function in ``utils/``
(re-imported, from the folder first on ``sys.path``), runs the test named
``<function>.<aspect>`` and prints a verdict on stdout. It returns None for
full credit, a number below ``points`` for partial credit, and raises
AssertionError (message: what is wrong and, when the output matches a known
mistake, which one) for none. Nothing goes to stderr.

Stdout lines for instructor reports (``report.parse``): ``PASS <id>``,
``PARTIAL <id>: ...``, ``FAIL <id>: ...``, ``MISTAKE <id>: <name>`` (the mistake
the probes confirmed), ``ONE_OF <id>: <name> | <name>`` (mistakes they cannot
tell apart) and ``FLAG <id>: reference|tampering`` (see ``integrity``).

Modules: ``grading`` (grade), ``registry`` (ids -> tests), ``suites`` (the
tests, one module per exercise module), ``checking`` (compare, else fail saying
where), ``compare`` (numpy-free comparisons), ``diagnosing`` (the visible
checks' diagnosis engine run on the student's function: the mistake's name and
sentence, ``sentence`` for reports), ``integrity`` (loading, reference use, tampering), ``reference`` and
``variants`` (what is accepted), ``inputs`` and ``trajectories`` (fixed
inputs, brief training), ``report`` (parsing the stdout lines).
"""

from .diagnosing import sentence
from .grading import grade
from .registry import TESTS
from .report import mistake_counts, parse

__all__ = ["TESTS", "grade", "mistake_counts", "parse", "sentence"]
