"""The instructor's course commands: build, release, autograde, report, demo.

One module per job: ``layout`` (where everything lives in the generated
course directory, and running nbgrader there), ``build``, ``kernel`` (the
memory-limited grading kernel), ``preprocessors`` (grading and feedback
hardening), ``release``, ``leaks``, ``submissions``, ``autograde``,
``report`` and ``demo``.
"""
