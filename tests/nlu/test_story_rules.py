"""NLU rules that read a message as a story: remembered episodes, spells that
passed, feared symptoms, a limb's own injury, a hand with no side or a pressure
on it, grips that fail. Each test shows the fact taken out or kept."""

from __future__ import annotations

from pathlib import Path
from typing import Tuple

import pytest
from parsed import facts_of

from actions.cause_schema import duration_days
from actions.parsing import facts_from_entities, findings_from_message
from actions.triage import assess
from bot.nlu import context, earlier_stroke, limb_injury, same_side
from bot.nlu.durations import find_durations
from bot.nlu.pipeline import get_pipeline
from bot.nlu.rule_files import RuleFileError
from bot.nlu.screening import screen_text


# ------------------------------------------------------------ remembered episodes
def test_an_episode_remembered_from_school_is_past_over_its_clauses() -> None:
    text = (
        "it reminded me: in primary school we sat cross legged for ages and when "
        "the teacher said line up i leapt up and fell, both feet were asleep"
    )
    assert ("sensation", "numbness") in facts_of(text, "past")
    assert ("sensation", "numbness") not in facts_of(text)


def test_a_present_word_ends_the_remembered_episode() -> None:
    text = (
        "as a kid my legs went numb a lot. "
        "today my leg suddenly went weak and i cant walk"
    )
    assert ("symptom", "weakness") in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite


# ------------------------------------------------------------ spells and fears
@pytest.mark.parametrize(
    "text",
    [
        "a couple of times my legs have just given out and i feel paralysed for a bit",
        "once a day it stops me dead and i cant move till i flop into a chair",
    ],
)
def test_a_paralysis_in_spells_is_only_possible(text: str) -> None:
    assert ("symptom", "paralysis") in facts_of(text, "possible")
    assert "rapid_weakness" not in screen_text(text).definite


def test_a_paralysis_that_passed_after_a_blow_in_its_sentence_stays_a_fact() -> None:
    text = "dove in and hit the bottom, for a bit i could hardly move my legs"
    assert ("symptom", "paralysis") in facts_of(text)


def test_a_feared_accident_is_hypothetical_even_beside_a_real_symptom() -> None:
    text = "lay there basically paralysed thinking im going to pee myself"
    assert ("symptom", "bladder_bowel_dysfunction") in facts_of(text, "hypothetical")


# ------------------------------------------------------------ injuries
def test_a_twisted_ankle_is_no_spinal_injury_but_still_an_injury() -> None:
    text = "just twisted my ankle. can both feet really fall asleep at once"
    assert ("trigger", "limb_injury") in facts_of(text)
    assert "spinal_injury" not in screen_text(text).definite


def test_a_fall_keeps_its_spinal_injury_whatever_limb_it_hurt() -> None:
    text = "i fell and twisted my ankle and both my legs are numb"
    assert "spinal_injury" in screen_text(text).definite


def test_a_sprain_with_worsening_swelling_is_still_the_compartment_flag() -> None:
    text = (
        "i sprained my ankle yesterday and now my foot is numb, swollen "
        "and getting worse"
    )
    assert "tight_cast" in screen_text(text).definite


def test_a_fall_the_numbness_caused_is_no_injury() -> None:
    text = "last time i fell walking the dog because i couldnt feel the ground"
    assert ("trigger", "injury") not in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "my right leg just wasnt there when i stood up. went down and twisted my ankle",
        "my foot had gone to sleep and the leg wouldnt hold me. landed on my knee",
        "both legs were so asleep i couldnt feel my feet, went over on my ankle",
    ],
)
def test_what_a_fall_from_a_sleeping_leg_did_to_a_limb_is_no_injury(text: str) -> None:
    facts = facts_of(text)
    assert ("trigger", "injury") not in facts
    assert ("trigger", "limb_injury") not in facts


@pytest.mark.parametrize(
    "text",
    [
        "my leg gave way and i fell and landed on my back",
        "i fell and twisted my ankle, now my foot is numb",
    ],
)
def test_a_fall_onto_the_back_or_before_the_numbness_stays_an_injury(text: str) -> None:
    assert ("trigger", "injury") in facts_of(text)


# ------------------------------------------------------------ hands and arms
def test_one_hand_and_one_leg_with_no_side_ask_the_stroke_question() -> None:
    text = "the leg is kind of numb and clumsy and the hand too"
    assert ("side", "one") in facts_of(text, "possible")
    assert "stroke_signs" in screen_text(text).possible


def test_hands_and_feet_are_no_one_sided_cue() -> None:
    assert ("side", "one") not in facts_of("my hands and feet are numb", "possible")


def test_a_hand_numb_from_leaning_on_it_is_only_possible() -> None:
    text = "my hand went numb from leaning on it and my left foot is numb"
    assert ("body_part", "hand") in facts_of(text, "possible")
    assert screen_text(text).definite == ()


@pytest.mark.parametrize(
    "text",
    [
        "one leg isnt doing what he tells it and the hand on that side feels clumsy",
        "his right leg is weak and the hand on the same side is numb",
        "her left leg went weak, same side arm is numb too",
    ],
)
def test_an_arm_told_on_the_legs_side_is_a_stroke_sign(text: str) -> None:
    assert "stroke_signs" in screen_text(text).definite


def test_a_side_lain_on_is_not_the_hands_side() -> None:
    text = "my left leg is numb, i sleep on that side and my hand goes dead sometimes"
    assert screen_text(text).definite == ()
    assert "stroke_signs" in screen_text(text).possible


def test_a_clumsy_hand_is_a_sign_but_a_clumsy_walk_by_the_mouth_is_not() -> None:
    assert (
        "stroke_signs"
        in screen_text("his left leg drags and his left hand is clumsy").definite
    )
    text = "off balance walking, mouth ulcers and the soles of my feet burn"
    assert "stroke_signs" not in screen_text(text).definite


def test_an_arm_that_went_the_same_has_the_symptom_before_it() -> None:
    text = "my left leg went numb. then my left arm went the same"
    assert "stroke_signs" in screen_text(text).definite


def test_hands_that_fail_at_a_grip_are_weak() -> None:
    assert ("symptom", "weakness") in facts_of("i could hardly hold my knife and fork")


# ------------------------------------------------------------ words
@pytest.mark.parametrize(
    "text,fact",
    [
        ("a stab in my thigh", ("symptom", "pain")),
        ("i have a sore on my heel", ("symptom", "skin_ulcer")),
        ("theres a sore spot below the knee", ("symptom", "pain")),
        ("bit slow getting a wee started", ("symptom", "bladder_bowel_dysfunction")),
        (
            "i didnt quite make it to the toilet in time",
            ("symptom", "bladder_bowel_dysfunction"),
        ),
        ("my leg has been numb for years", ("duration", "P2Y")),
        ("it lasted under a minute", ("duration", "PT1M")),
        ("his whole left side isn't working", ("symptom", "weakness")),
        ("i can't walk without holding onto the furniture", ("symptom", "weakness")),
        ("her face looks all lopsided", ("symptom", "facial_droop")),
        ("one side of his face is hanging", ("symptom", "facial_droop")),
        ("her words sound a bit mushy tonight", ("symptom", "speech_problem")),
        ("he took a knee to the thigh at football", ("trigger", "limb_injury")),
        ("the calf looks bigger than yesterday", ("symptom", "swelling")),
        (
            "i cant always make it to the loo in time",
            ("symptom", "bladder_bowel_dysfunction"),
        ),
        ("numb from about the belly button down", ("side", "both")),
        ("it was fine a couple of minutes later", ("course", "resolved")),
        ("after my ice baths my toes go numb", ("trigger", "cold")),
        ("my sight got slowly blurry over months", ("symptom", "vision_problem")),
        ("the outer front half of my thigh has no feeling", ("surface", "front")),
        (
            "not sure i actually emptied my bladder",
            ("symptom", "bladder_bowel_dysfunction"),
        ),
        ("on the loo i couldnt feel the seat under me", ("body_part", "saddle_area")),
        ("getting out of bed was a massive effort", ("symptom", "weakness")),
        ("my whole body feels like it weighs a ton", ("sensation", "heaviness")),
        ("a bad ache in the middle of my lower back", ("symptom", "back_pain")),
        (
            "we did laughing gas balloons at the festival",
            ("condition", "solvent_exposure"),
        ),
        ("not gonna lie i do nitrous most weekends", ("condition", "solvent_exposure")),
        ("after a few minutes it was completely fine", ("course", "resolved")),
    ],
)
def test_words_read_as_what_they_mean(text: str, fact: tuple) -> None:
    assert fact in facts_of(text)


@pytest.mark.parametrize(
    "text,fact",
    [
        ("the private video gp said so", ("body_part", "saddle_area")),
        ("felt a sharp pain", ("symptom", "skin_ulcer")),
        ("the seats are so cramped", ("symptom", "cramps")),
        ("im wiped out after work", ("trigger", "injury")),
        ("been doing it on and off for years", ("duration", "P2Y")),
        ("caught a stomach bug, now my toes tingle", ("sensation", "crawling")),
        ("the tingling has gone down both legs now", ("course", "resolved")),
        ("i got glutened at a party, now my feet tingle", ("body_part", "buttock")),
        ("my soles are oversensitive to hot and cold", ("symptom", "fever")),
        ("the mri showed spots in the grey matter", ("symptom", "pale_or_blue_skin")),
        ("my phone isn't working, my toes are numb", ("symptom", "weakness")),
        ("my foot was twisted the wrong way, it was asleep", ("trigger", "injury")),
        ("my phone isn't working right, my toes are numb", ("side", "right")),
        ("it threw me several feet and my legs are numb", ("body_part", "foot")),
        ("my leg is numb, should i lie down?", ("trigger", "lying")),
        ("she swears by it, her toes tingle", ("symptom", "fever")),
        ("what could do this to both feet at once?", ("onset", "sudden")),
        (
            "had food poisoning last week, now my toes tingle",
            ("condition", "solvent_exposure"),
        ),
        ("landed on my bum cheek and that cheek is numb", ("body_part", "face")),
        ("ive sprained that ankle loads before", ("trigger", "injury")),
        (
            "lay on the sofa drinking water, my feet tingle",
            ("condition", "alcohol_use"),
        ),
        ("my baby is 7 months and my feet tingle", ("duration", "P7M")),
        ("my feet go numb and its worse when im stressed", ("course", "worsening")),
    ],
)
def test_words_that_only_look_like_a_fact(text: str, fact: tuple) -> None:
    assert fact not in facts_of(text)


# ------------------------------------------------------------ strict rule files
@pytest.mark.parametrize(
    "module,loader,body",
    [
        (
            limb_injury,
            "load_limb_injury_rules",
            "limb_injury: {value: x, colour: red}\n",
        ),
        (same_side, "load_same_side_rules", "unsided: {legs: [], colour: red}\n"),
        (context, "load_context_rules", "anecdote: {openers: [], colour: red}\n"),
        (
            earlier_stroke,
            "load_earlier_stroke_rules",
            "earlier_stroke: {events: [], colour: red}\n",
        ),
    ],
)
def test_an_unknown_key_in_a_new_rule_section_fails_loudly(
    tmp_path: Path, module, loader: str, body: str
) -> None:
    path = tmp_path / "rules.yml"
    path.write_text(body)
    with pytest.raises(RuleFileError, match="colour"):
        getattr(module, loader)(path)


# ------------------------------------------------------------ third dev set classes
def test_an_episode_dated_by_an_age_is_past_over_its_clauses() -> None:
    text = "when i was 12 i hurt my knee and was in and out of casts for months"
    assert ("trigger", "cast") in facts_of(text, "past")
    assert "tight_cast" not in screen_text(text).definite


def test_a_reassurance_with_an_intensifier_negates() -> None:
    assert ("symptom", "bladder_bowel_dysfunction") in facts_of(
        "peeing and pooping are totally normal", "negated"
    )


def test_not_even_includes_what_it_names() -> None:
    text = (
        "he came off his bike and cant feel anything from the waist down, "
        "not even his legs"
    )
    assert "spinal_injury" in screen_text(text).definite


def test_a_leg_that_swelled_while_lain_on_for_hours_is_the_compartment_flag() -> None:
    text = (
        "i was passed out on the bathroom floor for about 10 hours and my leg is "
        "massively swollen and feels dead"
    )
    assert "tight_cast" in screen_text(text).definite


def test_calves_gone_massive_and_sore_after_a_night_on_the_floor_are_compartment() -> (
    None
):
    text = (
        "got drunk and passed out on the floor for hours, this morning both my calves "
        "are massive and hurt like mad and my feet are numb"
    )
    assert ("symptom", "swelling") in facts_of(text)
    assert "tight_cast" in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "my calves hurt on walks, i have to stop and lean on a wall, then i carry on",
        "my leg goes numb on walks, i have to stand still a bit, then i can carry on",
        "his calf hurts after 100 metres. he rests, it goes away and he can carry on",
        "my calves hurt on the way to the shop, i have to sit and then im fine",
    ],
)
def test_a_walk_taken_up_again_after_a_stop_is_relief_by_rest(text: str) -> None:
    facts = facts_of(text)
    assert ("trigger", "rest_relief") in facts
    assert not {("trigger", "standing"), ("trigger", "sitting")} & facts


def test_a_question_why_one_cannot_walk_far_tells_what_walking_brings() -> None:
    facts = facts_of("why cant i walk very far before my calves go numb")
    assert {("trigger", "walking"), ("sensation", "numbness")} <= facts
    assert ("symptom", "weakness") not in facts_of("can't i just walk it off?")


def test_a_stop_with_the_symptom_starting_again_is_no_relief_by_rest() -> None:
    text = "every night i get up and walk and it stops, lie down and it starts again"
    assert ("trigger", "rest_relief") not in facts_of(text)


def test_a_cut_foot_with_both_feet_numb_is_no_spinal_injury() -> None:
    text = "i have diabetes and cut my foot on glass, didnt feel it. both feet are numb"
    assert ("trigger", "limb_injury") in facts_of(text)
    assert "spinal_injury" not in screen_text(text).definite


def test_a_bicycle_saddle_is_no_saddle_area() -> None:
    text = "took my bike for 10 miles and my feet went numb, the saddle is new"
    assert ("body_part", "saddle_area") not in facts_of(text)


def test_a_bare_intensified_reassurance_negates_and_leaves_the_rest() -> None:
    text = "my speech is totally fine but i cant move my legs"
    assert ("symptom", "speech_problem") in facts_of(text, "negated")
    assert "rapid_weakness" in screen_text(text).definite


def test_legs_in_the_plural_after_a_fall_ask_the_spinal_injury_question() -> None:
    text = "i fell and my legs are numb"
    assert ("side", "both") in facts_of(text, "possible")
    assert "spinal_injury" in screen_text(text).possible


def test_a_fear_of_falling_is_no_fall() -> None:
    assert ("trigger", "injury") not in facts_of(
        "i bought a cane as im scared of falling"
    )


# ------------------------------------------------ limbs that fail, words of a stroke
def test_an_arm_that_cannot_move_is_weak_and_with_its_leg_a_stroke_sign() -> None:
    text = (
        "all of a sudden he couldnt move his right arm and his right leg isnt working "
        "properly, and his words are slurry"
    )
    facts = facts_of(text)
    assert ("body_part", "arm") in facts
    assert ("body_part", "arm") not in facts_of(text, "negated")
    assert ("symptom", "speech_problem") in facts
    assert "stroke_signs" in screen_text(text).definite


def test_a_leg_that_is_not_working_is_weak_but_pills_that_are_not_are_nothing() -> None:
    assert ("symptom", "weakness") in facts_of("my left leg isnt working right")
    assert facts_of("the pills are not working") == set()


def test_a_dropped_lip_and_jumbled_words_are_stroke_signs() -> None:
    text = "the left side of her lip dropped and what she said came out all jumbled"
    assert ("symptom", "facial_droop") in facts_of(text)
    assert "stroke_signs" in screen_text(text).definite


# ------------------------------------------------ narrowed sites, fears, names
def test_a_toe_that_will_not_move_is_a_weak_toe_not_paralysis() -> None:
    text = "since the cast came off my little toe doesnt move when i curl my toes"
    assert ("symptom", "paralysis") not in facts_of(text)
    assert ("symptom", "weakness") in facts_of(text)
    assert "rapid_weakness" not in screen_text(text).definite
    assert ("symptom", "paralysis") in facts_of("i cant move my legs")


@pytest.mark.parametrize(
    "text",
    [
        "my girlfriend made me go to the gp before i 'get paralysed' lol",
        "the physio said i might lose the use of my legs",
    ],
)
def test_a_warned_future_is_hypothetical(text: str) -> None:
    assert not screen_text(text).definite
    assert ("symptom", "paralysis") not in facts_of(text)


def test_a_habit_told_with_would_is_no_fear() -> None:
    assert ("sensation", "numbness") in facts_of("he would get numb feet every night")


@pytest.mark.parametrize(
    "text,fact",
    [
        ("when i cut my toenails my foot goes numb", ("trigger", "limb_injury")),
        ("she has been on blood thinners for years", ("condition", "solvent_exposure")),
    ],
)
def test_a_name_that_holds_a_fact_word_is_no_fact(text: str, fact: tuple) -> None:
    assert fact not in facts_of(text)


# ------------------------------------------ someone else's fall, measures, reassurances
def test_a_relatives_fall_from_a_roof_told_with_his_words_is_a_spinal_injury() -> None:
    text = (
        "my brother just came off the roof, about 15 feet onto the concrete drive. "
        "says his lower back hurts and he cant feel or move his legs"
    )
    facts = facts_of(text)
    assert ("trigger", "injury") in facts
    assert ("body_part", "foot") not in facts  # 15 feet is a height
    assert ("experiencer", "other") in facts
    assert {"spinal_injury", "rapid_weakness"} <= set(screen_text(text).definite)


def test_a_pronoun_inside_a_phrase_keeps_the_story_theirs() -> None:
    from bot.nlu.pipeline import get_pipeline

    findings = get_pipeline().parse("my brother fell. his back hurts").findings
    assert [f["experiencer"] for f in findings] == ["other", "other"]
    own = get_pipeline().parse("my husband says my back hurts").findings
    assert own[0]["experiencer"] == "self"


def test_a_toilet_word_with_a_reassurance_after_it_is_absent() -> None:
    text = "it mostly came back after a walk, peeing normal, nothing weird down there"
    assert ("symptom", "bladder_bowel_dysfunction") in facts_of(text, "negated")
    assert not screen_text(text).possible and not screen_text(text).definite


def test_swelling_under_tight_clothes_with_numb_legs_is_the_compartment_flag() -> None:
    text = (
        "spent hours squatting in skinny jeans, now i cant feel my legs properly and "
        "my calves have puffed up so much the jeans are digging in"
    )
    assert "tight_cast" in screen_text(text).definite


def test_the_bits_you_sit_on_are_the_saddle_area() -> None:
    assert ("body_part", "saddle_area") in facts_of(
        "the bits you'd sit on were numb too"
    )


# ----------------------------------- old one-sided stories, mattresses, long durations
def test_an_arm_and_leg_numb_on_one_side_for_years_is_no_stroke_now() -> None:
    text = (
        "the last few years my whole left side feels heavy and numb, my left arm "
        "and leg"
    )
    assert "stroke_signs" not in screen_text(text).definite
    sudden = "this morning my left arm and leg suddenly went numb"
    assert "stroke_signs" in screen_text(sudden).definite


def test_a_sagging_mattress_is_no_drooping_face() -> None:
    assert ("symptom", "facial_droop") not in facts_of(
        "my mattress has started sagging"
    )
    assert ("symptom", "foot_drop") in facts_of("my foot is drooping when i walk")


@pytest.mark.parametrize(
    "text", ["10 plus years of low back pain", "10+ years of pain", "for 10+ yrs"]
)
def test_a_count_with_plus_is_a_duration(text: str) -> None:
    assert [value for value, _, _ in find_durations(text)] == ["P10Y"]


def test_how_long_one_can_walk_is_no_duration_of_the_numbness() -> None:
    assert find_durations("if i walk more than a few minutes they start aching") == []
    assert [v for v, _, _ in find_durations("numb for more than a few minutes")] == [
        "PT3M"
    ]


@pytest.mark.parametrize(
    "text,fact",
    [
        (
            "then my legs went out from under me in the bathroom",
            ("symptom", "weakness"),
        ),
        ("my calf keeps getting bigger", ("course", "worsening")),
    ],
)
def test_lay_words_for_weak_legs_and_a_rising_swelling(text: str, fact: tuple) -> None:
    assert fact in facts_of(text)


@pytest.mark.parametrize(
    "text,fact",
    [
        ("my toes go numb in my new skates", ("trigger", "tight_clothing")),
        ("after an hour on the bike saddle my groin is numb", ("trigger", "sitting")),
        (
            "first long ride on my new saddle and my feet went to sleep",
            ("trigger", "sitting"),
        ),
        (
            "the boots press on the top of my foot and it goes numb",
            ("trigger", "tight_clothing"),
        ),
        (
            "this pair feels narrower at the front and my toes go numb",
            ("trigger", "tight_clothing"),
        ),
        (
            "every ski season i end up with numb feet in my boots",
            ("sensation", "numbness"),
        ),
    ],
)
def test_sports_gear_and_a_bike_seat_press_on_the_legs(text: str, fact: tuple) -> None:
    assert fact in facts_of(text)
    assert ("trigger", "sitting") not in facts_of("numbness in the saddle area")


def test_an_old_injury_is_past_and_a_comparison_with_hers_is_no_course() -> None:
    assert ("trigger", "injury") in facts_of(
        "i wear a knee brace for an old netball injury", "past"
    )
    assert ("trigger", "injury") in facts_of(
        "the xray said old disc injury and my legs are numb", "past"
    )
    assert ("course", "worsening") not in facts_of("mine is worse than hers")
    assert ("course", "worsening") in facts_of("my leg is getting worse")


def test_a_strain_while_lifting_is_no_injury_to_the_spine() -> None:
    text = "a day after a heavy deadlift my back hurts, yes, I was injured"
    assert ("trigger", "injury") not in facts_of(text)
    assert "spinal_injury" not in screen_text(text).definite
    # a fall in the same story keeps the injury
    fell = "i was lifting a box and fell down the stairs, now my back hurts"
    assert ("trigger", "injury") in facts_of(fell)
    # a foot that cannot be lifted is no effort
    assert ("trigger", "limb_injury") in facts_of(
        "rolled my ankle badly, injured it, and now i cant lift my foot"
    )


def test_tight_shoes_on_swollen_toes_are_no_compartment() -> None:
    text = "danced for hours in stilettos, now my toes are swollen and i cant feel them"
    assert "tight_cast" not in screen_text(text).definite


def test_how_long_one_has_seen_a_doctor_is_no_duration_of_the_symptom() -> None:
    text = "ive been seeing a pain doctor about my spine for 2 years"
    assert find_durations(text) == []
    assert [v for v, _, _ in find_durations("my foot has been numb for 2 years")] == [
        "P2Y"
    ]


# ------------------------------------------- gone numb, a leg without feeling, a side
@pytest.mark.parametrize(
    "text",
    ["my left leg has gone completely numb", "its gone this greyish purple colour"],
)
def test_gone_to_a_state_is_not_gone_away(text: str) -> None:
    assert ("course", "resolved") not in facts_of(text)
    assert ("course", "resolved") in facts_of("the numbness is gone now, its gone")


def test_a_whole_leg_that_lost_all_feeling_within_minutes_with_pain_is_ischemia() -> (
    None
):
    text = (
        "terrible pain in my chest and back and my left leg has gone completely numb "
        "in the last few minutes, i cant feel it"
    )
    assert "acute_limb_ischemia" in screen_text(text).definite
    sat = "sat on my leg for an hour, it hurts and i cant feel it, for a few minutes"
    assert "acute_limb_ischemia" not in screen_text(sat).definite


@pytest.mark.parametrize(
    "text,flag",
    [
        ("he has felt numb down his right side since this morning", "stroke_signs"),
        ("the words just wouldnt come out", "stroke_signs"),
        (
            "2 days ago i tripped on the carpet and my lower back hurts, this morning "
            "both my legs are numb",
            "spinal_injury",
        ),
    ],
)
def test_lay_words_of_a_red_flag(text: str, flag: str) -> None:
    assert flag in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "first 20 mile rides i couldnt feel anything down there by the end",
        "after 60 miles on the motorbike my rear end and privates go dead",
    ],
)
def test_a_saddle_area_numb_on_a_ride_is_only_possible(text: str) -> None:
    screen = screen_text(text)
    assert "bladder_bowel_saddle" not in screen.definite
    assert "bladder_bowel_saddle" in screen.possible


@pytest.mark.parametrize(
    "text",
    ["my L5 has slipped forward onto my sacrum", "the pain wrecks my sleep"],
)
def test_a_slipped_vertebra_or_a_wrecked_night_is_no_injury(text: str) -> None:
    assert ("trigger", "injury") not in facts_of(text)


# ------------------------------------------------------------ spells that end
@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("my leg went numb and the feeling came back after a few minutes", False),
        ("i sat down till the feeling crept back down to my ankle", False),
        ("the feeling in my foot never came back", True),
        ("feeling hasnt come back yet", True),
    ],
)
def test_feeling_that_came_back_ends_the_spell(text: str, negated: bool) -> None:
    role = "negated" if negated else None
    assert ("course", "resolved") in facts_of(text, role)


def test_a_symptom_that_came_back_is_no_end_of_the_spell() -> None:
    for text in ("a tingling feeling came back this week", "the numbness came back"):
        assert ("course", "resolved") not in facts_of(text)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "my legs went dead, minutes later they came back with pins and needles",
            True,
        ),
        ("my foot went numb on the toilet, it came back after 10 min", True),
        ("woke with no feeling in my legs but wiggled and it all came back", True),
        ("my foot goes numb on runs, then it comes back once im walking", False),
        ("if i sit it comes back within minutes", False),
        (
            "my toes go numb on the bike and it came back within 5 mins every time",
            False,
        ),
        ("my toes are numb. will it come back after a few hours?", False),
        ("my foot went numb and it hasnt come back after 10 minutes", False),
        ("my foot went numb. back is fine", False),
    ],
)
def test_it_that_came_back_at_once_ends_the_spell(text: str, found: bool) -> None:
    assert (("course", "resolved") in facts_of(text)) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("it all goes once i stand up and walk about for a bit", True),
        ("the numbness went when i got up and walked around", True),
        ("my foot goes numb when i walk", False),
    ],
)
def test_a_spell_that_goes_once_one_moves_is_eased_by_moving(
    text: str, found: bool
) -> None:
    assert (("trigger", "movement_relief") in facts_of(text)) is found


@pytest.mark.parametrize(
    "text",
    [
        "in the shower i could barely feel the water on my feet",
        "my legs gave way and i couldnt hold myself up",
    ],
)
def test_water_on_the_skin_or_holding_oneself_up_is_no_bladder_sign(text: str) -> None:
    assert "bladder_bowel_saddle" not in screen_text(text).definite
    assert ("symptom", "bladder_bowel_dysfunction") not in facts_of(text)


def test_holding_ones_water_stays_a_bladder_sign() -> None:
    assert "bladder_bowel_saddle" in screen_text("i cant hold my water").definite


def test_a_cast_got_off_is_past_but_one_asked_about_stays() -> None:
    off = "got the cast off today and now my foot is numb"
    assert "tight_cast" not in screen_text(off).definite
    asked = "my foot is sore in the cast, can i leave the cast off?"
    assert "tight_cast" in screen_text(asked).definite


def test_someone_elses_worsening_is_not_mine() -> None:
    text = (
        "my mother has bad leg veins and now mine ache and feel a bit numb. "
        "hers are way worse"
    )
    assert ("course", "worsening") not in facts_of(text)


def test_a_nights_waking_with_nothing_of_it_gives_no_date() -> None:
    assert find_durations("tonight i woke as the bus pulled into the station") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("woke up this morning with my leg numb", "PT6H"),
        ("this morning i woke up and both my legs are numb", "PT6H"),
        ("woke up yesterday with my foot numb", "P1D"),
        ("tonight i woke up with my foot throbbing", "PT2H"),
        ("my arms are a bit weaker every month", "P2M"),
        ("its getting worse each week", "P2W"),
        ("pins and needles in both legs all day today", "PT8H"),
    ],
)
def test_waking_and_changes_per_unit_date_the_symptom(text: str, value: str) -> None:
    assert [found for found, _, _ in find_durations(text)] == [value]


def test_a_swelling_rising_for_hours_over_numb_toes_is_the_cast_flag() -> None:
    text = (
        "woke up this morning with my calf feeling like its going to burst. my toes "
        "are going numb and the lower leg keeps getting bigger"
    )
    assert "tight_cast" in screen_text(text).definite


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("on the flat road my foot instantly felt better", ("onset", "sudden")),
        (
            "my feet burn and are extra sensitive to touch and cold",
            ("symptom", "cold_limb"),
        ),
    ],
)
def test_how_fast_relief_came_or_a_sensitivity_is_no_sign(
    text: str, fact: tuple
) -> None:
    assert fact not in facts_of(text)


def test_a_point_within_an_activity_is_no_duration() -> None:
    assert find_durations("i can stand a bit but by 20 minutes i have to sit") == []


def test_sight_lost_in_one_eye_is_trouble_seeing() -> None:
    text = "my foot is numb and today i lost the sight in my left eye for a while"
    assert ("symptom", "vision_problem") in facts_of(text) | facts_of(text, "possible")


def test_a_fever_with_back_pain_and_a_whole_leg_numb_is_an_emergency() -> None:
    text = (
        "ive had a fever for a week and a really sore lower back, and for the last "
        "couple of days the whole of my left leg has gone numb"
    )
    assert "fever_back_pain" in screen_text(text).definite
    flu = "i have flu with a fever and my back aches, my toes tingle a bit"
    assert "fever_back_pain" not in screen_text(flu).definite


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (
            "after 45 mins my feet go numb. bladder and back all fine",
            "bladder_bowel_saddle",
        ),
        (
            "my feet went numb at the festival. i did the face/arm/speech check in "
            "the mirror",
            "stroke_signs",
        ),
        (
            "got my leg cast off this morning and it feels dead. is the dead feeling "
            "normal after a cast?",
            "tight_cast",
        ),
    ],
)
def test_reassured_tested_or_removed_signs_fire_no_flag(text: str, flag: str) -> None:
    assert flag not in screen_text(text).definite


def test_a_cast_still_on_with_numbness_after_it_went_on_stays_the_flag() -> None:
    text = "my foot went numb after the cast was put on this morning"
    assert "tight_cast" in screen_text(text).definite


def test_a_wrist_broken_once_is_past() -> None:
    text = "my left leg is numb. i once broke my wrist and didnt notice for weeks"
    assert ("trigger", "injury") not in facts_of(text)


def test_breathless_on_stairs_for_weeks_and_wobbly_is_no_breathing_emergency() -> None:
    text = (
        "the last few weeks im out of breath going up stairs, and both my feet have "
        "gone numb and i feel wobbly on them"
    )
    assert "breathing_weakness" not in screen_text(text).definite


def test_a_fall_its_sentence_says_hurt_no_one_is_no_injury() -> None:
    text = (
        "my feet were so numb i fell onto my hands and knees on the sand (didnt hurt "
        "myself). both legs tingle"
    )
    assert ("trigger", "injury") not in facts_of(text)
    assert "spinal_injury" not in screen_text(text).definite
    denied_fall = "i didnt fall but i hurt my back lifting and both legs are numb"
    assert ("trigger", "injury") in facts_of(denied_fall)


def test_a_negation_stops_at_and_then() -> None:
    text = "i stretched it so it wouldnt go all pins and needles and then it was fine"
    assert ("course", "resolved") in facts_of(text)


def test_a_named_danger_whose_facts_are_already_told_asks_nothing_more() -> None:
    told = (
        "i glue foam cushions with a spray gun, been there 5 yrs. my feet have gone "
        "numb and burning over the years. is it the glue?"
    )
    assert "solvent_poisoning" not in screen_text(told).possible
    asked = "could it be a clot? my calf is swollen and sore"
    assert "acute_limb_ischemia" in screen_text(asked).possible


def test_numbness_that_goes_when_tight_gear_comes_off_is_self_care() -> None:
    text = (
        "my feet keep going numb in my new skates, i lace them super tight. the "
        "numbness goes when i take them off"
    )
    assert ("course", "resolved") in facts_of(text)
    facts = facts_from_entities(get_pipeline().parse(text).entities)
    assert assess(findings_from_message(facts)).urgency == "self_care"


def test_dead_skin_is_no_skin_ulcer() -> None:
    text = "the skin over my knee is still numb, like a patch of dead skin"
    assert ("symptom", "skin_ulcer") not in facts_of(text)


def test_not_having_been_able_to_wee_for_days_is_the_bladder_flag() -> None:
    text = "he cant feel his legs properly and he hasnt been able to wee for days"
    assert "bladder_bowel_saddle" in screen_text(text).definite


def test_a_spell_told_of_another_complaint_leaves_a_paralysis_definite() -> None:
    text = (
        "now a few hours on he cant move his legs at all and they look pale. he does "
        "get sore legs walking sometimes"
    )
    assert ("symptom", "paralysis") in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite


def test_a_foot_cold_to_the_touch_is_a_cold_limb() -> None:
    assert ("symptom", "cold_limb") in facts_of("his foot feels cold to the touch")
    assert ("symptom", "cold_limb") not in facts_of("my feet feel cold")
    # a foot compared with the other is the coldness of the limb itself
    assert ("symptom", "cold_limb") in facts_of(
        "the foot feels cold compared to the other one"
    )


def test_a_side_of_the_body_told_numb_is_an_arm_and_a_leg_on_one_side() -> None:
    text = "she says her right side incl her leg feels kind of numb and heavy"
    assert "stroke_signs" in screen_text(text).definite
    flank = "i have a pain in my right side and my feet are numb"
    assert ("body_part", "arm") not in facts_of(flank) | facts_of(flank, "possible")


def test_a_cast_in_a_childhood_anecdote_is_past() -> None:
    text = (
        "my son sat on his foot through a film and it was full of prickles when he "
        "stood up. he did break that leg when he was 6 and had a cast for weeks"
    )
    assert "tight_cast" not in screen_text(text).definite


def test_lying_on_ones_right_side_is_a_posture_not_a_side_of_the_body() -> None:
    text = (
        "if i lie on my right side for too long at night my right leg goes numb, "
        "then its fine once i roll over"
    )
    assert ("body_part", "arm") not in facts_of(text)
    assert "stroke_signs" not in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "after 6-8 hours on my left side i wake up with my left leg numb",
        "i put all my weight on my right side and my right leg went numb",
    ],
)
def test_a_posture_phrase_before_a_side_is_no_side_of_the_body(text: str) -> None:
    assert ("body_part", "arm") not in facts_of(text)
    assert "stroke_signs" not in screen_text(text).definite


def test_a_side_told_with_a_length_before_it_is_still_one_side() -> None:
    assert (
        "stroke_signs" in screen_text("for 3 hours my left side has been numb").definite
    )


@pytest.mark.parametrize(
    "text",
    [
        "my foot wont lift and both legs are weak. maybe i slept on it funny?",
        "all of a sudden her leg has gone numb. probably from lying on the trolley?",
        "my leg is numb, is it from sitting too long?",
    ],
)
def test_a_position_the_teller_only_guesses_at_is_no_fact(text: str) -> None:
    facts = facts_of(text)
    assert ("trigger", "lying") not in facts
    assert ("trigger", "sitting") not in facts


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (
            "his foot has gone cold and it hurts, he reckoned it was his bones "
            "playing up because of the cold snap",
            ("trigger", "cold"),
        ),
        (
            "my leg tingles, i put it down to sitting on my wallet",
            ("trigger", "sitting"),
        ),
        (
            "his left leg suddenly went dead on him, he reckons his belt was too tight",
            ("trigger", "tight_clothing"),
        ),
    ],
)
def test_what_the_teller_put_it_down_to_is_no_fact(
    text: str, fact: Tuple[str, str]
) -> None:
    assert fact not in facts_of(text)


def test_a_position_told_with_a_rough_length_is_still_a_fact() -> None:
    text = "i sat on the toilet for maybe 40 minutes and my foot went numb"
    assert ("trigger", "sitting") in facts_of(text)


def test_a_paralysis_that_passed_just_after_a_blow_to_the_neck_is_definite() -> None:
    text = (
        "got rolled over awkward and my neck got squashed. for a bit i couldnt feel "
        "or move anything from the neck down. then it all came back"
    )
    assert "spinal_injury" in screen_text(text).definite


def test_a_paralysis_that_passed_long_after_a_blow_is_asked_about() -> None:
    text = (
        "got rolled over awkward and my neck got squashed. i was ok after. later "
        "for a bit i couldnt feel or move anything from the neck down. then it all "
        "came back"
    )
    assert "spinal_injury" in screen_text(text).possible


def test_the_lasting_numbness_of_an_earlier_stroke_is_no_new_stroke() -> None:
    text = "since my stroke the whole left side is numb and i cant tell hot from cold"
    assert ("condition", "residual_stroke") in facts_of(text)
    assert "stroke_signs" not in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "since her stroke last week her left arm and leg suddenly went numb today",
        "since my stroke my left arm and leg are numb and today my face drooped",
        "my dad had a stroke last year and today his left arm and leg went numb",
        "since her stroke she has been fine but today her left arm and leg went numb",
    ],
)
def test_new_stroke_signs_after_an_earlier_stroke_still_prompt(text: str) -> None:
    assert "stroke_signs" in screen_text(text).definite


def test_a_fright_at_being_paralysed_is_no_paralysis() -> None:
    text = "fell on my bum and i was sure i was paralysed, then i moved my leg fine"
    assert ("symptom", "paralysis") not in facts_of(text)
    assert ("symptom", "paralysis") in facts_of(text, "hypothetical")


def test_a_year_opening_its_sentence_dates_the_episode() -> None:
    text = "2010 half my face went numb for a week. now my feet tingle"
    assert ("body_part", "face") in facts_of(text, "past")
    assert ("body_part", "face") not in facts_of(text)


def test_a_count_that_looks_like_a_year_is_no_date() -> None:
    text = "i walk 2000 steps a day, then my toes go numb"
    assert ("body_part", "toes") in facts_of(text)


def test_last_month_name_dates_an_injury_not_any_event() -> None:
    from datetime import date

    injury = "broke my back in a crash last september and my feet are still numb"
    assert [v for v, _, _ in find_durations(injury, today=date(2026, 12, 4))] == ["P3M"]
    stroke = "he had a small stroke last june. tonight his left hand is weak"
    assert find_durations(stroke, today=date(2026, 12, 4)) == []


def test_an_inability_cue_holds_filler_words() -> None:
    text = "i havent actually managed to pee since last night and my foot is numb"
    assert ("symptom", "bladder_bowel_dysfunction") in facts_of(text)
    assert "bladder_bowel_saddle" in screen_text(text).definite


def test_the_saddle_area_told_as_fine_is_no_red_flag() -> None:
    text = (
        "my bum goes numb within an hour on the bike, no back pain, "
        "everything down there working normally"
    )
    assert ("body_part", "saddle_area") not in facts_of(text)
    assert "bladder_bowel_saddle" not in screen_text(text).definite


def test_a_person_gone_white_is_no_pale_leg() -> None:
    text = "she went white and dropped, then her legs went tingly and numb"
    assert ("symptom", "pale_or_blue_skin") not in facts_of(text)
    assert ("symptom", "pale_or_blue_skin") in facts_of("my foot went white and numb")


def test_a_leg_paler_and_colder_than_the_other_is_cold_and_pale() -> None:
    text = (
        "since this afternoon my right calf is really painful and the foot "
        "looks a lot paler than the left and feels colder"
    )
    assert "acute_limb_ischemia" in screen_text(text).definite


def test_compression_socks_asked_about_are_no_tight_bandage() -> None:
    text = (
        "by the end of every shift my calves are a bit swollen, heavy and kind of "
        "numb. do those compression socks actually do anything?"
    )
    assert "tight_cast" not in screen_text(text).definite


def test_a_blow_then_a_rock_hard_shin_is_a_compartment_emergency() -> None:
    text = (
        "he took a hard shot from a football on the shin this afternoon. tonight "
        "the pain is way worse, the shin feels rock hard and tight and his foot is numb"
    )
    assert "tight_cast" in screen_text(text).definite


def test_what_one_thought_had_happened_did_not() -> None:
    text = "i thought hed hurt himself doing karate but he'd been sitting on his foot"
    assert ("trigger", "injury") not in facts_of(text)


def test_a_faint_with_a_cold_sweat_that_passed_is_over() -> None:
    text = (
        "cold sweat, shivering, my legs went numb when i stood up. i lay down and "
        "it passed in about 20 minutes, felt wiped out after"
    )
    facts = facts_of(text)
    assert ("course", "resolved") in facts
    assert ("trigger", "injury") not in facts
    assert ("sensation", "coldness") not in facts


def test_a_spell_that_comes_whenever_one_stands_is_no_new_blockage() -> None:
    text = (
        "whenever i stand in a queue my legs go blotchy, my feet turn purple and go "
        "kind of numb and heavy. lying down with my legs up fixes it"
    )
    assert ("onset", "intermittent") in facts_of(text)
    assert "acute_limb_ischemia" not in screen_text(text).definite


def test_a_temp_job_is_no_temperature() -> None:
    assert ("symptom", "fever") not in facts_of("took a temp job and my feet go numb")


def test_a_feared_future_is_hypothetical() -> None:
    text = "i'm scared of ending up with ulcers. my toes tingle"
    assert ("symptom", "skin_ulcer") not in facts_of(text)
    assert ("symptom", "skin_ulcer") in facts_of(text, "hypothetical")


def test_a_unit_opening_its_sentence_dates_the_symptom() -> None:
    text = "for months hes been moaning about a buzzing in his feet"
    assert [v for v, _, _ in find_durations(text)] == ["P3M"]
    assert find_durations("for years i worked as a chef. my feet are numb") == []


def test_a_symptom_between_a_size_word_and_a_body_word_keeps_the_site() -> None:
    assert ("body_part", "foot") in facts_of("moaning about a buzzing in my feet")
    assert ("body_part", "hand") not in facts_of(
        "the numb patch on my shin is about the size of my hand"
    )


def test_colour_that_came_back_ends_the_spell() -> None:
    text = "my feet were purple-ish. after a walk the colour came back completely"
    assert ("course", "resolved") in facts_of(text)


def test_speech_told_as_fine_is_no_stroke_sign() -> None:
    text = "my calves ache and go numb at night. speech fine, no other weirdness"
    assert ("symptom", "speech_problem") not in facts_of(text)
    assert "stroke_signs" not in screen_text(text).definite


def test_a_hand_numb_from_a_device_is_only_a_possible_stroke_cue() -> None:
    text = (
        "my soles tingle after standing, and my right hand goes numb from the scanner"
    )
    assert "stroke_signs" not in screen_text(text).definite


def test_a_cut_finger_is_a_limb_injury_not_a_spinal_one() -> None:
    text = "my lower back aches and my feet go dead. cut my finger on the mandoline too"
    assert "spinal_injury" not in screen_text(text).definite


def test_a_cast_that_came_off_in_the_next_clause_is_past() -> None:
    text = "had a cast for 2 months, it came off 2 days ago. the ankle feels numb"
    assert "tight_cast" not in screen_text(text).definite
    assert "tight_cast" in screen_text("my cast is tight and my toes are numb").definite


def test_landing_flat_on_the_back_is_an_injury() -> None:
    text = (
        "came off the step stool an hour ago and landed flat on my back on concrete. "
        "both legs are tingling and numb"
    )
    assert "spinal_injury" in screen_text(text).definite


def test_weakness_climbing_since_yesterday_is_rapid() -> None:
    text = (
        "yesterday my toes started prickling, this morning it was up to my knees "
        "and i couldnt manage the stairs just now"
    )
    facts = facts_of(text)
    assert ("symptom", "weakness") in facts and ("course", "spreading") in facts
    assert "rapid_weakness" in screen_text(text).definite


def test_peeing_harder_than_it_should_be_is_bladder_trouble() -> None:
    text = "my legs are numb and peeing is harder than it should be"
    assert ("symptom", "bladder_bowel_dysfunction") in facts_of(text)


def test_a_spell_fine_minutes_later_or_mostly_back_is_over_or_easing() -> None:
    assert ("course", "resolved") in facts_of("my legs were dead. 5 mins later fine.")
    text = "walked around for 10 mins and it mostly came back"
    assert ("course", "improving") in facts_of(text)


def test_a_side_compared_with_is_not_told_of() -> None:
    facts = facts_of("my left leg is weaker than the right and numb")
    assert ("side", "left") in facts and ("side", "right") not in facts


def test_fingers_numb_from_a_nerve_at_the_elbow_are_no_definite_stroke_sign() -> None:
    text = (
        "my left leg is weak. separately my little and ring fingers on the left hand "
        "are numb, apparently a trapped nerve at the elbow"
    )
    assert "stroke_signs" not in screen_text(text).definite


def test_thighs_jammed_in_kayak_braces_are_no_cast() -> None:
    text = (
        "my left foot stayed numb for hours after paddling. i keep my thighs jammed "
        "up high in the braces"
    )
    assert "tight_cast" not in screen_text(text).definite


def test_an_illness_had_years_ago_does_not_date_the_symptom() -> None:
    assert find_durations("i had guillain barre three years ago") == []
    assert [v for v, _, _ in find_durations("i had a fall 3 days ago")] == ["P3D"]
    assert [v for v, _, _ in find_durations("had a back op a couple of days ago")] == [
        "P2D"
    ]


def test_legs_that_will_not_obey_are_weak() -> None:
    for text in (
        "my legs just wouldnt take my weight",
        "since the op i cant get them to move like i should",
        "my left leg just isnt doing what i tell it",
    ):
        assert ("symptom", "weakness") in facts_of(text), text


def test_hardly_able_to_talk_is_a_speech_sign_but_talking_to_someone_is_not() -> None:
    assert (
        "stroke_signs"
        in screen_text("all of a sudden she could hardly talk, then fine").definite
    )
    assert ("symptom", "speech_problem") not in facts_of(
        "i cant talk to my gp about it, my feet are numb"
    )


def test_numbness_round_the_bum_and_groin_is_the_saddle_area() -> None:
    text = "very slight numbness round my bum and groin since yesterday"
    assert "bladder_bowel_saddle" in screen_text(text).definite


def test_both_legs_failing_within_minutes_is_rapid_weakness() -> None:
    text = (
        "15 mins ago a tingling ran down both legs and now i cant feel either leg "
        "and they wouldnt take my weight"
    )
    assert "rapid_weakness" in screen_text(text).definite


def test_an_illness_with_since_then_still_dates_the_symptom() -> None:
    text = (
        "he had small strokes about 3 months ago and since then his right side is numb"
    )
    assert [v for v, _, _ in find_durations(text)] == ["P3M"]


def test_cutting_walks_short_is_no_wound() -> None:
    assert ("trigger", "injury") not in facts_of(
        "my toes are numb so ive had to cut my walks shorter"
    )


def test_a_hand_that_will_not_work_is_told_of() -> None:
    text = "he cant get his right leg or hand to work properly"
    assert ("body_part", "hand") in facts_of(text)


def test_both_legs_weak_within_hours_with_no_position_is_rapid_weakness() -> None:
    text = (
        "at 2 i stood up and my right foot tingled, half an hour later the left. now "
        "from the waist down my skin feels odd and im a bit shaky on my legs"
    )
    assert "rapid_weakness" in screen_text(text).definite


def test_legs_fine_in_a_few_minutes_then_the_same_again_is_a_recurring_spell() -> None:
    facts = facts_of("legs fine in a few minutes, then same again half an hour later")
    assert ("course", "resolved") in facts and ("onset", "intermittent") in facts


def test_worn_out_and_fast_asleep_are_no_injuries() -> None:
    assert ("trigger", "injury") not in facts_of(
        "for months shes been wiped out and her feet tingle"
    )
    assert ("trigger", "injury") not in facts_of("my left leg fell totally asleep")
    assert ("trigger", "injury") in facts_of(
        "i wiped out on my bike and my leg is numb"
    )


def test_bladder_and_everything_fine_is_no_bladder_trouble() -> None:
    facts = facts_of("my right leg goes numb when i walk. bladder and everything fine.")
    assert ("symptom", "bladder_bowel_dysfunction") not in facts


def test_a_birth_weeks_ago_dates_the_symptom() -> None:
    text = "had my daughter 6 weeks ago and the fronts of both thighs are numb"
    assert [v for v, _, _ in find_durations(text)] == ["P6W"]


def test_no_feeling_in_either_leg_now_is_rapid_weakness() -> None:
    for text in ("i cant feel both of my legs", "now he cant feel either of his legs"):
        facts = facts_of(text)
        assert ("side", "both") in facts, text
        assert "rapid_weakness" in screen_text(text).definite, text
    assert ("side", "right") not in facts_of("my leg doesnt feel right")


def test_an_arm_he_cant_use_is_weak_and_a_big_hit_is_an_injury() -> None:
    assert ("symptom", "weakness") in facts_of(
        "his left arm feels heavy and he cant use it"
    )
    assert ("trigger", "injury") in facts_of("he took a big hit and wrenched his neck")


def test_faces_pulled_and_falling_apart_name_nothing() -> None:
    text = "my son hobbled about pulling faces because his foot had gone to sleep"
    assert ("body_part", "face") not in facts_of(text)
    assert ("trigger", "injury") not in facts_of(
        "before interviews i fall apart, my feet go numb"
    )


@pytest.mark.parametrize(
    "text",
    [
        "my arm flopped and when i try to talk its like ive got a potato in my mouth",
        "his tongue feels thick and his left leg is numb",
        "she sounds like she has a mouth full of marbles and her leg went weak",
    ],
)
def test_a_thick_tongue_told_in_lay_words_is_a_speech_sign(text: str) -> None:
    assert ("symptom", "speech_problem") in facts_of(text)
    assert "stroke_signs" in screen_text(text).definite


def test_a_dragged_leg_keeps_its_leg() -> None:
    text = (
        "this morning out of nowhere her left side went clumsy, shes dragging her left "
        "leg when she walks and says it feels weak"
    )
    assert ("body_part", "whole_leg") in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite
    assert ("body_part", "foot") not in facts_of("i have foot drop and my toes tingle")


def test_numbness_after_a_scuba_dive_is_an_emergency_but_not_months_on() -> None:
    text = (
        "did a checkout dive today, max 75 ft on nitrox. back on the boat my right "
        "foot suddenly started tingling"
    )
    assert ("condition", "recent_dive") in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite
    months = "i did a dive trip in march and my feet have tingled for months since"
    assert "rapid_weakness" not in screen_text(months).definite
    assert ("condition", "recent_dive") not in facts_of(
        "i did a deep dive into my symptoms online, my feet tingle"
    )


def test_legs_failing_after_a_first_surf_lesson_are_an_emergency() -> None:
    text = (
        "my husband had his first ever surf lesson today, his back started aching and "
        "now both his legs are tingly and a bit numb"
    )
    assert ("condition", "novice_surfing") in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite
    weeks = "had a surf lesson in may and my feet have tingled for months"
    assert "rapid_weakness" not in screen_text(weeks).definite


def test_speech_fine_for_ages_is_no_speech_sign() -> None:
    assert ("symptom", "speech_problem") not in facts_of(
        "speech has been fine for ages"
    )


def test_one_leg_gone_weak_this_afternoon_is_rapid_weakness() -> None:
    text = "this afternoon my left leg went numb and weak, it doesnt really hurt"
    assert "rapid_weakness" in screen_text(text).definite
    sat = "this afternoon my left leg went numb and weak after sitting cross legged"
    assert "rapid_weakness" not in screen_text(sat).definite


def test_getting_out_is_no_speech_sign_but_getting_the_words_out_is() -> None:
    text = "my legs went heavy in the shower and i couldnt get out on my own"
    assert ("symptom", "speech_problem") not in facts_of(text)
    assert ("symptom", "weakness") in facts_of(text)
    for said in (
        "she couldnt get the words out",
        "i couldnt type the words in my text",
    ):
        assert ("symptom", "speech_problem") in facts_of(said), said


def test_talk_that_makes_no_sense_is_a_speech_sign() -> None:
    text = "my wife says i wasnt making sense on the phone and my leg is numb"
    assert "stroke_signs" in screen_text(text).definite
    assert ("symptom", "speech_problem") not in facts_of(
        "the explanation from the clinic is not making sense to me"
    )


def test_an_arm_and_a_mouth_that_feel_funny_on_one_side_are_a_check_first() -> None:
    # a vague feeling is one ambiguous cue: the stroke check question comes first
    text = "my left arm and my lips feel funny all of a sudden"
    assert "stroke_signs" in screen_text(text).possible


def test_a_clause_opening_unit_dates_the_symptom() -> None:
    text = "i am 50, for years both my feet have been numb"
    assert [v for v, _, _ in find_durations(text)] == ["P2Y"]


def test_a_crush_is_an_injury_and_spreading_now_too_is_spreading() -> None:
    assert ("trigger", "injury") in facts_of("got crushed by a pallet at work")
    text = "her feet went tingly two days ago and her hands are numb now too"
    assert ("course", "spreading") in facts_of(text)


def test_a_sore_spot_is_tender_not_a_skin_sore() -> None:
    assert ("symptom", "skin_ulcer") not in facts_of(
        "theres a sore spot below the knee"
    )


def test_black_sores_on_the_toes_are_skin_ulcers() -> None:
    assert ("symptom", "skin_ulcer") in facts_of("two black sores on my toes")


def test_a_leg_struggling_to_move_is_weak() -> None:
    assert ("symptom", "weakness") in facts_of(
        "since lunch he is struggling to move his leg"
    )


def test_words_mended_by_spelling_stay_themselves() -> None:
    assert ("trigger", "tight_clothing") not in facts_of("the scans were all clear")
    assert ("trigger", "exertion") not in facts_of("a week after my acl reconstruction")
    assert ("condition", "recent_surgery") in facts_of(
        "a week after my acl reconstruction"
    )


def test_things_named_in_passing_are_no_symptoms() -> None:
    assert ("symptom", "swelling") not in facts_of("we push fluids and let him rest")
    assert ("trigger", "injury") not in facts_of(
        "i crash on the sofa all twisted up and my legs go numb"
    )
    assert ("body_part", "saddle_area") not in facts_of(
        "if i stay down there a while my legs fall asleep"
    )


def test_strength_lost_and_standing_not_kept_are_weakness() -> None:
    text = "since yesterday she is losing her strength and cant stay standing"
    assert ("symptom", "weakness") in facts_of(text)
    for busy in (
        "i cant keep up with my friends on walks",
        "i cant stay up late anymore",
    ):
        assert ("symptom", "weakness") not in facts_of(busy), busy
    assert ("symptom", "weakness") in facts_of("his knee doesnt want to work right")


def test_a_voice_gone_funny_is_a_speech_sign() -> None:
    assert (
        "stroke_signs"
        in screen_text("her legs are floppy and her voice sounds funny").definite
    )


def test_a_day_part_after_yesterday_still_dates_the_start() -> None:
    text = "yesterday evening both my hands went numb"
    assert [v for v, _, _ in find_durations(text)] == ["P1D"]
    assert [
        v for v, _, _ in find_durations("for several months my feet have been numb")
    ] == ["P3M"]


def test_gluing_at_work_is_told_solvent_exposure() -> None:
    text = (
        "i glue soles for a living, for some months my feet are numb, is it the glue?"
    )
    assert ("condition", "solvent_exposure") in facts_of(text)
    assert "solvent_poisoning" not in screen_text(text).possible


def test_a_spell_fine_again_after_a_bit_lasted_a_minute() -> None:
    assert [v for v, _, _ in find_durations("my foot was fine again after a bit")] == [
        "PT1M"
    ]
    assert find_durations("after a bit of running my foot goes numb") == []


def test_one_finger_or_toe_is_no_one_side() -> None:
    text = "last winter one of my fingers went dead white and numb"
    assert ("side", "one") not in facts_of(text)
    assert ("body_part", "hand") in facts_of(text)
    assert "stroke_signs" not in screen_text(text).definite


def test_a_foot_that_cannot_move_properly_is_weak_not_paralysed() -> None:
    text = "now i cant really move the foot properly"
    assert ("symptom", "weakness") in facts_of(text)
    assert ("symptom", "paralysis") not in facts_of(text)
    assert ("symptom", "paralysis") in facts_of("now i cant move my foot at all")
    either = "i cant move my legs or feel them properly"
    assert ("symptom", "paralysis") in facts_of(either)


def test_nearly_totally_numb_is_a_degree_not_a_near_miss() -> None:
    text = "the left foot is nearly totally numb"
    assert ("sensation", "loss_of_sensation") in facts_of(text)
    assert ("sensation", "loss_of_sensation") not in facts_of(text, "hypothetical")


def test_worn_words_are_no_injury_and_no_disease() -> None:
    assert ("trigger", "injury") not in facts_of(
        "my lower back is wrecked from driving"
    )
    assert ("condition", "atherosclerosis") not in facts_of("spent the night on a bus")
    assert ("symptom", "skin_ulcer") not in facts_of("he just went blank")


def test_a_stroke_told_after_the_ambulance_keeps_its_signs() -> None:
    text = (
        "no slurring at first, but by the time the doctor saw him he couldnt talk at "
        "all, couldnt feel his right arm or right leg and his face had dropped"
    )
    assert ("body_part", "arm") in facts_of(text)
    assert "stroke_signs" in screen_text(text).definite


def test_a_sweat_is_no_fever_but_night_sweats_are() -> None:
    assert ("symptom", "fever") not in facts_of("i literally sweat trying not to yell")
    assert ("symptom", "fever") in facts_of("i get night sweats and my feet are numb")


def test_a_leg_just_gone_and_ok_already_is_a_passed_spell() -> None:
    text = "i stood up and my right leg was just gone, 2-3 minutes later ok already"
    facts = facts_of(text)
    assert ("sensation", "loss_of_sensation") in facts
    assert ("course", "resolved") in facts


def test_a_student_now_is_no_story_from_student_days() -> None:
    text = "im 19, first year at uni, and today i couldnt get up the stairs"
    assert ("symptom", "weakness") in facts_of(text)
    assert ("symptom", "weakness") in facts_of("at uni my legs went weak", "past")


def test_a_long_lie_on_the_floor_is_lying_and_out_cold_is_no_cold_leg() -> None:
    text = "he was out cold on the floor for hours and his calf is rock hard"
    assert ("trigger", "lying") in facts_of(text)
    assert ("symptom", "cold_limb") not in facts_of(text)


def test_weight_not_put_on_a_leg_and_no_standing_on_her_own_are_weakness() -> None:
    assert ("symptom", "weakness") in facts_of(
        "she wont put any weight on her left leg"
    )
    assert ("symptom", "weakness") in facts_of("today i couldnt stand on my own")


def test_one_side_of_her_body_is_an_arm_and_a_leg_on_one_side() -> None:
    assert screen_text("today one side of her body is weak").definite == (
        "stroke_signs",
    )
    assert screen_text("earlier one side went numb for a bit").definite == (
        "stroke_signs",
    )
    assert ("body_part", "arm") not in facts_of("one side of my calf is swollen")


def test_a_leg_that_cannot_be_picked_up_is_weak() -> None:
    text = "i couldnt figure out how to pick the leg up"
    assert ("symptom", "weakness") in facts_of(text)


def test_a_swelling_that_keeps_growing_is_no_spell() -> None:
    assert ("onset", "intermittent") not in facts_of("the calf keeps swelling up")
    assert ("onset", "intermittent") in facts_of("my foot keeps tingling")


def test_an_opener_dated_today_tells_no_remembered_story() -> None:
    text = "today at school my leg went numb. my privates went numb too"
    assert ("body_part", "saddle_area") in facts_of(text)
    assert ("body_part", "saddle_area") in facts_of(
        "at school my privates went numb", "past"
    )


def test_a_numb_groin_is_a_possible_saddle_area() -> None:
    screen = screen_text("my groin went numb and now both feet tingle")
    assert screen.definite == ()
    assert "bladder_bowel_saddle" in screen.possible
    assert screen_text("i pulled my groin playing. my feet tingle").possible == ()


@pytest.mark.parametrize(
    "text",
    [
        "hurt my back two weeks ago, now theres a numb patch round my bum",
        "he cant feel anything in his backside, like his bum isnt there",
        "theres a patch near my tailbone where i cant feel much",
    ],
)
def test_a_numb_seat_named_by_its_nearest_words_is_a_possible_saddle_area(
    text: str,
) -> None:
    assert "bladder_bowel_saddle" in screen_text(text).possible
    assert screen_text("i fell on my tailbone last year, my toes tingle").possible == ()


def test_a_flare_of_burst_discs_is_the_disc_not_a_numb_saddle_passing() -> None:
    text = (
        "i have 2 burst discs, flares up now and then. now my buttock and the bit "
        "between my legs feel numb"
    )
    assert ("condition", "spine_disease") in facts_of(text)
    assert "bladder_bowel_saddle" in screen_text(text).definite


def test_a_sudden_severe_headache_with_legs_failing_is_a_stroke_sign() -> None:
    text = (
        "walking home, out of nowhere a really sharp headache, then my legs went "
        "numb and i went down"
    )
    assert "stroke_signs" in screen_text(text).definite
    # told with no sudden start: the check question first
    unsure = "ive got a really bad pain in my head and my legs feel weak and wobbly"
    assert screen_text(unsure).definite == ()
    assert "stroke_signs" in screen_text(unsure).possible
    waking = "woke up with a really bad pain in my head and my legs went from under me"
    assert "stroke_signs" in screen_text(waking).definite
    # a recurring pattern or a plain headache is no stroke sign
    assert screen_text("i get migraines and my feet tingle").definite == ()
    assert (
        "stroke_signs"
        not in screen_text(
            "for months ive had a sharp headache now and then and my feet tingle"
        ).definite
    )


def test_a_paralysis_after_which_one_could_move_again_passed() -> None:
    text = (
        "meditating, my whole body was numb and i couldnt move, like i was paralysed, "
        "only blink. about 1-2 minutes later i could move again"
    )
    assert screen_text(text).definite == ()
    assert "rapid_weakness" in screen_text(text).possible


def test_a_pain_that_stopped_is_no_numbness_that_passed() -> None:
    text = "on the way it stopped hurting but now my legs gave way"
    assert ("course", "resolved") not in facts_of(text)
    assert ("course", "resolved") in facts_of("my foot went numb and then it stopped")


def test_cant_walk_is_weakness_the_story_reads_and_at_all_is_paralysis() -> None:
    pain = "since the pregnancy the pain is worse, i cant walk"
    assert ("symptom", "paralysis") not in facts_of(pain)
    assert ("symptom", "weakness") in facts_of(pain)
    assert screen_text(pain).definite == ()
    assert ("symptom", "paralysis") in facts_of("i cant walk at all")
    sudden = "both my legs suddenly went numb and i cant walk"
    assert screen_text(sudden).definite == ("rapid_weakness",)


def test_come_over_weak_is_a_sudden_turn_and_the_weakness_stays() -> None:
    text = "he's come over weak and numb in both arms and both legs"
    facts = facts_of(text)
    assert {("onset", "sudden"), ("symptom", "weakness")} <= facts
    assert screen_text(text).definite == ("rapid_weakness",)
    assert ("onset", "sudden") not in facts_of("my mum came over and my leg was numb")


def test_a_dated_spell_with_its_length_is_a_past_episode_not_todays_time() -> None:
    text = (
        "half a year ago her right fingertips went prickly for a few minutes. "
        "this morning her leg gave out and she cant get her right side to move"
    )
    assert ("duration", "P6M") in facts_of(text, "past")
    assert ("duration", "P6M") not in facts_of(text)
    assert "stroke_signs" in screen_text(text).definite
    going_on = "numb since half a year ago, for a few minutes at a time"
    assert ("duration", "P6M") in facts_of(going_on)
    sudden = "two weeks ago i lost the sight in my left eye in about five minutes"
    assert ("duration", "P2W") in facts_of(sudden)


def test_the_length_of_a_past_symptom_is_past_too() -> None:
    text = (
        "years ago an operation left her paralysed for 4 months, she got most of it "
        "back. today she fell and couldn't get up"
    )
    assert ("duration", "P4M") in facts_of(text, "past")
    assert ("duration", "P4M") not in facts_of(text)
    # a date ("a few days ago") still dates the story, whatever its clause holds
    dated = (
        "this was meant to be a painting update but life happened. woke up a few "
        "days ago with back pain that shot right down my left leg, emergency doc "
        "said disc, gave me painkillers and said come back in 2 days."
    )
    assert ("duration", "P3D") in facts_of(dated)


def test_a_symptom_told_since_youth_has_lasted_years() -> None:
    assert find_durations("numb on my left side since i was about 16") == [
        ("P5Y", 21, 41)
    ]
    assert find_durations("my feet have tingled ever since childhood")[0][0] == "P5Y"


@pytest.mark.parametrize(
    "text",
    [
        "my legs wont do what i tell them",
        "my wrists and fingers just stopped doing what i tell them",
        "his hand and foot are clumsy and dont do what he wants",
        "i cant get my arm and leg to do what i want",
    ],
)
def test_a_limb_that_does_not_obey_is_weak(text: str) -> None:
    assert ("symptom", "weakness") in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "my dad has numb feet but he wont do what i tell him",
        "my legs ache. my son never does what i want",
    ],
)
def test_a_person_who_does_not_obey_is_no_weak_limb(text: str) -> None:
    assert ("symptom", "weakness") not in facts_of(text)


@pytest.mark.parametrize(
    "text", ["his arm went useless", "my leg goes useless", "her hand is going useless"]
)
def test_a_limb_gone_useless_is_weak_in_every_tense(text: str) -> None:
    assert ("symptom", "weakness") in facts_of(text)


def test_a_feeling_all_over_is_both_sides_unless_a_place_follows() -> None:
    assert ("side", "both") in facts_of(
        "he fell off the ladder and feels numb all over"
    )
    assert ("side", "both") not in facts_of("i fell and im numb all over my foot")


def test_a_chair_getting_hard_to_get_out_of_is_weakness() -> None:
    chair = "its getting hard to get out of my chair"
    assert ("symptom", "weakness") in facts_of(chair)
    assert facts_of("it is hard to get an appointment") == set()


def test_a_foot_that_looks_a_funny_colour_is_discoloured() -> None:
    text = "his foot looks a funny colour"
    assert ("symptom", "pale_or_blue_skin") in facts_of(text)


def test_a_paralysis_told_for_a_while_is_a_spell_that_passed() -> None:
    spell = "after the long kneeling my legs were paralysed for a while"
    assert screen_text(spell).possible == ("rapid_weakness",)
    assert screen_text("my legs are paralysed").definite == ("rapid_weakness",)


def test_a_list_summed_up_as_all_normal_is_denied_but_no_numbness_told() -> None:
    text = "i checked my face in the mirror, my speech and eyesight, all normal"
    assert ("symptom", "speech_problem") in facts_of(text, "negated")
    assert ("symptom", "vision_problem") in facts_of(text, "negated")
    told = "my legs went numb, all good now"
    assert ("sensation", "numbness") in facts_of(told)


def test_a_pain_said_just_before_a_failing_stand_is_its_reason() -> None:
    sore = facts_of("my feet are killing me, can barely stand")
    assert ("symptom", "weakness") not in sore
    assert ("symptom", "gait_problem") in sore
    assert ("symptom", "weakness") in facts_of("my feet are numb, can barely stand")


def test_a_foot_that_seems_to_droop_is_foot_drop_not_a_face() -> None:
    facts = facts_of("my left foot seems to droop more than the right")
    assert ("symptom", "foot_drop") in facts
    assert ("symptom", "facial_droop") not in facts


def test_legs_that_came_back_fine_are_a_spell_that_passed() -> None:
    text = "i couldnt feel either leg for ten minutes, then it came back fine"
    assert ("course", "resolved") in facts_of(text)
    assert screen_text(text).definite == ()


# ------------------------------------------------------------ a change from well
@pytest.mark.parametrize(
    "text",
    [
        "both my legs just gave out this morning, i was fine last night",
        "my son couldn't get out of bed this morning, his legs won't take his "
        "weight. last night he was totally fine",
        "last night i was walking normal. i wake up and my legs have no power",
    ],
)
def test_legs_failing_after_a_well_time_within_a_day_came_on_suddenly(
    text: str,
) -> None:
    assert ("onset", "sudden") in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        # the well time is the later one
        "both my legs gave out yesterday but i am fine now",
        # the well time is too long ago
        "i was fine last week, now my legs are weak",
        # the well time is denied
        "i wasn't fine last night and this morning my legs are weak",
        # a hard effort explains legs failing overnight
        "i was fine yesterday, ran a marathon, this morning my legs won't take "
        "my weight",
    ],
)
def test_no_sudden_change_without_a_well_time_just_before(text: str) -> None:
    assert ("onset", "sudden") not in facts_of(text)


def test_sudden_change_rules_reject_an_unknown_key(tmp_path: Path) -> None:
    from bot.nlu.sudden_change import load_sudden_change_rules

    path = tmp_path / "sudden_change.yml"
    path.write_text("sudden_change:\n  values: []\n  wel_words: [fine]\n")
    with pytest.raises(RuleFileError, match="wel_words"):
        load_sudden_change_rules(path)


# ------------------------------------------------------------ weekdays
@pytest.mark.parametrize(
    "text",
    [
        "my legs have been getting weaker since friday",
        "started with tingly toes monday, its wednesday now and i can barely walk",
        "she went from tingling feet on friday to needing help to stand today",
        "tingly on monday, by wednesday i could not walk",
    ],
)
def test_a_weekday_the_story_runs_from_dates_a_few_days(text: str) -> None:
    assert [v for v, _, _ in find_durations(text)] == ["P3D"]


@pytest.mark.parametrize(
    "text",
    ["i have yoga on monday and my leg is numb", "next friday i see the gp"],
)
def test_a_weekday_with_no_later_point_dates_nothing(text: str) -> None:
    assert find_durations(text) == []


def test_weakness_climbing_since_a_weekday_is_rapid_weakness() -> None:
    text = (
        "started with tingly toes monday, its wednesday now and i can barely get "
        "up the stairs"
    )
    assert "rapid_weakness" in screen_text(text).definite


# ------------------------------------------------------------ scary words, no sign
@pytest.mark.parametrize(
    "text",
    [
        "been gluing model planes with my kid all afternoon, we both feel fine. "
        "is that glue ok to use indoors?",
        "we painted the flat this weekend with the window open. i feel totally fine",
    ],
)
def test_a_solvent_used_with_no_symptom_is_no_poisoning(text: str) -> None:
    assert "solvent_poisoning" not in screen_text(text).definite


def test_a_solvent_with_a_symptom_is_still_poisoning() -> None:
    text = "i was painting in a closed room all day and now my feet tingle"
    assert "solvent_poisoning" in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "my droopy eyelid has been there since birth. why do my legs tingle",
        "my uncle has slurred ever since his stroke, thats just how he talks. "
        "his feet are cold at night",
    ],
)
def test_a_stroke_sign_told_as_lifelong_is_only_asked_about(text: str) -> None:
    screen = screen_text(text)
    assert "stroke_signs" not in screen.definite
    assert "stroke_signs" in screen.possible


def test_a_new_sign_after_an_old_stroke_is_still_a_stroke_sign() -> None:
    text = "dad had a stroke years ago and today his speech is slurred, leg numb"
    assert "stroke_signs" in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "can a plaster cast cause numbness? asking for a school project",
        "i read sudden weakness is an emergency. mine isnt, i have restless legs",
    ],
)
def test_a_general_question_or_reading_is_no_red_flag(text: str) -> None:
    screen = screen_text(text)
    assert not screen.definite


def test_a_question_after_a_tight_cast_keeps_the_cast() -> None:
    text = "my cast is really tight. can it cause numbness? my toes are numb"
    assert "tight_cast" in screen_text(text).definite


def test_an_end_feared_is_hypothetical_but_a_habit_is_not() -> None:
    text = "my teacher said i could end up with hemiplegia, my leg is numb"
    assert ("symptom", "paralysis") in facts_of(text, "hypothetical")
    assert ("sensation", "numbness") in facts_of(text)


def test_trouble_seeing_on_waking_unable_to_stand_is_a_sudden_sign() -> None:
    # the sudden onset comes from the functional-loss stage, after the timeline
    text = (
        "when he woke up he said his eyes were being weird and he couldnt see "
        "properly, and when he tried to get up he just couldnt stand"
    )
    assert "stroke_signs" in screen_text(text).definite


def test_a_relatives_cast_stays_when_no_clause_tells_the_persons_own() -> None:
    text = (
        "my dad has had his leg in plaster since his knee op this morning, the "
        "pain's far worse than the op itself, and his foot's gone numb"
    )
    assert "tight_cast" in screen_text(text).definite


def test_an_injury_of_a_hand_alone_is_no_injury_of_the_legs() -> None:
    text = (
        "line cook, the bottoms of my feet go dead and achy after a double. cut my "
        "finger on the mandoline too but thats unrelated"
    )
    facts = facts_of(text)
    assert ("trigger", "limb_injury") not in facts
    assert ("trigger", "injury") not in facts


def test_an_injury_of_a_foot_is_still_a_limb_injury() -> None:
    assert ("trigger", "limb_injury") in facts_of("sprained my ankle, foot is numb")


def test_someone_elses_injury_is_dropped_when_i_tell_my_own() -> None:
    text = "my sister slipped and broke her wrist, i have tingling toes"
    assert ("trigger", "injury") not in facts_of(text)


@pytest.mark.parametrize(
    "text, condition",
    [
        (
            "my mum has diabetes and MS. my toes have been tingling for a month",
            "diabetes",
        ),
        (
            "my aunt has MS so my brain goes there, my feet go numb",
            "multiple_sclerosis",
        ),
        ("my wife is pregnant and i have numb feet", "pregnancy"),
    ],
)
def test_a_relatives_illness_is_family_history_when_i_tell_my_own(
    text: str, condition: str
) -> None:
    assert ("condition", condition) not in facts_of(text)


@pytest.mark.parametrize(
    "text, condition",
    [
        ("my dad has diabetes and his feet are numb", "diabetes"),
        (
            "my wife has MS, her left leg went numb, she couldnt feel me rubbing it",
            "multiple_sclerosis",
        ),
        ("my husband and i both smoke. my calf goes numb", "smoking"),
    ],
)
def test_an_illness_of_the_person_whose_story_it_is_stays(
    text: str, condition: str
) -> None:
    assert ("condition", condition) in facts_of(text)


# ------------------------------------------------------------ fever readings
@pytest.mark.parametrize(
    "text, fever",
    [
        ("the thermometer said 38.9 last night", True),
        ("temp of 39 since yesterday", True),
        ("a fever of 102", True),
        ("running 101 degrees", True),
        ("the thermometer said 37.2 this morning", False),
        ("38f here, numb feet", False),
        ("im 39, numb feet", False),
        ("i work as a temp, 40 hours a week", False),
    ],
)
def test_a_temperature_reading_is_a_fever_from_38_degrees(
    text: str, fever: bool
) -> None:
    assert (("symptom", "fever") in facts_of(text)) is fever


def test_a_fever_reading_with_back_pain_and_a_numb_leg_is_the_red_flag() -> None:
    text = (
        "thermometer said 38.9 last night. my lower back is really painful. "
        "today my right leg has gone numb"
    )
    assert "fever_back_pain" in screen_text(text).definite


def test_a_temperature_word_before_a_normal_reading_is_no_fever() -> None:
    text = "my back is killing me and my temp was 37.2 this morning, legs tingly"
    assert ("symptom", "fever") not in facts_of(text)
    assert "fever_back_pain" not in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "this happens to me 3 or 4 times a month: tingling down one side, face and "
        "leg, for up to an hour. i have a long history of panic",
        "i have ms and ive had this side flare in heat before, my right arm and leg "
        "are tingly today, its the old symptoms back",
    ],
)
def test_a_known_conditions_familiar_spell_is_only_asked_about(text: str) -> None:
    screen = screen_text(text)
    assert "stroke_signs" not in screen.definite
    assert "stroke_signs" in screen.possible


@pytest.mark.parametrize(
    "text",
    [
        "i have anxiety and get tingles every time i panic, but this time my face "
        "drooped on the left and my leg is numb",
        "i have ms, never had this before: my face is numb and my leg is weak",
        "my mum has had ms for years. her face looks different on one side and her "
        "speech is slurred. is this just an ms flare up?",
    ],
)
def test_a_new_or_guessed_spell_stays_a_stroke_sign(text: str) -> None:
    assert "stroke_signs" in screen_text(text).definite


def test_back_pain_then_both_legs_weak_within_the_hour_is_rapid_weakness() -> None:
    text = (
        "i stood up from my chair about 20 mins ago and got the worst pain of my "
        "life across my lower back, shooting into both legs. now my legs barely "
        "want to move"
    )
    assert "rapid_weakness" in screen_text(text).definite


def test_back_pain_with_legs_weak_for_an_hour_that_passed_is_no_emergency() -> None:
    text = (
        "my back ached and both legs felt weak for an hour after the gym yesterday, "
        "all fine now"
    )
    assert "rapid_weakness" not in screen_text(text).definite


def test_a_day_part_opening_a_longer_subject_dates_the_symptom() -> None:
    text = "yesterday evening the front of my thigh went numb and it is creeping"
    assert [v for v, _, _ in find_durations(text)] == ["P1D"]


def test_legs_that_barely_want_to_move_are_weak() -> None:
    assert ("symptom", "weakness") in facts_of("now my legs barely want to move")


# ------------------------------------------------------------ fillers and denials
@pytest.mark.parametrize(
    "text",
    [
        "my right leg just didnt work",
        "my leg kind of gave way",
        "my right hand isn't really doing what i tell it",
    ],
)
def test_a_hedge_inside_a_phrase_does_not_break_it(text: str) -> None:
    assert ("symptom", "weakness") in facts_of(text)


def test_a_hedge_never_joins_a_posture_phrase() -> None:
    assert ("trigger", "crossed_legs") not in facts_of("my legs just folded under me")


def test_a_summed_up_denial_denies_the_symptom_listed_before_it() -> None:
    text = "peeing and everything down there is totally normal"
    assert "bladder_bowel_saddle" not in screen_text(text).definite
    assert ("symptom", "bladder_bowel_dysfunction") not in facts_of(text)


def test_a_summed_up_denial_never_reaches_a_numbness() -> None:
    text = "my toes are numb and everything down there is fine"
    assert ("sensation", "numbness") in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "my left hand lost its grip and my left leg is heavy",
        "the cup slipped out of my right hand and my right leg didnt work",
    ],
)
def test_a_hand_that_drops_things_is_weak(text: str) -> None:
    assert "stroke_signs" in screen_text(text).definite


def test_a_weekday_before_since_then_dates_the_symptom() -> None:
    text = "fell down the stairs on tuesday. since then my left foot is numb"
    assert [v for v, _, _ in find_durations(text)] == ["P3D"]


def test_a_back_injury_days_ago_with_one_leg_numb_is_soon_not_an_ambulance() -> None:
    one_leg = (
        "fell down the stairs on tuesday and landed on my lower back. since then "
        "my left foot is numb"
    )
    assert "spinal_injury" not in screen_text(one_leg).definite
    both_legs = (
        "fell down the stairs on tuesday and landed on my lower back. since then "
        "both my legs are numb"
    )
    assert "spinal_injury" in screen_text(both_legs).definite
    fresh = "fell down the stairs an hour ago onto my lower back, my left foot is numb"
    assert "spinal_injury" in screen_text(fresh).definite


def test_a_spread_told_as_where_it_is_now_outlasts_a_better_day_before() -> None:
    text = (
        "mum's leg numbness has crept up and it's now above her knees. "
        "she had a slightly better day yesterday"
    )
    assert ("course", "spreading") in facts_of(text)
    over = "it crept up my shin to the knee. it was fine by the next morning"
    assert ("course", "spreading") not in facts_of(over)


def test_a_body_that_cannot_sit_up_is_weak_not_sitting() -> None:
    facts = facts_of("this morning i cannot sit up in bed")
    assert ("symptom", "weakness") in facts
    assert ("trigger", "sitting") not in facts
    assert ("trigger", "sitting") in facts_of("i can't sit for long")


@pytest.mark.parametrize(
    "text,fact",
    [
        ("getting out of the truck my legs gave out", ("trigger", "crossed_legs")),
        ("he was spitting grass out", ("trigger", "sitting")),
        ("lugging heavy boxes up the stairs", ("trigger", "tight_clothing")),
        ("i sweated through the night", ("trigger", "sitting")),
    ],
)
def test_a_position_or_garment_that_explains_numbness_is_never_a_spelling_guess(
    text: str, fact: tuple
) -> None:
    assert fact not in facts_of(text)


def test_a_loss_denied_in_a_later_sentence_is_getting_better() -> None:
    text = (
        "getting out of the car my legs gave out and i ended up on the floor. "
        "this morning my legs held fine and i can do the stairs"
    )
    assert ("course", "improving") in facts_of(text)
    assert "rapid_weakness" not in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "ortho appointment in 3 weeks",
        "my follow up scan is in 6 months",
        "he says it'll sort itself out in a week or two",
        "pretty sure its muscle stuff and will be fine in 2 or 3 days",
        "the surgeon says the nerve will wake up in a week",
        "i'm going to rest it and see in a few days",
        "the numbness in my leg and foot will hang around a couple of months",
        "the leg pain will fade over 3-4 months",
        "the skin feeling could take up to half a year if it comes back",
    ],
)
def test_a_plan_or_hope_ahead_dates_no_symptom(text: str) -> None:
    assert find_durations(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("at first i could only take 10 min, now about 20", "PT10M"),
        ("my foot keeps going to sleep and for a few months now", "P3M"),
        ("it should have settled after 3 weeks", "P3W"),
    ],
)
def test_a_past_ability_or_a_sleeping_foot_is_no_forecast(
    text: str, value: str
) -> None:
    assert [v for v, _, _ in find_durations(text)] == [value]


def test_a_day_told_in_a_clause_of_its_own_dates_the_deficit_after_it() -> None:
    text = (
        "for months the pain has been going into her leg. this morning she woke up "
        "crying, she managed to stand up but cant take a single step"
    )
    assert _duration(text) == "PT6H"
    assert "rapid_weakness" in screen_text(text).definite


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("she cant take a single step", True),
        ("he couldnt take a step without falling", True),
        ("unable to take steps to fix it", False),
    ],
)
def test_not_one_step_is_legs_that_fail(text: str, told: bool) -> None:
    assert (("symptom", "weakness") in facts_of(text)) is told


def test_a_new_deficit_after_an_older_pain_is_dated_by_its_own_length() -> None:
    text = (
        "about two weeks ago his back started hurting and now he cant straighten "
        "up at all. the last few days both his legs have gone numb and he says "
        "they feel weak"
    )
    assert _duration(text) == "P3D"


def test_a_new_deficit_told_with_the_old_pain_is_dated_by_its_own_length() -> None:
    text = (
        "for about 6 months ive had on and off low back pain going down the leg. "
        "this last month its been shooting down my calf and for 4 days now my "
        "left foot slaps, i cant pull the front of it up"
    )
    assert _duration(text) == "P4D"


def test_backs_in_the_plural_are_a_things_not_the_persons() -> None:
    skates = "every lap the stiff backs dig into my ankles and my toes go numb"
    assert ("symptom", "back_pain") not in facts_of(skates)
    assert ("symptom", "back_pain") in facts_of("my stiff back and numb toes")


def test_no_feeling_for_a_while_now_is_the_symptoms_length() -> None:
    text = "58. for a while now i've had no feeling in my legs. took the dog out"
    assert [v for v, _, _ in find_durations(text)] == ["P1M"]


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (
            "the skin on it is a different colour from the other one",
            "pale_or_blue_skin",
        ),
        ("my calves look massive", "swelling"),
        ("it's getting harder to walk", "gait_problem"),
        ("i cant control my legs, they move like a puppet on strings", "gait_problem"),
        ("now its up past my knees", "spreading"),
        ("my legs have quit on me completely", "paralysis"),
        ("her left leg just went from under her", "weakness"),
        ("his legs went out from under him", "weakness"),
    ],
)
def test_lay_words_for_signs_are_read(text: str, fact: str) -> None:
    assert fact in {str(value) for _, value in facts_of(text)}


def test_a_later_length_of_a_new_pain_leaves_the_older_numbness_its_age() -> None:
    text = "my thigh has been numb for 6 years. the past few weeks it burns when i walk"
    assert _duration(text) == "P6Y"


def test_an_operation_on_the_spine_is_an_operation_and_a_spine_disease() -> None:
    facts = facts_of("had my disc op on friday, back home now")
    assert ("condition", "recent_surgery") in facts
    assert ("condition", "spine_disease") in facts


def test_a_squashed_nerve_is_no_blow() -> None:
    facts = facts_of("the surgeon said the nerve was squashed flat")
    assert ("trigger", "injury") not in facts


def test_hours_of_overtime_a_week_are_no_symptom_length() -> None:
    text = "(15+ hrs overtime a week) and about 20 min ago my thigh went numb"
    assert [v for v, _, _ in find_durations(text)] == ["PT20M"]


def test_legs_that_wont_hold_him_this_morning_are_dated_today() -> None:
    text = "this morning he got out of bed and dropped, says his legs wont hold him"
    assert _duration(text) == "PT6H"
    assert "rapid_weakness" in screen_text(text).definite


def test_an_injury_since_college_is_years_old() -> None:
    assert [v for v, _, _ in find_durations("a back injury since college")] == ["P5Y"]


def test_a_touch_on_the_skin_is_no_bladder_trouble() -> None:
    text = "it went so numb i couldn't feel myself pinching it"
    assert ("symptom", "bladder_bowel_dysfunction") not in facts_of(text)


def test_blue_veins_showing_are_varicose_not_a_blue_leg() -> None:
    facts = facts_of("her legs ache and there are wiggly blue veins showing")
    assert ("condition", "varicose_veins") in facts
    assert ("symptom", "pale_or_blue_skin") not in facts


def test_words_that_will_not_come_are_trouble_speaking() -> None:
    assert ("symptom", "speech_problem") in facts_of("the words aren't coming")


def test_a_hand_on_one_side_with_plural_legs_is_a_possible_stroke_cue() -> None:
    text = "his legs gave way. he says his left hand is tingling"
    assert "stroke_signs" in screen_text(text).possible
    assert (
        "stroke_signs"
        not in screen_text("both my feet are numb and my right thumb tingles").possible
    )


def test_kneeling_on_the_floor_is_a_folded_position() -> None:
    text = (
        "knelt on the floor the whole time the monk was chanting. my legs went "
        "completely numb and i couldn't get any strength into them"
    )
    assert ("trigger", "crossed_legs") in facts_of(text)
    assert "rapid_weakness" not in screen_text(text).definite


def test_nothing_from_a_level_down_is_no_feeling_there() -> None:
    facts = facts_of("woke up and there was nothing from the waist down")
    assert ("sensation", "loss_of_sensation") in facts
    assert ("body_part", "whole_leg") in facts
    assert ("body_part", "lower_leg") in facts_of(
        "nothing below my knees since this morning"
    )


def test_a_person_who_fell_asleep_slept_and_a_leg_that_did_went_numb() -> None:
    assert ("sensation", "numbness") not in facts_of(
        "i fell asleep on the sofa after lunch"
    )
    assert ("sensation", "numbness") in facts_of("my leg fell asleep on the sofa")


def test_better_each_day_is_the_course_not_a_relief() -> None:
    facts = facts_of(
        "my thigh feels dead but im walking ok and its a bit better each day"
    )
    assert ("course", "improving") in facts
    assert ("trigger", "movement_relief") not in facts
    assert ("trigger", "movement_relief") in facts_of(
        "my foot goes numb, walking helps"
    )


def test_fine_today_has_passed() -> None:
    assert ("course", "resolved") in facts_of(
        "my foot went pins and needles after the fall. feel totally normal today"
    )


def test_that_or_it_points_back_to_the_body_part_just_before() -> None:
    text = (
        "right leg just didnt work. i grabbed the wall with my right hand and that "
        "gave way too"
    )
    assert "stroke_signs" in screen_text(text).definite
    cast_off = "got my leg cast off this morning and it feels dead"
    assert "tight_cast" not in screen_text(cast_off).definite


def test_a_denial_does_not_reach_a_new_statement_opening_its_mention() -> None:
    assert ("course", "improving") in facts_of(
        "havent ridden for 2 weeks and its better"
    )


def test_a_bit_inside_a_phrase_does_not_break_it() -> None:
    assert ("symptom", "speech_problem") in facts_of("his voice sounds a bit strange")


def _duration(text: str) -> str | None:
    return facts_from_entities(get_pipeline().parse(text).entities).duration


def test_a_story_date_older_than_the_symptom_does_not_date_it() -> None:
    text = (
        "my dad came home from hospital two days ago. tonight his leg started "
        "hurting really badly and the colour of it looks wrong"
    )
    assert _duration(text) == "PT2H"
    assert "acute_limb_ischemia" in screen_text(text).definite
    stroke = (
        "its been 3 years since my stroke and now the foot drop has been gone 7 days"
    )
    assert _duration(stroke) == "P3Y"


def test_trouble_passing_urine_is_bladder_trouble() -> None:
    text = "now hes having trouble passing urine and his legs are weak"
    assert "bladder_bowel_saddle" in screen_text(text).definite


def test_water_running_out_of_one_side_of_the_mouth_is_a_drooping_face() -> None:
    assert ("symptom", "facial_droop") in facts_of(
        "i gave him water and some ran out the right side of his mouth"
    )


def test_and_or_any_is_no_count_and_unit() -> None:
    assert find_durations("wiggled my toes, got up after and it came back") == []
    assert [d[0] for d in find_durations("numb for 3hrs")] == ["PT3H"]


def test_a_limb_feared_to_fall_off_is_no_fall() -> None:
    text = "i couldnt feel my foot and was panicking the leg will fall off"
    assert ("trigger", "injury") not in facts_of(text)


def test_a_side_a_limb_feels_different_to_is_not_told_of() -> None:
    facts = facts_of(
        "the skin on my left thigh feels different to the right, kind of tingly"
    )
    assert ("side", "left") in facts
    assert ("side", "right") not in facts


def test_and_this_morning_dates_the_change_it_opens() -> None:
    text = "my mum is 58 and this morning both her legs just went weak, she cant stand"
    assert _duration(text) == "PT6H"
    assert "rapid_weakness" in screen_text(text).definite


def test_a_day_told_with_what_the_person_was_doing_dates_the_change() -> None:
    text = (
        "walking in a fashion show this afternoon and the second i stepped out my "
        "left leg went numb and i couldnt figure out how to pick the leg up"
    )
    assert _duration(text) == "PT3H"
    assert "rapid_weakness" in screen_text(text).definite
    # ... only when nothing else dates the story
    told = "on the bus this morning my left leg went numb like it has for 3 years"
    assert _duration(told) == "P3Y"


@pytest.mark.parametrize(
    "text",
    [
        "this morning going down the stairs he said his feet had no spring and he"
        " couldnt walk straight",
        "when he got up this morning one of his feet was cold",
    ],
)
def test_a_day_told_with_a_loss_or_a_getting_up_dates_the_change(text: str) -> None:
    assert _duration(text) == "PT6H"


@pytest.mark.parametrize(
    "text",
    [
        "lay down on my left side when i got home and it went. no swelling",
        "pins and needles from the knee down for 3 weeks then it just went",
    ],
)
def test_a_spell_that_simply_went_has_passed(text: str) -> None:
    assert ("course", "resolved") in facts_of(text)
    assert ("symptom", "weakness") not in facts_of(text)


def test_a_spell_that_went_into_a_feeling_has_not_passed() -> None:
    assert ("course", "resolved") not in facts_of("it went numb and then cold")


def test_a_count_told_of_something_else_says_nothing_of_a_paralysis() -> None:
    text = (
        "now she basically cant move her legs. we've rung the surgeons office a "
        "couple of times and they keep saying wait"
    )
    assert "rapid_weakness" in screen_text(text).definite
    spell = "a couple of times now i couldnt move my legs"
    assert "rapid_weakness" in screen_text(spell).possible


@pytest.mark.parametrize(
    "text",
    [
        "spent today lugging heavy boxes helping a friend move",
        "we had to help him up and walk him to the car",
    ],
)
def test_help_given_to_a_person_is_no_relief(text: str) -> None:
    assert ("trigger", "movement_relief") not in facts_of(text)


def test_a_walk_that_helps_the_legs_is_still_relief() -> None:
    assert ("trigger", "movement_relief") in facts_of(
        "numb when i sit, walking helps my legs"
    )


def test_a_hand_that_cannot_press_is_weak_not_denied() -> None:
    text = (
        "she couldn't press the flush with her hand, and now both her legs feel "
        "like theyve gone to sleep"
    )
    assert ("symptom", "weakness") in facts_of(text)
    assert ("body_part", "hand") in facts_of(text)


def test_a_person_who_fell_asleep_kneeling_is_no_passing_spell() -> None:
    text = (
        "he had rice wine with dinner and fell asleep kneeling by the heater for 8 "
        "hours. when he woke up his legs wouldnt move at all and he still cant move "
        "them"
    )
    assert ("sensation", "numbness") not in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite


def test_on_my_feet_is_standing_but_a_cut_on_my_foot_is_a_site() -> None:
    assert ("trigger", "standing") not in facts_of("a cut on my foot that wont heal")
    assert ("trigger", "standing") not in facts_of("he fell asleep sitting on his foot")
    assert ("trigger", "standing") in facts_of("numb toes after standing all day")


def test_legs_failing_within_days_are_both_legs() -> None:
    text = (
        "a couple of days ago he was moaning about a pulled muscle in his back. now "
        "he says he cant feel his legs properly"
    )
    assert "rapid_weakness" in screen_text(text).definite
    # a spell of minutes is no date of the legs failing
    spell = "after 5 mins in the kayak my legs go totally dead and fold under me"
    assert "rapid_weakness" not in screen_text(spell).definite


def test_the_day_a_person_could_not_stand_dates_it() -> None:
    text = (
        "ive done nitrous balloons since i was 16. last night i got sharp shooting "
        "pains in my spine and this morning i couldn't stand up, my legs feel like "
        "theyre not there"
    )
    assert _duration(text) == "PT6H"
    assert "rapid_weakness" in screen_text(text).definite


def test_footy_is_a_sport_not_a_foot() -> None:
    facts = facts_of("my son went down in a tackle at footy, pins and needles")
    assert ("trigger", "sport") in facts
    assert ("body_part", "foot") not in facts


def test_going_over_the_handlebars_is_an_injury() -> None:
    text = (
        "went over the bars mountain biking, got up with a little pain in my left "
        "calf. now i have no power in that leg and the calf is swollen but theres no "
        "bruise"
    )
    facts = facts_of(text)
    assert ("trigger", "injury") in facts or ("trigger", "limb_injury") in facts
    assert "tight_cast" in screen_text(text).definite


@pytest.mark.parametrize(
    "text", ["no back pain, peeing itself works fine", "my bladder is working fine"]
)
def test_a_bladder_that_works_fine_is_denied(text: str) -> None:
    assert "bladder_bowel_saddle" not in screen_text(text).definite
    assert ("symptom", "bladder_bowel_dysfunction") not in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "since the op my bottom is still numb like its paralysed",
        "on the loo too long my legs go numb, like im paralysed from the waist down",
    ],
)
def test_a_paralysis_told_as_a_likeness_is_only_possible(text: str) -> None:
    assert ("symptom", "paralysis") in facts_of(text, "possible")
    assert "rapid_weakness" not in screen_text(text).definite
    assert "rapid_weakness" in screen_text(text).possible


def test_the_lower_half_of_the_body_names_no_arm_and_no_side() -> None:
    facts = facts_of("i couldnt feel the lower half of my body")
    assert {("body_part", "whole_leg"), ("side", "both")} <= facts
    assert ("body_part", "arm") not in facts
    assert ("side", "one") not in facts


@pytest.mark.parametrize(
    "text",
    [
        "my leg tingles. im scared its a clot, or that ill lose control of my bladder",
        "my leg tingles and im scared of losing control of my bladder",
    ],
)
def test_a_feared_loss_of_control_is_no_red_flag_now(text: str) -> None:
    assert ("symptom", "bladder_bowel_dysfunction") not in facts_of(text)
    assert "bladder_bowel_saddle" not in screen_text(text).definite


# ------------------------------------------------------------ squeezing wear
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("the foot doc says its because my sneaker is too confining", True),
        ("the doctor thinks its the boots squashing his toes", True),
        ("i walked around all day in quite tight strappy sandals", True),
        ("my feet are quite wide and my shoes are fairly narrow", True),
        ("his shoulder felt odd, like his wetsuit was too tight", False),
        ("i loosened the boot thinking it was too tight but no change", False),
        ("the doc said make sure my shoes arent tight", False),
    ],
)
def test_something_worn_told_as_squeezing_is_tight_clothing(
    text: str, found: bool
) -> None:
    assert (("trigger", "tight_clothing") in facts_of(text)) is found


@pytest.mark.parametrize(
    "text",
    [
        "had a microdiscectomy at L4/L5 a couple of years back, my big toes are numb",
        "ive had a disc hernia since uni and now my little toe is numb",
        "exactly like when i herniated a disc back in 2012, my leg tingles",
        "four years since my back operation and now both soles go buzzy",
        "MRI showed something pressing on a nerve at L4/L5, her shin is numb",
    ],
)
def test_a_named_back_problem_is_a_spine_condition(text: str) -> None:
    assert ("condition", "spine_disease") in facts_of(text)


@pytest.mark.parametrize(
    ("text", "fact", "found"),
    [
        ("he says his legs wont hold him", ("symptom", "weakness"), True),
        ("her legs suddenly went lame", ("symptom", "weakness"), True),
        (
            "she cant feel anything from about her tummy down",
            ("body_part", "trunk"),
            True,
        ),
        ("he cant feel the left leg or arm properly", ("side", "left"), True),
        ("my left leg feels weaker than the right", ("side", "right"), False),
        ("it just doesnt feel right, my foot is numb", ("side", "right"), False),
        (
            "my leg is numb, like your cheek after the dentist",
            ("body_part", "face"),
            False,
        ),
        (
            "his feet are numb and feel cold when i touch them",
            ("symptom", "cold_limb"),
            True,
        ),
        ("my feet feel cold when i go out", ("symptom", "cold_limb"), False),
        (
            "i was on my hands and knees and my toe went numb",
            ("body_part", "hand"),
            False,
        ),
    ],
)
def test_lay_words_for_weakness_levels_sides_images_and_touch(
    text: str, fact: Tuple[str, str], found: bool
) -> None:
    assert (fact in facts_of(text)) is found


def test_the_other_leg_going_the_same_way_is_spreading() -> None:
    text = (
        "he woke up this morning saying his right leg felt weak. a few hours later "
        "the left one is going the same way"
    )
    assert ("course", "spreading") in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite
    assert ("course", "spreading") not in facts_of(
        "my foot went numb two weeks ago. my mum says hers did the same around 40"
    )


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("woke up this morning and im numb from the waist down", True),
        ("by sunday the numbness had climbed up to my belly button", True),
        ("the tingling is up to my chest now", True),
        ("numb from the hips down after the long drive", False),
        ("i do ice baths up to the waist and my toes go numb", False),
    ],
)
def test_numbness_that_reaches_the_waist_or_chest_tells_a_level_on_the_trunk(
    text: str, level: bool
) -> None:
    assert (("body_part", "trunk") in facts_of(text)) is level


@pytest.mark.parametrize(
    ("text", "worn"),
    [
        ("wore 4 inch silver heels to a wedding and my toes are numb", True),
        ("i adore my designer heels but my toes go numb", True),
        ("i wear heels for work and my feet go numb by evening", True),
        ("a desk job in 8cm heels, my toes were numb", True),
        ("wore high heels to a party and my toes went numb", True),
        ("my heels are numb", False),
        ("kneeling on my heels for an hour my feet went numb", False),
        ("both heels hurt and tingle", False),
        ("i can still walk on my toes and heels fine", False),
    ],
)
def test_heels_told_as_worn_are_shoes_not_the_heel_of_the_foot(
    text: str, worn: bool
) -> None:
    facts = facts_of(text)
    assert (("trigger", "tight_clothing") in facts) is worn
    assert (("body_part", "heel") in facts) is not worn


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("when i went to call my wife nothing came out at first", True),
        ("i tried to answer her but nothing would come out", True),
        ("i tried to pee and nothing came out", False),
        ("i went to call my wife. nothing came out of the tap", False),
    ],
)
def test_a_try_at_speaking_that_brought_no_words_is_trouble_speaking(
    text: str, found: bool
) -> None:
    assert (("symptom", "speech_problem") in facts_of(text)) is found


@pytest.mark.parametrize(
    "text",
    [
        "she is too weak to stand. bloods came back normal so we wait",
        "my foot is numb and the mri came back fine",
    ],
)
def test_a_test_that_came_back_normal_is_no_end_of_the_spell(text: str) -> None:
    assert ("course", "resolved") not in facts_of(text)


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("he says its a pulled muscle and will wear off", ("course", "resolved")),
        ("the chemist said i'd be fine by morning", ("course", "resolved")),
        ("the chemist said id be fine by morning", ("course", "resolved")),
        ("a few times i had a poo accident i didnt feel coming", ("trigger", "injury")),
        ("he needed the toilet but his legs wouldnt move", ("trigger", "sitting")),
        (
            "gray haired grandpa here, my big toe is numb",
            ("symptom", "pale_or_blue_skin"),
        ),
        (
            "my legs are weak, now someone has to help me walk",
            ("trigger", "movement_relief"),
        ),
        ("sharp pain running down my legs when i walk", ("trigger", "sport")),
        ("i walk with a crutch and both legs are numb", ("body_part", "groin")),
        ("the leg sort of catches when i walk fast", ("trigger", "movement_relief")),
        ("both calves feel numb, like he'd run a marathon", ("trigger", "sport")),
        ("sore like i'd moved a couch, which i hadnt", ("trigger", "sitting")),
        (
            "my leg is weak, i couldnt lift it to get my jeans on",
            ("trigger", "tight_clothing"),
        ),
    ],
)
def test_a_word_said_of_something_else_is_not_its_fact(
    text: str, fact: Tuple[str, str]
) -> None:
    assert fact not in facts_of(text)


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("it wore off after an hour", ("course", "resolved")),
        ("i sat on the toilet for ages and my legs went numb", ("trigger", "sitting")),
        ("walking helps me a lot", ("trigger", "movement_relief")),
        ("like i said, i sat on the sofa for hours", ("trigger", "sitting")),
    ],
)
def test_the_same_words_said_of_the_leg_keep_their_fact(
    text: str, fact: Tuple[str, str]
) -> None:
    assert fact in facts_of(text)


@pytest.mark.parametrize(
    ("text", "fact", "told"),
    [
        ("his leg went dead, couldnt feel it or lift it properly", "weakness", True),
        ("my left leg, i couldnt lift it properly this morning", "weakness", True),
        ("i couldnt lift the box properly", "weakness", False),
        ("cant move them and says he cant feel them properly", "speech_problem", False),
        ("it hurts so much he cant put weight on it or walk", "gait_problem", True),
    ],
)
def test_a_cue_governs_a_second_verb_with_the_same_pronoun(
    text: str, fact: str, told: bool
) -> None:
    assert (("symptom", fact) in facts_of(text)) is told


def test_accidents_in_the_pants_are_a_loss_of_bladder_control_not_an_injury() -> None:
    facts = facts_of("shes had a couple of accidents in her pants, not like her")
    assert ("symptom", "bladder_bowel_dysfunction") in facts
    assert ("trigger", "injury") not in facts


@pytest.mark.parametrize(
    "text",
    [
        "in each long sitting it feels like my body is getting paralysed",
        "its like my legs are paralysed when i get up from the floor",
    ],
)
def test_a_likeness_naming_its_part_is_only_possible(text: str) -> None:
    screen = screen_text(text)
    assert "rapid_weakness" in screen.possible
    assert "rapid_weakness" not in screen.definite


@pytest.mark.parametrize(
    "text",
    [
        "the left leg goes numb and sort of paralysed when i sit",
        "for me its mostly numbness and a kind of paralysis feeling rather than pain",
        "my feet have gone buzzy and muffled, like a mild paralysis",
        "the leg feels weird, heavy and stiff. is this paralysis?",
    ],
)
def test_a_hedged_or_questioned_paralysis_is_only_possible(text: str) -> None:
    screen = screen_text(text)
    assert "rapid_weakness" in screen.possible
    assert "rapid_weakness" not in screen.definite


@pytest.mark.parametrize(
    "text",
    [
        "my legs are paralysed, is it a stroke",
        "i have a bit of a headache and my legs are paralysed since this morning",
    ],
)
def test_a_paralysis_told_plainly_stays_definite(text: str) -> None:
    assert "rapid_weakness" in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "my legs wouldnt work properly. it's settled now after about half an hour",
        "took over half an hour but it settled down again",
    ],
)
def test_a_spell_told_as_settled_has_passed(text: str) -> None:
    assert ("course", "resolved") in facts_of(text)


def test_symptoms_that_come_right_back_have_not_passed() -> None:
    assert ("course", "resolved") not in facts_of(
        "i stop for a bit and they come right back"
    )


def test_a_liking_of_its_own_clause_leaves_the_paralysis_a_fact() -> None:
    text = "i like my legs, they are paralysed since this morning"
    assert "rapid_weakness" in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "since yesterday the toe has gone black, really black, and hurts more and more",
        "his foot has been hurting and tonight a couple of his toes have gone a dark"
        " almost black colour",
    ],
)
def test_toes_newly_black_with_pain_are_the_blocked_artery(text: str) -> None:
    assert "acute_limb_ischemia" in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "varicose veins for years, the skin above his ankle has gone dark purple,"
        " almost black in places, and he gets painful cramps",
        "a sore on my foot has been there for two months, it has gone black and hurts",
    ],
)
def test_dark_skin_of_long_standing_is_no_blocked_artery(text: str) -> None:
    assert "acute_limb_ischemia" not in screen_text(text).definite


def test_one_foot_found_cold_and_paler_is_the_blocked_artery() -> None:
    text = "when he got up this morning one of his feet was cold and a bit paler"
    assert "acute_limb_ischemia" in screen_text(text).definite


def test_cold_pale_feet_in_the_cold_are_no_blocked_artery() -> None:
    text = "out in the snow both my feet went cold and white"
    assert "acute_limb_ischemia" not in screen_text(text).definite


def test_a_pressure_the_teller_only_took_it_for_explains_nothing() -> None:
    text = (
        "4 hours ago my right hand went all pins and needles, figured id leaned on"
        " it. its crept up the arm since and now my right foot is doing the same"
    )
    assert "stroke_signs" in screen_text(text).definite
    told = "my right hand went numb from leaning on it and my right foot tingles"
    assert "stroke_signs" not in screen_text(told).definite


def test_a_pressure_guessed_in_the_present_tense_explains_nothing() -> None:
    text = (
        "he says his right arm is numb, reckons he slept on it, but his right leg "
        "also wont move however hard he tries"
    )
    assert "stroke_signs" in screen_text(text).definite


def test_one_cold_pale_leg_told_without_a_time_is_no_blocked_artery() -> None:
    # the general red-flag check asks about it; with weeks or a crept-on onset it
    # is no sudden blockage either
    for text in (
        "just one leg, yes, it's cold and pale",
        "just one leg, gradual over weeks, yes, it's cold and pale",
    ):
        assert "acute_limb_ischemia" not in screen_text(text).definite


def test_everything_going_black_is_a_blackout_not_black_skin() -> None:
    text = "an hour ago everything went black for a moment and now my leg hurts"
    assert ("symptom", "skin_ulcer") not in facts_of(text)
    assert "acute_limb_ischemia" not in screen_text(text).definite


def test_a_droop_told_only_of_a_foot_is_a_foot_drop() -> None:
    text = "im 32 and my foot has drooped since i was a toddler"
    assert ("symptom", "foot_drop") in facts_of(text)
    assert "stroke_signs" not in screen_text(text).definite
    assert (
        "stroke_signs" in screen_text("his face drooped and his leg went numb").definite
    )


def test_a_position_told_as_what_they_took_it_for_is_no_fact() -> None:
    text = "his right leg felt weak this morning, he reckons he slept funny"
    assert ("trigger", "lying") not in facts_of(text)
    told = "we think he was out cold on the floor on his left side for like 12 hours"
    assert ("trigger", "lying") in facts_of(told)


@pytest.mark.parametrize(
    "text",
    [
        "walking through town tonight my legs just quit on me and i cant get back up",
        "monday getting ready for work my legs just stopped and i was on the floor",
    ],
)
def test_legs_that_just_quit_are_weak(text: str) -> None:
    assert ("symptom", "weakness") in facts_of(text)


def test_a_remedy_asked_about_is_no_trigger() -> None:
    text = "my left leg went weak this morning. should i just lie down for a bit?"
    assert ("trigger", "lying") not in facts_of(text)
    text = "should i just lie down? numb from sitting"
    assert ("trigger", "sitting") in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "my left leg was trailing behind me",
        "my leg didnt want to carry me",
        "figured im just run down and my legs won't carry me",
    ],
)
def test_a_leg_that_trails_or_wont_carry_is_weak(text: str) -> None:
    assert ("symptom", "weakness") in facts_of(text)
    assert ("trigger", "sport") not in facts_of(text)


def test_hands_weak_since_yesterday_with_heavy_feet_are_both_sides() -> None:
    text = (
        "since yesterday afternoon my wife's hands have been going weak, then her "
        "feet felt heavy like lead. this morning she cant open a door"
    )
    assert "rapid_weakness" in screen_text(text).definite


def test_hands_that_lost_their_strength_yesterday_date_the_story() -> None:
    text = (
        "yesterday afternoon at my in-laws my hands just lost their strength. then "
        "my feet started to feel heavy. this morning i cant open a door"
    )
    assert _duration(text) == "P1D"
    assert "rapid_weakness" in screen_text(text).definite


@pytest.mark.parametrize(
    "text", ["my right leg felt sort of disconnected", "my foot feels disconnected"]
)
def test_a_limb_that_feels_disconnected_has_lost_feeling(text: str) -> None:
    assert ("sensation", "loss_of_sensation") in facts_of(text)


def test_a_finger_that_will_not_move_is_a_weak_hand() -> None:
    assert ("symptom", "weakness") in facts_of("i couldnt move my little finger")


def test_a_newer_start_since_yesterday_dates_the_complaint() -> None:
    text = (
        "about a month ago his right foot felt numb for a bit. but since about 5 "
        "yesterday afternoon his right hand is clumsy and his right side feels weak"
    )
    assert _duration(text) == "P1D"
    assert "stroke_signs" in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "my dad has had bad back pain for months now. today it took two of us to "
        "get him to the car, his legs would barely hold him up",
        "today he was about to play tennis and suddenly said one of his legs wouldnt "
        "hold him. like a week and a half ago at a climbing park his neck jerked",
        "last night i had a bad headache. today i feel weak and my whole right side "
        "is tingling, arm and leg. few years back my vision went blurry for a while",
    ],
)
def test_a_change_today_is_dated_today_over_the_date_of_something_else(
    text: str,
) -> None:
    duration = _duration(text)
    assert duration is not None and (duration_days(duration) or 99) <= 1


def test_a_change_today_leaves_the_date_of_the_same_deficit() -> None:
    text = "my leg has been numb for 3 weeks. today my leg went weak on the stairs"
    assert _duration(text) == "P3W"


def test_an_older_start_since_years_stays_the_complaints_date() -> None:
    text = "since 3 years ago my feet are numb, 2 days ago i saw my gp"
    assert _duration(text) == "P3Y"


def test_tingling_climbing_both_legs_within_hours_is_rapid() -> None:
    text = (
        "was standing cooking this morning and got a funny tingle in my left foot. "
        "over "
        "a couple of hours it has crept up my leg and into my right foot too, now its "
        "up to both knees"
    )
    assert "rapid_weakness" in screen_text(text).definite


def test_tingling_that_a_walk_spreads_and_sitting_settles_is_not_rapid() -> None:
    text = (
        "when i get back from my walk the pins and needles spread down from my waist "
        "into both legs. it goes away after about 10 minutes of sitting"
    )
    assert "rapid_weakness" not in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "i tried to walk but i cant",
        "the nurses want me to get up and walk and i just cant.",
        "he tried to stand up and he couldnt",
    ],
)
def test_a_task_told_before_a_bare_cannot_is_the_inability(text: str) -> None:
    assert ("symptom", "weakness") in facts_of(text)


@pytest.mark.parametrize(
    "text",
    ["i want to go to the gym but i cant", "i like to walk but i cant feel my toes"],
)
def test_a_bare_cannot_of_no_leg_task_is_no_weakness(text: str) -> None:
    assert ("symptom", "weakness") not in facts_of(text)


@pytest.mark.parametrize(
    "text", ["every time he lifts the knee it kills", "my calf is killing him"]
)
def test_a_part_that_kills_hurts(text: str) -> None:
    assert ("symptom", "pain") in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "i went to pee and i couldnt feel my foot",
        "when i got up an hour later to pee i couldnt feel the cold bathroom tiles",
    ],
)
def test_a_trip_to_pee_before_a_numb_foot_is_no_bladder_trouble(text: str) -> None:
    assert ("symptom", "bladder_bowel_dysfunction") not in facts_of(text)
    assert "bladder_bowel_saddle" not in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    ["i cant feel when i need to pee", "i need to pee but i cant", "my pee is weird"],
)
def test_trouble_with_the_pee_itself_stays_the_red_flag(text: str) -> None:
    assert "bladder_bowel_saddle" in screen_text(text).definite


def test_a_numbness_that_has_reached_the_chest_is_at_the_trunk() -> None:
    text = (
        "numbness in my feet and calves, every day its creeping upwards, now its "
        "reached the middle of my chest"
    )
    assert ("body_part", "trunk") in facts_of(text)
    text = "my left foot tingles, since then its spread up to about my chest"
    assert ("body_part", "trunk") in facts_of(text)


@pytest.mark.parametrize(
    "text", ["i told him he probably sat weird", "maybe she slept on it funny"]
)
def test_a_position_guessed_for_someone_is_no_told_fact(text: str) -> None:
    assert ("trigger", "sitting") not in facts_of(text)
    assert ("trigger", "lying") not in facts_of(text)


@pytest.mark.parametrize(
    "text", ["i can barely open my water bottle", "he could barely hold a pen"]
)
def test_a_hand_task_that_fails_is_a_weak_hand(text: str) -> None:
    facts = facts_of(text)
    assert ("symptom", "weakness") in facts and ("body_part", "hand") in facts


def test_weak_hands_and_legs_with_the_whole_body_tingling_are_rapid() -> None:
    text = (
        "now i can barely open my water bottle, my whole body is tingling and my "
        "legs feel weak when i try to walk"
    )
    assert "rapid_weakness" in screen_text(text).definite


def test_feet_with_no_spring_in_them_are_weak() -> None:
    assert ("symptom", "weakness") in facts_of("his feet had no spring in them")


def test_a_relief_only_hoped_for_is_no_told_fact() -> None:
    assert ("trigger", "rest_relief") not in facts_of(
        "he reckons it'll pass if he rests it"
    )
    assert ("trigger", "rest_relief") in facts_of("it goes away when i rest")


def test_a_leg_swelling_and_hurting_after_a_crash_with_a_tingling_foot() -> None:
    text = (
        "low speed get off on a motorcycle this morning, leg got a bruise. couple "
        "hours later the leg is swelling up tight and hurting way more than a bruise "
        "should, and my foot is getting tingly"
    )
    assert "tight_cast" in screen_text(text).definite


def test_a_rider_who_came_off_onto_her_back_and_cannot_move_is_a_spinal_injury() -> (
    None
):
    text = (
        "she came off and landed lower back first on the metal gate. she's lying in "
        "the mud and says she can't move her legs"
    )
    assert "spinal_injury" in screen_text(text).definite


def test_by_lunchtime_dates_the_change_today() -> None:
    text = "by lunchtime she said she couldnt feel her legs"
    assert _duration(text) == "PT4H"


def test_sounds_not_words_is_a_speech_problem() -> None:
    text = "when i ask if i should call someone she only makes sounds, not words"
    assert "stroke_signs" in screen_text(text).definite
    assert ("symptom", "speech_problem") not in facts_of("the baby makes sounds asleep")


def test_a_relatives_old_stroke_does_not_hide_the_persons_own_signs() -> None:
    text = (
        "my mum has had a stroke, since her stroke she is weak. now my left arm and "
        "leg are numb"
    )
    assert "stroke_signs" in screen_text(text).definite
    assert ("condition", "residual_stroke") in facts_of(
        "since my stroke my left side is numb"
    )


@pytest.mark.parametrize(
    "text", ["yes i can", "i can still", "i tried to walk but i cant"]
)
def test_a_cue_that_ends_the_message_never_fails_the_matching(text: str) -> None:
    assert not get_pipeline().parse(text).failed


@pytest.mark.parametrize(
    "text",
    [
        "numbness wrapped right round my middle like a belt",
        "my feet feel like i have tight socks on",
        "it feels like a rock in my shoe",
    ],
)
def test_a_garment_in_a_comparison_is_not_worn(text: str) -> None:
    assert ("trigger", "tight_clothing") not in facts_of(text)


def test_a_garment_worn_stays_told() -> None:
    assert ("trigger", "tight_clothing") in facts_of(
        "my feet go numb in my new shoes, they feel like bricks"
    )


@pytest.mark.parametrize(
    "text",
    ["my feet throb like im walking on bruises", "my legs feel like im going to fall"],
)
def test_a_hurt_in_a_comparison_is_no_injury(text: str) -> None:
    facts = facts_of(text)
    assert ("trigger", "injury") not in facts
    assert ("trigger", "limb_injury") not in facts


@pytest.mark.parametrize(
    "text",
    [
        "my toes go blue when they get cold and go numb",
        "skiing below freezing my feet went numb",
        "its been cold and his left foot flops and feels numb",
    ],
)
def test_the_cold_told_as_when_they_get_cold_or_below_freezing(text: str) -> None:
    assert ("trigger", "cold") in facts_of(text)


def test_a_leg_cooler_than_his_other_is_cold() -> None:
    assert ("symptom", "cold_limb") in facts_of(
        "his left leg is numb and it feels cooler than his other leg"
    )


def test_something_felt_giving_way_is_a_limbs_injury_or_a_backs_strain() -> None:
    limb = facts_of("in the game he felt something go in his lower leg, now it is numb")
    assert ("trigger", "limb_injury") in limb
    back = facts_of("stood up, felt something go in my lower back, now my leg is numb")
    assert ("trigger", "injury") not in back
    assert ("trigger", "limb_injury") not in back


def test_falls_told_as_a_history_are_a_gait_problem_not_an_injury() -> None:
    facts = facts_of("my feet are numb, my balance explains all my falls off the bike")
    assert ("trigger", "injury") not in facts
    assert ("symptom", "gait_problem") in facts


def test_an_illness_had_long_ago_and_well_since_dates_no_symptom() -> None:
    text = "i had a heart attack a year ago but ive been fine since. now my leg is numb"
    assert find_durations(text) == []
    assert [
        v
        for v, _, _ in find_durations(
            "had a stroke 3 months ago and since then my side is numb"
        )
    ] == ["P3M"]


def test_a_child_sitting_criss_cross_sits_cross_legged() -> None:
    facts = facts_of("sitting criss cross applesauce on the carpet makes his legs hurt")
    assert ("trigger", "crossed_legs") in facts


def test_a_heel_oozing_down_to_the_bone_is_a_sore() -> None:
    facts = facts_of("his heel is oozing pus and i can see the bone, it barely hurts")
    assert ("symptom", "skin_ulcer") in facts


@pytest.mark.parametrize(
    "text",
    [
        "i had a stroke years ago and my left side has been numb ever since",
        "had a stroke 3 years ago that left my right arm and leg weak",
        "mum has had two strokes and her left side has been numb ever since, "
        "and she has no feeling down her left side",
    ],
)
def test_a_stroke_told_as_had_with_what_it_left_is_its_lasting_effect(
    text: str,
) -> None:
    assert ("condition", "residual_stroke") in facts_of(text)
    assert "stroke_signs" not in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "i think i just had a stroke, my left arm and leg have been numb ever since",
        "my mum had a stroke last year that left her left side weak. "
        "now my own left arm and leg are numb",
    ],
)
def test_a_new_or_own_stroke_sign_is_never_an_earlier_strokes(text: str) -> None:
    assert "stroke_signs" in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "i had a stroke in 2012 and recovered, but the sole of my foot has no feeling",
        "a few weeks ago i had a mild stroke. my right calf is numb in the mornings",
    ],
)
def test_a_stroke_told_as_had_with_nothing_it_left_named_is_an_earlier_one(
    text: str,
) -> None:
    facts = facts_of(text)
    assert ("condition", "stroke_history") in facts
    assert ("condition", "residual_stroke") not in facts


@pytest.mark.parametrize(
    "text",
    [
        "my mum had a stroke this morning, her leg is numb",
        "i think i had a stroke, my left leg is numb",
        "my dad had a stroke last year. my left foot has been numb for two weeks",
    ],
)
def test_a_stroke_of_today_a_guessed_one_or_a_relatives_is_no_earlier_one(
    text: str,
) -> None:
    assert ("condition", "stroke_history") not in facts_of(text)


def test_new_signs_after_an_earlier_stroke_still_get_the_prompt() -> None:
    text = "had a stroke 2 years ago. today my left arm and leg suddenly went numb"
    assert ("condition", "stroke_history") in facts_of(text)
    assert "stroke_signs" in screen_text(text).definite


def test_spells_of_an_absence_or_an_illness_are_not_the_symptoms() -> None:
    facts = facts_of(
        "he has been off school on and off for two weeks with a flu. "
        "this morning his legs are numb"
    )
    assert ("onset", "intermittent") not in facts
    assert ("onset", "intermittent") in facts_of("my legs go numb on and off")


def test_a_feeling_all_the_way_down_with_no_place_is_both_legs() -> None:
    facts = facts_of(
        "went down in a tackle, says its pins and needles all the way down"
    )
    assert {("side", "both"), ("body_part", "whole_leg")} <= facts
    assert (
        "spinal_injury"
        in screen_text(
            "went down in a tackle, says its pins and needles all the way down"
        ).definite
    )
    assert ("side", "both") not in facts_of(
        "pins and needles all the way down my left leg"
    )


@pytest.mark.parametrize(
    "text, absent, present",
    [
        (
            "did my stretches expecting to be fine monday, the leg is still asleep",
            ("condition", "pregnancy"),
            ("sensation", "numbness"),
        ),
        (
            "woke at 5 cold and pale as a ghost, legs a bit pins and needles",
            ("symptom", "pale_or_blue_skin"),
            ("sensation", "pins_and_needles"),
        ),
        (
            "i sit perched on my feet with my legs twisted like a pretzel",
            ("trigger", "injury"),
            ("trigger", "crossed_legs"),
        ),
    ],
)
def test_words_of_a_plan_a_face_or_a_posture_are_not_their_look_alikes(
    text: str, absent: tuple, present: tuple
) -> None:
    facts = facts_of(text)
    assert absent not in facts
    assert present in facts


@pytest.mark.parametrize(
    "text",
    [
        "he has been clumsy on his feet all day and keeps crumpling",
        "my ankle gets weak lifting the foot",
    ],
)
def test_how_the_legs_move_is_no_effort(text: str) -> None:
    assert ("trigger", "exertion") not in facts_of(text)


@pytest.mark.parametrize(
    "text, fact",
    [
        ("her talking is slow and hard work", ("symptom", "speech_problem")),
        (
            "off the bike her knees just went and she nearly fell",
            ("symptom", "weakness"),
        ),
        (
            "he landed flat on his back, his legs have no strength",
            ("trigger", "injury"),
        ),
    ],
)
def test_lay_words_of_speech_weakness_and_a_fall(text: str, fact: tuple) -> None:
    assert fact in facts_of(text)


def test_a_hard_time_of_life_and_a_knock_out_are_no_symptom() -> None:
    text = (
        "been a rough few months since her nephew died. he was out cold for a bit. "
        "now her left leg is numb"
    )
    facts = facts_of(text)
    assert not any(entity == "duration" for entity, _ in facts)
    assert ("symptom", "cold_limb") not in facts


def test_little_accidents_with_her_wee_are_bladder_trouble() -> None:
    text = "since her fall her leg is numb, shes had little accidents with her wee"
    assert "bladder_bowel_saddle" in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "had my knee replaced 3 years ago and theres a numb patch next to the scar",
        "5 weeks out from bunion surgery, my big toe is numb",
        "day 4 after my acl reconstruction, the shin is numb",
    ],
)
def test_an_operation_on_the_leg_is_a_leg_operation_at_any_time(text: str) -> None:
    assert ("condition", "leg_surgery") in facts_of(text)


def test_a_leg_operation_only_planned_is_none() -> None:
    text = "i might need a knee replacement, my foot is numb"
    assert ("condition", "leg_surgery") not in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "my cat always falls asleep on my foot and then i get pins and needles",
        "when my cat settles on my lap my legs go heavy, then tingly",
        "my 6 year old fell asleep on my lap and my left leg went to sleep",
    ],
)
def test_a_pet_or_child_resting_on_the_legs_is_sitting_in_one_position(
    text: str,
) -> None:
    facts = facts_of(text)
    assert ("trigger", "sitting") in facts
    assert ("trigger", "injury") not in facts


def test_a_time_in_a_comparison_dates_what_is_compared_with() -> None:
    text = (
        "sat i took a knee into the thigh, same thigh as 10 yrs ago, "
        "and now its swelling more every hour"
    )
    facts = facts_of(text)
    assert ("trigger", "limb_injury") in facts
    assert not any(entity == "duration" for entity, _ in facts)


@pytest.mark.parametrize(
    "text, duration",
    [
        ("my foot went numb 3 years ago", "P3Y"),
        ("hurt my back more than 6 months ago and my leg is numb", "P6M"),
    ],
)
def test_a_time_with_no_comparison_still_dates_the_symptom(
    text: str, duration: str
) -> None:
    assert ("duration", duration) in facts_of(text)


@pytest.mark.parametrize(
    "text, fact",
    [
        (
            "he cant really tell when he needs to go",
            ("symptom", "bladder_bowel_dysfunction"),
        ),
        (
            "when she tries to get up her legs just dont do anything",
            ("symptom", "weakness"),
        ),
        ("the foal reared up and came down right on top of her", ("trigger", "injury")),
        (
            "his lower leg got stuck between the bike and the road",
            ("trigger", "limb_injury"),
        ),
        ("her legs had suddenly gone 'lazy'", ("symptom", "weakness")),
        ("took a volley in his sunday league game", ("trigger", "sport")),
    ],
)
def test_lay_words_of_a_red_flag_fact(text: str, fact: tuple) -> None:
    assert fact in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "my legs hurt and the pills dont do anything",
        "i feel lazy today, my feet are numb",
    ],
)
def test_doing_nothing_or_lazy_said_of_no_limb_is_no_weakness(text: str) -> None:
    assert ("symptom", "weakness") not in facts_of(text)


def test_a_course_someone_waits_to_see_is_not_told() -> None:
    text = "her legs are numb, should we wait and see if it wears off"
    assert ("course", "resolved") not in facts_of(text)
    assert ("course", "resolved") in facts_of(text, "hypothetical")


@pytest.mark.parametrize(
    "text, fact",
    [
        ("lately my legs have started not listening", ("symptom", "weakness")),
        ("my legs, i cant even lift them", ("symptom", "weakness")),
        ("walking is harder every day", ("course", "worsening")),
    ],
)
def test_legs_failing_in_lay_words(text: str, fact: tuple) -> None:
    assert fact in facts_of(text)


def test_a_symptom_not_even_there_is_absent() -> None:
    assert ("sensation", "numbness") in facts_of("my legs are not even numb", "negated")


def test_hands_that_warm_the_numb_foot_are_no_stroke_sign() -> None:
    text = (
        "my husbands left foot has been tingly and cold for 3 days, "
        "i held it in my hands all night to warm it up"
    )
    assert ("body_part", "hand") not in facts_of(text, "possible")
    assert "stroke_signs" not in screen_text(text).possible


@pytest.mark.parametrize(
    "text", ["he doesnt feel his feet very well", "she doesnt feel her toes"]
)
def test_not_feeling_a_limb_is_loss_of_feeling_not_a_denied_limb(text: str) -> None:
    facts = facts_of(text)
    assert ("sensation", "loss_of_sensation") in facts
    assert not any(entity == "body_part" for entity, _ in facts_of(text, "negated"))


def test_a_duration_of_a_headache_is_not_the_numbness_duration() -> None:
    text = (
        "she has had a headache for about two months. just now her left side "
        "started going numb, first her arm, then her left leg"
    )
    assert not any(entity == "duration" for entity, _ in facts_of(text))
    assert "stroke_signs" in screen_text(text).definite


def test_the_years_of_a_gas_habit_are_the_habits_not_the_legs() -> None:
    text = (
        "he has been doing laughing gas balloons for about 3 years. this morning "
        "he cant really feel his legs and they wont hold him up"
    )
    assert ("duration", "P3Y") not in facts_of(text)


@pytest.mark.parametrize(
    "text, fact",
    [
        ("her left leg just isnt moving", ("symptom", "paralysis")),
        ("she went straight down and couldnt move at all", ("symptom", "paralysis")),
        ("my sister drove into a big road sign this afternoon", ("trigger", "injury")),
    ],
)
def test_a_leg_that_will_not_move_or_a_crash_in_lay_words(
    text: str, fact: tuple
) -> None:
    assert fact in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "she passed out at home curled up sitting on her legs, now they are swollen",
        "he passed out kneeling on the tile floor for about 8 hours and cant stand",
        "i passed out on the bathroom floor and my leg is numb",
    ],
)
def test_someone_out_cold_in_a_position_lay_on_the_limb_for_long(text: str) -> None:
    assert ("trigger", "long_pressure") in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "i passed out yesterday and now my foot tingles",
        "my leg goes numb when i sit at my desk for an hour",
    ],
)
def test_no_long_pressure_without_being_out_cold_in_a_position(text: str) -> None:
    assert ("trigger", "long_pressure") not in facts_of(text)


def test_a_cast_of_someone_elses_childhood_is_no_cast_today() -> None:
    text = (
        "sat way too long and my leg went to sleep, i had to drag it, walking like my "
        "cousin did when she turned up with her leg in plaster when we were kids"
    )
    assert ("trigger", "cast") not in facts_of(text)


def test_a_splint_the_person_unbuckles_at_night_is_only_a_possible_cast() -> None:
    text = (
        "i wear a night splint for plantar fasciitis, i wake up with that foot numb "
        "and have to unbuckle it, once its off the foot is fine"
    )
    screen = screen_text(text)
    assert screen.possible == ("tight_cast",) and not screen.definite


def test_a_numb_seat_in_a_long_meditation_is_only_possible() -> None:
    text = (
        "my legs went numb every time we did meditation, i sat on a bag and the clasps "
        "were pressing right where i sit"
    )
    screen = screen_text(text)
    assert screen.possible == ("bladder_bowel_saddle",) and not screen.definite


def test_never_ill_denies_nothing_after_it() -> None:
    text = "my sister (37, runner, never ill) has had awful low back pain for months"
    assert ("symptom", "back_pain") in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "since this morning her right mouth corner hangs down and food dribbles out",
        "he cant close his eye on that side and his leg is numb",
    ],
)
def test_a_face_that_hangs_or_an_eye_that_will_not_shut_is_a_drooping_face(
    text: str,
) -> None:
    assert ("symptom", "facial_droop") in facts_of(text)


def test_legs_a_person_must_be_helped_to_walk_on_are_weak() -> None:
    text = "her legs tingle and she keeps getting worse, i have to help her walk now"
    assert ("symptom", "weakness") in facts_of(text)


def test_a_leg_that_gave_way_under_someone_failed_at_once() -> None:
    text = (
        "she got a shooting pain down the leg, it gave way under her and now its numb"
    )
    assert ("onset", "sudden") in facts_of(text)


def test_a_thru_hike_is_a_sport_not_a_walk() -> None:
    text = "two weeks after my section hike my toes still have no feeling"
    assert ("trigger", "sport") in facts_of(text)


@pytest.mark.parametrize(
    "text", ["went for a ride at 5 degrees and my toes went white", "it was minus 9"]
)
def test_a_temperature_of_ten_degrees_or_less_is_the_cold(text: str) -> None:
    assert ("trigger", "cold") in facts_of(text)


def test_a_person_found_freezing_cold_is_a_cold_limb_not_the_weather() -> None:
    text = "found mum on the floor, shes freezing cold and her legs feel dead"
    assert ("trigger", "cold") not in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "he tried to pee earlier and nothing came",
        "its weirdly hard to get a wee going",
        "i keep having to rush to pee and dont always make it in time",
    ],
)
def test_lay_words_of_a_bladder_that_fails(text: str) -> None:
    assert ("symptom", "bladder_bowel_dysfunction") in facts_of(text)


@pytest.mark.parametrize(
    "text",
    ["now a few of his toes are going black", "some of his toes are turning black"],
)
def test_toes_going_black_are_a_skin_change(text: str) -> None:
    assert ("symptom", "skin_ulcer") in facts_of(text)


def test_the_most_a_habit_lasts_is_no_age_of_the_symptom() -> None:
    text = "he sits on his heels for hours, sometimes up to 6 hours, his feet droop"
    assert not any(entity == "duration" for entity, _ in facts_of(text))


def test_a_slip_a_while_ago_with_the_person_still_on_the_floor_is_today() -> None:
    text = "slipped on the wet tiles a while ago and im still lying on the floor"
    assert ("trigger", "injury") in facts_of(text)


def test_a_distance_in_metres_is_walking() -> None:
    assert ("trigger", "walking") in facts_of("my leg aches after about 50 metres")


def test_a_doctor_of_injuries_is_no_injury() -> None:
    text = "my legs are weaker and the trauma guy wants me to see neurology"
    assert ("trigger", "injury") not in facts_of(text)


def test_snug_in_bed_is_no_tight_garment() -> None:
    assert ("trigger", "tight_clothing") not in facts_of("i was snug in bed, leg numb")
    assert ("trigger", "tight_clothing") in facts_of(
        "the boot is quite snug, toes numb"
    )


def test_heat_told_before_the_limb_is_a_fever() -> None:
    text = (
        "now hes burning up, agitated and not making much sense, his thigh is swollen"
    )
    assert ("symptom", "fever") in facts_of(text)
    assert ("sensation", "burning") in facts_of("my feet are burning up")


def test_someone_out_for_hours_lay_on_a_limb() -> None:
    text = (
        "my flatmate was totally out of it for hours after a binge. one of his thighs "
        "is swollen and rock hard and the leg below feels dead"
    )
    assert ("trigger", "long_pressure") in facts_of(text)
    assert "tight_cast" in screen_text(text).definite


def test_a_shin_knock_swelling_up_hours_later_is_the_compartment_flag() -> None:
    text = (
        "my teammate took a hard knock to the shin near the end of our game. now a "
        "couple hours later the lower leg is swelling up loads and looks really tight"
    )
    assert "tight_cast" in screen_text(text).definite


def test_a_level_at_the_collarbones_is_a_level_on_the_trunk() -> None:
    text = "rubbing my chest i can barely feel anything from my collarbones down"
    assert ("body_part", "trunk") in facts_of(text)


def test_a_sleeping_leg_the_teller_only_guesses_at_is_no_passing_spell() -> None:
    text = (
        "she cant move her left leg and the right is weak, she thinks theyre "
        "just asleep"
    )
    assert "rapid_weakness" in screen_text(text).definite


@pytest.mark.parametrize(
    ("text", "past"),
    [
        ("when she got back in the car her face was numb", False),
        ("back in college i broke my leg", True),
        ("back in the day my leg went numb", True),
    ],
)
def test_back_in_is_past_only_when_it_names_a_time(text: str, past: bool) -> None:
    assert bool(facts_of(text, "past")) is past


def test_a_mouth_corner_hanging_is_a_drooping_face_but_one_agape_is_not() -> None:
    drooping = "the right corner of her mouth was hanging a tiny bit"
    assert ("symptom", "facial_droop") in facts_of(drooping)
    assert ("symptom", "facial_droop") not in facts_of("his mouth is hanging open")


def test_a_hand_that_is_the_same_has_the_symptom_told_before() -> None:
    text = (
        "since i woke up today my right leg feels fuzzy and clumsy, and now my "
        "right hand is the same"
    )
    assert "stroke_signs" in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "that leg went numb and weak. now the other leg is going numb too",
        "numbness in my right foot, now its started in the other leg as well",
        "the numbness has moved over to the other leg as well",
    ],
)
def test_a_symptom_reaching_the_other_leg_is_in_both_and_spreading(text: str) -> None:
    facts = facts_of(text)
    assert ("side", "both") in facts
    assert ("course", "spreading") in facts


@pytest.mark.parametrize(
    "text",
    [
        "the pain switched to the other leg",
        "my right foot is numb, the other foot is fine",
    ],
)
def test_the_other_leg_switched_to_or_fine_is_no_spread(text: str) -> None:
    assert ("course", "spreading") not in facts_of(text)


def test_better_each_day_is_improving() -> None:
    assert ("course", "improving") in facts_of("it seems a little better each day")


def test_a_month_after_a_place_still_dates_the_injury() -> None:
    text = (
        "broke my T12 in a bike crash in thailand last september and had rods put "
        "in, the soles of my feet are still numb"
    )
    assert "spinal_injury" not in screen_text(text).possible
    assert "spinal_injury" not in screen_text(text).definite


def test_since_about_a_month_is_a_start() -> None:
    assert find_durations("since about december my toe is numb") != []
    assert find_durations("i have a scan in about march") == []


def test_a_named_danger_whose_facts_are_told_of_the_past_asks_nothing_more() -> None:
    told = (
        "hurt my back at work back in february lifting, my foot went tingly. 5 months "
        "on the back pain has mostly settled but my foot is still numb. can you have "
        "that from a back injury?"
    )
    assert "spinal_injury" not in screen_text(told).possible
    asked = "my legs are numb, could it be a spinal injury?"
    assert "spinal_injury" in screen_text(asked).possible


def test_struggling_to_get_her_words_out_is_trouble_speaking() -> None:
    text = "now she's kind of struggling to get her words out too"
    assert ("symptom", "speech_problem") in facts_of(text)


def test_a_habit_told_with_its_frequency_owns_its_length() -> None:
    text = (
        "been doing nos balloons most weekends since i was 18. woke up this morning "
        "and i cant really move my arms or legs properly, all pins and needles"
    )
    assert "rapid_weakness" in screen_text(text).definite


def test_an_arm_and_a_leg_told_on_the_same_side_are_one_side() -> None:
    same = (
        "my arm has gone all tingly and i dropped my phone. tried to walk and my leg "
        "on the same side isnt working right either"
    )
    assert "stroke_signs" in screen_text(same).definite
    unsided = "the leg is kind of numb and clumsy and the hand too"
    assert "stroke_signs" in screen_text(unsided).possible


def test_a_pulse_no_one_could_feel_is_no_numb_limb() -> None:
    text = "the nurse said she couldnt feel a pulse behind my knee or in my groin"
    assert ("sensation", "loss_of_sensation") not in facts_of(text)
    assert screen_text(text).possible == ()
    assert ("sensation", "loss_of_sensation") in facts_of("i cant feel my foot")


def test_plasters_in_the_plural_are_no_cast() -> None:
    text = "the tips of my toes are sore and prickly, patches and plasters do nothing"
    assert ("trigger", "cast") not in facts_of(text)
    assert ("trigger", "cast") in facts_of("my leg is in plaster and my toes are numb")


def test_diseases_a_symptom_can_point_to_are_not_the_persons() -> None:
    text = (
        "my feet fall asleep on the sofa. i read in the paper that frequent tingling "
        "can point to carpal tunnel, a slipped disc, diabetes or too much alcohol"
    )
    facts = facts_of(text)
    assert ("condition", "diabetes") not in facts
    assert ("condition", "spine_disease") not in facts
    assert ("condition", "diabetes") in facts_of("i have diabetes and my feet are numb")


def test_the_side_of_a_pain_told_of_no_leg_site_is_not_the_legs() -> None:
    head = (
        "i got a sharp stab on the left side of my head and then my right hand "
        "and right leg went numb"
    )
    assert "stroke_signs" in screen_text(head).definite
    assert ("side", "left") not in facts_of(head)
    # with no side of their own, the symptoms keep the pain's side
    assert ("side", "left") in facts_of("sharp pain in my left side and my leg is numb")


def test_an_arm_and_a_leg_that_just_flop_and_dont_move_fail() -> None:
    text = "his right arm and right leg just flop, they dont move"
    facts = facts_of(text)
    assert ("symptom", "weakness") in facts
    assert ("symptom", "paralysis") in facts
    assert "stroke_signs" in screen_text(text).definite
    assert ("symptom", "paralysis") not in facts_of("i dont move much at work")


@pytest.mark.parametrize(
    "text",
    [
        "this morning when i rinsed my mouth the water dribbled out the left side",
        "his smile is wonky since lunch",
    ],
)
def test_a_drink_dribbling_out_one_side_or_a_wonky_smile_is_a_drooping_face(
    text: str,
) -> None:
    assert ("symptom", "facial_droop") in facts_of(text)
    assert ("symptom", "facial_droop") not in facts_of("my knee is wonky")


def test_a_rest_planned_and_a_shop_run_are_no_posture_or_sport() -> None:
    assert ("trigger", "lying") not in facts_of(
        "got a headache, think ill just lie down for a bit"
    )
    assert ("trigger", "lying") not in facts_of(
        "my legs went numb and she's gone back to lie down"
    )
    assert ("trigger", "sport") not in facts_of("ive been running a business for years")
    assert ("trigger", "lying") in facts_of("my leg goes numb when i lie down")


def test_a_course_only_the_staff_keep_promising_is_no_course_told() -> None:
    text = (
        "my wife had our baby yesterday with an epidural. this morning she just went "
        "straight down, her legs wont hold her and she can barely feel them. staff "
        "keep saying its the epidural wearing off"
    )
    assert ("course", "improving") not in facts_of(text)
    assert "rapid_weakness" in screen_text(text).definite
    assert ("course", "improving") in facts_of("the numbness is wearing off now")


def test_a_direction_the_body_topples_in_is_no_side() -> None:
    text = (
        "the right side of my body feels numb, arm and leg, and i keep sort of "
        "toppling over to the left"
    )
    assert ("side", "left") not in facts_of(text)
    assert "stroke_signs" in screen_text(text).definite
    assert ("side", "left") in facts_of("numb all over my left leg")


@pytest.mark.parametrize(
    "text",
    [
        "her talking is like she keeps tripping over her tongue",
        "now her words are coming out a bit mumbly",
    ],
)
def test_tripping_over_the_tongue_and_mumbly_words_are_trouble_speaking(
    text: str,
) -> None:
    assert ("symptom", "speech_problem") in facts_of(text)


def test_a_bare_length_told_of_a_paralysis_or_a_creeping_dates_it() -> None:
    assert find_durations("for weeks he couldnt move his foot at all")
    assert find_durations("its been creeping on slowly for months")
    assert not find_durations("i have been running for years and my feet are numb")


def test_walking_again_and_toes_that_start_to_wiggle_are_improving() -> None:
    for text in (
        "last week i couldnt walk, now i can walk again",
        "two days ago he finally started to wiggle his toes",
    ):
        assert ("course", "improving") in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "four hours in a deer stand in about 40 degree weather, my feet went numb",
        "it was 40 degrees outside and my feet swelled and went numb",
    ],
)
def test_the_weathers_degrees_are_no_fever(text: str) -> None:
    assert ("symptom", "fever") not in facts_of(text)
    assert ("symptom", "fever") in facts_of(
        "he has 40 degrees fever and his legs are numb"
    )
    assert ("symptom", "fever") in facts_of("a temp of 39 out of nowhere, legs numb")


def test_hands_told_in_the_plural_are_no_one_sided_sign_of_a_sudden_leg() -> None:
    text = (
        "lately his hands and feet go numb and he feels the cold. then his right leg "
        "suddenly hurt terribly"
    )
    assert "stroke_signs" not in screen_text(text).definite
    assert (
        "stroke_signs"
        in screen_text("my left arm suddenly went numb and my left leg too").definite
    )


def test_for_a_long_time_opening_a_sentence_dates_its_symptoms() -> None:
    assert find_durations("for a long time now he gets headaches, his feet go numb")
    assert not find_durations("for a long time i ignored it")


def test_legs_that_would_barely_hold_him_up_are_weak() -> None:
    assert ("symptom", "weakness") in facts_of("his legs would barely hold him up")


def test_the_length_of_a_long_illness_does_not_date_a_new_stroke_sign() -> None:
    text = (
        "shes had high blood pressure for like 25 years. at breakfast her left arm"
        " and leg just went dead"
    )
    assert "stroke_signs" in screen_text(text).definite


def test_a_paralysis_likened_for_someone_else_is_only_possible() -> None:
    screen = screen_text("10 days later he got symptoms like he was being paralysed")
    assert "rapid_weakness" in screen.possible
    assert "rapid_weakness" not in screen.definite


@pytest.mark.parametrize(
    "text",
    [
        "after a few minutes i came out of it shaking",
        "she just stared for a minute then snapped out of it",
    ],
)
def test_a_spell_come_out_of_has_passed(text: str) -> None:
    assert ("course", "resolved") in facts_of(text)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("i havent been able to pass water properly all day", "bladder_bowel_saddle"),
        ("hes talking really strange, only swear words come out", "stroke_signs"),
        ("my husband keeps saying i sound funny when i talk", "stroke_signs"),
        ("this morning one half of my face wasnt moving right", "stroke_signs"),
        (
            "second dive of the day, an hour later my left thigh went numb",
            "rapid_weakness",
        ),
    ],
)
def test_lay_words_for_a_red_flag_sign_are_read(text: str, flag: str) -> None:
    assert flag in screen_text(text).definite


def test_a_numbness_that_climbed_up_is_spreading() -> None:
    assert ("course", "spreading") in facts_of("it has slowly climbed up his body")


@pytest.mark.parametrize(
    "text",
    [
        "both feet numb and he takes a tumble maybe once or twice a month",
        "his legs hurt a lot. is there anything that can stop the falls?",
        "my back aches and my feet tingle, sometimes i fall over",
    ],
)
def test_falls_that_keep_coming_are_a_walking_trouble_not_an_injury(text: str) -> None:
    facts = facts_of(text)
    assert ("trigger", "injury") not in facts
    assert ("symptom", "gait_problem") in facts
    assert "spinal_injury" not in screen_text(text).definite


def test_one_fall_stays_an_injury() -> None:
    assert ("trigger", "injury") in facts_of("after the fall my legs went numb")


@pytest.mark.parametrize(
    "text",
    [
        "yesterday my foot had gone to sleep without me noticing. stood up, the foot "
        "just folded under me and i hit the floor. now the top of my foot is puffed "
        "up with a big bruise and it really hurts",
        "my foot was totally asleep with the toes curled under, so i stepped right "
        "onto the top of my foot. heard a crack. the foot is swelling up now and it "
        "hurts to stand on",
    ],
)
def test_a_foot_asleep_that_made_the_fall_is_no_numbness_below_an_injury(
    text: str,
) -> None:
    assert ("sensation", "numbness") in facts_of(text, role="past")
    assert "tight_cast" not in screen_text(text).definite


def test_a_foot_asleep_after_a_fall_stays_numb() -> None:
    text = (
        "i fell and twisted my ankle, now it is swollen, hurts and the foot is asleep"
    )
    assert ("sensation", "numbness") in facts_of(text)


def test_a_cast_said_to_be_off_in_the_next_sentence_is_past() -> None:
    text = (
        "i was in a plaster cast for 47 days. its off now but the calf is all "
        "floppy and it aches"
    )
    assert ("trigger", "cast") in facts_of(text, role="past")
    assert "tight_cast" not in screen_text(text).definite


def test_a_date_told_once_before_ago_stands() -> None:
    assert _duration("this happened once a few years ago: my legs gave out") == "P3Y"
    assert _duration("once a week my legs give out") is None


@pytest.mark.parametrize(
    "text",
    [
        "woke up and my words were coming out weird, my left leg is weak",
        "his words were all jumbled and his right leg gave way",
        "she was speaking strangely and her left leg went numb",
    ],
)
def test_speech_told_with_a_manner_not_its_own_is_trouble_speaking(text: str) -> None:
    assert ("symptom", "speech_problem") in facts_of(text)
    assert "stroke_signs" in screen_text(text).definite


@pytest.mark.parametrize(
    "text",
    [
        "talking to my gp about it was weird, my left foot is numb",
        "the speech therapist was weird, my left foot is numb",
        "gave the family speech at the funeral, after kneeling my legs went dead",
    ],
)
def test_talk_about_something_or_a_speech_given_is_no_speech_sign(text: str) -> None:
    assert ("symptom", "speech_problem") not in facts_of(text)
    assert "stroke_signs" not in screen_text(text).definite


def test_a_leg_that_wont_come_up_is_weak() -> None:
    text = (
        "when i try to lift my left leg it wont really come up, the right one is fine"
    )
    assert ("symptom", "weakness") in facts_of(text)
    assert ("symptom", "weakness") not in facts_of("she cant come up to visit")


def test_someone_who_cannot_be_understood_is_a_possible_speech_sign() -> None:
    text = "my dads left leg went numb and i couldnt understand what he was saying"
    assert ("symptom", "speech_problem") in facts_of(text, role="possible")
    assert "stroke_signs" in screen_text(text).possible


def test_every_cast_of_a_message_that_says_it_came_off_is_past() -> None:
    text = (
        "got my cast off yesterday and the ankle still puffs up. towards the end of "
        "the month in the cast i was getting bursts of pain"
    )
    assert ("trigger", "cast") not in facts_of(text)
    assert "tight_cast" not in screen_text(text).definite


def test_a_cast_put_on_again_stays() -> None:
    text = "the cast came off and they put a new cast on, now my toes are numb"
    assert ("trigger", "cast") in facts_of(text)


def test_layers_of_wrap_cut_off_a_tight_cast_are_no_cast_removed() -> None:
    text = (
        "its tight round the ankle, ive cut off a couple of layers of wrap myself. "
        "my toes tingle, go blue and the foot throbs inside the cast"
    )
    assert "tight_cast" in screen_text(text).definite


def test_a_pain_told_as_more_now_than_before_is_worsening() -> None:
    text = "her thigh is swollen and it hurts way more now than it did when it happened"
    assert ("course", "worsening") in facts_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "today she says her legs wont work and she cant stand up. is that just a "
        "reaction that wears off?",
        "my legs are numb and wont move. will it go away by itself?",
    ],
)
def test_an_end_only_asked_after_is_no_end_told(text: str) -> None:
    assert ("course", "resolved") not in facts_of(text)


def test_an_end_told_before_a_question_stays() -> None:
    text = "my legs went numb, it wore off after an hour. is that normal?"
    assert ("course", "resolved") in facts_of(text)


def test_a_hand_that_wont_grip_beside_a_leg_that_wont_swing_is_a_stroke_sign() -> None:
    text = (
        "my left leg just wont swing forward and when i reach down to drag it with "
        "my left hand that hand wont grip either"
    )
    assert ("symptom", "weakness") in facts_of(text)
    assert "stroke_signs" in screen_text(text).definite


def test_a_person_who_can_use_only_one_arm_and_leg_has_a_weak_side() -> None:
    text = (
        "his left leg went weak and numb and he fell over. he can only really use "
        "one arm and one leg"
    )
    assert "stroke_signs" in screen_text(text).definite


def test_a_face_numbed_by_the_dentists_injection_is_only_a_possible_sign() -> None:
    text = (
        "at the dentist, the injection has numbed half my face, lips and tongue, and "
        "im panicking it'll spread down to my legs"
    )
    screen = screen_text(text)
    assert "stroke_signs" not in screen.definite
    assert "stroke_signs" in screen.possible
