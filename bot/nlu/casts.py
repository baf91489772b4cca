"""Casts in two tiers: a cast word is a fact only with a symptom under it.

Why a module of its own: "numbness under a cast" is a red flag, but a cast word
alone (a cast on the arm, a brace for football, a cast that came off) is not;
a hard cast with no symptom under it is only `possible` (the red flag's check
question), a support with nothing under it is dropped, and a cast said to be off
is past. Part of the attribution stage; its rules are attribution.yml `casts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, List

from spacy.tokens import Doc

from bot.nlu.context import NOW
from bot.nlu.findings import PAST as PAST_ROLE
from bot.nlu.findings import POSSIBLE, Finding, Item
from bot.nlu.mentions import sentences_around
from bot.nlu.rule_files import says

if TYPE_CHECKING:
    from bot.nlu.attribution import AttributionRules


class CastTiers:
    """Tiers the cast words of one message's findings."""

    def __init__(self, rules: "AttributionRules") -> None:
        self.rules = rules

    def removed(self, doc: Doc, findings: List[Finding]) -> bool:
        """True when the message says a cast came off ("cast free", "took it off").

        The removal may be told in the cast's finding or in the one right after
        it ("had a cast for 2 months, it came off 2 days ago"), or in the cast's
        sentence or the next one ("in a plaster cast for 47 days. its off now but
        the calf is all floppy": a finding of its own holds no "its off now").
        """
        casts = [
            (k, i)
            for k, f in enumerate(findings)
            for i in f.items
            if i.key == self.rules.cast_value and not i.dropped
        ]
        for k, item in casts:
            told = [findings[k].text] + (
                [findings[k + 1].text] if k + 1 < len(findings) else []
            )
            if item.token_start >= 0:
                lo, _ = sentences_around(doc, item.token_start)
                _, hi = sentences_around(doc, item.token_start, around=1)
                told.append(doc[lo:hi].text)
            if any(says(text, self.rules.cast_removed) for text in told):
                return True
        return False

    def _symptom_elsewhere(self, finding: Finding, findings: List[Finding]) -> bool:
        """A cast symptom about now in another finding whose sites may be under it."""
        cast_sites = set(finding.values("body_part"))
        upper = self.rules.unattached_cues
        for other in findings:
            if other is finding or other.time != NOW:
                continue
            if not any(
                i.key in self.rules.cast_symptoms and not i.negated and not i.dropped
                for i in other.items
            ):
                continue
            sites = set(other.values("body_part"))
            if cast_sites & upper and sites and not sites & upper:
                continue  # a cast on the arm, numb legs: not under it
            return True
        return False

    def tier(
        self, doc: Doc, finding: Finding, findings: List[Finding], removed: bool
    ) -> None:
        rules = self.rules
        casts = [
            i
            for i in finding.items
            if i.key == rules.cast_value and not i.dropped and not i.negated
        ]
        if not casts:
            return
        symptom_under = any(
            i.key in rules.cast_symptoms and not i.negated and i.role is None
            for i in finding.items
        )
        if removed and not says(finding.text, rules.cast_again):
            for item in casts:
                item.role = item.role or PAST_ROLE
            return
        tight = says(finding.text, rules.cast_tight)
        for item in casts:
            words = {t.lower_ for t in doc[item.token_start : item.token_end]}
            hard = bool(words & rules.cast_hard) or not (words & rules.cast_soft)
            if item.role is not None:
                continue  # a past or hypothetical cast stays so
            # a hard cast, or any wrap told as tight, over a symptom in its own
            # finding or told apart ("wrapped my knee up really tight and now my
            # foot is pins and needles"): the fact, unless the person takes it
            # off (a support: its check question)
            if (symptom_under and (hard or tight)) or (
                (hard or tight) and self._symptom_elsewhere(finding, findings)
            ):
                if self._removable(doc, item):
                    item.role = POSSIBLE
                continue
            if tight or symptom_under or (hard and not self._all_denied(findings)):
                item.role = POSSIBLE
            else:
                item.dropped = True

    def _removable(self, doc: Doc, item: Item) -> bool:
        """True for a cast the person takes off, told in its sentence or one next
        to it ("im in an L shaped cast. it eases as soon as i take it off"): a
        support, which is taken off rather than cut open."""
        lo, hi = sentences_around(doc, item.token_start, around=1)
        return says(doc[lo:hi].text, self.rules.cast_removable)

    def _all_denied(self, findings: List[Finding]) -> bool:
        """True when the message denies a symptom a cast could press on and tells
        none ("in a cast and honestly it's comfy, toes pink and wiggly, no pain"):
        the person has answered the cast's check question already (a cast told
        as tight is still asked about)."""
        symptoms = [
            i
            for f in findings
            for i in f.items
            if i.key in self.rules.cast_symptoms and not i.dropped
        ]
        return bool(symptoms) and all(i.negated for i in symptoms)
