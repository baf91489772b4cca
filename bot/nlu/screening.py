"""Red-flag screening of raw text without Rasa: the NLU stages plus the detector's rule.

Why: tests and `make nlu-report` score the red-flag tiers on a labelled set
without a trained model; the Rasa component (red_flag_detector.py) applies the
same two functions to a parsed message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, List, Optional, Sequence, Tuple

from actions.cause_table import (
    CAUSE_ENTITY,
    RED_FLAG_CHECK_ID,
    get_cause_table,
    red_flag_check_for,
)
from actions.parsing import (
    MessageFacts,
    facts_from_entities,
    findings_from_message,
    findings_from_slots,
)
from actions.triage import detect_red_flags, red_flag_support
from actions.vocabulary import Fact
from bot.nlu.findings import PAST as PAST_ROLE
from bot.nlu.pipeline import get_pipeline


@dataclass(frozen=True)
class Screen:
    """Red flag ids of one message: definite ones and those only the cues support."""

    definite: Tuple[str, ...] = ()
    possible: Tuple[str, ...] = ()


def red_flags(facts: MessageFacts) -> List[str]:
    """Red flag ids that fire on the present facts (the possible cues left out)."""
    if not facts.present:
        return []
    hits = detect_red_flags(findings_from_message(facts))
    return list(dict.fromkeys(hit.id for hit in hits))


def cued_red_flags(facts: MessageFacts) -> List[str]:
    """Red flags that fire with the possible cues added, those the message tells
    most of first (ties in table order).

    Why: the dialogue asks one check question first; a paralysis after "my
    neck got squashed" is asked about as the injury it followed, not as a
    weakness alone.
    """
    if not facts.possible:
        return []
    support = red_flag_support(
        findings_from_message(replace(facts, present=facts.present + facts.possible))
    )
    order = {flag: i for i, flag in enumerate(all_red_flags())}
    return sorted(support, key=lambda f: (-support[f], order[f]))


def all_red_flags() -> List[str]:
    """Every red flag id of the cause table (the fail-closed answer)."""
    return [flag.id for flag in get_cause_table().red_flags]


#: Openings of a question about what a cause is (not a worry of having it).
DEFINITION_CUES = (
    "what is",
    "what's",
    "whats",
    "what are",
    "tell me about",
    "tell me more about",
    "explain",
    "define",
    "meaning of",
)


def asks_what_a_cause_is(text: str, start: int) -> bool:
    """True when the sentence up to `start` opens with a definition cue.

    "what is a stroke?" asks about a cause; "my leg is numb, is it a stroke?"
    and "what is going on? is it a clot?" name a worry.
    """
    before = str(text)[: max(0, start)].lower()
    sentence = re.split(r"[.!?\n]", before)[-1]
    opening = " ".join(sentence.split()) + " "
    return any(opening.startswith(cue + " ") for cue in DEFINITION_CUES)


def named_danger_flags(entities: Any, text: str = "") -> List[str]:
    """Red-flag checks of the dangerous causes the message names ("a clot?").

    A cause asked about ("what is a stroke?") is no worry (see
    `asks_what_a_cause_is`); past, negated and other roles are no worry either.
    """
    flags = []
    for entity in entities or []:
        if entity.get("entity") != CAUSE_ENTITY or entity.get("role"):
            continue
        if asks_what_a_cause_is(text, int(entity.get("start") or 0)):
            continue
        flag = red_flag_check_for(str(entity.get("value")))
        if flag:
            flags.append(flag)
    return flags


def screen_entities(entities: Any, failed: bool = False, text: str = "") -> Screen:
    """The two tiers for one message's entities; `failed`: a stage crashed.

    A dangerous cause the person names as a worry ("could it be a blood
    clot?", "am I having a stroke?") makes that cause's red flag possible: its
    check question comes first, never a plain answer. `text` is the message
    (to tell a worry from a question about what a cause is).
    """
    return _screen(facts_from_entities(entities or []), entities, failed, text)


def already_told(flag: str, facts: MessageFacts, past: Sequence[Fact] = ()) -> bool:
    """True when the message already holds every fact a "yes" to the flag's
    check question would add ("is it the glue? I've glued for five years"): its
    rules have judged them, and asking again would only turn them into a yes.
    A fact told of the past counts as told ("hurt my back at work back in
    february ... can you have that from a back injury?"): the story dated it."""
    question = get_cause_table().question(RED_FLAG_CHECK_ID)
    answers = [a for a in question.answers if a.red_flag == flag]
    told = set(facts.present) | set(past)
    return any(a.present_facts and set(a.present_facts) <= told for a in answers)


def past_facts(entities: Any) -> List[Fact]:
    """Facts the message tells of the past (mentions with the past role)."""
    return [
        (str(e.get("entity")), str(e.get("value")))
        for e in entities or []
        if e.get("role") == PAST_ROLE
    ]


def _screen(facts: MessageFacts, entities: Any, failed: bool, text: str) -> Screen:
    """`screen_entities` on facts already read from the entities."""
    definite = red_flags(facts)
    past = past_facts(entities)
    named = [
        flag
        for flag in named_danger_flags(entities, text)
        if not already_told(flag, facts, past)
    ]
    # a failed stage's facts may be wrong: every flag, in table order
    cued = all_red_flags() if failed else cued_red_flags(facts)
    # a danger the person names is their own worry: its question comes first
    possible = [
        flag
        for flag in dict.fromkeys([f for f in all_red_flags() if f in named] + cued)
        if flag not in definite
    ]
    return Screen(tuple(definite), tuple(possible))


def earlier_facts(earlier: Sequence[str], duration: Optional[str]) -> MessageFacts:
    """The conversation's facts so far ("entity:value" slot strings) as one message."""
    slots = findings_from_slots(earlier, None, duration=duration)
    return MessageFacts(present=tuple(sorted(slots.present)), duration=slots.duration)


def screen_in_context(
    entities: Any,
    earlier: Sequence[str] = (),
    earlier_duration: Optional[str] = None,
    failed: bool = False,
    text: str = "",
) -> Screen:
    """The two tiers for one message read with what the conversation told before.

    Why: a reply to a later question ("it came on suddenly, it feels weak") is
    screened alone without the "legs crossed for hours" told turns earlier, and
    a red flag told across turns ("I fell off a ladder", then "both legs are
    numb") needs both. With the earlier facts added, a red flag this message
    completes is definite; one the message alone fires but its context rules
    out becomes possible (its question, never dropped). Red flags the earlier
    facts fire on their own were answered on their own turn. A failed stage or
    no earlier facts: the message alone decides. A reply that only dates a
    story told undated ("over a few hours after surfing") completes a red flag
    as well (never one already dated: "a few hours" may then be a spell's length).
    """
    facts = facts_from_entities(entities or [])
    own = _screen(facts, entities, failed, text)
    before = earlier_facts(earlier, earlier_duration)
    dates_it = bool(facts.duration) and not before.duration
    if failed or not before.present or not (facts.present or dates_it):
        return own
    combined = replace(
        facts,
        present=tuple(dict.fromkeys(before.present + facts.present)),
        duration=facts.duration or before.duration,
    )
    already = set(red_flags(before))
    in_context = set(red_flags(combined))
    definite = [
        flag
        for flag in all_red_flags()
        if flag in in_context and (flag in own.definite or flag not in already)
    ]
    possible = [
        flag
        for flag in dict.fromkeys(own.possible + own.definite)
        if flag not in definite
    ]
    return Screen(tuple(definite), tuple(possible))


def screen_text(text: str) -> Screen:
    """The two tiers for raw text, through the NLU stages."""
    result = get_pipeline().parse(text)
    return screen_entities(result.entities, bool(result.failed), text)
