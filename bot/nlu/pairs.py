"""Pairs: two mentions close together in one clause that name one fact.

Why a stage of its own: "walking around helps" is relief by movement (not the
trigger walking), "my lower back hurts" is back pain; the pairs and their gaps
are data in patterns.yml (`relief`, `compounds`).
"""

from __future__ import annotations

from typing import Any, Dict, List, Set, Tuple

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.nlu.mentions import (
    AddPhrases,
    Mention,
    clause_breaks,
    crosses,
    followed_by,
    longest_first,
    make_mention,
    overlaps,
    phrase_at,
)
from bot.nlu.normalise import normalise_word

#: the entities a relief word or activity inside of is part of a complaint
SYMPTOMS = ("symptom", "sensation")


class PairRules:
    """Relief pairs and compounds; build once per matcher."""

    def __init__(self, nlp: Any, patterns: Dict[str, Any], add: AddPhrases) -> None:
        self.compounds = patterns.get("compounds") or []
        relief = patterns.get("relief") or {}
        self.relief_gap = int(relief.get("max_gap", 5))
        self.relief_words = {
            normalise_word(w) for w in relief.get("relief_words") or []
        }
        self.relief_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.relief_matcher, "move", relief.get("movement_words") or [])
        add(self.relief_matcher, "rest", relief.get("rest_words") or [])
        add(self.relief_matcher, "remove", relief.get("removal_words") or [])
        #: "go" words are relief only before one of these ("goes away", "it all
        #: goes once I stand up"), never in "goes numb"
        self.go_words = {normalise_word(w) for w in relief.get("go_words") or []}
        self.go_then = {normalise_word(w) for w in relief.get("go_then") or []}
        #: ... or right after one of these ("stop till it goes")
        self.go_after = {normalise_word(w) for w in relief.get("go_after") or []}
        #: the activity after a relief word and one of these is its reliever
        #: ("comes on after walking and goes when i stop": stopping, not walking)
        self.condition_words = {
            normalise_word(w) for w in relief.get("condition_words") or []
        }
        #: a relief word right after one of these is the person's own activity
        self.actor_words = {normalise_word(w) for w in relief.get("actor_words") or []}
        #: a relief word followed by one of these tells the illness's course
        #: ("better each day"), not the end of a spell
        self.course_then = [
            tuple(normalise_word(w) for w in phrase.split())
            for phrase in relief.get("course_then") or []
        ]
        #: a relief word right before one of these is no relief ("sort of")
        self.relief_not_then = {normalise_word(w) for w in relief.get("not_then") or []}
        #: a relief word followed by a person acts on them ("helping a friend")
        self.person_fillers = {
            normalise_word(w) for w in relief.get("person_fillers") or []
        }
        self.person_words = {
            normalise_word(w) for w in relief.get("person_words") or []
        }
        self.relief_values = {
            "move": relief.get("movement_value", "trigger:movement_relief"),
            "rest": relief.get("rest_value", "trigger:rest_relief"),
            "remove": relief.get("removal_value", "course:resolved"),
        }

    # relief: "walking around helps", "it eases when I sit down", "it goes when I
    # take them off" (a tight shoe's spell ends: resolved)
    def relief(
        self, doc: Doc, other: List[Mention]
    ) -> Tuple[List[Mention], List[Mention]]:
        """The mentions without those the relief pairs replace, and the pairs.

        A pair spans its activity and its relief word; what is told between
        them ("when i stop walking the pain goes away") stays a fact."""
        # "cant get up", "i cant walk": an activity inside a symptom is no reliever
        symptoms = [(m.start, m.end) for m in other if m.entity in SYMPTOMS]
        activities = [
            (doc.vocab.strings[match_id], start, end)
            for match_id, start, end in self.relief_matcher(doc)
            if not _touches(start, end, symptoms)
        ]
        reliefs = [
            t.i
            for t in doc
            if t.norm_ in self.relief_words
            and not self._is_activity(doc, t.i, activities, symptoms)
            and not self._tells_course(doc, t.i)
            and not followed_by(doc, t.i, self.relief_not_then)
            and not self._acts_on_someone(doc, t.i)
        ]
        if not reliefs or not activities:
            return other, []
        breaks = clause_breaks(doc)
        made: List[Mention] = []
        cores: List[Tuple[int, int]] = []
        used: Set[Tuple[int, int]] = set()
        for index in reliefs:
            if doc[index].norm_ in self.go_words and not self._go_is_relief(doc, index):
                continue
            if any(start <= index < end for start, end in used):
                continue  # "goes when i stop": this stop already relieves
            best = None
            for kind, start, end in self._relievers(doc, index, activities):
                gap = index - end if end <= index else start - index - 1
                if gap > self.relief_gap or crosses(
                    breaks, min(index, start), max(index, end - 1)
                ):
                    continue
                if (
                    best is None
                    or gap < best[0]
                    or (gap == best[0] and end - start > best[3] - best[2])
                ):
                    best = (gap, kind, start, end)
            if best is None or (best[2], best[3]) in used:
                continue
            used.add((best[2], best[3]))
            cores += [(best[2], best[3]), (index, index + 1)]
            start, end = min(best[2], index), max(best[3], index + 1)
            made.append(
                make_mention(
                    doc, self.relief_values[best[1]], start, end, compound=True
                )
            )
        if not made:
            return other, []
        # "eases when I get up and walk about": every activity of the pair goes
        near = [
            (start, end)
            for kind, start, end in activities
            if any(
                r.key == self.relief_values[kind]
                and r.start - self.relief_gap <= start
                and end <= r.end + self.relief_gap
                and not crosses(breaks, min(start, r.start), max(end - 1, r.end - 1))
                for r in made
            )
        ]
        kept = [
            m
            for m in other
            if not (
                m.entity == "trigger"
                and (
                    any(overlaps(m, r) for r in made) or _touches(m.start, m.end, near)
                )
            )
            and not (
                m.entity in ("trigger", "course") and _touches(m.start, m.end, cores)
            )
        ]
        return kept, longest_first(made)

    def _is_activity(
        self,
        doc: Doc,
        index: int,
        activities: List[Tuple[str, int, int]],
        symptoms: List[Tuple[int, int]],
    ) -> bool:
        """A relief word that is part of an activity ("stop walking"), of the
        person's own stopping ("i have to stop") or of a symptom ("my legs
        stopped working") ends no spell."""
        for _, start, end in activities:
            if start <= index < end and (
                end - start > 1
                or (index > 0 and doc[index - 1].norm_ in self.actor_words)
            ):
                return True
        return _touches(index, index + 1, symptoms)

    def _tells_course(self, doc: Doc, index: int) -> bool:
        """ "better each day": a change over days, not a spell's end."""
        return any(
            phrase_at(doc, index + 1, phrase, len(doc)) for phrase in self.course_then
        )

    def _acts_on_someone(self, doc: Doc, index: int) -> bool:
        """ "helping a friend move", "help him up": help given to a person."""
        i = index + 1
        if i < len(doc) and doc[i].norm_ in self.person_fillers:
            i += 1
        return i < len(doc) and doc[i].norm_ in self.person_words

    def _go_is_relief(self, doc: Doc, index: int) -> bool:
        """ "goes away", "till it goes": a go word that ends a spell."""
        after = index + 1 < len(doc) and doc[index + 1].norm_ in self.go_then
        before = any(t.norm_ in self.go_after for t in doc[max(0, index - 2) : index])
        return after or before

    def _relievers(
        self, doc: Doc, index: int, activities: List[Tuple[str, int, int]]
    ) -> List[Tuple[str, int, int]]:
        """The activities that may relieve at relief word `index`: when a
        condition word follows it ("goes when i stop", "goes away once i sit"),
        the ones told after it, else all around it."""
        around = [a for a in activities if not a[1] <= index < a[2]]
        if not any(t.norm_ in self.condition_words for t in doc[index + 1 : index + 3]):
            return around
        return [a for a in around if a[1] > index] or around

    def compound(
        self, doc: Doc, other: List[Mention], body: List[Mention]
    ) -> Tuple[List[Mention], List[Mention]]:
        breaks = clause_breaks(doc)
        for rule in self.compounds:
            first, second = rule["parts"]
            gap_max = int(rule.get("max_gap", 3))
            for a in [m for m in other if m.key == first]:
                for b in [m for m in body if m.key == second]:
                    lo, hi = (a, b) if a.start < b.start else (b, a)
                    if hi.start - lo.end > gap_max or crosses(
                        breaks, lo.start, hi.end - 1
                    ):
                        continue
                    made = make_mention(
                        doc, rule["makes"], lo.start, hi.end, compound=True
                    )
                    other = [m for m in other if m is not a] + [made]
                    body = [m for m in body if m is not b]
                    break
        return other, body


def _touches(start: int, end: int, spans: List[Tuple[int, int]]) -> bool:
    """True when the token span [start, end) overlaps one of `spans`."""
    return any(s < end and start < e for s, e in spans)
