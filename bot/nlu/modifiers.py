"""Modifiers: side and surface words, and which body part a part belongs to.

Why a stage of its own: a side word counts only next to a body part or an
anchor ("left leg", "on the left side"), a surface word only before or after a
part ("outside of my thigh"), a narrower part said with the part it belongs to
is tagged alone ("toes on my left foot"), and a one-sided hand does not set the
side of legs said to be both. Rules: patterns.yml.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Tuple

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.nlu.mentions import (
    SENTENCE_END,
    Mention,
    longest_spans,
    make_mention,
    phrase_at,
)
from bot.nlu.normalise import normalise_word

Norms = Callable[[str], List[str]]


class ModifierRules:
    """Sides, surfaces and narrower parts; build once per matcher."""

    def __init__(
        self, patterns: Dict[str, Any], side_matcher: PhraseMatcher, norms: Norms
    ) -> None:
        pats = patterns
        self.side_matcher = side_matcher
        self.part_of = {k: set(v) for k, v in (pats.get("part_of") or {}).items()}
        self.surface_fillers = {
            normalise_word(w) for w in pats.get("surface_fillers") or []
        }
        self.surface_words: Dict[Tuple[str, ...], str] = {}
        for value, words in (pats.get("surface_words") or {}).items():
            for word in words:
                self.surface_words[tuple(norms(word))] = value
        self.side_anchors = {normalise_word(w) for w in pats.get("side_anchors") or []}
        self.side_not_after = [
            tuple(norms(w)) for w in pats.get("side_not_after") or []
        ]
        self.side_told_after = {
            normalise_word(w) for w in pats.get("side_told_after") or []
        }
        self.side_preceders = [
            tuple(norms(p)) for p in pats.get("side_preceders") or []
        ]
        self.upper_parts = set(pats.get("upper_body_parts") or [])

    def drop_wider_parts(self, doc: Doc, body: List[Mention]) -> List[Mention]:
        """ "toes on my left foot" is toes alone: drop the wider part named with it."""
        links = ("of", "on", "in", "at")
        drop = set()
        for narrow in body:
            wider = self.part_of.get(narrow.value)
            if not wider:
                continue
            for j, other in enumerate(body):
                if other.value not in wider:
                    continue
                lo, hi = (
                    (narrow, other) if narrow.start < other.start else (other, narrow)
                )
                between = doc[lo.end : hi.start]
                if (
                    len(between) <= 4
                    and all(
                        t.norm_ in self.surface_fillers or t.norm_ in links
                        for t in between
                    )
                    and any(t.norm_ in links for t in between)
                ):
                    drop.add(j)
        return [m for k, m in enumerate(body) if k not in drop]

    def sides(self, doc: Doc, body: List[Mention]) -> List[Mention]:
        found: List[Mention] = []
        body_starts = {m.start for m in body}
        anchors = self.side_anchors
        for match_id, start, end in longest_spans(self.side_matcher(doc)):
            key = doc.vocab.strings[match_id]
            prior = start - 1
            if prior > 0 and doc[prior].norm_ in ("the", "my"):
                prior -= 1  # "weaker than the right"
            told_of_a_part = (
                prior < start - 1
                and end in body_starts
                and doc[prior].norm_ in self.side_told_after
            )
            if (
                prior >= 0
                and not told_of_a_part
                and any(
                    phrase_at(doc, prior + 1 - len(w), w, prior + 1)
                    for w in self.side_not_after
                )
                and doc[end - 1].norm_ in ("right", "left")  # never "feel both legs"
            ):
                continue
            words = [t.norm_ for t in doc[start:end]]
            ok = len(words) > 1 and (
                any(w in anchors for w in words)
                or any(m.start < end and m.end > start for m in body)
            )
            if not ok:
                # a body part or an anchor word right after ("left leg", "left side")
                for j in range(end, min(end + 4, len(doc))):
                    if j in body_starts or doc[j].norm_ in anchors:
                        ok = True
                        break
                    if doc[j].norm_ not in self.surface_fillers and doc[
                        j
                    ].norm_ not in ("and", "or", "&", ","):
                        break
            if not ok and key != "side:one":
                before = tuple(t.norm_ for t in doc[max(0, start - 2) : start])
                after_ok = end >= len(doc) or not doc[end].is_alpha
                ok = after_ok and any(
                    before[-len(p) :] == p for p in self.side_preceders
                )
            if ok:
                found.append(make_mention(doc, key, start, end))
        return found

    def drop_upper_limb_sides(
        self, modifiers: List[Mention], body: List[Mention]
    ) -> List[Mention]:
        """ "my right hand ... both legs": the hand's side is not the legs' side.

        `side` describes the legs; when they are said to be both, a one-sided
        word that belongs to an arm, hand or face is dropped.
        """
        if not any(m.key == "side:both" for m in modifiers):
            return modifiers
        kept = []
        for m in modifiers:
            if m.entity == "side" and m.value != "both":
                owner = min(
                    (b for b in body if b.end > m.start and b.start - m.end <= 3),
                    key=lambda b: b.start,
                    default=None,
                )
                if owner is not None and owner.value in self.upper_parts:
                    continue
            kept.append(m)
        return kept

    def surfaces(self, doc: Doc, body: List[Mention]) -> List[Mention]:
        found: List[Mention] = []
        words = self.surface_words
        for part in body:
            j = part.start - 1
            hit = None
            steps = 0
            while j >= 0 and steps < 6:
                norm = doc[j].norm_
                two = (doc[j - 1].norm_, norm) if j > 0 else None
                if two in words:
                    hit = (words[two], j - 1, j + 1)
                    break
                if (norm,) in words and not (
                    norm == "side"
                    and j > 0
                    and doc[j - 1].norm_ in ("one", "left", "right", "both", "each")
                ):
                    hit = (words[(norm,)], j, j + 1)
                    break
                if norm not in self.surface_fillers:
                    break
                j -= 1
                steps += 1
            if hit is None:  # "my thigh is numb on the outside"
                for k in range(part.end, min(part.end + 7, len(doc) - 1)):
                    if doc[k].text in SENTENCE_END or doc[k].norm_ in (
                        ",",
                        "and",
                        "but",
                    ):
                        break
                    if doc[k].norm_ not in ("on", "at", "along", "down"):
                        continue
                    j = k + 1
                    if j < len(doc) - 1 and doc[j].norm_ in ("the", "my", "its"):
                        j += 1
                    two = (doc[j].norm_, doc[j + 1].norm_) if j + 1 < len(doc) else None
                    if two in words:
                        hit = (words[two], j, j + 2)
                    elif (doc[j].norm_,) in words and doc[j].norm_ != "side":
                        hit = (words[(doc[j].norm_,)], j, j + 1)
                    if hit:
                        break
            if hit:
                found.append(make_mention(doc, f"surface:{hit[0]}", hit[1], hit[2]))
        return found

    def bare_answer(self, doc: Doc) -> List[Mention]:
        """A reply that is only a number ("38": an age) or a side ("the left one")."""
        words = [t for t in doc if not (t.is_punct or t.is_space)]
        if (
            len(words) == 1
            and words[0].text.isdigit()
            and 1 <= int(words[0].text) <= 120
        ):
            t = words[0]
            return [Mention("age", int(t.text), t.i, t.i + 1, t.idx, t.idx + len(t))]
        fillers = {
            "the",
            "my",
            "one",
            "on",
            "only",
            "just",
            "side",
            "it",
            "'s",
            "is",
            "in",
        }
        rest = [t for t in words if t.norm_ not in fillers]
        if not 1 <= len(rest) <= 2:
            return []
        for match_id, start, end in self.side_matcher(doc):
            if all(start <= t.i < end for t in rest):
                return [make_mention(doc, doc.vocab.strings[match_id], start, end)]
        return []
