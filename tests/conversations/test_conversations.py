"""Scripted multi-turn conversations over REST, with an expectation per turn.

Each conversation in conversations.yml is what a new user might do: interrupt
the questions with a question of their own, correct themselves, tell a red
flag mid-way, tell someone else's story, start over, paste a long message.
Every turn's expectations must hold (kinds in `check_turn`); the servers are
real: one Rasa server and one action server for the whole set.
"""

from __future__ import annotations

import json
import os
import re
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from reliability import servers
from reliability.test_dialogue import reply_assessment, reply_buttons

from actions.replies import ABOUT_OTHER
from bot.channels.common import MAX_TEXT_CHARS, NOTICE_TRUNCATED

SCRIPT = Path(__file__).with_name("conversations.yml")
CONVERSATIONS = yaml.safe_load(SCRIPT.read_text())["conversations"]
KINDS = {
    "question",
    "asks_again",
    "not_asked_again",
    "question_about_them",
    "emergency_first",
    "no_emergency",
    "assessment",
    "no_assessment",
    "urgency",
    "urgency_not",
    "response",
    "no_response",
    "no_red_flags",
    "about_other",
    "not_about_other",
    "truncated",
}


@dataclass
class Conversation:
    """What a conversation has seen so far: the open question's text and buttons."""

    question: Optional[str] = None
    buttons: List[Dict[str, Any]] = field(default_factory=list)


def _say(url: str, sender: str, text: str) -> List[Dict[str, Any]]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        assert response.status == 200
        return json.load(response)


def _texts(reply: List[Dict[str, Any]]) -> List[str]:
    return [text for text in servers.texts(reply) if text]


def _message(turn: Dict[str, Any]) -> str:
    """The text to send: `say`, or `say_long` repeated past the length limit."""
    if "say_long" in turn:
        text = str(turn["say_long"])
        return (text + " ") * (MAX_TEXT_CHARS // (len(text) + 1) + 2)
    return str(turn["say"])


def check_turn(
    expect: Dict[str, Any], reply: List[Dict[str, Any]], seen: Conversation
) -> None:
    """Asserts every expectation of one turn; unknown kinds fail loudly."""
    unknown = set(expect) - KINDS
    assert not unknown, f"unknown expectation(s) {sorted(unknown)}"
    texts = _texts(reply)
    assert texts, "no reply at all"
    emergency = set(servers.response_texts("utter_emergency"))
    assessment = reply_assessment(reply)
    if expect.get("question"):
        assert reply_buttons(reply) and assessment is None, "no question asked"
    if expect.get("asks_again"):
        assert seen.question is not None, "no open question to ask again"
        assert texts[-1] == seen.question, "the open question was not asked again"
        assert reply_buttons(reply) == seen.buttons
    if expect.get("not_asked_again"):
        assert seen.question is not None, "no open question"
        assert seen.question not in texts, "the open question was asked again"
    if expect.get("question_about_them"):
        assert reply_buttons(reply), "no question asked"
        worded = [texts[-1], *(b["title"] for b in reply_buttons(reply))]
        spoken_to = [t for t in worded if SPOKEN_TO.search(_question_voice(t))]
        assert not spoken_to, f"asks the person about themselves: {spoken_to}"
    if expect.get("emergency_first"):
        assert texts[0] in emergency, "the emergency prompt is not first"
    if expect.get("no_emergency"):
        assert not emergency & set(texts), "a false emergency prompt"
        assert assessment is None or assessment["urgency"] != "emergency"
    if expect.get("assessment"):
        assert assessment is not None, "no assessment"
    if expect.get("no_assessment"):
        assert assessment is None, "an assessment too early"
    if "urgency" in expect:
        assert assessment is not None and assessment["urgency"] == expect["urgency"]
    if "urgency_not" in expect:
        assert assessment is None or assessment["urgency"] != expect["urgency_not"]
    for name in _names(expect.get("response")):
        assert set(servers.response_texts(name)) & set(texts), f"no {name}"
    for name in _names(expect.get("no_response")):
        assert not set(servers.response_texts(name)) & set(texts), f"{name} sent"
    if expect.get("no_red_flags"):
        assert assessment is not None and assessment["red_flags"] == []
    if expect.get("about_other"):
        assert texts[0].startswith(ABOUT_OTHER), "not answered about them"
    if expect.get("not_about_other"):
        assert not any(ABOUT_OTHER in t for t in texts), "an old story's person"
    if expect.get("truncated"):
        assert texts[-1] == NOTICE_TRUNCATED, "not told the message was cut"


#: Words that speak to the person or in their voice: none in a question about
#: someone else ("I don't know" is the person's own answer).
SPOKEN_TO = re.compile(r"\b(you|your|yourself|my|me)\b|\bI\b(?! don't know)")


def _question_voice(text: str) -> str:
    """A question's own words, without the bot's asides ("Before I go on",
    "You already told me: ...")."""
    text = text.replace("Before I go on", "")
    return re.sub(r"\(You already told me:[^)]*\)", "", text)


def _names(value: Any) -> List[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


@pytest.fixture(scope="module")
def bot_url(tmp_path_factory):
    """A running bot's URL: CONVERSATIONS_URL, or servers started for the set."""
    if os.environ.get("CONVERSATIONS_URL"):
        yield os.environ["CONVERSATIONS_URL"].rstrip("/")
        return
    stack = servers.start_sqlite_stack(tmp_path_factory.mktemp("conversations"))
    try:
        yield stack.rasa.url
    finally:
        servers.stop_stack(stack)


def test_the_set_holds_at_least_fifty_conversations_with_unique_ids():
    ids = [c["id"] for c in CONVERSATIONS]
    assert len(ids) >= 50 and len(set(ids)) == len(ids)


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=lambda c: c["id"])
def test_conversation(conversation, bot_url):
    sender = f"conv-{conversation['id']}-{os.getpid()}"
    seen = Conversation()
    for number, turn in enumerate(conversation["turns"], start=1):
        reply = _say(bot_url, sender, _message(turn))
        try:
            check_turn(turn.get("expect") or {}, reply, seen)
        except AssertionError as error:
            raise AssertionError(
                f"turn {number} ({_message(turn)[:60]!r}): {error}\n"
                f"reply: {json.dumps(_texts(reply), indent=1)[:1500]}"
            ) from error
        checks = set(servers.response_texts("utter_check_red_flag"))
        if reply_buttons(reply) and reply_assessment(reply) is None:
            if _texts(reply)[-1] not in checks:  # a red flag's own question
                seen.question, seen.buttons = (
                    _texts(reply)[-1],
                    reply_buttons(reply),
                )
