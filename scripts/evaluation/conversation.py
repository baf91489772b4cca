"""Talking to a running bot over REST and playing one own case to its end."""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from scripts.evaluation.cases import Case
from scripts.evaluation.patient import DIAGNOSTIC_SLOTS, URGENCY_ORDER, SimulatedPatient

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
