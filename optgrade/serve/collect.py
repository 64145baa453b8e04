"""Collecting one student's submission into the course, by nbgrader's own filesystem ``ExchangeCollect``.

nbgrader picks the folder that counts (the latest; or the latest before the due date with
``ExchangeCollect.before_duedate``), copies it to submitted/<student>/<assignment>/ with its
timestamp.txt and replaces an older one there (``update``). ``CompleteCollect`` is the course's
``OwnerCheckedCollect`` (no folder written by another account than the student it names) with one
more rule: if the folder nbgrader picked is still being written by a student's submit, nothing is
collected now.
"""

from pathlib import Path

from nbgrader.utils import temp_attrs

from ..course.plugins.exchange import OwnerCheckedCollect
from .inbound import complete


class CompleteCollect(OwnerCheckedCollect):
    """nbgrader's collect, leaving out a student whose chosen folder is not complete yet (see ``inbound``)."""

    def init_src(self):
        super().init_src()
        self.src_records = [
            record for record in self.src_records if complete(Path(self.inbound_path, record["filename"]))
        ]


def collect(nbgrader, assignment, student):
    """Collect ``student``'s submission of ``assignment`` with the service's nbgrader API; True if one was there."""
    api = nbgrader.api
    with temp_attrs(api.coursedir, assignment_id=assignment, student_id=student):
        app = CompleteCollect(coursedir=api.coursedir, authenticator=api.authenticator, parent=api)
        app.update = True
        app.start()
        return bool(app.src_records)
