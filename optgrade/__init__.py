"""Instructor tooling of the optimization workbook (never shipped to students).

cli           the ``optgrade`` script: assembles ``commands``
commands      one module per subcommand: arguments, checks, printing, exit codes
course        the engine: the nbgrader course, batch autograde, one submission's pipeline, the gradebook, the report,
              nbgrader's plugins (``course.plugins``)
serve         ``optgrade serve``: grading as submissions arrive in nbgrader's exchange
hub           ``optgrade hub``: JupyterHub on one machine for the course
runner        one submission's hidden tests as a job, run in a local pool or on a Dask cluster
hidden        the hidden tests the grade cells call, and the mistake catalog
mutants       the mistake search (generated mistakes of each exercise) behind the catalog
fingerprints  the fingerprints of the catalog's mistakes the visible checks name
sandbox       the bubblewrap sandbox: the trusted side, and ``sandbox.inside`` (what runs in it)
stubs         the student stubs in utils/, generated from solutions/
workbook      the solved workbook, the student's copy, nbval outputs, running notebooks
local_kernel  kernels for those runs over Unix sockets, and nbclient's client that polls in slices (why: there)
student_copy  ``optgrade student``: a student's own copy of the workbook
lab_extension Validate's truthful dialog: links ``labextension/optgrade-validate`` where JupyterLab finds it
exercises     which exercise modules there are, and where the repository is
errors        ``GradingError``, the error every layer may raise
"""
