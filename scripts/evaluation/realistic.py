"""The realistic jsonl sets.

Played by the shared simulated patient and scored alike with our own vignettes.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from scripts.evaluation.cases import ROOT
from scripts.evaluation.conversation import Result, _format_bot, transcript_lines
from scripts.evaluation.patient import URGENCY_ORDER

# ---------------------------------------------------------------------------
# Sets: our own vignettes and the realistic jsonl sets, scored alike

SHARED_EVAL = ROOT.parent / "shared" / "eval"
SIMULATE_PATH = SHARED_EVAL / "simulate.py"
SET_NAMES = ("own", "dev", "sealed")
DEFAULT_SETS = ("own", "dev")
#: Scored once at the end, never tuned on: played only when named, reported as
#: figures only (no case id, no transcript, nothing per case on screen).
SEALED_SETS = frozenset({"sealed"})
SET_TITLES = {
    "own": "Own vignettes (regression tests, not evidence)",
    "dev": "Realistic dev",
    "sealed": "Realistic sealed (scored once, never tuned on)",
}
#: The make target that writes each set's report.
REPORT_TARGETS = {"sealed": "make eval-sealed"}


def report_target(names: Sequence[str]) -> str:
    """The make target that regenerates a report of these sets."""
    return next((REPORT_TARGETS[n] for n in names if n in REPORT_TARGETS), "make eval")


def realistic_files(name: str, folder: Optional[Path] = None) -> List[Path]:
    """The jsonl files of a realistic set that exist (globbed, never listed by hand).

    A sealed set is read from tests/vignettes/<name>/ unless `folder` is given.
    """
    if name == "dev":
        shared = SHARED_EVAL / "real_cases_dev.jsonl"
        ours = sorted((ROOT / "tests" / "vignettes").glob("realistic_dev*.jsonl"))
        return [path for path in [shared, *ours] if path.exists()]
    if name in SEALED_SETS:
        folder = folder or ROOT / "tests" / "vignettes" / name
        return sorted(folder.glob("*.jsonl"))
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
