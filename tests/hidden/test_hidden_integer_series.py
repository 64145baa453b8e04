"""A series of whole degrees is still a series: an average kept in the input's integer dtype loses points.

Real temperature records are often whole numbers. An implementation that allocates its output with
``np.zeros_like(theta)`` truncates every average of an integer series; the visible check FAILs it on
``[10, 20, 30]``, and grading must agree (issue 15, item 6: the two sides never disagree). That valid answers keep these
points is tests/checks/test_visible_hidden_agreement.py's job (every valid variant, every hidden test).
"""

import pytest
from fixtures.hidden.students import StudentFolder, reference_source, replace_function

ZEROS_LIKE = {  # the output allocated in theta's dtype, otherwise each function's formula
    "ewa": """
def ewa(theta, beta):
    theta = np.asarray(theta)
    V = np.zeros_like(theta)
    v = 0.0
    for t in range(theta.shape[0]):
        v = beta * v + (1 - beta) * theta[t]
        V[t] = v
    return V
""",
    "sma": """
def sma(theta, window):
    theta = np.asarray(theta)
    averages = np.zeros_like(theta)
    for t in range(theta.shape[0]):
        values = theta[max(0, t - window + 1) : t + 1]
        averages[t] = values.sum() / len(values)
    return averages
""",
    "wma": """
def wma(theta, window):
    theta = np.asarray(theta)
    averages = np.zeros_like(theta)
    for t in range(theta.shape[0]):
        values = theta[max(0, t - window + 1) : t + 1]
        weights = np.arange(1, len(values) + 1)
        averages[t] = (weights * values).sum() / weights.sum()
    return averages
""",
}


@pytest.mark.parametrize("function", sorted(ZEROS_LIKE))
def test_averages_kept_in_an_integer_dtype_lose_the_structure_points(tmp_path, function):
    folder = StudentFolder(tmp_path)
    folder.solve()
    folder.write("ewa", replace_function(reference_source("ewa"), function, ZEROS_LIKE[function]))
    graded = folder.grade(f"{function}.structure", sandboxed=False)
    assert graded.error is not None, f"{function} truncating an integer series kept its points"
    assert "integer" in graded.error, graded.error
