"""Earlier-stroke stage: a stroke told as had, and what it left, is its lasting effect.

Why: "had a stroke a few years ago that left my right side weak" tells the numbness
an earlier stroke left, not a stroke coming on now; the vocabulary knows only the
phrases that hold both in a row ("since her stroke"). The stroke word and what it
left are told apart in one sentence, so this stage reads them by tokens before the
findings are built (the others-events rule of timeline.yml then still drops a
relative's). The rules are data (earlier_stroke.yml).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, List

from actions.cause_table import parse_fact
from bot.nlu.findings import Item, is_live
from bot.nlu.mentions import SENTENCE_END, sentences_around
from bot.nlu.rule_files import Phrases, find_phrases, project_rules, read_rules, rule

EARLIER_STROKE_PATH = Path(__file__).with_name("earlier_stroke.yml")
_CLAUSE_ENDS = frozenset(SENTENCE_END | {","})


@dataclass(frozen=True)
class EarlierStrokeRules:
    """earlier_stroke.yml, parsed and checked."""

    events: frozenset = rule("events", "earlier_stroke")
    had_words: frozenset = rule("had_words", "earlier_stroke")
    had_window: int = rule("had_window", "earlier_stroke", default=5)
    guess_words: frozenset = rule("guess_words", "earlier_stroke")
    links: Phrases = rule("links", "earlier_stroke")
    end_links: Phrases = rule("end_links", "earlier_stroke")
    window: int = rule("window", "earlier_stroke", default=16)
    makes: str = rule("makes", "earlier_stroke", default="condition:residual_stroke")
    history_makes: str = rule(
        "history_makes", "earlier_stroke", default="condition:stroke_history"
    )
    recent_words: Phrases = rule("recent_words", "earlier_stroke")


def load_earlier_stroke_rules(path: Path = EARLIER_STROKE_PATH) -> EarlierStrokeRules:
    """Read earlier_stroke.yml; unknown keys fail naming the file and key."""
    return read_rules(EarlierStrokeRules, path)


def _item_at(doc: Any, index: int, fact: str) -> Item:
    """The item of `fact` at the token `index`."""
    entity, value = parse_fact(fact)
    token = doc[index]
    return Item(entity, value, token.idx, token.idx + len(token.text), index, index + 1)


class EarlierStroke:
    """Adds the lasting effect of a stroke told as had, with what it left."""

    def __init__(self, rules: EarlierStrokeRules | None = None) -> None:
        self.rules = rules or project_rules(EarlierStrokeRules, EARLIER_STROKE_PATH)

    def apply(self, doc: Any, items: List[Item]) -> None:
        """Append the `makes` item to `items` once, at the stroke word; a stroke
        told as had with nothing it left named, and not today's, is an earlier
        stroke (`history_makes`) instead."""
        rules = self.rules
        if any(is_live(i) and i.key == rules.makes for i in items):
            return
        words = [token.norm_ for token in doc]
        history = None
        for index, word in enumerate(words):
            if word not in rules.events:
                continue
            lo, hi = sentences_around(doc, index)
            if not self._told_as_had(words, index, lo):
                continue
            if self._left_something(words, index, hi):
                items.append(_item_at(doc, index, rules.makes))
                return
            if history is None and not find_phrases(words, rules.recent_words, lo, hi):
                history = index
        if history is not None and not any(
            is_live(i) and i.key == rules.history_makes for i in items
        ):
            items.append(_item_at(doc, history, rules.history_makes))

    def _told_as_had(self, words: List[str], index: int, lo: int) -> bool:
        """A `had_words` word shortly before the stroke word in its sentence (from
        `lo`), with no guess before that word."""
        rules = self.rules
        for at in range(index - 1, max(lo, index - rules.had_window) - 1, -1):
            if words[at] in rules.had_words:
                before = words[max(0, at - rules.had_window) : at]
                return not (set(before) & rules.guess_words)
        return False

    def _left_something(self, words: List[str], index: int, hi: int) -> bool:
        """A link within `window` words after the stroke word in its sentence (up
        to `hi`), or an end link that closes a clause there."""
        rules = self.rules
        end = min(hi, index + 1 + rules.window)
        within = words[:end]
        if find_phrases(within, rules.links, index + 1, end):
            return True
        for link in rules.end_links:
            for at in find_phrases(within, (link,), index + 1, end):
                after = at + len(link)
                if after >= len(words) or words[after] in _CLAUSE_ENDS:
                    return True
        return False
