"""The follow-up questions on real servers: what `rasa test` stories cannot see.

Story tests check the policies' predictions, not what Rasa's form does at run
time with the validator's answer (bot/data/rules_follow_up.yml's interruptions
only fire when the form lets a message through). Here a person answers with
the buttons, as in the widget, over REST with the action server running.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from actions.cause_table import RED_FLAG_CHECK_ID

from . import servers

OPENING = "my left foot has been tingling for weeks, worse at night"
MAX_TURNS = 10


def _buttons(reply: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [b for m in reply for b in (m.get("buttons") or [])]


def _assessment(reply: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    for message in reply:
        custom = message.get("custom")
        if isinstance(custom, dict) and "assessment" in custom:
            return custom["assessment"]
    return None


def _to_red_flag_check(stack, sender: str) -> List[Dict[str, Any]]:
    """Answers each question with its first button until the red-flag check."""
    status, reply = servers.say(stack.rasa, sender, OPENING)
    for _ in range(MAX_TURNS):
        assert status == 200 and _assessment(reply) is None, reply
        buttons = _buttons(reply)
        assert buttons, reply  # every question has its answer buttons
        if any(RED_FLAG_CHECK_ID in b["payload"] for b in buttons):
            return buttons
        status, reply = servers.say(stack.rasa, sender, buttons[0]["payload"])
    raise AssertionError(f"no red-flag check within {MAX_TURNS} turns")


def test_a_red_flag_button_gets_the_emergency_prompt_at_once(stack):
    emergency = set(servers.response_texts("utter_emergency"))
    buttons = _to_red_flag_check(stack, "dialogue-red-flag")
    red_flag = next(b for b in buttons if b["payload"].startswith("/report_red_flag"))
    status, reply = servers.say(stack.rasa, "dialogue-red-flag", red_flag["payload"])
    assert status == 200
    assert servers.texts(reply)[0] in emergency, reply
    assessment = _assessment(reply)
    assert assessment is not None and assessment["urgency"] == "emergency"


def test_none_of_the_red_flags_ends_the_questions_with_the_assessment(stack):
    buttons = _to_red_flag_check(stack, "dialogue-none")
    none_of_these = buttons[-1]["payload"]
    assert not none_of_these.startswith("/report_red_flag")
    status, reply = servers.say(stack.rasa, "dialogue-none", none_of_these)
    assert status == 200
    assessment = _assessment(reply)
    assert assessment is not None and assessment["urgency"] != "emergency"


def test_an_interruption_answers_then_asks_the_open_question_again(stack):
    sender = "dialogue-interrupted"
    status, first = servers.say(stack.rasa, sender, OPENING)
    assert status == 200
    question = servers.texts(first)[-1]
    status, reply = servers.say(stack.rasa, sender, "are you a bot?")
    assert status == 200
    texts = servers.texts(reply)
    assert texts[0] in servers.response_texts("utter_iamabot")
    assert texts[-1] == question
    assert _buttons(reply) == _buttons(first)
