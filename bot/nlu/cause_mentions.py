"""Cause mentions: a cause is named only when asked about or suggested.

Why a stage of its own: "could it be sciatica?" names a cause, "my sciatica"
in a story is a condition; a cue before the name in the same clause, or a
question after it, makes it a cause mention. Cause names come from
actions/causes.yml (names, aliases) and patterns.yml (`cause_aliases`); a
condition suggested as the explanation is the cause that weighs it most.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Set, Tuple

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from actions.cause_table import parse_fact
from bot.nlu.mentions import (
    SENTENCE_END,
    AddPhrases,
    Mention,
    clause_breaks,
    crosses,
    longest_spans_keyed,
    make_mention,
)
from bot.nlu.normalise import normalise_word

Norms = Callable[[str], List[str]]


class CauseMentions:
    """Finds cause names that are asked about; build once per matcher."""

    def __init__(
        self,
        nlp: Any,
        causes: List[Dict[str, Any]],
        patterns: Dict[str, Any],
        add: AddPhrases,
        norms: Norms,
        known_words: Set[str],
    ) -> None:
        self.nlp = nlp
        self.causes = causes
        self.patterns = patterns
        self._add = add
        self._norms = norms
        self._known_words = known_words
        self._build_causes()

    def _build_causes(self) -> None:
        self.cause_matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self.condition_cause: Dict[str, str] = {}
        extra = self.patterns.get("cause_aliases") or {}
        best: Dict[str, Tuple[float, str]] = {}
        for row in self.causes:
            cid = str(row["id"])
            phrases = [str(row.get("name") or ""), cid.replace("_", " ")]
            phrases += [str(a) for a in row.get("aliases") or []]
            phrases += [str(a) for a in extra.get(cid) or []]
            phrases = [p for p in phrases if p]
            self._add(self.cause_matcher, f"cause:{cid}", phrases)
            for phrase in phrases:
                self._known_words.update(self._norms(phrase))
            typical = ((row.get("presentation") or {}).get("typical")) or {}
            for fact, weight in typical.items():
                if str(fact).startswith("condition:"):
                    cond = parse_fact(fact)[1]
                    if cond not in best or float(weight) > best[cond][0]:
                        best[cond] = (float(weight), cid)
        self.condition_cause = {cond: cid for cond, (_, cid) in best.items()}
        self.question_openers = {
            normalise_word(w) for w in self.patterns.get("question_openers") or []
        }
        self.cause_cue_matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        for kind, key in (
            ("cue", "cause_cues"),
            ("weak", "weak_cause_cues"),
            ("post", "cause_post_cues"),
        ):
            self._add(self.cause_cue_matcher, kind, self.patterns.get(key) or [])

    def find(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        kinds: Dict[str, List[Tuple[int, int]]] = {"cue": [], "weak": [], "post": []}
        for match_id, s, e in self.cause_cue_matcher(doc):
            kinds[doc.vocab.strings[match_id]].append((s, e))
        explicit = kinds["cue"]
        openers = [(i, i + 1) for i in self._sentence_starts(doc)]
        cues = explicit + kinds["weak"] + openers
        question = [t.i for t in doc if t.text == "?"]
        question += [s + 1 for s, _ in kinds["post"]]
        if not cues and not question:
            return []
        hard_breaks = [t.i for t in doc if t.text in SENTENCE_END]
        from_condition: Set[Tuple[str, int, int]] = set()
        breaks = clause_breaks(doc, soft=False)
        candidates: List[Tuple[str, int, int]] = []
        for match_id, start, end in self.cause_matcher(doc):
            candidates.append((doc.vocab.strings[match_id], start, end))
        named = set(candidates)
        for m in other:
            if m.entity == "condition" and m.value in self.condition_cause:
                key = f"cause:{self.condition_cause[m.value]}"
                candidates.append((key, m.start, m.end))
                from_condition.add((key, m.start, m.end))
        found: List[Mention] = []
        for key, start, end in longest_spans_keyed(candidates):
            if any(
                m.length > end - start
                and m.start <= start
                and m.end >= end
                and m.entity != "condition"
                for m in other
            ):
                continue
            derived = (key, start, end) in from_condition and (
                key,
                start,
                end,
            ) not in named
            usable = explicit if derived else cues
            cued = any(
                ce <= start and start - ce <= 12 and not crosses(breaks, cs, start)
                for cs, ce in usable
            ) or (
                not derived
                and any(
                    q >= end and q - end <= 10 and not crosses(hard_breaks, end, q - 2)
                    for q in question
                )
            )
            if cued:
                found.append(make_mention(doc, key, start, end))
        return found

    def _sentence_starts(self, doc: Doc) -> List[int]:
        """First tokens of sentences that open with a question word."""
        starts = []
        at_start = True
        for token in doc:
            if token.is_space or (at_start and token.is_punct):
                continue
            if at_start and token.norm_ in self.question_openers:
                starts.append(token.i)
            at_start = token.text in SENTENCE_END
        return starts
