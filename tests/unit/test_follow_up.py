"""actions/follow_up.py: the conversation's limits on the engine's questions."""

from __future__ import annotations

import pytest

from actions import follow_up
from actions.follow_up import MAX_QUESTIONS, RED_FLAG_CHECK_ID, plan_next_question


def test_the_engine_choice_is_asked_while_questions_remain():
    assert plan_next_question("side", True, ["onset"]) == "side"


def test_the_red_flag_check_comes_when_the_engine_has_nothing_to_ask():
    assert plan_next_question(None, True, ["onset"]) == RED_FLAG_CHECK_ID


def test_no_question_when_the_red_flag_check_is_not_needed():
    assert plan_next_question(None, False, ["onset"]) is None


def test_the_red_flag_check_is_the_last_question():
    asked = ["onset", RED_FLAG_CHECK_ID]
    assert plan_next_question("side", True, asked) is None


def test_at_most_max_questions_including_the_red_flag_check():
    asked = [f"q{i}" for i in range(MAX_QUESTIONS - 1)]
    assert plan_next_question("side", True, asked) == RED_FLAG_CHECK_ID
    assert len([*asked, RED_FLAG_CHECK_ID]) == MAX_QUESTIONS


def test_just_tell_me_goes_straight_to_the_red_flag_check():
    assert plan_next_question("side", True, [], skip_requested=True) == (
        RED_FLAG_CHECK_ID
    )


def test_a_red_flag_ends_the_questions():
    assert plan_next_question("side", True, [], red_flag_fired=True) is None


def test_a_question_already_asked_is_not_asked_again():
    assert plan_next_question("side", True, ["side"]) == RED_FLAG_CHECK_ID


def test_a_new_side_corrects_the_old_one():
    assert follow_up.corrected_facts(
        ["side:right", "body_part:foot"], [("side", "left")]
    ) == [("side:right", "side:left")]


def test_naming_both_sides_at_once_corrects_nothing():
    assert (
        follow_up.corrected_facts(["side:right"], [("side", "left"), ("side", "right")])
        == []
    )


def test_facts_of_other_entities_are_added_not_corrected():
    assert follow_up.corrected_facts(["body_part:foot"], [("body_part", "calf")]) == []


def test_a_specific_side_refines_one_leg():
    assert follow_up.corrected_facts(["side:one"], [("side", "left")]) == []


@pytest.mark.parametrize(
    "text",
    [
        "sorry, what kind of doctor should I be seeing for this?",
        "which doctor should i see",
        "what kind of doctor do i need",
        "can I get a summary for my doctor",
        "tell me about sciatica",
        "anything I can do at home",
        "when do I need to worry",
        "how is this treated",
    ],
)
def test_a_question_shows_it_is_one(text):
    assert follow_up.has_question_evidence(text)


@pytest.mark.parametrize(
    "text",
    [
        "while skiing in new boots",
        "when I walk",
        "when skiing",
        "it happens when I sit",
        "wearing tight boots",
        "both legs",
        "",
    ],
)
def test_an_answer_is_no_question(text):
    assert not follow_up.has_question_evidence(text)


def test_a_question_is_asked_at_most_twice_in_a_row():
    assert follow_up.asks_again(1)
    assert not follow_up.asks_again(follow_up.MAX_ASKS_IN_A_ROW)


def _examples(intent):
    import yaml

    from actions.cause_table import QUESTIONS_PATH

    data = QUESTIONS_PATH.parents[1] / "bot" / "data"
    for path in sorted(data.glob("nlu*.yml")):
        for item in yaml.safe_load(path.read_text()).get("nlu", []):
            if item.get("intent") == intent:
                yield from (
                    line[2:] for line in item["examples"].splitlines() if line.strip()
                )


@pytest.mark.parametrize("intent", sorted(follow_up.INTERRUPTION_EVIDENCE))
def test_every_interruption_we_train_on_shows_its_words(intent):
    """The guard keeps every wording the NLU learns for an interruption."""
    examples = list(_examples(intent))
    missing = [t for t in examples if not follow_up.shows_its_intent(intent, t)]
    assert examples and not missing


@pytest.mark.parametrize(
    "intent,text",
    [("goodbye", "during long flights"), ("ask_self_help", "after exercise")],
)
def test_an_answer_read_as_an_interruption_does_not_show_it(intent, text):
    assert not follow_up.shows_its_intent(intent, text)


@pytest.mark.parametrize(
    "text", ["during a walk in new shoes", "in the evening", "both feet"]
)
def test_an_answer_is_no_wish_to_start_over(text):
    assert not follow_up.has_restart_evidence(text)
