"""Timeline stage: an event, a course or an onset is about what the message says.

Why: urgency rules are conjunctions of facts, so a fall the numbness caused, an
injury word about typing, a spread that happened inside a positional spell that
is over, or feet that have always been cold must not read as today's acute
injury, spreading or blocked artery. Each rule takes such a fact out of the
present facts (dropped, `past`, or a milder value); the rules are data
(timeline.yml), validated at load. Runs after attribution, on its items.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import List, Sequence

from actions.cause_table import parse_fact
from bot.nlu.clauses import Clause, clause_of_char
from bot.nlu.context import OTHER
from bot.nlu.findings import PAST, POSSIBLE, Finding, Item, is_live
from bot.nlu.rule_files import (
    Phrases,
    check_keys,
    find_phrases,
    load_rule_file,
    phrases_of,
    words_of,
)
from bot.nlu.story import Story, StoryStage

TIMELINE_PATH = Path(__file__).with_name("timeline.yml")
_TOP = (
    "consequences",
    "message_talk",
    "episodes",
    "chronic_signs",
    "limb_temperature",
    "event_dates",
    "others_events",
    "sudden_signs",
)
_SECTION_KEYS = {
    "consequences": (
        "values",
        "words",
        "failures",
        "impact_words",
        "impact_sites",
        "heights",
        "window",
        "cause_words",
        "reason_words",
    ),
    "message_talk": ("values", "words", "slipping_parts", "window"),
    "episodes": (
        "values",
        "ended",
        "bounded",
        "keep_with",
        "positional",
        "spell_values",
        "ended_negated",
        "keep_with_spell",
    ),
    "chronic_signs": ("values", "words", "becomes", "unless"),
    "limb_temperature": ("values", "words", "becomes"),
    "event_dates": ("values", "events", "symptoms", "anchors"),
    "others_events": ("events", "symptoms"),
    "sudden_signs": ("values", "onsets"),
}


@dataclass(frozen=True)
class TimelineRules:
    """timeline.yml, parsed and checked."""

    fall_values: frozenset
    fall_words: Phrases
    failures: frozenset
    impact_words: frozenset
    impact_window: int
    impact_sites: frozenset
    fall_heights: frozenset
    fall_causes: frozenset
    fall_reasons: frozenset
    talk_values: frozenset
    talk_words: Phrases
    slipping_parts: frozenset
    talk_window: int
    episode_values: frozenset
    episode_ended: frozenset
    episode_bounded: Phrases
    episode_keep_with: frozenset
    positional: frozenset
    spell_values: frozenset
    ended_negated: frozenset
    keep_with_spell: frozenset
    chronic_values: frozenset
    chronic_words: Phrases
    chronic_becomes: str
    chronic_unless: frozenset
    sudden_sign_values: frozenset = frozenset()
    sudden_sign_onsets: frozenset = frozenset()
    others_events: frozenset = frozenset()
    others_symptoms: frozenset = frozenset()
    date_values: frozenset = frozenset()
    date_events: frozenset = frozenset()
    date_symptoms: frozenset = frozenset()
    date_anchors: Phrases = ()
    heat_values: frozenset = frozenset()
    heat_words: Phrases = ()
    heat_becomes: str = "sensation:burning"


def load_timeline_rules(path: Path = TIMELINE_PATH) -> TimelineRules:
    """Read timeline.yml; unknown keys fail naming the file, section and key."""
    data = load_rule_file(path, _TOP)
    sections = {}
    for name, keys in _SECTION_KEYS.items():
        section = data.get(name) or {}
        check_keys(path, name, section, keys)
        sections[name] = section
    fall, talk = sections["consequences"], sections["message_talk"]
    episodes, chronic = sections["episodes"], sections["chronic_signs"]
    heat = sections["limb_temperature"]
    dates = sections["event_dates"]
    others = sections["others_events"]
    signs = sections["sudden_signs"]
    return TimelineRules(
        fall_values=words_of(fall.get("values")),
        fall_words=phrases_of(fall.get("words")),
        failures=words_of(fall.get("failures")),
        impact_words=words_of(fall.get("impact_words")),
        impact_window=int(fall.get("window", 6)),
        impact_sites=words_of(fall.get("impact_sites")),
        fall_heights=words_of(fall.get("heights")),
        fall_causes=words_of(fall.get("cause_words")),
        fall_reasons=words_of(fall.get("reason_words")),
        talk_values=words_of(talk.get("values")),
        talk_words=phrases_of(talk.get("words")),
        slipping_parts=words_of(talk.get("slipping_parts")),
        talk_window=int(talk.get("window", 6)),
        episode_values=words_of(episodes.get("values")),
        episode_ended=words_of(episodes.get("ended")),
        episode_bounded=phrases_of(episodes.get("bounded")),
        episode_keep_with=words_of(episodes.get("keep_with")),
        positional=words_of(episodes.get("positional")),
        spell_values=words_of(episodes.get("spell_values")),
        ended_negated=words_of(episodes.get("ended_negated")),
        keep_with_spell=words_of(episodes.get("keep_with_spell")),
        chronic_values=words_of(chronic.get("values")),
        chronic_words=phrases_of(chronic.get("words")),
        chronic_becomes=str(chronic.get("becomes", "sensation:coldness")),
        chronic_unless=words_of(chronic.get("unless")),
        sudden_sign_values=words_of(signs.get("values")),
        sudden_sign_onsets=words_of(signs.get("onsets")),
        others_events=words_of(others.get("events")),
        others_symptoms=words_of(others.get("symptoms")),
        date_values=words_of(dates.get("values")),
        date_events=words_of(dates.get("events")),
        date_symptoms=words_of(dates.get("symptoms")),
        date_anchors=phrases_of(dates.get("anchors")),
        heat_values=words_of(heat.get("values")),
        heat_words=phrases_of(heat.get("words")),
        heat_becomes=str(heat.get("becomes", "sensation:burning")),
    )


@lru_cache(maxsize=1)
def get_timeline_rules() -> TimelineRules:
    """The project's timeline rules, read once."""
    return load_timeline_rules()


class Timeline(StoryStage):
    """Applies the timeline rules to the items of one message."""

    def __init__(self, rules: TimelineRules | None = None) -> None:
        self.rules = rules or get_timeline_rules()

    def read(self, story: Story, items: List[Item]) -> None:
        """Each timeline rule in turn, on the items of one message."""
        words, sentence_of, clause_of = story.words, story.sentence_of, story.clause_of
        self._consequences(words, sentence_of, items)
        self._message_talk(words, sentence_of, items)
        self._episodes(words, items)
        self._chronic(words, clause_of, items)
        self._limb_temperature(words, clause_of, items)
        self._event_dates(words, story.clauses, items)
        self._others_events(story.findings)
        self._sudden_signs(items)

    def _consequences(
        self, words: List[str], sentence_of: dict, items: List[Item]
    ) -> None:
        """A fall told after the leg failed, or with the failure as its reason, in
        one sentence, is no injury."""
        rules = self.rules
        for item in items:
            if item.key not in rules.fall_values or not is_live(item):
                continue
            if item.token_start < 0 or not find_phrases(
                words, rules.fall_words, item.token_start, item.token_start + 1
            ):
                continue
            sentence = sentence_of.get(item.token_start)
            if any(
                w in rules.fall_causes
                for w in words[max(0, item.token_start - 3) : item.token_start]
            ):
                continue
            failures = [
                other.token_start
                for other in items
                if other.key in rules.failures
                and not other.negated
                and other.role is None
                and other.token_start >= 0
                and sentence_of.get(other.token_start) == sentence
            ]
            failed_before = any(start < item.token_start for start in failures)
            # "I fell because I couldn't feel the ground": the failure told as
            # the fall's reason after it
            reason = next(
                (
                    i
                    for i in range(item.token_end, len(words))
                    if sentence_of.get(i) == sentence and words[i] in rules.fall_reasons
                ),
                None,
            )
            failed_after = reason is not None and any(s > reason for s in failures)
            if not (failed_before or failed_after):
                continue
            if self._hit_a_site(words, sentence_of, item, items):
                continue
            item.dropped = True

    def _hit_a_site(
        self, words: List[str], sentence_of: dict, fall: Item, items: List[Item]
    ) -> bool:
        """ "fell and hit my back": an impact word, then a body part, after the fall."""
        rules = self.rules
        sentence = sentence_of.get(fall.token_start)
        end = min(len(words), fall.token_end + rules.impact_window)
        said = set(words[fall.token_start : end])
        if said & rules.fall_heights:
            return True  # down the stairs, off a ladder: an injury whatever the cause
        for i in range(fall.token_end, end):
            if sentence_of.get(i) != sentence or words[i] not in rules.impact_words:
                continue
            if any(w in rules.impact_sites for w in words[i + 1 : end]) or any(
                other.entity == "body_part" and i < other.token_start < end
                for other in items
            ):
                return True
        return False

    def _message_talk(
        self, words: List[str], sentence_of: dict, items: List[Item]
    ) -> None:
        """ "sorry for the typo, I slipped": an event word about typing."""
        rules = self.rules
        for item in items:
            if item.key not in rules.talk_values or item.token_start < 0:
                continue
            start, sentence = item.token_start, sentence_of.get(item.token_start)
            lo, hi = start - rules.talk_window, item.token_end + rules.talk_window
            near = [
                i
                for i in find_phrases(words, rules.talk_words, lo, hi)
                if sentence_of.get(i) == sentence
            ]
            slipped = start > 0 and words[start - 1] in rules.slipping_parts
            if near or slipped:
                item.dropped = True

    def _episodes(self, words: List[str], items: List[Item]) -> None:
        """A spread or sudden start inside a spell that is over is past."""
        rules = self.rules
        live = [i for i in items if is_live(i)]
        keys = {i.key for i in live}
        targets = [i for i in live if i.key in rules.episode_values]
        positional = bool(keys & rules.positional) and not (
            keys & rules.keep_with_spell
        )
        if positional:
            targets += [i for i in live if i.key in rules.spell_values]
        elif keys & rules.episode_keep_with:
            return
        if not targets:
            return
        starts = [i.token_start for i in targets if i.token_start >= 0]
        first = min(starts) if starts else 0
        ended = (
            any(i.key in rules.episode_ended and i.token_start >= first for i in live)
            or bool(find_phrases(words, rules.episode_bounded, first, len(words)))
            or (
                positional
                and any(
                    i.negated
                    and i.key in rules.ended_negated
                    and i.token_start >= first
                    for i in items
                )
            )
        )
        if ended:
            for item in targets:
                item.role = PAST

    def _chronic(self, words: List[str], clause_of: dict, items: List[Item]) -> None:
        """ "my feet are always cold": a lasting feeling, not a blocked artery."""
        rules = self.rules
        if any(i.key in rules.chronic_unless and is_live(i) for i in items):
            return
        entity, value = parse_fact(rules.chronic_becomes)
        for item in items:
            if item.key not in rules.chronic_values or not is_live(item):
                continue
            clause = clause_of.get(item.token_start)
            if clause is None:
                continue
            if find_phrases(words, rules.chronic_words, clause.start, clause.end):
                item.entity, item.value = entity, value

    def _limb_temperature(
        self, words: List[str], clause_of: dict, items: List[Item]
    ) -> None:
        """ "my legs went hot and cold": a feeling in the limb, not a fever."""
        rules = self.rules
        entity, value = parse_fact(rules.heat_becomes)
        for item in items:
            if item.key not in rules.heat_values or item.token_start < 0:
                continue
            said = tuple(words[item.token_start : item.token_end])
            clause = clause_of.get(item.token_start)
            if said not in rules.heat_words or clause is None:
                continue
            if any(
                other.entity == "body_part"
                and not other.dropped
                and clause.start <= other.token_start < clause.end
                for other in items
            ):
                item.entity, item.value = entity, value

    def _event_dates(
        self,
        words: List[str],
        clauses: Sequence[Clause],
        items: List[Item],
    ) -> None:
        """ "surgery a month ago ... this evening": the duration dates the event."""
        rules = self.rules
        by_clause: dict = {}
        for item in items:
            if is_live(item):
                index = clause_of_char(list(clauses), item.char_start)
                by_clause.setdefault(index, []).append(item)
        anchored = any(
            any(i.entity in rules.date_symptoms for i in members)
            and find_phrases(words, rules.date_anchors, c.start, c.end)
            for c in clauses
            for members in [by_clause.get(c.index, [])]
        )
        if not anchored:
            return
        for members in by_clause.values():
            if any(i.entity in rules.date_symptoms for i in members):
                continue
            if not any(i.key in rules.date_events for i in members):
                continue
            for item in members:
                if item.entity in rules.date_values:
                    item.role = PAST

    def _others_events(self, findings: Sequence[Finding]) -> None:
        """Someone else's injury is not the person's, when they tell their own."""
        rules = self.rules
        own = any(
            f.experiencer != OTHER
            and any(i.entity in rules.others_symptoms and is_live(i) for i in f.items)
            for f in findings
        )
        if not own:
            return
        for finding in findings:
            if finding.experiencer == OTHER:
                for item in finding.items:
                    if item.key in rules.others_events:
                        item.dropped = True

    def _sudden_signs(self, items: List[Item]) -> None:
        """ "sudden trouble seeing": without a sudden onset only a possible sign."""
        rules = self.rules
        if any(i.key in rules.sudden_sign_onsets and is_live(i) for i in items):
            return
        for item in items:
            if item.key in rules.sudden_sign_values and is_live(item):
                item.role = POSSIBLE
