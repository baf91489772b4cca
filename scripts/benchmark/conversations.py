"""The conversations the benchmark plays against each bot, and the load phases."""

from __future__ import annotations

import asyncio
import functools
import json
import os
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

import yaml

from scripts.benchmark.results import (
    FREE_TEXT_ANSWERS,
    OUR_OPENINGS,
    ROOT,
    RUN_ID,
    SKIP_PAYLOAD_WORDS,
    STOCK_SCRIPTS,
    PhaseResult,
)

# ---------------------------------------------------------------- conversations


class ScriptedConversation:
    """The stock bot's conversations: fixed user messages, done when sent."""

    def __init__(self, messages: Sequence[str]) -> None:
        self._messages = list(messages)
        self.turns = 0
        self.done = False
        self.outcome = "script"

    def first(self) -> str:
        """The opening message."""
        self.turns = 1
        return self._messages[0]

    def next(self, replies: list[dict[str, Any]]) -> str | None:
        """The next message, None when the script is over."""
        if self.turns >= len(self._messages):
            self.done = True
            return None
        self.turns += 1
        return self._messages[self.turns - 1]


class SymptomConversation:
    """Ours: opening symptom, then answer with buttons until the assessment JSON."""

    def __init__(
        self,
        opening: str,
        rng: random.Random,
        max_turns: int = 20,
        end_texts: frozenset[str] = frozenset(),
    ) -> None:
        self._opening = opening
        self._end_texts = end_texts
        self._rng = rng
        self._max_turns = max_turns
        self.turns = 0
        self.done = False
        self.outcome = "unfinished"

    def first(self) -> str:
        """The opening symptom description."""
        self.turns = 1
        return self._opening

    def next(self, replies: list[dict[str, Any]]) -> str | None:
        """The answer to the bot's last question, None once assessed."""
        for reply in replies:
            custom = reply.get("custom")
            if isinstance(custom, dict) and "assessment" in custom:
                self.done = True
                self.outcome = str(custom["assessment"].get("urgency", "assessed"))
                return None
        texts = {" ".join(str(r.get("text", "")).split()) for r in replies}
        if texts & self._end_texts and not any(r.get("buttons") for r in replies):
            self.done = True
            self.outcome = "emergency prompt"
            return None
        if self.turns >= self._max_turns:
            return None
        self.turns += 1
        buttons = [b for r in replies for b in (r.get("buttons") or [])]
        usable = [
            b
            for b in buttons
            if not any(
                w in str(b.get("payload", "")).lower() for w in SKIP_PAYLOAD_WORDS
            )
        ]
        if usable:
            button = self._rng.choice(usable)
            return str(button.get("payload") or button.get("title"))
        text = " ".join(str(r.get("text", "")) for r in replies).lower()
        for keywords, answer in FREE_TEXT_ANSWERS:
            if any(k in text for k in keywords):
                return answer
        return self._rng.choice(("no", "yes", "I am not sure"))


def stock_conversation(index: int) -> ScriptedConversation:
    """The index-th stock conversation."""
    return ScriptedConversation(STOCK_SCRIPTS[index % len(STOCK_SCRIPTS)])


def our_conversation(index: int) -> SymptomConversation:
    """The index-th symptom conversation (seeded, so runs repeat)."""
    rng = random.Random(index)
    opening = OUR_OPENINGS[index % len(OUR_OPENINGS)]
    return SymptomConversation(opening, rng, end_texts=emergency_texts())


@functools.lru_cache(maxsize=1)
def emergency_texts() -> frozenset[str]:
    """The domain's `utter_emergency` texts: a conversation that gets one ends."""
    files = [ROOT / "domain.yml", *sorted((ROOT / "domain").glob("**/*.yml"))]
    texts = set()
    for path in files:
        if path.exists():
            data = yaml.safe_load(path.read_text()) or {}
            for variant in (data.get("responses") or {}).get("utter_emergency", []):
                texts.add(" ".join(str(variant.get("text", "")).split()))
    return frozenset(t for t in texts if t)


# ---------------------------------------------------------------- load


async def run_phase(
    url: str,
    make_conversation: Callable[[int], Any],
    concurrency: int,
    duration_s: float,
    max_requests: int,
    request_timeout_s: float,
    label: str,
) -> PhaseResult:
    """`concurrency` users run conversations back to back until the deadline."""
    import aiohttp

    result = PhaseResult(concurrency=concurrency, elapsed_s=0.0)
    counter = {"requests": 0, "conversations": 0}
    start = time.perf_counter()
    deadline = start + duration_s
    timeout = aiohttp.ClientTimeout(total=request_timeout_s)
    connector = aiohttp.TCPConnector(limit=concurrency)

    async def user(worker: int, session: aiohttp.ClientSession) -> None:
        while time.perf_counter() < deadline and counter["requests"] < max_requests:
            index = counter["conversations"]
            counter["conversations"] += 1
            conv = make_conversation(index)
            sender = f"bench-{RUN_ID}-{label}-c{concurrency}-{index}"
            result.conversations_started += 1
            message: str | None = conv.first()
            while message is not None:
                if (
                    time.perf_counter() >= deadline
                    or counter["requests"] >= max_requests
                ):
                    result.conversations_cut += 1
                    return
                counter["requests"] += 1
                t0 = time.perf_counter()
                try:
                    async with session.post(
                        url, json={"sender": sender, "message": message}
                    ) as resp:
                        body = await resp.read()
                        status = resp.status
                except asyncio.TimeoutError:
                    result.errors["timeout"] += 1
                    break
                except aiohttp.ClientError as exc:
                    result.errors[type(exc).__name__] += 1
                    break
                elapsed_ms = (time.perf_counter() - t0) * 1000.0
                if status != 200:
                    result.errors[f"http {status}"] += 1
                    break
                try:
                    replies = json.loads(body)
                except ValueError:
                    result.errors["bad json"] += 1
                    break
                result.latencies_ms.append(elapsed_ms)
                message = conv.next(replies if isinstance(replies, list) else [])
            if conv.done:
                result.conversations_done += 1
                result.turns_per_done.append(conv.turns)
                result.outcomes[conv.outcome] += 1
            elif message is None:
                result.conversations_unfinished += 1

    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await asyncio.gather(*(user(i, session) for i in range(concurrency)))
    result.elapsed_s = time.perf_counter() - start
    result.load_avg = os.getloadavg()
    return result
