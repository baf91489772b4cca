"""Bad-input suite: malformed and hostile inputs over REST, socket.io and Telegram.

Starts an action server and a Rasa server (SQLite, loopback, the repository's
credentials.yml with Telegram pointed at a local fake Bot API), has a short
conversation on each channel, then sends every case to that same conversation and
checks: no 5xx answer, no server process dies, no server traceback in the log,
every text message answered (never silence), and the conversation's earlier
events still stored, unchanged.

    make robustness  (or .venv/bin/python -m scripts.robustness [--report FILE])

Exit status 1 when any check fails. tests/robustness/ runs the same suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from scripts.bad_inputs.cases import (
    ROOT,
    rest_raw_cases,
    socketio_bad_payloads,
    telegram_raw_cases,
    text_cases,
)
from scripts.bad_inputs.channels import ChannelResult
from scripts.bad_inputs.suite import case_counts, render_report, run_suite
from tools import servers

__all__ = [
    "ChannelResult",
    "case_counts",
    "render_report",
    "rest_raw_cases",
    "run_suite",
    "socketio_bad_payloads",
    "telegram_raw_cases",
    "text_cases",
]


def main() -> int:
    """Runs the suite and writes the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", default="reports/robustness.md")
    parser.add_argument("--work-dir", help="keep server logs here (default: temp)")
    parser.add_argument(
        "--channels", nargs="*", choices=["rest", "socketio", "telegram"]
    )
    args = parser.parse_args()
    if args.work_dir:
        Path(args.work_dir).mkdir(parents=True, exist_ok=True)
        results = run_suite(Path(args.work_dir), args.channels)
    else:
        with tempfile.TemporaryDirectory(prefix="robustness-") as tmp:
            results = run_suite(Path(tmp), args.channels)
    command = " ".join([".venv/bin/python -m scripts.robustness", *sys.argv[1:]])
    if os.environ.get("MAKELEVEL") and not sys.argv[1:]:
        command = "make robustness"
    if os.environ.get("RELIABILITY_MODEL"):
        command = f"RELIABILITY_MODEL={servers.MODEL} {command}"
    report = render_report(results, command)
    path = ROOT / args.report
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report)
    for r in results:
        print(
            f"{r.channel}: {r.sent} inputs, 5xx {r.errors_5xx}, silent {r.silent}, "
            f"tracebacks {r.server_tracebacks}, crashed {r.crashed}, "
            f"intact {r.history_intact} -> {'ok' if r.ok else 'FAIL'}"
        )
    print(f"Report: {path}")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
