"""Context stage: time, experiencer and certainty of each mention (medspaCy ConText).

Why ConText: its cue/scope model is the kept library for exactly this job; our
lay rules live in context.yml (its defaults miss "years ago", and its
`is_family` means someone else, whose stroke signs still count). Negation is
set earlier by the matching stage; here a mention learns whether it is about
now, the past or a hypothetical, whether it is the person's own and whether it
was hedged. A cue's scope is its clause: sentence boundaries are set from
bot/nlu/clauses.py before ConText runs.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Collection, Dict, Iterable, List, Optional, Sequence, Set

from medspacy.context import ConText, ConTextRule
from spacy.language import Language
from spacy.tokens import Doc, Span

from bot.nlu.clauses import Clause
from bot.nlu.rule_files import (
    Phrases,
    RuleFileError,
    check_rules,
    load_rule_file,
    rule,
    rule_keys,
    rules_from,
)

CONTEXT_PATH = Path(__file__).with_name("context.yml")
# ConText's token-pattern matcher is empty when every rule is a literal.
warnings.filterwarnings("ignore", message=r"\[W036\]", module="medspacy")
SPAN_GROUP = "nlu_targets"
CATEGORIES = ("PAST", "HYPOTHETICAL", "OTHER", "OTHER_PRONOUN", "UNCERTAIN", "GUESS")
DIRECTIONS = ("FORWARD", "BACKWARD", "BIDIRECTIONAL", "PSEUDO", "TERMINATE")
_RULE_KEYS = ("literal", "category", "direction", "pattern", "max_scope")

NOW, PAST, HYPOTHETICAL = "now", "past", "hypothetical"
SELF, OTHER = "self", "other"
#: A PAST cue that is a symptom's own duration ("numb since 2 years ago"): the
#: symptom's onset, not a past event, except for the event it dates.
DATED_ONSET = "DATED_ONSET"
DEFINITE, UNCERTAIN, GUESSED = "definite", "uncertain", "guessed"


@dataclass(frozen=True)
class MentionContext:
    """What ConText says about one mention."""

    time: str = NOW
    experiencer: str = SELF
    certainty: str = DEFINITE


def _facts(items: Optional[Iterable]) -> frozenset:
    """Facts as written ("entity:value"; a duration value is upper case)."""
    return frozenset(str(w) for w in items or [])


@dataclass(frozen=True)
class ContextRules:
    """context.yml parsed: ConText rules plus the clause-level guards."""

    #: the ConText rules, built and checked by `load_context_rules`
    rules: tuple
    self_words: frozenset = rule()
    continuing_words: frozenset = rule()
    #: facts that are dated events: a continuing word in their clause is about
    #: the symptom that lasts, never about the event ("numb since an injury
    #: 24 years ago": the numbness is now, the injury is past).
    events: frozenset = rule(convert=_facts)
    #: phrases that open a remembered episode ("in primary school", "it reminds
    #: me"): the clauses after them are the same past episode until one speaks
    #: in the present ("now", "is", "can't")
    anecdote_openers: Phrases = rule("openers", "anecdote")
    present_words: frozenset = rule("present_words", "anecdote")
    #: words that date a clause to now: an opener in such a clause tells today's
    #: story, not a remembered one ("today at school my leg went numb")
    dated_now: frozenset = rule("dated_now", "anecdote")


def load_context_rules(path: Path = CONTEXT_PATH) -> ContextRules:
    """Read context.yml; an unknown key, category or direction fails loudly."""
    data = load_rule_file(path, ("rules", *rule_keys(ContextRules)))
    rules = check_rules(path, "rules", data.get("rules") or [], _RULE_KEYS)
    built = []
    for index, entry in enumerate(rules):
        name = f"rules[{index}] ({entry.get('literal')!r})"
        category = str(entry.get("category", "")).upper()
        direction = str(entry.get("direction", "BIDIRECTIONAL")).upper()
        if category not in CATEGORIES:
            raise RuleFileError(f"{path.name}: {name}: unknown category {category!r}")
        if direction not in DIRECTIONS:
            raise RuleFileError(f"{path.name}: {name}: unknown direction {direction!r}")
        if not entry.get("literal"):
            raise RuleFileError(f"{path.name}: {name}: missing key ['literal']")
        built.append(
            ConTextRule(
                str(entry["literal"]),
                category,
                direction=direction,
                pattern=entry.get("pattern"),
                max_scope=entry.get("max_scope"),
            )
        )
    return rules_from(ContextRules, path, data, rules=tuple(built))


class ContextReader:
    """Runs ConText over the mentions of one message; build once per process."""

    def __init__(self, nlp: Language, rules: ContextRules | None = None) -> None:
        self.rules = rules or load_context_rules()
        self.context = ConText(
            nlp,
            name="nlu_context",
            rules=None,
            input_span_type="group",
            span_group_name=SPAN_GROUP,
            span_attrs=None,
        )
        self.context.add(list(self.rules.rules))
        #: "his", "she": a mention that holds one ("his back hurts" matches the
        #: phrase "my back hurts") is theirs, though no cue can modify it
        self.other_pronouns = frozenset(
            r.literal.lower() for r in self.rules.rules if r.category == "OTHER_PRONOUN"
        )

    def _modifiers(
        self,
        doc: Doc,
        clauses: Sequence[Clause],
        spans: Sequence[tuple],
        durations: Sequence[tuple],
    ) -> Dict[int, List[tuple]]:
        """ConText modifiers (category, token start, token end) per mention index.

        ConText compares every cue with every target, so it runs once per
        sentence (a cue never reaches past its clause anyway): a long paste
        stays linear.
        """
        sentences: Dict[int, List[Clause]] = {}
        for clause in clauses:
            sentences.setdefault(clause.sentence, []).append(clause)
        raw: Dict[int, List[tuple]] = {}
        for parts in sentences.values():
            lo, hi = parts[0].start, parts[-1].end
            inside = [(i, a, b) for i, a, b in spans if lo <= a and b <= hi]
            if not inside:
                continue
            sub = doc[lo:hi].as_doc()
            for token in sub:
                token.is_sent_start = token.i == 0
            for clause in parts:
                sub[clause.start - lo].is_sent_start = True
            sub.spans[SPAN_GROUP] = [
                Span(sub, a - lo, b - lo, label=str(i)) for i, a, b in inside
            ]
            self.context(sub)
            for span in sub.spans[SPAN_GROUP]:
                raw[int(span.label_)] = [
                    (
                        DATED_ONSET
                        if m.category == "PAST"
                        and _overlaps_any(
                            doc[m.modifier_span[0] + lo : m.modifier_span[1] + lo],
                            durations,
                        )
                        else m.category,
                        m.modifier_span[0] + lo,
                        m.modifier_span[1] + lo,
                    )
                    for m in span._.modifiers
                ]
        return raw

    def read(
        self,
        doc: Doc,
        clauses: Sequence[Clause],
        spans: Sequence[tuple],
        durations: Sequence[tuple] = (),
        events: Collection[int] = (),
    ) -> Dict[int, MentionContext]:
        """Context per mention index; `spans` are (index, token start, token end).

        `events`: indexes of mentions that are dated events (context.yml
        `events`): a PAST cue dates them even in a clause about now.

        A PAST cue that is part of the symptom's own duration ("numb since 2
        years ago") is its onset, not a past event: `durations` are their
        character spans.
        """
        raw = self._modifiers(doc, clauses, spans, durations)
        remembered = self._anecdote_clauses(doc, clauses)
        has_other_noun = any(c == "OTHER" for mods in raw.values() for c, _, _ in mods)
        clause_at = {}
        for clause in clauses:
            for i in range(clause.start, clause.end):
                clause_at[i] = clause
        found: Dict[int, MentionContext] = {}
        for index, start, end in spans:
            mods = raw.get(index, [])
            at = clause_at.get(start)
            words = doc[at.start : at.end] if at else doc[0:0]
            categories = {c for c, _, _ in mods}
            if index in events and DATED_ONSET in categories:
                categories.add("PAST")  # the symptom's duration dates the event
            time = NOW
            if "HYPOTHETICAL" in categories:
                time = HYPOTHETICAL
            elif at is not None and at.index in remembered:
                time = PAST
            elif "PAST" in categories and (
                index in events
                or not any(
                    t.norm_ in self.rules.continuing_words
                    or t.text in self.rules.continuing_words
                    for t in words
                )
            ):
                time = PAST
            experiencer = SELF
            other_cues = [
                (s, e)
                for c, s, e in mods
                if c == "OTHER" or (c == "OTHER_PRONOUN" and has_other_noun)
            ]
            if has_other_noun:
                other_cues += [
                    (t.i, t.i + 1)
                    for t in doc[start:end]
                    if t.lower_ in self.other_pronouns
                ]
            if other_cues:
                # the text, not the norm: "his" is normalised to "my" for matching
                own = [
                    t
                    for t in words
                    if t.lower_ in self.rules.self_words
                    and not any(s <= t.i < e for s, e in other_cues)
                ]
                experiencer = SELF if own else OTHER
            certainty = (
                GUESSED
                if "GUESS" in categories
                else UNCERTAIN
                if "UNCERTAIN" in categories
                else DEFINITE
            )
            found[index] = MentionContext(time, experiencer, certainty)
        return found

    def _anecdote_clauses(self, doc: Doc, clauses: Sequence[Clause]) -> Set[int]:
        """Indexes of the clauses that tell a remembered episode.

        ConText's scope is one clause, but a story from school or "a few times in
        my life" runs on over several ("... i leapt up and went flat on my face,
        both feet were asleep"). From an opener on, clauses stay in that past
        until one has a present word; the opener's own clause is past only when
        it has no present word either ("it reminds me" is said now, the story it
        opens is not).
        """
        openers = self.rules.anecdote_openers
        if not openers:
            return set()
        present = self.rules.present_words
        firsts = {o[0] for o in openers}
        found: Set[int] = set()
        inside = False
        for clause in clauses:
            tokens = list(doc[clause.start : clause.end])
            norms = [t.lower_ for t in tokens]
            opens = any(
                all(
                    (word == "#" and tokens[i + k].like_num) or norms[i + k] == word
                    for k, word in enumerate(o)
                )
                for i, norm in enumerate(norms)
                if norm in firsts or ("#" in firsts and tokens[i].like_num)
                for o in openers
                if i + len(o) <= len(norms)
            )
            says_now = any(n in present for n in norms)
            if opens and any(n in self.rules.dated_now for n in norms):
                inside = False
            elif opens:
                inside = True
            elif says_now:
                inside = False
            if inside and not says_now:
                found.add(clause.index)
        return found


def _overlaps_any(span: Span, ranges: Sequence[tuple]) -> bool:
    return any(span.start_char < e and s < span.end_char for s, e in ranges)


@lru_cache(maxsize=1)
def get_context_rules() -> ContextRules:
    """The project's context rules, read once."""
    return load_context_rules()
