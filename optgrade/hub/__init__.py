"""``optgrade hub``: the course on JupyterHub on one machine, with nbgrader's filesystem exchange.

users   the users file (one instructor, the students), the checks that each can reach what their server needs,
        and the warning when the checkout's secrets are readable by every account
config  jupyterhub_config.py and the two nbgrader/Jupyter config folders the single-user servers see
(the command itself is ``optgrade.commands.hub``)
"""
