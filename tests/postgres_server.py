"""A real, throw-away PostgreSQL server for the tests: initdb into a temp dir, started with pg_ctl, removed after.

Debian's ``postgresql`` package provides the binaries (``scripts/install-system-packages``
installs it). PostgreSQL refuses to run as root, so as root the cluster is owned
by and run as the ``postgres`` system user (``runuser``); otherwise as the current
user. The server listens on a free port of 127.0.0.1 (trust authentication, fsync
off: test data only) and on a unix socket inside its temp dir.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg2

BINARIES = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One PostgreSQL cluster: ``start()``, ``create_database()`` per test, ``stop()`` removes everything."""

    def __init__(self):
        if not BINARIES:
            raise RuntimeError("PostgreSQL is not installed: run scripts/install-system-packages")
        self.bin = BINARIES[-1].parent
        self.root = Path(tempfile.mkdtemp(prefix="optgrade-pg-"))
        self.data = self.root / "data"
        self.port = None
        self.user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        if os.geteuid() == 0:
            account = pwd.getpwnam(self.user)
            os.chown(self.root, account.pw_uid, account.pw_gid)

    def _run(self, *command):
        prefix = ["runuser", "-u", self.user, "--"] if os.geteuid() == 0 else []
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
        return done

    def start(self):
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8", "--no-sync"
        )
        self.port = _free_port()
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = self.root / "server.log"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(log), "-o", options, "-w", "start")
        return self

    def stop(self):
        if self.port is not None:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
            self.port = None
        shutil.rmtree(self.root, ignore_errors=True)

    def connect(self, database="postgres"):
        return psycopg2.connect(host="127.0.0.1", port=self.port, user=self.user, dbname=database)

    def create_database(self):
        """A new empty database; returns its SQLAlchemy URL (the form ``optgrade build --db-url`` takes)."""
        name = f"gradebook_{uuid.uuid4().hex[:12]}"
        connection = self.connect()
        try:
            connection.autocommit = True  # CREATE DATABASE cannot run inside a transaction
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {name}")
        finally:
            connection.close()
        return f"postgresql+psycopg2://{self.user}@127.0.0.1:{self.port}/{name}"
