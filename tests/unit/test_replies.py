"""actions/replies.py: engine results -> text, buttons and the JSON contract."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from actions import parsing, replies
from actions.cause_table import get_cause_table, parse_fact
from actions.triage import Findings, assess

ROOT = Path(__file__).resolve().parents[2]
TABLE = get_cause_table()


def _payload(button):
    match = re.fullmatch(r"/(\w+)(\{.*\})?", button["payload"])
    assert match, button
    return match.group(1), json.loads(match.group(2) or "{}")


def _red_flag_findings(flag):
    clause = flag.when[0]
    present = {parse_fact(f) for f in clause.all_of + clause.any_of[:1]}
    return Findings(present=frozenset(present))


@pytest.mark.parametrize("question", [*TABLE.questions, TABLE.red_flag_check])
def test_question_message_has_one_button_per_answer(question):
    message = replies.question_message(question.id)
    assert message["text"] == question.text
    titles = [b["title"] for b in message["buttons"]]
    assert titles[: len(question.answers)] == [a.title for a in question.answers]
    for index, button in enumerate(message["buttons"][: len(question.answers)]):
        _, entities = _payload(button)
        assert entities["answer"] == f"{question.id}:{index}"
        assert (
            parsing.answer_from_reference(entities["answer"])
            == (question.answers[index])
        )


def test_red_flag_check_buttons_report_the_red_flag_or_deny():
    message = replies.question_message(TABLE.red_flag_check.id)
    for answer, button in zip(
        TABLE.red_flag_check.answers, message["buttons"], strict=False
    ):
        intent, entities = _payload(button)
        if answer.red_flag:
            assert (intent, entities["red_flag"]) == (
                "report_red_flag",
                answer.red_flag,
            )
        else:
            assert intent == "deny"
    assert replies.DONT_KNOW_TITLE not in [b["title"] for b in message["buttons"]]


def test_a_question_without_a_not_sure_answer_gets_an_i_dont_know_button():
    question = next(q for q in TABLE.questions if all(a.informative for a in q.answers))
    last = replies.question_message(question.id)["buttons"][-1]
    assert last == {"title": replies.DONT_KNOW_TITLE, "payload": "/dont_know"}


def test_an_answer_that_fires_a_red_flag_is_sent_as_report_red_flag():
    for question in TABLE.questions:
        for answer, button in zip(
            question.answers,
            replies.question_message(question.id)["buttons"],
            strict=False,
        ):
            fires = assess(Findings(present=frozenset(answer.present_facts))).red_flags
            intent, _ = _payload(button)
            assert (intent == "report_red_flag") == bool(fires or answer.red_flag)


def test_unknown_question_raises():
    with pytest.raises(KeyError):
        replies.question_message("no_such_question")


def _binary_question():
    return next(
        q
        for q in TABLE.questions
        if len(q.answers) == 2
        and q.answers[0].present
        and not q.answers[0].absent
        and q.answers[1].absent
        and not q.answers[1].present
    )


def test_typed_yes_and_no_map_onto_a_yes_no_question():
    question = _binary_question()
    yes = replies.answer_facts(question.id, "affirm")
    no = replies.answer_facts(question.id, "deny")
    assert yes.understood and yes.present == question.answers[0].present_facts
    assert no.understood and no.absent == question.answers[1].absent_facts


def test_typed_yes_to_a_question_with_several_answers_is_not_understood():
    question = next(
        q for q in TABLE.questions if sum(bool(a.present) for a in q.answers) > 1
    )
    assert replies.answer_facts(question.id, "affirm") == replies.AnswerFacts()


def test_a_yes_told_with_a_fact_picks_the_answer_holding_it():
    answer = replies.answer_facts("posture", "affirm", [("trigger", "sitting")])
    assert answer.understood
    assert set(answer.present) == {("trigger", "sitting"), ("course", "resolved")}
    assert replies.answer_facts("posture", "affirm", [("trigger", "cold")]) == (
        replies.AnswerFacts()
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("yes, it was after sitting in one position", True),
        ("Yeah it does", True),
        ("after a few minutes kneeling, yes, it passes", True),
        ("my eyes, yes", True),
        ("yesterday it started", False),
        ("it says yes on the box", False),
        ("no, yes", False),
        ("", False),
    ],
)
def test_a_reply_saying_yes_in_a_clause_of_its_own_says_yes(
    text: str, expected: bool
) -> None:
    assert replies.says_yes(text) is expected


def test_i_dont_know_is_understood_and_adds_nothing():
    answer = replies.answer_facts(_binary_question().id, "dont_know")
    assert answer == replies.AnswerFacts(understood=True)


def test_no_current_question_means_nothing_to_map():
    assert replies.answer_facts(None, "affirm") == replies.AnswerFacts()


def _assessment(present, absent=()):
    return assess(Findings(frozenset(present), frozenset(absent)))


def test_assessment_starts_with_the_urgency_and_ends_with_the_json_contract():
    result = _assessment({("sensation", "numbness"), ("body_part", "foot")})
    messages = replies.assessment_messages(result)
    assert replies.urgency_advice(result.urgency) in messages[0]["text"]
    assert messages[-1] == {
        "json_message": {
            "assessment": {
                "urgency": result.urgency,
                "urgency_label": TABLE.urgency_levels[result.urgency].label,
                "urgency_advice": TABLE.urgency_levels[result.urgency].advice.text,
                "disclaimer": TABLE.disclaimer.text,
                "causes": [c.id for c in result.causes[: replies.MAX_CAUSES]],
                "red_flags": [],
                "specialists": list(result.specialists),
                "tests": list(result.tests),
            }
        }
    }
    texts = " ".join(m.get("text", "") for m in messages)
    for ranked in result.causes[: replies.MAX_CAUSES]:
        cause = TABLE.cause(ranked.id)
        assert cause.summary in texts and cause.lay_name in texts.lower()
    for specialist in result.specialists:
        assert TABLE.specialists[specialist].lay_name in texts
    assert replies.disclaimer() in texts


@pytest.mark.parametrize("flag", TABLE.red_flags, ids=lambda f: f.id)
def test_an_emergency_leads_with_the_red_flag_advice(flag):
    result = assess(_red_flag_findings(flag))
    first = replies.assessment_messages(result)[0]["text"]
    assert first.startswith(replies.urgency_advice("emergency"))
    assert flag.advice.partition(". ")[2] in first
    assert first.lower().count("call emergency services now") == 1
    payload = replies.assessment_messages(result)[-1]["json_message"]["assessment"]
    assert payload["urgency"] == "emergency" and flag.id in payload["red_flags"]


def test_the_advice_is_not_repeated_after_the_emergency_prompt():
    flag = TABLE.red_flags[0]
    result = assess(_red_flag_findings(flag))
    first = replies.assessment_messages(result, emergency_prompt_sent=True)[0]
    assert first == {"text": replies.emergency_already_said()}


def test_an_emergency_prompt_without_a_red_flag_fact_is_upheld():
    result = _assessment({("sensation", "numbness"), ("body_part", "foot")})
    assert result.urgency != "emergency" and not result.red_flags
    upheld = replies.upheld_emergency(result, emergency_prompt_sent=True)
    assert upheld.urgency == "emergency"
    assert replies.upheld_emergency(result, emergency_prompt_sent=False) == result
    messages = replies.assessment_messages(upheld, emergency_prompt_sent=True)
    assert messages[0] == {"text": replies.emergency_already_said()}
    assert messages[-1]["json_message"]["assessment"]["urgency"] == "emergency"


@pytest.mark.parametrize("topic", replies.TOPICS)
@pytest.mark.parametrize("cause", TABLE.causes, ids=lambda c: c.id)
def test_every_topic_answer_comes_from_the_cause_row(topic, cause):
    text = replies.topic_messages(topic, cause.id)[0]["text"]
    assert cause.name in text
    expected = {
        "cause": [cause.summary],
        "specialist": [TABLE.specialists[s].lay_name for s in cause.specialists],
        "tests": [TABLE.tests[t].lay_name for t in cause.tests],
        "treatment": [
            t.text for t in cause.treatment.conservative + cause.treatment.surgical
        ],
        "self_help": [t.text for t in cause.self_help]
        + [TABLE.red_flag(flag).label for flag in cause.red_flags],
    }[topic]
    for sentence in expected:
        assert sentence in text


def test_unknown_topic_raises():
    with pytest.raises(ValueError):
        replies.topic_messages("horoscope", TABLE.cause_ids[0])


def test_resolve_cause_prefers_the_named_then_the_ordinal_then_the_focus():
    first, second, third = TABLE.cause_ids[:3]
    ranked = [first, second]
    assert replies.resolve_cause(third, 1, ranked, first) == third
    assert replies.resolve_cause(None, 1, ranked, third) == second
    assert replies.resolve_cause(None, -1, ranked, None) == second
    assert replies.resolve_cause(None, 5, ranked, third) == third
    assert replies.resolve_cause("not_a_cause", None, ranked, None) == first
    assert replies.resolve_cause(None, None, [], None) is None


@pytest.mark.parametrize(
    ("iso", "text"),
    [
        ("P3W", "3 weeks"),
        ("PT20M", "20 minutes"),
        ("P6M", "6 months"),
        ("P1D", "1 day"),
        ("P2Y", "2 years"),
        ("PT2H", "2 hours"),
        ("nonsense", None),
        (None, None),
    ],
)
def test_humanize_duration(iso, text):
    assert replies.humanize_duration(iso) == text


def test_summary_lists_facts_present_and_absent_onset_and_duration():
    findings = Findings(
        present=frozenset({("sensation", "numbness"), ("onset", "gradual")}),
        absent=frozenset({("symptom", "back_pain")}),
        age=47,
        duration="P3W",
    )
    text = replies.summary_message(findings)["text"]
    vocabulary_label = parsing.get_vocabulary().label
    assert vocabulary_label("sensation", "numbness") in text
    assert "Not present: " + vocabulary_label("symptom", "back_pain") in text
    assert "Onset: " + vocabulary_label("onset", "gradual") in text
    assert "Duration: 3 weeks" in text and "Age: 47" in text


def test_summary_with_nothing_reported_asks_for_symptoms():
    text = replies.summary_message(Findings())["text"]
    assert "Summary for your doctor" not in text


def test_domain_emergency_variations_match_the_cause_table_advice():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    variations = domain["responses"]["utter_emergency"]
    by_flag = {
        v["condition"][0]["value"]: " ".join(v["text"].split())
        for v in variations
        if v.get("condition")
    }
    assert set(by_flag) == {flag.id for flag in TABLE.red_flags}
    for flag in TABLE.red_flags:
        assert by_flag[flag.id].startswith(flag.advice)
    assert any(not v.get("condition") for v in variations)


@pytest.mark.parametrize(
    "module", ["replies.py", "actions.py", "parsing.py", "follow_up.py"]
)
def test_dialogue_code_names_no_cause(module):
    source = (ROOT / "actions" / module).read_text()
    named = [cid for cid in TABLE.cause_ids if re.search(rf"\b{cid}\b", source)]
    assert named == []


def test_meanwhile_is_the_first_cause_s_own_self_help_saying_whose():
    for cause in TABLE.causes:
        facts = {
            ("cause", cause.id),
            *(parse_fact(f) for f in cause.presentation.typical),
        }
        result = _assessment(facts)
        if result.urgency == "emergency" or not result.causes:
            continue
        first = TABLE.cause(result.causes[0].id)
        texts = [m.get("text", "") for m in replies.assessment_messages(result)]
        meanwhile = [t for t in texts if t.startswith("Meanwhile")]
        if not first.self_help:
            assert meanwhile == [], cause.id
            continue
        assert len(meanwhile) == 1 and first.lay_name in meanwhile[0], cause.id
        others = {
            item.text
            for ranked in result.causes[1:]
            for item in TABLE.cause(ranked.id).self_help
        } - {item.text for item in first.self_help}
        assert not any(text in meanwhile[0] for text in others), cause.id


@pytest.mark.parametrize("topic", replies.TOPICS)
def test_every_medical_answer_ends_with_the_disclaimer(topic):
    for cause in TABLE.causes:
        text = replies.topic_messages(topic, cause.id)[-1]["text"]
        assert text.endswith(replies.disclaimer()), (topic, cause.id)
    result = _assessment({("sensation", "numbness"), ("body_part", "foot")})
    closing = [m for m in replies.assessment_messages(result) if "text" in m][-1]
    assert closing["text"].endswith(replies.disclaimer())
    summary = replies.summary_message(Findings(frozenset({("body_part", "foot")})))
    assert summary["text"].endswith(replies.disclaimer())


def test_an_option_already_told_is_shown_as_known_not_offered():
    told = Findings(frozenset({("condition", "diabetes")}))
    message = replies.question_message("conditions", told)
    titles = [b["title"] for b in message["buttons"]]
    assert "Diabetes" not in titles and "None of these" in titles
    assert "already told me: Diabetes" in message["text"]
    assert replies.question_message("conditions")["buttons"][0]["title"] == "Diabetes"


def test_none_of_these_keeps_what_was_told():
    told = Findings(frozenset({("condition", "diabetes")}))
    none = TABLE.question("conditions").answers[-1]
    kept = replies.keep_told_facts(none.absent_facts, told)
    assert ("condition", "diabetes") not in kept
    assert ("condition", "alcohol_use") in kept


_SPEAKS_TO_THE_PERSON = re.compile(r"\b(you|your|yourself|I|my|me|I'm|I've)\b")


def _to_them(text):
    """The words of a question's own voice, the bot's "Before I go on" aside."""
    return _SPEAKS_TO_THE_PERSON.findall(text.replace("Before I go on", ""))


@pytest.mark.parametrize(
    "question", [*TABLE.questions, TABLE.red_flag_check], ids=lambda q: q.id
)
def test_every_question_about_someone_else_speaks_of_them(question):
    """A question or title that speaks to the person has a twin about them."""
    message = replies.question_message(question.id, None, about_other=True)
    assert not _to_them(message["text"]), message["text"]
    for button in message["buttons"]:
        if button["title"] != replies.DONT_KNOW_TITLE:
            assert not _to_them(button["title"]), button["title"]


def test_a_question_about_the_person_themselves_is_unchanged():
    question = next(q for q in TABLE.questions if q.text_other)
    assert replies.question_message(question.id)["text"] == question.text


def test_each_red_flag_question_has_a_twin_about_someone_else():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    variations = domain["responses"]["utter_check_red_flag"]

    def key(variation):
        return {c["name"]: c["value"] for c in variation.get("condition") or []}

    about_them = [v for v in variations if key(v).get("experiencer") == "other"]
    about_self = [v for v in variations if "possible_red_flag" in key(v)]
    flags = {key(v)["possible_red_flag"] for v in about_self}
    assert {key(v)["possible_red_flag"] for v in about_them} == flags
    for variation in about_them:
        assert not _to_them(variation["text"].replace("Before I go on", ""))
    # exactly one variation fits any pair of slots, so none is drawn at random
    conditions = [tuple(sorted(key(v).items())) for v in variations]
    assert len(conditions) == len(set(conditions))


def test_a_reply_answers_the_question_when_it_tells_its_kind_of_fact():
    assert replies.reply_answers_question("side", [("side", "left")], [])
    assert not replies.reply_answers_question("side", [("trigger", "exertion")], [])
    assert replies.reply_answers_question("duration", [], [], "P3W")


@pytest.mark.parametrize(
    "text, said",
    [
        ("a check of your reflexes", "a check of their reflexes"),
        (
            "only a doctor who examines you can find the cause",
            "only a doctor who examines them can find the cause",
        ),
        ("it passes quickly once you move", "it passes quickly once they move"),
        (
            "Limit the time you spend on your feet",
            "Limit the time they spend on their feet",
        ),
        ("a cause that fits what you told me", "a cause that fits what you told me"),
        ("you mentioned it", "you mentioned it"),
    ],
)
def test_speak_of_them_words_the_medical_text_for_someone_else(text, said):
    assert replies.speak_of_them(text) == said


def test_the_medical_lines_of_someone_elses_assessment_say_their():
    findings = Findings(
        present=frozenset(
            {("sensation", "numbness"), ("condition", "diabetes"), ("side", "both")}
        ),
        duration="P6M",
    )
    result = assess(findings)

    def doctor_line(about_other: bool) -> str:
        messages = replies.assessment_messages(result, about_other=about_other)
        return next(m["text"] for m in messages if m.get("text", "").startswith("Who"))

    assert "your reflexes" in doctor_line(False)
    assert "their reflexes" in doctor_line(True)
    assert not re.search(r"\byour?\b", doctor_line(True))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("feet went numb at work yesterday, woke up numb from the waist down", True),
        ("only when i walk to the shops and back home", True),
        ("it does come on when i walk a lot", False),
        ("not really, only at night when im in bed", False),
        ("after a few minutes kneeling, yes, it passes", False),
        ("walking", False),
    ],
)
def test_a_long_reply_with_no_answer_word_is_an_account(
    text: str, expected: bool
) -> None:
    assert replies.is_account(text) is expected
