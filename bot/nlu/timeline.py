"""Timeline stage: an event, a course or an onset is about what the message says.

Why: urgency rules are conjunctions of facts, so a fall the numbness caused, an
injury word about typing, a spread that happened inside a positional spell that
is over, or feet that have always been cold must not read as today's acute
injury, spreading or blocked artery. Each rule takes such a fact out of the
present facts (dropped, `past`, or a milder value); the rules are data
(timeline.yml), validated at load. Runs after attribution, on its items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List, Sequence

from actions.cause_table import get_cause_table, parse_fact
from bot.nlu.clauses import Clause, clause_of_char
from bot.nlu.context import OTHER
from bot.nlu.findings import PAST, POSSIBLE, Finding, Item, is_live
from bot.nlu.rule_files import Phrases, find_phrases, project_rules, read_rules, rule
from bot.nlu.story import Story, StoryStage

TIMELINE_PATH = Path(__file__).with_name("timeline.yml")
_FALL, _TALK, _EPISODES = "consequences", "message_talk", "episodes"
_CHRONIC, _HEAT, _DATES = "chronic_signs", "limb_temperature", "event_dates"
_OTHERS, _SIGNS = "others_events", "sudden_signs"
_LIFELONG, _FAMILIAR = "lifelong_signs", "familiar_spells"
_HISTORY, _SLOW = "history_dates", "slow_signs"
_RECURRING = "recurring_falls"
_ASLEEP = "asleep_falls"
#: a word of a finding's text, apostrophes kept ("i'm")
_WORD = re.compile(r"[a-z']+")


@dataclass(frozen=True)
class TimelineRules:
    """timeline.yml, parsed and checked."""

    fall_values: frozenset = rule("values", _FALL)
    fall_words: Phrases = rule("words", _FALL)
    failures: frozenset = rule("failures", _FALL)
    impact_words: frozenset = rule("impact_words", _FALL)
    impact_window: int = rule("window", _FALL, default=6)
    impact_sites: frozenset = rule("impact_sites", _FALL)
    fall_heights: frozenset = rule("heights", _FALL)
    fall_causes: frozenset = rule("cause_words", _FALL)
    fall_reasons: frozenset = rule("reason_words", _FALL)
    fall_lead: int = rule("lead", _FALL, default=0)
    limb_sites: frozenset = rule("limb_sites", _FALL)
    talk_values: frozenset = rule("values", _TALK)
    talk_words: Phrases = rule("words", _TALK)
    slipping_parts: frozenset = rule("slipping_parts", _TALK)
    talk_window: int = rule("window", _TALK, default=6)
    episode_values: frozenset = rule("values", _EPISODES)
    episode_ended: frozenset = rule("ended", _EPISODES)
    episode_bounded: Phrases = rule("bounded", _EPISODES)
    episode_keep_with: frozenset = rule("keep_with", _EPISODES)
    positional: frozenset = rule("positional", _EPISODES)
    spell_values: frozenset = rule("spell_values", _EPISODES)
    ended_negated: frozenset = rule("ended_negated", _EPISODES)
    keep_with_spell: frozenset = rule("keep_with_spell", _EPISODES)
    episode_current: frozenset = rule("current", _EPISODES)
    chronic_values: frozenset = rule("values", _CHRONIC)
    chronic_words: Phrases = rule("words", _CHRONIC)
    chronic_becomes: str = rule("becomes", _CHRONIC, default="sensation:coldness")
    chronic_unless: frozenset = rule("unless", _CHRONIC)
    heat_values: frozenset = rule("values", _HEAT)
    heat_words: Phrases = rule("words", _HEAT)
    heat_becomes: str = rule("becomes", _HEAT, default="sensation:burning")
    date_values: frozenset = rule("values", _DATES)
    date_events: frozenset = rule("events", _DATES)
    date_symptoms: frozenset = rule("symptoms", _DATES)
    date_anchors: Phrases = rule("anchors", _DATES)
    illness_words: Phrases = rule("illness_words", _DATES)
    illness_anchors: Phrases = rule("illness_anchors", _DATES)
    illness_linked: Phrases = rule("illness_linked", _DATES)
    history_values: frozenset = rule("values", _HISTORY)
    history_signs: frozenset = rule("signs", _HISTORY)
    history_anchors: Phrases = rule("anchors", _HISTORY)
    others_events: frozenset = rule("events", _OTHERS)
    others_symptoms: frozenset = rule("symptoms", _OTHERS)
    others_pronouns: frozenset = rule("pronouns", _OTHERS)
    others_pronoun_events: frozenset = rule("pronoun_events", _OTHERS)
    family_history: frozenset = rule("family_history", _OTHERS)
    self_words: frozenset = rule("self_words", _OTHERS)
    sudden_sign_values: frozenset = rule("values", _SIGNS)
    sudden_sign_onsets: frozenset = rule("onsets", _SIGNS)
    sudden_sign_slow: frozenset = rule("slow", _SIGNS)
    slow_values: frozenset = rule("values", _SLOW)
    slow_facts: frozenset = rule("slow", _SLOW)
    slow_unless: frozenset = rule("unless", _SLOW)
    lifelong_values: frozenset = rule("values", _LIFELONG)
    lifelong_words: Phrases = rule("words", _LIFELONG)
    lifelong_unless: frozenset = rule("unless", _LIFELONG)
    familiar_values: frozenset = rule("values", _FAMILIAR)
    familiar_known: frozenset = rule("known", _FAMILIAR)
    familiar_words: Phrases = rule("words", _FAMILIAR)
    familiar_unless: frozenset = rule("unless", _FAMILIAR)
    familiar_new: Phrases = rule("new_words", _FAMILIAR)
    recurring_values: frozenset = rule("values", _RECURRING)
    recurring_plurals: frozenset = rule("plurals", _RECURRING)
    recurring_lead: frozenset = rule("lead", _RECURRING)
    recurring_words: Phrases = rule("words", _RECURRING)
    recurring_window: int = rule("window", _RECURRING, default=6)
    recurring_often: frozenset = rule("often_before", _RECURRING)
    recurring_becomes: str = rule("becomes", _RECURRING, default="symptom:gait_problem")
    asleep_values: frozenset = rule("values", _ASLEEP)
    asleep_words: frozenset = rule("asleep_words", _ASLEEP)
    asleep_falls: Phrases = rule("falls", _ASLEEP)
    asleep_hurts: frozenset = rule("hurts", _ASLEEP)
    asleep_window: int = rule("window", _ASLEEP, default=30)
    asleep_keep_with: frozenset = rule("keep_with", _ASLEEP)


def _told_with(
    words: List[str],
    clause_of: dict,
    items: List[Item],
    values: frozenset,
    phrases: Phrases,
) -> List[Item]:
    """The live `values` items whose own clause holds one of `phrases`."""
    found = []
    for item in items:
        clause = clause_of.get(item.token_start)
        if item.key not in values or not is_live(item) or clause is None:
            continue
        if find_phrases(words, phrases, clause.start, clause.end):
            found.append(item)
    return found


def _in_sentence(
    words: List[str], phrases: Phrases, lo: int, hi: int, sentence_of: dict, at: int
) -> List[int]:
    """Where `phrases` start in words[lo:hi], within the sentence of token `at`."""
    sentence = sentence_of.get(at)
    return [
        i
        for i in find_phrases(words, phrases, lo, hi)
        if sentence_of.get(i) == sentence
    ]


def _live_by_clause(clauses: Sequence[Clause], items: List[Item]) -> dict:
    """The live items of each clause, by clause index."""
    by_clause: dict = {}
    for item in items:
        if is_live(item):
            index = clause_of_char(list(clauses), item.char_start)
            by_clause.setdefault(index, []).append(item)
    return by_clause


def _bucketed(item: Item) -> str:
    """The item's fact, a duration as its bucket ("duration:months")."""
    if item.entity == "duration":
        return f"duration:{get_cause_table().bucket_of(str(item.value))}"
    return item.key


def load_timeline_rules(path: Path = TIMELINE_PATH) -> TimelineRules:
    """Read timeline.yml; unknown keys fail naming the file, section and key."""
    return read_rules(TimelineRules, path)


class Timeline(StoryStage):
    """Applies the timeline rules to the items of one message."""

    def __init__(self, rules: TimelineRules | None = None) -> None:
        self.rules = rules or project_rules(TimelineRules, TIMELINE_PATH)

    def read(self, story: Story, items: List[Item]) -> None:
        """Each timeline rule in turn, on the items of one message."""
        words, sentence_of, clause_of = story.words, story.sentence_of, story.clause_of
        self._consequences(words, sentence_of, items)
        self._unhurt(words, sentence_of, items)
        self._message_talk(words, sentence_of, items)
        self._recurring_falls(words, sentence_of, items)
        self._asleep_falls(words, items)
        self._episodes(words, sentence_of, clause_of, items)
        self._chronic(words, clause_of, items)
        self._limb_temperature(words, clause_of, items)
        self._event_dates(words, story.clauses, items)
        self._history_dates(words, story.clauses, items)
        self._others_events(story.findings)

    def _consequences(
        self, words: List[str], sentence_of: dict, items: List[Item]
    ) -> None:
        """A fall told after the leg failed, or with the failure as its reason, in
        one sentence, is no injury."""
        rules = self.rules
        for item in items:
            if item.key not in rules.fall_values or not is_live(item):
                continue
            if item.token_start < 0:
                continue
            sentence = sentence_of.get(item.token_start)
            # the fall word is the event's own or opens it ("went down and
            # twisted my ankle")
            falls = _in_sentence(
                words,
                rules.fall_words,
                item.token_start - rules.fall_lead,
                item.token_start + 1,
                sentence_of,
                item.token_start,
            )
            if not falls:
                continue
            fall = falls[0]
            if any(w in rules.fall_causes for w in words[max(0, fall - 3) : fall]):
                continue
            # a sentence that opens with the fall goes on from the one before it
            # ("my leg just wasn't there. went down and twisted my ankle")
            told_in = {sentence}
            if isinstance(sentence, int) and all(
                sentence_of.get(i) != sentence for i in range(fall - 2, fall)
            ):
                told_in.add(sentence - 1)
            failures = [
                other.token_start
                for other in items
                if other.key in rules.failures
                and not other.negated
                and other.role is None
                and other.token_start >= 0
                and sentence_of.get(other.token_start) in told_in
            ]
            failed_before = any(start < fall for start in failures)
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
            if self._hit_a_site(words, sentence_of, fall, item, items):
                continue
            item.dropped = True

    def _unhurt(self, words: List[str], sentence_of: dict, items: List[Item]) -> None:
        """ "fell onto my hands and knees (didn't hurt myself)": a fall its own
        sentence says hurt no one is no injury (a denied fall, "I didn't fall",
        denies nothing else)."""
        rules = self.rules

        def is_fall(item: Item) -> bool:
            return item.token_start >= 0 and bool(
                find_phrases(words, rules.fall_words, item.token_start, item.token_end)
            )

        unhurt = {
            sentence_of.get(item.token_start)
            for item in items
            if item.key in rules.fall_values
            and item.negated
            and not item.dropped
            and item.token_start >= 0
            and not is_fall(item)
        }
        for item in items:
            if (
                item.key in rules.fall_values
                and is_live(item)
                and is_fall(item)
                and sentence_of.get(item.token_start) in unhurt
            ):
                item.negated = True

    def _hit_a_site(
        self,
        words: List[str],
        sentence_of: dict,
        fall: int,
        event: Item,
        items: List[Item],
    ) -> bool:
        """ "fell and hit my back": an impact word, then a body part that is not
        only a limb's end, after the fall word (at token `fall`)."""
        rules = self.rules
        sentence = sentence_of.get(fall)
        end = min(len(words), max(event.token_end, fall + 1) + rules.impact_window)
        said = set(words[fall:end])
        if said & rules.fall_heights:
            return True  # down the stairs, off a ladder: an injury whatever the cause
        for i in range(fall + 1, end):
            if sentence_of.get(i) != sentence or words[i] not in rules.impact_words:
                continue
            if any(w in rules.impact_sites for w in words[i + 1 : end]) or any(
                other.entity == "body_part"
                and other.value not in rules.limb_sites
                and i < other.token_start < end
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
            start = item.token_start
            lo, hi = start - rules.talk_window, item.token_end + rules.talk_window
            near = _in_sentence(words, rules.talk_words, lo, hi, sentence_of, start)
            slipped = start > 0 and words[start - 1] in rules.slipping_parts
            if near or slipped:
                item.dropped = True

    def _recurring_falls(
        self, words: List[str], sentence_of: dict, items: List[Item]
    ) -> None:
        """ "takes a tumble once or twice a month", "can anything stop the falls?",
        "sometimes I fall off my feet": falls that keep coming are the walking's
        trouble, not an injury to keep still."""
        rules = self.rules
        entity, value = parse_fact(rules.recurring_becomes)
        for item in items:
            if item.key not in rules.recurring_values or item.token_start < 0:
                continue
            start, end = item.token_start, item.token_end
            plural = words[end - 1] in rules.recurring_plurals
            led = start > 0 and words[start - 1] in rules.recurring_lead
            often = _in_sentence(
                words,
                rules.recurring_words,
                end,
                end + rules.recurring_window,
                sentence_of,
                start,
            )
            told_often = any(
                w in rules.recurring_often for w in words[max(0, start - 3) : start]
            )
            if (plural and led) or often or told_often:
                item.entity, item.value = entity, value

    def _asleep_falls(self, words: List[str], items: List[Item]) -> None:
        """A limb asleep that gave way under the person, then hurt in the fall
        ("my foot had gone to sleep ... stood up, it folded under me ... now it
        is puffed up and bruised"), made the fall: its numbness is no numbness
        below an injury, and so past."""
        rules = self.rules
        live = [i for i in items if is_live(i)]
        if {i.key for i in live} & rules.asleep_keep_with:
            return
        for item in live:
            start, end = item.token_start, item.token_end
            if item.key not in rules.asleep_values or start < 0:
                continue
            if not set(words[start:end]) & rules.asleep_words:
                continue
            falls = find_phrases(
                words, rules.asleep_falls, end, end + rules.asleep_window
            )
            if falls and any(
                other.key in rules.asleep_hurts and other.token_start > falls[0]
                for other in live
            ):
                item.role = PAST

    def _episodes(
        self, words: List[str], sentence_of: dict, clause_of: dict, items: List[Item]
    ) -> None:
        """A spread or sudden start inside a spell that is over is past; one told
        as where it is now stays, unless its own sentence says it ended (a
        positional spell's weakness or numbness goes with it all the same)."""
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
        ending = [
            i for i in live if i.key in rules.episode_ended and i.token_start >= first
        ]
        bounded = bool(find_phrases(words, rules.episode_bounded, first, len(words)))
        negated_end = positional and any(
            i.negated and i.key in rules.ended_negated and i.token_start >= first
            for i in items
        )
        if bounded or negated_end:
            for item in targets:
                item.role = PAST
            return
        if not ending:
            return
        ends = {sentence_of.get(i.token_start) for i in ending}
        for item in targets:
            clause = clause_of.get(item.token_start)
            current = clause is not None and any(
                w in rules.episode_current for w in words[clause.start : clause.end]
            )
            spell = item.key not in rules.episode_values
            if spell or not current or sentence_of.get(item.token_start) in ends:
                item.role = PAST

    def _chronic(self, words: List[str], clause_of: dict, items: List[Item]) -> None:
        """ "my feet are always cold": a lasting feeling, not a blocked artery."""
        rules = self.rules
        if any(i.key in rules.chronic_unless and is_live(i) for i in items):
            return
        entity, value = parse_fact(rules.chronic_becomes)
        for item in _told_with(
            words, clause_of, items, rules.chronic_values, rules.chronic_words
        ):
            item.entity, item.value = entity, value

    def _limb_temperature(
        self, words: List[str], clause_of: dict, items: List[Item]
    ) -> None:
        """ "my legs went hot and cold": a feeling in the limb, not a fever.

        The limb is told before the heat in its clause: "burning up, agitated ...
        one of his thighs is swollen" is a fever told before the thigh.
        """
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
                and clause.start <= other.token_start < item.token_start
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
        by_clause = _live_by_clause(clauses, items)

        def anchored(anchors: Phrases, sentence: bool) -> bool:
            for c in clauses:
                if not any(
                    i.entity in rules.date_symptoms for i in by_clause.get(c.index, [])
                ):
                    continue
                span = (
                    [o for o in clauses if o.sentence == c.sentence]
                    if sentence
                    else [c]
                )
                if find_phrases(words, anchors, span[0].start, span[-1].end):
                    return True
            return False

        event_anchored = anchored(rules.date_anchors, False)
        illness_anchored = anchored(
            rules.date_anchors + rules.illness_anchors, True
        ) and not find_phrases(words, rules.illness_linked, 0, len(words))
        if not (event_anchored or illness_anchored):
            return
        for index, members in by_clause.items():
            if any(i.entity in rules.date_symptoms for i in members):
                continue
            clause = clauses[index]
            event = event_anchored and any(i.key in rules.date_events for i in members)
            illness = illness_anchored and bool(
                find_phrases(words, rules.illness_words, clause.start, clause.end)
            )
            if not (event or illness):
                continue
            for item in members:
                if item.entity in rules.date_values:
                    item.role = PAST

    def _history_dates(
        self,
        words: List[str],
        clauses: Sequence[Clause],
        items: List[Item],
    ) -> None:
        """ "on and off pain for months ... today the leg went purple and cold":
        the history's dates are not those of today's new sign."""
        rules = self.rules
        by_clause = _live_by_clause(clauses, items)

        def anchored(clause: Clause) -> bool:
            return bool(
                find_phrases(words, rules.history_anchors, clause.start, clause.end)
            )

        told: set = set()
        for clause in clauses:
            keys = {i.key for i in by_clause.get(clause.index, [])}
            if keys & rules.history_signs - told:
                opening = [
                    c.index
                    for c in clauses
                    if c.sentence == clause.sentence
                    and c.index <= clause.index
                    and anchored(c)
                ]
                if opening:
                    self._date_history(clauses, by_clause, opening[0], anchored)
                    return
            told |= keys

    def _date_history(
        self,
        clauses: Sequence[Clause],
        by_clause: dict,
        anchor: int,
        anchored: Callable[[Clause], bool],
    ) -> None:
        """The `history_dates` values told before clause `anchor` become past."""
        for clause in clauses[:anchor]:
            if anchored(clause):
                continue
            for item in by_clause.get(clause.index, []):
                if _bucketed(item) in self.rules.history_values:
                    item.role = PAST

    def _others_events(self, findings: Sequence[Finding]) -> None:
        """Someone else's injury or old stroke is not the person's, when they tell
        their own."""
        rules = self.rules
        told = [set(_WORD.findall(f.text.lower())) for f in findings]
        own = [
            words
            for f, words in zip(findings, told, strict=True)
            if f.experiencer != OTHER
            and words & rules.self_words
            and any(i.entity in rules.others_symptoms and is_live(i) for i in f.items)
        ]
        if not own:
            return
        only_mine = any(not words & rules.others_pronouns for words in own)
        for finding, words in zip(findings, told, strict=True):
            theirs = words & rules.others_pronouns and not words & rules.self_words
            for item in finding.items:
                if (
                    (finding.experiencer == OTHER and item.key in rules.others_events)
                    or (theirs and item.key in rules.others_pronoun_events)
                    or (
                        only_mine
                        and finding.experiencer == OTHER
                        and item.key in rules.family_history
                    )
                ):
                    item.dropped = True

    def read_signs(self, story: Story, items: List[Item]) -> None:
        """The rules on signs that only a sudden onset makes definite.

        Why apart: the functional-loss and sudden-change stages add sudden
        onsets after the timeline ("woke up and couldn't see properly"), so the
        pipeline runs these once every onset is known.
        """
        self._sudden_signs(items)
        self._lifelong_signs(story.words, story.clause_of, items)
        self._slow_signs(items)
        self._familiar_spells(story.words, items)

    def _lifelong_signs(
        self, words: List[str], clause_of: dict, items: List[Item]
    ) -> None:
        """ "a droopy eyelid since birth": only a possible stroke sign."""
        rules = self.rules
        if any(i.key in rules.lifelong_unless and is_live(i) for i in items):
            return
        for item in _told_with(
            words, clause_of, items, rules.lifelong_values, rules.lifelong_words
        ):
            item.role = POSSIBLE

    def _slow_signs(self, items: List[Item]) -> None:
        """ "his speech has gone halting over two years": a stroke sign in a
        story told only as slow or long-standing is only possible."""
        rules = self.rules
        live = {_bucketed(i) for i in items if is_live(i)}
        if live & rules.slow_unless or not live & rules.slow_facts:
            return
        for item in items:
            if item.key in rules.slow_values and is_live(item):
                item.role = POSSIBLE

    def _familiar_spells(self, words: List[str], items: List[Item]) -> None:
        """ "this happens 3 or 4 times a month ... long history of panic": a
        known condition's familiar spell is only a possible stroke sign."""
        rules = self.rules
        live = {i.key for i in items if is_live(i)}
        if live & rules.familiar_unless or not live & rules.familiar_known:
            return
        told = len(words)
        if not find_phrases(words, rules.familiar_words, 0, told) or find_phrases(
            words, rules.familiar_new, 0, told
        ):
            return
        for item in items:
            if item.key in rules.familiar_values and is_live(item):
                item.role = POSSIBLE

    def _sudden_signs(self, items: List[Item]) -> None:
        """ "sudden trouble seeing": without a sudden onset only a possible sign,
        unless the message says it came on slowly (then it is no red flag, and
        stays a fact for the urgency)."""
        rules = self.rules
        if any(
            i.key in rules.sudden_sign_onsets | rules.sudden_sign_slow and is_live(i)
            for i in items
        ):
            return
        for item in items:
            if item.key in rules.sudden_sign_values and is_live(item):
                item.role = POSSIBLE
