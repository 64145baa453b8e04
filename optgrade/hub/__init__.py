"""``optgrade hub``: the course on JupyterHub on one machine, with nbgrader's filesystem exchange.

users.py   the users file (one instructor, the students) and the checks that each can reach what their server needs
config.py  jupyterhub_config.py and the two nbgrader/Jupyter config folders the single-user servers see
commands.py  the ``hub`` subcommand, and ``build`` / ``release`` with the exchange
"""
