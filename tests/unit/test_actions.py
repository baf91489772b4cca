"""actions/actions.py: each action with tracker fixtures, exact events and messages."""

from __future__ import annotations

import pytest
from rasa_sdk.events import FollowupAction, SlotSet

from actions import actions, replies
from actions.cause_table import RED_FLAG_CHECK_ID, get_cause_table, parse_fact
from actions.triage import Findings, assess

TABLE = get_cause_table()


def _binary_question():
    return next(
        q
        for q in TABLE.questions
        if len(q.answers) == 2 and q.answers[0].present and q.answers[1].absent
    )


def _answered(value):
    """Events as Rasa's form sends them with an answer to validate."""
    return [
        {"event": "bot", "text": "a question"},
        {"event": "action", "name": actions.FORM_NAME},
        {"event": "slot", "name": "follow_up", "value": value},
    ]


def _slot_events_of(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def _validate(dispatcher, domain, tracker):
    return await actions.ValidateSymptomForm().run(dispatcher, tracker, domain)


async def test_extract_facts_merges_present_and_negated_facts(
    dispatcher, domain, build_tracker, entity
):
    tracker = build_tracker(
        intent="describe_symptoms",
        entities=[
            entity("sensation", "numbness"),
            entity("symptom", "back_pain", negated=True),
            entity("age", 52),
            entity("duration", "P3W"),
        ],
        slots={"facts_present": ["side:left"], "facts_absent": ["sensation:numbness"]},
    )
    events = await actions.ActionExtractFacts().run(dispatcher, tracker, domain)
    assert events == [
        SlotSet("facts_present", ["side:left", "sensation:numbness"]),
        SlotSet("facts_absent", ["symptom:back_pain"]),
        SlotSet("age", 52),
        SlotSet("duration", "P3W"),
    ]
    assert dispatcher.messages == []


async def test_extract_facts_twice_changes_nothing_more(
    dispatcher, domain, build_tracker, entity
):
    """Every action of a turn merges the message: a second merge is a no-op."""
    tracker = build_tracker(
        intent="thank",
        entities=[entity("sensation", "numbness"), entity("age", 52)],
        slots={"facts_present": ["sensation:numbness"], "age": 52},
    )
    assert await actions.ActionExtractFacts().run(dispatcher, tracker, domain) == []


async def test_extract_facts_reads_a_button_answer(
    dispatcher, domain, build_tracker, entity
):
    question = _binary_question()
    tracker = build_tracker(
        intent="deny", entities=[entity("answer", f"{question.id}:1")]
    )
    events = await actions.ActionExtractFacts().run(dispatcher, tracker, domain)
    absent = [f"{e}:{v}" for e, v in question.answers[1].absent_facts]
    assert events == [SlotSet("facts_absent", absent)]


async def test_extract_facts_without_facts_sets_nothing(
    dispatcher, domain, build_tracker
):
    tracker = build_tracker(intent="greet")
    assert await actions.ActionExtractFacts().run(dispatcher, tracker, domain) == []


async def test_validator_on_activation_merges_the_facts_and_asks_after_the_intro(
    dispatcher, domain, build_tracker, entity
):
    tracker = build_tracker(
        intent="describe_symptoms",
        entities=[entity("sensation", "numbness"), entity("body_part", "foot")],
        events=[{"event": "action", "name": actions.FORM_NAME}],
    )
    expected = assess(
        Findings(present=frozenset({("sensation", "numbness"), ("body_part", "foot")}))
    ).next_question.id
    events = await _validate(dispatcher, domain, tracker)
    assert events == [
        SlotSet("facts_present", ["sensation:numbness", "body_part:foot"]),
        SlotSet("follow_up", None),
        SlotSet("current_question", expected),
        SlotSet("asked_questions", [expected]),
        SlotSet("times_asked", 1),
    ]
    assert dispatcher.messages[0]["response"] == "utter_intro"
    question = replies.question_message(expected)
    assert dispatcher.messages[1]["text"] == question["text"]
    assert dispatcher.messages[1]["buttons"] == question["buttons"]


async def test_validator_maps_a_typed_no_and_asks_on(dispatcher, domain, build_tracker):
    question = _binary_question()
    tracker = build_tracker(
        intent="deny",
        slots={
            "facts_present": ["sensation:numbness"],
            "current_question": question.id,
            "asked_questions": [question.id],
        },
        events=_answered("no"),
    )
    events = _slot_events_of(await _validate(dispatcher, domain, tracker))
    absent = [f"{e}:{v}" for e, v in question.answers[1].absent_facts]
    assert events["facts_absent"] == absent
    assert events["follow_up"] is None
    assert events["current_question"] not in (None, question.id)
    assert events["asked_questions"] == [question.id, events["current_question"]]
    assert [m["text"] for m in dispatcher.messages] == [
        replies.question_message(events["current_question"])["text"]
    ]


async def test_validator_ends_after_the_red_flag_check(
    dispatcher, domain, build_tracker, entity
):
    none_of_these = len(TABLE.red_flag_check.answers) - 1
    tracker = build_tracker(
        intent="deny",
        entities=[entity("answer", f"red_flag_check:{none_of_these}")],
        slots={
            "facts_present": ["sensation:numbness"],
            "current_question": RED_FLAG_CHECK_ID,
            "asked_questions": ["side", RED_FLAG_CHECK_ID],
        },
        events=_answered("/deny"),
    )
    events = await _validate(dispatcher, domain, tracker)
    assert events[-3:] == [
        SlotSet("follow_up", None),
        SlotSet("current_question", None),
        SlotSet("requested_slot", None),
    ]
    assert dispatcher.messages == []


async def test_none_of_these_does_not_erase_what_the_person_told(
    dispatcher, domain, build_tracker, entity
):
    """ "I'm diabetic", then "None of these" to the conditions: diabetes stays."""
    none_of_these = len(TABLE.question("conditions").answers) - 1
    tracker = build_tracker(
        intent="deny",
        entities=[entity("answer", f"conditions:{none_of_these}")],
        slots={
            "facts_present": ["sensation:numbness", "condition:diabetes"],
            "current_question": "conditions",
            "asked_questions": ["conditions"],
        },
        events=_answered("/deny"),
    )
    slots = _slot_events_of(
        [e for e in await _validate(dispatcher, domain, tracker) if "name" in e]
    )
    assert "condition:diabetes" not in slots.get("facts_absent", [])
    assert "facts_present" not in slots
    assert "condition:alcohol_use" in slots["facts_absent"]


async def test_validator_just_tell_me_goes_to_the_red_flag_check(
    dispatcher, domain, build_tracker
):
    tracker = build_tracker(
        intent="skip_questions",
        slots={
            "facts_present": ["sensation:numbness"],
            "current_question": "side",
            "asked_questions": ["side"],
        },
        events=_answered("just tell me"),
    )
    events = await _validate(dispatcher, domain, tracker)
    assert events == [
        SlotSet("skip_requested", True),
        SlotSet("follow_up", None),
        SlotSet("current_question", RED_FLAG_CHECK_ID),
        SlotSet("asked_questions", ["side", RED_FLAG_CHECK_ID]),
        SlotSet("times_asked", 1),
    ]
    assert [m["text"] for m in dispatcher.messages] == [TABLE.red_flag_check.text]


async def test_validator_says_when_an_answer_is_unclear(
    dispatcher, domain, build_tracker
):
    tracker = build_tracker(
        intent="thank",
        slots={"current_question": "side", "asked_questions": ["side"]},
        events=_answered("hmm"),
    )
    await _validate(dispatcher, domain, tracker)
    assert dispatcher.messages[0]["response"] == "utter_answer_unclear"
    assert len(dispatcher.messages) == 2  # then the next question


async def test_validator_asks_again_after_a_yes_to_several_answers(
    dispatcher, domain, build_tracker
):
    tracker = build_tracker(
        intent="affirm",
        slots={"current_question": "side", "asked_questions": ["onset", "side"]},
        events=_answered("yes"),
    )
    events = await _validate(dispatcher, domain, tracker)
    assert events == [
        SlotSet("asked_questions", ["onset", "side"]),
        SlotSet("follow_up", None),
        SlotSet("current_question", "side"),
        SlotSet("times_asked", 2),
    ]
    assert dispatcher.messages[0]["response"] == "utter_answer_pick_one"
    assert dispatcher.messages[1]["text"] == replies.question_message("side")["text"]


async def test_validator_asks_the_open_question_again_after_an_interruption(
    dispatcher, domain, build_tracker
):
    tracker = build_tracker(
        intent="bot_challenge",
        slots={
            "current_question": "side",
            "asked_questions": ["onset", "side"],
            "requested_slot": "follow_up",
        },
        events=[
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": "are you a bot?"},
            {"event": "action", "name": "utter_iamabot"},
            {"event": "bot", "text": "I'm a computer program"},
            {"event": "action", "name": actions.FORM_NAME},
        ],
    )
    events = await _validate(dispatcher, domain, tracker)
    assert events == [
        SlotSet("follow_up", None),
        SlotSet("current_question", "side"),
        SlotSet("times_asked", 2),
    ]
    assert [m["text"] for m in dispatcher.messages] == [
        replies.question_message("side")["text"]
    ]


async def test_validator_lets_a_red_flag_interrupt_the_questions(
    dispatcher, domain, build_tracker, entity
):
    """No events, so Rasa's form rejects the turn and the red-flag rule answers."""
    tracker = build_tracker(
        intent="report_red_flag",
        entities=[entity("red_flag", "bladder_bowel_saddle")],
        slots={
            "current_question": RED_FLAG_CHECK_ID,
            "asked_questions": [RED_FLAG_CHECK_ID],
            "requested_slot": "follow_up",
        },
        events=[
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": "/report_red_flag"},
            {"event": "action", "name": actions.FORM_NAME},
        ],
    )
    assert await _validate(dispatcher, domain, tracker) == []
    assert dispatcher.messages == []


async def test_validator_stops_at_once_when_the_facts_hold_a_red_flag(
    dispatcher, domain, build_tracker, entity
):
    flag = TABLE.red_flags[0]
    clause = flag.when[0]
    present = [*clause.all_of, *clause.any_of[:1]]
    tracker = build_tracker(
        intent="describe_symptoms",
        entities=[entity(*parse_fact(fact)) for fact in present],
        slots={"current_question": "side", "asked_questions": ["side"]},
        events=_answered("text"),
    )
    events = await _validate(dispatcher, domain, tracker)
    assert SlotSet("facts_present", present) in events
    assert SlotSet("requested_slot", None) in events
    assert dispatcher.messages == []


async def test_validator_ends_at_activation_when_nothing_is_worth_asking(
    dispatcher, domain, build_tracker
):
    tracker = build_tracker(
        intent="describe_symptoms",
        slots={"asked_questions": [RED_FLAG_CHECK_ID]},
        events=[{"event": "action", "name": actions.FORM_NAME}],
    )
    events = await _validate(dispatcher, domain, tracker)
    assert events == [
        SlotSet("follow_up", None),
        SlotSet("current_question", None),
        SlotSet("requested_slot", None),
    ]


async def test_assess_symptoms_sends_the_assessment_and_sets_slots(
    dispatcher, domain, build_tracker
):
    present = ["sensation:numbness", "body_part:foot", "side:both"]
    tracker = build_tracker(
        intent="deny",
        slots={
            "facts_present": present,
            "current_question": "side",
            "times_asked": 2,
            "skip_requested": True,
        },
    )
    result = assess(Findings(present=frozenset(parse_fact(f) for f in present)))
    events = await actions.ActionAssessSymptoms().run(dispatcher, tracker, domain)
    causes = [c.id for c in result.causes[: replies.MAX_CAUSES]]
    assert events == [
        # the round of questions ends (slots marked in the domain)
        SlotSet("current_question", None),
        SlotSet("times_asked", None),
        SlotSet("skip_requested", None),
        SlotSet("assessed", True),
        SlotSet("urgency", result.urgency),
        SlotSet("ranked_causes", causes),
        SlotSet("focus_cause", causes[0]),
    ]
    expected = replies.assessment_messages(result)
    assert [m["text"] for m in dispatcher.messages[:-1]] == [
        m["text"] for m in expected[:-1]
    ]
    assert dispatcher.messages[-1]["custom"] == expected[-1]["json_message"]


async def test_assess_symptoms_does_not_repeat_the_emergency_prompt(
    dispatcher, domain, build_tracker
):
    flag = TABLE.red_flags[0]
    clause = flag.when[0]
    tracker = build_tracker(
        intent="report_red_flag",
        slots={"facts_present": [*clause.all_of, *clause.any_of[:1]]},
        events=[
            {"event": "user", "text": "help"},
            {"event": "action", "name": "utter_emergency"},
        ],
    )
    events = await actions.ActionAssessSymptoms().run(dispatcher, tracker, domain)
    assert SlotSet("urgency", "emergency") in events
    assert dispatcher.messages[0]["text"] == replies.emergency_already_said()


async def test_assess_symptoms_upholds_an_emergency_prompt_without_red_flag_facts(
    dispatcher, domain, build_tracker
):
    tracker = build_tracker(
        intent="report_red_flag",
        slots={"facts_present": ["sensation:numbness", "body_part:groin"]},
        events=[
            {"event": "user", "text": "numb groin"},
            {"event": "action", "name": "utter_emergency"},
        ],
    )
    events = await actions.ActionAssessSymptoms().run(dispatcher, tracker, domain)
    assert SlotSet("urgency", "emergency") in events
    assert dispatcher.messages[0]["text"] == replies.emergency_already_said()
    assert dispatcher.messages[-1]["custom"]["assessment"]["urgency"] == "emergency"


async def test_explain_cause_answers_the_second_one(dispatcher, domain, build_tracker):
    ranked = list(TABLE.cause_ids[:3])
    tracker = build_tracker(
        text="what is the second one?",
        intent="ask_cause_info",
        slots={"ranked_causes": ranked, "focus_cause": ranked[0]},
    )
    events = await actions.ActionExplainCause().run(dispatcher, tracker, domain)
    assert events == [SlotSet("focus_cause", ranked[1])]
    assert (
        dispatcher.messages[0]["text"]
        == (replies.topic_messages("cause", ranked[1])[0]["text"])
    )


async def test_explain_tests_of_a_named_cause(
    dispatcher, domain, build_tracker, entity
):
    cause_id = TABLE.cause_ids[-1]
    tracker = build_tracker(
        text="tests for it", intent="ask_tests", entities=[entity("cause", cause_id)]
    )
    events = await actions.ActionExplainTests().run(dispatcher, tracker, domain)
    assert events == [SlotSet("focus_cause", cause_id)]
    assert (
        dispatcher.messages[0]["text"]
        == (replies.topic_messages("tests", cause_id)[0]["text"])
    )


async def test_asking_what_a_cause_is_does_not_claim_it(
    dispatcher, domain, build_tracker, entity
):
    """ "What is sciatica? my foot is numb": the symptom is kept, the cause is not."""
    tracker = build_tracker(
        text="what is sciatica? my foot is numb",
        intent="ask_cause_info",
        entities=[
            entity("cause", "sciatic_neuropathy"),
            entity("body_part", "foot"),
        ],
    )
    events = await actions.ActionExplainCause().run(dispatcher, tracker, domain)
    assert events == [
        SlotSet("facts_present", ["body_part:foot"]),
        SlotSet("focus_cause", "sciatic_neuropathy"),
    ]


async def test_explain_without_any_cause_asks_for_symptoms(
    dispatcher, domain, build_tracker
):
    tracker = build_tracker(text="which doctor", intent="ask_specialist")
    events = await actions.ActionExplainSpecialist().run(dispatcher, tracker, domain)
    assert events == []
    assert dispatcher.messages[0]["response"] == "utter_no_cause_yet"


def _cause_question_after_numbness(build_tracker, **kwargs):
    """ "What could it be?" asked once a numbness is told, before any assessment."""
    return build_tracker(
        text="what could it be?",
        intent="ask_cause_info",
        slots={"facts_present": ["sensation:numbness"]},
        **kwargs,
    )


async def test_explain_before_the_assessment_starts_the_questions(
    dispatcher, domain, build_tracker
):
    tracker = _cause_question_after_numbness(build_tracker)
    events = await actions.ActionExplainCause().run(dispatcher, tracker, domain)
    assert events == [FollowupAction(actions.FORM_NAME)]
    assert dispatcher.messages[0]["response"] == "utter_questions_first"


async def test_explain_during_the_questions_lets_the_form_go_on(
    dispatcher, domain, build_tracker
):
    tracker = _cause_question_after_numbness(
        build_tracker, active_loop=actions.FORM_NAME
    )
    events = await actions.ActionExplainCause().run(dispatcher, tracker, domain)
    assert events == []  # the form goes on: its open question is asked again
    leading = assess(Findings(present=frozenset({("sensation", "numbness")})))
    assert dispatcher.messages[0]["text"] == replies.PROVISIONAL_NOTE
    assert (
        dispatcher.messages[1]["text"]
        == (replies.topic_messages("cause", leading.causes[0].id)[0]["text"])
    )


@pytest.mark.parametrize(
    "action_class",
    [
        actions.ActionExplainSpecialist,
        actions.ActionExplainTests,
        actions.ActionExplainTreatment,
        actions.ActionExplainSelfHelp,
    ],
)
async def test_a_question_of_ones_own_in_the_questions_is_answered(
    action_class, dispatcher, domain, build_tracker
):
    tracker = build_tracker(
        text="sorry, what kind of doctor should I see for this?",
        intent="ask_specialist",
        slots={"facts_present": ["sensation:numbness", "body_part:foot"]},
        active_loop=actions.FORM_NAME,
    )
    events = await action_class().run(dispatcher, tracker, domain)
    assert events == []
    leading = (
        assess(
            Findings(
                present=frozenset({("sensation", "numbness"), ("body_part", "foot")})
            )
        )
        .causes[0]
        .id
    )
    topic = action_class.topic
    assert [m.get("text") for m in dispatcher.messages] == [
        replies.PROVISIONAL_NOTE,
        replies.topic_messages(topic, leading)[0]["text"],
    ]


async def test_every_explain_action_is_in_the_domain(domain):
    classes = [
        actions.ActionExplainCause,
        actions.ActionExplainSpecialist,
        actions.ActionExplainTests,
        actions.ActionExplainTreatment,
        actions.ActionExplainSelfHelp,
    ]
    assert {cls().name() for cls in classes} <= set(domain["actions"])


async def test_summarize_facts_sends_the_summary(dispatcher, domain, build_tracker):
    slots = {
        "facts_present": ["sensation:numbness"],
        "facts_absent": ["symptom:back_pain"],
        "duration": "P3W",
    }
    tracker = build_tracker(intent="ask_summary", slots=slots)
    events = await actions.ActionSummarizeFacts().run(dispatcher, tracker, domain)
    assert events == []
    expected = replies.summary_message(
        Findings(
            present=frozenset({("sensation", "numbness")}),
            absent=frozenset({("symptom", "back_pain")}),
            duration="P3W",
        )
    )
    assert dispatcher.messages[0]["text"] == expected["text"]


def _told(*facts: str) -> Findings:
    return Findings(present=frozenset(parse_fact(f) for f in facts))


async def test_a_correction_in_the_questions_replaces_the_fact_and_asks_again(
    dispatcher, domain, build_tracker, entity
):
    tracker = build_tracker(
        text="no wait, it's the right foot",
        intent="deny",
        entities=[entity("side", "right"), entity("body_part", "foot")],
        slots={
            "facts_present": ["side:left", "body_part:foot", "sensation:tingling"],
            "current_question": "location",
            "asked_questions": ["location"],
            "requested_slot": "follow_up",
            "follow_up": "no wait, it's the right foot",
        },
        active_loop=actions.FORM_NAME,
    )
    events = await actions.ValidateSymptomForm().run(dispatcher, tracker, domain)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert "side:left" not in slots["facts_present"]
    assert "side:right" in slots["facts_present"]
    assert slots["corrections"] == ["side:left>side:right"]
    assert dispatcher.messages[0]["text"] == replies.correction_ack(
        [("side:left", "side:right")]
    )
    assert slots["current_question"] == "location"  # the open question again


def test_the_assessment_after_a_correction_says_so():
    findings = Findings(
        present=frozenset({("sensation", "numbness"), ("side", "right")})
    )
    note = replies.change_note(
        assess(findings), corrections=[("side:left", "side:right")]
    )
    assert note is not None and "corrected" in note and "right" in note


def test_a_harmless_added_detail_says_the_urgency_stays():
    findings = Findings(
        present=frozenset({("sensation", "numbness"), ("body_part", "foot")})
    )
    result = assess(findings)
    note = replies.change_note(result, result.urgency, ["body_part:foot"])
    assert note is not None and "does not change the urgency" in note


def test_a_risen_urgency_says_from_what_to_what_and_why():
    result = assess(
        Findings(
            present=frozenset({("sensation", "numbness"), ("symptom", "paralysis")})
        )
    )
    note = replies.change_note(result, "self_care", ["symptom:paralysis"])
    assert result.urgency != "self_care"
    assert note is not None and "raises the urgency" in note


def test_the_assessment_of_someone_elses_story_speaks_of_them():
    result = assess(Findings(present=frozenset({("sensation", "numbness")})))
    first = replies.assessment_messages(result, about_other=True)[0]["text"]
    assert first.startswith(replies.ABOUT_OTHER)


def test_a_long_standing_detail_does_not_raise_a_re_assessment():
    result = assess(_told("sensation:tingling", "body_part:foot", "symptom:cold_limb"))
    assert result.urgency == "urgent" and not result.red_flags
    assert replies.proportionate(result, "routine", "P5Y").urgency == "routine"
    # it never lowers one either
    assert replies.proportionate(result, "emergency", "P5Y") is result


def test_a_new_detail_raises_a_re_assessment_as_the_engine_says():
    result = assess(_told("sensation:tingling", "body_part:foot", "symptom:cold_limb"))
    assert replies.proportionate(result, "self_care", "P2D") is result
    assert replies.proportionate(result, "self_care", None) is result
    assert replies.proportionate(result, None, "P5Y") is result


def test_a_red_flag_told_as_long_standing_still_raises_it():
    result = assess(_told("symptom:bladder_bowel_dysfunction", "sensation:numbness"))
    assert result.red_flags
    assert replies.proportionate(result, "routine", "P5Y") is result


async def test_the_questions_of_someone_elses_story_are_about_them(
    dispatcher, domain, build_tracker, entity
):
    tracker = build_tracker(
        text="my husband's feet tingle",
        intent="describe_symptoms",
        entities=[
            entity("sensation", "tingling"),
            entity("body_part", "foot"),
            entity("experiencer", "other"),
        ],
        slots={"experiencer": "other"},
    )
    await actions.ValidateSymptomForm().run(dispatcher, tracker, domain)
    texts = [m.get("text") for m in dispatcher.messages]
    assert replies.QUESTIONS_ABOUT_OTHER in texts


def test_a_lowered_urgency_says_from_what_to_what():
    result = assess(_told("sensation:tingling", "body_part:foot"))
    note = replies.change_note(result, "emergency", ["body_part:foot"])
    assert result.urgency != "emergency"
    assert note is not None and "lowers the urgency from emergency" in note


def test_a_correction_is_acknowledged_with_both_values():
    ack = replies.correction_ack([("side:right", "side:left")])
    assert "the left side, not the right side" in ack


def _interrupted(text, intent):
    """Events of a turn whose message the form's not_intent turned away."""
    return [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}},
        {"event": "action", "name": actions.FORM_NAME},
    ]


@pytest.mark.parametrize(
    "intent,text,fact,meant",
    [
        # read as a question about self-help: answered, not asked again
        ("ask_self_help", "while skiing in new boots", "exertion", "what can I do?"),
        # read as start over: the facts stay, the questions go on
        ("start_over", "during a walk in new shoes", "walking", "let's start again"),
        # read as goodbye: the questions do not end
        ("goodbye", "during long flights", "sitting", "ok bye"),
    ],
)
async def test_validator_takes_an_answer_read_as_an_interruption_as_the_answer(
    dispatcher, domain, build_tracker, entity, intent, text, fact, meant
):
    """Without the interruption's own words the reply answers the open question."""
    tracker = build_tracker(
        text=text,
        intent=intent,
        entities=[entity("trigger", fact)],
        slots={
            "facts_present": ["sensation:numbness", "body_part:toes"],
            "current_question": "onset",
            "asked_questions": ["onset"],
            "times_asked": 1,
            "requested_slot": "follow_up",
        },
        events=_interrupted(text, intent),
    )
    slots = _slot_events_of(await _validate(dispatcher, domain, tracker))
    assert f"trigger:{fact}" in slots["facts_present"]
    assert slots["current_question"] != "onset" and slots["times_asked"] == 1
    texts = [m.get("text") for m in dispatcher.messages]
    assert replies.question_message("onset")["text"] not in texts
    # said with its words, the same intent interrupts
    tracker.latest_message["text"] = meant
    dispatcher.messages.clear()
    assert await _validate(dispatcher, domain, tracker) == []


async def test_validator_lets_a_real_question_of_their_own_interrupt(
    dispatcher, domain, build_tracker
):
    text = "what kind of doctor should I see"
    tracker = build_tracker(
        text=text,
        intent="ask_specialist",
        slots={
            "current_question": "onset",
            "asked_questions": ["onset"],
            "requested_slot": "follow_up",
        },
        events=_interrupted(text, "ask_specialist"),
    )
    assert await _validate(dispatcher, domain, tracker) == []
    assert dispatcher.messages == []


async def test_validator_never_asks_a_question_a_third_time_in_a_row(
    dispatcher, domain, build_tracker
):
    """Back from a second interruption: "I don't know" and the next question."""
    tracker = build_tracker(
        text="and which tests would they do?",
        intent="ask_tests",
        slots={
            "facts_present": ["sensation:numbness", "body_part:foot"],
            "current_question": "side",
            "asked_questions": ["side"],
            "times_asked": 2,
            "requested_slot": "follow_up",
        },
        events=[
            *_interrupted("and which tests would they do?", "ask_tests"),
            {"event": "action", "name": "action_explain_tests"},
            {"event": "bot", "text": "tests"},
            {"event": "action", "name": actions.FORM_NAME},
        ],
    )
    events = await _validate(dispatcher, domain, tracker)
    slots = _slot_events_of(events)
    assert dispatcher.messages[0]["response"] == "utter_taken_as_dont_know"
    assert slots["current_question"] not in (None, "side")
    assert slots["times_asked"] == 1
    assert "side" in slots["asked_questions"]


async def test_validator_on_the_repeat_takes_a_reply_with_the_value_as_the_answer(
    dispatcher, domain, build_tracker, entity
):
    tracker = build_tracker(
        text="no wait, it's the left leg",
        intent="describe_symptoms",
        entities=[entity("side", "left")],
        slots={
            "facts_present": ["sensation:numbness", "side:right"],
            "current_question": "onset",
            "asked_questions": ["onset"],
            "times_asked": 2,
        },
        events=_answered("no wait, it's the left leg"),
    )
    await _validate(dispatcher, domain, tracker)
    responses = [m.get("response") for m in dispatcher.messages]
    assert "utter_taken_as_dont_know" in responses  # a side is no onset
    tracker.slots["current_question"] = "side"
    tracker.slots["asked_questions"] = ["side"]
    dispatcher.messages.clear()
    await _validate(dispatcher, domain, tracker)
    responses = [m.get("response") for m in dispatcher.messages]
    assert "utter_taken_as_answer" in responses


async def test_validator_a_second_yes_to_several_answers_moves_on(
    dispatcher, domain, build_tracker
):
    tracker = build_tracker(
        intent="affirm",
        slots={
            "current_question": "side",
            "asked_questions": ["onset", "side"],
            "times_asked": 2,
        },
        events=_answered("yes"),
    )
    events = await _validate(dispatcher, domain, tracker)
    assert dispatcher.messages[0]["response"] == "utter_answer_unclear"
    assert _slot_events_of(events).get("current_question") != "side"


def test_the_round_of_questions_is_read_from_the_domain(domain):
    assert set(actions.round_slots(domain)) == {
        "follow_up",
        "current_question",
        "times_asked",
        "skip_requested",
        "corrections",
    }


def _user(text, intent, entities):
    return {
        "event": "user",
        "text": text,
        "parse_data": {"intent": {"name": intent}, "entities": entities},
    }


async def test_facts_of_messages_sent_while_the_action_server_was_down_count(
    dispatcher, domain, build_tracker, entity
):
    """The failed form call left no events: that message is merged now."""
    earlier = [entity("sensation", "numbness"), entity("body_part", "foot")]
    tracker = build_tracker(
        intent="thank",
        entities=[entity("age", 52)],
        events=[
            _user("my foot is numb", "describe_symptoms", earlier),
            {"event": "action", "name": actions.FORM_NAME},  # the call failed
            {"event": "action", "name": "action_listen"},
            _user("thanks, I'm 52", "thank", [entity("age", 52)]),
            {"event": "action", "name": "action_extract_slots"},
        ],
    )
    events = await actions.ActionExtractFacts().run(dispatcher, tracker, domain)
    assert events == [
        SlotSet("facts_present", ["sensation:numbness", "body_part:foot"]),
        SlotSet("age", 52),
    ]


async def test_facts_of_a_message_the_action_server_handled_are_not_merged_again(
    dispatcher, domain, build_tracker, entity
):
    """The right foot was corrected to the left: the old message stays merged."""
    tracker = build_tracker(
        intent="thank",
        slots={"facts_present": ["side:left"]},
        events=[
            _user("my right foot", "describe_symptoms", [entity("side", "right")]),
            {"event": "action", "name": actions.FORM_NAME},
            {"event": "active_loop", "name": actions.FORM_NAME},
            {"event": "action", "name": "action_listen"},
            _user("no, the left", "describe_symptoms", [entity("side", "left")]),
            {"event": "action", "name": actions.FORM_NAME},
            {"event": "slot", "name": "facts_present", "value": ["side:left"]},
            {"event": "action", "name": "action_listen"},
            _user("thanks", "thank", []),
        ],
    )
    assert await actions.ActionExtractFacts().run(dispatcher, tracker, domain) == []


async def test_a_message_not_understood_adds_no_facts_later_either(
    dispatcher, domain, build_tracker, entity
):
    tracker = build_tracker(
        intent="thank",
        events=[
            _user("sorry, I slipped", "nlu_fallback", [entity("trigger", "injury")]),
            {"event": "action", "name": "utter_default"},
            {"event": "bot", "text": "Sorry, I didn't understand that."},
            {"event": "action", "name": "action_listen"},
            _user("thanks", "thank", []),
        ],
    )
    assert await actions.ActionExtractFacts().run(dispatcher, tracker, domain) == []
