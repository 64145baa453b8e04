"""The engine of the instructor's course: plain arguments in, files and gradebook rows out; errors raised, not printed.

layout         ``Course``: every path of the course, optgrade's own under .optgrade/ included; running nbgrader
gradebook      the gradebook's URL, optgrade's grading records, the one-writer lock autograde and serve share
pipeline       one submission through grading: its job, the commit into the gradebook, its feedback and stamp
autograde      batch ``optgrade autograde``: import, grade everyone (pool or cluster), feedback, grades.csv
report         the report alone: scores, pass rates, mistakes, the histogram (HTML and CSV)
build          the course directory and its generated nbgrader_config.py
release        the student version, zipped and leak-checked, and to nbgrader's exchange
leaks          the leak check of a handout
submissions    bringing submissions into submitted/ (nbgrader's layout, folders and zips per student), preflight
lms            what an LMS download (Canvas, Moodle) holds: one entry per student
imports        the record of what each import brought in and left out
late           the late policy and extensions (and its nbgrader plugins)
stand_ins      a missing or unreadable notebook replaced by the released one, so its exercises are still graded
verdicts       the trusted verdicts, stored per student
sanitize       student content made inert: outputs, markdown, attachments, metadata
feedback_math  the maths of the pages drawn as pictures, offline
formgrader     JupyterLab on the course with nbgrader's formgrader
demo           the whole pipeline on a simulated class
plugins        every nbgrader preprocessor, exporter and exchange class the course config names
templates      the report's page
"""
