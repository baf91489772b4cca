"""Abilities: a negated ability names the symptom it constitutes.

Why a stage of its own: "couldn't control my bowels", "can't really feel my
foot", "I can barely walk" are symptoms whose words hold a negation cue; the
mention spans the cue, so the negation stage never negates the symptom it
makes. "I can hold my wee fine" names the value as absent. A cue of several
words may hold filler words ("haven't actually managed to pee"). Rules:
patterns.yml `inability`.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, List, Optional, Set, Tuple

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from bot.nlu.mentions import (
    SENTENCE_END,
    AddPhrases,
    Mention,
    followed_by,
    make_mention,
)
from bot.nlu.normalise import normalise_word

Norms = Callable[[str], List[str]]

#: a pronoun object between two verbs one cue governs ("feel it or lift it")
OBJECTS = ("it", "them")


class AbilityRules:
    """Negated and stated abilities; build once per matcher."""

    def __init__(
        self,
        nlp: Any,
        patterns: Dict[str, Any],
        add: AddPhrases,
        norms: Optional[Norms] = None,
    ) -> None:
        inability = patterns.get("inability") or {}
        self.inability_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.inability_matcher, "cue", inability.get("cues") or [])
        add(self.inability_matcher, "can", inability.get("ability_cues") or [])
        self.ability_values = set(inability.get("ability_values") or [])
        self.inability_skip = {normalise_word(w) for w in inability.get("skip") or []}
        self.gapped_matcher = _gapped_cues(
            nlp, inability.get("cues") or [], self.inability_skip, norms
        )
        inverted = inability.get("inverted") or {}
        #: "why can't I walk": the subject after the cue, in a question
        self.inverted_openers = {
            normalise_word(w) for w in inverted.get("openers") or []
        }
        self.inverted_subjects = {
            normalise_word(w) for w in inverted.get("subjects") or []
        }
        self.inability_window = int(inability.get("window", 7))
        elided = inability.get("elided") or {}
        self.elided_window = int(elided.get("window", 0))
        self.elided_links = {normalise_word(w) for w in elided.get("links") or []}
        #: objects a task verb may act on (patterns.yml `things`): "can't get my
        #: shoes off" is about the shoes, unless the rule needs that object
        self.things = {normalise_word(w) for w in patterns.get("things") or []}
        self.inability_rules = [
            (
                {normalise_word(w) for w in rule.get("verbs") or []},
                {normalise_word(w) for w in rule.get("needs") or []},
                str(rule["value"]),
                {normalise_word(w) for w in rule.get("not_then") or []},
            )
            for rule in inability.get("rules") or []
        ]
        #: rules that also hold when the verb ends its clause ("couldn't stand,")
        self.at_end = {
            index
            for index, rule in enumerate(inability.get("rules") or [])
            if rule.get("at_end")
        }

    def inability(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """ "couldn't control my bowels": the negated ability is the symptom.

        The mention spans the negation cue, so the cue never negates the symptom
        it constitutes (a cue inside a plain mention is ignored by `_cues`).
        """
        found = []
        matches: List[Tuple[int, int, int]] = list(self.inability_matcher(doc))
        if self.gapped_matcher is not None:
            matches += [m for m in self.gapped_matcher(doc) if m not in matches]
        for match_id, start, end in matches:
            able = doc.vocab.strings[match_id] == "can"
            j = end
            if (
                start > 0
                and doc[start - 1].norm_ in self.inverted_openers
                and j < len(doc)
                and doc[j].norm_ in self.inverted_subjects
            ):
                j += 1
            while j < len(doc) and doc[j].norm_ in self.inability_skip:
                j += 1
            if not able and _ends_clause(doc, j):
                found += self._elided(doc, start, end)
                continue
            if j >= len(doc):  # "yes i can": a stated ability with no task
                continue
            verbs_at = [j, *_coordinated_verb(doc, j)]
            for at in verbs_at:
                found += self._verb_rule(doc, other, start, at, able)
        return found

    def _verb_rule(
        self, doc: Doc, other: List[Mention], start: int, j: int, able: bool
    ) -> List[Mention]:
        """The first rule of the verb at `j` that holds, as one mention from `start`."""
        found = []
        verb = doc[j].norm_
        for index, (verbs, needs, value, not_then) in enumerate(self.inability_rules):
            if verb not in verbs or (able and value not in self.ability_values):
                continue
            stop = None
            if not needs or (index in self.at_end and _ends_clause(doc, j + 1)):
                stop = j + 1
            for k in range(j + 1, min(len(doc), j + 1 + self.inability_window)):
                if stop is not None:
                    break
                token = doc[k]
                if token.text in SENTENCE_END or token.norm_ in (",", "but", "and"):
                    break
                if token.norm_ in self.things and token.norm_ not in needs:
                    break
                if (token.norm_ in needs and not followed_by(doc, k, not_then)) or any(
                    o.key == value and o.start <= k < o.end for o in other
                ):
                    stop = max(
                        k + 1,
                        *(
                            o.end
                            for o in other
                            if o.start <= k < o.end and o.key == value
                        ),
                        k + 1,
                    )
            if stop is not None:
                found.append(make_mention(doc, value, start, stop, negated=able))
                break
        return found

    def _elided(self, doc: Doc, start: int, end: int) -> List[Mention]:
        """ "i tried to walk but i cant": a cue that ends its clause names the
        task told before it, after "to" and across "and"/"but", as the symptom
        (one mention from the task's verb to the cue)."""
        linked = False
        for k in range(start - 1, max(-1, start - 1 - self.elided_window), -1):
            token = doc[k]
            if token.text in SENTENCE_END:
                break
            if token.norm_ in self.elided_links:
                linked = True
                continue
            if not linked or not _after_to(doc, k):
                continue
            for index, (verbs, needs, value, _) in enumerate(self.inability_rules):
                if token.norm_ in verbs and (not needs or index in self.at_end):
                    return [make_mention(doc, value, k, end)]
        return []


def _after_to(doc: Doc, k: int) -> bool:
    """True when "to" comes within four tokens before `k` ("to get up and walk")."""
    return any(doc[i].norm_ == "to" for i in range(max(0, k - 4), k))


def _gapped_cues(
    nlp: Any, cues: Iterable[str], skip: Set[str], norms: Optional[Norms]
) -> Optional[Matcher]:
    """Negated-ability cues of several words, with filler words allowed between them."""
    if norms is None or not skip:
        return None
    matcher = Matcher(nlp.vocab)
    filler = {"NORM": {"IN": sorted(skip)}, "OP": "+"}
    for cue in cues:
        words = norms(cue)
        for gap in range(1, len(words)):
            pattern = [{"NORM": w} for w in words[:gap]] + [filler]
            matcher.add("cue", [pattern + [{"NORM": w} for w in words[gap:]]])
    return matcher if len(matcher) else None


def _coordinated_verb(doc: Doc, j: int) -> List[int]:
    """The second verb one cue governs: "can't feel or move my legs", and with a
    pronoun object after both verbs, "couldn't feel it or lift it", or after the
    first verb's object, "can't put weight on it or walk" (never "can't move
    them and says he can't": a verb of its own subject)."""
    links = ("or", "and", "nor")
    if j + 2 < len(doc) and doc[j + 1].norm_ in links:
        return [j + 2]
    pronoun = doc[j + 1].norm_ if j + 1 < len(doc) else ""
    if (
        pronoun in OBJECTS
        and j + 4 < len(doc)
        and doc[j + 2].norm_ in links
        and doc[j + 4].norm_ == pronoun
    ):
        return [j + 3]
    # ... and a bare second verb after "or" once the first one's object ends in
    # a pronoun ("can't put weight on it or walk"; "and" may start a verb of its
    # own subject: "can't move them and says he can't")
    for k in range(j + 2, min(len(doc) - 1, j + 6)):
        if doc[k].text in SENTENCE_END or doc[k].norm_ in (",", "and"):
            break
        if doc[k].norm_ in ("or", "nor") and doc[k - 1].norm_ in OBJECTS:
            return [k + 1]
    return []


def _ends_clause(doc: Doc, index: int) -> bool:
    """True when token `index` ends the clause (or the text ends before it)."""
    if index >= len(doc):
        return True
    token = doc[index]
    return token.text in SENTENCE_END or token.norm_ in (",", "and", "but", "or")
