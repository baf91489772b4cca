"""Limb-injury stage: a sprain or a fracture of a limb is no spinal injury.

Why: "numbness in both legs after an injury" is the spinal-injury red flag
because a fall rarely names the site it hurt. A twisted ankle or a stress
fracture of the shins names it, and both feet that fell asleep later are no
sign of a hurt spine. Such an injury keeps counting as an injury for urgency and
causes, under its own value (limb_injury.yml). Runs last, so every earlier stage
reads it as the injury it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, List, Sequence

from actions.cause_table import parse_fact
from bot.nlu.findings import Finding, Item, is_live
from bot.nlu.rule_files import check_keys, load_rule_file, words_of

LIMB_INJURY_PATH = Path(__file__).with_name("limb_injury.yml")


@dataclass(frozen=True)
class LimbInjuryRules:
    """limb_injury.yml, parsed and checked."""

    value: str
    makes: str
    words: frozenset
    sites: frozenset


def load_limb_injury_rules(path: Path = LIMB_INJURY_PATH) -> LimbInjuryRules:
    """Read limb_injury.yml; unknown keys fail naming the file and key."""
    data = load_rule_file(path, ("limb_injury",))
    rules = data.get("limb_injury") or {}
    check_keys(path, "limb_injury", rules, ("value", "makes", "words", "sites"))
    return LimbInjuryRules(
        value=str(rules.get("value", "trigger:injury")),
        makes=str(rules.get("makes", "trigger:limb_injury")),
        words=words_of(rules.get("words")),
        sites=words_of(rules.get("sites")),
    )


@lru_cache(maxsize=1)
def get_limb_injury_rules() -> LimbInjuryRules:
    """The project's limb-injury rules, read once."""
    return load_limb_injury_rules()


class LimbInjury:
    """Re-keys injuries told of a limb, never a fall's."""

    def __init__(self, rules: LimbInjuryRules | None = None) -> None:
        self.rules = rules or get_limb_injury_rules()

    def apply(self, doc: Any, items: List[Item], findings: Sequence[Finding]) -> None:
        """Change `items` in place."""
        rules = self.rules
        entity, value = parse_fact(rules.makes)
        for finding in findings:
            live = [i for i in finding.items if is_live(i)]
            sites = {str(i.value) for i in live if i.entity == "body_part"}
            if not sites or not sites <= rules.sites:
                continue
            for item in live:
                said = doc.text[item.char_start : item.char_end].lower()
                if item.key == rules.value and said in rules.words:
                    item.entity, item.value = entity, value
