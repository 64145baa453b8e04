"""The instructor's course commands: build, release, autograde, report, demo.

One module per job: ``layout`` (where everything lives in the generated
course directory, and running nbgrader there), ``build``, ``preprocessors``
(contained execution and feedback hardening), ``verdicts`` (trusted verdicts
into the grade cells), ``execute`` (--execute: notebooks re-run in a sandboxed
kernel), ``release``, ``leaks``, ``submissions``, ``autograde``, ``report`` and
``demo``. The hidden tests themselves run in ``optgrade.grading``.
"""
