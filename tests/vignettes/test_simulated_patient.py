"""The simulated patient of scripts/eval.py answers only from its case's facts.

The evaluation is only as honest as its patient: it must say yes to what it has,
no to what it does not have, "I'm not sure" to the rest, pick "None of these"
at a red-flag check when it has none of the signs, and never ask to skip the
questions. A keyword stub stands in for the bot's /model/parse.
"""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from scripts import eval as ev

KEYWORDS = {
    "at night": ("trigger", "night"),
    "weak": ("symptom", "weakness"),
    "between the legs": ("body_part", "saddle_area"),
    "numb": ("sensation", "numbness"),
    "bladder": ("symptom", "bladder_bowel_dysfunction"),
    "fever": ("symptom", "fever"),
    "face": ("body_part", "face"),
    "droop": ("symptom", "facial_droop"),
    "foot": ("body_part", "foot"),
    "toes": ("body_part", "toes"),
    "thigh": ("body_part", "thigh"),
    "left": ("side", "left"),
    "right": ("side", "right"),
    "suddenly": ("onset", "sudden"),
    "gradually": ("onset", "gradual"),
    "3 weeks": ("duration", "P3W"),
    "sore": ("symptom", "pain"),  # a misreading the patient must not follow
    "arm": ("body_part", "arm"),
    "cold": ("symptom", "cold_limb"),
    "pale": ("symptom", "pale_or_blue_skin"),
}


def fake_parse(text: str) -> Dict[str, Any]:
    """Entities for every keyword in the text, like the bot's NLU would give."""
    lowered = text.lower()
    return {
        "entities": [
            {"entity": entity, "value": value}
            for word, (entity, value) in KEYWORDS.items()
            if word in lowered
        ]
    }


def make_patient(present: List[str], absent: List[str] = (), **facts: Any):
    case = ev.Case(
        id="t",
        description="",
        opening="my toes are numb",
        present=frozenset(present),
        absent=frozenset(absent),
        age=facts.get("age"),
        duration=facts.get("duration"),
        urgency="routine",
        causes=("polyneuropathy",),
    )
    return ev.SimulatedPatient(case, fake_parse)


def bot(text: str, *buttons: str) -> List[Dict[str, Any]]:
    return [
        {
            "text": text,
            "buttons": [
                {"title": b, "payload": f"/choose_{i}"} for i, b in enumerate(buttons)
            ],
        }
    ]


@pytest.mark.parametrize(
    ("present", "absent", "expected"),
    [
        (["trigger:night"], [], "yes"),
        ([], ["trigger:night"], "no"),
        ([], [], "I'm not sure"),
    ],
)
def test_patient_answers_yes_no_or_unsure_from_its_facts(present, absent, expected):
    patient = make_patient(["body_part:toes", *present], absent)
    assert patient.answer(bot("Is it worse at night?")) == expected


def test_patient_clicks_the_button_of_its_answer():
    patient = make_patient(["body_part:toes"], ["symptom:fever"])
    reply = patient.answer(bot("Do you have a fever?", "Yes", "No", "Not sure"))
    assert reply == "/choose_1"


@pytest.mark.parametrize(
    "facts, question, buttons, choice",
    [
        (
            ["body_part:toes", "sensation:numbness"],
            "Do you have any of these?",
            ["Numbness between the legs", "Loss of bladder control", "Face drooping",
             "None of these"],
            3,
        ),
        (
            ["body_part:saddle_area", "sensation:numbness"],
            "Do you have any of these?",
            ["Numbness between the legs", "Loss of bladder control", "None of these"],
            0,
        ),
        (
            ["trigger:night", "sensation:numbness"],
            "When does it come on?",
            ["Yes, during the day", "Yes, at night", "No"],
            1,
        ),
    ],
    ids=["none-of-these-without-red-flags", "the-red-flag-it-has", "the-true-yes"],
)  # fmt: skip
def test_patient_clicks_the_button_its_facts_name(facts, question, buttons, choice):
    assert make_patient(facts).answer(bot(question, *buttons)) == f"/choose_{choice}"


def test_patient_reads_alternatives_and_body_part_inclusion():
    patient = make_patient(["body_part:toes"])
    assert patient.answer(bot("Where is it?", "Thigh", "Foot or toes")) == "/choose_1"
    patient = make_patient(["body_part:toes"])
    assert patient.answer(bot("Where is it?", "Thigh", "Foot")) == "/choose_1"


def test_patient_states_its_duration_and_age():
    patient = make_patient(["body_part:toes"], duration="P3W", age=45)
    assert patient.answer(bot("How long have you had it?")) == "about 3 weeks"
    assert patient.answer(bot("How old are you?")) == "I'm 45"
    buttons = bot("How long has it been going on?", "Hours", "Days", "Weeks", "Months")
    assert make_patient([], duration="P3W").answer(buttons) == "/choose_2"


def test_patient_answers_alternatives_with_the_true_one():
    patient = make_patient(["onset:gradual"])
    reply = patient.answer(bot("Did it start suddenly or gradually?"))
    assert reply == ev.get_vocabulary().label("onset", "gradual")


def test_patient_never_asks_to_skip_questions():
    patient = make_patient(["body_part:toes"])
    questions = [
        bot("Anything else?"),
        bot("Tell me more?"),
        [{"text": "Okay."}],
        bot("Which one?", "A", "B"),
    ]
    replies = [patient.answer(q).lower() for q in questions]
    assert not [r for r in replies if "just tell me" in r or "skip" in r]


def test_result_without_assessment_counts_as_under_triage():
    case = make_patient([]).case
    result = ev.Result(case)
    assert result.under_triaged and "no assessment" in result.failures


def test_find_assessment_reads_the_custom_payload():
    replies = [
        {"text": "Please see a neurologist."},
        {"custom": {"assessment": {"urgency": "routine", "causes": ["a", "b"]}}},
    ]
    assert ev.find_assessment(replies) == {"urgency": "routine", "causes": ["a", "b"]}
    assert ev.find_assessment([{"text": "hi"}]) is None


@pytest.mark.parametrize(
    ("iso", "days", "words"),
    [
        ("P3W", 21, "about 3 weeks"),
        ("PT20M", 20 / 1440, "about 20 minutes"),
        ("P1D", 1, "about 1 day"),
    ],
)
def test_durations_are_read_and_said(iso, days, words):
    assert ev.duration_days(iso) == pytest.approx(days)
    assert ev.say_duration(iso) == words


def test_patient_knows_where_it_is_numb():
    patient = make_patient(["body_part:toes", "sensation:numbness"])
    assert (
        patient.answer(bot("Is an arm numb or weak too?", "Yes", "No")) == "/choose_1"
    )


def test_patient_does_not_follow_a_misread_option():
    patient = make_patient(["body_part:foot", "symptom:pain", "symptom:cold_limb"])
    checklist = bot(
        "Have you noticed any of these?",
        "Sores on the feet that heal badly",
        "The foot is cold, pale or bluish",
        "None of these",
    )
    assert patient.answer(checklist) == "/choose_1"
    patient = make_patient(["body_part:foot", "symptom:pain"])
    assert patient.answer(checklist) == "/choose_2"


def test_patient_reads_titles_not_payload_intents():
    """Options sent as /affirm{...} are still options; "None of these" is picked."""
    patient = make_patient(["body_part:toes"])
    question = [
        {
            "text": "Do you have any of these?",
            "buttons": [
                {"title": "Diabetes", "payload": '/affirm{"answer": "c:0"}'},
                {"title": "Fever", "payload": '/affirm{"answer": "c:1"}'},
                {"title": "None of these", "payload": '/deny{"answer": "c:2"}'},
                {"title": "I don't know", "payload": "/dont_know"},
            ],
        }
    ]
    assert patient.answer(question) == '/deny{"answer": "c:2"}'


class ScriptedBot:
    """Answers with a fixed script of replies and records what the patient sent."""

    def __init__(self, replies):
        self.replies = list(replies)
        self.sent = []

    def send(self, sender, message):
        self.sent.append(message)
        return self.replies.pop(0) if self.replies else []

    def parse(self, text):
        return fake_parse(text)

    def tracker(self, sender):
        return {}


def test_run_case_counts_questions_until_the_assessment():
    case = make_patient(["body_part:toes"], ["symptom:fever"]).case
    assessment = {"custom": {"assessment": {"urgency": "routine", "causes": ["x"]}}}
    scripted = ScriptedBot(
        [bot("Do you have a fever?", "Yes", "No"), [{"text": "Okay."}, assessment]]
    )
    result = ev.run_case(scripted, case, max_turns=5)
    assert scripted.sent == ["my toes are numb", "/choose_1"]
    assert (result.urgency, result.questions, result.assessment_turn) == (
        "routine",
        1,
        2,
    )


def test_run_case_gives_up_on_a_silent_bot():
    case = make_patient(["body_part:toes"]).case
    result = ev.run_case(ScriptedBot([]), case, max_turns=10)
    assert result.urgency is None and len(result.transcript) <= 8
