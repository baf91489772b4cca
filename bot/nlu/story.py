"""Base of the stages that read a message's story after attribution.

Why: the timeline, functional-loss and sudden-change stages all read the
order of the message (which words come in which sentence and clause, what its
findings are); that view is built once per message here, and a message with no
clauses has no story to read.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from spacy.tokens import Doc

from actions.cause_table import parse_fact
from bot.nlu.clauses import Clause, token_maps
from bot.nlu.findings import Finding, Item


@dataclass(frozen=True)
class Story:
    """One message as a story stage reads it."""

    doc: Doc
    clauses: Sequence[Clause]
    words: List[str]
    sentence_of: Dict[int, int]
    clause_of: Dict[int, Clause]
    findings: Sequence[Finding]


def read_story(
    doc: Doc, clauses: Sequence[Clause], findings: Sequence[Finding] = ()
) -> Optional[Story]:
    """The story view of one message, built once for every story stage; None
    when it has no clauses (nothing to read)."""
    if not clauses:
        return None
    sentence_of, clause_of = token_maps(clauses)
    words = [t.lower_ for t in doc]
    return Story(doc, clauses, words, sentence_of, clause_of, findings)


class StoryStage(ABC):
    """A stage that changes a message's items by reading its story."""

    @abstractmethod
    def read(self, story: Story, items: List[Item]) -> None:
        """Change `items` in place (and add to the story's findings)."""


def add_story_fact(
    doc: Doc,
    key: str,
    token: int,
    owner: Item,
    items: List[Item],
    findings: Sequence[Finding],
    end: int = 0,
) -> Item:
    """A fact read from the story's order, added to the owner's finding.

    Why: the fact is the story's, not a word's, so it sits on the word that
    tells it (`token`, up to `end`) and joins the finding of what it is about.
    """
    entity, value = parse_fact(key)
    end = max(end, token + 1)
    span = doc[token:end]
    made = Item(
        entity, value, span.start_char, span.end_char, token, end, group=owner.group
    )
    items.append(made)
    for finding in findings:
        if finding.group == owner.group:
            finding.items.append(made)
    return made
