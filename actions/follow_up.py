"""Which follow-up question comes next (pure, no Rasa import).

The triage engine proposes the most useful unknown fact to ask about and says
whether the red-flag check is still needed; this module adds the conversation's
limits on top: at most `MAX_QUESTIONS` questions in all, "just tell me" ends
them early, and the red-flag check is always the last question before a
non-emergency assessment, or the first question when the person named a
dangerous cause as a worry ("could it be a clot?"): that worry is checked at
once, before anything else. A red flag ends the questions at once.
"""

from __future__ import annotations

from typing import Iterable, List, Optional, Sequence, Tuple

from actions.cause_table import RED_FLAG_CHECK_ID, parse_fact
from actions.vocabulary import Fact

#: At most this many questions, the red-flag check included.
MAX_QUESTIONS = 6


def plan_next_question(
    engine_choice: Optional[str],
    red_flag_check_needed: bool,
    asked: Sequence[str],
    skip_requested: bool = False,
    red_flag_fired: bool = False,
) -> Optional[str]:
    """Id of the next question to ask, or None when it is time to assess."""
    if red_flag_fired or RED_FLAG_CHECK_ID in asked:
        return None
    engine_asked = [qid for qid in asked if qid != RED_FLAG_CHECK_ID]
    if (
        engine_choice
        and not skip_requested
        and engine_choice not in asked
        and len(engine_asked) < MAX_QUESTIONS - 1
    ):
        return engine_choice
    return RED_FLAG_CHECK_ID if red_flag_check_needed else None


#: Entities one story holds one value of: a new value is a correction of the
#: old ("no wait, it's the left leg"), so the last word wins.
SINGLE_VALUED_ENTITIES = ("side", "onset")
CORRECTION_SEPARATOR = ">"
#: Values that a specific one refines, not corrects ("one leg", then "the left").
REFINED_VALUES = frozenset({"side:one"})


def corrected_facts(
    present: Sequence[str], new_present: Iterable[Fact]
) -> List[Tuple[str, str]]:
    """(old, new) "entity:value" pairs a message corrects.

    A message naming a new value of a single-valued entity replaces the value
    told before, unless it names that old value too ("left and right").
    """
    new = list(new_present)
    told_now = {f"{entity}:{value}" for entity, value in new}
    pairs: List[Tuple[str, str]] = []
    for entity, value in new:
        if entity not in SINGLE_VALUED_ENTITIES:
            continue
        for old in present:
            try:
                old_entity, old_value = parse_fact(old)
            except ValueError:
                continue
            if (
                old_entity == entity
                and old_value != value
                and old not in told_now
                and {old, f"{entity}:{value}"}.isdisjoint(REFINED_VALUES)
            ):
                pairs.append((str(old), f"{entity}:{value}"))
    return pairs


__all__ = [
    "CORRECTION_SEPARATOR",
    "MAX_QUESTIONS",
    "RED_FLAG_CHECK_ID",
    "SINGLE_VALUED_ENTITIES",
    "corrected_facts",
    "plan_next_question",
]
