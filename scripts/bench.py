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

Usage: make bench  (or .venv/bin/python -m scripts.bench --help)
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from scripts.benchmark.conversations import (
    ScriptedConversation,
    SymptomConversation,
    our_conversation,
    stock_conversation,
)
from scripts.benchmark.report import render_report, target_rows, why_missed
from scripts.benchmark.results import (
    CONCURRENCY_LEVELS,
    ROOT,
    BotResult,
    PhaseResult,
    Report,
    percentile,
    ratio,
)
from scripts.benchmark.run import Bench

__all__ = [
    "BotResult",
    "PhaseResult",
    "Report",
    "ScriptedConversation",
    "SymptomConversation",
    "our_conversation",
    "percentile",
    "ratio",
    "render_report",
    "stock_conversation",
    "target_rows",
    "why_missed",
]


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
