"""The bubblewrap sandbox student code runs in: the trusted side here, what runs inside in ``inside/``.

bwrap   the bubblewrap command line: what the sandbox holds (nothing of the grader's), its limits, ``check()``
client  ``Worker``: starts the worker in the sandbox, calls student functions with plain data, enforces deadlines
inside  ``worker`` and ``wire``, copied into the sandbox: the only grader code student code ever runs beside
"""
