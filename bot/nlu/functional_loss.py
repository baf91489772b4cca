"""Functional loss stage: legs that fail at a task are weakness, read in the story.

Why: people rarely say "weak"; they say they can barely walk, could not get from
the car into the clinic, cannot roll over, or that their legs would not carry
them (patterns.yml `inability` makes those weakness). Whether that weakness is
the rapidly-spreading-weakness red flag depends on the story around it: a pain
told as its reason makes it trouble walking, a sensation told earlier with
"now" or "today" before it makes it a progression (over about a day when an
anchor such as "this morning" dates the story), waking up unable makes it
sudden, and the same loss denied in a later sentence makes it a recovery. The
rules are data (functional_loss.yml), validated at load; runs after the timeline
stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from actions.cause_table import parse_fact
from bot.nlu.findings import Item, is_live
from bot.nlu.rule_files import Phrases, find_phrases, project_rules, read_rules, rule
from bot.nlu.story import Story, StoryStage, add_story_fact

FUNCTIONAL_LOSS_PATH = Path(__file__).with_name("functional_loss.yml")
_SECTION = "functional_loss"


def _lower_keys(mapping: Optional[Dict]) -> Dict[str, str]:
    """A word -> fact mapping; the words lower case, as the tokens are."""
    return {str(k).lower(): str(v) for k, v in (mapping or {}).items()}


def _strings(items: Optional[Iterable]) -> Tuple[str, ...]:
    """Values kept as written (ISO 8601 durations are upper case)."""
    return tuple(str(p) for p in items or [])


@dataclass(frozen=True)
class FunctionalLossRules:
    """functional_loss.yml, parsed and checked."""

    values: frozenset = rule(section=_SECTION)
    verbs: frozenset = rule(section=_SECTION)
    explained_by: Phrases = rule(section=_SECTION)
    pain: frozenset = rule(section=_SECTION)
    becomes: str = rule(section=_SECTION, default="symptom:gait_problem")
    explaining_triggers: frozenset = rule(section=_SECTION)
    pain_joiners: frozenset = rule(section=_SECTION)
    ended: frozenset = rule(section=_SECTION)
    recovered: str = rule(section=_SECTION, default="course:improving")
    also: Dict[str, str] = rule(section=_SECTION, convert=_lower_keys)
    progression_words: Phrases = rule(section=_SECTION)
    earlier: frozenset = rule(section=_SECTION)
    progression: str = rule(section=_SECTION, default="course:worsening")
    story_anchors: Phrases = rule(section=_SECTION)
    story_duration: str = rule(section=_SECTION, default="P1D")
    sudden_words: Phrases = rule(section=_SECTION)
    sudden: str = rule(section=_SECTION, default="onset:sudden")
    acute_durations: Tuple[str, ...] = rule(section=_SECTION, convert=_strings)


def load_functional_loss_rules(
    path: Path = FUNCTIONAL_LOSS_PATH,
) -> FunctionalLossRules:
    """Read functional_loss.yml; unknown keys fail naming the file and key."""
    return read_rules(FunctionalLossRules, path)


class FunctionalLoss(StoryStage):
    """Reads a functional loss in the story of one message."""

    def __init__(self, rules: FunctionalLossRules | None = None) -> None:
        self.rules = rules or project_rules(FunctionalLossRules, FUNCTIONAL_LOSS_PATH)

    def read(self, story: Story, items: List[Item]) -> None:
        """Legs failing at a task: pain's doing, a progression or a sudden start."""
        rules = self.rules
        doc, words, findings = story.doc, story.words, story.findings
        sentence_of, clause_of = story.sentence_of, story.clause_of
        losses = [
            i
            for i in items
            if i.key in rules.values
            and is_live(i)
            and i.token_start >= 0
            and set(words[i.token_start : i.token_end]) & rules.verbs
        ]
        keys = {i.key for i in items if is_live(i)}
        for item in losses:
            sentence = sentence_of.get(item.token_start)
            end = item.token_end
            while end < len(words) and sentence_of.get(end) == sentence:
                end += 1
            pain = any(
                i.key in rules.pain
                and is_live(i)
                and sentence_of.get(i.token_start) == sentence
                for i in items
            )
            reason = find_phrases(words, rules.explained_by, item.token_end, end)
            # "my feet are killing me, can barely stand": the pain said just
            # before it, joined by a comma or "and", is its reason
            just_after_pain = any(
                i.key in rules.pain
                and is_live(i)
                and 0 <= i.token_end <= item.token_start
                and item.token_start - i.token_end <= 3
                and set(words[i.token_end : item.token_start]) <= rules.pain_joiners
                for i in items
            )
            if pain and (reason or just_after_pain or keys & rules.explaining_triggers):
                item.entity, item.value = parse_fact(rules.becomes)
                continue
            said = words[item.token_start : item.token_end]
            for verb, key in rules.also.items():
                if verb in said and key not in keys:
                    add_story_fact(
                        doc,
                        key,
                        item.token_start,
                        item,
                        items,
                        findings,
                        item.token_end,
                    )
                    keys.add(key)
            # "my legs gave out ... this morning my legs held fine": denied in a
            # later sentence, the loss is getting better, not failing now
            denial = next(
                (
                    i
                    for i in items
                    if i.key == item.key
                    and i.negated
                    and not i.dropped
                    and sentence_of.get(i.token_start, -1) > (sentence or 0)
                ),
                None,
            )
            if denial is not None:
                if rules.recovered not in keys:
                    add_story_fact(
                        doc, rules.recovered, denial.token_start, item, items, findings
                    )
                    keys.add(rules.recovered)
                continue
            clause = clause_of.get(item.token_start)
            if clause is None or any(
                i.key in rules.ended
                and is_live(i)
                and i.token_start >= item.token_start
                for i in items
            ):
                continue  # a spell that is over: the timeline stage's business
            earlier = any(
                (i.entity in rules.earlier or i.key in rules.earlier)
                and is_live(i)
                and 0 <= i.token_start < clause.start
                for i in items
            )
            lo = min(c.start for c in clause_of.values() if c.sentence == sentence)
            before = find_phrases(words, rules.progression_words, lo, item.token_start)
            if earlier and before and rules.progression not in keys:
                add_story_fact(doc, rules.progression, before[0], item, items, findings)
                keys.add(rules.progression)
                anchors = find_phrases(words, rules.story_anchors, 0, len(words))
                if anchors and not any(i.entity == "duration" for i in items):
                    add_story_fact(
                        doc,
                        f"duration:{rules.story_duration}",
                        anchors[0],
                        item,
                        items,
                        findings,
                    )
            sudden = find_phrases(words, rules.sudden_words, lo, item.token_end)
            sudden += [
                item.token_start
                for i in items
                if i.entity == "duration"
                and is_live(i)
                and str(i.value).startswith(rules.acute_durations)
            ][:1]
            if sudden and rules.sudden not in keys:
                add_story_fact(doc, rules.sudden, sudden[0], item, items, findings)
                keys.add(rules.sudden)
