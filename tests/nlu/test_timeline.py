"""The timeline stage: events, courses and onsets attributed to what they govern.

Each test is a class of wording, with a benign reading and the dangerous one it
must not swallow.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from parsed import facts_of

from bot.nlu import timeline
from bot.nlu.rule_files import RuleFileError
from bot.nlu.screening import screen_text


# ------------------------------------------------------------ dated events
@pytest.mark.parametrize(
    "text",
    [
        "numb patch since an injury 24 years ago",
        "my calf has been numb ever since i hurt it years ago",
        "i have had numb feet since my back surgery in 1993",
    ],
)
def test_a_dated_event_stays_past_next_to_a_symptom_that_lasts(text: str) -> None:
    present = facts_of(text)
    assert ("trigger", "injury") not in present
    assert ("condition", "recent_surgery") not in present
    assert present & {("sensation", "numbness"), ("body_part", "foot")}


def test_a_recent_event_stays_present() -> None:
    assert ("trigger", "injury") in facts_of(
        "my leg has been numb since my fall 2 weeks ago"
    )


# ---------------------------------------------------------- consequences
def test_a_fall_the_failing_leg_caused_is_no_injury() -> None:
    text = "my leg went numb, gave way and i fell"
    assert ("trigger", "injury") not in facts_of(text)


def test_a_fall_that_hit_something_stays_an_injury() -> None:
    text = "my leg gave way and i fell and hit my back, now both legs are numb"
    assert ("trigger", "injury") in facts_of(text)
    assert "spinal_injury" in screen_text(text).definite


def test_a_fall_told_as_the_start_stays_an_injury() -> None:
    assert ("trigger", "injury") in facts_of("my leg went numb after i fell")


# ---------------------------------------------------------- message talk
@pytest.mark.parametrize(
    "text",
    [
        "sorry for the typo, i slipped. my left foot is numb",
        "my thumb slipped, i meant my left foot is numb",
    ],
)
def test_injury_words_about_typing_are_no_injury(text: str) -> None:
    assert ("trigger", "injury") not in facts_of(text)


def test_a_real_slip_stays_an_injury() -> None:
    assert ("trigger", "injury") in facts_of("i slipped on the ice and my foot is numb")


# --------------------------------------------------------------- episodes
def test_a_spread_inside_a_spell_that_is_over_is_past() -> None:
    text = (
        "3 hours into the drive my foot went numb creeping up my shin, "
        "fine by the next morning"
    )
    assert ("course", "spreading") in facts_of(text, "past")
    assert ("course", "spreading") not in facts_of(text)


def test_a_spread_that_goes_on_stays_present() -> None:
    text = "my foot went numb and it is creeping up my shin"
    assert ("course", "spreading") in facts_of(text)


def test_a_positional_spell_that_is_over_takes_its_weakness_with_it() -> None:
    text = (
        "kneeling for half an hour, then i couldnt stand up. a couple of minutes "
        "of pins and needles and i was walking fine"
    )
    assert ("symptom", "weakness") not in facts_of(text)


def test_a_sitting_spell_that_goes_on_keeps_its_weakness() -> None:
    text = "sitting on the toilet and all of a sudden i cant even roll over"
    assert ("symptom", "weakness") in facts_of(text)


def test_a_spell_with_a_stroke_sign_keeps_its_onset() -> None:
    text = "suddenly my left arm and left leg went numb, it went away after an hour"
    assert ("onset", "sudden") in facts_of(text)
    assert "stroke_signs" in screen_text(text).definite


# ---------------------------------------------------------- chronic signs
def test_feet_that_are_always_cold_are_a_feeling_not_a_blocked_artery() -> None:
    present = facts_of("my feet are always cold")
    assert ("symptom", "cold_limb") not in present
    assert ("sensation", "coldness") in present


def test_a_foot_that_turned_cold_stays_a_sign() -> None:
    assert ("symptom", "cold_limb") in facts_of("my foot is cold and white")


# --------------------------------------------------------- functional loss
@pytest.mark.parametrize(
    "text",
    [
        "i can barely walk",
        "today i couldnt even get from the car into the clinic",
        "i cant even roll over in bed",
        "my legs wouldnt carry me",
    ],
)
def test_legs_that_fail_at_a_task_are_weakness(text: str) -> None:
    assert ("symptom", "weakness") in facts_of(text)


def test_a_task_pain_prevents_is_no_weakness() -> None:
    text = "i can barely walk because my calf is sore after the marathon"
    present = facts_of(text)
    assert ("symptom", "weakness") not in present
    assert ("symptom", "pain") in present
    assert screen_text(text).definite == ()


def test_the_pain_idiom_is_no_paralysis() -> None:
    present = facts_of("i cant stand the pain in my foot")
    assert ("symptom", "paralysis") not in present
    assert ("symptom", "weakness") not in present


def test_a_functional_loss_after_days_of_tingling_is_rapid_weakness() -> None:
    text = (
        "my hands and feet have been tingly for a couple of days and now i "
        "can barely walk"
    )
    assert ("course", "worsening") in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite


def test_waking_unable_to_walk_came_on_suddenly() -> None:
    text = "pins and needles in my legs for a while, then i woke up and couldnt walk"
    assert ("onset", "sudden") in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite


# ------------------------------------------------------------------ schema
def test_an_unknown_key_in_timeline_yml_fails_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "timeline.yml"
    path.write_text("episodes:\n  values: []\n  endd: []\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"timeline.yml: episodes: .*endd"):
        timeline.load_timeline_rules(path)


def test_an_unknown_section_in_timeline_yml_fails(tmp_path: Path) -> None:
    path = tmp_path / "timeline.yml"
    path.write_text("episode:\n  values: []\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="episode"):
        timeline.load_timeline_rules(path)


# -------------------------------------------------------------- same side
def test_a_hand_with_no_side_of_its_own_is_only_possible() -> None:
    text = (
        "during chemo i got tingles in a couple of fingers and toes, and now two "
        "toes on my left foot are numb"
    )
    assert ("body_part", "hand") in facts_of(text, "possible")
    assert "stroke_signs" not in screen_text(text).definite
    assert "stroke_signs" in screen_text(text).possible


def test_an_arm_on_the_legs_side_stays_a_stroke_sign() -> None:
    text = "my left leg and my left arm are numb"
    assert ("body_part", "arm") in facts_of(text)
    assert "stroke_signs" in screen_text(text).definite


def test_an_arm_that_went_numb_suddenly_stays_a_stroke_sign() -> None:
    text = "my left leg went numb suddenly. my arm feels numb too"
    assert "stroke_signs" in screen_text(text).definite


# ------------------------------------------------- other attributed classes
def test_a_saddle_numbness_that_passes_off_the_bike_is_only_possible() -> None:
    text = "the saddle area goes numb while im riding, all fine once im off the bike"
    assert screen_text(text).definite == ()
    assert "bladder_bowel_saddle" in screen_text(text).possible


def test_a_healing_fracture_is_no_new_injury() -> None:
    text = "the stress fracture is healing but not 100%. my skin is tingling"
    assert ("trigger", "injury") not in facts_of(text)


def test_a_fuzzy_guess_never_makes_an_injury() -> None:
    assert ("trigger", "injury") not in facts_of("someone tickled my numb feet")


def test_a_fall_that_hit_only_the_floor_is_no_injury() -> None:
    assert ("trigger", "injury") not in facts_of("my legs gave out and i hit the floor")


def test_a_fall_that_hit_the_head_stays_an_injury() -> None:
    text = "my leg gave way and i fell and hit my head"
    assert ("trigger", "injury") in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "back in college i broke my leg and since then my shin is numb",
        "when i was 20 i fell off a ladder, my foot has been numb since",
        "in my 30s i was in a car crash and my thigh has been numb ever since",
    ],
)
def test_an_injury_at_a_past_age_is_past(text: str) -> None:
    assert ("trigger", "injury") not in facts_of(text)


def test_heat_told_of_the_legs_is_a_feeling_not_a_fever() -> None:
    present = facts_of("by 40 mins my legs had gone numb then hot and cold")
    assert ("symptom", "fever") not in present
    assert ("sensation", "burning") in present


def test_feeling_hot_and_cold_is_still_a_fever() -> None:
    assert ("symptom", "fever") in facts_of("i feel hot and cold and my legs are numb")


def test_legs_that_dont_work_are_weakness() -> None:
    assert ("symptom", "weakness") in facts_of("she says my legs dont work")


@pytest.mark.parametrize(
    ("module", "loader", "text", "needle"),
    [
        (
            "bot.nlu.functional_loss",
            "load_functional_loss_rules",
            "functional_loss:\n  verb: [walk]\n",
            "functional_loss: unknown key(s) ['verb']",
        ),
        (
            "bot.nlu.same_side",
            "load_same_side_rules",
            "same_side:\n  cue: []\n",
            "same_side: unknown key(s) ['cue']",
        ),
    ],
)
def test_the_story_stages_reject_unknown_keys(
    tmp_path: Path, module: str, loader: str, text: str, needle: str
) -> None:
    import importlib

    path = tmp_path / "rules.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as error:
        getattr(importlib.import_module(module), loader)(path)
    assert "rules.yml" in str(error.value) and needle in str(error.value)


def test_legs_getting_weaker_for_days_then_unable_to_get_up_is_rapid_weakness() -> None:
    text = (
        "my legs have been getting weaker over the last two days and now i cant "
        "get out of bed"
    )
    assert ("course", "worsening") in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite


def test_waking_unable_to_stand_with_both_legs_numb_is_rapid_weakness() -> None:
    text = "woke up this morning and couldnt stand, both legs numb"
    assert ("symptom", "weakness") in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite


def test_not_standing_it_is_no_weakness() -> None:
    assert ("symptom", "weakness") not in facts_of(
        "i cant stand it when my feet tingle"
    )


def test_a_functional_loss_that_passed_is_no_sudden_start() -> None:
    text = (
        "woke up with a dead leg and couldnt walk on it for a minute, then it was fine"
    )
    assert ("onset", "sudden") not in facts_of(text)
    assert screen_text(text).definite == ()


def test_a_functional_loss_after_exercise_with_pain_is_trouble_walking() -> None:
    text = "after the marathon yesterday my calves are killing me and i can barely walk"
    present = facts_of(text)
    assert ("symptom", "weakness") not in present
    assert ("symptom", "gait_problem") in present


def test_waking_to_a_leg_that_would_not_hold_is_sudden() -> None:
    text = "this morning i woke up and my right leg wouldnt hold me, it is still weak"
    assert ("onset", "sudden") in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite


def test_an_ago_of_an_event_dates_the_event_when_the_symptom_has_a_time() -> None:
    text = (
        "had surgery on my leg about a month ago. this evening all of a sudden i "
        "cant feel my legs and i cant even roll over"
    )
    assert ("duration", "P1M") not in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite


def test_an_ago_of_an_illness_dates_the_illness_when_the_symptom_has_a_time() -> None:
    assert ("duration", "P3W") not in facts_of(
        "3 weeks ago i saw my doctor for a chest cold. now my toes are tingling"
    )


@pytest.mark.parametrize(
    "text",
    [
        "3 weeks ago i had a stomach bug and since then my toes tingle, worse today",
        "it started 3 weeks ago like a flu, now my toes are tingling",
    ],
)
def test_an_illness_the_symptom_is_told_since_has_its_date(text: str) -> None:
    assert ("duration", "P3W") in facts_of(text)


def test_a_stroke_sign_in_a_story_told_only_as_slow_is_only_possible() -> None:
    slow = (
        "about two years ago his feet went numb and its got steadily worse, now his "
        "speech has gone halting"
    )
    assert ("symptom", "speech_problem") not in facts_of(slow)
    assert "stroke_signs" in screen_text(slow).possible
    sudden = "for years my feet have been numb and suddenly my speech is slurred"
    assert "stroke_signs" in screen_text(sudden).definite
    spells = "my face goes numb on and off and my words come out wrong"
    assert "stroke_signs" in screen_text(spells).definite


def test_a_long_history_does_not_date_a_new_sign_told_today() -> None:
    text = (
        "my dad has had pain in his calf on and off for months. today his foot "
        "has gone cold and purple and it aches"
    )
    present = facts_of(text)
    assert ("duration", "P3M") not in present
    assert ("onset", "intermittent") not in present
    assert "acute_limb_ischemia" in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        # the sign was told before too: no change today
        "my feet have been cold and purple for 3 months. today they are cold and "
        "purple again and ache",
        # a history of days is the change's own course
        "tingly feet for two days, today his hands are tingling too",
    ],
)
def test_a_history_stays_dated_without_a_new_sign_of_weeks_or_more(
    text: str,
) -> None:
    assert {("duration", "P3M"), ("duration", "P2D")} & facts_of(text)


def test_an_ago_dates_the_symptom_when_it_has_no_time_of_its_own() -> None:
    assert ("duration", "P3D") in facts_of(
        "i had knee surgery 3 days ago and my foot is numb"
    )


@pytest.mark.parametrize(
    "text",
    [
        "i was paralysed with fear when i saw the bill, anyway my toes are numb",
        "cant move my appointment, my foot is numb, should i worry",
    ],
)
def test_paralysis_words_about_a_feeling_or_a_thing_are_no_paralysis(
    text: str,
) -> None:
    assert ("symptom", "paralysis") not in facts_of(text)
    assert screen_text(text).definite == ()


def test_legs_that_cannot_move_stay_paralysis() -> None:
    assert "rapid_weakness" in screen_text("i cant move my legs").definite


def test_someone_elses_injury_is_not_the_persons_when_they_tell_their_own() -> None:
    text = "my sister slipped on ice and broke her wrist, i have tingling toes"
    assert ("trigger", "injury") not in facts_of(text)


def test_a_relatives_fall_with_numb_legs_still_counts() -> None:
    text = "my dad fell off a ladder and landed on his back, now he cant feel his legs"
    assert "spinal_injury" in screen_text(text).definite


def test_a_fall_onto_the_back_names_the_back() -> None:
    text = "i fell down the stairs and hurt my back, now my legs are numb"
    assert ("body_part", "lower_back") in facts_of(text)
    assert "spinal_injury" in screen_text(text).definite


def test_a_back_hurt_lifting_is_no_fall_onto_it() -> None:
    text = "i lifted boxes and hurt my back and my leg is numb"
    assert ("body_part", "lower_back") not in facts_of(text)


def test_a_leg_that_cannot_lift_since_this_afternoon_came_on_suddenly() -> None:
    text = "im 80, since this afternoon i cant lift my right leg at all"
    assert ("onset", "sudden") in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite


def test_legs_giving_out_after_a_day_of_tingling_are_a_progression() -> None:
    text = (
        "since yesterday my feet have been tingling and now my legs just give out "
        "when i try to stand"
    )
    assert "rapid_weakness" in screen_text(text).definite


def test_a_knee_that_gives_way_now_and_then_is_no_emergency() -> None:
    assert screen_text("my knee gives way sometimes when i walk").definite == ()


def test_a_positional_loss_that_is_getting_better_is_no_sudden_start() -> None:
    text = (
        "i can barely walk for the last 20 minutes after sitting cross legged, "
        "its getting better"
    )
    assert ("onset", "sudden") not in facts_of(text)


def test_a_fall_down_the_stairs_stays_an_injury_whatever_the_cause() -> None:
    text = (
        "my legs gave way and i fell backwards down the stairs, now i cant feel my legs"
    )
    assert ("trigger", "injury") in facts_of(text)
    assert "spinal_injury" in screen_text(text).definite


def test_a_slip_while_typing_stays_an_injury() -> None:
    text = "i slipped on the ice while typing on my phone and landed on my back"
    assert ("trigger", "injury") in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "my eyesight has always been poor and my feet are numb",
        "my vision is blurry from diabetes and my feet tingle",
    ],
)
def test_trouble_seeing_with_no_sudden_start_is_only_a_possible_sign(text: str) -> None:
    assert screen_text(text).definite == ()
    assert "stroke_signs" in screen_text(text).possible


def test_sudden_trouble_seeing_stays_a_stroke_sign() -> None:
    text = "suddenly my vision went blurry and my left leg is numb"
    assert "stroke_signs" in screen_text(text).definite


def test_not_seeing_the_doctor_is_no_trouble_seeing() -> None:
    text = "i cant see my doctor until monday, my left foot is numb"
    assert screen_text(text).definite == ()
    assert screen_text(text).possible == ()


def test_not_being_able_to_feel_is_loss_of_feeling() -> None:
    text = "my foot is on the end of my leg but not being able to feel it when i walk"
    assert ("sensation", "loss_of_sensation") in facts_of(text)
