"""Mentions and the word classes the matching and negation stages share.

Why a module of its own: the matching stage (extraction.py) builds mentions and
the negation stage (negation.py) reads and marks them; neither owns the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
