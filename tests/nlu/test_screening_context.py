"""bot/nlu/screening.py `screen_in_context`: a message read with the earlier facts."""

from __future__ import annotations

from bot.nlu.screening import all_red_flags, screen_entities, screen_in_context


def _entities(*facts: str, role: str = ""):
    out = []
    for fact in facts:
        entity, _, value = fact.partition(":")
        extra = {"role": role} if role else {}
        out.append({"entity": entity, "value": value, "start": 0, "end": 1, **extra})
    return out


SUDDEN_WEAK_LEG = _entities("symptom:weakness", "onset:sudden", "body_part:whole_leg")


def test_alone_a_suddenly_weak_leg_is_a_red_flag():
    assert "rapid_weakness" in screen_entities(SUDDEN_WEAK_LEG).definite


def test_a_red_flag_the_earlier_facts_rule_out_becomes_possible_not_dropped():
    screen = screen_in_context(SUDDEN_WEAK_LEG, ["trigger:crossed_legs"])
    assert "rapid_weakness" not in screen.definite
    assert "rapid_weakness" in screen.possible


def test_a_red_flag_told_across_two_turns_is_definite():
    message = _entities("side:both", "sensation:numbness")
    assert not screen_entities(message).definite
    screen = screen_in_context(message, ["trigger:injury"])
    assert screen.definite == ("spinal_injury",)


def test_a_red_flag_of_the_earlier_facts_alone_is_not_repeated():
    screen = screen_in_context(_entities("trigger:walking"), ["symptom:paralysis"])
    assert screen.definite == ()


def test_a_red_flag_the_message_tells_again_is_definite_again():
    screen = screen_in_context(_entities("symptom:paralysis"), ["symptom:paralysis"])
    assert "rapid_weakness" in screen.definite


def test_an_earlier_duration_counts_with_the_message():
    message = _entities("symptom:weakness", "course:worsening", "side:both")
    assert (
        "rapid_weakness"
        in screen_in_context(message, ["sensation:numbness"], "PT5H").definite
    )
    assert (
        "rapid_weakness"
        not in screen_in_context(message, ["sensation:numbness"], "P1Y").definite
    )


def test_without_earlier_facts_the_message_alone_decides():
    assert screen_in_context(SUDDEN_WEAK_LEG, []) == screen_entities(SUDDEN_WEAK_LEG)


def test_a_failed_stage_fails_closed_whatever_came_before():
    screen = screen_in_context(SUDDEN_WEAK_LEG, ["trigger:crossed_legs"], failed=True)
    assert screen == screen_entities(SUDDEN_WEAK_LEG, failed=True)
    assert set(screen.definite) | set(screen.possible) == set(all_red_flags())


def test_off_vocabulary_slot_values_are_ignored():
    screen = screen_in_context(
        SUDDEN_WEAK_LEG, ["nonsense", "trigger:unknown_thing", 5]
    )
    assert "rapid_weakness" in screen.definite


def test_a_reply_that_only_dates_an_undated_story_completes_a_red_flag():
    earlier = ["symptom:back_pain", "symptom:weakness", "side:both"]
    hours = _entities("duration:PT3H")
    assert "rapid_weakness" in screen_in_context(hours, earlier).definite
    assert "rapid_weakness" not in screen_in_context(hours, earlier, "P1Y").definite
