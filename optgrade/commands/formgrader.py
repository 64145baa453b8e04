"""``optgrade formgrader``: JupyterLab on the course (127.0.0.1, no terminals) with nbgrader's formgrader open."""

from .checks import course_options, open_course


def add(subcommands):
    formgrader = subcommands.add_parser(
        "formgrader", help="JupyterLab on the course (127.0.0.1, no terminals) with nbgrader's formgrader open"
    )
    course_options(formgrader)
    formgrader.add_argument("--port", type=int, help="port to serve on (default: Jupyter's, 8888 or the next free)")
    formgrader.add_argument("--no-browser", action="store_true", help="do not open a browser (print the address)")
    formgrader.add_argument(
        "--terminals", action="store_true", help="allow terminals in this server (off: pages show student content)"
    )


def run(args):
    from ..course.formgrader import run as serve_formgrader

    course = open_course(args, needs=("build",))
    print(f"starting JupyterLab in {course.root} with the formgrader open (Ctrl-C twice to stop)", flush=True)
    serve_formgrader(course, port=args.port, browser=not args.no_browser, terminals=args.terminals)
    return 0  # not reached: the server replaced this process
