"""Running the hidden tests of submissions: one job, many at once here, or on a Dask cluster.

jobs     ``grade_job(job) -> result``: one submission's hidden tests from plain data, the student's code sandboxed
pool     ``LocalExecutor``: trusted grading processes on this machine, a job that kills its process retried alone
cluster  ``ClusterExecutor``: the same on a Dask scheduler's workers (``autograde --cluster``)
"""
