"""reports/bench.md from the results: targets, verdicts, phases and the profile."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scripts.benchmark.results import TARGETS, BotResult, PhaseResult, Report, ratio


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
