"""Triage engine: facts so far -> urgency, red flags, ranked causes, next question.

Pure Python, no Rasa import; all medicine comes from the cause table
(`actions/causes.yml`, `actions/questions.yml`); this module never names a
cause. Deterministic: ties are broken by file order.

Facts
    A fact is (entity, value) from actions/vocabulary.yml. `Findings` holds facts
    known present, facts known absent, age and duration (ISO 8601). Before any
    reasoning the findings are expanded: the duration becomes a bucket fact
    ("duration", "weeks") and the other buckets absent; the table's
    `implications` are applied to present facts (toes -> foot, left -> one side)
    and, as contrapositives, to absent facts; in each `exclusive` group a
    present fact makes the others absent. A fact both present and absent counts
    as present. Adding a fact known absent only ever adds absent facts, never
    present ones, so it can only lower a score.

Urgency
    One urgency: the highest of three. (1) `emergency` when a red flag fires.
    (2) Otherwise the table's `urgency_rules` are tried in file order and the
    first that holds gives the rule urgency (self-care rules come first and
    exclude every worrying feature); when none holds, `default_urgency`
    (routine). A clause holds when all its `all_of` facts, at least one
    `any_of` fact (if any) and none of its `none_of` facts are present.
    (3) The table `urgency` of each reported cause whose probability reaches
    `engine.cause_urgency_threshold`: a cause that calls for an ambulance and is
    this probable makes the reply an emergency (`Assessment.urgency_cause`
    names it), while a dangerous cause that is merely in the top 3 on weak
    evidence does not (the reply then names its red-flag check instead), nor
    does one that a told fact speaks against (its `against` facts).
    The question search values answers by the rule urgency (1, 2) only.

Score of a cause (raw, additive, like log-odds)
    + prior      how often the cause is met in everyday life (-1 rare .. 1.5
                 very common): a modelling choice that is never shown to users
    + w          for each typical fact present (weight w from the table)
    - a * w      for each typical fact known absent (a = engine.absent_factor)
    - w          for each against fact present (against facts known absent: 0)
    - u * W      for each present fact that some other cause lists as typical
                 (highest weight W) but this cause lists neither as typical nor
                 against (u = unexplained_penalty): a hallmark of something else
                 that this cause does not explain counts against it
    + m          when the person named the cause (fact ("cause", id))
    + r          when the red flag the cause names as its own danger
                 (`red_flag_check`) fired (r = engine.red_flag_weight): the
                 prompt ends the questions, so the opening alone ranks an
                 emergency, and its sign points to the cause that produces it
    +/- w        age inside / outside the cause's age range, when both are known
    Ranking is by score, then file order. Probabilities are the softmax of the
    scores; `RankedCause.score` is the raw score (absent facts never raise it).

Next question
    Over the `top_k` most probable causes (renormalised, prior pi), each cause
    predicts each fact: p = min(0.9, 0.45 + 0.15 w) for a typical fact of weight
    w, base_rate / (1 + w) for an against fact, base_rate otherwise. An answer's
    likelihood under a cause is the product over its present facts of p and over
    its absent facts of 1 - p (a duration answer uses its bucket fact),
    normalised over the question's informative answers. The value of a question
    is the expected information gain (entropy of pi minus the expected entropy of
    the Bayes posterior) plus `urgency_weight` times the expected number of
    urgency levels an answer would raise the urgency by (plus
    `urgency_lower_weight` times the expected levels it would lower it by;
    a rise to emergency counts as a rise to urgent, because emergency signs are
    screened by the dedicated red-flag check `red_flag_question`). The
    unasked question with the highest value wins; questions in `asked`,
    questions whose facts are all known, questions whose `skip_if_known`
    entities (or "entity:value" facts) already have a present fact, and
    duration questions once the duration is known are never returned. No
    question when the value is below `min_question_value` or when the urgency
    is already emergency.

Use from the dialogue
    f = Findings.from_slots(facts_present, facts_absent, age, duration)
    a = assess(f, asked=frozenset(question ids already put to the person))
    a.urgency, a.red_flags (advice to say first), a.causes (top 3 with lay
    `fits` / `against`), a.specialists / a.tests (ids into the table's
    `specialists` / `tests`), a.next_question (None: stop asking),
    a.red_flag_question (the one red-flag check, until asked). A cause named
    as a worry gets its own red-flag check from the NLU's screen on the turn it
    is named (bot/nlu/screening.py, `named_danger_flags`). A button's
    `present` / `absent` lists are "entity:value" strings ready for the slots;
    its `duration` (ISO 8601) goes to the duration slot. A fact ("cause", id)
    in `present` means the person named that cause and adds a small bonus.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import (
    AbstractSet,
    Dict,
    FrozenSet,
    Iterable,
    List,
    Optional,
    Sequence,
    Set,
    Tuple,
)

from actions.cause_table import (
    CAUSE_ENTITY,
    DURATION_ENTITY,
    URGENCIES,
    Answer,
    Cause,
    CauseTable,
    Clause,
    Question,
    RedFlag,
    UrgencyRule,
    format_fact,
    get_cause_table,
    parse_fact,
)
from actions.vocabulary import Fact, get_vocabulary

__all__ = [
    "URGENCIES",
    "Assessment",
    "Fact",
    "Findings",
    "Question",
    "RankedCause",
    "RedFlagHit",
    "assess",
    "cause_urgency",
    "clause_holds",
    "detect_red_flags",
    "expand_findings",
    "get_cause_table",
    "lay_reason",
    "rank_causes",
    "red_flag_support",
]


@dataclass(frozen=True)
class Findings:
    """What is known so far: facts present, facts absent, age, duration (ISO 8601)."""

    present: FrozenSet[Fact] = frozenset()
    absent: FrozenSet[Fact] = frozenset()
    age: Optional[int] = None
    duration: Optional[str] = None

    @classmethod
    def from_slots(
        cls,
        facts_present: Optional[Iterable[str]] = None,
        facts_absent: Optional[Iterable[str]] = None,
        age: Optional[float] = None,
        duration: Optional[str] = None,
    ) -> "Findings":
        """Build findings from the dialogue slots ("entity:value" strings).

        The same path as production: `actions.parsing.findings_from_slots`
        (malformed or off-vocabulary strings are skipped).
        """
        from actions.parsing import findings_from_slots

        return findings_from_slots(facts_present, facts_absent, age, duration)

    def with_answer(self, answer: Answer) -> "Findings":
        """These findings plus what one answer to a question tells."""
        return Findings(
            present=self.present | frozenset(answer.present_facts),
            absent=self.absent | frozenset(answer.absent_facts),
            age=self.age,
            duration=answer.duration or self.duration,
        )


@dataclass(frozen=True)
class RedFlagHit:
    """A red flag that fired, with the emergency advice from the article."""

    id: str
    label: str
    advice: str
    source: Tuple[str, ...]


@dataclass(frozen=True)
class RankedCause:
    """One possible cause with its raw score and lay reasons."""

    id: str
    name: str
    lay_name: str
    score: float
    probability: float
    fits: Tuple[str, ...] = ()
    against: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """The engine's answer for the findings so far."""

    urgency: str
    red_flags: List[RedFlagHit]
    causes: List[RankedCause]
    next_question: Optional[Question]
    urgency_reason: Optional[str] = None
    specialists: List[str] = field(default_factory=list)
    tests: List[str] = field(default_factory=list)
    red_flag_question: Optional[Question] = None
    all_causes: List[RankedCause] = field(default_factory=list)
    question_value: float = 0.0
    #: id of the reported cause whose own urgency set `urgency` (None: a red
    #: flag or an urgency rule did)
    urgency_cause: Optional[str] = None


# --------------------------------------------------------------------- expansion


@dataclass(frozen=True)
class _Known:
    present: FrozenSet[Fact]
    absent: FrozenSet[Fact]
    age: Optional[int]


def _bucket_fact(
    fact: Fact, buckets: Sequence[str], table: CauseTable
) -> Optional[Fact]:
    """A duration fact as its bucket ("duration:P3W" -> ("duration", "weeks")).

    Other facts pass through; a duration that is neither a bucket nor ISO 8601
    is dropped.
    """
    if fact[0] != DURATION_ENTITY or fact[1] in buckets:
        return fact
    bucket = table.bucket_of(fact[1])
    return (DURATION_ENTITY, bucket) if bucket else None


#: A clause as sets: (all_of, any_of, none_of).
_ClauseSets = Tuple[FrozenSet[Fact], FrozenSet[Fact], FrozenSet[Fact]]


@dataclass(frozen=True)
class _Compiled:
    """The table's rules as sets and lookups, built once per table.

    Why: the question search expands and re-triages every answer of every
    question each turn (reports/bench.md: most of the action server's time);
    parsing the same strings again on each check cost more than the checks.
    Only the representation changes: every result is exactly the same.
    """

    buckets: Tuple[str, ...]
    implications: Tuple[Tuple[FrozenSet[Fact], Tuple[Fact, ...]], ...]
    one_source: Tuple[Tuple[Fact, Tuple[Fact, ...]], ...]
    exclusive: Tuple[FrozenSet[Fact], ...]
    red_flags: Tuple[Tuple[RedFlag, Tuple[_ClauseSets, ...]], ...]
    urgency_rules: Tuple[Tuple[UrgencyRule, Tuple[_ClauseSets, ...]], ...]
    #: cause id -> "entity:value" -> P(fact | cause), for the facts it names
    probabilities: Dict[str, Dict[str, float]]


def _clause_sets(clause: Clause) -> _ClauseSets:
    return (
        _parsed(tuple(clause.all_of)),
        _parsed(tuple(clause.any_of)),
        _parsed(tuple(clause.none_of)),
    )


def _cause_probabilities(cause: Cause, base: float) -> Dict[str, float]:
    """P(fact | cause): typical facts high, against facts low (typical wins)."""
    probabilities = {
        text: base / (1 + weight) for text, weight in cause.presentation.against.items()
    }
    probabilities.update(
        (text, min(0.9, 0.45 + 0.15 * weight))
        for text, weight in cause.presentation.typical.items()
    )
    return probabilities


@lru_cache(maxsize=8)
def _compiled(table: CauseTable) -> _Compiled:
    return _Compiled(
        buckets=tuple(name for name, _ in table.duration_buckets),
        implications=tuple(
            (frozenset(sources), tuple(targets))
            for sources, targets in table.implications
        ),
        one_source=tuple(
            (sources[0], tuple(targets))
            for sources, targets in table.implications
            if len(sources) == 1
        ),
        exclusive=tuple(frozenset(group) for group in table.exclusive),
        red_flags=tuple(
            (flag, tuple(_clause_sets(c) for c in flag.when))
            for flag in table.red_flags
        ),
        urgency_rules=tuple(
            (rule, tuple(_clause_sets(c) for c in rule.when))
            for rule in table.urgency_rules
        ),
        probabilities={
            cause.id: _cause_probabilities(cause, table.engine.base_rate)
            for cause in table.causes
        },
    )


def expand_findings(findings: Findings, table: Optional[CauseTable] = None) -> _Known:
    """Apply duration buckets, implications and exclusive groups (see module doc)."""
    table = table or get_cause_table()
    rules = _compiled(table)
    buckets = rules.buckets
    present: Set[Fact] = set()
    absent: Set[Fact] = set()
    for given, into in ((findings.present, present), (findings.absent, absent)):
        for fact in given:
            bucketed = _bucket_fact(fact, buckets, table)
            if bucketed is not None:
                into.add(bucketed)

    bucket = table.bucket_of(findings.duration)
    if bucket is not None:
        present.add((DURATION_ENTITY, bucket))
    if any(f[0] == DURATION_ENTITY for f in present):
        absent.update((DURATION_ENTITY, b) for b in buckets)

    changed = True
    while changed:
        changed = False
        for sources, targets in rules.implications:
            if sources <= present:
                for target in targets:
                    if target not in present:
                        present.add(target)
                        changed = True
    for group in rules.exclusive:
        if not group.isdisjoint(present):
            absent.update(group)
    changed = True
    while changed:  # contrapositive of one-fact implications: no foot -> no toes
        changed = False
        for source, targets in rules.one_source:
            if source in absent or source in present:
                continue
            if any(t in absent and t not in present for t in targets):
                absent.add(source)
                changed = True
    absent -= present
    return _Known(frozenset(present), frozenset(absent), findings.age)


@lru_cache(maxsize=4096)
def _parsed(texts: Tuple[str, ...]) -> FrozenSet[Fact]:
    """Facts of "entity:value" strings (cached: rules are re-checked often)."""
    return frozenset(parse_fact(t) for t in texts)


@lru_cache(maxsize=4096)
def _weights(items: Tuple[Tuple[str, float], ...]) -> Dict[Fact, float]:
    return {parse_fact(f): w for f, w in items}


def _holds(clauses: Sequence[_ClauseSets], present: FrozenSet[Fact]) -> bool:
    """True when one clause holds: all of, one of (if any), none of."""
    for all_of, any_of, none_of in clauses:
        if (
            all_of <= present
            and (not any_of or not any_of.isdisjoint(present))
            and none_of.isdisjoint(present)
        ):
            return True
    return False


def clause_holds(clause: Clause, present: FrozenSet[Fact]) -> bool:
    """True when one rule clause holds on expanded facts (for reports)."""
    return _holds((_clause_sets(clause),), present)


def _hit(flag: RedFlag) -> RedFlagHit:
    return RedFlagHit(flag.id, flag.label, flag.advice, tuple(flag.source))


def _red_flags(known: _Known, table: CauseTable) -> List[RedFlagHit]:
    flags = _compiled(table).red_flags
    return [_hit(flag) for flag, when in flags if _holds(when, known.present)]


def detect_red_flags(
    findings: Findings, table: Optional[CauseTable] = None
) -> List[RedFlagHit]:
    """The red flags the findings fire, in table order (cheap; call every turn)."""
    table = table or get_cause_table()
    return _red_flags(expand_findings(findings, table), table)


#: Facts that say what happened, not how or when (onset, course, side, duration).
_WHAT_ENTITIES = frozenset(
    {"body_part", "sensation", "symptom", "trigger", "condition"}
)


def _support(clauses: Sequence[_ClauseSets], present: FrozenSet[Fact]) -> int:
    """How many facts of what happened the fullest holding clause names; 0 when
    none holds (every holding clause names at least one)."""
    return max(
        (
            1 + sum(1 for entity, _ in all_of if entity in _WHAT_ENTITIES)
            for all_of, any_of, none_of in clauses
            if _holds(((all_of, any_of, none_of),), present)
        ),
        default=0,
    )


def red_flag_support(
    findings: Findings, table: Optional[CauseTable] = None
) -> Dict[str, int]:
    """Each red flag the findings fire, with the most facts of what happened
    (symptoms, sites, triggers, conditions) one of its holding clauses names.

    Why: when a cue makes several red flags possible ("couldn't move anything
    from the neck down" after "my neck got squashed"), the one the message tells
    most of (an injury and a paralysis, not a paralysis alone) is asked first.
    """
    table = table or get_cause_table()
    known = expand_findings(findings, table)
    return {
        flag.id: support
        for flag, when in _compiled(table).red_flags
        if (support := _support(when, known.present))
    }


def _urgency(
    known: _Known, table: CauseTable
) -> Tuple[str, Optional[str], List[RedFlagHit]]:
    flags = _red_flags(known, table)
    if flags:
        return "emergency", flags[0].label, flags
    for rule, when in _compiled(table).urgency_rules:
        if _holds(when, known.present):
            return rule.urgency, rule.label, flags
    return table.default_urgency, None, flags


# --------------------------------------------------------------------- scoring

_NEGATIVE_PREFIX = {
    "body_part": "not in",
    "surface": "not on",
    "sensation": "no",
    "symptom": "no",
    "condition": "no",
}
_POSITIVE_PREFIX = {"body_part": "in", "surface": "on"}


def lay_reason(fact: Fact, present: bool = True) -> str:
    """Lay words for a fact, e.g. "worse at night" or "no back pain"."""
    entity, value = fact
    if entity == DURATION_ENTITY:
        return f"lasting {value}" if present else f"not lasting {value}"
    if entity == CAUSE_ENTITY:
        return "you mentioned it"
    label = get_vocabulary().label(entity, value)
    if present:
        prefix = _POSITIVE_PREFIX.get(entity)
        return f"{prefix} {label}" if prefix else label
    return f"{_NEGATIVE_PREFIX.get(entity, 'not')} {label}"


@lru_cache(maxsize=8)
def _informative_facts(table: CauseTable) -> Dict[Fact, float]:
    """Each fact some cause lists as typical, with its highest weight."""
    facts: Dict[Fact, float] = {}
    for cause in table.causes:
        for text, weight in cause.presentation.typical.items():
            fact = parse_fact(text)
            facts[fact] = max(weight, facts.get(fact, 0.0))
    return facts


def _score(
    cause: Cause,
    known: _Known,
    table: CauseTable,
    informative: Dict[Fact, float],
    fired: FrozenSet[str] = frozenset(),
) -> Tuple[float, Tuple[str, ...], Tuple[str, ...]]:
    params = table.engine
    score = cause.prior
    fits: List[str] = []
    against: List[str] = []
    typical = _weights(tuple(cause.presentation.typical.items()))
    contra = _weights(tuple(cause.presentation.against.items()))
    for fact, weight in typical.items():
        if fact in known.present:
            score += weight
            fits.append(lay_reason(fact))
        elif fact in known.absent:
            score -= params.absent_factor * weight
            against.append(lay_reason(fact, present=False))
    for fact, weight in contra.items():
        if fact in known.present:
            score -= weight
            against.append(lay_reason(fact))
    for fact in sorted(known.present):
        if fact in informative and fact not in typical and fact not in contra:
            score -= params.unexplained_penalty * informative[fact]
    if (CAUSE_ENTITY, cause.id) in known.present:
        score += params.mentioned_cause_weight
        fits.append(lay_reason((CAUSE_ENTITY, cause.id)))
    if cause.red_flag_check in fired:
        score += params.red_flag_weight
    age = cause.presentation.age
    if age is not None and known.age is not None:
        inside = (age.min is None or known.age >= age.min) and (
            age.max is None or known.age <= age.max
        )
        score += age.weight if inside else -age.weight
        (fits if inside else against).append(f"age {known.age}")
    return score, tuple(fits), tuple(against)


def _softmax(scores: Sequence[float]) -> List[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def _rank(
    known: _Known, table: CauseTable, fired: FrozenSet[str] = frozenset()
) -> List[RankedCause]:
    informative = _informative_facts(table)
    rows = [(c, *_score(c, known, table, informative, fired)) for c in table.causes]
    probs = _softmax([r[1] for r in rows])
    ranked = [
        RankedCause(c.id, c.name, c.lay_name, round(s, 6), p, fits, against)
        for (c, s, fits, against), p in zip(rows, probs, strict=True)
    ]
    order = {c.id: i for i, c in enumerate(table.causes)}
    return sorted(ranked, key=lambda r: (-r.score, order[r.id]))


# --------------------------------------------------------------------- questions


def _entropy(probs: Iterable[float]) -> float:
    return -sum(p * math.log2(p) for p in probs if p > 0)


def _answer_facts(answer: Answer, table: CauseTable) -> List[Tuple[str, Fact, bool]]:
    """What an answer tells, as ("entity:value", fact, present), duration last."""
    facts = [(f, True) for f in _parsed(tuple(answer.present))]
    facts += [(f, False) for f in _parsed(tuple(answer.absent))]
    if answer.duration:
        bucket = table.bucket_of(answer.duration)
        if bucket:
            facts.append(((DURATION_ENTITY, bucket), True))
    return [(format_fact(fact), fact, is_present) for fact, is_present in facts]


def _answer_likelihood(
    facts: List[Tuple[str, Fact, bool]],
    probabilities: Dict[str, float],
    base: float,
    known: _Known,
) -> float:
    """P(answer | cause), given the cause's fact probabilities."""
    likelihood = 1.0
    for text, fact, is_present in facts:
        if fact in known.present:
            likelihood *= 1.0 if is_present else 0.0
        elif fact in known.absent:
            likelihood *= 0.0 if is_present else 1.0
        else:
            p = probabilities.get(text, base)
            likelihood *= p if is_present else 1.0 - p
    return likelihood


def _askable(question: Question, findings: Findings, known: _Known) -> bool:
    if question.asks_duration and findings.duration:
        return False
    if question.asks_duration and any(f[0] == DURATION_ENTITY for f in known.present):
        return False
    facts = question.facts
    if facts and all(f in known.present or f in known.absent for f in facts):
        return False
    skip = set(question.skip_if_known)
    return not any(f[0] in skip or format_fact(f) in skip for f in known.present)


def _question_value(
    question: Question,
    findings: Findings,
    known: _Known,
    urgency: str,
    candidates: Sequence[Tuple[Cause, float]],
    table: CauseTable,
) -> float:
    answers = [a for a in question.answers if a.informative]
    if not answers:
        return 0.0
    # likelihood[a][c], normalised over answers for each cause
    base = table.engine.base_rate
    probabilities = [_compiled(table).probabilities[c.id] for c, _ in candidates]
    matrix = [
        [_answer_likelihood(facts, p, base, known) for p in probabilities]
        for facts in (_answer_facts(a, table) for a in answers)
    ]
    for j in range(len(candidates)):
        total = sum(row[j] for row in matrix)
        for row in matrix:
            row[j] = row[j] / total if total > 0 else 1.0 / len(answers)
    prior = [p for _, p in candidates]
    gain = _entropy(prior)
    rank_now = URGENCIES.index(urgency)
    up = down = 0.0
    for answer, row in zip(answers, matrix, strict=True):
        joint = [p * likelihood for p, likelihood in zip(prior, row, strict=True)]
        p_answer = sum(joint)
        if p_answer <= 0:
            continue
        gain -= p_answer * _entropy(j / p_answer for j in joint)
        new_known = expand_findings(findings.with_answer(answer), table)
        # emergencies are screened by the red-flag check: count at most "urgent"
        rank_new = max(URGENCIES.index(_urgency(new_known, table)[0]), 1)
        up += p_answer * max(0, rank_now - rank_new)
        down += p_answer * max(0, rank_new - rank_now)
    params = table.engine
    return gain + params.urgency_weight * up + params.urgency_lower_weight * down


def _next_question(
    findings: Findings,
    known: _Known,
    urgency: str,
    ranked: Sequence[RankedCause],
    asked: FrozenSet[str],
    table: CauseTable,
) -> Tuple[Optional[Question], float]:
    if urgency == "emergency":
        return None, 0.0
    top = ranked[: table.engine.top_k]
    total = sum(r.probability for r in top)
    candidates = [(table.cause(r.id), r.probability / total) for r in top]
    best: Optional[Question] = None
    best_value = table.engine.min_question_value
    for question in table.questions:
        if question.id in asked or not _askable(question, findings, known):
            continue
        value = _question_value(question, findings, known, urgency, candidates, table)
        if value > best_value + 1e-12:
            best, best_value = question, value
    return best, (best_value if best else 0.0)


def _red_flag_question(
    known: _Known, flags: List[RedFlagHit], asked: FrozenSet[str], table: CauseTable
) -> Optional[Question]:
    """The red-flag check, unless asked, a flag fired, or "None of these" is known."""
    question = table.red_flag_check
    if flags or question.id in asked:
        return None
    denials = [f for a in question.answers if not a.red_flag for f in a.absent_facts]
    if denials and all(f in known.absent for f in denials):
        return None
    return question


# --------------------------------------------------------------------- API


def rank_causes(
    findings: Findings, table: Optional[CauseTable] = None
) -> List[RankedCause]:
    """Every cause ranked by score (cheaper than `assess`: no question search)."""
    table = table or get_cause_table()
    known = expand_findings(findings, table)
    return _rank(known, table, frozenset(f.id for f in _red_flags(known, table)))


def _unique(items: Iterable[str]) -> List[str]:
    return list(dict.fromkeys(items))


def _more_urgent(level: str, than: str) -> bool:
    return URGENCIES.index(level) < URGENCIES.index(than)


def spoken_against(cause: Cause, present: AbstractSet[Fact]) -> bool:
    """True when a present fact is one the cause's presentation counts against."""
    return not present.isdisjoint(_weights(tuple(cause.presentation.against.items())))


def lends_urgency(cause: Cause, present: AbstractSet[Fact]) -> bool:
    """False when a told fact speaks against the cause or is one of its
    `urgency_unless` facts, or when none of its `urgency_needs` facts is told:
    then it is reported, but sets no urgency."""
    if cause.urgency_needs and present.isdisjoint(_parsed(tuple(cause.urgency_needs))):
        return False
    return not spoken_against(cause, present) and present.isdisjoint(
        _parsed(tuple(cause.urgency_unless))
    )


def cause_urgency(
    shown: Sequence[RankedCause],
    table: Optional[CauseTable] = None,
    present: AbstractSet[Fact] = frozenset(),
) -> Tuple[Optional[str], Optional[str]]:
    """(urgency, cause id): the most urgent reported cause above the threshold.

    (None, None) when no reported cause is probable enough to count. A cause
    that a told fact speaks against (a stroke told of both sides) is probable
    only for want of better ones, and lends no urgency; nor does one with a fact
    of its `urgency_unless` told (the numbness left by an earlier stroke).
    """
    table = table or get_cause_table()
    best: Tuple[Optional[str], Optional[str]] = (None, None)
    for ranked in shown:
        if ranked.probability < table.engine.cause_urgency_threshold:
            continue
        cause = table.cause(ranked.id)
        if not lends_urgency(cause, present):
            continue
        level = cause.urgency
        if best[0] is None or _more_urgent(level, best[0]):
            best = (level, ranked.id)
    return best


def assess(
    findings: Findings,
    asked: FrozenSet[str] = frozenset(),
    table: Optional[CauseTable] = None,
) -> Assessment:
    """Urgency, red flags, ranked causes and the next most useful question.

    `asked` holds ids of questions already put to the person (answered or not);
    none of them is returned again.
    """
    table = table or get_cause_table()
    asked = frozenset(asked)
    known = expand_findings(findings, table)
    rule_urgency, reason, flags = _urgency(known, table)
    ranked = _rank(known, table, frozenset(flag.id for flag in flags))
    shown = ranked[: table.engine.max_causes]
    urgency, by_cause = rule_urgency, None
    level, cause_id = cause_urgency(shown, table, known.present)
    if level is not None and _more_urgent(level, rule_urgency):
        urgency, reason, by_cause = level, None, cause_id
    question, value = (None, 0.0)
    if urgency != "emergency":
        question, value = _next_question(
            findings, known, rule_urgency, ranked, asked, table
        )
    specialists = _unique(s for r in shown for s in table.cause(r.id).specialists)
    tests = _unique(t for r in shown for t in table.cause(r.id).tests)
    if flags and table.engine.emergency_specialist:
        specialists = _unique([table.engine.emergency_specialist, *specialists])
    return Assessment(
        urgency=urgency,
        red_flags=flags,
        causes=shown,
        next_question=question,
        urgency_reason=reason,
        specialists=specialists,
        tests=tests,
        red_flag_question=_red_flag_question(known, flags, asked, table),
        all_causes=ranked,
        question_value=round(value, 6),
        urgency_cause=by_cause,
    )
