"""Findings: what one clause says about one symptom, with its attributes.

A finding links a sensation or symptom to the site(s), surface and side it is
about, its onset, course and duration, and the context it was said in
(negation, time, experiencer, certainty). Its facts leave the NLU as Rasa
entities with `group` set to the finding's index and a role for anything that is
not a present fact: `negated` (known absent), `possible` (an ambiguous red-flag
cue, e.g. a cast with no symptom under it), `past` and `hypothetical` (not
today's facts; triage ignores them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

NEGATED, POSSIBLE, PAST, HYPOTHETICAL = "negated", "possible", "past", "hypothetical"
#: Roles ranked: a fact's strongest statement in a message wins its entity.
ROLE_RANK = {None: 0, POSSIBLE: 1, PAST: 2, HYPOTHETICAL: 2, NEGATED: 3}
EXPERIENCER_ENTITY = "experiencer"


@dataclass
class Item:
    """One mention on its way through the stages."""

    entity: str
    value: Any
    char_start: int
    char_end: int
    token_start: int = -1
    token_end: int = -1
    negated: bool = False
    role: Optional[str] = None
    group: int = 0
    dropped: bool = False

    @property
    def key(self) -> str:
        return f"{self.entity}:{self.value}"


@dataclass
class Finding:
    """One clause's (or clauses') statement about a symptom."""

    group: int
    text: str
    items: List[Item] = field(default_factory=list)
    time: str = "now"
    experiencer: str = "self"
    certainty: str = "definite"

    def values(self, *entities: str, role: Optional[str] = None) -> List[Any]:
        """Values of live items of `entities` with `role` (None: present)."""
        return [
            i.value
            for i in self.items
            if not i.dropped and i.entity in entities and _role(i) == role
        ]

    def to_dict(self) -> Dict[str, Any]:
        """The finding as plain data for `message["findings"]`."""
        durations = self.values("duration")
        return {
            "group": self.group,
            "text": self.text,
            "symptoms": self.values("sensation", "symptom"),
            "sites": self.values("body_part"),
            "surfaces": self.values("surface"),
            "sides": self.values("side"),
            "onset": self.values("onset"),
            "course": self.values("course"),
            "duration": durations[0] if durations else None,
            "triggers": self.values("trigger"),
            "conditions": self.values("condition"),
            "negated": [i.key for i in self.items if not i.dropped and i.negated],
            "possible": [i.key for i in self.items if _role(i) == POSSIBLE],
            "time": self.time,
            "experiencer": self.experiencer,
            "certainty": self.certainty,
        }


def is_live(item: Item) -> bool:
    """True for a present fact: not dropped, not negated, no role."""
    return not item.dropped and not item.negated and item.role is None


def _role(item: Item) -> Optional[str]:
    if item.dropped:
        return "dropped"
    if item.negated:
        return NEGATED
    return item.role


def to_entities(items: List[Item], text_length: int, other: bool) -> List[Dict]:
    """Rasa entities, one per fact, role and finding; present hides weaker roles."""
    live = [i for i in items if not i.dropped]
    best: Dict[tuple, int] = {}
    for item in live:
        fact = (item.entity, str(item.value))
        rank = ROLE_RANK[_role(item)]
        best[fact] = min(best.get(fact, rank), rank)
    seen = set()
    entities: List[Dict[str, Any]] = []
    for item in sorted(live, key=lambda i: i.char_start):
        role = _role(item)
        fact = (item.entity, str(item.value))
        if best[fact] == 0 and role is not None:
            continue  # said as present somewhere: the present statement wins
        if (fact, role, item.group) in seen:
            continue
        seen.add((fact, role, item.group))
        entity: Dict[str, Any] = {
            "entity": item.entity,
            "value": item.value,
            "start": item.char_start,
            "end": item.char_end,
            "group": item.group,
        }
        if role is not None:
            entity["role"] = role
        entities.append(entity)
    if other:
        entities.append(
            {
                "entity": EXPERIENCER_ENTITY,
                "value": "other",
                "start": 0,
                "end": text_length,
            }
        )
    return entities
