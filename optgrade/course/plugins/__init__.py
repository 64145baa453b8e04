"""nbgrader's plugins for the course: each preprocessor, exporter and exchange class optgrade adds.

Each is listed once, by its dotted name, in the nbgrader_config.py that ``optgrade build`` writes.

feedback   ``FeedbackGrades``: the feedback page says "to be graded by hand" and each failure once
"""
