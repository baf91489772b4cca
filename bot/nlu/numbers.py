"""Numbers: durations, ages and fever readings, and which fact a duration belongs to.

Why a stage of its own: "numb for 3 weeks" dates the symptom, but "diabetic for
10 years" dates the condition and "3 weeks in Ghana" is a trip; "55 y/o" is an
age; "thermometer said 38.9" is a fever. The text patterns live in
durations.py; this stage attaches them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, FrozenSet, List, Set, Tuple

from spacy.tokens import Doc

from bot.nlu.durations import (
    MONTH_NAMES,
    Reading,
    find_ages,
    find_durations,
    read_temperatures,
)
from bot.nlu.mentions import Mention
from bot.nlu.rule_files import Phrases, find_phrases

#: How many words at most may stand between a condition and the length it owns
#: (the words themselves: patterns.yml `duration_owner_gap_words`).
_OWNER_GAP = 6


def _within_age(start: int, end: int, ages: List[Tuple[int, int, int]]) -> bool:
    """True when [start, end) overlaps a stated age ("55 y/o", "38f")."""
    return any(start < a_end and a_start < end for _, a_start, a_end in ages)


class NumberRules:
    """Durations and ages of one message; build once per matcher."""

    def __init__(
        self,
        duration_owners: Set[str],
        owner_words: Phrases = (),
        gap_words: FrozenSet[str] = frozenset(),
    ) -> None:
        self.duration_owners = set(duration_owners)
        #: phrases of other complaints that own the duration told right after
        self.owner_words = owner_words
        #: words that may stand between an owner and its length
        self.gap_words = gap_words

    def attach(self, doc: Doc, mentions: List[Mention]) -> List[Mention]:
        """`mentions` with the message's durations, ages and fevers added, and a
        fever word that leads to a reading below a fever negated."""
        readings = read_temperatures(doc.text)
        return _normal_readings(readings, mentions) + self._find(
            doc, mentions, readings
        )

    def _find(
        self,
        doc: Doc,
        mentions: List[Mention],
        readings: List[Reading],
    ) -> List[Mention]:
        """Durations, ages and fevers; a duration right after a condition is the
        condition's."""
        text = doc.text
        found = []
        owners: List[Any] = [m for m in mentions if m.entity in self.duration_owners]
        words = [t.lower_ for t in doc]
        owners += [
            doc[i : i + len(phrase)]
            for phrase in self.owner_words
            for i in find_phrases(words, (phrase,), 0, len(words))
        ]
        ages = find_ages(text)
        for value, start, end in find_durations(text):
            if _within_age(start, end, ages):
                continue  # "55 y/o" is an age
            span = doc.char_span(start, end, alignment_mode="expand")
            # "surgery 3 days ago" dates the symptom when one is told, else not
            ago = text[end : end + 5].startswith(" ago") and any(
                m.entity in ("sensation", "symptom") for m in mentions
            )
            if span is not None and any(
                m.key == "condition:travel_tropics" and 0 <= m.start - span.end <= 3
                for m in mentions
            ):
                continue  # "3 weeks in Ghana": the trip's length
            # a month told as a date ("a crash in thailand last september") is
            # when the story began, never the length of a condition before it
            dated = text[start:end].strip() in MONTH_NAMES
            if span is not None and owners and not ago and not dated:
                owned = False
                for owner in owners:
                    between = doc[owner.end : span.start]
                    if (
                        owner.end <= span.start
                        and len(between) <= _OWNER_GAP
                        and all(t.norm_ in self.gap_words for t in between)
                    ):
                        owned = True
                if owned:
                    continue
            found.append(Mention("duration", value, -1, -1, start, end))
        for age, start, end in ages:
            found.append(Mention("age", age, -1, -1, start, end))
        for reading in readings:
            if reading.fever and not _within_age(reading.start, reading.end, ages):
                found.append(
                    Mention("symptom", "fever", -1, -1, reading.start, reading.end)
                )
        return found


def _normal_readings(readings: List[Reading], mentions: List[Mention]) -> List[Mention]:
    """`mentions` with a fever word that leads to a reading below a fever
    negated ("temp was 37.2"): the number tells there is no fever."""
    normal = [r for r in readings if not r.fever]
    return [
        replace(m, negated=True)
        if m.key == "symptom:fever"
        and any(r.cue <= m.char_start and m.char_end <= r.start for r in normal)
        else m
        for m in mentions
    ]
