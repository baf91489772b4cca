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
from typing import Iterable, List, Optional, Sequence, Tuple

from spacy.tokens import Doc

from bot.nlu.clauses import Clause
from bot.nlu.findings import PAST, POSSIBLE, Finding, Item
from bot.nlu.rule_files import check_keys, load_rule_file

TIMELINE_PATH = Path(__file__).with_name("timeline.yml")
_TOP = (
    "consequences",
    "message_talk",
    "episodes",
    "chronic_signs",
    "functional_loss",
    "same_side",
    "limb_temperature",
)
_SECTION_KEYS = {
    "consequences": (
        "values",
        "words",
        "failures",
        "impact_words",
        "impact_sites",
        "window",
        "cause_words",
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
    "same_side": ("cues", "sides", "unless"),
    "limb_temperature": ("values", "words", "becomes"),
    "functional_loss": (
        "values",
        "verbs",
        "explained_by",
        "pain",
        "becomes",
        "progression_words",
        "earlier",
        "progression",
        "story_anchors",
        "story_duration",
        "sudden_words",
        "sudden",
    ),
}

Phrases = Tuple[Tuple[str, ...], ...]


@dataclass(frozen=True)
class TimelineRules:
    """timeline.yml, parsed and checked."""

    fall_values: frozenset
    fall_words: Phrases
    failures: frozenset
    impact_words: frozenset
    impact_window: int
    impact_sites: frozenset
    fall_causes: frozenset
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
    heat_values: frozenset = frozenset()
    heat_words: Phrases = ()
    heat_becomes: str = "sensation:burning"
    side_cues: frozenset = frozenset()
    one_sides: frozenset = frozenset()
    side_unless: frozenset = frozenset()
    functional_values: frozenset = frozenset()
    functional_verbs: frozenset = frozenset()
    explained_by: Phrases = ()
    pain_values: frozenset = frozenset()
    explained_becomes: str = "symptom:gait_problem"
    progression_words: Phrases = ()
    earlier_entities: frozenset = frozenset()
    progression: str = "course:worsening"
    sudden_words: Phrases = ()
    story_anchors: Phrases = ()
    story_duration: str = "P1D"
    sudden: str = "onset:sudden"


def _words(items: Optional[Iterable]) -> frozenset:
    return frozenset(str(w).lower() for w in items or [])


def _phrases(items: Optional[Iterable]) -> Phrases:
    return tuple(tuple(str(p).lower().split()) for p in items or [])


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
    loss = sections["functional_loss"]
    same_side = sections["same_side"]
    heat = sections["limb_temperature"]
    return TimelineRules(
        fall_values=_words(fall.get("values")),
        fall_words=_phrases(fall.get("words")),
        failures=_words(fall.get("failures")),
        impact_words=_words(fall.get("impact_words")),
        impact_window=int(fall.get("window", 6)),
        impact_sites=_words(fall.get("impact_sites")),
        fall_causes=_words(fall.get("cause_words")),
        talk_values=_words(talk.get("values")),
        talk_words=_phrases(talk.get("words")),
        slipping_parts=_words(talk.get("slipping_parts")),
        talk_window=int(talk.get("window", 6)),
        episode_values=_words(episodes.get("values")),
        episode_ended=_words(episodes.get("ended")),
        episode_bounded=_phrases(episodes.get("bounded")),
        episode_keep_with=_words(episodes.get("keep_with")),
        positional=_words(episodes.get("positional")),
        spell_values=_words(episodes.get("spell_values")),
        ended_negated=_words(episodes.get("ended_negated")),
        keep_with_spell=_words(episodes.get("keep_with_spell")),
        chronic_values=_words(chronic.get("values")),
        chronic_words=_phrases(chronic.get("words")),
        chronic_becomes=str(chronic.get("becomes", "sensation:coldness")),
        chronic_unless=_words(chronic.get("unless")),
        heat_values=_words(heat.get("values")),
        heat_words=_phrases(heat.get("words")),
        heat_becomes=str(heat.get("becomes", "sensation:burning")),
        side_cues=_words(same_side.get("cues")),
        one_sides=_words(same_side.get("sides")),
        side_unless=_words(same_side.get("unless")),
        functional_values=_words(loss.get("values")),
        functional_verbs=_words(loss.get("verbs")),
        explained_by=_phrases(loss.get("explained_by")),
        pain_values=_words(loss.get("pain")),
        explained_becomes=str(loss.get("becomes", "symptom:gait_problem")),
        progression_words=_phrases(loss.get("progression_words")),
        earlier_entities=_words(loss.get("earlier")),
        progression=str(loss.get("progression", "course:worsening")),
        sudden_words=_phrases(loss.get("sudden_words")),
        story_anchors=_phrases(loss.get("story_anchors")),
        story_duration=str(loss.get("story_duration", "P1D")),
        sudden=str(loss.get("sudden", "onset:sudden")),
    )


@lru_cache(maxsize=1)
def get_timeline_rules() -> TimelineRules:
    """The project's timeline rules, read once."""
    return load_timeline_rules()


def _live(item: Item) -> bool:
    return not item.dropped and not item.negated and item.role is None


def _find(words: Sequence[str], phrases: Phrases, lo: int, hi: int) -> List[int]:
    """Token indexes in [lo, hi) where one of `phrases` starts."""
    hits = []
    for i in range(max(0, lo), min(hi, len(words))):
        for phrase in phrases:
            if tuple(words[i : i + len(phrase)]) == phrase:
                hits.append(i)
                break
    return hits


class Timeline:
    """Applies the timeline rules to the items of one message."""

    def __init__(self, rules: TimelineRules | None = None) -> None:
        self.rules = rules or get_timeline_rules()

    def apply(
        self,
        doc: Doc,
        clauses: Sequence[Clause],
        items: List[Item],
        findings: Sequence[Finding] = (),
    ) -> None:
        """Change `items` in place (and add to `findings`); needs token offsets."""
        if not clauses:
            return
        words = [t.lower_ for t in doc]
        sentence_of = {}
        clause_of = {}
        for clause in clauses:
            for i in range(clause.start, clause.end):
                sentence_of[i] = clause.sentence
                clause_of[i] = clause
        self._consequences(words, sentence_of, items)
        self._message_talk(words, sentence_of, items)
        self._episodes(words, items)
        self._chronic(words, clause_of, items)
        self._limb_temperature(words, clause_of, items)
        self._functional_loss(doc, sentence_of, clause_of, items, findings)
        self._same_side(items)

    def _consequences(
        self, words: List[str], sentence_of: dict, items: List[Item]
    ) -> None:
        """A fall told after the leg failed, in one sentence, is no injury."""
        rules = self.rules
        for item in items:
            if item.key not in rules.fall_values or not _live(item):
                continue
            if item.token_start < 0 or not _find(
                words, rules.fall_words, item.token_start, item.token_start + 1
            ):
                continue
            sentence = sentence_of.get(item.token_start)
            if any(
                w in rules.fall_causes
                for w in words[max(0, item.token_start - 3) : item.token_start]
            ):
                continue
            failed_before = any(
                other.key in rules.failures
                and not other.negated
                and other.role is None
                and 0 <= other.token_start < item.token_start
                and sentence_of.get(other.token_start) == sentence
                for other in items
            )
            if not failed_before:
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
                for i in _find(words, rules.talk_words, lo, hi)
                if sentence_of.get(i) == sentence
            ]
            slipped = start > 0 and words[start - 1] in rules.slipping_parts
            if near or slipped:
                item.dropped = True

    def _episodes(self, words: List[str], items: List[Item]) -> None:
        """A spread or sudden start inside a spell that is over is past."""
        rules = self.rules
        live = [i for i in items if _live(i)]
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
            or bool(_find(words, rules.episode_bounded, first, len(words)))
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
        if any(i.key in rules.chronic_unless and _live(i) for i in items):
            return
        entity, value = rules.chronic_becomes.split(":", 1)
        for item in items:
            if item.key not in rules.chronic_values or not _live(item):
                continue
            clause = clause_of.get(item.token_start)
            if clause is None:
                continue
            if _find(words, rules.chronic_words, clause.start, clause.end):
                item.entity, item.value = entity, value

    def _limb_temperature(
        self, words: List[str], clause_of: dict, items: List[Item]
    ) -> None:
        """ "my legs went hot and cold": a feeling in the limb, not a fever."""
        rules = self.rules
        entity, value = rules.heat_becomes.split(":", 1)
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

    def _functional_loss(
        self,
        doc: Doc,
        sentence_of: dict,
        clause_of: dict,
        items: List[Item],
        findings: Sequence[Finding],
    ) -> None:
        """Legs failing at a task: pain's doing, a progression or a sudden start."""
        rules = self.rules
        words = [t.lower_ for t in doc]
        losses = [
            i
            for i in items
            if i.key in rules.functional_values
            and _live(i)
            and i.token_start >= 0
            and set(words[i.token_start : i.token_end]) & rules.functional_verbs
        ]
        keys = {i.key for i in items if _live(i)}
        for item in losses:
            sentence = sentence_of.get(item.token_start)
            end = item.token_end
            while end < len(words) and sentence_of.get(end) == sentence:
                end += 1
            pain = any(
                i.key in rules.pain_values
                and _live(i)
                and sentence_of.get(i.token_start) == sentence
                for i in items
            )
            if pain and _find(words, rules.explained_by, item.token_end, end):
                item.entity, item.value = rules.explained_becomes.split(":", 1)
                continue
            clause = clause_of.get(item.token_start)
            if clause is None:
                continue
            earlier = any(
                i.entity in rules.earlier_entities
                and _live(i)
                and 0 <= i.token_start < clause.start
                for i in items
            )
            lo = min(c.start for c in clause_of.values() if c.sentence == sentence)
            before = _find(words, rules.progression_words, lo, item.token_start)
            if earlier and before and rules.progression not in keys:
                self._add(doc, rules.progression, before[0], item, items, findings)
                keys.add(rules.progression)
                anchors = _find(words, rules.story_anchors, 0, len(words))
                if anchors and not any(i.entity == "duration" for i in items):
                    self._add(
                        doc,
                        f"duration:{rules.story_duration}",
                        anchors[0],
                        item,
                        items,
                        findings,
                    )
            sudden = _find(words, rules.sudden_words, clause.start, clause.end)
            if sudden and rules.sudden not in keys:
                self._add(doc, rules.sudden, sudden[0], item, items, findings)
                keys.add(rules.sudden)

    @staticmethod
    def _add(
        doc: Doc,
        key: str,
        token: int,
        owner: Item,
        items: List[Item],
        findings: Sequence[Finding],
    ) -> Item:
        """A fact read from the story's order, in the owner's finding."""
        entity, value = key.split(":", 1)
        span = doc[token : token + 1]
        made = Item(
            entity,
            value,
            span.start_char,
            span.end_char,
            token,
            token + 1,
            group=owner.group,
        )
        items.append(made)
        for finding in findings:
            if finding.group == owner.group:
                finding.items.append(made)
        return made

    def _same_side(self, items: List[Item]) -> None:
        """An arm or hand with no side of its own is not on the leg's side."""
        rules = self.rules
        live = [i for i in items if _live(i)]
        sided = {i.group for i in live if i.key in rules.one_sides}
        if not sided:
            return
        if any(i.key in rules.side_unless for i in live):
            return
        any_side = {i.group for i in live if i.entity == "side"}
        for item in live:
            if item.key in rules.side_cues and item.group not in any_side:
                item.role = POSSIBLE
