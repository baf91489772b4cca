"""Faults: the action server or the database goes away, then comes back.

Expected texts are read from domain.yml and bot/channels/common.py, and the
messages from the training data, so the tests follow the dialogue as it changes.
"""

from __future__ import annotations

import sqlite3
from typing import Dict

import yaml

from bot.channels import common
from tools import servers

ROOT = servers.ROOT


def intent_answered_by_custom_action() -> str:
    """An intent whose unconditional rule runs a custom action first."""
    for path in sorted((ROOT / "bot" / "data").glob("rules*.yml")):
        for rule in yaml.safe_load(path.read_text()).get("rules", []) or []:
            steps = rule.get("steps", [])
            if rule.get("condition") or len(steps) < 2 or "intent" not in steps[0]:
                continue
            action = steps[1].get("action", "")
            if action.startswith("action_") and not action.startswith("action_de"):
                return steps[0]["intent"]
    raise AssertionError("no rule answers an intent with a custom action")


def test_action_server_down_emergency_still_sent_and_no_silence(stack):
    emergency = set(servers.response_texts("utter_emergency"))
    sender = "faults-actions"
    status, reply = servers.say(stack.rasa, sender, "hello")
    assert status == 200 and servers.texts(reply)
    before = servers.sqlite_events(stack.db_path, sender)

    servers.stop(stack.actions)
    red_flags = servers.intent_examples("report_red_flag")[:3]
    assert red_flags
    for index, text in enumerate(red_flags):
        status, reply = servers.say(stack.rasa, f"{sender}-flag-{index}", text)
        assert status == 200
        assert emergency & set(servers.texts(reply)), (text, reply)

    custom_intent = intent_answered_by_custom_action()
    status, reply = servers.say(stack.rasa, sender, f"/{custom_intent}")
    assert status == 200
    assert servers.texts(reply) == [common.NOTICE_ACTIONS_RESTARTING]
    assert stack.rasa.alive()
    # The turn is kept: its user message is stored, after the earlier events.
    kept = servers.sqlite_events(stack.db_path, sender)
    assert kept[: len(before)] == before
    assert [e for e in kept[len(before) :] if e["event"] == "user"]

    stack.actions = servers.restart(stack.actions)
    servers.wait_up(stack.actions, "/health")
    status, reply = servers.say(stack.rasa, sender, f"/{custom_intent}")
    assert status == 200 and servers.texts(reply)
    assert common.APOLOGY_NO_REPLY not in servers.texts(reply)
    assert common.NOTICE_ACTIONS_RESTARTING not in servers.texts(reply)
    after = servers.sqlite_events(stack.db_path, sender)
    assert after[: len(before)] == before


def test_database_down_clear_error_then_recovery(stack):
    sender = "faults-db"
    for text in ("hello", "my legs feel numb"):
        status, reply = servers.say(stack.rasa, sender, text)
        assert status == 200 and servers.texts(reply)
    before = servers.sqlite_events(stack.db_path, sender)

    # An exclusive lock held elsewhere makes every read and write of the database
    # fail ("database is locked"), like a database that stopped answering.
    blocker = sqlite3.connect(stack.db_path, timeout=1, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        status, reply = servers.say(stack.rasa, sender, "are you still there?")
        assert status == 503
        assert servers.texts(reply) == [common.ERROR_STORE_DOWN]
        assert stack.rasa.alive()
        # No turn can run, yet a red flag gets the emergency prompt first.
        emergency = set(servers.response_texts("utter_emergency"))
        for text in servers.intent_examples("report_red_flag")[:2]:
            status, reply = servers.say(stack.rasa, sender, text)
            assert status == 503
            first, last = servers.texts(reply)[0], servers.texts(reply)[-1]
            assert first in emergency and last == common.ERROR_STORE_DOWN, reply
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()

    status, reply = servers.say(stack.rasa, sender, "hello again")
    assert status == 200 and servers.texts(reply)
    assert common.ERROR_STORE_DOWN not in servers.texts(reply)
    after = servers.sqlite_events(stack.db_path, sender)
    assert after[: len(before)] == before
    user_texts: Dict[str, int] = {}
    for event in after:
        if event["event"] == "user":
            user_texts[event["text"]] = user_texts.get(event["text"], 0) + 1
    # The refused turn was not stored; the turn after recovery was.
    assert "are you still there?" not in user_texts
    assert user_texts.get("hello again") == 1
