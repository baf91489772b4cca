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
real_cases_dev.jsonl and tests/vignettes/realistic_dev*.jsonl, among them the
spent second to fifty-eighth sealed sets) and the realistic sealed set (`sealed`:
tests/vignettes/sealed/*.jsonl; scored once at the end of a piece of work, never
tuned on; only when named in `--sets`, and reported as figures only, with no case
ids or transcripts, to reports/eval-sealed.md). A new sealed set gets its own name
in scripts/evaluation/realistic.py and its own make target.
The realistic sets are played by the shared simulated patient
(../shared/eval/simulate.py, imported by path, not copied) and scored with its
rules, on the same servers. The modules: scripts/evaluation/.

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
import json
import os
import secrets
import shlex
import sys
import tempfile
import time
from pathlib import Path
from typing import List, Optional, Sequence

from actions.vocabulary import get_vocabulary
from scripts.evaluation.cases import ROOT, Case, load_cases
from scripts.evaluation.conversation import Bot, Result, find_assessment, run_case
from scripts.evaluation.patient import (
    MAX_QUESTIONS_TARGET,
    SimulatedPatient,
    duration_days,
    say_duration,
)
from scripts.evaluation.realistic import (
    DEFAULT_SETS,
    SEALED_SETS,
    SET_NAMES,
    SHARED_EVAL,
    SIMULATE_PATH,
    Scored,
    SetRun,
    emergency_prompts,
    load_jsonl,
    load_simulator,
    prompt_turns,
    realistic_files,
    report_target,
    run_realistic_case,
    scored_from_result,
)
from scripts.evaluation.report import write_report
from tools import servers as launcher
from tools.git import git_commit

__all__ = [
    "SHARED_EVAL",
    "SIMULATE_PATH",
    "Case",
    "Result",
    "Scored",
    "SimulatedPatient",
    "duration_days",
    "emergency_prompts",
    "find_assessment",
    "get_vocabulary",
    "load_simulator",
    "play_realistic",
    "prompt_turns",
    "realistic_files",
    "report_target",
    "run_case",
    "run_realistic_case",
    "say_duration",
    "write_report",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/current.tar.gz")
    parser.add_argument("--cases", default="tests/vignettes", help="own vignettes")
    parser.add_argument(
        "--sets",
        nargs="+",
        choices=SET_NAMES,
        default=list(DEFAULT_SETS),
        help="sets to play (default: own dev; a sealed set only when named)",
    )
    parser.add_argument(
        "--sealed-dir",
        type=Path,
        help="read the named sealed set's jsonl files from this folder instead",
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
    files = realistic_files(name, args.sealed_dir)
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
        if name in SEALED_SETS:  # no id or urgency of a sealed case on screen
            print(f"{name} case {index}/{len(cases)} done", flush=True)
            continue
        print(
            f"{row.id:48s} expected {row.expected:9s} got {row.got or '-':9s}"
            f" q={row.questions} {'ok' if not row.failure_classes else 'FAIL'}",
            flush=True,
        )
    return run


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    names = list(dict.fromkeys(args.sets))
    command = "python -m scripts.eval"
    if argv or sys.argv[1:]:
        command += " " + shlex.join(list(argv or sys.argv[1:]))
    if os.environ.get("MAKELEVEL"):  # the target that writes this report
        command = report_target(names)
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
        report_target(names),
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
