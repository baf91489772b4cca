"""Start the bot the way the README does (scripts/run.sh, what `make run` calls
after install and train) on free ports with its own SQLite file, so a test never
disturbs a developer's running bot."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Dict, Iterator, List, Tuple

import pytest
import yaml

from tools.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"
START_TIMEOUT_S = 240


def port_open(port: int) -> bool:
    """True when something accepts connections on 127.0.0.1:port."""
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class RunningBot:
    """scripts/run.sh as started by a test: its process, ports, env and log."""

    proc: subprocess.Popen
    rasa_port: int
    action_port: int
    env: Dict[str, str]
    log: IO[str]
    db_path: Path

    def log_text(self) -> str:
        """Everything run.sh and its servers printed so far."""
        self.log.seek(0)
        return self.log.read()

    def say(self, sender: str, text: str) -> Tuple[int, List[Dict[str, Any]]]:
        """One REST turn; returns (status, bot messages)."""
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"[]")

    def events(self, sender: str) -> List[Dict[str, Any]]:
        """The conversation's stored events, in order, straight from SQLite."""
        with sqlite3.connect(self.db_path) as connection:
            rows = connection.execute(
                "SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
            ).fetchall()
        return [json.loads(data) for (data,) in rows]


def texts(messages: List[Dict[str, Any]]) -> List[str]:
    """The text of each bot message."""
    return [m.get("text", "") for m in messages if isinstance(m, dict)]


def response_texts(name: str) -> List[str]:
    """Every variation's text of a domain response."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    return [variant["text"].strip() for variant in domain["responses"][name]]


@contextmanager
def run_sh(tmp_path: Path, **extra_env: str) -> Iterator[RunningBot]:
    """scripts/run.sh on free ports; Ctrl-C (SIGINT) afterwards unless it stopped."""
    if not MODEL.exists():
        pytest.fail("models/current.tar.gz is missing: run `make train` first")
    rasa_port, action_port = free_port(), free_port()
    db_path = tmp_path / "tracker.db"
    env = dict(
        os.environ,
        RASA_PORT=str(rasa_port),
        ACTION_PORT=str(action_port),
        TRACKER_DB=str(db_path),
        **extra_env,
    )
    log = open(tmp_path / "run.log", "w+")
    proc = subprocess.Popen(
        ["scripts/run.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    bot = RunningBot(proc, rasa_port, action_port, env, log, db_path)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while "is running" not in bot.log_text():
            if proc.poll() is not None:
                pytest.fail(f"run.sh exited early:\n{bot.log_text()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"servers did not start in {START_TIMEOUT_S} s")
            time.sleep(0.5)
        yield bot
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()
