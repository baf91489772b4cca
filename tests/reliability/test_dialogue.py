"""The follow-up questions on real servers: what `rasa test` stories cannot see.

Story tests check the policies' predictions, not what Rasa's form does at run
time with the validator's answer (bot/data/rules_follow_up.yml's interruptions
only fire when the form lets a message through). Here a person answers with
the buttons, as in the widget, over REST with the action server running, and
a possible red flag is asked about and confirmed with the action server down.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import yaml

from actions.cause_table import RED_FLAG_CHECK_ID

from . import servers

OPENING = "my left foot has been tingling for weeks, worse at night"
MAX_TURNS = 10


def reply_buttons(reply: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [b for m in reply for b in (m.get("buttons") or [])]


def reply_assessment(reply: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    for message in reply:
        custom = message.get("custom")
        if isinstance(custom, dict) and "assessment" in custom:
            return custom["assessment"]
    return None


def _to_red_flag_check(stack, sender: str) -> List[Dict[str, Any]]:
    """Answers each question with its first button until the red-flag check."""
    status, reply = servers.say(stack.rasa, sender, OPENING)
    for _ in range(MAX_TURNS):
        assert status == 200 and reply_assessment(reply) is None, reply
        buttons = reply_buttons(reply)
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
    assessment = reply_assessment(reply)
    assert assessment is not None and assessment["urgency"] == "emergency"


def test_none_of_the_red_flags_ends_the_questions_with_the_assessment(stack):
    buttons = _to_red_flag_check(stack, "dialogue-none")
    none_of_these = buttons[-1]["payload"]
    assert not none_of_these.startswith("/report_red_flag")
    status, reply = servers.say(stack.rasa, "dialogue-none", none_of_these)
    assert status == 200
    assessment = reply_assessment(reply)
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
    assert reply_buttons(reply) == reply_buttons(first)


# The messages bot/nlu/red_flag_detector.py turns possible evidence into.
POSSIBLE_FLAG = '/check_red_flag{{"possible_red_flag": "{}"}}'
#: Two of them in one message: the stroke's question first (the last entity).
TWO_POSSIBLE_FLAGS = (
    '/check_red_flag{"possible_red_flag": ["tight_cast", "stroke_signs"]}'
)


def _variant(response: str, slot: str, value: str) -> Dict[str, Any]:
    """The variation of a domain response chosen when `slot` holds `value`."""
    domain = yaml.safe_load((servers.ROOT / "domain.yml").read_text())
    for variant in domain["responses"][response]:
        conditions = variant.get("condition") or []
        if any(c["name"] == slot and c["value"] == value for c in conditions):
            return variant
    raise AssertionError(f"{response} has no variation for {slot}={value}")


def test_a_possible_red_flag_is_asked_and_confirmed_without_the_action_server(
    stack,
):
    servers.stop(stack.actions)
    question = _variant("utter_check_red_flag", "possible_red_flag", "tight_cast")
    emergency = _variant("utter_emergency", "red_flag", "tight_cast")
    sender = "dialogue-possible-flag-down"
    status, reply = servers.say(stack.rasa, sender, POSSIBLE_FLAG.format("tight_cast"))
    assert status == 200
    assert servers.texts(reply)[0] == question["text"].strip(), reply
    yes = next(b for b in reply_buttons(reply) if b["title"] == "Yes")
    assert yes["payload"].startswith("/report_red_flag")
    status, reply = servers.say(stack.rasa, sender, yes["payload"])
    assert status == 200
    assert servers.texts(reply)[0] == emergency["text"].strip(), reply


def test_a_no_to_one_possible_red_flag_asks_the_next_without_the_action_server(
    stack,
):
    """Two possible red flags in one message: both questions, one after the
    other, and a yes to the second gets its prompt (rules and mappings only)."""
    servers.stop(stack.actions)
    first = _variant("utter_check_red_flag", "possible_red_flag", "stroke_signs")
    second = _variant("utter_check_red_flag", "possible_red_flag", "tight_cast")
    emergency = set(servers.response_texts("utter_emergency"))
    sender = "dialogue-two-possible-flags-down"
    status, reply = servers.say(stack.rasa, sender, TWO_POSSIBLE_FLAGS)
    assert status == 200 and servers.texts(reply)[0] == first["text"].strip(), reply
    status, reply = servers.say(stack.rasa, sender, "/deny")
    assert status == 200 and servers.texts(reply)[0] == second["text"].strip(), reply
    status, reply = servers.say(stack.rasa, sender, "yes")
    assert status == 200
    assert servers.texts(reply)[0] in emergency, reply


def test_no_to_every_queued_red_flag_resumes_the_questions(stack):
    sender = "dialogue-two-possible-flags-no"
    status, first = servers.say(stack.rasa, sender, OPENING)
    assert status == 200
    open_question = servers.texts(first)[-1]
    second = _variant("utter_check_red_flag", "possible_red_flag", "tight_cast")
    servers.say(stack.rasa, sender, TWO_POSSIBLE_FLAGS)
    status, reply = servers.say(stack.rasa, sender, "no")
    assert status == 200 and servers.texts(reply) == [second["text"].strip()], reply
    status, reply = servers.say(stack.rasa, sender, "/deny")
    assert status == 200
    assert servers.texts(reply)[-1] == open_question, reply
    assert reply_assessment(reply) is None


def test_a_button_answer_that_completes_a_red_flag_gets_the_prompt_first(stack):
    """A payload skips the NLU pipeline; its answer is screened all the same."""
    emergency = set(servers.response_texts("utter_emergency"))
    sender = "dialogue-button-completes-flag"
    opening = "got kicked in the thigh yesterday, it went numb and now its so swollen"
    status, reply = servers.say(stack.rasa, sender, opening)
    assert status == 200 and not emergency & set(servers.texts(reply)), reply
    status, reply = servers.say(stack.rasa, sender, '/affirm{"answer": "leg_pain:0"}')
    assert status == 200
    assert servers.texts(reply)[0] in emergency, reply


def test_a_typed_yes_to_a_possible_red_flag_gets_the_prompt_without_the_action_server(
    stack,
):
    servers.stop(stack.actions)
    emergency = set(servers.response_texts("utter_emergency"))
    question = _variant("utter_check_red_flag", "possible_red_flag", "stroke_signs")
    sender = "dialogue-possible-flag-typed"
    status, reply = servers.say(
        stack.rasa, sender, POSSIBLE_FLAG.format("stroke_signs")
    )
    assert status == 200 and servers.texts(reply)[0] == question["text"].strip()
    status, reply = servers.say(stack.rasa, sender, "yes")
    assert status == 200
    assert servers.texts(reply)[0] in emergency, reply


def test_a_possible_red_flag_in_the_questions_is_asked_then_no_resumes_them(stack):
    sender = "dialogue-possible-flag-form"
    status, first = servers.say(stack.rasa, sender, OPENING)
    assert status == 200
    open_question = servers.texts(first)[-1]
    question = _variant("utter_check_red_flag", "possible_red_flag", "stroke_signs")
    status, reply = servers.say(
        stack.rasa, sender, POSSIBLE_FLAG.format("stroke_signs")
    )
    assert status == 200
    # the flag's own question, alone: "yes" / "no" must answer it
    assert servers.texts(reply) == [question["text"].strip()], reply
    status, reply = servers.say(stack.rasa, sender, "/deny")
    assert status == 200
    assert servers.texts(reply)[-1] == open_question, reply
    assert reply_buttons(reply) == reply_buttons(first)
    assert reply_assessment(reply) is None


def test_no_to_a_possible_red_flag_after_the_assessment_re_assesses(stack):
    sender = "dialogue-possible-flag-after"
    buttons = _to_red_flag_check(stack, sender)
    status, reply = servers.say(stack.rasa, sender, buttons[-1]["payload"])
    assert status == 200 and reply_assessment(reply) is not None
    question = _variant("utter_check_red_flag", "possible_red_flag", "tight_cast")
    status, reply = servers.say(stack.rasa, sender, POSSIBLE_FLAG.format("tight_cast"))
    assert status == 200 and servers.texts(reply)[0] == question["text"].strip()
    status, reply = servers.say(stack.rasa, sender, "no")
    assert status == 200
    assessment = reply_assessment(reply)
    assert assessment is not None and assessment["urgency"] != "emergency", reply


def test_each_red_flag_has_its_question_and_its_yes_reports_it():
    """One variation per red flag of causes.yml; "Yes" names it and its check answer."""
    causes = yaml.safe_load((servers.ROOT / "actions" / "causes.yml").read_text())
    questions = yaml.safe_load((servers.ROOT / "actions" / "questions.yml").read_text())
    answers = questions[RED_FLAG_CHECK_ID]["answers"]
    for flag in causes["red_flags"]:
        variant = _variant("utter_check_red_flag", "possible_red_flag", flag["id"])
        titles = [b["title"] for b in variant["buttons"]]
        assert titles == ["Yes", "No"], flag["id"]
        yes = variant["buttons"][0]["payload"]
        assert yes.startswith("/report_red_flag"), yes
        entities = json.loads(yes[len("/report_red_flag") :])
        assert entities["red_flag"] == flag["id"]
        question_id, index = entities["answer"].split(":")
        assert question_id == RED_FLAG_CHECK_ID
        assert answers[int(index)]["red_flag"] == flag["id"]


def test_a_question_of_ones_own_is_answered_then_the_open_question_again(stack):
    """Each question is answered; the open question is asked at most twice in
    a row, then taken as "I don't know" and the next one comes."""
    sender = "dialogue-own-question"
    status, first = servers.say(stack.rasa, sender, OPENING)
    assert status == 200
    question = servers.texts(first)[-1]
    unclear = set(servers.response_texts("utter_answer_unclear"))
    moving_on = set(servers.response_texts("utter_taken_as_dont_know"))
    status, reply = servers.say(
        stack.rasa, sender, "sorry, what kind of doctor should I be seeing for this?"
    )
    texts = servers.texts(reply)
    assert status == 200 and not unclear & set(texts), reply
    assert len(texts) >= 2 and texts[-1] == question, reply
    assert reply_buttons(reply) == reply_buttons(first)
    assert reply_assessment(reply) is None
    status, reply = servers.say(stack.rasa, sender, "what tests will I need?")
    texts = servers.texts(reply)
    assert status == 200 and not unclear & set(texts), reply
    assert moving_on & set(texts) and question not in texts, reply  # not thrice
    assert reply_buttons(reply) and reply_assessment(reply) is None
    next_question = texts[-1]
    status, reply = servers.say(
        stack.rasa, sender, "is there anything I can do at home?"
    )
    assert status == 200 and servers.texts(reply)[-1] == next_question, reply


def test_a_correction_replaces_the_fact_and_the_assessment_says_so(stack):
    sender = "dialogue-correction"
    status, first = servers.say(
        stack.rasa, sender, "my right foot has been tingling for weeks"
    )
    question = servers.texts(first)[-1]
    status, reply = servers.say(stack.rasa, sender, "no wait, it's the left leg")
    assert status == 200 and servers.texts(reply)[-1] == question, reply
    servers.say(stack.rasa, sender, "just tell me")
    status, reply = servers.say(
        stack.rasa, sender, '/deny{"answer": "red_flag_check:9"}'
    )
    assert reply_assessment(reply) is not None
    assert any("You corrected" in t for t in servers.texts(reply)), reply
    status, reply = servers.say(stack.rasa, sender, "summary for my doctor")
    summary = " ".join(servers.texts(reply))
    assert "the left side" in summary and "the right side" not in summary


def test_starting_over_drops_the_old_red_flag(stack):
    sender = "dialogue-start-over"
    emergency = set(servers.response_texts("utter_emergency"))
    status, reply = servers.say(stack.rasa, sender, "I suddenly can't move my legs")
    assert servers.texts(reply)[0] in emergency
    status, reply = servers.say(
        stack.rasa, sender, "Could I ask about my own legs instead?"
    )
    assert servers.texts(reply) == servers.response_texts("utter_restart"), reply
    servers.say(stack.rasa, sender, "my feet tingle after sitting cross-legged")
    servers.say(stack.rasa, sender, "just tell me")
    status, reply = servers.say(
        stack.rasa, sender, '/deny{"answer": "red_flag_check:9"}'
    )
    assert status == 200
    assessment = reply_assessment(reply)
    assert assessment is not None, reply
    assert assessment["urgency"] != "emergency" and assessment["red_flags"] == []
    assert not emergency & set(servers.texts(reply))


def test_a_red_flag_in_answer_to_another_question_is_prompted_at_once(stack):
    sender = "dialogue-flag-as-answer"
    emergency = set(servers.response_texts("utter_emergency"))
    servers.say(stack.rasa, sender, "my thigh feels numb on the outside")
    answer = "it came on slowly, and now I've wet myself without noticing"
    status, reply = servers.say(stack.rasa, sender, answer)
    assert status == 200 and servers.texts(reply)[0] in emergency, reply
    assert reply_assessment(reply)["urgency"] == "emergency"


def test_a_message_over_the_limit_is_read_and_the_person_told(stack):
    from bot.channels.common import MAX_TEXT_CHARS, NOTICE_TRUNCATED

    sender = "dialogue-long"
    text = "my left foot has been tingling for weeks. " * (MAX_TEXT_CHARS // 40)
    assert len(text) > MAX_TEXT_CHARS
    status, reply = servers.say(stack.rasa, sender, text)
    texts = servers.texts(reply)
    assert status == 200 and texts[-1] == NOTICE_TRUNCATED
    assert reply_buttons(reply), reply  # the message was read: its first question


def test_facts_told_while_the_action_server_was_down_count_when_it_is_back(stack):
    """No fact is lost: the next action merges every message it never saw."""
    sender = "dialogue-facts-while-down"
    servers.stop(stack.actions)
    status, _ = servers.say(stack.rasa, sender, "my left foot is numb")
    assert status == 200
    status, _ = servers.say(stack.rasa, sender, "and I have diabetes")
    assert status == 200
    stack.actions = servers.restart(stack.actions)
    servers.wait_up(stack.actions, "/health")
    status, reply = servers.say(stack.rasa, sender, "summary for my doctor")
    summary = " ".join(servers.texts(reply)).lower()
    assert "diabetes" in summary and "foot" in summary, summary


def test_actually_yes_after_a_denied_red_flag_question_without_the_action_server(
    stack,
):
    """The "no ... actually yes" path is domain mappings and rules alone."""
    servers.stop(stack.actions)
    emergency = set(servers.response_texts("utter_emergency"))
    sender = "dialogue-actually-yes-down"
    servers.say(stack.rasa, sender, POSSIBLE_FLAG.format("bladder_bowel_saddle"))
    status, reply = servers.say(stack.rasa, sender, "no")
    assert status == 200 and not emergency & set(servers.texts(reply)), reply
    status, reply = servers.say(stack.rasa, sender, "actually yes")
    assert status == 200
    assert servers.texts(reply)[0] in emergency, reply
