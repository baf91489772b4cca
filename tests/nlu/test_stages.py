"""The NLU stages: findings, roles, attribution rules, schemas and failing closed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from parsed import facts_of

from bot.nlu import attribution, clauses, context
from bot.nlu.extraction import SymptomMatcher, get_matcher
from bot.nlu.pipeline import NluPipeline, get_pipeline
from bot.nlu.rule_files import RuleFileError
from bot.nlu.screening import all_red_flags, screen_entities, screen_text


# ---------------------------------------------------------------- attribution
def test_a_hand_used_as_a_measure_is_no_site() -> None:
    facts = facts_of("the numb patch on my shin is about the size of my hand")
    assert ("body_part", "hand") not in facts
    assert ("body_part", "shin") in facts


@pytest.mark.parametrize(
    "text",
    ["both legs, it came on suddenly", "my left leg", "just one leg, after sitting"],
)
def test_a_leg_word_in_a_message_with_no_symptom_names_the_side(text: str) -> None:
    facts = facts_of(text)
    assert ("body_part", "whole_leg") not in facts
    assert any(entity == "side" for entity, _ in facts)


@pytest.mark.parametrize(
    "text",
    ["both my legs are numb", "the whole left leg", "my left leg, it feels weak"],
)
def test_a_leg_word_with_a_symptom_or_said_whole_is_a_site(text: str) -> None:
    assert ("body_part", "whole_leg") in facts_of(text)


def test_plural_legs_with_no_side_may_be_both_until_told_failing_and_climbing() -> None:
    unsure = "i fell and my legs are numb"
    assert ("side", "both") not in facts_of(unsure)
    assert ("side", "both") in facts_of(unsure, "possible")
    climbing = "my legs turned to jelly and now it is creeping up past my waist"
    assert ("side", "both") in facts_of(climbing)
    assert "rapid_weakness" in screen_text(climbing).definite
    wholly = "then he slumped forward and now he cant feel his legs at all"
    assert ("side", "both") in facts_of(wholly)
    assert "rapid_weakness" in screen_text(wholly).definite
    assert ("side", "both") not in facts_of("i cant feel my legs at allotments")
    limbs = "she just woke up and her legs and arms wont do what she tells them"
    assert ("side", "both") in facts_of(limbs)
    assert "rapid_weakness" in screen_text(limbs).definite


def test_plural_legs_failing_on_a_day_told_today_are_both_legs() -> None:
    today = "this morning his legs feel too weak to hold him up"
    assert ("side", "both") in facts_of(today)
    assert "rapid_weakness" in screen_text(today).definite
    spell = "my legs have been weak for 20 minutes"
    assert ("side", "both") not in facts_of(spell)


def test_feet_called_wrecked_are_no_injury() -> None:
    assert ("trigger", "injury") not in facts_of("my feet are wrecked and numb")


def test_a_person_dragging_through_a_tired_month_has_no_foot_drop() -> None:
    assert ("symptom", "foot_drop") not in facts_of(
        "ive been dragging all month, feet numb"
    )
    assert ("symptom", "foot_drop") in facts_of("his left foot is dragging and numb")


def test_a_sport_brace_is_no_cast() -> None:
    text = "i wear a knee brace for five-a-side and my feet tingle after games"
    assert ("trigger", "cast") not in facts_of(text)
    assert ("trigger", "cast") not in facts_of(text, "possible")


@pytest.mark.parametrize(
    "text",
    [
        "doc says torn ligaments, rest and elevate or wear a boot cast. my foot loses "
        "feeling when i kneel",
        "the doctor told me to wear a brace, my foot is numb",
        "i might need a cast, my foot is numb",
    ],
)
def test_a_cast_offered_or_advised_is_not_worn(text: str) -> None:
    assert ("trigger", "cast") not in facts_of(text)
    assert "tight_cast" not in screen_text(text).definite
    assert ("trigger", "cast") in facts_of("my leg is in a cast and my toes are numb")


def test_a_sticking_plaster_or_a_medicine_patch_is_no_cast() -> None:
    text = "he put a medicated plaster on it and his calf is still numb"
    assert ("trigger", "cast") not in facts_of(text)
    assert ("trigger", "cast") in facts_of("my leg is in plaster and my toes are numb")


def test_sat_for_saturday_is_no_sitting() -> None:
    assert ("trigger", "sitting") not in facts_of("sat i took a knee to the thigh")
    assert ("trigger", "sitting") not in facts_of("on sat my foot went numb")
    assert ("trigger", "sitting") in facts_of("i sat on my foot and it went numb")


def test_an_injury_told_yrs_ago_is_past() -> None:
    assert ("trigger", "injury") not in facts_of("i hurt my back 10 yrs ago, feet numb")


def test_a_cast_with_nothing_under_it_is_only_possible() -> None:
    text = "my ankle is in a cast since friday"
    assert ("trigger", "cast") not in facts_of(text)
    assert ("trigger", "cast") in facts_of(text, "possible")
    assert screen_text(text).possible == ("tight_cast",)


def test_a_cast_with_numbness_under_it_is_a_fact() -> None:
    assert ("trigger", "cast") in facts_of("my foot is numb inside the cast")


def test_a_boot_the_person_takes_off_is_a_support_asked_about_not_a_cast() -> None:
    told = "im in a walking boot, my toes tingle"
    assert screen_text(told).definite == ("tight_cast",)
    # a removal told two sentences away is another thing taken off
    far = "i take it off at night. the shop was shut. im in a walking boot, toes tingle"
    assert screen_text(far).definite == ("tight_cast",)
    for removable in (
        "im in a walking boot and can take the foot out, my toes tingle",
        "im in a walking boot, my toes tingle but it eases when i take it off",
        "im in a walking boot. my toes tingle, it eases when i take it off",
        "my toes tingle. im in a walking boot. it eases when i take it off",
    ):
        assert ("trigger", "cast") not in facts_of(removable)
        assert screen_text(removable).definite == ()
        assert screen_text(removable).possible == ("tight_cast",)


def test_an_arm_with_no_symptom_of_its_own_is_a_possible_cue() -> None:
    text = "my left leg is numb and i was carrying the shopping in my left arm"
    assert ("body_part", "arm") in facts_of(text, "possible")
    assert screen_text(text).definite == ()


def test_a_bare_list_of_body_words_joins_the_symptom_before_it() -> None:
    text = "suddenly my whole right side went numb, arm and leg"
    assert ("body_part", "arm") in facts_of(text)
    assert "stroke_signs" in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "her face and her left leg went numb",
        "suddenly my face and my right leg went numb",
        "then the next day the right side of my face and my right leg went numb",
        "later that day my left arm and my left leg went weak",
        "my left leg has gone numb. my left arm feels a bit like that too",
        "my left leg has gone numb and now my left arm is doing the same",
    ],
)
def test_a_list_opened_by_a_time_phrase_or_told_the_same_has_the_symptom(
    text: str,
) -> None:
    assert "stroke_signs" in screen_text(text).definite


def test_a_hand_that_touches_or_a_face_that_leads_is_no_site() -> None:
    assert ("body_part", "hand") not in facts_of(
        "my left shin feels numb when my hand is touching it"
    )
    assert ("body_part", "face") not in facts_of(
        "both my legs gave way and i fell face down on the floor"
    )


def test_a_face_with_no_nerve_symptom_of_its_own_is_only_possible() -> None:
    text = "i have sores on my face and my right foot tingles"
    assert ("body_part", "face") not in facts_of(text)
    assert screen_text(text).definite == ()


def test_a_cast_that_came_off_is_past_in_the_whole_message() -> None:
    text = "they cut off my cast yesterday. the cast left marks and my shin tingles"
    assert ("trigger", "cast") not in facts_of(text)
    assert ("trigger", "cast") not in facts_of(text, "possible")
    assert screen_text(text).definite == ()
    new_cast = "my new cast is tight and my toes are numb"
    assert "tight_cast" in screen_text(new_cast).definite


@pytest.mark.parametrize(
    "text",
    [
        "my legs fell asleep on the bus and i couldnt move them, then they woke up",
        "i was paralysed for a second when i stood, then it let go",
        "i suddenly couldnt move my leg, then i shifted and it was fine again",
    ],
)
def test_a_paralysis_that_passed_is_only_possible(text: str) -> None:
    screen = screen_text(text)
    assert "rapid_weakness" not in screen.definite
    assert "rapid_weakness" in screen.possible


def test_a_paralysis_after_a_fine_start_stays_definite() -> None:
    text = "i was fine this morning and now i cant move my legs"
    assert "rapid_weakness" in screen_text(text).definite


# ---------------------------------------------------------------- context
def test_an_event_years_ago_with_no_symptom_in_its_clause_is_past() -> None:
    text = "10 years ago i fell off my bike onto my leg. my calf has a numb spot"
    assert ("trigger", "injury") in facts_of(text, "past")
    assert screen_text(text).definite == ()


def test_a_feared_future_is_no_fact() -> None:
    text = "my calf tingles and im scared im going to get paralysis"
    assert ("symptom", "paralysis") not in facts_of(text)
    assert screen_text(text).definite == ()


@pytest.mark.parametrize(
    "text",
    [
        "my feet go numb in lotus and now im scared ill collapse in front of everyone",
        "my toes tingle and im afraid my legs will give out",
    ],
)
def test_a_fear_of_what_will_happen_is_no_fact(text: str) -> None:
    assert ("symptom", "weakness") not in facts_of(text)


def test_i_am_afraid_as_unfortunately_keeps_the_fact() -> None:
    assert ("sensation", "numbness") in facts_of("im afraid my legs have gone numb")


def test_an_old_injury_is_past_not_present() -> None:
    text = "i hurt my back years ago, now my feet tingle"
    assert ("trigger", "injury") in facts_of(text, "past")
    assert ("trigger", "injury") not in facts_of(text)
    assert ("sensation", "tingling") in facts_of(text)


def test_a_duration_ago_is_the_symptoms_onset_not_the_past() -> None:
    assert ("sensation", "numbness") in facts_of("my toes went numb 2 years ago")


def test_a_hypothetical_is_no_fact() -> None:
    text = "what if my face goes numb? right now it's just my calf"
    assert ("body_part", "face") not in facts_of(text)
    assert screen_text(text).definite == ()


def test_someone_elses_story_adds_the_experiencer_and_keeps_theirfacts_of() -> None:
    result = get_pipeline().parse("my dad's left arm and left leg went numb")
    values = {(e["entity"], e["value"]) for e in result.entities}
    assert ("experiencer", "other") in values
    assert ("body_part", "arm") in values
    assert any(f["experiencer"] == "other" for f in result.findings)


def test_my_own_leg_in_someone_elses_words_is_mine() -> None:
    result = get_pipeline().parse("my husband says my leg looks pale")
    assert "experiencer" not in {e["entity"] for e in result.entities}


@pytest.mark.parametrize(
    "text",
    [
        "suddenly i couldnt move my leg. he got on the floor, couldnt move it either",
        "my mum's feet went numb last year and now my own toes are tingling",
    ],
)
def test_a_story_of_my_own_symptoms_stays_mine_beside_someone_else(text: str) -> None:
    result = get_pipeline().parse(text)
    assert "experiencer" not in {e["entity"] for e in result.entities}


# ---------------------------------------------------------------- findings
def test_facts_of_one_finding_share_a_group() -> None:
    result = get_pipeline().parse("my left foot is numb. my right knee hurts")
    groups = {(e["entity"], e["value"]): e["group"] for e in result.entities}
    assert groups[("body_part", "foot")] == groups[("sensation", "numbness")]
    assert groups[("body_part", "knee")] == groups[("symptom", "pain")]
    assert groups[("body_part", "foot")] != groups[("body_part", "knee")]
    first = result.findings[groups[("body_part", "foot")]]
    assert first["symptoms"] == ["numbness"] and first["sides"] == ["left"]


# ---------------------------------------------------------------- schemas
@pytest.mark.parametrize(
    ("module", "loader", "data", "needle"),
    [
        (
            attribution,
            "load_attribution_rules",
            {"casts": {"hard": ["cast"], "hardd": []}},
            "casts: unknown key(s) ['hardd']",
        ),
        (
            attribution,
            "load_attribution_rules",
            {"implied": [{"phrases": ["x"], "facts": ["a:b"], "fact": 1}]},
            "implied[0]: unknown key(s) ['fact']",
        ),
        (
            context,
            "load_context_rules",
            {"rules": [{"literal": "x", "category": "PAST", "scope": 3}]},
            "rules[0]: unknown key(s) ['scope']",
        ),
        (
            context,
            "load_context_rules",
            {"rules": [{"literal": "x", "category": "PASTT"}]},
            "unknown category 'PASTT'",
        ),
        (clauses, "load_clause_rules", {"breaks": [], "brakes": []}, "'brakes'"),
    ],
)
def test_an_unknown_key_fails_at_load_naming_file_rule_and_key(
    tmp_path: Path, module, loader, data, needle
) -> None:
    path = tmp_path / "rules.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(RuleFileError) as error:
        getattr(module, loader)(path)
    assert "rules.yml" in str(error.value) and needle in str(error.value)


def test_an_unknown_key_in_patterns_fails() -> None:
    with pytest.raises(RuleFileError, match=r"inability\.rules"):
        SymptomMatcher(patterns={"inability": {"rules": [{"verb": ["walk"]}]}})


# ---------------------------------------------------------------- fail closed
class _Broken:
    def __getattr__(self, name):
        raise RuntimeError("broken stage")


def test_a_crash_after_matching_keeps_every_fact() -> None:
    pipeline = NluPipeline(get_matcher())
    pipeline.attributor = _Broken()
    result = pipeline.parse("i wear a knee brace and my left arm is fine")
    assert result.failed == "attribution"
    assert ("trigger", "cast") in {(e["entity"], e["value"]) for e in result.entities}


def test_a_crash_in_matching_asks_about_every_red_flag() -> None:
    pipeline = NluPipeline(get_matcher())
    pipeline.matcher = _Broken()
    result = pipeline.parse("anything")
    assert result.failed == "matching"
    screen = screen_entities(result.entities, failed=bool(result.failed))
    assert screen.definite == () and set(screen.possible) == set(all_red_flags())


def test_while_after_a_is_a_noun_not_a_clause_break() -> None:
    pipeline = get_pipeline()
    doc, _ = pipeline.matcher.read("a while back i came off my horse, but i am fine")
    assert len(clauses.split_clauses(doc)) == 2
    assert ("trigger", "injury") in facts_of("a while back i came off my horse", "past")


def test_a_red_flag_negated_from_outside_its_clause_is_only_possible() -> None:
    pipeline = get_pipeline()
    doc, _ = pipeline.matcher.read("my speech is slurred")
    clauses_ = clauses.split_clauses(doc)
    from bot.nlu.findings import Item

    items = [Item("symptom", "speech_problem", 3, 10, 1, 2, negated=True)]
    findings = pipeline.attributor.build(doc, clauses_, items, {}, set())
    assert items[0].role == "possible" and not items[0].negated
    assert findings[0].to_dict()["possible"] == ["symptom:speech_problem"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("taking a couple days off work to see my nurse", []),
        ("had a week off and my feet are numb", []),
        ("my toes have been numb for 2 days", ["P2D"]),
    ],
)
def test_days_off_work_are_no_symptom_duration(text: str, found: list) -> None:
    from bot.nlu.durations import find_durations

    assert [value for value, _, _ in find_durations(text)] == found


@pytest.mark.parametrize(
    "text, flag",
    [
        ("could this be a blood clot in my leg?", "acute_limb_ischemia"),
        ("my leg feels odd, am i having a stroke?", "stroke_signs"),
        ("what is going on? is it a stroke?", "stroke_signs"),
    ],
)
def test_a_named_dangerous_cause_asks_its_red_flag_check(text: str, flag: str) -> None:
    assert flag in screen_text(text).possible


def test_a_question_about_what_a_cause_is_is_no_worry() -> None:
    assert screen_text("what is a stroke?").possible == ()


@pytest.mark.parametrize(
    "text",
    [
        "my left calf is numb. my right thumb tingles as well",
        "my feet burn at night and my left hand goes numb now and then",
    ],
)
def test_an_arm_on_the_other_side_from_the_legs_is_no_stroke_sign(text: str) -> None:
    assert ("body_part", "hand") not in facts_of(text)
    assert "stroke_signs" not in screen_text(text).definite


def test_an_arm_on_the_same_side_as_the_leg_stays_a_stroke_sign() -> None:
    text = "my left leg went numb an hour ago. my left hand is numb too"
    assert "stroke_signs" in screen_text(text).definite


def test_a_night_that_opens_the_change_dates_it() -> None:
    from bot.nlu.durations import find_durations

    text = "overnight he said his legs felt strange and his toes had gone numb"
    assert [value for value, _, _ in find_durations(text)] == ["P1D"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("gradual, over weeks", ["P2W"]),
        ("months, worse lately", ["P3M"]),
        ("longstanding, inherited", ["P2Y"]),
        ("my left leg, since my stroke years ago", ["P2Y"]),
        ("since mum died a few months ago hes been tingly", ["P3M"]),
        ("she has a long standing heart condition and her leg went numb", []),
    ],
)
def test_a_reply_of_a_bare_unit_or_an_age_old_start_is_its_time(
    text: str, found: list
) -> None:
    from bot.nlu.durations import find_durations

    assert [value for value, _, _ in find_durations(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("woke at 3:50 and i could not feel my left leg", ["PT3H"]),
        ("got up about 1am and my left leg felt like it had gone to sleep", ["PT3H"]),
        ("every night at 3am my legs tingle", []),
        ("my appointment is at 2pm, my leg is numb", []),
    ],
)
def test_a_clock_time_that_starts_the_change_dates_it_hours_ago(
    text: str, found: list
) -> None:
    from bot.nlu.durations import find_durations

    assert [value for value, _, _ in find_durations(text)] == found


def test_a_real_word_near_a_vocabulary_word_is_not_rewritten() -> None:
    text = "my feet went numb, a stone got stuck in my shoe"
    assert ("trigger", "injury") not in facts_of(text)


@pytest.mark.parametrize(
    "text, found",
    [
        ("my toes went numb in march, by june i still could not feel them", ["P3M"]),
        ("numb from november right through to february", ["P3M"]),
        ("numb for 2 weeks, it started in july and got worse in august", ["P2W"]),
    ],
)
def test_a_story_between_two_named_months_lasts_the_months_between(
    text: str, found: list
) -> None:
    from bot.nlu.durations import find_durations

    assert [value for value, _, _ in find_durations(text)] == found


@pytest.mark.parametrize(
    "text, found",
    [
        ("numb since june", ["P6M"]),
        ("it may be nothing, my foot went numb in july", ["P5M"]),
        ("he had a stroke back in march and his leg is still weak", ["P9M"]),
        ("numb since december", ["P2W"]),
        # a plan is no start, and a month still to come was last year's
        ("my mri is in march", []),
        ("my appointment is booked in january", []),
    ],
)
def test_one_named_month_dates_the_story_from_today(text: str, found: list) -> None:
    from datetime import date

    from bot.nlu.durations import find_durations

    today = date(2026, 12, 4)
    assert [value for value, _, _ in find_durations(text, today)] == found
    assert find_durations("numb since december", date(2026, 4, 10))[0][0] == "P4M"


@pytest.mark.parametrize(
    "text",
    [
        "when he tried to stand his legs went and he fell",
        "my legs just went.",
        "my legs just went",
    ],
)
def test_legs_that_simply_went_gave_way(text: str) -> None:
    assert ("symptom", "weakness") in facts_of(text)


@pytest.mark.parametrize(
    "text", ["my leg just went numb", "my legs went cold and tingly"]
)
def test_legs_that_went_into_a_feeling_name_only_that_feeling(text: str) -> None:
    assert ("symptom", "weakness") not in facts_of(text)


def test_weeks_of_tingling_then_legs_that_went_today_is_screened_at_once() -> None:
    text = (
        "my feet keep falling asleep and my hands are tingly. today i fell over "
        "walking because my legs just went"
    )
    assert "rapid_weakness" in screen_text(text).definite


def test_a_cough_is_no_couch() -> None:
    assert ("trigger", "sitting") not in facts_of("a bad cough and numb feet")


@pytest.mark.parametrize(
    "text",
    [
        "carrying a heavy bag",
        "my old floppy running shoes",
        "a dead battery",
        "sat on a wobbly chair",
        "i can barely get my shoes off",
    ],
)
def test_a_symptom_word_said_of_a_thing_is_no_symptom(text: str) -> None:
    assert not [f for f in facts_of(text) if f[0] in ("sensation", "symptom")]


@pytest.mark.parametrize(
    "text, fact",
    [
        ("heavy legs and a heavy bag", ("sensation", "heaviness")),
        ("a numb patch on my shin", ("sensation", "numbness")),
        ("i couldnt get off the chair", ("symptom", "weakness")),
        ("cant hold my phone", ("symptom", "weakness")),
    ],
)
def test_a_symptom_word_of_the_body_or_a_task_needing_the_thing_stays(
    text: str, fact: tuple
) -> None:
    assert fact in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "the pills he got stopped working and he is up at night",
        "injections stopped working. this month it got unbearable",
    ],
)
def test_a_treatment_that_stopped_working_is_no_paralysis(text: str) -> None:
    assert ("symptom", "paralysis") not in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "her right leg had just stopped working",
        "took my tablets and then my legs stopped working",
        "the arm and the leg, just stopped working",
    ],
)
def test_a_limb_that_stopped_working_after_a_treatment_word_stays(text: str) -> None:
    assert ("symptom", "paralysis") in facts_of(text)


@pytest.mark.parametrize(
    "text", ["it goes away after a few minutes", "wears off after about 15 mins"]
)
def test_a_spell_that_passes_within_minutes_is_resolved_and_timed(text: str) -> None:
    result = get_pipeline().parse(text)
    facts = facts_of(text)
    assert ("course", "resolved") in facts
    assert any(
        e["entity"] == "duration" and e["value"].startswith("PT")
        for e in result.entities
    )


@pytest.mark.parametrize(
    "text",
    [
        "do i just wait for it to wear off",
        "will it go away?",
        "will it wear off after a while?",
        "will it get worse?",
        "is it going to go away on its own",
    ],
)
def test_a_question_whether_it_will_pass_or_turn_is_no_course(text: str) -> None:
    assert not [f for f in facts_of(text) if f[0] == "course"]


def test_numb_like_an_anaesthetic_is_no_operation() -> None:
    facts = facts_of("my legs go totally numb, like a dentist anaesthetic")
    assert ("condition", "recent_surgery") not in facts
    assert ("condition", "recent_surgery") in facts_of("numb since the anaesthetic")


@pytest.mark.parametrize(
    "text, fact",
    [
        ("took the overnight bus and my bum went numb", ("trigger", "sitting")),
        ("off the bus now and its basically gone", ("course", "resolved")),
    ],
)
def test_a_night_on_a_bus_is_sitting_and_basically_gone_is_gone(
    text: str, fact: tuple
) -> None:
    facts = facts_of(text)
    assert fact in facts
    assert ("onset", "sudden") not in facts


@pytest.mark.parametrize(
    "text",
    [
        "how long is normal for an epidural to wear off??",
        "i kept thinking it would wear off",
    ],
)
def test_a_passing_wished_for_is_not_told(text: str) -> None:
    assert ("course", "resolved") not in facts_of(text)


def test_a_symptom_like_that_for_years_has_lasted_years() -> None:
    result = get_pipeline().parse("a bit numb on top but its been like that for years")
    assert any(
        e["entity"] == "duration" and e["value"].endswith("Y") for e in result.entities
    )


@pytest.mark.parametrize(
    "text, has_duration",
    [
        ("hes been getting a weird tingling in both feet for a while", True),
        ("for a while now my legs go numb", True),
        ("my leg was numb for a while after sitting", False),
        ("ive been sitting for a while and now my legs are numb", False),
        ("ive had foot drop on the left for a long time now", True),
        ("my legs are getting weaker by the hour", True),
        ("i had been sitting for a long time and my foot went numb", False),
    ],
)
def test_a_while_is_weeks_only_as_the_symptoms_own_time(
    text: str, has_duration: bool
) -> None:
    result = get_pipeline().parse(text)
    assert any(e["entity"] == "duration" for e in result.entities) is has_duration


@pytest.mark.parametrize(
    "text, kept, dropped",
    [
        ("i broke my left ankle, now my right leg is numb", "right", "left"),
        ("my left leg is numb. my right leg too", "right", None),
        ("fell on my left side, my left leg is numb", "left", None),
        (
            "my left arm and leg have no feeling. had to use my right side to sit up",
            "left",
            "right",
        ),
    ],
)
def test_the_side_of_an_injury_with_no_symptom_is_not_the_symptoms_side(
    text: str, kept: str, dropped: str
) -> None:
    facts = facts_of(text)
    assert ("side", kept) in facts
    if dropped:
        assert ("side", dropped) not in facts


@pytest.mark.parametrize(
    "text",
    ["over recent months my legs have got weaker", "my feet have been numb for ages"],
)
def test_recent_months_and_ages_are_months(text: str) -> None:
    result = get_pipeline().parse(text)
    assert [e["value"] for e in result.entities if e["entity"] == "duration"] == ["P3M"]


def test_a_lie_down_wished_for_is_no_position() -> None:
    text = "he just collapsed, his legs wouldnt hold him. he just wants a lie down"
    assert ("trigger", "lying") not in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite


@pytest.mark.parametrize(
    "text, value",
    [
        ("minutes", "PT3M"),
        ("passed within minutes", "PT3M"),
        ("a few days", "P3D"),
        ("for weeks", "P2W"),
    ],
)
def test_a_bare_unit_answers_how_long(text: str, value: str) -> None:
    result = get_pipeline().parse(text)
    assert [e["value"] for e in result.entities if e["entity"] == "duration"] == [value]


@pytest.mark.parametrize(
    "text",
    ["i assumed it was a muscle strain", "figured its just a sprain"],
)
def test_an_injury_guessed_as_the_explanation_is_no_injury(text: str) -> None:
    assert ("trigger", "injury") not in facts_of(text)


@pytest.mark.parametrize(
    "text",
    ["i thought it was fine, then i fell down the stairs", "i sprained my ankle"],
)
def test_an_injury_told_stays(text: str) -> None:
    assert facts_of(text) & {("trigger", "injury"), ("trigger", "limb_injury")}


@pytest.mark.parametrize(
    "text, kept, dropped",
    [
        (
            "been foggy and tired for about two weeks. since yesterday his left arm "
            "feels heavy",
            "P1D",
            "P2W",
        ),
        (
            "she was discharged 2 weeks ago. the last few days her legs are weak",
            "P3D",
            None,
        ),
        ("my feet are numb, it's been like that for three weeks", "P3W", None),
        (
            "some days he stands 3-4 hours straight. his legs have ached on and off "
            "for years",
            "P2Y",
            "PT4H",
        ),
        (
            "he has fallen several times in the last couple of years. his feet have "
            "been numb for a while",
            "P2Y",
            None,
        ),
    ],
)
def test_a_length_told_of_nothing_the_bot_knows_is_not_the_symptoms_time(
    text: str, kept: str, dropped: str
) -> None:
    durations = {
        e["value"]
        for e in get_pipeline().parse(text).entities
        if e["entity"] == "duration" and not e.get("role")
    }
    assert kept in durations
    if dropped:
        assert dropped not in durations


def test_legs_weak_by_the_day_are_getting_worse() -> None:
    facts = facts_of("my legs feel weaker every day")
    assert {("symptom", "weakness"), ("course", "worsening")} <= facts
    assert ("course", "worsening") not in facts_of(
        "my left leg feels weaker than my right"
    )


def test_legs_failing_suddenly_after_feet_numb_on_and_off_are_both_legs() -> None:
    text = (
        "since march my feet go numb on and off. since thursday my legs suddenly got "
        "really weak"
    )
    assert ("side", "both") in facts_of(text)


def test_a_cold_illness_is_no_cold_feeling_but_a_cold_feeling_is() -> None:
    assert ("sensation", "coldness") not in facts_of(
        "i had a chest cold and now my feet tingle"
    )
    assert ("sensation", "coldness") in facts_of(
        "i have a cold feeling in my left foot"
    )


@pytest.mark.parametrize(
    "text",
    [
        "i kneel in seiza for an hour and my legs go dead",
        "sitting cross-legged my left foot goes numb",
        "i just cant do seiza, my legs go numb",
    ],
)
def test_sitting_with_the_legs_folded_is_crossed_legs(text: str) -> None:
    assert ("trigger", "crossed_legs") in facts_of(text)


def test_a_side_a_feeling_ran_down_may_be_a_stroke_until_a_symptom_is_told() -> None:
    image = "it felt like warm water poured over my head and down my left side"
    assert "stroke_signs" in screen_text(image).possible
    told = "a numb patch that spread down my left side and into my leg"
    assert "stroke_signs" in screen_text(told).definite


def test_legs_he_cannot_feel_may_be_both_legs() -> None:
    text = "he pulled his back at the gym, now he cant feel his legs properly"
    assert "rapid_weakness" in screen_text(text).possible


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("now and then my words come out jumbled", ("symptom", "speech_problem")),
        (
            "and now she has started leaking wee",
            ("symptom", "bladder_bowel_dysfunction"),
        ),
        ("my left leg just wouldnt do what i told it", ("symptom", "weakness")),
    ],
)
def test_lay_words_for_red_flag_symptoms(text: str, fact: tuple) -> None:
    assert fact in facts_of(text)


def test_a_strained_back_is_back_pain_not_an_injury() -> None:
    facts = facts_of("two days ago i strained my back, now my left leg drags")
    assert ("symptom", "back_pain") in facts
    assert ("trigger", "injury") not in facts


def test_a_back_that_gives_out_is_back_pain_and_a_leg_that_has_given_out_is_weak() -> (
    None
):
    back = facts_of("on the drive my lower back gives out and my legs tingle")
    assert ("symptom", "back_pain") in back
    assert ("symptom", "weakness") not in back
    assert ("symptom", "weakness") in facts_of("my left leg has given out on me twice")


@pytest.mark.parametrize(
    "text",
    ["my left leg keeps going numb", "my foot keeps going to sleep at night"],
)
def test_a_state_that_keeps_coming_back_comes_and_goes(text: str) -> None:
    assert ("onset", "intermittent") in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "my left leg went numb and i had to keep going down the road",
        "the pain keeps going, only lying flat helps",
    ],
)
def test_keeping_going_is_no_spell(text: str) -> None:
    assert ("onset", "intermittent") not in facts_of(text)


def test_of_several_possible_red_flags_the_most_told_is_asked_first() -> None:
    text = (
        "got rolled over awkward and my neck got squashed. i was ok after. "
        "later for a bit i couldnt feel or move anything from the neck down. then "
        "out of nowhere it all came back"
    )
    possible = screen_text(text).possible
    assert possible[0] == "spinal_injury", possible


@pytest.mark.parametrize(
    "text",
    [
        "the feeling came back everywhere except my feet, both still totally numb",
        "mostly back to normal now apart from my left foot",
        "the feeling came back after a few minutes but hes still dragging it a bit",
    ],
)
def test_a_passing_with_an_exception_is_no_passing(text: str) -> None:
    assert ("course", "resolved") not in facts_of(text)


def test_a_passing_with_an_exception_in_the_next_sentence_is_still_a_passing() -> None:
    assert ("course", "resolved") in facts_of(
        "the feeling came back after a few minutes. everything is fine except my back"
    )


@pytest.mark.parametrize(
    "text",
    ["that calf looks a bit thinner too", "her left calf is thinner than the right"],
)
def test_a_thinner_limb_is_no_paint_thinner(text: str) -> None:
    assert ("condition", "solvent_exposure") not in facts_of(text)
    assert ("condition", "solvent_exposure") in facts_of(
        "i used paint thinner all day and now my feet tingle"
    )


def test_a_spell_a_slow_walk_sorts_out_has_passed_and_came_on_no_slower() -> None:
    facts = facts_of(
        "when i stand up my legs are dead for a minute, a slow walk about sorts it out"
    )
    assert {("course", "resolved"), ("trigger", "movement_relief")} & facts
    assert ("onset", "gradual") not in facts


def test_a_sore_throat_before_is_no_pain_and_its_date_no_symptoms() -> None:
    text = "had a sore throat 2 weeks ago, today my legs feel weak and numb"
    assert ("symptom", "pain") not in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite


def test_a_change_in_temperature_is_no_fever() -> None:
    assert ("symptom", "fever") not in facts_of(
        "it comes on quickly with cold or a temperature change"
    )
    assert ("symptom", "fever") in facts_of("i have a temperature and my back hurts")


def test_a_conditions_flare_is_no_spell_of_the_saddle_numbness() -> None:
    text = (
        "sciatica flared again this week and now i cant really feel the paper "
        "when i wipe"
    )
    assert screen_text(text).definite == ("bladder_bowel_saddle",)
    spell = "on the bike it flares up, i cant feel the paper when i wipe after a ride"
    assert "bladder_bowel_saddle" not in screen_text(spell).definite


def test_a_ride_told_of_the_past_is_no_spell_of_the_saddle_numbness() -> None:
    text = (
        "years ago i had a motorbike accident. now my legs are weak and the area i "
        "sit on is numb"
    )
    assert screen_text(text).definite == ("bladder_bowel_saddle",)
    ride = "went on a long bike ride yesterday and now down there is numb"
    assert screen_text(ride).possible == ("bladder_bowel_saddle",)


def test_a_stress_flare_is_still_a_spell_of_the_paralysis() -> None:
    text = (
        "my legs went numb and sort of paralysed again today, "
        "same as my usual flare after a stressful week"
    )
    screen = screen_text(text)
    assert screen.definite == () and "rapid_weakness" in screen.possible


def test_a_tight_wrap_over_a_symptom_told_apart_is_the_cast_red_flag() -> None:
    text = "they wrapped my knee up really tight, now my foot is all pins and needles"
    assert screen_text(text).definite == ("tight_cast",)
    loose = "my knee is strapped up for football and my foot tingles"
    assert "tight_cast" not in screen_text(loose).definite


def test_a_cast_with_its_symptoms_denied_asks_nothing_unless_told_tight() -> None:
    comfy = "leg is in a cast and honestly its comfy, toes pink and wiggly, no pain"
    assert screen_text(comfy) == screen_text("toes pink and wiggly, no pain")
    tight = "my cast feels tight but there is no numbness"
    assert screen_text(tight).possible == ("tight_cast",)


@pytest.mark.parametrize(
    "text",
    [
        "if her leg ever went cold and white all of a sudden, what should we do?",
        "i read that a bad virus can cause paralysis, my legs are fine though",
        "got myself in a right state about my tingly toes",
        "ive read if it spreads with headaches, paralysis or eyesight problems you "
        "should worry",
    ],
)
def test_a_sign_wondered_about_or_a_word_near_one_asks_nothing(text: str) -> None:
    screen = screen_text(text)
    assert screen.definite == () and screen.possible == (), screen
