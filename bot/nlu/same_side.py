"""Same-side stage: an arm or hand is a stroke sign with a leg only on its side.

Why: "numbness or weakness of an arm and leg on one side" is a conjunction; an
arm or hand told in a finding with no side, while the one-sided leg is told in
another ("tingles in a couple of fingers and toes ... two toes on my left foot
numb"), is not known to be on that side. Such a cue becomes `possible` (the red
flag's check question), never dropped. The rules are data (same_side.yml).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List, Tuple

from actions.cause_schema import duration_days
from bot.nlu.attribution import told_as_length
from bot.nlu.findings import POSSIBLE, Item, is_live
from bot.nlu.rule_files import project_rules, read_rules, rule

SAME_SIDE_PATH = Path(__file__).with_name("same_side.yml")
#: characters around an arm or hand searched for "on that side" / "same side"
_NEAR = 20


@dataclass(frozen=True)
class SameSideRules:
    """same_side.yml, parsed and checked."""

    cues: frozenset = rule("cues", "same_side")
    sides: frozenset = rule("sides", "same_side")
    unless: frozenset = rule("unless", "same_side")
    plural_cues: frozenset = rule("plural_cues", "same_side")
    told_same_after: Tuple[str, ...] = rule("told_same_after", "same_side")
    told_same_before: Tuple[str, ...] = rule("told_same_before", "same_side")
    unsided_legs: frozenset = rule("legs", "unsided")
    unsided_symptoms: frozenset = rule("symptoms", "unsided")
    unsided_plurals: frozenset = rule("plurals", "unsided")
    unsided_makes: str = rule("makes", "unsided", default="side:one")
    plural_words: frozenset = rule("words", "plural")
    plural_makes: str = rule("makes", "plural", default="side:both")
    plural_needs: frozenset = rule("needs", "plural")
    plural_definite_with: frozenset = rule("definite_with", "plural")
    plural_definite_after: Tuple[str, ...] = rule("definite_after", "plural")
    plural_definite_days: int = rule("definite_within_days", "plural", default=0)
    plural_definite_limbs: frozenset = rule("definite_with_limbs", "plural")


def load_same_side_rules(path: Path = SAME_SIDE_PATH) -> SameSideRules:
    """Read same_side.yml; unknown keys fail naming the file and key."""
    return read_rules(SameSideRules, path)


class SameSide:
    """Marks arm and hand cues whose side is not the leg's as possible."""

    def __init__(self, rules: SameSideRules | None = None) -> None:
        self.rules = rules or project_rules(SameSideRules, SAME_SIDE_PATH)

    def apply(self, items: List[Item], text: str = "") -> None:
        """Change `items` in place; `text` tells "hand" from "hands"."""
        rules = self.rules
        live = [i for i in items if is_live(i)]
        if not any(i.entity == "side" for i in items):
            self._plural_legs(items, live, text)
        if not any(i.key in rules.sides for i in live):
            self._unsided(items, live, text)
            return
        # an arm that went numb suddenly is a sign whatever its side, unless it is
        # told in the plural ("his hands and feet go numb ... his right leg
        # suddenly hurt"): both hands are no one side
        sudden = any(i.key in rules.unless for i in live)
        sided = {i.group for i in live if i.entity == "side"}
        for item in live:
            if (
                item.key in rules.cues
                and item.group not in sided
                and not _told_same(text, item, rules)
                and (not sudden or _written(text, item) in rules.plural_cues)
            ):
                item.role = POSSIBLE

    def _unsided(self, items: List[Item], live: List[Item], text: str) -> None:
        """One hand and one leg with nerve symptoms and no side told: maybe one side.

        "the leg is kind of numb and clumsy and the hand too" names no side, yet
        one arm and one leg is how a stroke shows. With no side and no plural limb
        in the message, a possible one-sided fact is added (the stroke question
        first); a definite one only when the arm or the leg is told "on the same
        side" as the other.
        """
        rules = self.rules
        if not rules.unsided_legs or any(i.entity == "side" for i in items):
            return
        words = {w.strip(".,!?;:()").lower() for w in text.split()}
        if words & rules.unsided_plurals:
            return
        arms = [i for i in live if i.key in rules.cues]
        if not arms or not any(i.key in rules.unsided_legs for i in live):
            return
        if not any(i.key in rules.unsided_symptoms for i in live):
            return
        one_side = _possible_at(arms[0], rules.unsided_makes)
        # "my arm went tingly ... my leg on the same side isn't working": told so
        if any(
            (i.key in rules.unsided_legs or i.key in rules.cues)
            and _told_same(text, i, rules)
            for i in live
        ):
            one_side.role = None
        items.append(one_side)

    def _plural_legs(self, items: List[Item], live: List[Item], text: str) -> None:
        """Legs told in the plural with no side told may be both: a possible fact.

        "I fell and my legs are numb" should ask the spinal-injury question first;
        as a fact, a plural read as both legs made other answers worse (tried on
        the dev sets), so it only completes a red flag's question, never a flag;
        unless a plural's own finding tells them failing (any of the plurals: "my
        feet go numb on and off ... now my legs suddenly got weak") and the message
        tells it at once, worse or climbing (one of `definite_with`: "my legs turned to
        jelly and it's creeping up past my waist"), or tells arms failing with them
        ("her legs and arms won't do what she tells them"): both legs together.
        """
        rules = self.rules
        if not any(i.key in rules.plural_needs for i in live):
            return
        parts = [i for i in live if i.entity == "body_part"]
        plural = [i for i in parts if _written(text, i) in rules.plural_words]
        if not plural:
            return
        failing = [
            p
            for p in plural
            if any(i.key in rules.plural_needs for i in live if i.group == p.group)
        ]
        failing_groups = {p.group for p in failing}
        where = (failing or plural)[0]
        both = _possible_at(where, rules.plural_makes)
        if failing and (
            any(i.key in rules.plural_definite_with for i in live)
            or any(
                i.entity == "duration"
                and _recent_date(text, i, rules.plural_definite_days)
                for i in live
            )
            or any(
                _followed_by(text, p.char_end, rules.plural_definite_after)
                for p in failing
            )
            or any(
                i.group in failing_groups
                and _written(text, i) in rules.plural_definite_limbs
                for i in parts
            )
        ):
            both.role = None
        items.append(both)


def _written(text: str, item: Item) -> str:
    """The words of `text` the item was read from, lower case ("legs", "hands")."""
    return text[item.char_start : item.char_end].lower().strip()


def _told_same(text: str, item: Item, rules: SameSideRules) -> bool:
    """True when the cue is told on "that side" or "the same side" as the leg:
    a phrase of the rules within a few words after or before it."""
    if item.char_start < 0:
        return False
    after = text[item.char_end : item.char_end + _NEAR].lower()
    before = text[max(0, item.char_start - _NEAR) : item.char_start].lower()
    return any(p in after for p in rules.told_same_after) or any(
        p in before for p in rules.told_same_before
    )


def _followed_by(text: str, end: int, words: Tuple[str, ...]) -> bool:
    """True when one of `words` is the next thing told after `end`."""
    rest = text[end:].lower().lstrip()
    return any(
        rest.startswith(word) and not rest[len(word) : len(word) + 1].isalpha()
        for word in words
    )


def _possible_at(where: Item, fact: str) -> Item:
    """A `possible` fact ("entity:value") at the mention it was read from."""
    entity, _, value = fact.partition(":")
    return Item(
        entity,
        value,
        where.char_start,
        where.char_end,
        where.token_start,
        where.token_end,
        role=POSSIBLE,
        group=where.group,
    )


def _recent_date(text: str, item: Item, days: int) -> bool:
    """A duration of one day to `days` days, or a date of today ("this
    morning"); never a length of minutes or hours ("after 5 mins in the kayak"),
    as often the length of a spell."""
    told = duration_days(str(item.value)) or 0
    return told <= days and (told >= 1 or not told_as_length(text, item))
