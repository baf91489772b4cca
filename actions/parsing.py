"""Turn NLU entities and dialogue slots into triage facts.

Pure functions over plain values (no Rasa import), shared by the action server
(actions/actions.py) and the NLU-side red-flag detector (bot/nlu). A fact is an
(entity, value) pair of actions/vocabulary.yml; slots keep facts as
"entity:value" strings. Roles: `negated` is a fact known absent; `possible` is an
ambiguous red-flag cue (not a fact; the red-flag detector asks about it);
`past` and `hypothetical` are not today's facts and are ignored. The entity
`experiencer` = `other` says the story is about someone else (facts still count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Tuple

from actions.cause_table import (
    CAUSE_ENTITY,
    DURATION_ENTITY,
    format_fact,
    get_cause_table,
    parse_fact,
)
from actions.triage import Findings
from actions.vocabulary import Fact, get_vocabulary

NEGATED_ROLE = "negated"
POSSIBLE_ROLE = "possible"
#: Roles of mentions that are not present facts and not absent ones either.
NOT_NOW_ROLES = frozenset({"past", "hypothetical"})
EXPERIENCER_ENTITY = "experiencer"
#: Button payloads name the answer they stand for: "<question id>:<index>".
ANSWER_ENTITY = "answer"
FACT_SEPARATOR = ":"
MAX_AGE = 130

_ORDINALS = {
    "first": 0,
    "1st": 0,
    "top": 0,
    "second": 1,
    "2nd": 1,
    "third": 2,
    "3rd": 2,
    "last": -1,
}
_ORDINAL_PATTERN = re.compile(
    r"\b(" + "|".join(_ORDINALS) + r")\b(?:\s+(?:one|cause|possibility|option))?",
    re.IGNORECASE,
)
_NUMBER_PATTERN = re.compile(r"(?:number|no\.?|#)\s*([1-3])\b", re.IGNORECASE)


@dataclass(frozen=True)
class MessageFacts:
    """What one message says: facts present and absent, age and duration."""

    present: Tuple[Fact, ...] = ()
    absent: Tuple[Fact, ...] = ()
    age: Optional[int] = None
    duration: Optional[str] = None
    #: True when the message is a button answer (even "Not sure").
    answered: bool = False
    #: Ambiguous red-flag cues: not facts, but may complete a red flag.
    possible: Tuple[Fact, ...] = ()
    #: "other" when the story is about someone else, else "self".
    experiencer: str = "self"

    def is_empty(self) -> bool:
        """True when the message told us nothing usable."""
        return not (self.present or self.absent or self.age or self.duration)


def fact_to_str(fact: Fact) -> str:
    """Slot form of a fact: ("trigger", "night") -> "trigger:night"."""
    return format_fact(fact)


def str_to_fact(text: str) -> Optional[Fact]:
    """Inverse of `fact_to_str`; None for anything malformed or off-vocabulary.

    The one reader of slot strings: `parse_fact` splits, this checks the value.
    """
    try:
        entity, value = parse_fact(text)
    except ValueError:
        return None
    if get_vocabulary().has(entity, value):
        return (entity, value)
    if entity == DURATION_ENTITY and value in _duration_buckets():
        return (entity, value)
    if entity == CAUSE_ENTITY and value in get_cause_table().cause_ids:
        return (entity, value)
    return None


def _duration_buckets() -> FrozenSet[str]:
    """Bucket facts such as "duration:minutes" that button answers may set."""
    return frozenset(name for name, _ in get_cause_table().duration_buckets)


def _parse_age(value: Any) -> Optional[int]:
    try:
        age = int(float(value))
    except (TypeError, ValueError):
        return None
    return age if 0 < age <= MAX_AGE else None


def answer_from_reference(reference: Any) -> Optional[Any]:
    """The question answer a button payload names ("side:1"), or None."""
    question_id, _, index = str(reference or "").rpartition(FACT_SEPARATOR)
    if not index.isdigit():
        return None
    try:
        answers = get_cause_table().question(question_id).answers
    except KeyError:
        return None
    return answers[int(index)] if int(index) < len(answers) else None


def facts_from_entities(entities: Iterable[Mapping[str, Any]]) -> MessageFacts:
    """Facts of one message's entities; a negated mention is a fact known absent.

    A button answer (entity `answer`) adds the facts its question file entry
    names. When one message both affirms and negates the same fact, the
    affirmation is kept: missing a symptom is worse than asking about it again.
    """
    vocabulary = get_vocabulary()
    present: List[Fact] = []
    absent: List[Fact] = []
    age: Optional[int] = None
    duration: Optional[str] = None
    answered = False
    possible: List[Fact] = []
    experiencer = "self"
    for entity in entities or ():
        name = entity.get("entity")
        value = entity.get("value")
        role = entity.get("role")
        negated = role == NEGATED_ROLE
        if role in NOT_NOW_ROLES:
            continue
        if name == EXPERIENCER_ENTITY:
            experiencer = str(value or "self")
        elif role == POSSIBLE_ROLE:
            if isinstance(value, str) and vocabulary.has(str(name), value):
                if (str(name), value) not in possible:
                    possible.append((str(name), value))
        elif name == ANSWER_ENTITY:
            answer = answer_from_reference(value)
            if answer is not None:
                answered = True
                present += [f for f in answer.present_facts if f not in present]
                absent += [f for f in answer.absent_facts if f not in absent]
                duration = answer.duration or duration
        elif name == "age" and not negated:
            age = _parse_age(value) or age
        elif name == "duration" and not negated and isinstance(value, str):
            duration = duration or value
        elif name == CAUSE_ENTITY and not negated:
            # The person names a cause ("could it be sciatica"): the engine
            # weighs it (engine.mentioned_cause_weight).
            if value in get_cause_table().cause_ids and (name, value) not in present:
                present.append((name, value))
        elif isinstance(value, str) and vocabulary.has(str(name), value):
            target = absent if negated else present
            if (str(name), value) not in target:
                target.append((str(name), value))
    absent = [fact for fact in absent if fact not in present]
    possible = [fact for fact in possible if fact not in present]
    return MessageFacts(
        tuple(present),
        tuple(absent),
        age,
        duration,
        answered,
        tuple(possible),
        experiencer,
    )


def merge_facts(
    present: Optional[Sequence[str]],
    absent: Optional[Sequence[str]],
    new_present: Iterable[Fact] = (),
    new_absent: Iterable[Fact] = (),
) -> Tuple[List[str], List[str]]:
    """New slot values after a message: the latest statement about a fact wins.

    Why: people correct themselves ("actually my back does hurt"), so a newly
    reported fact leaves the opposite list.
    """
    present_list = [str(item) for item in present or []]
    absent_list = [str(item) for item in absent or []]
    for fact in new_present:
        _move(fact_to_str(fact), into=present_list, out_of=absent_list)
    for fact in new_absent:
        _move(fact_to_str(fact), into=absent_list, out_of=present_list)
    return present_list, absent_list


def _move(text: str, into: List[str], out_of: List[str]) -> None:
    if text in out_of:
        out_of.remove(text)
    if text not in into:
        into.append(text)


def _facts(items: Optional[Iterable[str]]) -> FrozenSet[Fact]:
    return frozenset(
        fact for fact in (str_to_fact(item) for item in items or []) if fact
    )


def findings_from_slots(
    present: Optional[Iterable[str]],
    absent: Optional[Iterable[str]],
    age: Any = None,
    duration: Optional[str] = None,
) -> Findings:
    """The triage engine's input from the dialogue's fact slots."""
    return Findings(
        present=_facts(present),
        absent=_facts(absent),
        age=_parse_age(age),
        duration=duration or None,
    )


def findings_from_message(facts: MessageFacts) -> Findings:
    """The triage engine's input from one message alone (red-flag screening)."""
    return Findings(
        present=frozenset(facts.present),
        absent=frozenset(facts.absent),
        age=facts.age,
        duration=facts.duration,
    )


def cause_from_entities(entities: Iterable[Mapping[str, Any]]) -> Optional[str]:
    """The cause id a message asks about, if the NLU found one (not negated)."""
    for entity in entities or ():
        if entity.get("entity") == "cause" and entity.get("role") is None:
            value = entity.get("value")
            if isinstance(value, str) and value:
                return value
    return None


def ordinal_from_text(text: Optional[str]) -> Optional[int]:
    """List index the person points at: "the second one" -> 1, "the last" -> -1."""
    if not text:
        return None
    match = _ORDINAL_PATTERN.search(text)
    if match:
        return _ORDINALS[match.group(1).lower()]
    number = _NUMBER_PATTERN.search(text)
    if number:
        return int(number.group(1)) - 1
    return None
