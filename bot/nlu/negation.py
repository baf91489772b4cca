"""Negation stage: which mentions the person denies ("no back pain", "arms are fine").

ConText-style cues from context_rules.json (medspaCy's rule format): a cue's
scope runs forward (or backward for "are fine") through its clause, stopped by
sentence ends, terminators ("but", "just") and a comma or "and" that opens a new
statement. Negated mentions get `negated=True`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, List, Sequence, Set, Tuple

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from bot.nlu.mentions import (
    MODIFIERS,
    NEGATABLE,
    SENTENCE_END,
    SUBJECT_WORDS,
    AddPhrases,
    Cue,
    Mention,
)

#: First words of the cues that sum up a list before them ("all normal").
SUMMING_WORDS = frozenset({"all", "both", "everything"})
#: Cues that a negation just before them turns into a statement: "I can't sit
#: without my leg going numb" says the numbness always comes.
EXCEPT_WORDS = frozenset({"without"})
#: Negating words (token norms) that make such a cue a double negation.
NEGATING_NORMS = frozenset({"not", "never", "cannot", "unable", "cant", "couldnt"})
#: How many tokens before the cue the negating word may stand.
DOUBLE_NEGATION_WINDOW = 8


class NegationStage:
    """Marks negated mentions; build once from the ConText rules."""

    def __init__(
        self, nlp: Language, rules: List[Dict[str, str]], add: AddPhrases
    ) -> None:
        self.nlp = nlp
        self.cue_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self._cue_info: Dict[str, Tuple[str, str]] = {}
        for index, rule in enumerate(rules):
            key = f"cue{index}"
            self._cue_info[key] = (rule["category"], rule["direction"])
            add(self.cue_matcher, key, [rule["literal"]])

    def category(self, match_id: int) -> str:
        """The ConText category of a cue match (NEGATED_EXISTENCE, PSEUDO, ...)."""
        return self._cue_info[self.nlp.vocab.strings[match_id]][0].upper()

    def cues(self, doc: Doc, mentions: Sequence[Mention]) -> List[Cue]:
        raw = []
        for match_id, start, end in self.cue_matcher(doc):
            category, direction = self._cue_info[self.nlp.vocab.strings[match_id]]
            raw.append(Cue(category.upper(), direction.upper(), start, end))
        pseudo = [c for c in raw if c.direction == "PSEUDO"]
        cues = []
        for cue in raw:
            if cue.direction == "PSEUDO":
                continue
            if any(p.start <= cue.start and cue.end <= p.end for p in pseudo):
                continue
            if any(
                not m.compound
                and m.start <= cue.start
                and cue.end <= m.end
                and m.entity not in MODIFIERS
                for m in mentions
            ):
                continue  # the cue is part of a synonym: "no feeling", "can't move"
            if (
                cue.direction != "TERMINATE"
                and cue.end - cue.start == 1
                and doc[cue.start].norm_ in ("no", "nope")
                and (cue.end >= len(doc) or doc[cue.end].is_punct)
            ):
                continue  # "No, it started last week": an answer, not a negation
            cues.append(cue)
        return self._without_double_negations(doc, cues)

    @staticmethod
    def _summed_denials(doc: Doc, mentions: Sequence[Mention]) -> List[Cue]:
        """A phrase that names its value as absent, opened by a summing word,
        sums up the symptoms listed before it: "peeing and everything down there
        is normal" denies the peeing too (a backward cue at the summing word),
        never "my toes are numb and everything down there is fine"."""
        cues = []
        for m in mentions:
            if not m.negated or m.compound or m.start < 1:
                continue
            if doc[m.start - 1].norm_ not in SUMMING_WORDS:
                continue
            before = [b for b in mentions if b.end < m.start]
            if before and max(before, key=lambda b: b.end).entity == "symptom":
                cues.append(Cue("NEGATED_EXISTENCE", "BACKWARD", m.start - 1, m.start))
        return cues

    def _without_double_negations(self, doc: Doc, cues: List[Cue]) -> List[Cue]:
        """Drop "without" told after a negation of its own sentence part ("can't
        stand for long without my feet going numb"), and that negation too: the
        two cancel, and what follows is said to happen."""
        dropped: Set[int] = set()
        for index, cue in enumerate(cues):
            if doc[cue.start : cue.end].text.lower() not in EXCEPT_WORDS:
                continue
            start = cue.start
            while start > 0 and cue.start - start < DOUBLE_NEGATION_WINDOW:
                token = doc[start - 1]
                if token.text in SENTENCE_END or token.norm_ in (",", "but"):
                    break
                start -= 1
            negators = [
                t.i for t in doc[start : cue.start] if t.norm_ in NEGATING_NORMS
            ]
            if not negators:
                continue
            dropped.add(index)
            dropped |= {
                i
                for i, other in enumerate(cues)
                if other.start <= negators[-1] < other.end
            }
        return [c for i, c in enumerate(cues) if i not in dropped]

    def negate(self, doc: Doc, mentions: List[Mention]) -> List[Mention]:
        cues = self.cues(doc, mentions) + self._summed_denials(doc, mentions)
        negators = [c for c in cues if c.direction != "TERMINATE"]
        if not negators:
            return mentions
        terminators = {
            i for c in cues if c.direction == "TERMINATE" for i in range(c.start, c.end)
        }
        negated: Set[int] = set()
        targets = [
            (i, m)
            for i, m in enumerate(mentions)
            if m.entity in NEGATABLE or m.entity == "cause"
        ]
        for i, m in targets:
            if m.compound and any(
                m.start <= c.start and c.end <= m.end for c in negators
            ):
                negated.add(i)
        # "my left leg is fine": the side said with a part that is fine goes too
        backward_targets = targets + [
            (i, m) for i, m in enumerate(mentions) if m.entity == "side"
        ]
        for cue in negators:
            if cue.direction in ("FORWARD", "BIDIRECTIONAL"):
                negated |= self._scope(doc, targets, cue, terminators, forward=True)
            if cue.direction in ("BACKWARD", "BIDIRECTIONAL"):
                negated |= self._scope(
                    doc, backward_targets, cue, terminators, forward=False
                )
        return [
            replace(m, negated=True) if i in negated else m
            for i, m in enumerate(mentions)
        ]

    def _scope(
        self,
        doc: Doc,
        targets: List[Tuple[int, Mention]],
        cue: Cue,
        terminators: Set[int],
        forward: bool,
    ) -> Set[int]:
        hit: Set[int] = set()
        if forward:
            ordered = sorted(
                (t for t in targets if t[1].start >= cue.end), key=lambda t: t[1].start
            )
            previous_end = cue.end
        else:
            ordered = sorted(
                (t for t in targets if t[1].end <= cue.start), key=lambda t: -t[1].end
            )
            previous_end = cue.start
        first = True
        # "my speech and eyesight, all normal": a summing-up cue reaches back
        # over the commas of the list it sums up (never over a numbness told)
        summing = not forward and doc[cue.start].norm_ in SUMMING_WORDS
        for index, mention in ordered:
            lo, hi = (
                (previous_end, mention.start)
                if forward
                else (mention.end, previous_end)
            )
            gap = doc[lo:hi]
            if any(t.text in SENTENCE_END or t.i in terminators for t in gap):
                break
            listed = (
                summing
                and [t.norm_ for t in gap] == [","]
                and mention.entity != "sensation"
            )
            if (
                not forward
                and not listed
                and (any(t.norm_ == "," for t in gap) or (first and len(gap) > 3))
            ):
                break  # "arms and face are fine": only the subject just before
            if first and len(gap) > 6:
                break
            if forward and self._gap_breaks(doc, gap, hi):
                break
            if (
                not forward
                and not first
                and not listed
                and self._gap_breaks(doc, gap, hi)
            ):
                break
            hit.add(index)
            first = False
            previous_end = mention.end if forward else mention.start
        return hit

    def _gap_breaks(self, doc: Doc, gap: Span, following: int) -> bool:
        """True when the words between two mentions open a new statement."""
        norms = [t.norm_ for t in gap]
        if len(norms) > 6:
            return True
        if "," in norms:
            # "no pain, weakness or numbness" is one list; "no pain, numb toes" is not
            rest = []
            for t in doc[following:]:
                if t.text in SENTENCE_END or t.norm_ in (",", "but"):
                    break
                rest.append(t.norm_)
            if not any(w in ("or", "nor", "any") for w in norms + rest):
                return True
        if any(w in ("and", ",", ":", "then", "plus", "&") for w in norms):
            # ... the subject may open the mention itself ("and its better")
            return any(w in SUBJECT_WORDS for w in norms) or (
                following < len(doc) and doc[following].norm_ in SUBJECT_WORDS
            )
        return False
