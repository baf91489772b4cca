"""The cause table: schema, loader and cross-checks for causes.yml and questions.yml.

Medicine is data: every cause, red flag, urgency rule, specialist, test and
follow-up question lives in `actions/causes.yml` / `actions/questions.yml`.
This module validates them once at start-up (pydantic 1.10, which Rasa ships)
and fails loud: a broken file raises one `CauseTableError` naming the row id
and the field. Facts are "entity:value" strings checked against
`actions.vocabulary`, or duration buckets ("duration:days") defined in the
table. No Rasa import: this is part of the pure core.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import yaml
from pydantic import BaseModel, Extra, Field, ValidationError, confloat, validator

from actions.vocabulary import Fact, Vocabulary, get_vocabulary, read_yaml

#: libyaml's C loader when available (about ten times faster), else the pure one.

CAUSES_PATH = Path(__file__).with_name("causes.yml")
QUESTIONS_PATH = Path(__file__).with_name("questions.yml")

#: Urgency levels, most urgent first.
URGENCIES: Tuple[str, ...] = ("emergency", "urgent", "routine", "self_care")
#: The entity of duration-bucket facts ("duration:weeks").
DURATION_ENTITY = "duration"
#: The entity of a cause the person names ("cause:<cause id>").
CAUSE_ENTITY = "cause"
#: Id of the one red-flag screening question in questions.yml.
RED_FLAG_CHECK_ID = "red_flag_check"
#: The `source` of a sentence the article lacks but a safe product needs.
SAFETY_NET = "safety-net"

_ISO_DURATION = re.compile(
    r"^P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?"
    r"(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?"
    r"(?:(\d+(?:\.\d+)?)S)?)?$"
)


class CauseTableError(ValueError):
    """The cause table or the questions file is broken; the message names where."""


def parse_fact(text: str) -> Fact:
    """Split "entity:value" into a fact tuple (no vocabulary check)."""
    entity, sep, value = str(text).partition(":")
    if not sep or not entity or not value:
        raise ValueError(f"{text!r} is not an 'entity:value' fact")
    return entity.strip(), value.strip()


def format_fact(fact: Fact) -> str:
    """The "entity:value" form used in data files and dialogue slots."""
    return f"{fact[0]}:{fact[1]}"


def duration_days(iso: str) -> Optional[float]:
    """Length of an ISO 8601 duration in days (month 30, year 365); None if invalid."""
    match = _ISO_DURATION.match(str(iso).strip().upper())
    if not match:
        return None
    y, mo, w, d, h, mi, s = (float(g) if g else 0.0 for g in match.groups())
    return y * 365 + mo * 30 + w * 7 + d + h / 24 + mi / 1440 + s / 86400


# --------------------------------------------------------------------- schema


class _Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        allow_mutation = False


NonEmpty = Field(..., min_length=1)


class SourcedText(_Strict):
    """One medical sentence and the article section it comes from.

    `source: safety-net` marks a sentence the article lacks but safety needs;
    it must say why in `reason` (and only such a sentence has a reason).
    """

    text: str = NonEmpty
    source: str = NonEmpty
    reason: Optional[str] = None

    @validator("reason", always=True)
    def _reason_for_safety_net(
        cls, value: Optional[str], values: Dict[str, Any]
    ) -> Optional[str]:
        safety_net = values.get("source") == SAFETY_NET
        if safety_net and not (value and value.strip()):
            raise ValueError(f"a '{SAFETY_NET}' sentence needs a one-line reason")
        if value is not None and not safety_net:
            raise ValueError(f"only a '{SAFETY_NET}' sentence has a reason")
        return value

    @property
    def is_safety_net(self) -> bool:
        """True when the article lacks this sentence (see `reason`)."""
        return self.source == SAFETY_NET


class Treatment(_Strict):
    conservative: List[SourcedText] = []
    surgical: List[SourcedText] = []


class AgeRange(_Strict):
    min: Optional[int] = None
    max: Optional[int] = None
    weight: confloat(gt=0) = 1.0


class Presentation(_Strict):
    """How a cause typically presents: fact -> weight (3 hallmark, 1 compatible)."""

    typical: Dict[str, confloat(gt=0)]
    against: Dict[str, confloat(gt=0)] = {}
    age: Optional[AgeRange] = None

    @validator("typical")
    def _typical_not_empty(cls, value: Dict[str, float]) -> Dict[str, float]:
        if not value:
            raise ValueError("a cause needs at least one typical fact")
        return value


class Cause(_Strict):
    id: str = Field(..., regex=r"^[a-z][a-z0-9_]*$")
    name: str = NonEmpty
    lay_name: str = NonEmpty
    aliases: List[str] = []
    category: str = NonEmpty
    prior: confloat(ge=-2, le=2) = 0.0
    summary: str = NonEmpty
    source: List[str] = Field(..., min_items=1)
    presentation: Presentation
    red_flags: List[str] = []
    #: The red flag whose confirming question rules this cause's danger in or out.
    red_flag_check: Optional[str] = None
    urgency: str
    specialists: List[str] = Field(..., min_items=1)
    tests: List[str] = Field(..., min_items=1)
    self_help: List[SourcedText] = []
    treatment: Treatment = Treatment()

    @validator("urgency")
    def _known_urgency(cls, value: str) -> str:
        if value not in URGENCIES:
            raise ValueError(
                f"unknown urgency {value!r}; allowed: {', '.join(URGENCIES)}"
            )
        return value


class Clause(_Strict):
    """Holds when every `all_of` fact, at least one `any_of` fact (if given) and no
    `none_of` fact is present."""

    all_of: List[str] = []
    any_of: List[str] = []
    none_of: List[str] = []

    @validator("none_of")
    def _something_required(cls, value: List[str], values: Dict[str, Any]) -> List[str]:
        if not values.get("all_of") and not values.get("any_of"):
            raise ValueError("a clause needs all_of or any_of")
        return value


class RedFlag(_Strict):
    """An emergency sign. Its label and advice cite `source`. A flag the article
    lacks altogether adds `safety-net` to `source` and says why in `reason`; a
    label naming signs the article lacks but safety needs (a drooping face)
    says why in `label_reason`."""

    id: str = Field(..., regex=r"^[a-z][a-z0-9_]*$")
    label: str = NonEmpty
    when: List[Clause] = Field(..., min_items=1)
    advice: str = NonEmpty
    source: List[str] = Field(..., min_items=1)
    reason: Optional[str] = None
    label_reason: Optional[str] = Field(None, min_length=1)

    @validator("reason", always=True)
    def _reason_for_safety_net(
        cls, value: Optional[str], values: Dict[str, Any]
    ) -> Optional[str]:
        safety_net = SAFETY_NET in (values.get("source") or [])
        if safety_net and not (value and value.strip()):
            raise ValueError(f"a '{SAFETY_NET}' source needs a one-line reason")
        if value is not None and not safety_net:
            raise ValueError(f"only a '{SAFETY_NET}' source has a reason")
        return value


class UrgencyRule(_Strict):
    id: str = Field(..., regex=r"^[a-z][a-z0-9_]*$")
    urgency: str
    label: str = NonEmpty
    when: List[Clause] = Field(..., min_items=1)

    @validator("urgency")
    def _not_emergency(cls, value: str) -> str:
        if value not in URGENCIES[1:]:
            raise ValueError(
                f"urgency {value!r} not allowed here (emergency comes only from red "
                f"flags); allowed: {', '.join(URGENCIES[1:])}"
            )
        return value


class Referral(_Strict):
    """A specialist or a diagnostic test named by the article."""

    name: str = NonEmpty
    lay_name: str = NonEmpty
    source: str = NonEmpty


class EngineParams(_Strict):
    """Tunables of actions/triage.py (documented there)."""

    absent_factor: confloat(ge=0) = 0.5
    unexplained_penalty: confloat(ge=0) = 0.25
    mentioned_cause_weight: confloat(ge=0) = 1.5
    base_rate: confloat(gt=0, lt=1) = 0.2
    top_k: int = Field(6, ge=2)
    urgency_weight: confloat(ge=0) = 1.0
    urgency_lower_weight: confloat(ge=0) = 0.0
    min_question_value: confloat(ge=0) = 0.05
    max_causes: int = Field(3, ge=1)
    emergency_specialist: Optional[str] = None
    #: probability a reported cause needs before its own `urgency` counts
    cause_urgency_threshold: confloat(gt=0, le=1) = 0.5


class UrgencyLevel(_Strict):
    """What the bot says for one urgency level: a short label and the advice.

    `reassurance` ("nothing points to an emergency") is said only when no
    reported cause calls for more; see actions/replies.py.
    """

    label: str = NonEmpty
    advice: SourcedText
    reassurance: Optional[SourcedText] = None


class Answer(_Strict):
    """One button of a question and what it tells the engine."""

    title: str = NonEmpty
    #: The title when the story is someone else's ("They drag their foot").
    title_other: Optional[str] = None
    present: List[str] = []
    absent: List[str] = []
    duration: Optional[str] = None
    red_flag: Optional[str] = None

    @validator("duration")
    def _iso_duration(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and duration_days(value) is None:
            raise ValueError(f"{value!r} is not an ISO 8601 duration such as P3W")
        return value

    @property
    def present_facts(self) -> Tuple[Fact, ...]:
        """The facts this answer makes present, as tuples."""
        return tuple(parse_fact(f) for f in self.present)

    @property
    def absent_facts(self) -> Tuple[Fact, ...]:
        """The facts this answer makes absent, as tuples."""
        return tuple(parse_fact(f) for f in self.absent)

    @property
    def informative(self) -> bool:
        """False for "Not sure": the answer changes nothing."""
        return bool(self.present or self.absent or self.duration)


class Question(_Strict):
    """A follow-up question in lay words with button answers."""

    id: str = Field(..., regex=r"^[a-z][a-z0-9_]*$")
    text: str = NonEmpty
    #: The text when the story is someone else's ("Do they have diabetes?").
    text_other: Optional[str] = None
    answers: List[Answer] = Field(..., min_items=2)
    skip_if_known: List[str] = []

    @property
    def facts(self) -> Tuple[Fact, ...]:
        """Every fact any answer can settle, in file order, without repeats."""
        seen: Dict[Fact, None] = {}
        for answer in self.answers:
            for fact in answer.present_facts + answer.absent_facts:
                seen[fact] = None
        return tuple(seen)

    @property
    def asks_duration(self) -> bool:
        """True when an answer sets the duration."""
        return any(a.duration for a in self.answers)


class Implication(_Strict):
    """When every `if` fact is present, the `then` facts are present too."""

    if_: List[str] = Field(..., alias="if", min_items=1)
    then: List[str] = Field(..., min_items=1)


class _CausesFile(_Strict):
    engine: EngineParams = EngineParams()
    duration_buckets: Dict[str, Optional[confloat(gt=0)]]
    implications: List[Implication] = []
    exclusive: List[List[str]] = []
    specialists: Dict[str, Referral]
    tests: Dict[str, Referral]
    red_flags: List[Any]
    default_urgency: str
    urgency_levels: Dict[str, UrgencyLevel]
    disclaimer: SourcedText
    urgency_rules: List[Any]
    causes: List[Any]


class _QuestionsFile(_Strict):
    questions: List[Any]
    red_flag_check: Any


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


def _model(model: type, raw: Any, path: Path, row: str) -> Any:
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

    def fail(self, row: str, field_path: str, message: str) -> None:
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

    def ids(self, row: str, field_path: str, ids: Iterable[str], known: Iterable[str]):
        known = list(known)
        for i, item in enumerate(ids):
            if item not in known:
                self.fail(
                    row,
                    f"{field_path}[{i}]",
                    f"unknown id {item!r}; allowed: {', '.join(known)}",
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

    red_flags = []
    for i, raw in enumerate(top.red_flags):
        row = _row_name("red flag", raw, i)
        flag = _model(RedFlag, raw, path, row)
        check.clauses(row, flag.when)
        red_flags.append(flag)
    check.unique("red flag", [f.id for f in red_flags])
    flag_ids = [f.id for f in red_flags]

    rules = []
    for i, raw in enumerate(top.urgency_rules):
        row = _row_name("urgency rule", raw, i)
        rule = _model(UrgencyRule, raw, path, row)
        check.clauses(row, rule.when)
        rules.append(rule)
    check.unique("urgency rule", [r.id for r in rules])

    causes = []
    for i, raw in enumerate(top.causes):
        row = _row_name("cause", raw, i)
        cause = _model(Cause, raw, path, row)
        check.facts(row, "presentation.typical", cause.presentation.typical)
        check.facts(row, "presentation.against", cause.presentation.against)
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
