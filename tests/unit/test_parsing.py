"""actions/parsing.py: entities and slots -> triage facts."""

from __future__ import annotations

import pytest

from actions import parsing
from actions.cause_table import get_cause_table
from actions.triage import Findings


def test_facts_from_entities_splits_present_and_negated(entity):
    facts = parsing.facts_from_entities(
        [
            entity("sensation", "numbness"),
            entity("body_part", "toes"),
            entity("symptom", "back_pain", negated=True),
        ]
    )
    assert facts.present == (("sensation", "numbness"), ("body_part", "toes"))
    assert facts.absent == (("symptom", "back_pain"),)


def test_facts_from_entities_keeps_the_affirmation_when_both_are_said(entity):
    facts = parsing.facts_from_entities(
        [entity("symptom", "pain", negated=True), entity("symptom", "pain")]
    )
    assert facts.present == (("symptom", "pain"),)
    assert facts.absent == ()


def test_facts_from_entities_ignores_off_vocabulary_values(entity):
    facts = parsing.facts_from_entities(
        [entity("symptom", "headache"), entity("colour", "red"), {"entity": "side"}]
    )
    assert facts.is_empty()


@pytest.mark.parametrize(
    ("value", "expected"), [("54", 54), (33.0, 33), ("0", None), ("abc", None)]
)
def test_facts_from_entities_reads_age(value, expected, entity):
    assert parsing.facts_from_entities([entity("age", value)]).age == expected


def test_facts_from_entities_reads_duration_but_not_a_negated_one(entity):
    assert parsing.facts_from_entities([entity("duration", "P3W")]).duration == "P3W"
    negated = parsing.facts_from_entities([entity("duration", "P3W", negated=True)])
    assert negated.duration is None


def test_facts_from_entities_reads_a_button_answer_from_the_questions_file(entity):
    question = get_cause_table().questions[0]
    for index, answer in enumerate(question.answers):
        facts = parsing.facts_from_entities(
            [entity("answer", f"{question.id}:{index}")]
        )
        assert facts.answered
        assert set(facts.present) == set(answer.present_facts)
        assert set(facts.absent) == set(answer.absent_facts)
        assert facts.duration == answer.duration


@pytest.mark.parametrize("reference", ["nope:0", "side:99", "side", "", None])
def test_answer_from_reference_rejects_unknown_answers(reference):
    assert parsing.answer_from_reference(reference) is None


def test_a_named_cause_becomes_a_fact_but_not_when_negated(entity):
    cause_id = get_cause_table().cause_ids[0]
    named = parsing.facts_from_entities([entity("cause", cause_id)])
    assert named.present == (("cause", cause_id),)
    negated = parsing.facts_from_entities([entity("cause", cause_id, negated=True)])
    assert negated.is_empty()


def test_merge_facts_lets_the_latest_statement_win():
    present, absent = parsing.merge_facts(
        ["symptom:pain", "side:left"],
        ["symptom:back_pain"],
        new_present=[("symptom", "back_pain")],
        new_absent=[("symptom", "pain")],
    )
    assert present == ["side:left", "symptom:back_pain"]
    assert absent == ["symptom:pain"]


def test_merge_facts_does_not_repeat_facts():
    present, absent = parsing.merge_facts(["side:left"], None, [("side", "left")], [])
    assert present == ["side:left"]
    assert absent == []


def test_findings_from_slots_skips_unknown_strings_and_keeps_buckets():
    bucket = get_cause_table().duration_buckets[0][0]
    findings = parsing.findings_from_slots(
        ["sensation:numbness", "nonsense", f"duration:{bucket}", "symptom:made_up"],
        ["symptom:pain"],
        "61",
        "P2Y",
    )
    assert findings == Findings(
        present=frozenset({("sensation", "numbness"), ("duration", bucket)}),
        absent=frozenset({("symptom", "pain")}),
        age=61,
        duration="P2Y",
    )


def test_cause_from_entities_takes_the_first_non_negated_cause(entity):
    first, second = get_cause_table().cause_ids[:2]
    entities = [entity("cause", first, negated=True), entity("cause", second)]
    assert parsing.cause_from_entities(entities) == second
    assert parsing.cause_from_entities([entity("side", "left")]) is None


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("what is the second one?", 1),
        ("tell me about the first", 0),
        ("and the 3rd one", 2),
        ("the last one please", -1),
        ("number 2", 1),
        ("what is sciatica", None),
        ("", None),
        (None, None),
    ],
)
def test_ordinal_from_text(text, index):
    assert parsing.ordinal_from_text(text) == index


def test_possible_cues_are_no_facts_but_are_kept_apart(entity):
    facts = parsing.facts_from_entities(
        [
            entity("sensation", "numbness"),
            {**entity("trigger", "cast"), "role": "possible"},
            {**entity("body_part", "arm"), "role": "possible"},
        ]
    )
    assert facts.present == (("sensation", "numbness"),)
    assert facts.possible == (("trigger", "cast"), ("body_part", "arm"))
    assert facts.absent == ()


def test_a_possible_cue_also_said_as_a_fact_is_a_fact(entity):
    facts = parsing.facts_from_entities(
        [{**entity("body_part", "arm"), "role": "possible"}, entity("body_part", "arm")]
    )
    assert facts.present == (("body_part", "arm"),)
    assert facts.possible == ()


@pytest.mark.parametrize("role", ["past", "hypothetical"])
def test_past_and_hypothetical_mentions_are_neither_present_nor_absent(entity, role):
    facts = parsing.facts_from_entities([{**entity("trigger", "injury"), "role": role}])
    assert facts.present == () and facts.absent == () and facts.is_empty()


def test_someone_elses_story_is_marked_and_their_facts_count(entity):
    facts = parsing.facts_from_entities(
        [
            entity("sensation", "numbness"),
            {"entity": "experiencer", "value": "other", "start": 0, "end": 9},
        ]
    )
    assert facts.experiencer == "other"
    assert facts.present == (("sensation", "numbness"),)
