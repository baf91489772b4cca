"""Rule-based symptom facts from lay text: the matching stage behind SymptomExtractor.

Plain spaCy (a blank English tokenizer) plus data: canonical values and their lay
synonyms and misspellings come from actions/vocabulary.yml, negation cues from
context_rules.json (medspaCy's ConText format), the remaining rules from
patterns.yml (checked by pattern_rules.py), cause names from actions/causes.yml.
No Rasa import, so the stage is tested and reused directly; the Rasa component
is a thin adapter over the pipeline (pipeline.py).

How a message is read, in order (each step a module with one job):
1. clean and normalise (normalise.py): control characters become spaces so
   offsets still point into the original text; each token gets its norm, and
   unknown words are mapped to the nearest vocabulary word by rapidfuzz;
2. PhraseMatcher finds every synonym; body parts and the other entities are two
   layers, each resolved longest-first, so "cold feet" is cold_limb + foot while
   "back pain" stays back_pain alone;
3. negated abilities (abilities.py), habits, relief pairs and compounds
   (value_rules.py, pairs.py), cause names asked about (cause_mentions.py),
   values re-read in context (value_rules.py), sides and surfaces
   (modifiers.py);
4. negation (negation.py): negated mentions get role "negated";
5. durations and ages (numbers.py).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from actions.vocabulary import Vocabulary, get_vocabulary
from bot.nlu.abilities import AbilityRules
from bot.nlu.cause_mentions import CauseMentions
from bot.nlu.mentions import (
    Mention,
    inside,
    longest_first,
    make_mention,
    overlaps,
)
from bot.nlu.modifiers import ModifierRules
from bot.nlu.negation import NegationStage
from bot.nlu.normalise import Speller, clean_text, normalise_word
from bot.nlu.numbers import NumberRules
from bot.nlu.pairs import PairRules
from bot.nlu.pattern_rules import (
    CONTEXT_RULES_PATH,
    check_patterns,
    load_causes,
    load_context_rules,
    load_patterns,
)
from bot.nlu.rule_files import phrases_of, words_of
from bot.nlu.value_rules import ValueRules

__all__ = ["CONTEXT_RULES_PATH", "SymptomMatcher", "get_matcher"]

NEGATED_ROLE = "negated"
BODY = "body_part"
#: doc.user_data key of the message read without its fillers
_WITHOUT_FILLERS = "without_fillers"


class SymptomMatcher:
    """Turns one message into fact mentions; build once, call `extract` per message."""

    def __init__(
        self,
        vocabulary: Optional[Vocabulary] = None,
        causes: Optional[List[Dict[str, Any]]] = None,
        patterns: Optional[Dict[str, Any]] = None,
        context_rules: Optional[List[Dict[str, str]]] = None,
        max_chars: int = 5000,
    ) -> None:
        self.vocabulary = vocabulary or get_vocabulary()
        self.causes = load_causes() if causes is None else causes
        self.patterns = load_patterns() if patterns is None else patterns
        check_patterns(self.patterns)
        self.pronoun_norms = {
            str(k): str(v)
            for k, v in (self.patterns.get("pronoun_norms") or {}).items()
        }
        rules = load_context_rules() if context_rules is None else context_rules
        self.max_chars = max_chars
        self.nlp = spacy.blank("en")
        self._known_words: Set[str] = set(STOP_WORDS)
        self._build_terms()
        pats = self.patterns
        self.cause_mentions = CauseMentions(
            self.nlp, self.causes, pats, self._add, self._norms, self._known_words
        )
        self.negation = NegationStage(self.nlp, rules, self._add)
        self.absorbs: Dict[str, Any] = dict(pats.get("absorbs_body_parts") or {})
        self.ignore_matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._add(self.ignore_matcher, "ignore", pats.get("ignore_phrases") or [])
        fillers = pats.get("phrase_fillers") or {}
        self.filler_matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._add(self.filler_matcher, "filler", fillers.get("words") or [])
        self.filler_entities = frozenset(fillers.get("entities") or [])
        self.implied_by = {
            k: tuple(v) for k, v in (pats.get("implied_by") or {}).items()
        }
        self.values = ValueRules(self.nlp, pats, self._add)
        self.pairs = PairRules(self.nlp, pats, self._add)
        self.abilities = AbilityRules(self.nlp, pats, self._add, self._norms)
        self.modifiers = ModifierRules(pats, self.side_matcher, self._norms)
        self.numbers = NumberRules(
            set(pats.get("duration_owners") or []),
            phrases_of(pats.get("duration_owner_words")),
            words_of(pats.get("duration_owner_gap_words")),
        )
        self._build_fuzzy()

    # ------------------------------------------------------------------ build
    def _norms(self, text: str) -> List[str]:
        return [normalise_word(t.norm_) for t in self.nlp.make_doc(text.lower())]

    def _pattern(self, text: str) -> Optional[Doc]:
        doc = self.nlp.make_doc(text.lower())
        if not len(doc):
            return None
        for token in doc:
            norm = normalise_word(token.norm_)
            token.norm_ = self.pronoun_norms.get(norm, norm)
        return doc

    def _add(self, matcher: PhraseMatcher, key: str, phrases: Iterable[str]) -> None:
        docs = [d for d in (self._pattern(p) for p in phrases) if d is not None]
        for doc in docs:  # words of any pattern are never "corrected" by fuzzy
            self._known_words.update(t.norm_ for t in doc)
        if docs:
            matcher.add(key, docs)

    def _build_terms(self) -> None:
        self.term_matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self.side_matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._synonym_words: Set[str] = set()
        exact_only = set((self.patterns.get("fuzzy") or {}).get("exact_only") or [])
        exact_words: Set[str] = set()
        single_words: Set[str] = set()
        for entity, values in self.vocabulary.values.items():
            for value, info in values.items():
                phrases = list(info.synonyms) + list(info.misspellings)
                if entity == "surface":
                    continue
                matcher = self.side_matcher if entity == "side" else self.term_matcher
                self._add(matcher, f"{entity}:{value}", phrases)
                words = {w for phrase in info.synonyms for w in self._norms(phrase)}
                if f"{entity}:{value}" in exact_only:
                    exact_words |= words  # red-flag values: no fuzzy guesses to them
                else:
                    self._synonym_words |= words
                    single_words.update(
                        normalise_word(p) for p in info.synonyms if " " not in p
                    )
                for phrase in phrases:
                    self._known_words.update(self._norms(phrase))
        # a word of a red-flag value is never a fuzzy target, even when another
        # value's phrase shares it ("bowel cancer"), unless it names a value alone
        self._synonym_words -= exact_words - single_words
        negated = self.patterns.get("negated_phrases") or {}
        #: the phrases alone: the clauses they negate in (pipeline negation scopes)
        self.negated_phrase_matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        for key, phrases in negated.items():
            self._add(self.term_matcher, f"{key}:!neg", phrases)
            self._add(self.negated_phrase_matcher, key, phrases)

    def _build_fuzzy(self) -> None:
        self.speller = Speller(
            self._synonym_words,
            self._known_words,
            self.patterns.get("fuzzy") or {},
            self.pronoun_norms,
        )

    def make_doc(self, text: str) -> Doc:
        """Tokenise the cleaned text and set each token's normalised form."""
        return self.speller.normalise(self.nlp.make_doc(text))

    def read(self, text: Any) -> Tuple[Optional[Doc], List[Mention]]:
        """The tokenised message and its mentions (negation set), for later stages."""
        cleaned = clean_text(text)[: self.max_chars]
        if not cleaned.strip():
            return None, []
        doc = self.make_doc(cleaned)
        mentions = self._mentions(doc)
        mentions = self.negation.negate(doc, mentions)
        mentions = self.values.bare_words(doc, mentions)
        mentions = self.numbers.attach(doc, mentions)
        if not mentions:
            mentions = self.modifiers.bare_answer(doc)
        return doc, mentions

    def extract(self, text: Any) -> List[Dict[str, Any]]:
        """Entities of one message: dicts with entity, value, start, end (+ role)."""
        return self._to_entities(self.read(text)[1])

    def _mentions(self, doc: Doc) -> List[Mention]:
        vocab = self.nlp.vocab
        body: List[Mention] = []
        other: List[Mention] = []
        ignored = [(s, e) for _, s, e in self.ignore_matcher(doc)]
        for match_id, start, end in self.match_across_fillers(self.term_matcher, doc):
            # an ignored phrase hides the terms inside it; a term that goes on past
            # its end is told ("a cold" is the illness, "a cold feeling" is felt)
            if any(
                s < end and start < e and not s < start < e < end for s, e in ignored
            ):
                continue
            key = vocab.strings[match_id]
            negated = key.endswith(":!neg")
            key = key[: -len(":!neg")] if negated else key
            mention = make_mention(doc, key, start, end, negated=negated)
            (body if mention.entity == BODY else other).append(mention)
        other += self.abilities.inability(doc, other)
        other += self.values.worn_body_words(doc)
        starts = {m.start for m in other if m.entity in ("sensation", "symptom")}
        other += self.values.habitual(doc, starts)
        other, reliefs = self.pairs.relief(doc, other)
        other = longest_first(other) + reliefs
        body = longest_first(body)
        all_body = list(body)
        body = self.modifiers.drop_wider_parts(doc, body)
        causes = self.cause_mentions.find(doc, other)
        if causes:
            # "could my diabetes cause this": a cause asked about, and a condition had
            other = [
                m
                for m in other
                if not any(overlaps(m, c) for c in causes)
                or (
                    m.entity == "condition"
                    and m.start > 0
                    and doc[m.start - 1].norm_ == "my"
                )
            ]
            body = [m for m in body if not any(inside(m, c) for c in causes)]
        body = [
            b
            for b in body
            if not any(
                overlaps(b, a)
                and (self.absorbs[a.key] == "all" or b.value in self.absorbs[a.key])
                for a in other
                if a.key in self.absorbs
            )
        ]
        other, body = self.pairs.compound(doc, other, body)
        other = self.values.cold(doc, other)
        other = self.values.wounds(doc, other)
        other = self.values.figurative(doc, other)
        other = self.values.said_of_things(other, doc)
        other = self.values.plural_only(doc, other)
        other = self.values.singular_only(doc, other)
        other = self.values.said_of_treatments(other, all_body, doc)
        other += self.values.returns_rule(doc, other)
        other = self.values.resumes_rule(doc, other)
        other = self.values.partial_passing(doc, other)
        other = self.values.recurrence_rule(doc, other)
        other += self.values.gradual_worse(doc, other)
        other += self.values.comparatives(doc, other)
        other += self.values.sudden_turns(doc)
        other += self.values.squeezing_wear(doc, other)
        other += self.values.speech_attempts_rule(doc, other)
        other += self.values.speech_manners_rule(doc, other)
        other += self.values.disobeying_limbs(doc, other, all_body)
        other += self.values.bare_verbs(doc)
        keys = {m.key for m in other}
        other = [
            m
            for m in other
            if not any(k in keys for k in self.implied_by.get(m.key, ()))
        ]
        modifiers = self.modifiers.sides(doc, all_body) + self.modifiers.surfaces(
            doc, body
        )
        modifiers = self.modifiers.drop_upper_limb_sides(modifiers, all_body)
        return sorted(other + body + causes + modifiers, key=lambda m: m.start)

    def match_across_fillers(
        self, matcher: PhraseMatcher, doc: Doc, every_key: bool = False
    ) -> List[Tuple[int, int, int]]:
        """`matcher`'s matches, also across hedges and intensifiers.

        The phrases of `phrase_fillers.entities` and the phrases that name a value
        as absent (all of them with `every_key`) are matched again on the message
        with its fillers left out, and each match is mapped back to the message's
        tokens: "my leg just didn't work" reads as "my leg didn't work", "down
        there is totally normal" as "down there is normal".
        """
        matches = [(int(m), int(s), int(e)) for m, s, e in matcher(doc)]
        kept, short = self._without_fillers(doc)
        if short is None:
            return matches
        seen = set(matches)
        strings = doc.vocab.strings
        for match_id, start, end in matcher(short):
            span = (int(match_id), kept[start], kept[end - 1] + 1)
            key = strings[match_id]
            spans_fillers = (
                every_key
                or key.endswith(":!neg")
                or key.split(":")[0] in self.filler_entities
            )
            if span not in seen and end - start > 1 and spans_fillers:
                seen.add(span)
                matches.append(span)
        return matches

    def _without_fillers(self, doc: Doc) -> Tuple[List[int], Optional[Doc]]:
        """The message with its fillers left out (None when it has none) and the
        index of each kept token; read once per message, kept on the doc."""
        cached = doc.user_data.get(_WITHOUT_FILLERS)
        if cached is not None:
            return cached
        skipped = {i for _, s, e in self.filler_matcher(doc) for i in range(s, e)}
        kept = [t.i for t in doc if t.i not in skipped]
        short: Optional[Doc] = None
        if skipped:
            short = Doc(doc.vocab, words=[doc[i].text for i in kept])
            for token, index in zip(short, kept, strict=True):
                token.norm_ = doc[index].norm_
        doc.user_data[_WITHOUT_FILLERS] = (kept, short)
        return kept, short

    @staticmethod
    def _to_entities(mentions: List[Mention]) -> List[Dict[str, Any]]:
        """One entity per fact: a positive mention beats a negated one."""
        positive = {(m.entity, m.value) for m in mentions if not m.negated}
        seen: Set[Tuple[str, Any, bool]] = set()
        entities = []
        for m in sorted(mentions, key=lambda m: m.char_start):
            if m.negated and (m.entity, m.value) in positive:
                continue
            fact = (m.entity, m.value, m.negated)
            if fact in seen:
                continue
            seen.add(fact)
            entity: Dict[str, Any] = {
                "entity": m.entity,
                "value": m.value,
                "start": m.char_start,
                "end": m.char_end,
            }
            if m.negated:
                entity["role"] = NEGATED_ROLE
            entities.append(entity)
        return entities


@lru_cache(maxsize=1)
def get_matcher() -> SymptomMatcher:
    """One shared matcher per process (building it takes about a second)."""
    return SymptomMatcher()
