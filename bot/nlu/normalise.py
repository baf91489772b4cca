"""Normalisation and spelling stage: cleaned text, normalised words, typo fixes.

Why its own stage: every later stage reads token norms, so a typo ("numbnes",
"legz") or a stretched word ("sooo") must be mended once, here. Misspellings
are mapped to the nearest vocabulary word with rapidfuzz (1 edit, same first
letter; a long word may be a longer form of a vocabulary word, "electrical");
words of any pattern are never "corrected".
Offsets are kept: the cleaned text has the input's length.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Dict, Optional, Set

from rapidfuzz import process
from rapidfuzz.distance import OSA
from spacy.tokens import Doc

IRREGULAR = {
    "feet": "foot",
    "calves": "calf",
    "halves": "half",
    "knives": "knife",
    "aids": "aids",
    # plurals that are another word than their singular ("a private clinic")
    "privates": "privates",
}
_REPEATS = re.compile(r"(.)\1{2,}")


def clean_text(text: Any) -> str:
    """Lower-case `text` one character at a time, blanking what cannot be read.

    The result has the same length as the input, so entity offsets computed on it
    are offsets into the original message.
    """
    if not isinstance(text, str):
        return ""
    out = []
    for char in text:
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            out.append(" ")
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") and char != "\n":
            out.append(" ")
            continue
        if char in "\u2019\u2018\u02bc`´":
            out.append("'")
            continue
        low = char.lower()
        out.append(low if len(low) == 1 else char)
    return "".join(out)


def normalise_word(word: str) -> str:
    """A crude stem shared by patterns and messages: plural "s" and repeats gone."""
    word = _REPEATS.sub(r"\1\1", word.lower())
    if word in IRREGULAR:
        return IRREGULAR[word]
    if (
        len(word) > 3
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is", "'s"))
        and word.isalpha()
    ):
        word = word[:-1]
    return IRREGULAR.get(word, word)


class Speller:
    """Sets each token's norm: stem, plural typo, pronoun norm, fuzzy correction."""

    def __init__(
        self,
        synonym_words: Set[str],
        known_words: Set[str],
        fuzzy: Dict[str, Any],
        pronoun_norms: Dict[str, str],
    ) -> None:
        self.synonym_words = synonym_words
        self.known_words = known_words | {
            normalise_word(w) for w in fuzzy.get("protected_words") or []
        }
        self.min_length = int(fuzzy.get("min_length", 5))
        self.long_word = int(fuzzy.get("long_word", 8))
        self.pronoun_norms = pronoun_norms
        self.targets = sorted(w for w in synonym_words if len(w) >= 4 and w.isalpha())
        self.correct = lru_cache(maxsize=20000)(self._correct)

    def _correct(self, word: str) -> Optional[str]:
        """The vocabulary word `word` is a likely misspelling of, or None."""
        if (
            len(word) < self.min_length
            or not word.isalpha()
            or word in self.known_words
        ):
            return None
        limit = 2 if len(word) >= self.long_word else 1
        found = process.extractOne(
            word, self.targets, scorer=OSA.distance, score_cutoff=limit
        )
        if not found:
            return None
        target, distance = found[0], found[1]
        if target[0] != word[0] and len(word) < self.long_word:
            return None
        if distance > 1 and not word.startswith(target):
            # two edits make another word ("screaming" is no "spreading"); only
            # a longer form of a vocabulary word ("electrical") is taken
            return None
        if target.endswith(word):
            # the whole word with a prefix added is another word, often its
            # opposite ("sensitive" is not "insensitive"), never a misspelling
            return None
        return target

    def normalise(self, doc: Doc) -> Doc:
        """Set every token's norm in place and return the doc."""
        for token in doc:
            norm = normalise_word(token.norm_)
            if (
                token.is_alpha
                and len(norm) > 3
                and norm.endswith("z")
                and normalise_word(norm[:-1] + "s") in self.synonym_words
            ):
                norm = normalise_word(norm[:-1] + "s")  # "legz", "toez": plural typo
            norm = self.pronoun_norms.get(norm, norm)
            if token.is_alpha:
                fixed = self.correct(norm)
                if fixed:
                    norm = fixed
            token.norm_ = norm
        return doc
