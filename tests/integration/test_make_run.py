"""`make run` contract: both servers start, REST answers a greeting, Ctrl-C stops all.

Runs scripts/run.sh (what `make run` calls after install and train) on free
ports with its own SQLite file, so it never disturbs a developer's running bot.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def post_message(port: int, sender: str, text: str) -> list:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@pytest.fixture()
def running_bot(tmp_path):
    if not MODEL.exists():
        pytest.fail("models/current.tar.gz is missing: run `make train` first")
    rasa_port, action_port = free_port(), free_port()
    env = dict(
        os.environ,
        RASA_PORT=str(rasa_port),
        ACTION_PORT=str(action_port),
        TRACKER_DB=str(tmp_path / "tracker.db"),
    )
    log = open(tmp_path / "run.log", "w+")
    proc = subprocess.Popen(
        ["scripts/run.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        log.seek(0)
        if "is running" in log.read():
            break
        if proc.poll() is not None:
            log.seek(0)
            pytest.fail(f"run.sh exited early:\n{log.read()[-3000:]}")
        time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("servers did not start within 240 s")
    yield proc, rasa_port, action_port, env, log
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    log.close()


def test_rest_answers_hi_with_a_greeting(running_bot):
    _, rasa_port, action_port, _, _ = running_bot
    assert port_open(action_port), "the action server is not listening"
    replies = post_message(rasa_port, "make-run-test", "hi")
    text = " ".join(r.get("text", "") for r in replies).lower()
    assert "leg numbness assistant" in text
    assert "emergency" in text


def test_second_run_says_it_is_running_instead_of_failing(running_bot):
    _, _, _, env, _ = running_bot
    second = subprocess.run(
        ["scripts/run.sh"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode == 0
    assert "already running" in second.stdout


def test_ctrl_c_stops_both_servers(running_bot):
    proc, rasa_port, action_port, _, _ = running_bot
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (
        port_open(rasa_port) or port_open(action_port)
    ):
        time.sleep(0.5)
    assert not port_open(rasa_port), "the Rasa server outlived Ctrl-C"
    assert not port_open(action_port), "the action server outlived Ctrl-C"
