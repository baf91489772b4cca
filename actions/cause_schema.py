"""The schema of causes.yml and questions.yml, and the "entity:value" fact form.

Why apart from the loader: these are plain pydantic models (1.10, which Rasa
ships) and small value helpers that the engine, the parsing of slots and the
loader share; the cross-checks that need the vocabulary live in
actions/cause_table.py. No Rasa import: this is part of the pure core.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from pydantic import BaseModel, Extra, Field, confloat, validator

from actions.vocabulary import Fact

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


if TYPE_CHECKING:  # mypy reads the constrained floats as plain floats
    PositiveFloat = float
    NonNegativeFloat = float
    PriorFloat = float
    OpenProbability = float
    Probability = float
else:
    PositiveFloat = confloat(gt=0)
    NonNegativeFloat = confloat(ge=0)
    PriorFloat = confloat(ge=-2, le=2)
    OpenProbability = confloat(gt=0, lt=1)
    Probability = confloat(gt=0, le=1)


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
    weight: PositiveFloat = 1.0


class Presentation(_Strict):
    """How a cause typically presents: fact -> weight (3 hallmark, 1 compatible)."""

    typical: Dict[str, PositiveFloat]
    against: Dict[str, PositiveFloat] = {}
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
    prior: PriorFloat = 0.0
    summary: str = NonEmpty
    source: List[str] = Field(..., min_items=1)
    presentation: Presentation
    red_flags: List[str] = []
    #: The red flag whose confirming question rules this cause's danger in or out.
    red_flag_check: Optional[str] = None
    urgency: str
    #: Facts that, told, keep the cause from lending its urgency (the lasting
    #: numbness of an earlier stroke is the stroke's own, yet no stroke now).
    urgency_unless: List[str] = []
    #: Facts of which one must be told for the cause to lend its urgency (a
    #: swollen, painful limb is a compartment emergency once it goes numb or weak
    #: below; before that the red flag's own rules decide).
    urgency_needs: List[str] = []
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

    absent_factor: NonNegativeFloat = 0.5
    unexplained_penalty: NonNegativeFloat = 0.25
    mentioned_cause_weight: NonNegativeFloat = 1.5
    red_flag_weight: NonNegativeFloat = 0.0
    base_rate: OpenProbability = 0.2
    top_k: int = Field(6, ge=2)
    urgency_weight: NonNegativeFloat = 1.0
    urgency_lower_weight: NonNegativeFloat = 0.0
    min_question_value: NonNegativeFloat = 0.05
    max_causes: int = Field(3, ge=1)
    emergency_specialist: Optional[str] = None
    #: probability a reported cause needs before its own `urgency` counts
    cause_urgency_threshold: Probability = 0.5


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
    engine: EngineParams = EngineParams.parse_obj({})
    duration_buckets: Dict[str, Optional[PositiveFloat]]
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
