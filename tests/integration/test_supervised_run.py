"""Chaos on the real start-up path: the action server dies under `make run`.

scripts/run.sh starts both servers under supervisord; the test kills the action
server (SIGKILL, as a crash or the out-of-memory killer would) and checks that the
Rasa server keeps answering (the emergency prompt for a red flag, a named notice
for an ordinary turn, both stored), that the action server is back within 30 s,
and that the conversation then continues with its facts.
"""

from __future__ import annotations

import os
import signal
import time
import urllib.request
from typing import Any, Dict, List

from bot.channels import common

from .launcher import response_texts, texts
from .processes import pids_with_args

STROKE = "my left arm and leg went numb suddenly and my face is drooping"
SYMPTOM = "my feet have been numb and tingling for a few weeks"
BACK_WITHIN_S = 30


def slot_value(events: List[Dict[str, Any]], name: str) -> Any:
    """The latest value a conversation's events set for a slot."""
    value = None
    for event in events:
        if event["event"] == "slot" and event["name"] == name:
            value = event["value"]
    return value


def action_server_pids(port: int) -> List[int]:
    return pids_with_args("rasa_sdk", "--port", str(port))


def health_ok(port: int) -> bool:
    try:
        url = f"http://127.0.0.1:{port}/health"
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def test_killed_action_server_is_restarted_and_no_turn_is_lost(running_bot):
    bot = running_bot
    emergency = set(response_texts("utter_emergency"))
    status, reply = bot.say("chaos", SYMPTOM)
    assert status == 200 and texts(reply)
    facts_before = slot_value(bot.events("chaos"), "facts_present")
    assert facts_before, "the symptom gave no facts: nothing to keep"

    [pid] = action_server_pids(bot.action_port)
    os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()
    while pid in action_server_pids(bot.action_port):
        time.sleep(0.05)

    # While it is down: an ordinary turn gets an answer that says what happened
    # (first, while the new process is still starting) ...
    status, reply = bot.say("chaos", "I am 52 years old")
    assert status == 200
    assert texts(reply) == [common.NOTICE_ACTIONS_RESTARTING], reply
    # ... a red flag the emergency prompt first; both turns are stored.
    status, reply = bot.say("chaos-stroke", STROKE)
    assert status == 200
    assert texts(reply) and texts(reply)[0] in emergency, reply
    users = [e["text"] for e in bot.events("chaos") if e["event"] == "user"]
    assert users == [SYMPTOM, "I am 52 years old"]
    assert STROKE in [e.get("text") for e in bot.events("chaos-stroke")]

    while not health_ok(bot.action_port):
        assert time.monotonic() - killed_at < BACK_WITHIN_S, "action server not back"
        time.sleep(0.25)
    log = bot.log_text()
    assert "exited: action-server (terminated by SIGKILL" in log
    assert log.count("spawned: 'action-server'") >= 2

    status, reply = bot.say("chaos", "I am 52 years old")
    assert status == 200 and texts(reply)
    assert common.NOTICE_ACTIONS_RESTARTING not in texts(reply)
    events = bot.events("chaos")
    assert set(facts_before) <= set(slot_value(events, "facts_present"))
    assert slot_value(events, "age") == 52
    assert bot.proc.poll() is None
