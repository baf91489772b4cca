"""What the benchmark measures.

Its settings, targets and result records, and the pure statistics over them
(percentiles, ratios).
"""

from __future__ import annotations

import functools
import os
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


PORT_RANGE = range(5600, 5700)
LOOPBACK = "127.0.0.1"
CONCURRENCY_LEVELS = (1, 10, 50)
TARGETS = {
    "p95_10": 1.0,
    "startup": 1.5,
    "memory": 1.3,
    "training": 2.0,
}
# Stock `rasa init` conversations: its stories (greet, mood, did that help, bye).
STOCK_SCRIPTS = (
    ("hello", "I am feeling great", "bye"),
    ("hi", "I am very sad", "yes", "goodbye"),
    ("hey there", "I am unhappy", "no"),
    ("good morning", "amazing", "see you"),
)
# Our openings: symptom descriptions without red flags, so each conversation
# runs the questions to an assessment (wording from the seed article's topics).
OUR_OPENINGS = (
    "my left foot has been numb and tingling for three weeks",
    "both my feet feel numb like socks and it came on gradually",
    "the outer side of my thigh is numb",
    "my leg goes numb after sitting cross-legged for a long time",
    "numbness in the back of my lower leg with back pain",
    "my feet tingle at night",
)
# Free-text answers when the bot asks without buttons: keyword in its text -> reply.
FREE_TEXT_ANSWERS = (
    (("how old", "your age", "age?"), "I am 52"),
    (("how long", "since when", "when did"), "about three weeks"),
)
SKIP_PAYLOAD_WORDS = ("restart", "delete", "stop", "forget")
RUN_ID = f"{os.getpid()}-{int(time.time())}"  # fresh conversations every run


# ---------------------------------------------------------------- pure parts


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100.0
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(ours: float | None, stock: float | None) -> float | None:
    """ours / stock, None when either side is missing or stock is zero."""
    if ours is None or stock is None or stock == 0:
        return None
    return ours / stock


@functools.lru_cache(maxsize=1)
def _train_if_changed() -> Any:
    """scripts/train_if_changed.py, the one place that knows how to train ours."""
    from scripts import train_if_changed

    return train_if_changed


@dataclass
class PhaseResult:
    """What one load phase measured (latencies in milliseconds)."""

    concurrency: int
    elapsed_s: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    conversations_started: int = 0
    conversations_done: int = 0
    conversations_unfinished: int = 0
    conversations_cut: int = 0
    turns_per_done: list[int] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)
    load_avg: tuple[float, float, float] = (0.0, 0.0, 0.0)
    cpu_s: float | None = None
    cpu_by_server: dict[str, float] = field(default_factory=dict)

    @property
    def turns(self) -> int:
        """Turns answered with HTTP 200."""
        return len(self.latencies_ms)

    @property
    def error_count(self) -> int:
        """Failed requests (non-200, timeout, connection error, bad JSON)."""
        return sum(self.errors.values())

    @property
    def throughput(self) -> float:
        """Answered turns per second of wall time."""
        return self.turns / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def cpu_ms_per_turn(self) -> float | None:
        """Server CPU time (Rasa + action server) per answered turn."""
        if self.cpu_s is None or not self.turns:
            return None
        return 1000.0 * self.cpu_s / self.turns

    def pct(self, p: float) -> float | None:
        """Latency percentile in ms."""
        return percentile(self.latencies_ms, p)


@dataclass
class BotResult:
    """Every figure measured for one bot."""

    name: str
    training_s: float | None = None
    training_cpu_s: float | None = None
    training_load: float | None = None
    training_note: str = ""
    startup_s: float | None = None
    startup_cpu_s: float | None = None
    startup_parts: dict[str, float] = field(default_factory=dict)
    first_turn_ms: float | None = None
    rss_mib: dict[str, float] = field(default_factory=dict)
    pss_mib: dict[str, float] = field(default_factory=dict)
    peak_rss_mib: dict[str, float] = field(default_factory=dict)
    phases: dict[int, PhaseResult] = field(default_factory=dict)
    failure: str = ""

    @property
    def rss_total(self) -> float | None:
        """Resident memory of all its servers after warm-up, MiB."""
        return sum(self.rss_mib.values()) if self.rss_mib else None


@dataclass
class Report:
    """The whole run, rendered to reports/bench.md."""

    command: str
    commit: str
    date: str
    machine: str
    settings: dict[str, str]
    ours: BotResult
    stock: BotResult
    noop_train_s: float | None = None
    noop_train_skipped: bool | None = None
    noop_note: str = ""
    load_samples: list[tuple[str, tuple[float, float, float]]] = field(
        default_factory=list
    )
    profile: dict[str, Any] = field(default_factory=dict)
    total_s: float = 0.0
