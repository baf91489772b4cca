"""Start the action server and a Rasa server on free loopback ports for channel tests.

Shared by tests/channels and tests/browser: both talk to a real `rasa run` over
HTTP, the way Telegram and a browser do, with their own credentials file and a
throw-away SQLite tracker store.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, NamedTuple

import yaml

ROOT = Path(__file__).resolve().parents[2]
# CHANNELS_MODEL lets a developer try another model; make targets use the default.
MODEL = Path(os.environ.get("CHANNELS_MODEL", ROOT / "models" / "current.tar.gz"))
START_TIMEOUT_S = 300


class Bot(NamedTuple):
    """A running bot: its base URL and where its logs go."""

    url: str
    log: Path


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status == 200
    except OSError:
        return False


@contextmanager
def running_bot(workdir: Path, credentials: str) -> Iterator[Bot]:
    """Action server + `rasa run` with ``credentials`` (YAML text); stops both."""
    if not MODEL.exists():
        raise RuntimeError("models/current.tar.gz is missing: run `make train` first")
    action_port, rasa_port = free_port(), free_port()
    (workdir / "credentials.yml").write_text(credentials)
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    endpoints["action_endpoint"] = {"url": f"http://127.0.0.1:{action_port}/webhook"}
    endpoints["tracker_store"]["db"] = str(workdir / "tracker.db")  # as users run it
    (workdir / "endpoints.yml").write_text(yaml.safe_dump(endpoints))
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false")
    log_path = workdir / "servers.log"
    log = open(log_path, "w")  # closed in finally
    commands = [
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port",
         str(action_port)],
        [sys.executable, "-m", "rasa", "run", "--model", str(MODEL),
         "--endpoints", str(workdir / "endpoints.yml"),
         "--credentials", str(workdir / "credentials.yml"),
         "--interface", "127.0.0.1", "--port", str(rasa_port)],
    ]  # fmt: skip
    procs = [
        subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        for cmd in commands
    ]
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        ready = [
            f"http://127.0.0.1:{action_port}/health",
            f"http://127.0.0.1:{rasa_port}/",
        ]
        while not all(_answers(url) for url in ready):
            if any(proc.poll() is not None for proc in procs):
                raise RuntimeError(f"a server exited:\n{log_path.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"servers not up:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        yield Bot(f"http://127.0.0.1:{rasa_port}", log_path)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()
