"""The ``optgrade`` script's subcommands, one module each: its arguments, checks, printing and exit code.

Each module has ``add(subcommands)`` (its argparse parser) and ``run(args)`` (an exit code); ``optgrade.cli``
assembles them and turns the errors below into one line on stderr and exit 1. The engines they call
(``optgrade.course``, ``optgrade.serve``, ``optgrade.hub``, ...) take plain arguments and raise; they never
print or exit.

checks      ``InputError`` and the checks shared by several commands: the --course folder, the submissions folder
stubs       ``optgrade stubs``: regenerate utils/ stubs, the mistake search and the fingerprints (or --check drift)
solved      ``optgrade solved``: the solved workbook
outputs     ``optgrade outputs``: refresh the stored outputs of nbval-checked cells
student     ``optgrade student``: a student's copy of the workbook
build       ``optgrade build``: the nbgrader course directory (and the exchange it releases to)
release     ``optgrade release``: the student version, zipped and leak-checked (and to the exchange)
hub         ``optgrade hub``: JupyterHub for the course on 127.0.0.1 (replaces the process)
leaks       ``optgrade leaks``: a folder or zip checked for instructor material
autograde   ``optgrade autograde``: grade, feedback, grades.csv
report      ``optgrade report``: the HTML and CSV report; refreshes feedback after hand grading
formgrader  ``optgrade formgrader``: JupyterLab on the course with nbgrader's formgrader (replaces the process)
serve       ``optgrade serve``: grade each submission as it arrives in the exchange (and --pause/--resume/--status)
demo        ``optgrade demo``: the whole pipeline on a simulated class
"""
