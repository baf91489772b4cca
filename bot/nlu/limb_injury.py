"""Limb-injury stage: a sprain, a cut or a fracture of a limb is no spinal injury.

Why: "numbness in both legs after an injury" is the spinal-injury red flag
because a fall rarely names the site it hurt. A twisted ankle, glass in a foot
or a stress fracture of the shins names it, and feet numb on both sides from a
neuropathy are no sign of a hurt spine. Only a fall, a crash, a blow or a dive
stays a possible spinal injury whatever limb it also hurt. A limb's injury keeps
counting as an injury for urgency and causes, under its own value
(limb_injury.yml). A strain told while lifting or carrying, with no fall or blow
in the message, is no trauma at all and is dropped. Runs last, so every earlier
stage reads it as the injury it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Sequence, Set, Tuple

from actions.cause_table import parse_fact
from bot.nlu.findings import POSSIBLE, Finding, Item, is_live
from bot.nlu.rule_files import project_rules, read_rules, rule, says

LIMB_INJURY_PATH = Path(__file__).with_name("limb_injury.yml")


@dataclass(frozen=True)
class LimbInjuryRules:
    """limb_injury.yml, parsed and checked."""

    value: str = rule("value", "limb_injury", default="trigger:injury")
    makes: str = rule("makes", "limb_injury", default="trigger:limb_injury")
    spine_words: frozenset = rule("spine_words", "limb_injury")
    sites: frozenset = rule("sites", "limb_injury")
    arm_sites: frozenset = rule("arm_sites", "limb_injury")
    reply_sites: frozenset = rule("reply_sites", "limb_injury")
    strain_words: Tuple[str, ...] = rule("words", "strain")
    trauma_words: frozenset = rule("trauma_words", "strain")
    inner_words: frozenset = rule("inner_words", "strain")


def load_limb_injury_rules(path: Path = LIMB_INJURY_PATH) -> LimbInjuryRules:
    """Read limb_injury.yml; unknown keys fail naming the file and key."""
    return read_rules(LimbInjuryRules, path)


class LimbInjury:
    """Re-keys injuries told of a limb, never a fall's, a crash's or a blow's."""

    def __init__(self, rules: LimbInjuryRules | None = None) -> None:
        self.rules = rules or project_rules(LimbInjuryRules, LIMB_INJURY_PATH)

    def apply(self, doc: Any, items: List[Item], findings: Sequence[Finding]) -> None:
        """Change `items` in place."""
        entity, value = parse_fact(self.rules.makes)
        for item, sites in self._told_of_limbs(doc.text, findings):
            item.entity, item.value = entity, value
            if sites <= self.rules.arm_sites:
                item.dropped = True  # a cut finger or a sprained wrist: not the legs
        strain = self._a_strain(doc)
        for item in items:
            if not is_live(item) or item.key != self.rules.value:
                continue
            said = doc.text[item.char_start : item.char_end].lower()
            if strain or said in self.rules.inner_words:
                item.dropped = True

    def _a_strain(self, doc: Any) -> bool:
        """True when the message tells lifting or carrying and no fall or blow."""
        if not says(doc.text, self.rules.strain_words):
            return False
        return not {token.norm_ for token in doc} & self.rules.trauma_words

    def limb_injuries(self, text: str, findings: Sequence[Finding]) -> List[Item]:
        """The injury items told of a limb only, and not as a fall or a blow."""
        return [item for item, _ in self._told_of_limbs(text, findings)]

    def _told_of_limbs(
        self, text: str, findings: Sequence[Finding]
    ) -> List[Tuple[Item, Set[str]]]:
        """Each injury item told of a limb only, with the limb's sites."""
        rules = self.rules
        found = []
        for finding in findings:
            # a hand only `possible` as a stroke cue is still where the cut is
            sites = {
                str(i.value)
                for i in finding.items
                if i.entity == "body_part" and (is_live(i) or i.role == POSSIBLE)
            }
            if not sites or not sites <= rules.sites:
                continue
            for item in finding.items:
                said = text[item.char_start : item.char_end].lower()
                if (
                    is_live(item)
                    and item.key == rules.value
                    and said not in rules.spine_words
                ):
                    found.append((item, sites))
        return found

    def same_injury(
        self, entities: List[Dict[str, Any]], earlier: Sequence[str], text: str
    ) -> List[Dict[str, Any]]:
        """A bare injury told after a limb's injury is that injury, re-keyed.

        "Yes, I was injured" in answer to a list of signs, after "I twisted my
        ankle", names no new injury: no site, no fall, the limb's injury told
        before. A back or neck, or a fall, a crash or a blow in its words, keeps
        it an injury of its own.
        """
        rules = self.rules
        if rules.makes not in earlier:
            return entities
        entity, value = parse_fact(rules.value)
        sites = {
            str(e.get("value"))
            for e in entities
            if e.get("entity") == "body_part" and not e.get("role")
        }
        if not sites <= rules.sites | rules.reply_sites:
            return entities
        new_entity, new_value = parse_fact(rules.makes)
        out = []
        for e in entities:
            said = text[e.get("start", 0) : e.get("end", 0)].lower()
            if (
                e.get("entity") == entity
                and e.get("value") == value
                and not e.get("role")
                and said not in rules.spine_words
            ):
                e = {**e, "entity": new_entity, "value": new_value}
            out.append(e)
        return out
