"""The NLU stages in order, and what happens when one of them fails.

Stages (each one job, one data file):
1. matching: normalisation and spelling (normalise.py, rapidfuzz), target
   matching and durations (extraction.py + patterns.yml, the vocabulary), then
   negation (negation.py + context_rules.json) over the shared mentions.py;
2. clauses (clauses.py + clauses.yml): the scope of everything below;
3. attribution, first pass (attribution.py + attribution.yml): implied facts,
   body words used as measures, names holding a cast word;
4. context (context.py + context.yml, medspaCy ConText): time, experiencer,
   certainty of each mention;
5. attribution (attribution.py): findings, casts, unattached red-flag cues,
   past and hypothetical facts;
6. timeline (timeline.py + timeline.yml): what an event, a course or an onset
   is about (a fall the numbness caused, a spread inside a spell that is over,
   feet that are always cold);
7. functional loss (functional_loss.py + functional_loss.yml): legs that fail
   at a task, read in the story (pain's doing, a progression, a sudden start);
8. sudden change (sudden_change.py + sudden_change.yml): legs that fail,
   told against an earlier time the person was well, came on suddenly;
9. same side (same_side.py + same_side.yml): an arm or hand not told on the
   leg's side is only a possible stroke cue;
10. limb injury (limb_injury.py + limb_injury.yml): a sprain or a fracture told
   of a limb is an injury of that limb, not of the spine; of an arm or a hand
   alone it is no injury of the legs; a strain while lifting, with no fall or
   blow told, is no injury at all.

Fail closed: a crash after matching falls back to every matched mention as a
present fact (the screen sees more, never less); a crash in matching itself
marks the message `failed`, and the red-flag detector asks the check question.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, List, Optional, Sequence, Set

from actions.cause_schema import duration_days
from bot.nlu.attribution import (
    SENTENCE_END,
    AttributionRules,
    Attributor,
    told_as_length,
)
from bot.nlu.clauses import clause_of_char, split_clauses
from bot.nlu.context import OTHER, ContextReader
from bot.nlu.durations import find_change_dates
from bot.nlu.earlier_stroke import EarlierStroke
from bot.nlu.extraction import SymptomMatcher, get_matcher
from bot.nlu.findings import PAST, Finding, Item, is_live, to_entities
from bot.nlu.functional_loss import FunctionalLoss
from bot.nlu.limb_injury import LimbInjury
from bot.nlu.same_side import SameSide
from bot.nlu.story import read_story
from bot.nlu.sudden_change import SuddenChange
from bot.nlu.timeline import Timeline

logger = logging.getLogger(__name__)


@dataclass
class ParseResult:
    """Entities for Rasa, findings for actions, and whether a stage failed."""

    entities: List[Dict[str, Any]] = field(default_factory=list)
    findings: List[Dict[str, Any]] = field(default_factory=list)
    #: "" when all stages ran; else the failed stage ("matching" or "attribution").
    failed: str = ""


class NluPipeline:
    """Runs the stages over one message; build once per process."""

    def __init__(self, matcher: Optional[SymptomMatcher] = None) -> None:
        self.matcher = matcher or get_matcher()
        self.context = ContextReader(self.matcher.nlp)
        self.attributor = Attributor(self.matcher.nlp)
        self.timeline = Timeline()
        self.functional_loss = FunctionalLoss()
        self.sudden_change = SuddenChange()
        self.same_side = SameSide()
        self.limb_injury = LimbInjury()
        self.earlier_stroke = EarlierStroke()

    def parse(self, text: Any) -> ParseResult:
        """Entities and findings of `text`; never raises."""
        try:
            doc, mentions = self.matcher.read(text)
        except Exception:  # fail closed: the detector asks the check question
            logger.exception("NLU matching failed; red-flag screen fails closed")
            return ParseResult(failed="matching")
        if doc is None:
            return ParseResult()
        items = [
            Item(
                m.entity,
                m.value,
                m.char_start,
                m.char_end,
                m.start,
                m.end,
                negated=m.negated,
            )
            for m in mentions
        ]
        try:
            return self._attribute(doc, items)
        except Exception:  # fail closed: every mention counts as said
            logger.exception("NLU attribution failed; using unattributed facts")
            bare = [
                Item(i.entity, i.value, i.char_start, i.char_end, negated=i.negated)
                for i in items
            ]
            return ParseResult(
                entities=to_entities(bare, len(doc.text), False), failed="attribution"
            )

    def _attribute(self, doc: Any, items: List[Item]) -> ParseResult:
        clauses = split_clauses(doc)
        # words used as a measure, a name or an action go first: no phrase
        # needs them ("couldn't feel a pulse ... in my groin" is no numb groin)
        self.attributor.drop_measures_and_names(doc, items)
        self.attributor.add_implied(doc, items, clauses)
        self.earlier_stroke.apply(doc, items)
        episodes = self._past_episodes(doc, clauses, items)
        durations = self._symptom_durations(clauses, items, episodes)
        spans = [
            (index, item.token_start, item.token_end)
            for index, item in enumerate(items)
            if item.token_start >= 0 and item.token_end > item.token_start
        ]
        events = {
            index
            for index, item in enumerate(items)
            if item.key in self.context.rules.events
        }
        contexts = self.context.read(doc, clauses, spans, durations, events)
        findings = self.attributor.build(
            doc, clauses, items, contexts, self._negation_clauses(doc, clauses)
        )
        story = read_story(doc, clauses, findings)
        if story is not None:
            self.timeline.read(story, items)
            self.functional_loss.read(story, items)
            self.sudden_change.read(story, items)
            self.timeline.read_signs(story, items)
        self.same_side.apply(items, doc.text)
        self.limb_injury.apply(doc, items, findings)
        # a past episode's date and length date no symptom of today, nor does
        # the length told of a past symptom alone ("years ago an operation left
        # her paralysed for 4 months")
        past_symptoms = self._past_symptom_clauses(clauses, items)
        for item in items:
            if item.entity != "duration" or item.negated or item.role is not None:
                continue
            clause = clause_of_char(clauses, item.char_start)
            if clause in episodes or (
                clause in past_symptoms and told_as_length(doc.text, item)
            ):
                item.role = PAST
        self.attributor.drop_stray_durations(
            doc.text, findings, self.context.rules.events
        )
        _date_the_newer_start(doc.text, items)
        _date_the_newer_complaint(doc.text, findings, self.attributor.rules)
        _date_the_change_today(doc.text, items, findings, self.attributor.rules)
        other = about_someone_else(findings)
        return ParseResult(
            entities=to_entities(items, len(doc.text), other),
            findings=[f.to_dict() for f in findings],
        )

    def _symptom_durations(
        self, clauses: List[Any], items: List[Item], episodes: Set[int]
    ) -> List[Any]:
        """Durations said in a clause with a symptom: the symptom's own time span.

        "numb since 2 years ago" dates the numbness (no past event), but in
        "24 years ago a motorbike fell on my leg" the clause has no symptom and
        "years ago" dates the injury: it stays a past cue.
        """
        if not clauses:
            return []
        symptoms = self.attributor.rules.symptom_entities
        with_symptom = {
            clause_of_char(list(clauses), i.char_start)
            for i in items
            if i.entity in symptoms and not i.dropped
        }
        return [
            (i.char_start, i.char_end)
            for i in items
            if i.entity == "duration"
            and clause_of_char(list(clauses), i.char_start) in with_symptom - episodes
        ]

    def _past_symptom_clauses(self, clauses: List[Any], items: List[Item]) -> Set[int]:
        """Clauses whose symptoms are all past, at least one of them."""
        symptoms = self.attributor.rules.symptom_entities
        past: Set[int] = set()
        live: Set[int] = set()
        for item in items:
            if item.entity not in symptoms or item.dropped or item.negated:
                continue
            index = clause_of_char(clauses, item.char_start)
            if item.role == PAST:
                past.add(index)
            elif item.role is None:
                live.add(index)
        return past - live

    def _past_episodes(
        self, doc: Any, clauses: List[Any], items: List[Item]
    ) -> Set[int]:
        """Clauses that date a spell and tell how long it lasted, with no word of
        it going on ("half a year ago her fingertips went prickly for a few
        minutes", never "two weeks ago I lost my sight in five minutes"): a past
        episode, so neither duration is the symptom's own."""
        spans: Dict[int, List[Item]] = {}
        for item in items:
            if item.entity == "duration":
                spans.setdefault(clause_of_char(clauses, item.char_start), []).append(
                    item
                )
        continuing = self.context.rules.continuing_words
        found = set()
        for index, durations in spans.items():
            dated = [d for d in durations if _told_as_date(doc.text, d)]
            lasted = [
                d
                for d in durations
                if d not in dated
                and doc.text[: d.char_start].split()[-1:] in (["for"], ["lasted"])
            ]
            clause = clauses[index]
            words = {t.lower_ for t in doc[clause.start : clause.end]}
            if dated and lasted and not words & continuing:
                found.add(index)
        return found

    def _negation_clauses(self, doc: Any, clauses: List[Any]) -> Set[int]:
        """Clauses that hold a negation cue of the matching stage's rules.

        A phrase that names its value as absent ("peeing normal") is a negation
        in its own clause as well.
        """
        starts: List[int] = []
        negation = self.matcher.negation
        for match_id, start, _end in negation.cue_matcher(doc):
            if negation.category(match_id) == "NEGATED_EXISTENCE":
                starts.append(start)
        starts += [
            start
            for _, start, _end in self.matcher.match_across_fillers(
                self.matcher.negated_phrase_matcher, doc, every_key=True
            )
        ]
        return {
            clause.index
            for start in starts
            for clause in clauses
            if clause.start <= start < clause.end
        }


def _told_as_date(text: str, item: Item) -> bool:
    """A duration told as how long ago something began ("a month ago", "a week
    back"), not as how long it lasted."""
    return text[item.char_end :].lower().split()[:1] in (["ago"], ["back"])


def _date_the_newer_start(text: str, items: List[Item]) -> None:
    """A spell dated long ago, then a newer start told with "since" ("about a
    month ago his foot felt odd for a bit ... but since yesterday his hand is
    clumsy"): the newer start dates today's complaint, so the older date is past.

    Why: the message's first duration is its duration, and a red flag that asks
    for a change within days must not be blocked by the date of an earlier spell.
    """
    live = [
        i
        for i in items
        if i.entity == "duration"
        and i.role is None
        and not i.negated
        and i.char_start >= 0
    ]
    for later in live:
        if "since" not in text[: later.char_start].lower().split()[-3:]:
            continue
        days = duration_days(str(later.value)) or 0
        for earlier in live:
            if (
                earlier.char_end <= later.char_start
                and _told_as_date(text, earlier)
                and (duration_days(str(earlier.value)) or 0) > days
            ):
                earlier.role = PAST


def _date_the_newer_complaint(
    text: str,
    findings: Sequence[Finding],
    rules: AttributionRules,
) -> None:
    """A painful complaint's length, then a shorter one told of a new deficit
    ("about two weeks ago his back started hurting ... the last few days both
    his legs have gone numb"): the newer length dates today's complaint, so the
    older one is past (attribution.yml `newer_complaint`).

    Why: the message's first duration is its duration, and a red flag that asks
    for a change within days must not be blocked by how long the pain has
    lasted. The newer finding may tell the old pain too ("this last month it's
    been shooting down my calf and for 4 days now my left foot slaps"). A later
    length of a symptom that is no deficit ("numb for years ... the last few
    weeks it burns") leaves the older length as it is. A date told in a clause
    of its own dates the symptom told next in its sentence.
    """
    dated = []
    pending: Optional[Item] = None
    for finding in findings:
        live = [i for i in finding.items if is_live(i)]
        durations = [i for i in live if i.entity == "duration"]
        symptoms = [i for i in live if i.entity in rules.symptom_entities]
        if durations and not symptoms:
            pending = durations[0]
            continue
        if (
            pending is not None
            and symptoms
            and not durations
            and not SENTENCE_END.search(text[pending.char_end : symptoms[0].char_start])
        ):
            durations = [pending]  # "this morning she woke up crying, she can't ..."
        if symptoms:
            pending = None
        if durations and symptoms:
            dated.append((durations[0], {i.key for i in symptoms}))
    for index, (later, told) in enumerate(dated):
        days = duration_days(str(later.value))
        if days is None or not told & rules.newer_deficits:
            continue
        for earlier, before in dated[:index]:
            if (
                before <= rules.older_complaints
                and (duration_days(str(earlier.value)) or 0) > days
            ):
                earlier.role = PAST


def _date_the_change_today(
    text: str,
    items: List[Item],
    findings: Sequence[Finding],
    rules: AttributionRules,
) -> None:
    """A "today" or "last night" told with what the person was doing, then a new
    deficit in its sentence ("today it took two of us to get him to the car, his
    legs would barely hold him up"), dates that deficit when every other date of
    the message is older and dates something else: an older pain ("bad back
    pain for months"), an event ("a week and a half ago his neck jerked") or
    another symptom.

    Why: the message's first duration is its duration, and a red flag that asks
    for a change within days must not be blocked by the date of something
    else. A date told of a deficit itself ("numb for 3 weeks ... today it went
    weak") leaves the story as it is.
    """
    finding_of = {id(i): f for f in findings for i in f.items}
    dates = [i for i in items if i.entity == "duration" and i.char_start >= 0]
    live = [i for i in dates if is_live(i)]
    if not live:
        return  # nothing else dates the story: the matcher used the change date

    def dates_deficit(date: Item) -> bool:
        finding = finding_of.get(id(date))
        return finding is not None and any(
            is_live(i) and i.key in rules.newer_deficits for i in finding.items
        )

    for value, start, end in find_change_dates(text.lower()):
        days = duration_days(value)
        if days is None or any(
            d.char_start < end and start < d.char_end for d in dates
        ):
            continue
        changed = next(
            (
                i
                for i in items
                if i.char_start >= end
                and is_live(i)
                and i.key in rules.newer_deficits
                and not SENTENCE_END.search(text[end : i.char_start])
            ),
            None,
        )
        if changed is None or id(changed) not in finding_of:
            continue
        if any(
            (duration_days(str(d.value)) or 0) <= days or dates_deficit(d) for d in live
        ):
            continue
        for older in live:
            older.role = PAST
        finding = finding_of[id(changed)]
        new = Item("duration", value, start, end, group=finding.group)
        finding.items.append(new)
        items.append(new)
        return


@lru_cache(maxsize=1)
def get_pipeline() -> NluPipeline:
    """One shared pipeline per process."""
    return NluPipeline()


def about_someone_else(findings: Sequence[Finding]) -> bool:
    """The message is another person's story: a finding is theirs, no symptom is mine.

    "My husband couldn't move it either" in a story of my own leg is a detail, not
    a relative's story: a symptom the person tells of themself keeps it theirs.
    The facts count either way; only whom the replies speak of changes.
    """
    if not any(f.experiencer == OTHER for f in findings):
        return False
    return not any(
        f.experiencer != OTHER and f.values("sensation", "symptom") for f in findings
    )
