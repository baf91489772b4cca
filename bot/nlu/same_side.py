"""Same-side stage: an arm or hand is a stroke sign with a leg only on its side.

Why: "numbness or weakness of an arm and leg on one side" is a conjunction; an
arm or hand told in a finding with no side, while the one-sided leg is told in
another ("tingles in a couple of fingers and toes ... two toes on my left foot
numb"), is not known to be on that side. Such a cue becomes `possible` (the red
flag's check question), never dropped. The rules are data (same_side.yml).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import List

from bot.nlu.findings import POSSIBLE, Item, is_live
from bot.nlu.rule_files import check_keys, load_rule_file, words_of

SAME_SIDE_PATH = Path(__file__).with_name("same_side.yml")


@dataclass(frozen=True)
class SameSideRules:
    """same_side.yml, parsed and checked."""

    cues: frozenset
    sides: frozenset
    unless: frozenset


def load_same_side_rules(path: Path = SAME_SIDE_PATH) -> SameSideRules:
    """Read same_side.yml; unknown keys fail naming the file and key."""
    data = load_rule_file(path, ("same_side",))
    rules = data.get("same_side") or {}
    check_keys(path, "same_side", rules, ("cues", "sides", "unless"))
    return SameSideRules(
        cues=words_of(rules.get("cues")),
        sides=words_of(rules.get("sides")),
        unless=words_of(rules.get("unless")),
    )


@lru_cache(maxsize=1)
def get_same_side_rules() -> SameSideRules:
    """The project's same-side rules, read once."""
    return load_same_side_rules()


class SameSide:
    """Marks arm and hand cues whose side is not the leg's as possible."""

    def __init__(self, rules: SameSideRules | None = None) -> None:
        self.rules = rules or get_same_side_rules()

    def apply(self, items: List[Item]) -> None:
        """Change `items` in place."""
        rules = self.rules
        live = [i for i in items if is_live(i)]
        if not any(i.key in rules.sides for i in live):
            return
        if any(i.key in rules.unless for i in live):
            return
        sided = {i.group for i in live if i.entity == "side"}
        for item in live:
            if item.key in rules.cues and item.group not in sided:
                item.role = POSSIBLE
