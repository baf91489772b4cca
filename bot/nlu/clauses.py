"""Clause segmentation: the unit that findings and context cues live in.

Why a clause and not a sentence: people chain statements with commas and
"and" ("my speech is fine and my leg is numb"); a negation, a time cue or a body
word belongs to its own statement, so scope stops where a new one starts.
The rules are data (clauses.yml).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from spacy.tokens import Doc

from bot.nlu.rule_files import load_rule_file

CLAUSES_PATH = Path(__file__).with_name("clauses.yml")
_KEYS = ("sentence_ends", "breaks", "joiners", "openers", "not_breaks_after")


@dataclass(frozen=True)
class Clause:
    """Tokens [start, end) of one clause; `sentence` counts sentences from 0."""

    index: int
    start: int
    end: int
    char_start: int
    char_end: int
    sentence: int


@dataclass(frozen=True)
class ClauseRules:
    """The word lists of clauses.yml."""

    sentence_ends: frozenset
    breaks: frozenset
    joiners: frozenset
    openers: frozenset
    not_breaks_after: frozenset


def load_clause_rules(path: Path = CLAUSES_PATH) -> ClauseRules:
    """Read clauses.yml (unknown keys fail)."""
    data = load_rule_file(path, _KEYS)
    return ClauseRules(*(frozenset(str(w) for w in data.get(k) or []) for k in _KEYS))


@lru_cache(maxsize=1)
def get_clause_rules() -> ClauseRules:
    """The project's clause rules, read once."""
    return load_clause_rules()


def split_clauses(doc: Doc, rules: ClauseRules | None = None) -> List[Clause]:
    """Cut `doc` into clauses; every token belongs to exactly one clause."""
    rules = rules or get_clause_rules()
    clauses: List[Clause] = []
    start = 0
    sentence = 0

    def close(end: int) -> None:
        nonlocal start
        if end > start:
            span = doc[start:end]
            clauses.append(
                Clause(
                    len(clauses),
                    start,
                    end,
                    span.start_char,
                    span.end_char,
                    sentence,
                )
            )
        start = end

    for token in doc:
        text = token.text
        if text in rules.sentence_ends or (text.strip() == "" and "\n" in text):
            close(token.i + 1)
            sentence += 1
            continue
        norm = token.norm_
        if (norm in rules.breaks or text in rules.breaks) and not (
            token.i > 0 and doc[token.i - 1].lower_ in rules.not_breaks_after
        ):
            close(token.i)
            continue
        if norm in rules.joiners or text in rules.joiners:
            following = token.i + 1
            if following < len(doc) and (
                doc[following].norm_ in rules.openers
                or doc[following].text in rules.openers
            ):
                close(token.i)
    close(len(doc))
    return clauses


def clause_of_char(clauses: List[Clause], char: int) -> int:
    """Index of the clause holding character offset `char` (the last one at worst)."""
    for clause in clauses:
        if char < clause.char_end:
            return clause.index
    return clauses[-1].index if clauses else 0


def token_maps(clauses: Sequence[Clause]) -> Tuple[Dict[int, int], Dict[int, Clause]]:
    """Sentence index and clause of every token the clauses cover."""
    sentence_of: Dict[int, int] = {}
    clause_of: Dict[int, Clause] = {}
    for clause in clauses:
        for i in range(clause.start, clause.end):
            sentence_of[i] = clause.sentence
            clause_of[i] = clause
    return sentence_of, clause_of
