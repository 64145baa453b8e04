"""nbgrader's filesystem exchange, with the one check its collect leaves out: who wrote a submission.

nbgrader names a submission folder ``<student>+<assignment>+<timestamp>+<random>`` and its collect
believes the name: with every student a local Unix account (one machine, a hub with
LocalProcessSpawner), student A can create ``B+workbook+...`` in inbound (mode 2733: anyone may
create) and be graded as B, and a newer such folder hides B's own submission. nbgrader only logs a
warning when the folder's owner differs from the name.

``impostor(folder, student)`` says when the name cannot be believed: the student id is a local
account and the folder belongs to another non-root account. A student id that is no local account
(a hub whose servers all run as one user: zero-to-jupyterhub, ngshare) is not checked.
``OwnerCheckedCollect`` is nbgrader's collect without such folders; the course's
``nbgrader_config.py`` makes it the collect of ``nbgrader collect`` (``c.ExchangeFactory.collect``)
and ``optgrade serve`` collects with it too. ``c.OwnerCheckedCollect.check_owner = False`` turns
the check off (a shared filesystem that maps every writer to one account).
"""

import os
import pwd

from nbgrader.exchange.default.collect import ExchangeCollect
from traitlets import Bool


def impostor(folder, student):
    """The owner's account name if ``folder`` claims to be ``student``'s but another account wrote it, else None."""
    try:
        claimed = pwd.getpwnam(student).pw_uid
        owner = os.stat(folder, follow_symlinks=False).st_uid
    except (KeyError, OSError):
        return None  # no such local account (nothing to compare) or no folder
    if owner in (0, claimed):
        return None
    try:
        return pwd.getpwuid(owner).pw_name
    except KeyError:
        return str(owner)


class OwnerCheckedCollect(ExchangeCollect):
    """nbgrader's collect, refusing a folder named after a local account that another account wrote.

    The refused folders are left out of each student's folders before nbgrader picks the one that counts
    (``_sort_by_timestamp``), so its own rule (the latest; with ``before_duedate``, the latest before the
    due date) picks among the student's own folders; a student with none is not collected.
    """

    check_owner = Bool(True, help="refuse inbound folders whose Unix owner is not the student they name").tag(
        config=True
    )

    def _refused(self, record):
        if not self.check_owner:
            return False
        owner = impostor(os.path.join(self.inbound_path, record["filename"]), record["username"])
        if owner is not None:
            self.log.warning("refused %s: written by %s, not by %s", record["filename"], owner, record["username"])
        return owner is not None

    def _sort_by_timestamp(self, records):
        own = [record for record in records if not self._refused(record)]
        return super()._sort_by_timestamp(own or records)  # none of their own: dropped in init_src

    def init_src(self):
        super().init_src()
        self.src_records = [record for record in self.src_records if not self._refused(record)]
