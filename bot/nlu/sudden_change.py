"""Sudden change stage: legs that fail, told against a time the person was well.

Why: "was fine last night, my legs gave out this morning" is a sudden onset
though no word says "sudden", and people tell the two halves in either order.
The phrase vocabulary cannot see which time comes first ("numb last week but
fine yesterday" is no sudden change), so this stage dates each clause by the
times it tells and compares them. The rules are data (sudden_change.yml),
validated at load; runs after the functional-loss stage, which makes legs that
fail at a task a weakness.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

from bot.nlu.clauses import Clause
from bot.nlu.findings import Item, is_live
from bot.nlu.rule_files import Phrases, find_phrases, project_rules, read_rules, rule
from bot.nlu.story import Story, StoryStage, add_story_fact

SUDDEN_CHANGE_PATH = Path(__file__).with_name("sudden_change.yml")
_SECTION = "sudden_change"
#: when a failure with no time of its own is told: now
_NOW = 1.0


def _anchor_days(mapping: Optional[Dict[Any, Any]]) -> Dict[tuple, float]:
    """Each anchor phrase (as words) -> days from the start of today."""
    return {tuple(str(k).lower().split()): float(v) for k, v in (mapping or {}).items()}


@dataclass(frozen=True)
class SuddenChangeRules:
    """sudden_change.yml, parsed and checked."""

    values: frozenset = rule(section=_SECTION)
    well_words: Phrases = rule(section=_SECTION)
    not_well: frozenset = rule(section=_SECTION)
    anchors: Dict[tuple, float] = rule(section=_SECTION, convert=_anchor_days)
    max_gap: int = rule(section=_SECTION, default=2)
    unless: frozenset = rule(section=_SECTION)
    adds: str = rule(section=_SECTION, default="onset:sudden")


def load_sudden_change_rules(path: Path = SUDDEN_CHANGE_PATH) -> SuddenChangeRules:
    """Read sudden_change.yml; unknown keys fail naming the file and key."""
    return read_rules(SuddenChangeRules, path)


class SuddenChange(StoryStage):
    """Reads a change from well to failing within about a day."""

    def __init__(self, rules: SuddenChangeRules | None = None) -> None:
        self.rules = rules or project_rules(SuddenChangeRules, SUDDEN_CHANGE_PATH)

    def read(self, story: Story, items: List[Item]) -> None:
        """Add the sudden onset to the first failure told after a well time."""
        rules = self.rules
        live = [i for i in items if is_live(i)]
        keys = {i.key for i in live}
        if rules.adds in keys or keys & rules.unless:
            return
        failures = [i for i in live if i.key in rules.values and i.token_start >= 0]
        if not failures:
            return
        days = (self._well_day(story, clause, live) for clause in story.clauses)
        well = [day for day in days if day is not None]
        if not well:
            return
        for item in failures:
            clause = story.clause_of.get(item.token_start)
            if clause is None:
                continue
            day = self._day(story.words, clause)
            failed = _NOW if day is None else day
            if any(0 < failed - then <= rules.max_gap for then in well):
                add_story_fact(
                    story.doc,
                    rules.adds,
                    item.token_start,
                    item,
                    items,
                    story.findings,
                    item.token_end,
                )
                return

    def _day(self, words: List[str], clause: Clause) -> Optional[float]:
        """The latest time a clause tells, in days; None when it tells none."""
        days = [
            day
            for phrase, day in self.rules.anchors.items()
            if find_phrases(words, (phrase,), clause.start, clause.end)
        ]
        return max(days) if days else None

    def _well_day(
        self, story: Story, clause: Clause, live: List[Item]
    ) -> Optional[float]:
        """When a clause says the person was well, or None if it does not."""
        rules, words = self.rules, story.words
        hits = [
            start
            for start in find_phrases(words, rules.well_words, clause.start, clause.end)
            if not set(words[max(clause.start, start - 2) : start]) & rules.not_well
        ]
        if not hits:
            return None
        if any(
            clause.start <= i.token_start < clause.end
            and i.entity in ("sensation", "symptom")
            for i in live
        ):
            return None
        return self._day(words, clause)
