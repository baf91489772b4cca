"""SymptomExtractor built directly (no training, no server): text -> entity facts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Set, Tuple

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ENTITIES, EXTRACTOR, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.cause_table import parse_fact
from actions.vocabulary import get_vocabulary
from bot.nlu.durations import find_ages, find_durations
from bot.nlu.extraction import CONTEXT_RULES_PATH, SymptomMatcher, get_matcher
from bot.nlu.symptom_extractor import SymptomExtractor

Fact = Tuple[str, str, bool]


@pytest.fixture(scope="module")
def extractor(tmp_path_factory: pytest.TempPathFactory) -> SymptomExtractor:
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    context = ExecutionContext(GraphSchema({}), "test")
    return SymptomExtractor.create(
        SymptomExtractor.get_default_config(),
        storage,
        Resource("symptom_extractor"),
        context,
    )


@pytest.fixture(scope="module")
def tokenizer() -> WhitespaceTokenizer:
    return WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())


def parse(extractor: SymptomExtractor, tokenizer: WhitespaceTokenizer, text: str):
    message = Message({TEXT: text})
    tokenizer.process([message])
    extractor.process([message])
    return message.get(ENTITIES, [])


def facts(entities: List[dict]) -> Set[Fact]:
    """Facts told (present or negated); `possible` cues are no facts."""
    return {
        (e["entity"], str(e["value"]), e.get("role") == "negated")
        for e in entities
        if e.get("role") != "possible"
    }


def synonym_cases() -> List[Tuple[str, str, str]]:
    """(phrase, entity, value) for every synonym that names its value on its own."""
    cases = []
    for entity, values in get_vocabulary().values.items():
        if entity in ("side", "surface"):
            continue
        for value, info in values.items():
            for phrase in info.synonyms:
                cases.append((phrase, entity, value))
    return cases


def test_every_synonym_is_found_with_its_value() -> None:
    """Each synonym, said alone in a sentence, yields its own canonical value."""
    matcher = get_matcher()
    missing = []
    for phrase, entity, value in synonym_cases():
        found = {(e["entity"], e["value"]) for e in matcher.extract(f"{phrase} now")}
        found |= {
            (e["entity"], e["value"]) for e in matcher.extract(f"i have {phrase} now")
        }
        # a lone toilet word needs a trouble word (patterns.yml bare_red_flag_words)
        found |= {
            (e["entity"], e["value"])
            for e in matcher.extract(f"i have problems with {phrase} now")
        }
        if (entity, value) not in found and ("cause", value) not in {
            (e, v) for e, v in found
        }:
            missing.append((phrase, entity, value, sorted(found)))
    assert missing == []


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "my legs keep falling asleep",
            {
                ("body_part", "whole_leg", False),
                ("sensation", "numbness", False),
                ("onset", "intermittent", False),
            },
        ),
        (
            "pins n needles in my left foot for 3 wks",
            {
                ("sensation", "pins_and_needles", False),
                ("side", "left", False),
                ("body_part", "foot", False),
                ("duration", "P3W", False),
            },
        ),
        (
            "no back pain but my toes are numb",
            {
                ("symptom", "back_pain", True),
                ("body_part", "toes", False),
                ("sensation", "numbness", False),
            },
        ),
        (
            "outside of my thigh feels dead since I started wearing tight jeans",
            {
                ("surface", "outer", False),
                ("body_part", "thigh", False),
                ("sensation", "numbness", False),
                ("trigger", "tight_clothing", False),
            },
        ),
        ("I don't have diabetes", {("condition", "diabetes", True)}),
        ("without any weakness", {("symptom", "weakness", True)}),
        # a negation before "without" cancels it: the numbness always comes
        (
            "I can't stand for long without my feet going numb",
            {
                ("body_part", "foot", False),
                ("sensation", "numbness", False),
                ("trigger", "standing", False),
            },
        ),
        (
            "I can sit without my leg going numb",
            {
                ("body_part", "whole_leg", True),
                ("sensation", "numbness", True),
                ("trigger", "sitting", False),
            },
        ),
        ("she cant stand up on her own", {("symptom", "paralysis", False)}),
        ("i can't stand up on the pedals", set()),
        (
            "since last week he cant dress himself",
            {("duration", "P1W", False), ("symptom", "weakness", False)},
        ),
        ("never smoked", {("condition", "smoking", True)}),
        (
            "arms and face are fine",
            {("body_part", "arm", True), ("body_part", "face", True)},
        ),
        ("it doesn't get better when I move", {("trigger", "movement_relief", True)}),
        (
            "no pain but numbness",
            {("symptom", "pain", True), ("sensation", "numbness", False)},
        ),
        ("walking around helps", {("trigger", "movement_relief", False)}),
        (
            "she couldnt come up with the right words",
            {("symptom", "speech_problem", False)},
        ),
        ("i cant find the right words to describe it", set()),
        ("his back has been bad", {("symptom", "back_pain", False)}),
        (
            "it comes on after a bit of walking and goes when i stop",
            {("trigger", "walking", False), ("trigger", "rest_relief", False)},
        ),
        # thinner socks are no paint thinner
        ("tried thinner socks", set()),
        (
            "i used thinners all day",
            {("condition", "solvent_exposure", False)},
        ),
        # a person slow to answer or to walk tells no slow onset
        (
            "she is really slow answering and her left leg is numb",
            {
                ("side", "left", False),
                ("body_part", "whole_leg", False),
                ("sensation", "numbness", False),
            },
        ),
        ("it came on slow", {("onset", "gradual", False)}),
        # the person's own stopping is no end of a spell
        (
            "after 100 metres of walking i have to stop because my calf hurts",
            {
                ("trigger", "walking", False),
                ("body_part", "calf", False),
                ("symptom", "pain", False),
            },
        ),
        (
            "the tingling stopped when i sat down",
            {
                ("sensation", "tingling", False),
                ("trigger", "rest_relief", False),
            },
        ),
        # what is told between an activity and its relief stays a fact
        (
            "when i stop walking the pain goes away",
            {("symptom", "pain", False), ("trigger", "rest_relief", False)},
        ),
        ("i have to stop and sit down", {("trigger", "rest_relief", False)}),
        (
            "my toes go numb on long runs",
            {
                ("body_part", "toes", False),
                ("sensation", "numbness", False),
                ("trigger", "sport", False),
            },
        ),
        (
            "legs heavy by the end of my shift as a waitress",
            {
                ("body_part", "whole_leg", False),
                ("sensation", "heaviness", False),
                ("trigger", "exertion", False),
            },
        ),
        ("could it be MS", {("cause", "multiple_sclerosis", False)}),
        ("is this sciatica", {("cause", "sciatic_neuropathy", False)}),
        ("what is sciatica", {("cause", "sciatic_neuropathy", False)}),
        ("I have MS", {("condition", "multiple_sclerosis", False)}),
        (
            "the sole of my foot is numb",
            {("body_part", "sole", False), ("sensation", "numbness", False)},
        ),
        (
            "my face is drooping",
            {("body_part", "face", False), ("symptom", "facial_droop", False)},
        ),
        (
            "my foot is cold to the touch",
            {("body_part", "foot", False), ("symptom", "cold_limb", False)},
        ),
        (
            "my foot feels cold",
            {("body_part", "foot", False), ("sensation", "coldness", False)},
        ),
        (
            "I can't feel my toes",
            {("sensation", "loss_of_sensation", False), ("body_part", "toes", False)},
        ),
        (
            "no weakness, numbness or tingling",
            {
                ("symptom", "weakness", True),
                ("sensation", "numbness", True),
                ("sensation", "tingling", True),
            },
        ),
        (
            "no pain, just tingling in both feet",
            {
                ("symptom", "pain", True),
                ("sensation", "tingling", False),
                ("side", "both", False),
                ("body_part", "foot", False),
            },
        ),
        (
            "I don't smoke and I don't drink",
            {("condition", "smoking", True), ("condition", "alcohol_use", True)},
        ),
        (
            "no fever and my legs are weak",
            {
                ("symptom", "fever", True),
                ("body_part", "whole_leg", False),
                ("symptom", "weakness", False),
            },
        ),
        (
            "nubmness and tinglling in my calff",
            {
                ("sensation", "numbness", False),
                ("sensation", "tingling", False),
                ("body_part", "calf", False),
            },
        ),
        (
            "worse at night, walking around helps",
            {("trigger", "night", False), ("trigger", "movement_relief", False)},
        ),
        (
            "worse when I walk, better when I rest",
            {("trigger", "walking", False), ("trigger", "rest_relief", False)},
        ),
        (
            "I'm 45 and pregnant",
            {("age", "45", False), ("condition", "pregnancy", False)},
        ),
        ("32 weeks pregnant", {("condition", "pregnancy", False)}),
    ],
)
def test_examples(extractor, tokenizer, text: str, expected: Set[Fact]) -> None:
    assert facts(parse(extractor, tokenizer, text)) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a more specific part is tagged alone; the side still counts
        (
            "pain in the heel of my right foot",
            {
                ("symptom", "pain", False),
                ("body_part", "heel", False),
                ("side", "right", False),
            },
        ),
        # surface stated after the part
        (
            "my calf is tingly on the inside",
            {
                ("body_part", "calf", False),
                ("sensation", "tingling", False),
                ("surface", "inner", False),
            },
        ),
        (
            "front of my left thigh burns",
            {
                ("surface", "front", False),
                ("side", "left", False),
                ("body_part", "thigh", False),
                ("sensation", "burning", False),
            },
        ),
        # habit: "keeps/kept + -ing" comes and goes, "keeps getting worse" does not
        (
            "my ankle kept buzzing",
            {
                ("body_part", "ankle", False),
                ("onset", "intermittent", False),
                ("sensation", "tingling", False),
            },
        ),
        (
            "the burning keeps getting worse",
            {("sensation", "burning", False), ("course", "worsening", False)},
        ),
        (
            "numb toes, slowly worse",
            {
                ("body_part", "toes", False),
                ("sensation", "numbness", False),
                ("onset", "gradual", False),
                ("course", "worsening", False),
            },
        ),
        # inability phrases are symptoms, not negations
        ("i cannot lift my toes up", {("symptom", "foot_drop", False)}),
        (
            "i can't hold my wee any more",
            {("symptom", "bladder_bowel_dysfunction", False)},
        ),
        # a negation cue inside a pair or compound negates it
        ("resting does not help at all", {("trigger", "rest_relief", True)}),
        ("my lower back isn't sore", {("symptom", "back_pain", True)}),
        # "is cold" is the symptom, "feels cold" the sensation
        (
            "my toes are pale and cold",
            {
                ("body_part", "toes", False),
                ("symptom", "pale_or_blue_skin", False),
                ("symptom", "cold_limb", False),
            },
        ),
        # a cause only when asked about or suggested
        ("which doctor deals with sciatica", {("cause", "sciatic_neuropathy", False)}),
        (
            "my sciatica flares when i sit",
            {
                ("condition", "spine_disease", False),
                ("onset", "intermittent", False),
                ("trigger", "sitting", False),
            },
        ),
        ("will i need surgery", set()),
        (
            "my gp mentioned polyneuropathy, what is that",
            {("cause", "polyneuropathy", False)},
        ),
        ("i read it might be MS", {("cause", "multiple_sclerosis", False)}),
        ("i drink most days, maybe 3 beers", {("condition", "alcohol_use", False)}),
        # a duration right after a condition belongs to the condition
        (
            "smoker for 30 years, numb calves",
            {
                ("condition", "smoking", False),
                ("body_part", "calf", False),
                ("sensation", "numbness", False),
            },
        ),
        # bare answers to a question
        ("52", {("age", "52", False)}),
        ("the right one", {("side", "right", False)}),
        # greetings and chat words are not symptoms
        ("good night and thanks", set()),
        ("cheers mate", set()),
        ("right, ok", set()),
        # scope ends at a new statement
        (
            "not sure about the date but my foot is numb",
            {("body_part", "foot", False), ("sensation", "numbness", False)},
        ),
        (
            "nothing wrong with my hands, it is my feet that tingle",
            {
                ("body_part", "hand", True),
                ("body_part", "foot", False),
                ("sensation", "tingling", False),
            },
        ),
    ],
)
def test_rules(extractor, tokenizer, text: str, expected: Set[Fact]) -> None:
    assert facts(parse(extractor, tokenizer, text)) == expected


@pytest.mark.parametrize(
    "text, value",
    [
        ("for three weeks", "P3W"),
        ("this morning she says both legs feel numb", "PT6H"),
        ("today my feet feel numb", "PT6H"),
        ("his foot is floppy since he woke up", "PT6H"),
        ("been in agony since i woke up 3 days ago", "P3D"),
        ("since yesterday", "P1D"),
        ("for a couple of months", "P2M"),
        ("about 20 mins", "PT20M"),
        ("for a few days", "P3D"),
        ("2 hours", "PT2H"),
        ("numb for 6 months now", "P6M"),
        ("it's been 2 years", "P2Y"),
        ("3wks", "P3W"),
        ("half an hour", "PT30M"),
        ("a year and a half", "P18M"),
        ("started last week", "P1W"),
        ("over the past year", "P1Y"),
        ("a fortnight", "P2W"),
        ("over a day or two", "P2D"),
        ("for 2 or 3 weeks", "P3W"),
        ("about 3-4 days", "P4D"),
        ("a week or so", "P1W"),
        ("he hasnt been able to feel his feet for years", "P2Y"),
        # a day part told right after the change it dates
        ("my left leg went numb and weak this morning", "PT6H"),
        ("both legs gave out last night", "P1D"),
    ],
)
def test_durations_are_iso_8601(text: str, value: str) -> None:
    assert [v for v, _, _ in find_durations(text)] == [value]


@pytest.mark.parametrize(
    "text",
    [
        "I'm 32 weeks pregnant",
        "I am 45 years old",
        "every 2 hours",
        "after 10 minutes",
        "my eyes went blurry last month",
        "at 30 weeks my left thigh went numb",
        "went out today in my old shoes",
    ],
)
def test_not_a_symptom_duration(text: str) -> None:
    assert find_durations(text) == []


@pytest.mark.parametrize(
    "text, age",
    [
        ("i'm 45", 45),
        ("45 years old", 45),
        ("a 70-year-old", 70),
        ("aged 60", 60),
        ("34yo", 34),
        ("m 63, numb feet", 63),
        ("my dad is 81", 81),
        ("61 y/o", 61),
    ],
)
def test_ages_are_numbers(text: str, age: int) -> None:
    assert [a for a, _, _ in find_ages(text)] == [age]


def test_a_waking_on_another_day_is_not_this_morning() -> None:
    durations = find_durations("numb since i woke up on monday")
    assert "PT6H" not in [value for value, _, _ in durations]


@pytest.mark.parametrize(
    "text",
    ["i'm 6'4 and the plane seats are tiny", "road cyclist, 1.86m on a 58cm frame"],
)
def test_a_height_is_no_age(text: str) -> None:
    assert find_ages(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "numb " * 2000,
        "x" * 10000,
        "😀🦵😱",
        "Mi pierna está entumecida desde ayer",
        "У меня немеет нога",
        "\x00\x01\x02 numb \x1b[31m\x7f",
        "numb \ud800 toes \udfff",
        "\u202e\u200b left foot",
        "?" * 500,
        "no " * 3000,
    ],
)
def test_odd_input_does_not_crash(extractor, tokenizer, text: str) -> None:
    entities = parse(extractor, tokenizer, text)
    assert isinstance(entities, list)
    for entity in entities:
        assert 0 <= entity["start"] <= entity["end"] <= len(text)
        assert entity[EXTRACTOR] == "SymptomExtractor"


def test_offsets_point_at_the_mention(extractor, tokenizer) -> None:
    text = "My LEFT foot is numb"
    spans = {
        e["value"]: text[e["start"] : e["end"]]
        for e in parse(extractor, tokenizer, text)
    }
    assert spans == {"left": "LEFT", "foot": "foot", "numbness": "numb"}


def test_values_are_canonical() -> None:
    vocabulary = get_vocabulary()
    text = (
        "pins and needles and burning in both feet, worse at night, no back pain, "
        "diabetic, could it be sciatica? 3 weeks, I'm 50"
    )
    for entity in get_matcher().extract(text):
        if entity["entity"] in vocabulary.values:
            vocabulary.check(entity["entity"], entity["value"])
        elif entity["entity"] == "cause":
            assert entity["value"] in {c["id"] for c in get_matcher().causes}
        else:
            assert entity["entity"] in vocabulary.open_entities


def test_context_rules_load_in_medspacy_format() -> None:
    from medspacy.context import ConTextRule

    rules = ConTextRule.from_json(str(CONTEXT_RULES_PATH))
    assert len(rules) == len(
        json.loads(Path(CONTEXT_RULES_PATH).read_text())["context_rules"]
    )


def test_fuzzy_matching_leaves_real_words_alone() -> None:
    matcher = SymptomMatcher()
    everyday = [
        "I was waking up",
        "turning around",
        "the light was right",
        "thing",
        "waiting for the bus",
        "she was singing",
        "what's the score",
        "write it down",
        "my laptop keeps crashing",
        "cheers",
    ]
    for text in everyday:
        assert matcher.extract(text) == []


def test_two_edits_make_another_word_not_a_typo() -> None:
    matcher = SymptomMatcher()
    speller = matcher.speller
    assert speller.correct("screaming") is None  # never "spreading"
    assert speller.correct("consultant") is None  # never "constant"
    assert speller.correct("tried") is None  # never "tired"
    assert speller.correct("numbnes") == "numbness"
    assert speller.correct("electrical") == "electric"  # a longer form of the word


def test_a_word_is_never_corrected_into_itself_with_a_prefix() -> None:
    """ "sensitive" is 2 edits from "insensitive": a real word, not a typo of it."""
    matcher = SymptomMatcher()
    assert matcher.make_doc("sensitive")[0].norm_ == "sensitive"
    values = {
        (e["entity"], e["value"]) for e in matcher.extract("toes a bit sensitive")
    }
    assert ("sensation", "loss_of_sensation") not in values


# ---------------------------------------------------------------- safety classes
def _facts(text: str) -> Set[Fact]:
    return facts(get_matcher().extract(text))


def _red_flags(text: str) -> Set[str]:
    """Red-flag ids the triage engine fires on the facts extracted from `text`."""
    from actions.triage import Findings, detect_red_flags

    entities = get_matcher().extract(text)
    present = [
        f"{e['entity']}:{e['value']}"
        for e in entities
        if e.get("role") != "negated" and e["entity"] not in ("age", "duration")
    ]
    absent = [f"{e['entity']}:{e['value']}" for e in entities if e.get("role")]
    duration = next((e["value"] for e in entities if e["entity"] == "duration"), None)
    return {
        hit.id
        for hit in detect_red_flags(
            Findings.from_slots(present, absent, None, duration)
        )
    }


@pytest.mark.parametrize(
    "text",
    [
        "I was in a car crash last week and my thigh is numb",
        "numb foot since a car accident",
        "RTA on monday, now tingling down my leg",
        "we were in a wreck on the motorway and my shin feels dead",
        "my car got wrecked and so did my knee, it's numb",
        "fell off a ladder, my calf is numb",
        "I fell down the stairs yesterday and my toes tingle",
        "after falling off my bike my knee went numb",
        "rolled my ankle playing netball and the top of my foot is numb",
        "twisted it badly and now pins and needles",
        "took a hit to the leg during rugby, numb ever since",
        "got tackled hard and my shin is numb",
        "got hit by a car, my leg tingles",
        "had a nasty fall and now my hip tingles",
    ],
)
def test_injuries_are_the_injury_trigger(text: str) -> None:
    found = _facts(text)
    assert ("trigger", "injury", False) in found


def test_falling_a_lot_is_trouble_walking_not_an_injury_that_began_it() -> None:
    found = _facts("I'm falling a lot lately and my feet are numb")
    assert ("symptom", "gait_problem", False) in found
    assert ("trigger", "injury", False) not in found
    assert ("trigger", "sitting", False) not in found


@pytest.mark.parametrize(
    "text",
    [
        "fell off a ladder and landed on my back, now both legs are numb",
        "was in a bad car crash and now both my legs tingle",
        "took a hard fall on the ice and now i cant feel my legs",
        "got tackled on the pitch and now both legs feel weak",
    ],
)
def test_injury_with_both_legs_affected_fires_spinal_injury(text: str) -> None:
    assert "spinal_injury" in _red_flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "my left foot tingles when I sit in the car a long time",
        "numb toes after the school run in the car",
    ],
)
def test_a_car_alone_is_no_injury(text: str) -> None:
    assert ("trigger", "injury", False) not in _facts(text)


@pytest.mark.parametrize(
    "text, fact",
    [
        (
            "couldn't control my bowels this morning",
            "symptom:bladder_bowel_dysfunction",
        ),
        ("I cannot hold my wee any more", "symptom:bladder_bowel_dysfunction"),
        ("i can no longer control my bladder", "symptom:bladder_bowel_dysfunction"),
        ("cant tell when i need to pee", "symptom:bladder_bowel_dysfunction"),
        ("I can't feel when I need the loo", "symptom:bladder_bowel_dysfunction"),
        ("unable to hold my poo in", "symptom:bladder_bowel_dysfunction"),
        ("I can't feel my feet", "sensation:loss_of_sensation"),
        ("couldn't really feel my legs this morning", "sensation:loss_of_sensation"),
        ("i cannot feel my toes at all", "sensation:loss_of_sensation"),
        ("I can't lift my foot up", "symptom:foot_drop"),
        ("couldnt raise my toes off the floor", "symptom:foot_drop"),
        ("I can't walk properly", "symptom:gait_problem"),
        ("couldn't walk in a straight line", "symptom:gait_problem"),
        ("can't speak properly since this morning", "symptom:speech_problem"),
        ("i couldn't talk properly for a minute", "symptom:speech_problem"),
        ("my words come out wrong", "symptom:speech_problem"),
    ],
)
def test_a_negated_ability_is_the_symptom_present(text: str, fact: str) -> None:
    entity, value = parse_fact(fact)
    found = _facts(text)
    assert (entity, value, False) in found
    assert (entity, value, True) not in found


@pytest.mark.parametrize(
    "text, flag",
    [
        ("my legs are numb and I couldn't control my bowels", "bladder_bowel_saddle"),
        ("numb feet and i cant tell when i need to wee", "bladder_bowel_saddle"),
        ("can't hold my pee and my thighs tingle", "bladder_bowel_saddle"),
        ("my leg went numb and i can't speak properly", "stroke_signs"),
        ("left leg numb and my words come out wrong", "stroke_signs"),
    ],
)
def test_a_negated_ability_fires_its_red_flag(text: str, flag: str) -> None:
    assert flag in _red_flags(text)


@pytest.mark.parametrize(
    "text, fact",
    [
        ("no trouble with my bladder or bowels", "symptom:bladder_bowel_dysfunction"),
        ("I don't have any bladder problems", "symptom:bladder_bowel_dysfunction"),
        ("I can walk normally", "symptom:gait_problem"),
    ],
)
def test_a_denied_symptom_stays_negated(text: str, fact: str) -> None:
    entity, value = parse_fact(fact)
    assert (entity, value, True) in _facts(text)


@pytest.mark.parametrize(
    "text",
    [
        "I have bowed legs and they tingle",
        "my leg is bowed and numb",
        "my bowls of cereal are fine, but my feet tingle",
        "I bowled all afternoon and my thigh went numb",
    ],
)
def test_no_red_flag_value_from_a_fuzzy_guess(text: str) -> None:
    found = {(e, v) for e, v, _ in _facts(text)}
    assert ("symptom", "bladder_bowel_dysfunction") not in found
    assert not _red_flags(text)


def test_red_flag_values_are_no_fuzzy_targets() -> None:
    matcher = get_matcher()
    for word in ("bowel", "bladder", "paralysed", "slurred", "drooping", "incontinent"):
        assert word not in matcher._synonym_words


@pytest.mark.parametrize(
    "text",
    [
        "cant controll my bladdr",
        "incontinant since this morning and my legs are numb",
        "I can't control my bowel movements",
    ],
)
def test_listed_misspellings_still_name_bladder_trouble(text: str) -> None:
    assert ("symptom", "bladder_bowel_dysfunction", False) in _facts(text)


@pytest.mark.parametrize(
    "text",
    [
        "my right hand is numb and both legs tingle",
        "one hand tingles and both legs are numb",
        "both legs numb and my left arm too",
        "pins and needles in both feet and in my right fingers",
    ],
)
def test_a_hand_side_is_not_the_legs_side(text: str) -> None:
    sides = {v for e, v, _ in _facts(text) if e == "side"}
    assert sides == {"both"}
    assert "stroke_signs" not in _red_flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "my right hand and right leg went numb",
        "left arm and left leg are numb",
        "numbness down one side, my arm and my leg",
    ],
)
def test_one_sided_arm_and_leg_still_fires_stroke_signs(text: str) -> None:
    assert "stroke_signs" in _red_flags(text)


@pytest.mark.parametrize(
    "text, absent",
    [
        ("feels like ants walking on my legs", "trigger:walking"),
        ("like bugs crawling and marching up my shins", "trigger:walking"),
        ("like water running down my shin", "trigger:exertion"),
        ("as if cold water was running down my calf", "trigger:exertion"),
        ("after a night out my feet were numb", "trigger:night"),
        ("most nights I drink a glass of wine", "trigger:night"),
        ("wine most nights, and my toes tingle", "trigger:night"),
        ("my legs feel drunk", "condition:alcohol_use"),
        ("I feel drunk when I stand up and my feet are numb", "condition:alcohol_use"),
    ],
)
def test_figures_of_speech_are_no_facts(text: str, absent: str) -> None:
    entity, value = parse_fact(absent)
    assert (entity, value) not in {(e, v) for e, v, _ in _facts(text)}


@pytest.mark.parametrize(
    "text, present",
    [
        ("my legs tingle most nights", "trigger:night"),
        ("I drink most days and my feet burn", "condition:alcohol_use"),
        ("it's worse after walking the dog", "trigger:walking"),
        ("feels like something crawling, worse after walking", "trigger:walking"),
    ],
)
def test_plain_facts_survive_the_figure_rules(text: str, present: str) -> None:
    entity, value = parse_fact(present)
    assert (entity, value, False) in _facts(text)


@pytest.mark.parametrize(
    "text",
    [
        "just back from 3 weeks in Ghana and my feet tingle",
        "spent 2 months in thailand, now numb toes",
        "the cast was put on 3 days ago and now my toes are numb",
        "I have to rest for a minute and then it eases",
        "if I sit down for 5 mins it goes",
        "I work 12 hr shifts and my feet are numb",
        "I stand 9 hours a day, feet ache",
        "I drive 3 hours a day and my thigh tingles",
        "did a 2 week trip and came back with tingly feet",
        "picking strawberries, bent over for hours, and my shin went numb",
        "danced for 4 hours at the wedding and my toes are numb",
        "about a minute into the pose her front foot goes cold",
        "my left foot goes numb 35 minutes into every run",
    ],
)
def test_durations_of_other_things_are_not_the_symptoms(text: str) -> None:
    assert not [e for e in get_matcher().extract(text) if e["entity"] == "duration"]


def test_days_into_a_stretch_of_time_still_date_the_story() -> None:
    text = "two weeks into the new school year and my feet are numb by home time"
    assert [e for e in get_matcher().extract(text) if e["entity"] == "duration"]


@pytest.mark.parametrize(
    "text, value",
    [
        ("numb since yday", "P1D"),
        ("tingling since yesterday", "P1D"),
        ("numb for 3 dayz", "P3D"),
        ("pins and needles for 2 mths", "P2M"),
        ("my toes went numb after the cast went on 2 days ago", "P2D"),
    ],
)
def test_duration_typos(text: str, value: str) -> None:
    found = [
        e["value"] for e in get_matcher().extract(text) if e["entity"] == "duration"
    ]
    assert found == [value]


@pytest.mark.parametrize(
    "text, fact",
    [
        ("numb when I'm in bed", "trigger:lying"),
        ("tingles when I lie on that side", "trigger:lying"),
        ("it's worse if I lay on my left side", "trigger:lying"),
        ("worse when it's freezing outside", "trigger:cold"),
        ("my toes go numb when it's cold out", "trigger:cold"),
        ("numbness creeping up from my toes", "course:spreading"),
        ("the tingling is working its way up my leg", "course:spreading"),
        ("cut on my heel not healing", "symptom:skin_ulcer"),
        ("I have a blister on my toe that won't heal", "symptom:skin_ulcer"),
        ("a graze on my shin that hasn't healed in weeks", "symptom:skin_ulcer"),
        ("I've got sores between my toes", "symptom:skin_ulcer"),
        ("I have T2DM and numb feet", "condition:diabetes"),
        ("T1D since childhood", "condition:diabetes"),
        ("type 2 for years now", "condition:diabetes"),
        ("had an op on my knee last week", "condition:recent_surgery"),
        ("surgery last week and my leg is numb", "condition:recent_surgery"),
        ("I was diagnosed with MS in 2019", "condition:multiple_sclerosis"),
        ("I was diagnosed with sciatica last year", "condition:spine_disease"),
        ("my legz are numb", "body_part:whole_leg"),
        ("toez tingle all the time", "body_part:toes"),
        ("the numbness went away then came back", "onset:intermittent"),
    ],
)
def test_general_misses(text: str, fact: str) -> None:
    entity, value = parse_fact(fact)
    assert (entity, value, False) in _facts(text)


@pytest.mark.parametrize(
    "text, absent",
    [
        ("my ankle isn't healing well after the sprain", "symptom:skin_ulcer"),
        ("I've got sores between my toes", "symptom:pain"),
        ("had an op on my knee last week", "trigger:sitting"),
        ("I was diagnosed with sciatica last year", "cause:sciatic_neuropathy"),
        ("the numbness went away then came back", "course:resolved"),
        ("it wore off but then it came back again", "course:resolved"),
    ],
)
def test_general_false_positives(text: str, absent: str) -> None:
    entity, value = parse_fact(absent)
    assert (entity, value) not in {(e, v) for e, v, _ in _facts(text)}


@pytest.mark.parametrize(
    "text, age",
    [("(78) numb feet", 78), ("I'm 38, numb toes", 38), ("numb legs (64 f)", 64)],
)
def test_bare_ages(text: str, age: int) -> None:
    assert [
        e["value"] for e in get_matcher().extract(text) if e["entity"] == "age"
    ] == [age]


@pytest.mark.parametrize(
    "text, side",
    [
        ("my left leg is fine, the right one is numb", "left"),
        ("left side is fine, it's only my right foot", "left"),
        ("the right foot feels normal, the left tingles", "right"),
    ],
)
def test_a_side_that_is_fine_is_negated(text: str, side: str) -> None:
    found = _facts(text)
    assert ("side", side, True) in found
    assert ("side", side, False) not in found


@pytest.mark.parametrize(
    "text, fact",
    [
        ("I can hold my wee fine", "symptom:bladder_bowel_dysfunction"),
        ("i can still feel when i need to pee", "symptom:bladder_bowel_dysfunction"),
        ("no problem controlling my bladder", "symptom:bladder_bowel_dysfunction"),
        ("I can walk properly", "symptom:gait_problem"),
        ("she can speak normally", "symptom:speech_problem"),
    ],
)
def test_a_stated_ability_is_the_symptom_absent(text: str, fact: str) -> None:
    entity, value = parse_fact(fact)
    found = _facts(text)
    assert (entity, value, True) in found
    assert (entity, value, False) not in found
    assert not _red_flags(text)


@pytest.mark.parametrize(
    "text",
    ["I can barely walk straight", "i can hardly walk properly any more"],
)
def test_barely_able_is_still_the_symptom(text: str) -> None:
    assert ("symptom", "gait_problem", False) in _facts(text)


@pytest.mark.parametrize(
    "text",
    [
        "I need to pee a lot at night",
        "I pee more often since the diabetes",
        "have to get up for a wee twice a night, and my feet tingle",
        "my poo is dark after the iron tablets, legs numb",
    ],
)
def test_a_lone_toilet_word_is_no_bladder_trouble(text: str) -> None:
    assert ("symptom", "bladder_bowel_dysfunction") not in {
        (e, v) for e, v, _ in _facts(text)
    }
    assert "bladder_bowel_saddle" not in _red_flags(text)


@pytest.mark.parametrize(
    "text, negated",
    [
        ("my bladder is acting weird and my legs are numb", False),
        ("trouble with my bowels and a numb bum", False),
        ("I couldn't poo for days and my legs are weak", False),
        ("I can't pee", False),
        ("bladder and bowels are normal", True),
        ("no bladder or bowel issues", True),
    ],
)
def test_toilet_words_with_trouble_or_denial(text: str, negated: bool) -> None:
    assert ("symptom", "bladder_bowel_dysfunction", negated) in _facts(text)


def test_the_component_puts_findings_and_groups_on_the_message(extractor, tokenizer):
    message = Message({TEXT: "my left foot is numb. i had a cast years ago"})
    tokenizer.process([message])
    extractor.process([message])
    findings = message.get("findings")
    assert findings and findings[0]["symptoms"] == ["numbness"]
    assert findings[0]["sites"] == ["foot"] and findings[0]["time"] == "now"
    entities = message.get(ENTITIES)
    assert all(isinstance(e.get("group"), int) for e in entities)
    cast = [e for e in entities if e["value"] == "cast"]
    assert cast and cast[0]["role"] == "past"
    assert message.get("nlu_failed") is None


def test_a_failing_pipeline_marks_the_message_failed(extractor, tokenizer, monkeypatch):
    def broken(text):
        raise RuntimeError("broken")

    monkeypatch.setattr(extractor._pipeline, "parse", broken)
    message = Message({TEXT: "my leg is numb"})
    extractor.process([message])
    assert message.get("nlu_failed") == "pipeline"
    assert message.get("findings") == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("i got a few sharp stabs in my calf", ("symptom", "pain")),
        ("i got stabbed in the thigh last week", ("trigger", "injury")),
        ("a stab wound to my thigh", ("trigger", "injury")),
    ],
)
def test_a_stab_of_pain_is_pain_and_a_stab_wound_an_injury(
    text: str, value: tuple
) -> None:
    values = {(e["entity"], e["value"]) for e in SymptomMatcher().extract(text)}
    assert value in values
    assert (
        len({v for v in values if v in {("symptom", "pain"), ("trigger", "injury")}})
        == 1
    )
