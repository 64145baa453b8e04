"""``optgrade serve``: grade each submission as it arrives in nbgrader's exchange, and release its feedback.

inbound   what the exchange's inbound folder holds: complete submissions, the one that counts per student
collect   nbgrader's own collect, for one student, of a complete submission only
state     what the service has done per student (derived again on restart), its journal, status, pause flag
service   the loop: detect, collect, grade on warm sandboxed workers, commit and feedback (``course.pipeline``),
          release
control   ``--pause``, ``--resume``, ``--status``
(the command itself is ``optgrade.commands.serve``; the gradebook lock it shares with autograde is
``course.gradebook``'s)
"""
