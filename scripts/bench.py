"""Benchmark our assistant against the stock `rasa init` bot, same Rasa, same run.

Why: a symptom assistant that lags loses the person. One run on one machine
measures both bots the same way, so the ratios ours / stock hold even when the
machine is slow or shared; the absolute numbers only describe this machine.

Phases (a progress line each): generate and train the stock bot (`rasa init
--no-prompt`), train ours from `make train`'s inputs into a temp dir, time a
no-op `make train`, then for each bot: start-up to ready, warm-up, resident
memory, 1 / 10 / 50 concurrent multi-turn REST conversations; finally an
in-process profile of where a turn's time goes (scripts/bench_profile.py).
Loopback only, ports 5600-5699, every phase bounded in time and requests, and
every process it started is stopped on exit. Writes reports/bench.md.

Usage: make bench  (or .venv/bin/python scripts/bench.py --help)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import os
import platform
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a file: `python scripts/bench.py`
    sys.path.insert(0, str(ROOT))

from tools.git import git_commit  # noqa: E402
from tools.servers import free_port, spawn, stop_process  # noqa: E402

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


def fmt(value: float | None, digits: int = 1, unit: str = "") -> str:
    """A number for the report, 'n/a' when missing."""
    if value is None:
        return "n/a"
    return f"{value:.{digits}f}{unit}"


def target_rows(report: Report) -> list[tuple[str, str, str, str, str, str]]:
    """(target, ours, stock, ratio, limit, verdict) for each issue target."""
    ours, stock = report.ours, report.stock
    rows = []

    def ratio_row(name: str, key: str, o: float | None, s: float | None, unit: str):
        r = ratio(o, s)
        limit = TARGETS[key]
        if r is None:
            verdict = "not measured"
        elif r <= limit:
            verdict = "met"
        else:
            verdict = f"MISSED by {(r / limit - 1) * 100:.0f}%"
        rows.append(
            (
                name,
                fmt(o, 1, unit),
                fmt(s, 1, unit),
                fmt(r, 2, "×"),
                f"≤ {limit}×",
                verdict,
            )
        )

    o10, s10 = ours.phases.get(10), stock.phases.get(10)
    ratio_row(
        "p95 latency, 10 concurrent",
        "p95_10",
        o10.pct(95) if o10 else None,
        s10.pct(95) if s10 else None,
        " ms",
    )
    o50, s50 = ours.phases.get(50), stock.phases.get(50)
    if o50 is None:
        verdict = "not measured"
    elif o50.error_count == 0 and o50.turns > 0:
        verdict = "met"
    else:
        verdict = f"MISSED: {o50.error_count} errors"
    rows.append(
        (
            "errors, 50 concurrent",
            str(o50.error_count) if o50 else "n/a",
            str(s50.error_count) if s50 else "n/a",
            "",
            "0",
            verdict,
        )
    )
    ratio_row("start-up to ready", "startup", ours.startup_s, stock.startup_s, " s")
    ratio_row(
        "resident memory after warm-up",
        "memory",
        ours.rss_total,
        stock.rss_total,
        " MiB",
    )
    ratio_row("training", "training", ours.training_s, stock.training_s, " s")
    if report.noop_train_skipped is None:
        verdict = "not measured"
    else:
        verdict = "met" if report.noop_train_skipped else "MISSED: it retrained"
    rows.append(
        (
            "`make train` with nothing changed",
            fmt(report.noop_train_s, 1, " s"),
            "",
            "",
            "skips",
            verdict,
        )
    )
    return rows


def md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def cpu_cell(phase: PhaseResult) -> str:
    """Server CPU ms per turn, split by server when there are several."""
    total = fmt(phase.cpu_ms_per_turn, 1)
    if len(phase.cpu_by_server) < 2 or not phase.turns:
        return total
    parts = " + ".join(
        f"{name.split()[0]} {1000 * sec / phase.turns:.1f}"
        for name, sec in phase.cpu_by_server.items()
    )
    return f"{total} ({parts})"


def phase_rows(bot: BotResult) -> list[list[str]]:
    """One row per concurrency level."""
    rows = []
    for level in sorted(bot.phases):
        ph = bot.phases[level]
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(ph.errors.items())) or "0"
        rows.append(
            [
                bot.name,
                str(level),
                fmt(ph.elapsed_s, 1),
                str(ph.turns),
                fmt(ph.throughput, 1),
                cpu_cell(ph),
                fmt(ph.pct(50), 0),
                fmt(ph.pct(95), 0),
                fmt(ph.pct(99), 0),
                errors,
                f"{ph.conversations_done}/{ph.conversations_started}",
                str(ph.conversations_unfinished),
                " / ".join(f"{x:.1f}" for x in ph.load_avg),
            ]
        )
    return rows


def cpu_ratios(report: Report) -> dict[str, float]:
    """ours / stock of CPU seconds: training, start-up, server CPU per turn."""
    ours, stock = report.ours, report.stock
    pairs = {
        "training": (ours.training_cpu_s, stock.training_cpu_s),
        "start-up": (ours.startup_cpu_s, stock.startup_cpu_s),
    }
    for level in sorted(set(ours.phases) & set(stock.phases)):
        pairs[f"server CPU per turn at {level} concurrent"] = (
            ours.phases[level].cpu_ms_per_turn,
            stock.phases[level].cpu_ms_per_turn,
        )
    out = {}
    for name, (o, s) in pairs.items():
        r = ratio(o, s)
        if r is not None:
            out[name] = r
    return out


def why_missed(report: Report) -> list[str]:
    """Data-driven reasons for missed targets, from the profile and memory split."""
    notes = []
    prof = report.profile
    per_turn = {
        bot: (prof.get(bot) or {}).get("per_turn_ms", {}) for bot in ("ours", "stock")
    }
    rows = target_rows(report)
    missed = {row[0] for row in rows if row[5].startswith("MISSED")}
    if "p95 latency, 10 concurrent" in missed and per_turn["ours"]:
        extra = []
        for part, ms in per_turn["ours"].items():
            delta = ms - per_turn["stock"].get(part, 0.0)
            if delta > 0.5 and part != "total":
                extra.append((delta, part))
        extra.sort(reverse=True)
        listed = ", ".join(f"{part} +{d:.1f} ms" for d, part in extra[:4])
        notes.append(
            "p95 at 10 concurrent: under load a turn waits for the turns queued "
            "before it on the one Rasa process, so p95 follows the CPU time per turn. "
            f"In-process, ours costs more per turn in: {listed or 'n/a'} "
            "(see the profile below)."
        )
    if "p95 latency, 10 concurrent" in missed:
        for title, variants in (prof.get("ours") or {}).get("variants", {}).items():
            (name_a, a), (name_b, b) = list(variants.items())[:2]
            if a.get("total") and b.get("total") and b["total"] < 0.9 * a["total"]:
                notes.append(
                    f"A/B ({title}): '{name_b}' instead of '{name_a}' "
                    f"takes ours' in-process turn from {a['total']:.0f} to "
                    f"{b['total']:.0f} ms; the servers already use '{name_b}', "
                    "so the rest of the gap is the other parts listed above."
                )
    if "resident memory after warm-up" in missed:
        parts = ", ".join(f"{k} {v:.0f} MiB" for k, v in report.ours.rss_mib.items())
        notes.append(
            f"memory: ours runs two processes ({parts}); the stock bot needs no "
            "action server. TensorFlow's share is in the memory table below."
        )
    if "start-up to ready" in missed:
        parts = ", ".join(
            f"{k} {v:.1f} s" for k, v in report.ours.startup_parts.items()
        )
        notes.append(
            f"start-up: ours is ready when both servers answer ({parts}); they "
            "start in parallel on the same cores."
        )
    if "training" in missed:
        notes.append(
            "training: see `rasa train`'s per-component times in the training logs "
            "(kept only with --keep); our data set and epochs differ from stock's."
        )
    if any(row[0] == "errors, 50 concurrent" for row in rows) and (
        "errors, 50 concurrent" in missed
    ):
        errs = report.ours.phases.get(50)
        notes.append(
            f"errors at 50 concurrent: {dict(errs.errors) if errs else {}} "
            "(timeouts mean a turn took longer than the per-request limit)."
        )
    return notes


def render_profile(profile: dict[str, Any]) -> list[str]:
    """Markdown for the in-process profile of both bots."""
    out: list[str] = []
    if not profile:
        return ["Profile not run."]
    for bot in ("ours", "stock"):
        data = profile.get(bot)
        if not data:
            continue
        if data.get("error"):
            out += [f"### {bot}", "", f"Profile failed: {data['error']}", ""]
            continue
        out += [
            f"### {bot}: {data.get('turns', 0)} turns in "
            f"{data.get('conversations', 0)} conversations, in-process Agent",
            "",
        ]
        per_turn = data.get("per_turn_ms", {})
        calls = data.get("calls_per_turn", {})
        if per_turn:
            rows = [
                [k, fmt(v, 2), fmt(calls.get(k), 1) if k in calls else ""]
                for k, v in per_turn.items()
            ]
            out += [
                md_table(
                    ["part of a turn", "mean ms per turn", "calls per turn"], rows
                ),
                "",
            ]
        nodes = data.get("nodes", [])
        if nodes:
            rows = [
                [n["node"], n["component"], n["phase"], fmt(n["ms_per_turn"], 2)]
                for n in nodes[:12]
            ]
            out += [
                "Rasa graph nodes (per-component timings):",
                "",
                md_table(["node", "component", "phase", "ms per turn"], rows),
                "",
            ]
        packages = data.get("packages", [])
        if packages:
            rows = [[p["package"], fmt(p["percent"], 1)] for p in packages[:10]]
            out += [
                "Sampled CPU time by package (pyinstrument self time):",
                "",
                md_table(["package", "% of turn time"], rows),
                "",
            ]
        functions = data.get("functions", [])
        if functions:
            rows = [
                [f"`{f['function']}`", f["where"], fmt(f["percent"], 1)]
                for f in functions[:15]
            ]
            out += [
                "Top functions by self time (pyinstrument):",
                "",
                md_table(["function", "where", "% of turn time"], rows),
                "",
            ]
        for title, variants in data.get("variants", {}).items():
            parts = sorted({p for v in variants.values() for p in v})
            rows = [[p] + [fmt(v.get(p), 2) for v in variants.values()] for p in parts]
            out += [
                f"Experiment, {title}: A and B alternate over the same conversation "
                "scripts in this process (ms per turn):",
                "",
                md_table(["part", *variants.keys()], rows),
                "",
            ]
        memory = data.get("memory_mib", {})
        if memory:
            rows = [[k, fmt(v, 0)] for k, v in memory.items()]
            out += [
                "Resident memory of the profiling process as it loads (MiB):",
                "",
                md_table(["after", "RSS MiB"], rows),
                "",
            ]
    return out


def render_report(report: Report) -> str:
    """The whole markdown report."""
    ours, stock = report.ours, report.stock
    lines = [
        "# Benchmark: our assistant against the stock `rasa init` bot",
        "",
        f"- Command: `{report.command}`",
        f"- Commit: {report.commit}",
        f"- Date: {report.date}",
        f"- Machine: {report.machine}",
        f"- Run took {report.total_s / 60:.1f} min. "
        + "; ".join(f"{k}: {v}" for k, v in report.settings.items()),
        "",
        "Generated by scripts/bench.py; do not edit by hand. Both bots ran in this "
        "one run with the same Rasa and venv, one after the other, so the ratios "
        "are comparable; the absolute figures depend on this machine and its load.",
        "",
        "## Targets (ratios ours / stock from this run)",
        "",
        md_table(
            ["target", "ours", "stock", "ratio", "limit", "verdict"],
            target_rows(report),
        ),
        "",
    ]
    cpu = cpu_ratios(report)
    if cpu:
        lines += [
            "CPU-time ratios ours / stock, which shift far less than wall time when "
            "other work loads the machine: "
            + "; ".join(f"{k} {v:.2f}×" for k, v in cpu.items())
            + ".",
            "",
        ]
    notes = why_missed(report)
    if notes:
        lines += ["Why targets were missed:", ""]
        lines += [f"- {n}" for n in notes]
        lines += [""]
    for bot in (ours, stock):
        if bot.failure:
            lines += [f"**{bot.name} failed:** {bot.failure}", ""]
    lines += [
        "## Training",
        "",
        md_table(
            ["bot", "wall s", "CPU s", "load avg at end", "how"],
            [
                [
                    bot.name,
                    fmt(bot.training_s),
                    fmt(bot.training_cpu_s),
                    fmt(bot.training_load, 2),
                    bot.training_note,
                ]
                for bot in (ours, stock)
            ],
        ),
        "",
        f"`make train` with nothing changed: {fmt(report.noop_train_s, 2, ' s')}, "
        + (
            "skipped retraining."
            if report.noop_train_skipped
            else ("RETRAINED." if report.noop_train_skipped is False else "n/a.")
        )
        + (f" {report.noop_note}" if report.noop_note else ""),
        "",
        "## Start-up and memory",
        "",
    ]
    rows = []
    for bot in (ours, stock):
        parts = ", ".join(f"{k} {v:.1f}" for k, v in bot.startup_parts.items())
        rss = ", ".join(f"{k} {v:.0f}" for k, v in bot.rss_mib.items())
        pss = ", ".join(f"{k} {v:.0f}" for k, v in bot.pss_mib.items())
        peak = ", ".join(f"{k} {v:.0f}" for k, v in bot.peak_rss_mib.items())
        rows.append(
            [
                bot.name,
                fmt(bot.startup_s),
                fmt(bot.startup_cpu_s),
                parts,
                fmt(bot.first_turn_ms, 0),
                fmt(bot.rss_total, 0),
                rss,
                pss,
                peak,
            ]
        )
    lines += [
        md_table(
            [
                "bot",
                "ready s",
                "CPU s to ready",
                "per server s",
                "first turn ms",
                "RSS MiB",
                "RSS per server",
                "PSS per server",
                "peak RSS after load",
            ],
            rows,
        ),
        "",
        "Ready: from spawning the servers until the Rasa server answers `GET /` (it "
        "loads the model before listening) and, for ours, the action server answers "
        "`GET /health`. Memory: VmRSS of each server's process tree after warm-up "
        "conversations, before the load phases; peak is VmHWM after all phases.",
        "",
        "## Latency, throughput, errors (REST, multi-turn conversations)",
        "",
        md_table(
            [
                "bot",
                "concurrent",
                "s",
                "turns",
                "turns/s",
                "server CPU ms/turn",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "errors",
                "conversations done/started",
                "unfinished",
                "load avg 1/5/15",
            ],
            phase_rows(ours) + phase_rows(stock),
        ),
        "",
    ]
    outcome_lines = []
    for level in sorted(ours.phases):
        ph = ours.phases[level]
        if ph.turns_per_done:
            mean_turns = sum(ph.turns_per_done) / len(ph.turns_per_done)
            outcomes = ", ".join(f"{k} {v}" for k, v in sorted(ph.outcomes.items()))
            outcome_lines.append(
                f"- {level} concurrent: {mean_turns:.1f} turns per finished "
                f"conversation; outcomes: {outcomes or 'n/a'}"
            )
    lines += [
        "Ours: each conversation opens with a symptom description and answers every "
        "question with one of its buttons (seeded choice) until the assessment JSON "
        "arrives; `unfinished` ran out of turns without one. Stock: its greet / mood "
        "/ did-that-help stories. Conversations still running at a phase's deadline "
        "are cut and not counted. Errors: non-200, timeout, connection error or bad "
        "JSON.",
        "",
        *outcome_lines,
        "",
        "## Where a turn's time goes",
        "",
        "In-process `Agent.handle_text` (no HTTP channel), the same models, ours with "
        "its action server and SQLite tracker store. Per-turn parts are timed "
        "without the sampling profiler: NLU graph, policy graph (all predictions of "
        "the turn), action-server round trips (HTTP, the action server's work, "
        "Rasa's serialisation) and Rasa's validation of each response, tracker "
        "store retrieve and save, the rest of Rasa's processing. The function and "
        "package tables come from a second pass under pyinstrument (half as many "
        "conversations; its overhead inflates call-heavy code).",
        "",
        *render_profile(report.profile),
        "## Machine load during the run",
        "",
        md_table(
            ["phase", "load avg 1 / 5 / 15 min at its start"],
            [
                [name, " / ".join(f"{x:.2f}" for x in la)]
                for name, la in report.load_samples
            ],
        ),
        "",
        "Load above the core count means other work shared the CPU; both bots' "
        "phases ran back to back, so compare their load columns before trusting a "
        "ratio.",
        "",
    ]
    return "\n".join(lines)


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


# ---------------------------------------------------------------- processes


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        kids.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return kids


def process_tree(pid: int) -> list[int]:
    """The pid and all its descendants."""
    kids = _children()
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += kids.get(current, [])
    return tree


def _status_kib(pid: int, key: str, path: str = "status") -> int:
    try:
        text = Path(f"/proc/{pid}/{path}").read_text()
    except OSError:
        return 0
    match = re.search(rf"^{key}:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) if match else 0


def tree_mib(pid: int, key: str, path: str = "status") -> float:
    """Sum of a /proc memory field over a process tree, MiB."""
    return sum(_status_kib(p, key, path) for p in process_tree(pid)) / 1024.0


def tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process tree (the live processes in it)."""
    ticks = 0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


class Processes:
    """Every process this run started, each in its own session, stopped on exit."""

    def __init__(self) -> None:
        self._procs: list[subprocess.Popen] = []
        self.last_cpu_s = 0.0

    def start(
        self, cmd: list[str], cwd: Path, env: dict[str, str], log: Path
    ) -> subprocess.Popen:
        """Spawn cmd with output to log."""
        proc = spawn(cmd, log, env, cwd)
        self._procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen, grace_s: float = 15.0) -> None:
        """SIGTERM its process group, SIGKILL after the grace time."""
        stop_process(proc, grace_s)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # leftovers of its group
        if proc in self._procs:
            self._procs.remove(proc)

    def stop_all(self) -> None:
        """Stop everything still running."""
        for proc in list(self._procs):
            self.stop(proc, grace_s=5.0)

    def run(
        self, cmd: list[str], cwd: Path, env: dict[str, str], log: Path, timeout: float
    ) -> tuple[int, float]:
        """Run to completion within timeout; (exit code, seconds).

        Its CPU seconds (user + system, all its descendants) go to last_cpu_s:
        unlike wall time, they hardly change when others load the machine.
        """
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = self.start(cmd, cwd, env, log)
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop(proc)
            code = -1
        self.stop(proc)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.last_cpu_s = (after.ru_utime - before.ru_utime) + (
            after.ru_stime - before.ru_stime
        )
        return code, time.perf_counter() - t0


def http_ok(url: str, timeout: float = 1.0) -> bool:
    """GET url answers 200."""
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status == 200
    except Exception:
        return False


def wait_ready(
    checks: dict[str, tuple[str, subprocess.Popen]], t0: float, timeout_s: float
) -> dict[str, float]:
    """Seconds from t0 until each named server's URL answers 200."""
    ready: dict[str, float] = {}
    while len(ready) < len(checks):
        for name, (url, proc) in checks.items():
            if name in ready:
                continue
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited during start-up ({proc.returncode})")
            if http_ok(url, timeout=0.5):
                ready[name] = time.perf_counter() - t0
        if time.perf_counter() - t0 > timeout_s:
            raise RuntimeError(f"not ready after {timeout_s:.0f} s: {checks.keys()}")
        time.sleep(0.1)
    return ready


# ---------------------------------------------------------------- the run


@dataclass
class BotSetup:
    """How to serve one bot."""

    name: str
    cwd: Path
    model: Path
    endpoints: Path | None
    credentials: Path | None
    webhook: str
    action_server: bool
    env: dict[str, str]
    conversation: Callable[[int], Any]


@dataclass
class Server:
    """A started bot: its processes by name and its REST webhook URL."""

    setup: BotSetup
    procs: dict[str, subprocess.Popen]
    url: str


class Bench:
    """One benchmark run: owns the work dir, the processes and the report."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.t_start = time.perf_counter()
        self.procs = Processes()
        self.ports: set[int] = set()
        self.work = Path(args.work_dir or tempfile.mkdtemp(prefix="bench-"))
        self.work.mkdir(parents=True, exist_ok=True)
        self.logs = self.work / "logs"
        self.logs.mkdir(exist_ok=True)
        self.py = sys.executable
        self.base_env = dict(os.environ)
        self.base_env.update(
            RASA_TELEMETRY_ENABLED="false",
            PYTHONUNBUFFERED="1",
            SANIC_HOST=LOOPBACK,  # the action server's bind address
        )
        self.load_samples: list[tuple[str, tuple[float, float, float]]] = []

    def extra_env(self) -> dict[str, str]:
        """--ours-env NAME=value settings (experiments with env settings)."""
        return dict(item.split("=", 1) for item in self.args.ours_env)

    def progress(self, phase: str, message: str) -> None:
        """One progress line: elapsed, phase, message, load average."""
        elapsed = time.perf_counter() - self.t_start
        load = os.getloadavg()
        if phase not in {name for name, _ in self.load_samples}:
            self.load_samples.append((phase, load))
        print(
            f"[bench {elapsed / 60:4.1f} min] {phase}: {message} (load {load[0]:.2f})",
            flush=True,
        )

    # ---- training

    def train_stock(self, result: BotResult) -> Path | None:
        """`rasa init --no-prompt` in a temp folder: scaffold + training, timed."""
        stock = self.work / "stock"
        model_dir = stock / "models"
        if self.args.reuse_models and list(model_dir.glob("*.tar.gz")):
            result.training_note = "reused from an earlier run (--reuse-models)"
            return sorted(model_dir.glob("*.tar.gz"))[-1]
        shutil.rmtree(stock, ignore_errors=True)
        stock.mkdir(parents=True)
        env = dict(self.base_env, RASA_CACHE_DIRECTORY=str(self.work / "cache-stock"))
        shutil.rmtree(self.work / "cache-stock", ignore_errors=True)
        self.progress("train stock", "rasa init --no-prompt (generates and trains)")
        code, seconds = self.procs.run(
            [self.py, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(stock)],
            cwd=self.work,
            env=env,
            log=self.logs / "train-stock.log",
            timeout=self.args.train_timeout,
        )
        models = sorted(model_dir.glob("*.tar.gz"))
        if code != 0 or not models:
            result.failure = f"rasa init failed ({code}); see train-stock.log"
            return None
        result.training_s = seconds
        result.training_cpu_s = self.procs.last_cpu_s
        result.training_load = os.getloadavg()[0]
        result.training_note = (
            "`rasa init --no-prompt`: scaffold (instant) + `rasa train`, fresh cache"
        )
        self.progress("train stock", f"done in {seconds:.1f} s")
        return models[-1]

    def train_ours(self, result: BotResult) -> Path | None:
        """`make train`'s inputs trained fresh into the work dir, timed."""
        out = self.work / "ours-models"
        model = out / "m.tar.gz"
        if self.args.reuse_models and model.exists():
            result.training_note = "reused from an earlier run (--reuse-models)"
            return model
        cache = self.work / "cache-ours"
        shutil.rmtree(cache, ignore_errors=True)
        cmd = _train_if_changed().train_command(self.py, out, "m")
        self.progress("train ours", " ".join(cmd[2:]))
        code, seconds = self.procs.run(
            cmd,
            cwd=ROOT,
            env=dict(self.base_env, RASA_CACHE_DIRECTORY=str(cache)),
            log=self.logs / "train-ours.log",
            timeout=self.args.train_timeout,
        )
        if code != 0 or not model.exists():
            result.failure = f"rasa train failed ({code}); see train-ours.log"
            return None
        result.training_s = seconds
        result.training_cpu_s = self.procs.last_cpu_s
        result.training_load = os.getloadavg()[0]
        result.training_note = (
            f"`rasa train` of config.yml, {cmd[cmd.index('--domain') + 1]}, "
            "bot/data into a temp dir, "
            "fresh cache"
        )
        self.progress("train ours", f"done in {seconds:.1f} s")
        return model

    def time_noop_train(self, report: Report) -> None:
        """Time `make train` when its inputs are unchanged: it must skip."""
        if self.args.no_make_train:
            report.noop_note = "not run (--no-make-train)"
            return
        env = dict(os.environ)
        log = self.logs / "make-train.log"
        stale = not _train_if_changed().is_up_to_date()
        if stale:
            self.progress("make train", "model out of date: `make train` first")
            code, seconds = self.procs.run(
                ["make", "train"], ROOT, env, log, self.args.train_timeout
            )
            report.noop_note = (
                f"(models/current.tar.gz was out of date: the first `make train` "
                f"trained in {seconds:.0f} s, exit {code}; then timed again.)"
            )
        self.progress("make train", "timing `make train` with nothing changed")
        before = log.stat().st_size if log.exists() else 0
        code, seconds = self.procs.run(["make", "train"], ROOT, env, log, 300)
        output = log.read_bytes()[before:].decode(errors="replace")
        report.noop_train_s = seconds
        report.noop_train_skipped = code == 0 and "skipping training" in output.lower()
        self.progress(
            "make train", f"{seconds:.2f} s, skipped={report.noop_train_skipped}"
        )

    # ---- serving

    def our_setup(self, model: Path, action_port: int) -> BotSetup:
        """Ours as `make run` serves it: its endpoints and channels, temp SQLite."""
        endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text()) or {}
        endpoints["action_endpoint"] = {
            "url": f"http://{LOOPBACK}:{action_port}/webhook"
        }
        store = endpoints.get("tracker_store") or {}
        if str(store.get("dialect", "")).lower() == "sqlite":
            store["db"] = str(self.work / "ours-tracker.db")
            with contextlib.suppress(FileNotFoundError):
                (self.work / "ours-tracker.db").unlink()
        endpoints_path = self.work / "ours-endpoints.yml"
        endpoints_path.write_text(yaml.safe_dump(endpoints))
        credentials = yaml.safe_load((ROOT / "credentials.yml").read_text()) or {}
        # Channels that need secrets (Telegram) are left out; REST and the widget stay.
        credentials = {
            k: v for k, v in credentials.items() if "telegram" not in k.lower()
        }
        credentials_path = self.work / "ours-credentials.yml"
        credentials_path.write_text(yaml.safe_dump(credentials))
        return BotSetup(
            name="ours",
            cwd=ROOT,
            model=model,
            endpoints=endpoints_path,
            credentials=credentials_path,
            webhook=self.rest_webhook(credentials),
            action_server=True,
            env=dict(self.base_env, **run_sh_env(), **self.extra_env()),
            conversation=our_conversation,
        )

    def rest_webhook(self, credentials: dict[str, Any]) -> str:
        """The REST channel's URL path: `rest`, or a custom channel's name()."""
        if "rest" in credentials:
            return "/webhooks/rest/webhook"
        for key in credentials:
            if "." in key and "rest" in key.lower():
                module, cls = key.rsplit(".", 1)
                code = f"import {module} as m; print(m.{cls}.name())"
                out = subprocess.run(
                    [self.py, "-c", code],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    timeout=120,
                    check=False,
                )
                if out.returncode == 0 and out.stdout.strip():
                    return f"/webhooks/{out.stdout.strip().splitlines()[-1]}/webhook"
        return "/webhooks/rest/webhook"

    def stock_setup(self, model: Path) -> BotSetup:
        """The stock bot as `rasa run` serves it from its folder."""
        stock = self.work / "stock"
        return BotSetup(
            name="stock",
            cwd=stock,
            model=model,
            endpoints=stock / "endpoints.yml",
            credentials=stock / "credentials.yml",
            webhook="/webhooks/rest/webhook",
            action_server=False,
            env=dict(self.base_env),
            conversation=stock_conversation,
        )

    def start_bot(
        self, setup: BotSetup, result: BotResult, port: int, action_port: int | None
    ) -> Server | None:
        """Start its servers, time start-up to ready, warm up, read memory."""
        server = Server(setup, {}, f"http://{LOOPBACK}:{port}{setup.webhook}")
        checks: dict[str, tuple[str, subprocess.Popen]] = {}
        self.progress(f"start {setup.name}", f"Rasa on port {port}")
        t0 = time.perf_counter()
        try:
            if setup.action_server and action_port:
                proc = self.start_action_server(setup, action_port, "serve")
                server.procs["action server"] = proc
                checks["action server"] = (
                    f"http://{LOOPBACK}:{action_port}/health",
                    proc,
                )
            cmd = [self.py, "-m", "rasa", "run", "--model", str(setup.model)]
            cmd += ["--port", str(port), "--interface", LOOPBACK]
            if setup.endpoints:
                cmd += ["--endpoints", str(setup.endpoints)]
            if setup.credentials:
                cmd += ["--credentials", str(setup.credentials)]
            log = self.logs / f"{setup.name}-rasa.log"
            proc = self.procs.start(cmd, setup.cwd, setup.env, log)
            server.procs["rasa server"] = proc
            checks["rasa server"] = (f"http://{LOOPBACK}:{port}/", proc)
            result.startup_parts = wait_ready(checks, t0, self.args.startup_timeout)
            result.startup_s = max(result.startup_parts.values())
            result.startup_cpu_s = sum(tree_cpu_s(p.pid) for p in server.procs.values())
            self.progress(f"start {setup.name}", f"ready in {result.startup_s:.1f} s")
            self.warm_up(setup, result, server.url)
            for name, proc in server.procs.items():
                result.rss_mib[name] = tree_mib(proc.pid, "VmRSS")
                result.pss_mib[name] = tree_mib(proc.pid, "Pss", "smaps_rollup")
            self.progress(
                f"memory {setup.name}",
                ", ".join(f"{k} {v:.0f} MiB" for k, v in result.rss_mib.items()),
            )
            return server
        except Exception as exc:  # recorded in the report, the run goes on
            result.failure = f"{type(exc).__name__}: {exc}"
            self.progress(f"start {setup.name}", f"FAILED: {result.failure}")
            self.stop_bot(server)
            return None

    def stop_bot(self, server: Server) -> None:
        """Stop its servers."""
        for proc in server.procs.values():
            self.procs.stop(proc)

    def start_action_server(
        self, setup: BotSetup, port: int, tag: str
    ) -> subprocess.Popen:
        """`python -m rasa_sdk` on loopback (SANIC_HOST) at port."""
        cmd = [self.py, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)]
        log = self.logs / f"{setup.name}-{tag}-actions.log"
        return self.procs.start(cmd, setup.cwd, setup.env, log)

    def load_phase(self, server: Server, result: BotResult, level: int) -> None:
        """One concurrency level against one bot, with its servers' CPU time."""
        name = server.setup.name
        self.progress(f"load {name} x{level}", f"{level} concurrent conversations")
        cpu_before = {k: tree_cpu_s(p.pid) for k, p in server.procs.items()}
        phase = asyncio.run(
            run_phase(
                server.url,
                server.setup.conversation,
                level,
                self.args.phase_seconds,
                self.args.max_requests,
                self.args.request_timeout,
                name,
            )
        )
        phase.cpu_by_server = {
            k: tree_cpu_s(p.pid) - cpu_before[k] for k, p in server.procs.items()
        }
        phase.cpu_s = sum(phase.cpu_by_server.values())
        result.phases[level] = phase
        self.progress(
            f"load {name} x{level}",
            f"{phase.turns} turns, p95 {fmt(phase.pct(95), 0)} ms, "
            f"{phase.error_count} errors",
        )

    def warm_up(self, setup: BotSetup, result: BotResult, url: str) -> None:
        """A few sequential conversations; the very first turn is timed (cold)."""
        phase = asyncio.run(
            run_phase(
                url,
                setup.conversation,
                1,
                self.args.warmup_seconds,
                self.args.warmup_requests,
                self.args.request_timeout,
                f"{setup.name}-warmup",
            )
        )
        if phase.latencies_ms:
            result.first_turn_ms = phase.latencies_ms[0]
        if phase.error_count or not phase.turns:
            raise RuntimeError(f"warm-up failed: {dict(phase.errors)}")
        self.progress(
            f"warm-up {setup.name}",
            f"{phase.turns} turns, {phase.conversations_done} conversations done",
        )

    # ---- profile

    def profile(
        self, ours: BotSetup | None, stock: BotSetup | None, action_port: int | None
    ) -> dict[str, Any]:
        """scripts/bench_profile.py in its own process for each bot."""
        out: dict[str, Any] = {}
        for setup in (ours, stock):
            if setup is None:
                continue
            self.progress(f"profile {setup.name}", "in-process Agent with pyinstrument")
            action_proc = None
            json_out = self.work / f"profile-{setup.name}.json"
            try:
                if setup.action_server and action_port:
                    action_proc = self.start_action_server(
                        setup, action_port, "profile"
                    )
                    wait_ready(
                        {
                            "action server": (
                                f"http://{LOOPBACK}:{action_port}/health",
                                action_proc,
                            )
                        },
                        time.perf_counter(),
                        self.args.startup_timeout,
                    )
                cmd = [
                    self.py,
                    str(ROOT / "scripts" / "bench_profile.py"),
                    "--model",
                    str(setup.model),
                    "--bot",
                    setup.name,
                    "--conversations",
                    str(self.args.profile_conversations),
                    "--out",
                    str(json_out),
                    "--work",
                    str(self.work),
                ]
                if setup.endpoints:
                    cmd += ["--endpoints", str(setup.endpoints)]
                if setup.name == "ours" and self.args.experiment_rounds:
                    cmd += ["--experiments", str(self.args.experiment_rounds)]
                code, seconds = self.procs.run(
                    cmd,
                    setup.cwd,
                    setup.env,
                    self.logs / f"profile-{setup.name}.log",
                    self.args.profile_timeout,
                )
                if code == 0 and json_out.exists():
                    out[setup.name] = json.loads(json_out.read_text())
                else:
                    out[setup.name] = {"error": f"exit {code}; see profile log"}
                self.progress(f"profile {setup.name}", f"done in {seconds:.1f} s")
            finally:
                if action_proc is not None:
                    self.procs.stop(action_proc)
        return out

    # ---- whole run

    def run(self) -> Report:
        """Every phase in order; always stops its processes."""
        ours, stock = BotResult("ours"), BotResult("stock")
        report = Report(
            command=self.args.command,
            commit=git_commit(),
            date=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            machine=machine_summary(),
            settings={
                "phase": f"{self.args.phase_seconds:.0f} s per concurrency level",
                "levels": ", ".join(map(str, self.args.levels)),
                "request cap": f"{self.args.max_requests} per phase",
                "request timeout": f"{self.args.request_timeout:.0f} s",
                "ours env from scripts/run.sh and --ours-env": ", ".join(
                    f"{k}={v}" for k, v in {**run_sh_env(), **self.extra_env()}.items()
                )
                or "none",
            },
            ours=ours,
            stock=stock,
        )
        try:
            stock_model = self.train_stock(stock)
            our_model = self.train_ours(ours)
            self.time_noop_train(report)
            action_port = free_port(self.ports, PORT_RANGE)
            our_setup = self.our_setup(our_model, action_port) if our_model else None
            stock_setup = self.stock_setup(stock_model) if stock_model else None
            bots = [
                (setup, result)
                for setup, result in ((stock_setup, stock), (our_setup, ours))
                if setup is not None
            ]
            servers = []
            for setup, result in bots:
                server = self.start_bot(
                    setup, result, free_port(self.ports, PORT_RANGE), action_port
                )
                if server is not None:
                    servers.append((server, result))
            try:
                # Levels alternate which bot goes first, so a drift in the
                # machine's load does not always favour the same bot.
                for i, level in enumerate(self.args.levels):
                    order = servers if i % 2 == 0 else servers[::-1]
                    for server, result in order:
                        self.load_phase(server, result, level)
                for server, result in servers:
                    for name, proc in server.procs.items():
                        result.peak_rss_mib[name] = tree_mib(proc.pid, "VmHWM")
            finally:
                for server, _ in servers:
                    self.stop_bot(server)
            if not self.args.no_profile:
                report.profile = self.profile(our_setup, stock_setup, action_port)
        finally:
            self.procs.stop_all()
            report.load_samples = self.load_samples
            report.total_s = time.perf_counter() - self.t_start
        return report


def run_sh_env() -> dict[str, str]:
    """`export NAME=value` lines of scripts/run.sh: ours runs with them too."""
    env: dict[str, str] = {}
    path = ROOT / "scripts" / "run.sh"
    if not path.exists():
        return env
    for line in path.read_text().splitlines():
        match = re.match(r"\s*export\s+([A-Z_][A-Z0-9_]*)=(.*)$", line)
        if not match:
            continue
        name, value = match.group(1), match.group(2).strip().strip("\"'")
        default = re.fullmatch(r"\$\{" + name + r":-(.*)\}", value)
        if default:
            value = os.environ.get(name, default.group(1))
        if "$" not in value:
            env[name] = value
    return env


def machine_summary() -> str:
    """CPU model and count, memory, OS, Python and Rasa versions."""
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = 0
    with contextlib.suppress(OSError):
        match = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
        mem = int(match.group(1)) if match else 0
    try:
        from importlib.metadata import version

        rasa_version = version("rasa")
    except Exception:
        rasa_version = "?"
    return (
        f"{os.cpu_count()} CPU ({cpu}), {mem / 1024 / 1024:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python "
        f"{platform.python_version()}, Rasa {rasa_version}"
    )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options; the defaults are what `make bench` runs."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "bench.md")
    parser.add_argument("--work-dir", help="keep work files here (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the work dir")
    parser.add_argument(
        "--reuse-models",
        action="store_true",
        help="reuse models already in --work-dir (development; training not timed)",
    )
    parser.add_argument(
        "--no-make-train",
        action="store_true",
        help="do not time the no-op `make train`",
    )
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument(
        "--ours-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment for our servers (an experiment; named in the report)",
    )
    parser.add_argument(
        "--levels", type=int, nargs="+", default=list(CONCURRENCY_LEVELS)
    )
    parser.add_argument("--phase-seconds", type=float, default=25.0)
    parser.add_argument("--max-requests", type=int, default=4000)
    parser.add_argument("--request-timeout", type=float, default=30.0)
    parser.add_argument("--warmup-seconds", type=float, default=8.0)
    parser.add_argument("--warmup-requests", type=int, default=30)
    parser.add_argument("--startup-timeout", type=float, default=240.0)
    parser.add_argument("--train-timeout", type=float, default=480.0)
    parser.add_argument("--profile-conversations", type=int, default=8)
    parser.add_argument("--profile-timeout", type=float, default=300.0)
    parser.add_argument(
        "--experiment-rounds",
        type=int,
        default=4,
        help="A/B rounds of each candidate fix in the profile (0: none)",
    )
    parser.add_argument(
        "--command",
        default="make bench",
        help="the command named in the report's header",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write the report."""
    args = parse_args(argv)
    bench = Bench(args)

    def on_signal(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    try:
        report = bench.run()
    finally:
        bench.procs.stop_all()
        if not (args.keep or args.work_dir):
            shutil.rmtree(bench.work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render_report(report))
    bench.progress("report", f"wrote {args.out} in {report.total_s / 60:.1f} min")
    return 0 if not (report.ours.failure or report.stock.failure) else 1


if __name__ == "__main__":
    sys.exit(main())
