"""Throw-away PostgreSQL and Redis on loopback, for the scale-out test, each on a
port free when the module is loaded (never a fixed one another process may hold).
Data lives in a temporary directory; stop() removes it.

PostgreSQL refuses to run as root, so as root the server runs as the `postgres`
user (runuser) in a data directory that user owns. Passwords are random per run
and reach Rasa only through environment variables, as in production.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

from tools.servers import free_port

PG_PORT = free_port()
REDIS_PORT = free_port(exclude=(PG_PORT,))
DB_NAME = "rasa"
DB_USER = "rasa"


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (make test-scale installs it)")
    return found[-1]


def _as_pg_user(cmd: List[str]) -> List[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@dataclass
class Postgres:
    """A PostgreSQL cluster in a temporary directory."""

    root: Path
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    proc: subprocess.Popen = None

    @property
    def data_dir(self) -> Path:
        """The cluster's data directory (also holds the unix socket)."""
        return self.root / "data"

    def env(self) -> Dict[str, str]:
        """The variables endpoints.scale.yml reads."""
        return {
            "DB_HOST": "127.0.0.1",
            "DB_PORT": str(PG_PORT),
            "DB_NAME": DB_NAME,
            "DB_USER": DB_USER,
            "DB_PASSWORD": self.password,
        }

    def init(self) -> None:
        """initdb with password authentication, then the `rasa` role and database."""
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        pwfile = self.root / "pw"
        pwfile.write_text(self.password + "\n")
        if os.geteuid() == 0:
            shutil.chown(pwfile, "postgres", "postgres")
        pwfile.chmod(0o600)
        subprocess.run(
            _as_pg_user(
                [
                    _pg_bin("initdb"),
                    "-D",
                    str(self.data_dir),
                    "-U",
                    DB_USER,
                    f"--pwfile={pwfile}",
                    "--auth-host=scram-sha-256",
                    "--auth-local=scram-sha-256",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            capture_output=True,
        )
        pwfile.unlink()
        self.start()
        self.psql(f"CREATE DATABASE {DB_NAME}", database="postgres")

    def start(self) -> None:
        """Starts the server on 127.0.0.1:PG_PORT and waits until it accepts."""
        log = open(self.root / "postgres.log", "ab")
        cmd = [
            _pg_bin("postgres"),
            "-D",
            str(self.data_dir),
            "-p",
            str(PG_PORT),
            "-k",
            str(self.data_dir),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "fsync=off",
        ]
        self.proc = subprocess.Popen(
            _as_pg_user(cmd), stdout=log, stderr=log, start_new_session=True
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    "postgres exited: "
                    + (self.root / "postgres.log").read_text()[-2000:]
                )
            ready = subprocess.run(
                [_pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(PG_PORT)],
                capture_output=True,
            )
            if ready.returncode == 0:
                return
            time.sleep(0.3)
        raise RuntimeError("postgres did not start")

    def stop(self) -> None:
        """Fast shutdown (what an outage looks like to Rasa)."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            self.proc.wait(timeout=60)

    def psql(self, sql: str, database: str = DB_NAME) -> str:
        """Runs one SQL statement with psql; returns its unaligned output."""
        result = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(PG_PORT),
                "-U",
                DB_USER,
                "-d",
                database,
                "-At",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                sql,
            ],
            env={**os.environ, "PGPASSWORD": self.password},
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout

    def remove(self) -> None:
        """Stops the server and deletes its files."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class Redis:
    """A Redis server without persistence, password from a random token."""

    root: Path
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    proc: subprocess.Popen = None

    def env(self) -> Dict[str, str]:
        """The variables endpoints.scale.yml reads."""
        return {
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(REDIS_PORT),
            "REDIS_PASSWORD": self.password,
            "REDIS_DB": "1",
        }

    def start(self) -> None:
        """Starts redis-server on 127.0.0.1:REDIS_PORT and waits for PONG."""
        self.root.mkdir(parents=True, exist_ok=True)
        conf = self.root / "redis.conf"
        conf.write_text(
            f"port {REDIS_PORT}\nbind 127.0.0.1\nsave ''\nappendonly no\n"
            f"dir {self.root}\nrequirepass {self.password}\n"
        )
        conf.chmod(0o600)
        log = open(self.root / "redis.log", "ab")
        self.proc = subprocess.Popen(
            ["redis-server", str(conf)],
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        log.close()
        import redis

        client = redis.Redis(host="127.0.0.1", port=REDIS_PORT, password=self.password)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("redis-server exited")
            try:
                if client.ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError("redis did not start")

    def stop(self) -> None:
        """Stops the server (an outage, as Rasa sees it); start() brings it back."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)

    def remove(self) -> None:
        """Stops the server and deletes its files."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def temp_root(prefix: str) -> Path:
    """A fresh directory under /tmp that the postgres user can enter."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path
