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

import re
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


#: A question is asked at most this many times in a row; the next reply is
#: taken as its answer (or as "I don't know") and the questions go on.
MAX_ASKS_IN_A_ROW = 2


def asks_again(times_asked: int) -> bool:
    """True when the open question may be asked once more (not a third time)."""
    return times_asked < MAX_ASKS_IN_A_ROW


#: Intents of a question of the person's own; during the questions the reply
#: must show it is a question (see `has_question_evidence`).
OWN_QUESTION_INTENTS = frozenset(
    {"ask_cause_info", "ask_specialist", "ask_tests", "ask_treatment", "ask_self_help"}
)

# A question mark; a wh-word or an auxiliary that opens a clause ("which doctor
# ...", "can I ...", "is there ..."); a question or request inside the sentence
# ("should I", "can you", "tell me", "I'd like to know").
_QUESTION_EVIDENCE = re.compile(
    r"\?"
    r"|(?:^|[.!,;:]\s*|\b(?:and|but|so|sorry|also|ok|okay|wait|then)\s+)"
    r"(?:what|which|who|whom|whose|why|how|is|are|am|was|were|do|does|did|can"
    r"|could|will|would|should|shall|may|might|must|have|has"
    # "when I walk" answers "when does it happen?"; "when do I ..." asks
    r"|(?:when|where)(?!\s+(?:i|it|my|we|he|she|they|the|a|an|you|your|\w+ing)\b))\b"
    r"|\b(?:should|shall|can|could|may|must|do|would|will)\s+(?:i|we|you|they|he|she)\b"
    r"|\b(?:tell|show|explain|give)\s+(?:me|us)\b|\bexplain\b"
    r"|\b(?:want|like|need)\s+to\s+know\b|\bwonder(?:ing)?\b"
    r"|\bwhat\s+(?:kind|sort|type)\s+of\b|\b(?:whats|wats?|wut|define)\b|^\s*any\b"
    # a request for information: "treatment options", "self care tips"
    r"|\b(?:info|information|details|options|tips|advice|remed(?:y|ies))\b"
    r"|\bmore\s+(?:about|on)\b"
    r"|\b(?:anything|something)\b.*\b(?:i|we)\s+(?:can|could|should)\b",
    re.IGNORECASE,
)


def has_question_evidence(text: Optional[str]) -> bool:
    """True when a message shows it is a question or a request of its own.

    Why: during the questions an answer can look like a question to the intent
    classifier ("while skiing in new boots" read as a question about
    self-help); without a question's form it is taken as the answer, so the
    open question is not asked again and again.
    """
    return bool(text) and _QUESTION_EVIDENCE.search(str(text).strip()) is not None


# Words of a wish to start over or to turn to one's own story ("start again",
# "reset", "from scratch", "now about me", "my own legs", "for myself").
_RESTART_EVIDENCE = re.compile(
    r"\b(?:re-?start|restrat|start|begin|beginning|anew|reset|redo|again|over"
    r"|scratch|fresh|top|forget|clear|wipe|scrap|switch|new (?:chat|conversation)"
    r"|(?:about|to|for) me|myself|mine|my own|instead)\b",
    re.IGNORECASE,
)


def has_restart_evidence(text: Optional[str]) -> bool:
    """True when a message says it wants to start over (or turn to oneself).

    Why: starting over drops every fact; during the questions an answer the
    classifier reads as "start over" ("during a walk in new shoes") without
    any such word is taken as the answer instead.
    """
    return bool(text) and _RESTART_EVIDENCE.search(str(text)) is not None


# Words of leaving: "bye", "see you", "I'm done", "that's all", "gotta go".
_LEAVING_EVIDENCE = re.compile(
    r"\b(?:bye+|goodbye|farewell|cya|ttyl|later|good\s?night|take care|see (?:you|ya)"
    r"|so long|signing off|done|finished|gotta go|have to go|off now|leave"
    r"|that'?s (?:all|everything|it)|that is all|nothing else)\b",
    re.IGNORECASE,
)

#: Intents that interrupt the questions, with the words that must show them:
#: read by the classifier alone, an answer would be lost, loop, or end the
#: questions ("during long flights" read as goodbye).
INTERRUPTION_EVIDENCE = {
    **{intent: _QUESTION_EVIDENCE for intent in OWN_QUESTION_INTENTS},
    "start_over": _RESTART_EVIDENCE,
    "goodbye": _LEAVING_EVIDENCE,
}


def shows_its_intent(intent: Optional[str], text: Optional[str]) -> bool:
    """False when a message read as an interruption has none of its words."""
    evidence = INTERRUPTION_EVIDENCE.get(str(intent))
    return evidence is None or (
        bool(text) and evidence.search(str(text).strip()) is not None
    )


__all__ = [
    "CORRECTION_SEPARATOR",
    "INTERRUPTION_EVIDENCE",
    "MAX_ASKS_IN_A_ROW",
    "MAX_QUESTIONS",
    "OWN_QUESTION_INTENTS",
    "RED_FLAG_CHECK_ID",
    "SINGLE_VALUED_ENTITIES",
    "asks_again",
    "corrected_facts",
    "has_question_evidence",
    "has_restart_evidence",
    "plan_next_question",
    "shows_its_intent",
]
