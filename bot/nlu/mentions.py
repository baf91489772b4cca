"""Mentions and the word classes the matching and negation stages share.

Why a module of its own: the matching stage (extraction.py) builds mentions and
the negation stage (negation.py) reads and marks them; neither owns the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import AbstractSet, Any, Callable, Iterable, List, Tuple

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from actions.cause_table import parse_fact

#: Adds a rule file's phrases to a matcher on the matching stage's norms
#: (SymptomMatcher._add), so every stage reads a phrase alike.
AddPhrases = Callable[[PhraseMatcher, str, Iterable[str]], None]

MODIFIERS = ("side", "surface")
#: Entities that a negation cue may negate directly.
NEGATABLE = {
    "body_part",
    "onset",
    "course",
    "sensation",
    "symptom",
    "trigger",
    "condition",
}
SENTENCE_END = {".", "!", "?", ";", "\n", "\n\n"}
#: Tokens that start a new statement after "and" / a comma, ending a negation scope.
SUBJECT_WORDS = {
    "i",
    "im",
    "i'm",
    "ive",
    "my",
    "it",
    "its",
    "it's",
    "they",
    "their",
    "he",
    "she",
    "we",
    "this",
    "that",
    "there",
    "is",
    "are",
    "was",
    "were",
    "am",
    "'s",
    "'m",
    "'re",
    "have",
    "has",
    "had",
    "feel",
    "feels",
    "felt",
    "get",
    "gets",
    "got",
}


@dataclass(frozen=True)
class Mention:
    """One matched fact with its token span [start, end) and character offsets."""

    entity: str
    value: Any
    start: int
    end: int
    char_start: int
    char_end: int
    negated: bool = False
    compound: bool = False  # built by a rule: a cue inside it negates it

    @property
    def key(self) -> str:
        return f"{self.entity}:{self.value}"

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Cue:
    """A ConText cue found in a message."""

    category: str
    direction: str
    start: int
    end: int


def make_mention(doc: Doc, key: str, start: int, end: int, **kw: Any) -> Mention:
    """The mention of "entity:value" `key` over tokens [start, end) of `doc`."""
    entity, value = parse_fact(key)
    span = doc[start:end]
    return Mention(entity, value, start, end, span.start_char, span.end_char, **kw)


def overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def inside(a: Mention, b: Mention) -> bool:
    return b.start <= a.start and a.end <= b.end


def longest_first(mentions: List[Mention]) -> List[Mention]:
    """Keep the longest of overlapping mentions (earlier first on ties)."""
    kept: List[Mention] = []
    for m in sorted(mentions, key=lambda m: (-m.length, m.start)):
        if not any(overlaps(m, k) for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def longest_spans(
    matches: Iterable[Tuple[int, int, int]],
) -> List[Tuple[int, int, int]]:
    kept: List[Tuple[int, int, int]] = []
    for mid, s, e in sorted(matches, key=lambda x: (-(x[2] - x[1]), x[1])):
        if not any(s < ke and ks < e for _, ks, ke in kept):
            kept.append((mid, s, e))
    return kept


def longest_spans_keyed(
    spans: Iterable[Tuple[str, int, int]],
) -> List[Tuple[str, int, int]]:
    kept: List[Tuple[str, int, int]] = []
    for key, s, e in sorted(spans, key=lambda x: (-(x[2] - x[1]), x[1])):
        if not any(s < ke and ks < e for _, ks, ke in kept):
            kept.append((key, s, e))
    return kept


def clause_breaks(doc: Doc, soft: bool = True) -> List[int]:
    """Token indexes that end a clause (sentence ends, "but"; with `soft`, commas)."""
    stops = (
        {"but", "however", "although", "though", ",", "whereas", "while"}
        if soft
        else {"but"}
    )
    return [t.i for t in doc if t.text in SENTENCE_END or t.norm_ in stops]


def phrase_at(doc: Doc, start: int, phrase: Tuple[str, ...], before: int) -> bool:
    """True when the words of `phrase` begin at `start` and end before `before`."""
    end = start + len(phrase)
    return (
        0 <= start
        and end <= before
        and tuple(t.norm_ for t in doc[start:end]) == phrase
    )


def followed_by(doc: Doc, index: int, words: AbstractSet[str]) -> bool:
    """True when the token after `index` is one of `words`."""
    return index + 1 < len(doc) and doc[index + 1].norm_ in words


def sentences_around(doc: Doc, index: int, around: int = 0) -> Tuple[int, int]:
    """Token bounds of the sentence holding `index`, widened by `around`
    sentences on each side (its end marks included)."""
    lo = hi = index
    while lo > 0 and doc[lo - 1].text not in SENTENCE_END:
        lo -= 1
    while hi < len(doc) and doc[hi].text not in SENTENCE_END:
        hi += 1
    for _ in range(around):
        while lo > 0 and doc[lo - 1].text in SENTENCE_END:
            lo -= 1
        while lo > 0 and doc[lo - 1].text not in SENTENCE_END:
            lo -= 1
        while hi < len(doc) and doc[hi].text in SENTENCE_END:
            hi += 1
        while hi < len(doc) and doc[hi].text not in SENTENCE_END:
            hi += 1
    return lo, hi


def sentence_ends_in(doc: Doc, lo: int, hi: int) -> bool:
    """True when a sentence ends between tokens `lo` (included) and `hi`."""
    return any(t.text in SENTENCE_END for t in doc[lo:hi])


def crosses(breaks: List[int], lo: int, hi: int) -> bool:
    return any(lo <= b <= hi for b in breaks)
