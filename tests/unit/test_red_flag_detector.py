"""bot/nlu/red_flag_detector.py: a red flag in a message sets report_red_flag."""

from __future__ import annotations

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from actions.cause_table import get_cause_table, parse_fact
from bot.nlu.red_flag_detector import RedFlagDetector

TABLE = get_cause_table()


@pytest.fixture
def detector(tmp_path) -> RedFlagDetector:
    return RedFlagDetector.create(
        RedFlagDetector.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("red_flag_detector"),
        None,
    )


def _message(entities, intent="describe_symptoms"):
    message = Message.build(text="some words")
    message.set("entities", entities)
    message.set("intent", {"name": intent, "confidence": 0.8})
    message.set("intent_ranking", [{"name": intent, "confidence": 0.8}])
    return message


def _entities(flag, negated=False):
    clause = flag.when[0]
    facts = [parse_fact(f) for f in clause.all_of + clause.any_of[:1]]
    role = {"role": "negated"} if negated else {}
    return [{"entity": e, "value": v, "start": 0, "end": 4, **role} for e, v in facts]


@pytest.mark.parametrize("flag", TABLE.red_flags, ids=lambda f: f.id)
def test_each_red_flag_sets_the_intent_and_the_red_flag_entity(detector, flag):
    [message] = detector.process([_message(_entities(flag))])
    assert message.get("intent") == {"name": "report_red_flag", "confidence": 1.0}
    ranking = [item["name"] for item in message.get("intent_ranking")]
    assert ranking[:2] == ["report_red_flag", "describe_symptoms"]
    red_flags = [
        e["value"] for e in message.get("entities") if e["entity"] == "red_flag"
    ]
    assert flag.id in red_flags


@pytest.mark.parametrize("flag", TABLE.red_flags, ids=lambda f: f.id)
def test_negated_red_flag_facts_change_nothing(detector, flag):
    entities = _entities(flag, negated=True)
    [message] = detector.process([_message(entities)])
    assert message.get("intent")["name"] == "describe_symptoms"
    assert message.get("entities") == entities


def test_a_message_without_entities_is_left_alone(detector):
    [message] = detector.process([_message([], intent="greet")])
    assert message.get("intent") == {"name": "greet", "confidence": 0.8}


def test_a_fallback_is_overridden_by_a_red_flag(detector):
    flag = TABLE.red_flags[0]
    [message] = detector.process([_message(_entities(flag), intent="nlu_fallback")])
    assert message.get("intent")["name"] == "report_red_flag"


@pytest.mark.parametrize("unclear", ["nlu_fallback", "out_of_scope"])
def test_an_unclear_message_with_symptoms_describes_symptoms(detector, unclear):
    entities = [
        {"entity": "sensation", "value": "numbness", "start": 0, "end": 4},
        {"entity": "body_part", "value": "whole_leg", "start": 5, "end": 8},
    ]
    [message] = detector.process([_message(entities, intent=unclear)])
    assert message.get("intent") == {"name": "describe_symptoms", "confidence": 1.0}
    assert [i["name"] for i in message.get("intent_ranking")][:2] == [
        "describe_symptoms",
        unclear,
    ]


@pytest.mark.parametrize("chat", ["greet", "goodbye", "thank"])
def test_small_talk_that_tells_a_fact_describes_symptoms(detector, chat):
    """ "suddenly, mid-morning" is an answer, never a "good morning" that drops
    the question it answers."""
    entities = [{"entity": "onset", "value": "sudden", "start": 0, "end": 8}]
    [message] = detector.process([_message(entities, intent=chat)])
    assert message.get("intent")["name"] == "describe_symptoms"


@pytest.mark.parametrize("chat", ["greet", "goodbye", "thank"])
def test_small_talk_with_no_fact_stays_small_talk(detector, chat):
    [message] = detector.process([_message([], intent=chat)])
    assert message.get("intent")["name"] == chat


@pytest.mark.parametrize("chat", ["greet", "goodbye", "thank"])
def test_small_talk_in_reply_to_a_red_flag_question_is_off_the_question(detector, chat):
    message = _message([], intent=chat)
    message.set("metadata", {"awaited_red_flag_check": "rapid_weakness"})
    [read] = detector.process([message])
    assert read.get("intent")["name"] == "out_of_scope"


def test_an_unclear_message_with_only_a_body_part_stays_unclear(detector):
    entities = [{"entity": "body_part", "value": "knee", "start": 0, "end": 4}]
    [message] = detector.process([_message(entities, intent="nlu_fallback")])
    assert message.get("intent")["name"] == "nlu_fallback"


def test_a_clear_intent_with_symptoms_is_kept(detector):
    entities = [{"entity": "sensation", "value": "numbness", "start": 0, "end": 4}]
    [message] = detector.process([_message(entities, intent="ask_cause_info")])
    assert message.get("intent")["name"] == "ask_cause_info"


def _possible(entities):
    return [{**e, "role": "possible"} for e in entities]


def _values(message, entity):
    return [e["value"] for e in message.get("entities") if e["entity"] == entity]


def test_a_red_flag_only_the_possible_cues_support_asks_the_check_question(
    detector,
):
    entities = _possible([{"entity": "trigger", "value": "cast", "start": 0, "end": 4}])
    [message] = detector.process([_message(entities)])
    assert message.get("intent") == {"name": "check_red_flag", "confidence": 1.0}
    assert _values(message, "possible_red_flag") == ["tight_cast"]
    assert _values(message, "red_flag") == []


def test_a_definite_red_flag_keeps_the_cue_only_ones_as_possible(detector):
    entities = [
        {"entity": "symptom", "value": "speech_problem", "start": 0, "end": 4},
        {
            "entity": "trigger",
            "value": "cast",
            "start": 5,
            "end": 9,
            "role": "possible",
        },
    ]
    [message] = detector.process([_message(entities)])
    assert message.get("intent")["name"] == "report_red_flag"
    assert _values(message, "red_flag") == ["stroke_signs"]
    assert _values(message, "possible_red_flag") == ["tight_cast"]


@pytest.mark.parametrize("role", ["past", "hypothetical"])
def test_past_and_hypothetical_red_flag_facts_change_nothing(detector, role):
    entities = [
        {
            "entity": "symptom",
            "value": "speech_problem",
            "start": 0,
            "end": 4,
            "role": role,
        }
    ]
    [message] = detector.process([_message(entities)])
    assert message.get("intent")["name"] == "describe_symptoms"


def test_a_failed_nlu_stage_fails_closed_with_the_check_question(detector):
    message = _message([], intent="greet")
    message.set("nlu_failed", "matching")
    [message] = detector.process([message])
    assert message.get("intent")["name"] == "check_red_flag"
    # no flag named: the general check, one question with every red flag
    assert _values(message, "possible_red_flag") == []


def _cause(cause_id):
    return [{"entity": "cause", "value": cause_id, "start": 0, "end": 4}]


@pytest.mark.parametrize(
    "cause", [c for c in TABLE.causes if c.red_flag_check], ids=lambda c: c.id
)
def test_a_named_dangerous_cause_asks_its_own_red_flag_check(detector, cause):
    message = _message(_cause(cause.id), intent="ask_cause_info")
    message.set("text", "could it be this?")
    [message] = detector.process([message])
    assert message.get("intent")["name"] == "check_red_flag"
    assert _values(message, "possible_red_flag") == [cause.red_flag_check]


def test_a_question_about_what_a_cause_is_asks_no_check(detector):
    cause = next(c for c in TABLE.causes if c.red_flag_check)
    text = "My leg is numb. What is a blood clot?"
    entity = {"entity": "cause", "value": cause.id, "start": 23, "end": 37}
    message = _message([entity], intent="ask_cause_info")
    message.set("text", text)
    [message] = detector.process([message])
    assert message.get("intent")["name"] == "ask_cause_info"
    assert _values(message, "possible_red_flag") == []


def test_a_cause_without_a_named_danger_asks_no_check(detector):
    cause = next(c for c in TABLE.causes if not c.red_flag_check)
    [message] = detector.process([_message(_cause(cause.id), intent="ask_cause_info")])
    assert message.get("intent")["name"] == "ask_cause_info"


def test_of_several_possible_flags_the_first_in_table_order_is_emitted_last(
    detector,
):
    dangers = [c for c in TABLE.causes if c.red_flag_check]
    entities = [e for c in reversed(dangers) for e in _cause(c.id)]
    [message] = detector.process([_message(entities)])
    emitted = _values(message, "possible_red_flag")
    order = [flag.id for flag in TABLE.red_flags]
    assert len(emitted) > 1
    assert emitted[-1] == min(emitted, key=order.index)
    assert emitted == sorted(emitted, key=order.index, reverse=True)


def test_a_red_flag_the_classifier_alone_predicts_asks_the_general_check(detector):
    symptoms = [{"entity": "sensation", "value": "numbness", "start": 0, "end": 4}]
    [message] = detector.process([_message(symptoms, intent="report_red_flag")])
    assert message.get("intent")["name"] == "check_red_flag"
    assert not _values(message, "red_flag")
    assert not _values(message, "possible_red_flag")  # the slot maps to "unnamed"


def test_a_red_flag_the_facts_support_keeps_the_classifier_intent(detector):
    flag = TABLE.red_flags[0]
    [message] = detector.process([_message(_entities(flag), intent="report_red_flag")])
    assert message.get("intent")["name"] == "report_red_flag"
    assert flag.id in _values(message, "red_flag")


def test_earlier_facts_in_the_metadata_turn_a_ruled_out_red_flag_into_its_question(
    detector,
):
    facts = ["symptom:weakness", "onset:sudden", "body_part:whole_leg"]
    entities = [
        {"entity": e, "value": v, "start": 0, "end": 4}
        for e, v in map(parse_fact, facts)
    ]
    alone = detector.process([_message(entities)])[0]
    assert alone.get("intent")["name"] == "report_red_flag"
    message = _message(entities)
    message.set("metadata", {"earlier_facts": ["trigger:crossed_legs"]})
    read = detector.process([message])[0]
    assert read.get("intent")["name"] == "check_red_flag"
    assert _values(read, "possible_red_flag") == ["rapid_weakness"]


def test_earlier_facts_in_the_metadata_complete_a_red_flag_told_across_turns(detector):
    entities = [
        {"entity": "side", "value": "both", "start": 0, "end": 4},
        {"entity": "sensation", "value": "numbness", "start": 5, "end": 9},
    ]
    message = _message(entities)
    message.set("metadata", {"earlier_facts": ["trigger:injury"]})
    read = detector.process([message])[0]
    assert read.get("intent")["name"] == "report_red_flag"
    assert _values(read, "red_flag") == ["spinal_injury"]


def _injured_reply(earlier):
    text = "both legs, yes, I was injured"
    entities = [
        {"entity": "side", "value": "both", "start": 0, "end": 4},
        {"entity": "body_part", "value": "whole_leg", "start": 5, "end": 9},
        {"entity": "sensation", "value": "numbness", "start": 0, "end": 9},
        {"entity": "trigger", "value": "injury", "start": 20, "end": 28},
    ]
    message = Message.build(text=text)
    message.set("entities", entities)
    message.set("intent", {"name": "affirm", "confidence": 0.8})
    message.set("metadata", {"earlier_facts": earlier})
    return message


def test_a_bare_injury_after_a_limbs_injury_is_that_injury(detector):
    earlier = ["trigger:limb_injury", "body_part:ankle", "sensation:numbness"]
    read = detector.process([_injured_reply(earlier)])[0]
    assert "spinal_injury" not in _values(read, "red_flag")
    assert {"trigger": "limb_injury"} == {
        e["entity"]: e["value"]
        for e in read.get("entities")
        if e["entity"] == "trigger"
    }


def test_a_bare_injury_with_no_limb_injury_before_is_a_spinal_injury(detector):
    read = detector.process([_injured_reply(["sensation:numbness"])])[0]
    assert read.get("intent")["name"] == "report_red_flag"
    assert _values(read, "red_flag") == ["spinal_injury"]


def test_a_check_answered_no_is_not_asked_again_on_possible_evidence(detector):
    entities = _possible([{"entity": "trigger", "value": "cast", "start": 0, "end": 4}])
    message = _message(entities)
    message.set("metadata", {"denied_red_flag_checks": ["tight_cast"]})
    [read] = detector.process([message])
    assert read.get("intent")["name"] == "describe_symptoms"
    assert _values(read, "possible_red_flag") == []


def test_a_check_answered_no_still_gives_the_prompt_on_definite_evidence(detector):
    entities = [{"entity": "symptom", "value": "speech_problem", "start": 0, "end": 4}]
    message = _message(entities)
    message.set("metadata", {"denied_red_flag_checks": ["stroke_signs"]})
    [read] = detector.process([message])
    assert _values(read, "red_flag") == ["stroke_signs"]


def test_a_failed_stage_asks_every_check_even_one_answered_no(detector):
    message = _message([], intent="greet")
    message.set("nlu_failed", "matching")
    message.set("metadata", {"denied_red_flag_checks": ["stroke_signs", "unnamed"]})
    [read] = detector.process([message])
    assert read.get("intent")["name"] == "check_red_flag"
    assert _values(read, "possible_red_flag") == []


def test_an_unclear_reply_to_a_check_the_classifier_alone_flags_is_unclear(detector):
    symptoms = [{"entity": "sensation", "value": "numbness", "start": 0, "end": 4}]
    message = _message(symptoms, intent="report_red_flag")
    message.set("metadata", {"awaited_red_flag_check": "unnamed"})
    [read] = detector.process([message])
    assert read.get("intent")["name"] == "nlu_fallback"
    assert not _values(read, "red_flag")


def test_the_classifier_alone_after_the_general_check_was_answered_no_is_no_prompt(
    detector,
):
    symptoms = [{"entity": "sensation", "value": "numbness", "start": 0, "end": 4}]
    message = _message(symptoms, intent="report_red_flag")
    message.set("metadata", {"denied_red_flag_checks": ["unnamed"]})
    [read] = detector.process([message])
    assert read.get("intent")["name"] == "describe_symptoms"
    bare = _message([], intent="report_red_flag")
    bare.set("metadata", {"denied_red_flag_checks": ["unnamed"]})
    assert detector.process([bare])[0].get("intent")["name"] == "nlu_fallback"
