"""The simulated patient.

Answers only from its case's facts, reading the bot's words through the bot's
own /model/parse (as a person reads them).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from actions.cause_table import parse_fact
from actions.vocabulary import get_vocabulary
from scripts.evaluation.cases import Case

DIAGNOSTIC_SLOTS = ("facts_present", "facts_absent", "age", "duration")
URGENCY_ORDER = {"self_care": 0, "routine": 1, "urgent": 2, "emergency": 3}
MAX_QUESTIONS_TARGET = 5.0

#: Body parts that lie within another: a person with numb toes says yes to "foot".
PART_OF = {
    "body_part:toes": "body_part:foot",
    "body_part:sole": "body_part:foot",
    "body_part:heel": "body_part:foot",
    "body_part:calf": "body_part:lower_leg",
    "body_part:shin": "body_part:lower_leg",
    "side:left": "side:one",
    "side:right": "side:one",
}
LEG_PARTS = {
    "body_part:" + p
    for p in "foot toes sole heel ankle shin calf lower_leg knee thigh".split()
}
#: Facts too general to pick a button on their own when the title lists options.
GENERIC = {
    "symptom:cramps",
    "sensation:numbness",
    "sensation:tingling",
    "sensation:pins_and_needles",
    "symptom:weakness",
    "symptom:pain",
    "body_part:whole_leg",
    "onset:sudden",
    "side:left",
    "side:right",
    "side:both",
    "side:one",
    "trigger:injury",
}

ASKS_DURATION = re.compile(
    r"how long|since when|when did (it|this|the \w+) (start|begin)|"
    r"how many (minutes|hours|days|weeks|months|years)",
    re.I,
)
ASKS_AGE = re.compile(r"how old|your age|what age|age\?", re.I)
NONE_BUTTON = re.compile(r"\bnone\b|\bneither\b|nothing like|no,? none|^no\b", re.I)
YES_BUTTON = re.compile(r"^\s*(yes|yeah|yep|it does|i do|i have)\b", re.I)
NO_BUTTON = re.compile(r"^\s*(no|nope|it doesn.?t|i don.?t have)\b", re.I)
UNSURE_BUTTON = re.compile(r"not sure|don.?t know|unsure|no idea|can.?t say", re.I)
#: What any reader of the bot's questions understands even where the bot's NLU
#: does not (the patient's reading must not be the NLU's blind spot twice):
#: (pattern, fact it says, fact it replaces).
COMMON_SENSE = [
    (r"\bsores\b|\bulcers?\b|heals? badly|won.?t heal", "symptom:skin_ulcer", ""),
    (r"\bgo(es)? away\b|\bpass(es)?\b|\bgone\b", "course:resolved", ""),
    (
        r"change (your )?position|moving around|walking around",
        "trigger:movement_relief",
        "",
    ),
]
#: Words without which a general fact was not really said ("sores" is no pain).
STEMS = {
    "symptom:pain": r"pain|hurt|ach|\bsore\b",
    "symptom:weakness": r"weak|strength|drag|trip|buckl|give way",
    "sensation:numbness": r"numb|feel|dead|asleep|sensation",
    "symptom:cramps": r"cramp",
}
LOCATION = {"body_part", "surface", "side"}
#: Places that are news in themselves ("numbness between the legs").
TELLING_PLACES = {
    f"body_part:{p}" for p in "saddle_area groin buttock face arm hand".split()
}
ASKS_WHERE = re.compile(
    r"\bwhere\b|which (part|leg|side|area)|one leg or|both legs|what part", re.I
)
WH_QUESTION = re.compile(r"^\s*(where|which|what|when|how)\b", re.I)
#: What a wh-question asks about, by its words.
WH_TYPES = [
    (r"\bwhere\b|which part|what part", "body_part"),
    (r"\bwhere\b|which side of|what side of", "surface"),
    (r"which (leg|side)|one leg or both|both legs", "side"),
    (r"start|begin|come on|came on", "onset"),
    (r"worse|better|bring|trigger|set off|make", "trigger"),
    (r"chang|spread|getting", "course"),
    (r"feel like|kind of feeling|sensation|describe", "sensation"),
]
UNIT_DAYS = {"Y": 365.0, "M": 30.0, "W": 7.0, "D": 1.0}
TIME_DAYS = {"H": 1 / 24, "M": 1 / 1440, "S": 1 / 86400}
UNIT_WORDS = [
    ("minute", 1 / 1440 * 10),
    ("hour", 1 / 24 * 3),
    ("day", 3.0),
    ("week", 21.0),
    ("month", 120.0),
    ("year", 730.0),
]


# ---------------------------------------------------------------------------
# Durations


def duration_days(iso: Optional[str]) -> Optional[float]:
    """Days in an ISO 8601 duration such as P3W or PT20M (None when unreadable)."""
    match = re.fullmatch(r"P((?:\d+[YMWD])*)(?:T((?:\d+[HMS])+))?", str(iso or ""))
    if not match or not (match.group(1) or match.group(2)):
        return None
    days = sum(
        int(n) * UNIT_DAYS[u] for n, u in re.findall(r"(\d+)([YMWD])", match.group(1))
    )
    days += sum(
        int(n) * TIME_DAYS[u]
        for n, u in re.findall(r"(\d+)([HMS])", match.group(2) or "")
    )
    return days


def say_duration(iso: str) -> str:
    """Lay words for an ISO duration: P3W -> 'about 3 weeks'."""
    names = {"Y": "year", "M": "month", "W": "week", "D": "day"}
    time_names = {"H": "hour", "M": "minute", "S": "second"}
    date_part, _, time_part = iso[1:].partition("T")
    for number, unit in re.findall(r"(\d+)([YMWD])", date_part):
        word = names[unit]
        return f"about {number} {word}{'' if number == '1' else 's'}"
    for number, unit in re.findall(r"(\d+)([HMS])", time_part):
        word = time_names[unit]
        return f"about {number} {word}{'' if number == '1' else 's'}"
    return "I'm not sure"


def _unit_word(iso: str) -> Optional[str]:
    """The natural unit of a duration (P2M -> 'month', P10D -> 'week')."""
    days = duration_days(iso)
    if days is None:
        return None
    if "T" in iso:
        return "minute" if days < 1 / 24 else "hour"
    for word, limit in (("day", 7), ("week", 60), ("month", 365)):
        if days < limit:
            return word
    return "year"


# ---------------------------------------------------------------------------
# Reading the bot


Parse = Callable[[str], Dict[str, Any]]


@dataclass
class Reading:
    """What the patient understood from a piece of bot text."""

    facts: frozenset
    duration: Optional[str] = None
    age: Optional[int] = None


def read_text(parse: Parse, text: str) -> Reading:
    """Facts, duration and age the bot's own NLU finds in `text` (roles ignored)."""
    vocabulary = get_vocabulary()
    facts, duration, age = set(), None, None
    for entity in parse(text).get("entities") or []:
        name, value = entity.get("entity"), entity.get("value")
        if name == "duration" and isinstance(value, str):
            duration = value
        elif name == "age":
            try:
                age = int(value)
            except (TypeError, ValueError):
                pass
        elif isinstance(value, str) and vocabulary.has(str(name), value):
            facts.add(f"{name}:{value}")
    for pattern, fact, replaces in COMMON_SENSE:
        if re.search(pattern, text, re.I):
            facts.add(fact)
            facts.discard(replaces)
    for fact, words in STEMS.items():
        if fact in facts and not re.search(words, text, re.I):
            facts.discard(fact)  # read into a word that does not say it
    return Reading(frozenset(facts), duration, age)


def _split_fact(text: str) -> Tuple[str, str]:
    """("", "") for text that is no fact, so no vocabulary check accepts it."""
    try:
        return parse_fact(text)
    except ValueError:
        return ("", "")


def parse_payload_facts(payload: str) -> frozenset:
    """Facts written into a button payload such as /inform{"symptom": "fever"}."""
    match = re.search(r"\{.*\}\s*$", payload or "")
    if not match:
        return frozenset()
    try:
        data = json.loads(match.group(0))
    except ValueError:
        return frozenset()
    vocabulary = get_vocabulary()
    found = set()
    for key, value in data.items() if isinstance(data, dict) else ():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str) and ":" in item:
                if vocabulary.has(*_split_fact(item)):
                    found.add(item)
            elif isinstance(item, str) and vocabulary.has(str(key), item):
                found.add(f"{key}:{item}")
    return frozenset(found)


# ---------------------------------------------------------------------------
# The simulated patient


@dataclass
class SimulatedPatient:
    """Answers the bot from one case's facts only, as a person would."""

    case: Case
    parse: Parse
    revealed: set = field(default_factory=set)

    def __post_init__(self) -> None:
        known = self.know(self.case.present)
        self.present = known
        self.revealed |= set(read_text(self.parse, self.case.opening).facts) & known

    @staticmethod
    def know(facts: Iterable[str]) -> frozenset:
        """The case's present facts plus what they plainly imply (toes -> foot)."""
        known = set(facts)
        for fact in list(known):
            while fact in PART_OF:
                fact = PART_OF[fact]
                known.add(fact)
        return frozenset(known)

    def _held(self, fact: str) -> float:
        """1 when the fact is the patient's, 0.5 when only loosely so, else 0."""
        if fact in self.present:
            return 1.0
        if fact == "body_part:whole_leg" and self.present & LEG_PARTS:
            return 0.5  # "the leg" also fits numb toes
        if fact == "body_part:lower_back" and "symptom:back_pain" in self.present:
            return 0.5  # "a back injury" fits someone whose back hurts
        return 0.0

    def fit(self, facts: Iterable[str]) -> float:
        """How well a described situation fits the patient (0 when it does not).

        Every fact must hold, except that body parts are alternatives: "Feet and
        toes" fits numb feet. The score grows with the facts that hold exactly.
        """
        facts = set(facts)
        parts = {f for f in facts if f.startswith("body_part:")}
        others = facts - parts
        held = [self._held(f) for f in others]
        if not facts or not all(held):
            return 0.0
        part_scores = [self._held(f) for f in parts]
        if parts and not any(part_scores):
            return 0.0
        return sum(held) + max(part_scores, default=0.0)

    def holds(self, facts: Iterable[str]) -> bool:
        """True when the described situation is the patient's."""
        return self.fit(facts) > 0

    # -- buttons -----------------------------------------------------------
    def _button_facts(
        self, button: Dict[str, Any], siblings: Sequence[Dict[str, Any]] = ()
    ) -> List[frozenset]:
        """Facts of a button title, then of each of its "or" alternatives.

        "Both" means the other options together; a title the patient cannot
        read falls back to the facts written into the payload.
        """
        title = str(button.get("title") or "")
        # "cold, pale or bluish" lists alternatives; "cold, pale and painful" not.
        splitter = r"\s+or\s+|/"
        if re.search(r"\bor\b", title) and not re.search(r"\band\b", title):
            splitter = r"\s+or\s+|/|,"
        if title.strip().lower().rstrip(".!") in {"both", "both of these", "all"}:
            union: set[str] = set()
            for other in siblings:
                if other is not button:
                    union |= read_text(self.parse, str(other.get("title") or "")).facts
            return [frozenset(union)]
        parts = [title] + [
            p for p in re.split(splitter, title) if p.strip() and p != title
        ]
        readings = [read_text(self.parse, p).facts for p in parts]
        if not readings[0]:
            readings[0] = parse_payload_facts(str(button.get("payload") or ""))
        return readings

    def _button_matches(
        self,
        button: Dict[str, Any],
        siblings: Sequence[Dict[str, Any]] = (),
        where: bool = False,
    ) -> float:
        """How well a button describes the patient (0 when it does not).

        A title read as only a place ("Sores on the feet" when "sores" is not
        understood) answers a where-question, nothing else; outside one, a
        button must name something the patient has that is news or specific,
        not just the pain or numbness it already told ("sores" misread as pain).
        """
        readings = self._button_facts(button, siblings)
        if not where:
            readings = [r if self._news(r) else frozenset() for r in readings]
        score = self.fit(readings[0])
        if score:
            return score
        for part in readings[1:]:
            if part - GENERIC and self.fit(part):
                return self.fit(part)
        return 0.0

    def _news(self, facts: frozenset) -> bool:
        """True when facts hold a non-place fact of the patient, new or specific."""
        return any(
            (parse_fact(f)[0] not in LOCATION or f in TELLING_PLACES)
            and f in self.present
            and (f not in self.revealed or f not in GENERIC)
            for f in facts
        )

    def _pick_duration_button(self, buttons: List[Dict[str, Any]]) -> Optional[dict]:
        if not self.case.duration:
            return None
        unit = _unit_word(self.case.duration)
        target = duration_days(self.case.duration) or 1.0
        scored = []
        for button in buttons:
            title = str(button.get("title") or "").lower()
            reading = read_text(self.parse, title)
            days = duration_days(reading.duration)
            words = [w for w, _ in UNIT_WORDS if w in title]
            if unit and unit in words and len(words) == 1:
                return button
            if days is None and words:
                days = dict(UNIT_WORDS)[words[0]]
            if days:
                scored.append((abs(math.log(days / target)), button))
        return min(scored, key=lambda s: s[0])[1] if scored else None

    # -- answers -----------------------------------------------------------
    def _tell(self, types: Iterable[str], limit: int = 3) -> str:
        """Lay words for present facts of the given entities, untold ones first."""
        vocabulary = get_vocabulary()
        facts = sorted(f for f in self.case.present if parse_fact(f)[0] in set(types))
        untold = [f for f in facts if f not in self.revealed]
        chosen = (untold or facts)[:limit]
        self.revealed |= set(chosen)
        return ", ".join(vocabulary.label(*parse_fact(f)) for f in chosen)

    def _judge(self, asked: frozenset, sentence: str) -> Tuple[str, List[str]]:
        """('yes' | 'no' | 'unsure', facts that hold) about what a question asks.

        Where words ("in the leg", "your feet") only frame a question about a
        symptom, so they are set aside when the question names anything else.
        """
        places = asked & TELLING_PLACES
        if places:  # "is an arm or hand numb too?": a person knows where it is
            self.revealed |= places
            held = sorted(f for f in places if self.holds([f]))
            return ("yes", held) if held else ("no", [])
        focus = {f for f in asked if parse_fact(f)[0] not in LOCATION} or set(asked)
        fresh = focus - self.revealed  # what it asks that was not told yet
        self.revealed |= focus
        present = sorted(f for f in fresh if self.holds([f]))
        if present:
            return "yes", present
        if any(f in self.case.absent for f in fresh):
            return "no", []
        told = sorted(f for f in focus - fresh if self.holds([f]))
        if told and (not fresh or not re.search(r"\band\b", sentence)):
            return "yes", told  # asks again what it was told ("does it go away?")
        return "unsure", []

    def answer(self, messages: List[Dict[str, Any]]) -> str:
        """The patient's next message given the bot's last reply."""
        question = next(
            (m for m in reversed(messages) if m.get("buttons")), None
        ) or next(
            (m for m in reversed(messages) if "?" in str(m.get("text") or "")), None
        )
        if question is None:
            return "what do you think it could be?"
        text = str(question.get("text") or "")
        sentence = (re.findall(r"[^.?!]*\?", text) or [text])[-1]
        buttons = list(question.get("buttons") or [])
        by_kind = self._classify(buttons)
        if ASKS_DURATION.search(text):
            if buttons:
                chosen = self._pick_duration_button(buttons)
                if chosen:
                    return str(chosen.get("payload") or chosen.get("title"))
            if self.case.duration:
                return say_duration(self.case.duration)
            return self._click(by_kind, "unsure") or "I'm not sure"
        if ASKS_AGE.search(text) and not buttons:
            return f"I'm {self.case.age}" if self.case.age else "I'd rather not say"
        if by_kind["fact"]:
            where = bool(ASKS_WHERE.search(sentence))
            scored = [
                (self._button_matches(b, by_kind["fact"], where), i, b)
                for i, b in enumerate(by_kind["fact"])
            ]
            best = max(scored, key=lambda s: (s[0], -s[1]))
            if best[0] > 0:
                for fact_set in self._button_facts(best[2], by_kind["fact"]):
                    self.revealed |= set(fact_set)
                return self._press(best[2])
            for kind in ("none", "unsure"):
                if by_kind[kind]:
                    return self._click(by_kind, kind)
        asked = read_text(self.parse, text).facts
        for button in by_kind["yes"][:1]:
            asked |= parse_payload_facts(str(button.get("payload") or ""))
        if WH_QUESTION.match(sentence) and not asked - self.revealed:
            types = {e for pattern, e in WH_TYPES if re.search(pattern, sentence, re.I)}
            types = types or {parse_fact(f)[0] for f in asked}
            if by_kind["fact"]:
                types = {
                    parse_fact(f)[0]
                    for b in by_kind["fact"]
                    for f in self._button_facts(b)[0]
                }
            return self._tell(types) or "I'm not sure"
        if not asked and not buttons:
            return self._tell(set(get_vocabulary().values)) or "I'm not sure"
        verdict, present = self._judge(asked, sentence)
        if by_kind[verdict]:
            return self._click(by_kind, verdict)
        if verdict == "no" and by_kind["none"]:
            return self._click(by_kind, "none")
        if verdict == "yes":
            labels = ", ".join(get_vocabulary().label(*parse_fact(f)) for f in present)
            entities = [
                parse_fact(f)[0] for f in asked if parse_fact(f)[0] not in LOCATION
            ]
            if len(entities) != len(set(entities)):  # "suddenly or gradually?"
                return labels
            return "yes" if len(asked) == 1 else "yes, " + labels
        return {"no": "no", "unsure": "I'm not sure"}[verdict]

    @staticmethod
    def _classify(buttons: List[Dict[str, Any]]) -> Dict[str, List[dict]]:
        kinds: Dict[str, List[dict]] = {
            k: [] for k in ("yes", "no", "none", "unsure", "fact")
        }
        for button in buttons:
            # A person reads the title; the payload's intent only when there is none
            # ("Diabetes" may be sent as /affirm, it is still an option to pick).
            title = str(button.get("title") or "")
            payload = str(button.get("payload") or "")
            if UNSURE_BUTTON.search(title) or (
                not title and payload.startswith("/dont_know")
            ):
                kinds["unsure"].append(button)
            elif re.search(r"\bnone\b|\bneither\b|nothing like", title, re.I):
                kinds["none"].append(button)
            elif YES_BUTTON.search(title) or (
                not title and payload.startswith("/affirm")
            ):
                kinds["yes"].append(button)
            elif NO_BUTTON.search(title) or (not title and payload.startswith("/deny")):
                kinds["no"].append(button)
            else:
                kinds["fact"].append(button)
        if len(kinds["yes"]) > 1:  # "Yes, after sitting..." / "Yes, after lying...":
            kinds["fact"] += kinds["yes"]  # options to choose between, not one yes
            kinds["yes"] = []
        return kinds

    @staticmethod
    def _press(button: Dict[str, Any]) -> str:
        """What clicking a button sends: its payload (the title when it has none)."""
        return str(button.get("payload") or button.get("title"))

    def _click(self, by_kind: Dict[str, List[dict]], kind: str) -> str:
        return self._press(by_kind[kind][0]) if by_kind.get(kind) else ""
