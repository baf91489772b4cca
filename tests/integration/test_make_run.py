"""`make run` contract: both servers start, REST greets, Ctrl-C stops all, a second
start says it is running, a start purges conversations past the retention
(tests/integration/launcher.py starts scripts/run.sh)."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from .launcher import ROOT, port_open, run_sh, texts


def test_rest_answers_hi_with_a_greeting(running_bot):
    assert port_open(running_bot.action_port), "the action server is not listening"
    status, replies = running_bot.say("make-run-test", "hi")
    text = " ".join(texts(replies)).lower()
    assert status == 200
    assert "leg numbness assistant" in text
    assert "emergency" in text


def test_second_run_says_it_is_running_instead_of_failing(running_bot):
    second = subprocess.run(
        ["scripts/run.sh"],
        cwd=ROOT,
        env=running_bot.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode == 0
    assert "already running" in second.stdout


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGHUP])
def test_ctrl_c_or_a_closed_terminal_stops_both_servers(fresh_bot, stop_signal):
    fresh_bot.proc.send_signal(stop_signal)
    fresh_bot.proc.wait(timeout=60)
    deadline = time.monotonic() + 30
    ports = (fresh_bot.rasa_port, fresh_bot.action_port)
    while time.monotonic() < deadline and any(port_open(p) for p in ports):
        time.sleep(0.5)
    assert not port_open(fresh_bot.rasa_port), "the Rasa server outlived Ctrl-C"
    assert not port_open(fresh_bot.action_port), "the action server outlived Ctrl-C"


def test_start_deletes_conversations_idle_past_the_retention(tmp_path):
    db_path = tmp_path / "tracker.db"
    now = time.time()
    store = SQLTrackerStore(Domain.empty(), db=str(db_path))
    for sender, age_days in (("idle-40-days", 40), ("active-yesterday", 1)):
        when = now - age_days * 86400
        tracker = DialogueStateTracker.from_events(
            sender,
            [ActionExecuted("action_listen", timestamp=when),
             UserUttered("hello", {"name": "greet"}, timestamp=when)],
        )  # fmt: skip
        asyncio.run(store.save(tracker))
    store.engine.dispose()
    with run_sh(tmp_path) as bot:
        assert "Retention (30 days): Deleted 1 conversation(s)" in bot.log_text()
        assert bot.events("idle-40-days") == []
        assert bot.events("active-yesterday")
