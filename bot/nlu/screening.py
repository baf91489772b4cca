"""Red-flag screening of raw text without Rasa: the NLU stages plus the detector's rule.

Why: tests and `make nlu-report` score the red-flag tiers on a labelled set
without a trained model; the Rasa component (red_flag_detector.py) applies the
same two functions to a parsed message.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, List, Tuple

from actions.cause_table import get_cause_table
from actions.parsing import MessageFacts, facts_from_entities, findings_from_message
from actions.triage import detect_red_flags
from bot.nlu.pipeline import get_pipeline


@dataclass(frozen=True)
class Screen:
    """Red flag ids of one message: definite ones and those only the cues support."""

    definite: Tuple[str, ...] = ()
    possible: Tuple[str, ...] = ()


def red_flags(facts: MessageFacts, with_cues: bool) -> List[str]:
    """Red flag ids that fire on the facts (plus the possible cues if asked)."""
    if with_cues:
        if not facts.possible:
            return []
        facts = replace(facts, present=facts.present + facts.possible)
    if not facts.present:
        return []
    hits = detect_red_flags(findings_from_message(facts))
    return list(dict.fromkeys(hit.id for hit in hits))


def all_red_flags() -> List[str]:
    """Every red flag id of the cause table (the fail-closed answer)."""
    return [flag.id for flag in get_cause_table().red_flags]


def screen_entities(entities: Any, failed: bool = False) -> Screen:
    """The two tiers for one message's entities; `failed`: a stage crashed."""
    facts = facts_from_entities(entities or [])
    definite = red_flags(facts, with_cues=False)
    candidates = all_red_flags() if failed else red_flags(facts, with_cues=True)
    possible = [flag for flag in candidates if flag not in definite]
    return Screen(tuple(definite), tuple(possible))


def screen_text(text: str) -> Screen:
    """The two tiers for raw text, through the NLU stages."""
    result = get_pipeline().parse(text)
    return screen_entities(result.entities, bool(result.failed))
