"""Simulated-patient evaluation of the patient vignettes against the running bot.

`make eval` runs this script. It starts the action server and the Rasa server on
free loopback ports with the current model (or talks to a bot already running,
`--url`), plays every case of tests/vignettes/*.yml over the REST channel as a
patient who answers ONLY from the case's facts, and writes reports/eval.md:
triage accuracy, emergency sensitivity, emergencies recognised on the first
turn, under- and over-triage, top-3 cause accuracy, questions asked, and the
transcript of every failing case.

Each set is reported apart (`--sets`): our own vignettes (`own`, regression
tests, not evidence), the realistic dev set (`dev`: ../shared/eval/
real_cases_dev.jsonl and tests/vignettes/realistic_dev.jsonl when present) and
the realistic sealed set (`sealed`: tests/vignettes/sealed/*.jsonl, scored once
at the end of a piece of work, never tuned on; only with `--sets sealed`, and
reported as figures only, with no case ids or transcripts). The realistic sets
are played by the shared simulated patient (../shared/eval/simulate.py,
imported by path, not copied) and scored with its rules, on the same servers.

The patient reads the bot like a person would: it sends each question and each
button title to the bot's own `/model/parse` to learn which facts they mention
(the NLU is the patient's reading of the words, not the bot's memory), then
answers "yes", "no" or "I'm not sure", states a duration or age, or clicks the
button that matches its facts ("None of these" at a red-flag check when it has
none of the signs listed). It never asks to skip the questions. Everything is
bounded: a timeout per request, a maximum of turns per case and an overall
deadline, so a hung bot makes failing cases, not a hung build.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import re
import secrets
import shlex
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a file: `python scripts/eval.py`
    sys.path.insert(0, str(ROOT))

from actions.vocabulary import get_vocabulary  # noqa: E402
from tools import servers as launcher  # noqa: E402
from tools.git import git_commit  # noqa: E402

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
# Cases


@dataclass
class Case:
    """One vignette: what the patient says first and what it can reveal."""

    id: str
    description: str
    opening: str
    present: frozenset
    absent: frozenset
    age: Optional[int]
    duration: Optional[str]
    urgency: str
    causes: Tuple[str, ...]


def load_cases(directory: Path, only: Sequence[str] = ()) -> List[Case]:
    """Read every tests/vignettes/*.yml case (optionally only the named ids)."""
    cases = []
    for path in sorted(directory.glob("*.yml")):
        with open(path, encoding="utf-8") as handle:
            for raw in (yaml.safe_load(handle) or {}).get("cases", []):
                facts, expected = raw["facts"], raw["expected"]
                cases.append(
                    Case(
                        id=raw["id"],
                        description=" ".join(str(raw["description"]).split()),
                        opening=raw["opening"],
                        present=frozenset(facts.get("present") or ()),
                        absent=frozenset(facts.get("absent") or ()),
                        age=facts.get("age"),
                        duration=facts.get("duration"),
                        urgency=expected["urgency"],
                        causes=tuple(expected["causes"]),
                    )
                )
    return [c for c in cases if not only or c.id in only]


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
                entity, _, name = item.partition(":")
                if vocabulary.has(entity, name):
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
            (f.split(":")[0] not in LOCATION or f in TELLING_PLACES)
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
        facts = sorted(f for f in self.case.present if f.split(":")[0] in set(types))
        untold = [f for f in facts if f not in self.revealed]
        chosen = (untold or facts)[:limit]
        self.revealed |= set(chosen)
        return ", ".join(vocabulary.label(*f.split(":")) for f in chosen)

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
        focus = {f for f in asked if f.split(":")[0] not in LOCATION} or set(asked)
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
            types = types or {f.split(":")[0] for f in asked}
            if by_kind["fact"]:
                types = {
                    f.split(":")[0]
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
            labels = ", ".join(get_vocabulary().label(*f.split(":")) for f in present)
            entities = [
                f.split(":")[0] for f in asked if f.split(":")[0] not in LOCATION
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


# ---------------------------------------------------------------------------
# Talking to the bot


class BotError(RuntimeError):
    """The bot did not answer a request (timeout, refused, HTTP error)."""


@dataclass
class Bot:
    """A running Rasa server: REST webhook and the /model/parse API."""

    url: str
    token: Optional[str]
    timeout: float
    _cache: Dict[str, Dict[str, Any]] = field(default_factory=dict)

    def _post(self, path: str, body: Dict[str, Any]) -> Any:
        request = urllib.request.Request(
            self.url.rstrip("/") + path,
            data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8") or "null")
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise BotError(f"POST {path}: {error}") from error

    def send(self, sender: str, message: str) -> List[Dict[str, Any]]:
        """One user turn over REST; the bot's messages."""
        answer = self._post(
            "/webhooks/rest/webhook", {"sender": sender, "message": message}
        )
        return answer if isinstance(answer, list) else []

    def tracker(self, sender: str) -> Dict[str, Any]:
        """The conversation's tracker (slots, events); empty when the API is off."""
        if not self.token:
            return {}
        url = (
            f"{self.url.rstrip('/')}/conversations/{urllib.parse.quote(sender)}"
            f"/tracker?token={urllib.parse.quote(self.token)}"
        )
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:
                data = json.loads(response.read().decode("utf-8") or "{}")
        except (urllib.error.URLError, OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def parse(self, text: str) -> Dict[str, Any]:
        """The bot's NLU reading of a text (cached; empty when the API is off)."""
        if text not in self._cache:
            query = f"?token={urllib.parse.quote(self.token)}" if self.token else ""
            try:
                result = self._post(f"/model/parse{query}", {"text": text})
            except BotError:
                result = {}
            self._cache[text] = result if isinstance(result, dict) else {}
        return self._cache[text]


# ---------------------------------------------------------------------------
# Running a case


@dataclass
class Result:
    """What happened in one case."""

    case: Case
    transcript: List[Tuple[str, Any]] = field(default_factory=list)
    urgency: Optional[str] = None
    causes: Tuple[str, ...] = ()
    assessment_turn: Optional[int] = None
    questions: int = 0
    error: Optional[str] = None
    understood: List[str] = field(default_factory=list)
    slots: Dict[str, Any] = field(default_factory=dict)

    @property
    def triage_ok(self) -> bool:
        return self.urgency == self.case.urgency

    @property
    def under_triaged(self) -> bool:
        """Less urgent than expected, or no assessment at all (the unsafe side)."""
        if self.urgency not in URGENCY_ORDER:
            return True
        return URGENCY_ORDER[self.urgency] < URGENCY_ORDER[self.case.urgency]

    @property
    def over_triaged(self) -> bool:
        if self.urgency not in URGENCY_ORDER:
            return False
        return URGENCY_ORDER[self.urgency] > URGENCY_ORDER[self.case.urgency]

    @property
    def top3_ok(self) -> bool:
        return bool(set(self.causes[:3]) & set(self.case.causes))

    @property
    def first_turn_emergency(self) -> bool:
        return self.urgency == "emergency" and self.assessment_turn == 1

    @property
    def failures(self) -> List[str]:
        reasons = []
        if self.error:
            reasons.append(f"error: {self.error}")
        if self.urgency is None:
            reasons.append("no assessment")
        elif not self.triage_ok:
            reasons.append(f"urgency {self.urgency} (expected {self.case.urgency})")
        if self.case.urgency == "emergency" and not self.first_turn_emergency:
            reasons.append("emergency not recognised on the first turn")
        if self.urgency is not None and not self.top3_ok:
            reasons.append("no acceptable cause in the top 3")
        return reasons


def find_assessment(messages: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The {"assessment": {...}} custom payload in a reply, if any."""
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("assessment"), dict):
            return custom["assessment"]
    return None


def is_question(messages: List[Dict[str, Any]]) -> bool:
    return any(m.get("buttons") or "?" in str(m.get("text") or "") for m in messages)


def run_case(bot: Bot, case: Case, max_turns: int) -> Result:
    """Play one case to its assessment, at most `max_turns` patient messages."""
    result = Result(case)
    sender = f"eval-{case.id}-{secrets.token_hex(4)}"
    try:
        patient = SimulatedPatient(case, bot.parse)
        message, stalls = case.opening, 0
        for turn in range(1, max_turns + 1):
            result.transcript.append(("patient", message))
            replies = bot.send(sender, message)
            result.transcript.append(("bot", replies))
            assessment = find_assessment(replies)
            if assessment is not None:
                result.urgency = assessment.get("urgency")
                result.causes = tuple(assessment.get("causes") or ())
                result.assessment_turn = turn
                break
            if is_question(replies):
                result.questions += 1
            else:
                stalls += 1
                if stalls > 2:
                    break
            message = patient.answer(replies)
            if not message.strip():
                message = "I'm not sure"
    except BotError as error:
        result.error = str(error)
    tracker = bot.tracker(sender)
    result.understood = understood_turns(tracker)
    slots = tracker.get("slots") or {}
    result.slots = {k: slots[k] for k in DIAGNOSTIC_SLOTS if slots.get(k)}
    return result


def understood_turns(tracker: Dict[str, Any]) -> List[str]:
    """Per user turn, the intent and entities the bot read (for routing failures)."""
    turns = []
    for event in tracker.get("events") or []:
        if event.get("event") != "user":
            continue
        data = event.get("parse_data") or {}
        intent = (data.get("intent") or {}).get("name")
        entities = [
            f"{e.get('entity')}:{e.get('value')}"
            + ("(neg)" if e.get("role") == "negated" else "")
            for e in data.get("entities") or []
        ]
        turns.append(f"{intent} {' '.join(entities)}".strip())
    return turns


# ---------------------------------------------------------------------------
# Report


def engine_oracle(case: Case) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """The triage engine's answer when told every fact of the case at once.

    A diagnostic for routing failures: when the engine is right with all facts
    known but the conversation is wrong, the fault lies in the NLU or the
    dialogue (facts not understood, not asked, or lost), not in the engine.
    """
    try:
        from actions.triage import Findings, assess

        def facts(items: Iterable[str]) -> frozenset:
            return frozenset(tuple(f.split(":", 1)) for f in items)

        found = assess(
            Findings(facts(case.present), facts(case.absent), case.age, case.duration)
        )
        return found.urgency, tuple(c.id for c in found.causes[:3])
    except Exception:  # the report must not depend on the engine's health
        return None


def _oracle_note(case: Case) -> str:
    oracle = engine_oracle(case)
    if oracle is None:
        return "engine unavailable"
    urgency, causes = oracle
    right = urgency == case.urgency and set(causes) & set(case.causes)
    return f"{urgency}, {', '.join(causes)}" + ("" if right else " ✗")


def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f} % ({part}/{whole})" if whole else "n/a"


def _format_bot(messages: List[Dict[str, Any]]) -> List[str]:
    lines = []
    if not messages:
        lines.append("bot:     (no reply)")
    for message in messages:
        if message.get("text"):
            lines.append("bot:     " + " ".join(str(message["text"]).split()))
        for button in message.get("buttons") or []:
            lines.append(
                f"           [{button.get('title')}] -> {button.get('payload')}"
            )
        if message.get("custom") is not None:
            lines.append("bot:     custom " + json.dumps(message["custom"]))
        for key in ("image", "attachment"):
            if message.get(key):
                lines.append(f"bot:     {key} {message[key]}")
    return lines


def transcript_lines(result: Result) -> List[str]:
    lines, turn = [], 0
    for who, what in result.transcript:
        if who == "patient":
            lines.append(f"patient: {what}")
            if turn < len(result.understood):
                lines.append(f"  (read as: {result.understood[turn]})")
            turn += 1
        else:
            lines.extend(_format_bot(what))
    if result.error:
        lines.append(f"(error: {result.error})")
    return lines


# ---------------------------------------------------------------------------
# Sets: our own vignettes and the realistic jsonl sets, scored alike

SHARED_EVAL = ROOT.parent / "shared" / "eval"
SIMULATE_PATH = SHARED_EVAL / "simulate.py"
SET_NAMES = ("own", "dev", "sealed")
DEFAULT_SETS = ("own", "dev")
SET_TITLES = {
    "own": "Own vignettes (regression tests, not evidence)",
    "dev": "Realistic dev",
    "sealed": "Realistic sealed (scored once, never tuned on)",
}


def realistic_files(name: str) -> List[Path]:
    """The jsonl files of a realistic set that exist (globbed, never listed by hand)."""
    if name == "dev":
        candidates = [
            SHARED_EVAL / "real_cases_dev.jsonl",
            ROOT / "tests" / "vignettes" / "realistic_dev.jsonl",
        ]
        return [path for path in candidates if path.exists()]
    if name == "sealed":
        return sorted((ROOT / "tests" / "vignettes" / "sealed").glob("*.jsonl"))
    return []


def load_jsonl(paths: Sequence[Path], only: Sequence[str] = ()) -> List[Dict[str, Any]]:
    """The cases of jsonl files, one JSON object a line (optionally only some ids)."""
    cases = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            cases += [json.loads(line) for line in handle if line.strip()]
    return [c for c in cases if not only or c.get("id") in only]


def load_simulator() -> Any:
    """The shared simulated patient, imported by path (one copy for every branch)."""
    spec = importlib.util.spec_from_file_location("shared_simulate", SIMULATE_PATH)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {SIMULATE_PATH}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _squash(text: Any) -> str:
    return " ".join(str(text or "").split())


def emergency_prompts() -> frozenset:
    """Every text of the domain's emergency prompt (utter_emergency variations)."""
    with open(ROOT / "domain.yml", encoding="utf-8") as handle:
        domain = yaml.safe_load(handle) or {}
    variants = (domain.get("responses") or {}).get("utter_emergency") or []
    return frozenset(_squash(v.get("text")) for v in variants if v.get("text"))


def prompt_turns(bot_turns: Sequence[Any], prompts: frozenset) -> List[int]:
    """1-based turns whose reply holds an emergency prompt."""
    return [
        turn
        for turn, replies in enumerate(bot_turns, 1)
        if any(
            isinstance(m, dict) and _squash(m.get("text")) in prompts
            for m in (replies if isinstance(replies, list) else [])
        )
    ]


@dataclass
class Scored:
    """One case of any set, scored the same way (acceptable urgencies included)."""

    id: str
    expected: str
    acceptable: Tuple[str, ...]
    got: Optional[str]
    causes: Tuple[str, ...]
    expected_causes: Tuple[str, ...]
    turns: int
    questions: int
    prompt_turns: List[int]
    error: Optional[str] = None
    lines: List[str] = field(default_factory=list)

    def _rank(self, urgency: Optional[str]) -> int:
        return URGENCY_ORDER.get(str(urgency), -1)

    @property
    def triage_ok(self) -> bool:
        return self.got in self.acceptable

    @property
    def exact(self) -> bool:
        return self.got == self.expected

    @property
    def under(self) -> bool:
        return self.got is None or self._rank(self.got) < min(
            self._rank(u) for u in self.acceptable
        )

    @property
    def over(self) -> bool:
        return self.got is not None and self._rank(self.got) > max(
            self._rank(u) for u in self.acceptable
        )

    @property
    def top3(self) -> bool:
        return bool(set(self.causes[:3]) & set(self.expected_causes))

    @property
    def first_turn_emergency(self) -> bool:
        return self.got == "emergency" and self.turns == 1

    @property
    def false_prompt(self) -> bool:
        """An emergency prompt shown although emergency is not acceptable."""
        return bool(self.prompt_turns) and "emergency" not in self.acceptable

    @property
    def failure_classes(self) -> List[str]:
        """Why the case fails, one class each (empty when it passes)."""
        classes = []
        if self.error:
            classes.append("error")
        if self.got is None:
            classes.append("no assessment")
        if self.expected == "emergency":
            if self.got != "emergency":
                classes.append("emergency missed")
            elif not self.first_turn_emergency:
                classes.append("emergency not on the first turn")
        elif self.under and self.got is not None:
            classes.append("under-triage")
        if self.over:
            classes.append("over-triage")
        if self.false_prompt:
            classes.append("false emergency prompt")
        if (
            self.got is not None
            and not self.triage_ok
            and not (self.under or self.over)
        ):
            classes.append("urgency not acceptable")
        if self.got is not None and not self.top3:
            classes.append("no acceptable cause in the top 3")
        return classes


def scored_from_result(result: Result, prompts: frozenset) -> Scored:
    """An own-vignette Result in the common scoring (acceptable = expected)."""
    bot_turns = [what for who, what in result.transcript if who == "bot"]
    return Scored(
        id=result.case.id,
        expected=result.case.urgency,
        acceptable=(result.case.urgency,),
        got=result.urgency,
        causes=result.causes,
        expected_causes=result.case.causes,
        turns=result.assessment_turn or len(bot_turns),
        questions=result.questions,
        prompt_turns=prompt_turns(bot_turns, prompts),
        error=result.error,
        lines=transcript_lines(result),
    )


def run_realistic_case(
    simulate: Any, url: str, case: Dict[str, Any], max_turns: int, prompts: frozenset
) -> Scored:
    """Plays one jsonl case with the shared patient and scores it with its rules."""
    try:
        res = simulate.run_case(url, case, max_turns)
    except Exception as error:  # a dead bot is a failed case, as in simulate.py
        res = {"assessment": None, "turns": 0, "questions": 0, "transcript": []}
        res["error"] = repr(error)
    row = simulate.score(case, res)
    transcript = res.get("transcript") or []
    lines = []
    for turn in transcript:
        lines.append(f"patient: {turn.get('user')}")
        lines.extend(_format_bot(turn.get("bot") or []))
    expected = str(case["expected_urgency"])
    return Scored(
        id=str(case["id"]),
        expected=expected,
        acceptable=tuple(case.get("acceptable_urgency") or [expected]),
        got=row["got"],
        causes=tuple(
            c if isinstance(c, str) else str((c or {}).get("id"))
            for c in ((res.get("assessment") or {}).get("causes") or [])
        ),
        expected_causes=tuple(case.get("expected_causes") or ()),
        turns=int(row["turns"]),
        questions=int(row["questions"]),
        prompt_turns=prompt_turns([t.get("bot") for t in transcript], prompts),
        error=res.get("error"),
        lines=lines,
    )


def set_metrics(rows: List[Scored]) -> Dict[str, Any]:
    """The figures of one set."""
    total = len(rows)
    emergencies = [r for r in rows if r.expected == "emergency"]
    return {
        "total": total,
        "triage_ok": sum(r.triage_ok for r in rows),
        "exact": sum(r.exact for r in rows),
        "emergencies": len(emergencies),
        "emergency_detected": sum(r.got == "emergency" for r in emergencies),
        "emergency_first_turn": sum(r.first_turn_emergency for r in emergencies),
        "under": sum(r.under for r in rows),
        "over": sum(r.over for r in rows),
        "no_assessment": sum(r.got is None for r in rows),
        "top3": sum(r.top3 for r in rows),
        "mean_questions": sum(r.questions for r in rows) / total if total else 0.0,
        "false_prompts": sum(r.false_prompt for r in rows),
    }


def failures_by_class(rows: List[Scored]) -> Dict[str, List[str]]:
    """Failing case ids grouped by failure class."""
    classes: Dict[str, List[str]] = {}
    for row in rows:
        for name in row.failure_classes:
            classes.setdefault(name, []).append(row.id)
    return classes


@dataclass
class SetRun:
    """What one set gave: scored rows, own Results (own set only), cases not run."""

    name: str
    sources: List[str]
    rows: List[Scored] = field(default_factory=list)
    results: List[Result] = field(default_factory=list)
    not_run: List[str] = field(default_factory=list)


#: Summary rows: (measure, count, out of, target text, lowest share, highest share);
#: a share outside [lowest, highest] misses the target (None: no bound).
SUMMARY_MEASURES: List[Tuple[str, str, str, str, Optional[float], Optional[float]]] = [
    (
        "triage right (an acceptable urgency; simulate.py's triage_accuracy)",
        *("triage_ok", "total", "≥ 85 %", 0.85, None),
    ),
    ("expected urgency exactly", "exact", "total", "(reported)", None, None),
    (
        "emergency sensitivity",
        *("emergency_detected", "emergencies", "100 %", 1.0, None),
    ),
    (
        "emergencies assessed on the first turn",
        *("emergency_first_turn", "emergencies", "≥ 95 %", 0.95, None),
    ),
    (
        "under-triage (less urgent than acceptable, or no assessment)",
        *("under", "total", "0", None, 0.0),
    ),
    (
        "over-triage (more urgent than acceptable)",
        *("over", "total", "≤ 10 %", None, 0.10),
    ),
    (
        "false emergency prompts (prompt shown, emergency not acceptable)",
        *("false_prompts", "total", "0", None, 0.0),
    ),
    ("no assessment reached", "no_assessment", "total", "0", None, 0.0),
    ("top-3 cause", "top3", "total", "≥ 85 %", 0.85, None),
]


def _ratio_cell(
    m: Dict[str, Any], key: str, of: str, low: Optional[float], high: Optional[float]
) -> str:
    share = m[key] / m[of] if m[of] else 0.0
    missed = (low is not None and m[of] and share < low - 1e-9) or (
        high is not None and share > high + 1e-9
    )
    return _pct(m[key], m[of]) + (" ✗" if missed else "")


def summary_lines(runs: List[SetRun]) -> List[str]:
    """One table: a row per measure, a column per set (✗ marks a missed target)."""
    figures = [set_metrics(run.rows) for run in runs]
    lines = [
        "| measure | " + " | ".join(SET_TITLES[r.name] for r in runs) + " | target |",
        "|---|" + "---|" * (len(runs) + 1),
        "| cases | " + " | ".join(str(m["total"]) for m in figures) + " | |",
    ]
    for label, key, of, target, low, high in SUMMARY_MEASURES:
        cells = [_ratio_cell(m, key, of, low, high) for m in figures]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    questions = [
        f"{m['mean_questions']:.2f}"
        + (" ✗" if m["mean_questions"] > MAX_QUESTIONS_TARGET else "")
        for m in figures
    ]
    lines.append("| mean questions asked | " + " | ".join(questions) + " | ≤ 5 |")
    return lines


def matrix_lines(rows: List[Scored]) -> List[str]:
    """Expected (rows) × assessed (columns) urgency counts."""
    levels = list(URGENCY_ORDER)[::-1]
    lines = [
        "| expected \\ assessed | " + " | ".join(levels) + " | none |",
        "|---|" + "---|" * (len(levels) + 1),
    ]
    for expected in levels:
        row = [r for r in rows if r.expected == expected]
        cells = [str(sum(r.got == got for r in row)) for got in levels]
        cells.append(str(sum(r.got is None for r in row)))
        lines.append(f"| {expected} | " + " | ".join(cells) + " |")
    return lines


def class_lines(rows: List[Scored], with_ids: bool) -> List[str]:
    """Failures by class: the count, and the case ids unless the set is sealed."""
    classes = failures_by_class(rows)
    if not classes:
        return ["No failing case."]
    lines = ["| failure class | cases | which |", "|---|---|---|"]
    for name, ids in sorted(classes.items(), key=lambda item: -len(item[1])):
        which = ", ".join(ids) if with_ids else "(sealed: not listed)"
        lines.append(f"| {name} | {len(ids)} | {which} |")
    return lines


def own_case_lines(run: SetRun, all_transcripts: bool) -> List[str]:
    """The own vignettes' case table and failing transcripts, with the oracle."""
    lines = [
        "`engine, all facts` is actions.triage told every fact of the case at once"
        " (✗ when it misses): a failure where the engine is right points to the NLU"
        " or the dialogue.",
        "",
        "| case | expected | assessed | top 3 causes | top-3 ok | questions"
        " | engine, all facts | result |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in run.results:
        verdict = "; ".join(r.failures) or "pass"
        lines.append(
            f"| {r.case.id} | {r.case.urgency} | {r.urgency or '—'} |"
            f" {', '.join(r.causes[:3]) or '—'} | {'yes' if r.top3_ok else 'no'} |"
            f" {r.questions} | {_oracle_note(r.case)} | {verdict} |"
        )
    failing = [r for r in run.results if r.failures]
    lines += ["", f"#### Failing own vignettes ({len(failing)})", ""]
    for r in run.results if all_transcripts else failing:
        header = [
            f"{r.case.description}",
            "",
            f"Expected {r.case.urgency}, causes {', '.join(r.case.causes)}."
            f" Result: {'; '.join(r.failures) or 'pass'}.",
            f"Engine with every fact known: {_oracle_note(r.case)}.",
            "Bot's slots at the end: "
            + (json.dumps(r.slots, sort_keys=True) if r.slots else "unavailable")
            + ".",
            f"Patient facts: present {', '.join(sorted(r.case.present))};"
            f" absent {', '.join(sorted(r.case.absent)) or '—'};"
            f" age {r.case.age}; duration {r.case.duration}.",
        ]
        lines += case_section(r.case.id, header, transcript_lines(r))
    return lines


def case_section(case_id: str, header: List[str], transcript: List[str]) -> List[str]:
    """One case's heading, what was expected and got, and its transcript."""
    return [f"##### {case_id}", "", *header, "", "```text", *transcript, "```", ""]


def realistic_case_lines(run: SetRun, all_transcripts: bool) -> List[str]:
    """A realistic set's case table and failing transcripts."""
    lines = [
        "| case | expected (acceptable) | assessed | top 3 causes | turns"
        " | questions | emergency prompt on turns | result |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in run.rows:
        lines.append(
            f"| {r.id} | {r.expected} ({', '.join(r.acceptable)}) | {r.got or '—'} |"
            f" {', '.join(r.causes[:3]) or '—'} | {r.turns} | {r.questions} |"
            f" {', '.join(map(str, r.prompt_turns)) or '—'} |"
            f" {'; '.join(r.failure_classes) or 'pass'} |"
        )
    failing = [r for r in run.rows if r.failure_classes]
    lines += ["", f"#### Failing cases ({len(failing)})", ""]
    for r in run.rows if all_transcripts else failing:
        header = [
            f"Expected {r.expected} (acceptable {', '.join(r.acceptable)}), causes"
            f" {', '.join(r.expected_causes)}. Result:"
            f" {'; '.join(r.failure_classes) or 'pass'}."
        ]
        error = [f"(error: {r.error})"] if r.error else []
        lines += case_section(r.id, header, [*r.lines, *error])
    return lines


def write_report(
    path: Path,
    runs: List[SetRun],
    command: str,
    commit: str,
    model: str,
    elapsed: float,
    all_transcripts: bool = False,
) -> Dict[str, Dict[str, Any]]:
    """Write reports/eval.md (each set apart) and return each set's figures."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Simulated-patient evaluation",
        "",
        f"Generated by `{command}` at commit `{commit}` on {now}; model `{model}`;"
        f" {elapsed:.0f} s. Do not edit: regenerate with `make eval`.",
        "",
        "Each set is reported apart. Our own vignettes were written with the rules"
        " and are regression tests, not evidence; the realistic sets are people's"
        " own words, played by the shared simulated patient"
        " (../shared/eval/simulate.py) and scored with its rules (an urgency in the"
        " case's acceptable list is right). ✗ marks a missed target of the realistic"
        " sets.",
        "",
        *summary_lines(runs),
        "",
    ]
    for run in runs:
        sealed = run.name == "sealed"
        lines += [
            f"## {SET_TITLES[run.name]}",
            "",
            "Sources: " + (", ".join(run.sources) or "—") + ".",
            "",
        ]
        if run.not_run:
            lines += [f"**{len(run.not_run)} cases not run** (deadline reached).", ""]
        lines += ["### Urgency: expected (rows) × assessed (columns)", ""]
        lines += [*matrix_lines(run.rows), "", "### Failures by class", ""]
        lines += [*class_lines(run.rows, with_ids=not sealed), ""]
        if sealed:
            continue  # figures only: no case or transcript of the sealed set
        lines += ["### Cases", ""]
        if run.name == "own":
            lines += own_case_lines(run, all_transcripts)
        else:
            lines += realistic_case_lines(run, all_transcripts)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {run.name: set_metrics(run.rows) for run in runs}


# ---------------------------------------------------------------------------
# Servers


# ---------------------------------------------------------------------------
# Main


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/current.tar.gz")
    parser.add_argument("--cases", default="tests/vignettes", help="own vignettes")
    parser.add_argument(
        "--sets",
        nargs="+",
        choices=SET_NAMES,
        default=list(DEFAULT_SETS),
        help="sets to play (default: own dev; sealed only when named)",
    )
    parser.add_argument("--out", default="reports/eval.md")
    parser.add_argument(
        "--url", help="use a bot already running here instead of starting one"
    )
    parser.add_argument(
        "--token", help="auth token of --url's /model/parse (--enable-api)"
    )
    parser.add_argument("--only", nargs="*", default=(), help="case ids to run")
    parser.add_argument("--max-turns", type=int, default=12)
    parser.add_argument("--timeout", type=float, default=30.0, help="per request (s)")
    parser.add_argument("--startup-timeout", type=float, default=300.0)
    parser.add_argument(
        "--deadline", type=float, default=2400.0, help="overall budget (s)"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when an own target is missed"
    )
    parser.add_argument(
        "--all-transcripts", action="store_true", help="not only failing cases"
    )
    return parser


def _relative(path: Path) -> str:
    return os.path.relpath(path, ROOT)


def play_own(
    bot: Bot, args: argparse.Namespace, started: float, prompts: frozenset
) -> SetRun:
    """Our own vignettes, played by this script's patient."""
    run = SetRun("own", [f"{args.cases}/*.yml"])
    for case in load_cases(ROOT / args.cases, args.only):
        if time.monotonic() - started > args.deadline:
            run.not_run.append(case.id)
            continue
        result = run_case(bot, case, args.max_turns)
        run.results.append(result)
        run.rows.append(scored_from_result(result, prompts))
        print(
            f"{case.id:48s} expected {case.urgency:9s} got"
            f" {result.urgency or '-':9s} q={result.questions}"
            f" {'ok' if not result.failures else 'FAIL'}",
            flush=True,
        )
    return run


def play_realistic(
    name: str, bot: Bot, args: argparse.Namespace, started: float, prompts: frozenset
) -> Optional[SetRun]:
    """A realistic jsonl set, played by the shared simulated patient."""
    files = realistic_files(name)
    if not files:
        print(f"set {name}: no case file; skipped", flush=True)
        return None
    run = SetRun(name, [_relative(path) for path in files])
    simulate = load_simulator()
    cases = load_jsonl(files, args.only)
    for index, case in enumerate(cases, 1):
        if time.monotonic() - started > args.deadline:
            run.not_run.append(str(case.get("id")))
            continue
        row = run_realistic_case(simulate, bot.url, case, args.max_turns, prompts)
        run.rows.append(row)
        if name == "sealed":  # no id or urgency of a sealed case on screen
            print(f"sealed case {index}/{len(cases)} done", flush=True)
            continue
        print(
            f"{row.id:48s} expected {row.expected:9s} got {row.got or '-':9s}"
            f" q={row.questions} {'ok' if not row.failure_classes else 'FAIL'}",
            flush=True,
        )
    return run


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    command = "make eval" if os.environ.get("MAKELEVEL") else "scripts/eval.py"
    if argv or sys.argv[1:]:
        command += " " + shlex.join(list(argv or sys.argv[1:]))
    names = list(dict.fromkeys(args.sets))
    model = ROOT / args.model
    stack = None
    started = time.monotonic()
    prompts = emergency_prompts()
    runs: List[SetRun] = []
    with tempfile.TemporaryDirectory(prefix="eval-") as workdir:
        try:
            if args.url:
                bot = Bot(args.url, args.token, args.timeout)
            else:
                if not model.exists():
                    print(f"{model} missing: run `make train` first", file=sys.stderr)
                    return 2
                token = secrets.token_urlsafe(16)
                print("starting the action server and the Rasa server ...", flush=True)
                stack = launcher.start_sqlite_stack(
                    Path(workdir),
                    timeout=args.startup_timeout,
                    model=model,
                    auth_token=token,
                    enable_api=True,
                )
                bot = Bot(stack.rasa.url, token, args.timeout)
            for name in names:
                if name == "own":
                    runs.append(play_own(bot, args, started, prompts))
                    continue
                played = play_realistic(name, bot, args, started, prompts)
                if played is not None:
                    runs.append(played)
        finally:
            if stack is not None:
                launcher.stop_stack(stack)
    if not any(run.rows for run in runs):
        print("no cases found", file=sys.stderr)
        return 2
    figures = write_report(
        ROOT / args.out,
        runs,
        command,
        git_commit(),
        args.model if not args.url else args.url,
        time.monotonic() - started,
        args.all_transcripts,
    )
    print(f"wrote {args.out}: " + json.dumps(figures))
    own = next((run for run in runs if run.name == "own"), None)
    if not (args.check and own):
        return 0
    m = figures["own"]
    missed = (
        m["emergency_first_turn"] < m["emergencies"]
        or m["under"] > 0
        or m["exact"] < 0.9 * m["total"]
        or m["top3"] < 0.85 * m["total"]
        or m["mean_questions"] > MAX_QUESTIONS_TARGET
        or bool(own.not_run)
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
