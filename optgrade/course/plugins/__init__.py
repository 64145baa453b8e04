"""nbgrader's plugins for the course: every preprocessor, exporter and exchange class optgrade gives nbgrader.

Each is listed once, by name, in the nbgrader_config.py ``optgrade build`` writes (``course.build.CONFIG``), so
batch ``autograde``, ``optgrade serve`` and nbgrader's own commands run the same ones; only ``--execute`` adds
``SandboxedExecute`` and ``SanitizeExecuted`` for its run.

cells     autograde on a submitted notebook: ``SanitizeSubmission``, ``RestoreCells``, ``TrustedVerdicts``,
          ``SanitizeExecuted``
execute   ``ContainedExecute`` (nbgrader's Execute surviving dead kernels), ``SandboxedExecute`` (``--execute``)
feedback  the feedback pages: ``ScrubFeedback``, ``FeedbackGrades``, ``FeedbackExporter``
exchange  ``OwnerCheckedCollect``: nbgrader's collect refusing folders another account wrote in a student's name
maths     ``DrawMaths``: the formgrader's pages with their maths drawn in
(``course.late``'s ``LatePolicy`` and ``ExtendedLatePenalties`` are the late policy's plugins)
"""
