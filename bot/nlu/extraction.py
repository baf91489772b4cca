"""Rule-based symptom facts from lay text: the engine behind SymptomExtractor.

Plain spaCy (a blank English tokenizer) plus data: canonical values and their lay
synonyms and misspellings come from actions/vocabulary.yml, negation cues from
context_rules.json (medspaCy's ConText format), the remaining rules from
patterns.yml, cause names from actions/causes.yml. No Rasa import, so the engine is
tested and reused directly; the Rasa component is a thin adapter over `extract`.

How a message is read, in order:
1. clean: control characters and invalid surrogates become spaces, so offsets
   still point into the original text; the text is lower-cased one character at
   a time for the same reason;
2. tokenise and normalise each token (spaCy's norm, plural "s" stripped);
   unknown words of 5+ letters are mapped to the nearest vocabulary word when
   rapidfuzz finds one 1 edit away (2 for 8+ letters) with the same first letter;
3. PhraseMatcher finds every synonym; body parts and the other entities are two
   layers, each resolved longest-first, so "cold feet" is cold_limb + foot while
   "back pain" stays back_pain alone;
4. relief pairs ("walking around helps"), compounds ("lower back hurts"), side
   and surface modifiers, causes (only when asked about or suggested), age and
   duration are added;
5. negation (negation.py, its own stage): negated mentions get role "negated".
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from actions.cause_table import parse_fact
from actions.vocabulary import Vocabulary, get_vocabulary, read_yaml
from bot.nlu.durations import find_ages, find_durations
from bot.nlu.mentions import (
    SENTENCE_END,
    Mention,
)
from bot.nlu.negation import NegationStage
from bot.nlu.normalise import Speller, clean_text, normalise_word
from bot.nlu.rule_files import check_keys, check_rules

HERE = Path(__file__).resolve().parent
CONTEXT_RULES_PATH = HERE / "context_rules.json"
PATTERNS_PATH = HERE / "patterns.yml"
CAUSES_PATH = HERE.parent.parent / "actions" / "causes.yml"

NEGATED_ROLE = "negated"
BODY = "body_part"


def _load_yaml(path: Path) -> Dict[str, Any]:
    if not path.exists():
        return {}
    return read_yaml(path) or {}


#: The schema of patterns.yml: its sections and, for mappings, their keys.
PATTERN_SECTIONS: Dict[str, Optional[Tuple[str, ...]]] = {
    "absorbs_body_parts": None,
    "ignore_phrases": None,
    "part_of": None,
    "habitual": ("words", "value"),
    "implied_by": None,
    "compounds": None,
    "surface_fillers": None,
    "surface_words": None,
    "side_anchors": None,
    "side_preceders": None,
    "relief": (
        "max_gap",
        "relief_words",
        "movement_words",
        "rest_words",
        "movement_value",
        "rest_value",
    ),
    "negated_phrases": None,
    "cause_cues": None,
    "weak_cause_cues": None,
    "cause_post_cues": None,
    "question_openers": None,
    "cold_rule": ("words", "feeling_words", "state_words", "window", "symptom"),
    "cause_aliases": None,
    "duration_owners": None,
    "fuzzy": ("min_length", "long_word", "exact_only", "protected_words"),
    "inability": ("cues", "skip", "ability_cues", "ability_values", "window", "rules"),
    "upper_body_parts": None,
    "wound_rule": ("wound_words", "not_healing", "window", "value", "sore_value"),
    "similes": (
        "cues",
        "window",
        "values",
        "feeling_cues",
        "feeling_words",
        "feeling_values",
    ),
    "not_next_to": None,
    "recurrence": ("words", "drop", "add"),
    "bare_red_flag_words": ("value", "words", "trouble_words"),
    "pronoun_norms": None,
}
#: Keys of the rules inside list sections.
PATTERN_RULES = {
    "compounds": ("parts", "makes", "max_gap"),
    "not_next_to": ("drop", "near", "window"),
}


def check_patterns(patterns: Dict[str, Any], path: Path = PATTERNS_PATH) -> None:
    """Fail on an unknown section, key or rule key of patterns.yml."""
    check_keys(path, "top level", patterns, PATTERN_SECTIONS)
    for section, keys in PATTERN_SECTIONS.items():
        value = patterns.get(section)
        if keys is not None and value is not None:
            check_keys(path, section, value, keys)
    for section, keys in PATTERN_RULES.items():
        check_rules(path, section, patterns.get(section) or [], keys)
    rules = (patterns.get("inability") or {}).get("rules") or []
    check_rules(path, "inability.rules", rules, ("verbs", "needs", "value"))


def load_context_rules(path: Path = CONTEXT_RULES_PATH) -> List[Dict[str, str]]:
    """Read ConText rules (medspaCy's JSON format), rejecting unknown keys early."""
    with open(path, encoding="utf-8") as handle:
        rules = json.load(handle)["context_rules"]
    allowed = {"literal", "category", "direction", "pattern", "max_scope", "metadata"}
    for rule in rules:
        unknown = set(rule) - allowed
        if unknown:
            raise ValueError(
                f"{path.name}: context rule {rule!r}: unknown keys {sorted(unknown)}"
            )
    return rules


def load_causes(path: Path = CAUSES_PATH) -> List[Dict[str, Any]]:
    """The cause rows of actions/causes.yml (id, name, aliases, presentation)."""
    data = _load_yaml(path)
    rows = data.get("causes") if isinstance(data, dict) else None
    return [row for row in rows or [] if isinstance(row, dict) and row.get("id")]


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
        self.patterns = _load_yaml(PATTERNS_PATH) if patterns is None else patterns
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
        self._build_causes()
        self._build_cues(rules)
        self._build_rules()
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
        for key, phrases in negated.items():
            self._add(self.term_matcher, f"{key}:!neg", phrases)

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

    def _build_cues(self, rules: List[Dict[str, str]]) -> None:
        self.negation = NegationStage(self.nlp, rules, self._add)

    def _build_rules(self) -> None:
        pats = self.patterns
        self.absorbs: Dict[str, Any] = dict(pats.get("absorbs_body_parts") or {})
        self.ignore_matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._add(self.ignore_matcher, "ignore", pats.get("ignore_phrases") or [])
        self.part_of = {k: set(v) for k, v in (pats.get("part_of") or {}).items()}
        habitual = pats.get("habitual") or {}
        self.habitual_words = {normalise_word(w) for w in habitual.get("words") or []}
        self.habitual_value = habitual.get("value", "onset:intermittent")
        self.implied_by = {
            k: tuple(v) for k, v in (pats.get("implied_by") or {}).items()
        }
        cold = pats.get("cold_rule") or {}
        self.cold_rule = (
            {
                "words": {normalise_word(w) for w in cold.get("words") or []},
                "feeling": {normalise_word(w) for w in cold.get("feeling_words") or []},
                "state": {normalise_word(w) for w in cold.get("state_words") or []},
                "window": int(cold.get("window", 5)),
                "symptom": cold["symptom"],
            }
            if cold
            else {}
        )
        self.duration_owners = set(pats.get("duration_owners") or [])
        self.compounds = pats.get("compounds") or []
        self.surface_fillers = {
            normalise_word(w) for w in pats.get("surface_fillers") or []
        }
        self.surface_words: Dict[Tuple[str, ...], str] = {}
        for value, words in (pats.get("surface_words") or {}).items():
            for word in words:
                self.surface_words[tuple(self._norms(word))] = value
        self.side_anchors = {normalise_word(w) for w in pats.get("side_anchors") or []}
        self.side_preceders = [
            tuple(self._norms(p)) for p in pats.get("side_preceders") or []
        ]
        relief = pats.get("relief") or {}
        self.relief_gap = int(relief.get("max_gap", 5))
        self.relief_words = {
            normalise_word(w) for w in relief.get("relief_words") or []
        }
        self.relief_matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._add(self.relief_matcher, "move", relief.get("movement_words") or [])
        self._add(self.relief_matcher, "rest", relief.get("rest_words") or [])
        self.relief_values = {
            "move": relief.get("movement_value", "trigger:movement_relief"),
            "rest": relief.get("rest_value", "trigger:rest_relief"),
        }

        self.upper_parts = set(pats.get("upper_body_parts") or [])

        bare = pats.get("bare_red_flag_words") or {}
        self.bare_rule = (
            {
                "value": bare["value"],
                "words": {normalise_word(w) for w in bare.get("words") or []},
                "trouble": {normalise_word(w) for w in bare.get("trouble_words") or []},
            }
            if bare
            else {}
        )
        wound = pats.get("wound_rule") or {}
        self.wound = wound
        self.wound_words = {normalise_word(w) for w in wound.get("wound_words") or []}
        self.heal_matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._add(self.heal_matcher, "heal", wound.get("not_healing") or [])
        sim = pats.get("similes") or {}
        self.similes = sim
        self.simile_matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._add(self.simile_matcher, "cue", sim.get("cues") or [])
        self._add(self.simile_matcher, "feel", sim.get("feeling_cues") or [])
        self.simile_feeling_words = {
            normalise_word(w) for w in sim.get("feeling_words") or []
        }
        self.not_next_to = pats.get("not_next_to") or []
        rec = pats.get("recurrence") or {}
        self.recurrence = rec
        self.recurrence_matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._add(self.recurrence_matcher, "back", rec.get("words") or [])
        inability = pats.get("inability") or {}
        self.inability_matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._add(self.inability_matcher, "cue", inability.get("cues") or [])
        self._add(self.inability_matcher, "can", inability.get("ability_cues") or [])
        self.ability_values = set(inability.get("ability_values") or [])
        self.inability_skip = {normalise_word(w) for w in inability.get("skip") or []}
        self.inability_window = int(inability.get("window", 7))
        self.inability_rules = [
            (
                {normalise_word(w) for w in rule.get("verbs") or []},
                {normalise_word(w) for w in rule.get("needs") or []},
                str(rule["value"]),
            )
            for rule in inability.get("rules") or []
        ]

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
        mentions = self._bare_words(doc, mentions)
        mentions += self._numbers(doc, mentions)
        if not mentions:
            mentions = self._bare_answer(doc)
        return doc, mentions

    def extract(self, text: Any) -> List[Dict[str, Any]]:
        """Entities of one message: dicts with entity, value, start, end (+ role)."""
        return self._to_entities(self.read(text)[1])

    def _bare_words(self, doc: Doc, mentions: List[Mention]) -> List[Mention]:
        """ "I need to pee a lot": a lone toilet word without trouble is no fact."""
        rule = self.bare_rule
        if not rule:
            return mentions
        kept = []
        for m in mentions:
            if (
                m.key == rule["value"]
                and not m.negated
                and all(t.norm_ in rule["words"] for t in doc[m.start : m.end])
            ):
                stops = set(_clause_breaks(doc))
                lo = m.start
                while lo > 0 and lo - 1 not in stops:
                    lo -= 1
                hi = m.end
                while hi < len(doc) and hi not in stops:
                    hi += 1
                norms = {t.norm_ for t in doc[lo:hi]}
                norms |= {t.norm_ + t.nbor().norm_ for t in doc[lo : hi - 1]}
                if not norms & rule["trouble"]:
                    continue
            kept.append(m)
        return kept

    def _bare_answer(self, doc: Doc) -> List[Mention]:
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
                return [
                    self._mention(doc, self.nlp.vocab.strings[match_id], start, end)
                ]
        return []

    def _mention(self, doc: Doc, key: str, start: int, end: int, **kw: Any) -> Mention:
        entity, value = parse_fact(key)
        span = doc[start:end]
        return Mention(entity, value, start, end, span.start_char, span.end_char, **kw)

    def _mentions(self, doc: Doc) -> List[Mention]:
        vocab = self.nlp.vocab
        body: List[Mention] = []
        other: List[Mention] = []
        ignored = [(s, e) for _, s, e in self.ignore_matcher(doc)]
        for match_id, start, end in self.term_matcher(doc):
            if any(s < end and start < e for s, e in ignored):
                continue
            key = vocab.strings[match_id]
            negated = key.endswith(":!neg")
            key = key[: -len(":!neg")] if negated else key
            mention = self._mention(doc, key, start, end, negated=negated)
            (body if mention.entity == BODY else other).append(mention)
        other += self._inability(doc, other)
        starts = {m.start for m in other if m.entity in ("sensation", "symptom")}
        other += [h for h in self._habitual(doc) if h.end in starts]
        other = self._relief(doc, other)
        other = _longest_first(other)
        body = _longest_first(body)
        all_body = list(body)
        body = self._drop_wider_parts(doc, body)
        causes = self._causes(doc, other)
        if causes:
            # "could my diabetes cause this": a cause asked about, and a condition had
            other = [
                m
                for m in other
                if not any(_overlaps(m, c) for c in causes)
                or (
                    m.entity == "condition"
                    and m.start > 0
                    and doc[m.start - 1].norm_ == "my"
                )
            ]
            body = [m for m in body if not any(_inside(m, c) for c in causes)]
        body = [
            b
            for b in body
            if not any(
                _overlaps(b, a)
                and (self.absorbs[a.key] == "all" or b.value in self.absorbs[a.key])
                for a in other
                if a.key in self.absorbs
            )
        ]
        other, body = self._compound(doc, other, body)
        other = self._cold(doc, other)
        other = self._wounds(doc, other)
        other = self._figurative(doc, other)
        other = self._recurrence(doc, other)
        other += self._gradual_worse(doc, other)
        keys = {m.key for m in other}
        other = [
            m
            for m in other
            if not any(k in keys for k in self.implied_by.get(m.key, ()))
        ]
        modifiers = self._sides(doc, all_body) + self._surfaces(doc, body)
        modifiers = self._drop_upper_limb_sides(modifiers, all_body)
        return sorted(other + body + causes + modifiers, key=lambda m: m.start)

    def _wounds(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """ "cut on my heel not healing" is a skin ulcer; "sores" is no pain."""
        rule = self.wound
        if not rule:
            return other
        out = []
        for m in other:
            if m.key == rule.get("sore_value") and m.length == 1:
                text = doc[m.start].lower_
                prev = doc[m.start - 1].norm_ if m.start else ""
                if text.startswith("sores") or prev in ("a", "an"):
                    m = self._mention(doc, rule["value"], m.start, m.end)
            out.append(m)
        window = int(rule.get("window", 8))
        breaks = _clause_breaks(doc, soft=False)
        for _, start, end in self.heal_matcher(doc):
            wound = [
                t.i
                for t in doc[max(0, start - window) : start]
                if t.norm_ in self.wound_words and not _crosses(breaks, t.i, start)
            ]
            if not wound:
                continue
            made = self._mention(doc, rule["value"], wound[-1], end)
            out = [
                m
                for m in out
                if not (_overlaps(m, made) and m.key == rule["sore_value"])
            ]
            if not any(m.key == made.key and _overlaps(m, made) for m in out):
                out.append(made)
        return out

    def _figurative(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """Images and comparisons are not facts ("like ants walking on my legs")."""
        sim = self.similes
        if not sim and not self.not_next_to:
            return other
        cues = {"cue": [], "feel": []}
        for match_id, start, end in self.simile_matcher(doc):
            cues[self.nlp.vocab.strings[match_id]].append((start, end))
        window = int(sim.get("window", 4))
        breaks = _clause_breaks(doc)
        values = set(sim.get("values") or [])
        feeling_values = set(sim.get("feeling_values") or [])
        drop = set()
        for index, m in enumerate(other):
            near = [
                (s, e)
                for s, e in (cues["cue"] if m.key in values else cues["feel"])
                if e <= m.start
                and m.start - e <= window
                and not _crosses(breaks, s, m.start)
            ]
            image = (
                m.length == 1
                and doc[m.start].lower_.endswith("ing")
                and any(
                    not any(
                        t.like_num or t.norm_ in ("after", "when")
                        for t in doc[e : m.start]
                    )
                    for _, e in near
                )
            )
            if m.key in values and near and image:
                drop.add(index)
            if (
                m.key in feeling_values
                and near
                and all(
                    t.norm_ in self.simile_feeling_words for t in doc[m.start : m.end]
                )
            ):
                drop.add(index)
        for rule in self.not_next_to:
            window = int(rule.get("window", 3))
            for index, m in enumerate(other):
                if m.key != rule["drop"]:
                    continue
                for n in other:
                    if n.key not in rule["near"]:
                        continue
                    lo, hi = (m, n) if m.start < n.start else (n, m)
                    if hi.start - lo.end <= window and not _crosses(
                        breaks, lo.start, hi.end - 1
                    ):
                        drop.add(index)
        return [m for i, m in enumerate(other) if i not in drop]

    def _recurrence(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """ "went away then came back": not resolved but coming and going."""
        rec = self.recurrence
        if not rec:
            return other
        resolved = [m for m in other if m.key == rec["drop"]]
        if not resolved:
            return other
        backs = [
            (s, e)
            for _, s, e in self.recurrence_matcher(doc)
            if any(m.end <= s for m in resolved)
            and not any(m.start <= s < m.end for m in resolved)
        ]
        if not backs:
            return other
        kept = [m for m in other if m.key != rec["drop"]]
        s, e = backs[0]
        if not any(m.key == rec["add"] for m in kept):
            kept.append(self._mention(doc, rec["add"], s, e))
        return kept

    def _inability(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """ "couldn't control my bowels": the negated ability is the symptom.

        The mention spans the negation cue, so the cue never negates the symptom
        it constitutes (a cue inside a plain mention is ignored by `_cues`).
        """
        found = []
        for match_id, start, end in self.inability_matcher(doc):
            able = self.nlp.vocab.strings[match_id] == "can"
            j = end
            while j < len(doc) and doc[j].norm_ in self.inability_skip:
                j += 1
            if j >= len(doc):
                continue
            verb = doc[j].norm_
            for verbs, needs, value in self.inability_rules:
                if verb not in verbs or (able and value not in self.ability_values):
                    continue
                stop = None
                if not needs:
                    stop = j + 1
                for k in range(j + 1, min(len(doc), j + 1 + self.inability_window)):
                    if stop is not None:
                        break
                    token = doc[k]
                    if token.text in SENTENCE_END or token.norm_ in (",", "but", "and"):
                        break
                    if token.norm_ in needs or any(
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
                    found.append(self._mention(doc, value, start, stop, negated=able))
                    break
        return found

    def _gradual_worse(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """ "gradually worse": the onset word also says the course is worsening."""
        found = []
        for m in other:
            if m.key != "onset:gradual" or m.end >= len(doc):
                continue
            j = m.end + (doc[m.end].norm_ in ("getting", "got", "gets", "become"))
            if j < len(doc) and doc[j].norm_ in ("worse", "worsening", "worst"):
                if not any(
                    o.entity == "course" and o.start <= j < o.end for o in other
                ):
                    found.append(self._mention(doc, "course:worsening", j, j + 1))
        return found

    def _habitual(self, doc: Doc) -> List[Mention]:
        """ "keeps tingling", "kept giving way": comes and goes."""
        found = []
        for token in doc[:-1]:
            nxt = doc[token.i + 1]
            if (
                token.norm_ in self.habitual_words
                and nxt.text.endswith("ing")
                and nxt.norm_ not in ("getting", "going")
            ):
                found.append(
                    self._mention(doc, self.habitual_value, token.i, token.i + 1)
                )
        return found

    def _drop_wider_parts(self, doc: Doc, body: List[Mention]) -> List[Mention]:
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

    def _cold(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """Bare "cold": cold_limb when stated of a limb, coldness when felt."""
        rule = self.cold_rule
        if not rule:
            return other
        out = []
        for m in other:
            if (
                m.length == 1
                and doc[m.start].norm_ in rule["words"]
                and m.entity == "sensation"
            ):
                window = doc[max(0, m.start - rule["window"]) : m.start]
                norms = []
                for token in reversed(window):
                    if token.text in SENTENCE_END or token.norm_ in (",", "but"):
                        if token.norm_ != ",":
                            break
                    norms.append(token.norm_)
                after = doc[m.end].norm_ if m.end < len(doc) else ""
                felt = (
                    any(w in rule["feeling"] for w in norms) or after in rule["feeling"]
                )
                if not felt and any(w in rule["state"] for w in norms):
                    m = self._mention(doc, rule["symptom"], m.start, m.end)
            out.append(m)
        return out

    # relief: "walking around helps", "it eases when I sit down"
    def _relief(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        reliefs = [t.i for t in doc if t.norm_ in self.relief_words]
        if not reliefs:
            return other
        activities = []
        for match_id, start, end in self.relief_matcher(doc):
            activities.append((self.nlp.vocab.strings[match_id], start, end))
        if not activities:
            return other
        breaks = _clause_breaks(doc)
        made: List[Mention] = []
        used: Set[Tuple[int, int]] = set()
        for index in reliefs:
            if doc[index].norm_ in ("go", "goe") and (
                index + 1 >= len(doc) or doc[index + 1].norm_ != "away"
            ):
                continue
            best = None
            for kind, start, end in activities:
                if start <= index < end:
                    continue
                gap = index - end if end <= index else start - index - 1
                if gap > self.relief_gap or _crosses(
                    breaks, min(index, start), max(index, end - 1)
                ):
                    continue
                if (
                    best is None
                    or gap < best[0]
                    or (gap == best[0] and end - start > best[3] - best[2])
                ):
                    best = (gap, kind, start, end)
            if best is None or (best[2], best[3]) in used:
                continue
            used.add((best[2], best[3]))
            start, end = min(best[2], index), max(best[3], index + 1)
            made.append(
                self._mention(
                    doc, self.relief_values[best[1]], start, end, compound=True
                )
            )
        if not made:
            return other
        # "eases when I get up and walk about": every activity of the pair goes
        near = [
            (start, end)
            for kind, start, end in activities
            if any(
                r.key == self.relief_values[kind]
                and r.start - self.relief_gap <= start
                and end <= r.end + self.relief_gap
                and not _crosses(breaks, min(start, r.start), max(end - 1, r.end - 1))
                for r in made
            )
        ]
        kept = [
            m
            for m in other
            if not (
                m.entity == "trigger"
                and (
                    any(_overlaps(m, r) for r in made)
                    or any(s < m.end and m.start < e for s, e in near)
                )
            )
        ]
        return kept + made

    def _compound(
        self, doc: Doc, other: List[Mention], body: List[Mention]
    ) -> Tuple[List[Mention], List[Mention]]:
        breaks = _clause_breaks(doc)
        for rule in self.compounds:
            first, second = rule["parts"]
            gap_max = int(rule.get("max_gap", 3))
            for a in [m for m in other if m.key == first]:
                for b in [m for m in body if m.key == second]:
                    lo, hi = (a, b) if a.start < b.start else (b, a)
                    if hi.start - lo.end > gap_max or _crosses(
                        breaks, lo.start, hi.end - 1
                    ):
                        continue
                    made = self._mention(
                        doc, rule["makes"], lo.start, hi.end, compound=True
                    )
                    other = [m for m in other if m is not a] + [made]
                    body = [m for m in body if m is not b]
                    break
        return other, body

    def _sides(self, doc: Doc, body: List[Mention]) -> List[Mention]:
        found: List[Mention] = []
        body_starts = {m.start for m in body}
        anchors = self.side_anchors
        for match_id, start, end in _longest_spans(self.side_matcher(doc)):
            key = self.nlp.vocab.strings[match_id]
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
                found.append(self._mention(doc, key, start, end))
        return found

    def _drop_upper_limb_sides(
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

    def _surfaces(self, doc: Doc, body: List[Mention]) -> List[Mention]:
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
                found.append(self._mention(doc, f"surface:{hit[0]}", hit[1], hit[2]))
        return found

    def _causes(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        kinds: Dict[str, List[Tuple[int, int]]] = {"cue": [], "weak": [], "post": []}
        for match_id, s, e in self.cause_cue_matcher(doc):
            kinds[self.nlp.vocab.strings[match_id]].append((s, e))
        explicit = kinds["cue"]
        openers = [(i, i + 1) for i in self._sentence_starts(doc)]
        cues = explicit + kinds["weak"] + openers
        question = [t.i for t in doc if t.text == "?"]
        question += [s + 1 for s, _ in kinds["post"]]
        if not cues and not question:
            return []
        hard_breaks = [t.i for t in doc if t.text in SENTENCE_END]
        from_condition: Set[Tuple[int, int]] = set()
        breaks = _clause_breaks(doc, soft=False)
        candidates: List[Tuple[str, int, int]] = []
        for match_id, start, end in self.cause_matcher(doc):
            candidates.append((self.nlp.vocab.strings[match_id], start, end))
        named = set(candidates)
        for m in other:
            if m.entity == "condition" and m.value in self.condition_cause:
                key = f"cause:{self.condition_cause[m.value]}"
                candidates.append((key, m.start, m.end))
                from_condition.add((key, m.start, m.end))
        found: List[Mention] = []
        for key, start, end in _longest_spans_keyed(candidates):
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
                ce <= start and start - ce <= 12 and not _crosses(breaks, cs, start)
                for cs, ce in usable
            ) or (
                not derived
                and any(
                    q >= end and q - end <= 10 and not _crosses(hard_breaks, end, q - 2)
                    for q in question
                )
            )
            if cued:
                found.append(self._mention(doc, key, start, end))
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

    # ------------------------------------------------------------------ numbers
    def _numbers(self, doc: Doc, mentions: List[Mention]) -> List[Mention]:
        """Durations and ages; a duration right after a condition is the condition's."""
        text = doc.text
        found = []
        owners = [m for m in mentions if m.entity in self.duration_owners]
        ages = find_ages(text)
        for value, start, end in find_durations(text):
            if any(start < a_end and a_start < end for _, a_start, a_end in ages):
                continue  # "55 y/o" is an age
            span = doc.char_span(start, end, alignment_mode="expand")
            # "surgery 3 days ago" dates the symptom when one is told, else not
            ago = text[end : end + 5].startswith(" ago") and any(
                m.entity in ("sensation", "symptom") for m in mentions
            )
            if span is not None and any(
                m.key == "condition:travel_tropics" and 0 <= m.start - span.end <= 3
                for m in mentions
            ):
                continue  # "3 weeks in Ghana": the trip's length
            if span is not None and owners and not ago:
                gap_words = {
                    "for",
                    "since",
                    "about",
                    "over",
                    "the",
                    "last",
                    "past",
                    ",",
                }
                owned = False
                for owner in owners:
                    between = doc[owner.end : span.start]
                    if (
                        owner.end <= span.start
                        and len(between) <= 3
                        and all(t.norm_ in gap_words for t in between)
                    ):
                        owned = True
                if owned:
                    continue
            found.append(Mention("duration", value, -1, -1, start, end))
        for value, start, end in ages:
            found.append(Mention("age", value, -1, -1, start, end))
        return found

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


# ---------------------------------------------------------------------- helpers
def _overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def _inside(a: Mention, b: Mention) -> bool:
    return b.start <= a.start and a.end <= b.end


def _longest_first(mentions: List[Mention]) -> List[Mention]:
    """Keep the longest of overlapping mentions (earlier first on ties)."""
    kept: List[Mention] = []
    for m in sorted(mentions, key=lambda m: (-m.length, m.start)):
        if not any(_overlaps(m, k) for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def _longest_spans(
    matches: Iterable[Tuple[int, int, int]],
) -> List[Tuple[int, int, int]]:
    kept: List[Tuple[int, int, int]] = []
    for mid, s, e in sorted(matches, key=lambda x: (-(x[2] - x[1]), x[1])):
        if not any(s < ke and ks < e for _, ks, ke in kept):
            kept.append((mid, s, e))
    return kept


def _longest_spans_keyed(
    spans: Iterable[Tuple[str, int, int]],
) -> List[Tuple[str, int, int]]:
    kept: List[Tuple[str, int, int]] = []
    for key, s, e in sorted(spans, key=lambda x: (-(x[2] - x[1]), x[1])):
        if not any(s < ke and ks < e for _, ks, ke in kept):
            kept.append((key, s, e))
    return kept


def _clause_breaks(doc: Doc, soft: bool = True) -> List[int]:
    """Token indexes that end a clause (sentence ends, "but"; with `soft`, commas)."""
    stops = (
        {"but", "however", "although", "though", ",", "whereas", "while"}
        if soft
        else {"but"}
    )
    return [t.i for t in doc if t.text in SENTENCE_END or t.norm_ in stops]


def _crosses(breaks: List[int], lo: int, hi: int) -> bool:
    return any(lo <= b <= hi for b in breaks)


@lru_cache(maxsize=1)
def get_matcher() -> SymptomMatcher:
    """One shared matcher per process (building it takes about a second)."""
    return SymptomMatcher()
