"""The cause table: loader and cross-checks for causes.yml and questions.yml.

Medicine is data: every cause, red flag, urgency rule, specialist, test and
follow-up question lives in `actions/causes.yml` / `actions/questions.yml`.
This module validates them once at start-up against the schema
(actions/cause_schema.py) and fails loud: a broken file raises one
`CauseTableError` naming the row id and the field. Facts are "entity:value"
strings checked against `actions.vocabulary`, or duration buckets
("duration:days") defined in the table. No Rasa import: this is part of the
pure core.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, NoReturn, Optional, Tuple, Type, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from actions.cause_schema import (
    CAUSE_ENTITY,
    CAUSES_PATH,
    DURATION_ENTITY,
    QUESTIONS_PATH,
    RED_FLAG_CHECK_ID,
    SAFETY_NET,
    URGENCIES,
    AgeRange,
    Answer,
    Cause,
    CauseTableError,
    Clause,
    EngineParams,
    Implication,
    Presentation,
    Question,
    RedFlag,
    Referral,
    SourcedText,
    Treatment,
    UrgencyLevel,
    UrgencyRule,
    _CausesFile,
    _QuestionsFile,
    duration_days,
    format_fact,
    parse_fact,
)
from actions.vocabulary import Fact, Vocabulary, get_vocabulary, read_yaml

__all__ = [
    "CAUSES_PATH",
    "CAUSE_ENTITY",
    "DURATION_ENTITY",
    "QUESTIONS_PATH",
    "RED_FLAG_CHECK_ID",
    "SAFETY_NET",
    "URGENCIES",
    "AgeRange",
    "Answer",
    "Cause",
    "CauseTable",
    "CauseTableError",
    "Citation",
    "Clause",
    "EngineParams",
    "Implication",
    "Presentation",
    "Question",
    "RedFlag",
    "Referral",
    "SourcedText",
    "Treatment",
    "UrgencyLevel",
    "UrgencyRule",
    "citations",
    "duration_days",
    "format_fact",
    "get_cause_table",
    "load_cause_table",
    "parse_fact",
    "red_flag_check_for",
]


# --------------------------------------------------------------------- table


@dataclass(frozen=True, eq=False)
class CauseTable:
    """The validated table: causes in file order plus everything the engine needs.

    Compared and hashed by identity, so the engine can cache views of one table.
    """

    causes: Tuple[Cause, ...]
    red_flags: Tuple[RedFlag, ...]
    urgency_rules: Tuple[UrgencyRule, ...]
    default_urgency: str
    specialists: Dict[str, Referral]
    tests: Dict[str, Referral]
    engine: EngineParams
    duration_buckets: Tuple[Tuple[str, Optional[float]], ...]
    #: (facts that must all be present, facts they imply), in file order
    implications: Tuple[Tuple[Tuple[Fact, ...], Tuple[Fact, ...]], ...]
    exclusive: Tuple[Tuple[Fact, ...], ...]
    questions: Tuple[Question, ...]
    red_flag_check: Question
    urgency_levels: Dict[str, UrgencyLevel]
    disclaimer: SourcedText

    def cause(self, cause_id: str) -> Cause:
        """The cause with this id (KeyError when unknown)."""
        for cause in self.causes:
            if cause.id == cause_id:
                return cause
        raise KeyError(cause_id)

    def red_flag(self, flag_id: str) -> RedFlag:
        """The red flag with this id (KeyError when unknown)."""
        for flag in self.red_flags:
            if flag.id == flag_id:
                return flag
        raise KeyError(flag_id)

    def question(self, question_id: str) -> Question:
        """A follow-up question (or the red-flag check) by id."""
        for question in (*self.questions, self.red_flag_check):
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def red_flag_check_for(self, cause_id: str) -> Optional[str]:
        """The red flag whose confirming question a worry about this cause needs.

        None for a cause without a named danger (or an unknown id): a person
        who asks "could it be a clot?" gets this flag's check, not a plain answer.
        """
        try:
            return self.cause(cause_id).red_flag_check
        except KeyError:
            return None

    @property
    def cause_ids(self) -> Tuple[str, ...]:
        """Cause ids in file order."""
        return tuple(c.id for c in self.causes)

    def find_cause(self, text: str) -> Optional[Cause]:
        """A cause named by id, name, lay name or alias (case-insensitive)."""
        key = " ".join(str(text).lower().replace("_", " ").split())
        for cause in self.causes:
            names = [
                cause.id.replace("_", " "),
                cause.name,
                cause.lay_name,
                *cause.aliases,
            ]
            if key in {" ".join(n.lower().split()) for n in names}:
                return cause
        return None

    def bucket_of(self, iso: Optional[str]) -> Optional[str]:
        """The duration bucket ("days", "weeks"...) an ISO 8601 duration falls in."""
        days = duration_days(iso) if iso else None
        if days is None:
            return None
        for name, upper in self.duration_buckets:
            if upper is None or days <= upper:
                return name
        return None


@dataclass(frozen=True)
class Citation:
    """One medical text shown to people, with where it comes from.

    `sources` are article headings or sentence openings; `SAFETY_NET` among
    them marks what the article lacks but safety needs, explained in `reason`.
    """

    row: str
    field: str
    text: str
    sources: Tuple[str, ...]
    reason: Optional[str] = None

    @property
    def is_safety_net(self) -> bool:
        """True when (part of) the text is not in the article."""
        return SAFETY_NET in self.sources


def citations(table: CauseTable) -> List[Citation]:
    """Every medical text of the table with its sources, in file order."""

    def item(row: str, field_path: str, text: SourcedText) -> Citation:
        return Citation(row, field_path, text.text, (text.source,), text.reason)

    out: List[Citation] = []
    for level, words in table.urgency_levels.items():
        out.append(item(f"urgency {level}", "advice", words.advice))
        if words.reassurance:
            out.append(item(f"urgency {level}", "reassurance", words.reassurance))
    out.append(item("top level", "disclaimer", table.disclaimer))
    for kind, refs in (("specialist", table.specialists), ("test", table.tests)):
        for ref_id, ref in refs.items():
            out.append(
                Citation(f"{kind} {ref_id}", "lay_name", ref.lay_name, (ref.source,))
            )
    for flag in table.red_flags:
        label_sources = tuple(flag.source)
        if flag.label_reason and SAFETY_NET not in label_sources:
            label_sources += (SAFETY_NET,)
        row = f"red flag {flag.id}"
        reason = flag.reason or flag.label_reason
        out.append(Citation(row, "label", flag.label, label_sources, reason))
        out.append(
            Citation(row, "advice", flag.advice, tuple(flag.source), flag.reason)
        )
    for cause in table.causes:
        row = f"cause {cause.id}"
        out.append(Citation(row, "summary", cause.summary, tuple(cause.source)))
        for i, text in enumerate(cause.self_help):
            out.append(item(row, f"self_help.{i}", text))
        for kind in ("conservative", "surgical"):
            for i, text in enumerate(getattr(cause.treatment, kind)):
                out.append(item(row, f"treatment.{kind}.{i}", text))
    return out


def _where(row: str, field_path: Iterable[Any]) -> str:
    return f"{row}, field '{'.'.join(str(p) for p in field_path) or '(row)'}'"


_Model = TypeVar("_Model", bound=BaseModel)


def _model(model: Type[_Model], raw: Any, path: Path, row: str) -> _Model:
    """Build one pydantic model; on failure raise one error naming row and field."""
    try:
        return model.parse_obj(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CauseTableError(
            f"{path.name}: {_where(row, first['loc'])}: {first['msg']}"
        ) from None


class _Checker:
    """Cross-reference checks that pydantic alone cannot do (vocabulary, ids)."""

    def __init__(self, path: Path, vocabulary: Vocabulary, buckets: Iterable[str]):
        self.path = path
        self.vocabulary = vocabulary
        self.buckets = set(buckets)

    def fail(self, row: str, field_path: str, message: str) -> NoReturn:
        raise CauseTableError(
            f"{self.path.name}: {row}, field '{field_path}': {message}"
        )

    def fact(self, row: str, field_path: str, text: str) -> Fact:
        try:
            entity, value = parse_fact(text)
        except ValueError as exc:
            self.fail(row, field_path, str(exc))
        if entity == DURATION_ENTITY:
            if value not in self.buckets:
                self.fail(
                    row,
                    field_path,
                    f"unknown duration bucket {value!r}; allowed: "
                    f"{', '.join(sorted(self.buckets))}",
                )
            return entity, value
        try:
            self.vocabulary.check(entity, value)
        except ValueError as exc:
            self.fail(row, field_path, f"{text!r}: {exc}")
        return entity, value

    def facts(
        self, row: str, field_path: str, texts: Iterable[str]
    ) -> Tuple[Fact, ...]:
        return tuple(
            self.fact(row, f"{field_path}[{i}]", text) for i, text in enumerate(texts)
        )

    def clauses(self, row: str, clauses: Iterable[Clause]) -> None:
        for i, clause in enumerate(clauses):
            for key in ("all_of", "any_of", "none_of"):
                self.facts(row, f"when.{i}.{key}", getattr(clause, key))

    def ids(
        self, row: str, field_path: str, ids: Iterable[str], known: Iterable[str]
    ) -> None:
        allowed = list(known)
        for i, item in enumerate(ids):
            if item not in allowed:
                self.fail(
                    row,
                    f"{field_path}[{i}]",
                    f"unknown id {item!r}; allowed: {', '.join(allowed)}",
                )

    def unique(self, kind: str, ids: List[str]) -> None:
        seen = set()
        for item in ids:
            if item in seen:
                self.fail(f"{kind} '{item}'", "id", f"duplicate id {item!r}")
            seen.add(item)


def _read_yaml(path: Path) -> Any:
    try:
        return read_yaml(path) or {}
    except yaml.YAMLError as exc:
        raise CauseTableError(f"{path.name}: not valid YAML: {exc}") from None


def _row_name(kind: str, raw: Any, index: int) -> str:
    ident = raw.get("id") if isinstance(raw, dict) else None
    return f"{kind} '{ident}' (row {index + 1})" if ident else f"{kind} row {index + 1}"


_ClauseRow = TypeVar("_ClauseRow", RedFlag, UrgencyRule)


def _clause_rows(
    check: _Checker, kind: str, model: Type[_ClauseRow], raws: List[Any]
) -> List[_ClauseRow]:
    """Rows with `when` clauses (red flags, urgency rules), each checked, ids unique."""
    rows: List[_ClauseRow] = []
    for i, raw in enumerate(raws):
        row = _row_name(kind, raw, i)
        item = _model(model, raw, check.path, row)
        check.clauses(row, item.when)
        rows.append(item)
    check.unique(kind, [item.id for item in rows])
    return rows


def load_cause_table(
    path: Path = CAUSES_PATH,
    questions_path: Path = QUESTIONS_PATH,
    vocabulary: Optional[Vocabulary] = None,
) -> CauseTable:
    """Read and validate causes.yml and questions.yml (uncached).

    Raises CauseTableError naming the file, the row id and the field of the
    first problem found.
    """
    path, questions_path = Path(path), Path(questions_path)
    vocabulary = vocabulary or get_vocabulary()
    top = _model(_CausesFile, _read_yaml(path), path, "top level")
    check = _Checker(path, vocabulary, top.duration_buckets)

    if top.default_urgency not in URGENCIES[1:]:
        check.fail(
            "top level", "default_urgency", f"unknown urgency {top.default_urgency!r}"
        )
    if set(top.urgency_levels) != set(URGENCIES):
        check.fail(
            "top level",
            "urgency_levels",
            f"needs exactly the levels {', '.join(URGENCIES)}; "
            f"has {', '.join(top.urgency_levels)}",
        )
    for name, ref in {**top.specialists, **top.tests}.items():
        _ = ref  # the model already checked the fields
        if not re.match(r"^[a-z][a-z0-9_]*$", name):
            check.fail(f"referral '{name}'", "id", "ids are snake_case")

    if top.engine.emergency_specialist:
        check.ids(
            "top level",
            "engine.emergency_specialist",
            [top.engine.emergency_specialist],
            top.specialists,
        )
    implications = tuple(
        (
            check.facts(f"implication {i + 1}", "if", rule.if_),
            check.facts(f"implication {i + 1}", "then", rule.then),
        )
        for i, rule in enumerate(top.implications)
    )
    exclusive = tuple(
        check.facts(f"exclusive group {i + 1}", "facts", group)
        for i, group in enumerate(top.exclusive)
    )

    red_flags: List[RedFlag] = _clause_rows(check, "red flag", RedFlag, top.red_flags)
    flag_ids = [f.id for f in red_flags]
    rules: List[UrgencyRule] = _clause_rows(
        check, "urgency rule", UrgencyRule, top.urgency_rules
    )

    causes = []
    for i, raw in enumerate(top.causes):
        row = _row_name("cause", raw, i)
        cause = _model(Cause, raw, path, row)
        check.facts(row, "presentation.typical", cause.presentation.typical)
        check.facts(row, "presentation.against", cause.presentation.against)
        check.facts(row, "urgency_unless", cause.urgency_unless)
        check.facts(row, "urgency_needs", cause.urgency_needs)
        both = set(cause.presentation.typical) & set(cause.presentation.against)
        if both:
            check.fail(row, "presentation.against", f"also typical: {sorted(both)}")
        check.ids(row, "red_flags", cause.red_flags, flag_ids)
        _check_named_danger(check, row, cause)
        check.ids(row, "specialists", cause.specialists, top.specialists)
        check.ids(row, "tests", cause.tests, top.tests)
        causes.append(cause)
    check.unique("cause", [c.id for c in causes])
    if not causes:
        check.fail("top level", "causes", "the table has no causes")

    questions, red_flag_check = _load_questions(
        questions_path, vocabulary, top, flag_ids
    )
    buckets = tuple(top.duration_buckets.items())
    return CauseTable(
        causes=tuple(causes),
        red_flags=tuple(red_flags),
        urgency_rules=tuple(rules),
        default_urgency=top.default_urgency,
        specialists=dict(top.specialists),
        tests=dict(top.tests),
        engine=top.engine,
        duration_buckets=buckets,
        implications=implications,
        exclusive=exclusive,
        questions=questions,
        red_flag_check=red_flag_check,
        urgency_levels={level: top.urgency_levels[level] for level in URGENCIES},
        disclaimer=top.disclaimer,
    )


def _check_named_danger(check: _Checker, row: str, cause: Cause) -> None:
    """A dangerous cause names the red flag whose check it needs, among its flags.

    Why: a person who names the cause as a worry must get that flag's
    confirming question, and the urgency of the cause must be reachable.
    """
    if cause.red_flag_check is None:
        if cause.urgency == "emergency":
            check.fail(
                row, "red_flag_check", "an emergency cause names its red flag check"
            )
        return
    if cause.red_flag_check not in cause.red_flags:
        check.fail(
            row,
            "red_flag_check",
            f"{cause.red_flag_check!r} is not among the cause's red_flags "
            f"{cause.red_flags}",
        )


def _load_questions(
    path: Path, vocabulary: Vocabulary, top: _CausesFile, flag_ids: List[str]
) -> Tuple[Tuple[Question, ...], Question]:
    top_q = _model(_QuestionsFile, _read_yaml(path), path, "top level")
    check = _Checker(path, vocabulary, top.duration_buckets)
    entities = set(vocabulary.entity_names)

    def checked(raw: Any, row: str) -> Question:
        question = _model(Question, raw, path, row)
        for i, answer in enumerate(question.answers):
            check.facts(row, f"answers.{i}.present", answer.present)
            check.facts(row, f"answers.{i}.absent", answer.absent)
            if answer.red_flag is not None:
                check.ids(row, f"answers.{i}.red_flag", [answer.red_flag], flag_ids)
        for i, item in enumerate(question.skip_if_known):
            if ":" in item:
                check.fact(row, f"skip_if_known[{i}]", item)
            elif item not in entities:
                check.fail(row, f"skip_if_known[{i}]", f"unknown entity {item!r}")
        if not any(a.informative for a in question.answers):
            check.fail(row, "answers", "no answer tells the engine anything")
        return question

    questions = tuple(
        checked(raw, _row_name("question", raw, i))
        for i, raw in enumerate(top_q.questions)
    )
    red_flag_check = checked(top_q.red_flag_check, f"question '{RED_FLAG_CHECK_ID}'")
    if red_flag_check.id != RED_FLAG_CHECK_ID:
        check.fail("red_flag_check", "id", f"must be {RED_FLAG_CHECK_ID!r}")
    covered = {a.red_flag for a in red_flag_check.answers if a.red_flag}
    missing = [f for f in flag_ids if f not in covered]
    if missing:
        check.fail(
            f"question '{RED_FLAG_CHECK_ID}'",
            "answers",
            f"red flags without a button: {missing}",
        )
    check.unique("question", [q.id for q in (*questions, red_flag_check)])
    return questions, red_flag_check


@lru_cache(maxsize=1)
def get_cause_table() -> CauseTable:
    """The project cause table, read and validated once per process."""
    return load_cause_table()


def red_flag_check_for(cause_id: str) -> Optional[str]:
    """The project table's red flag to check when a person names this cause."""
    return get_cause_table().red_flag_check_for(cause_id)
