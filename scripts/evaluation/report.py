"""reports/eval.md: figures per set, failures by class, transcripts of failures."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from scripts.evaluation.cases import Case
from scripts.evaluation.conversation import transcript_lines
from scripts.evaluation.patient import MAX_QUESTIONS_TARGET, URGENCY_ORDER
from scripts.evaluation.realistic import (
    SEALED_SETS,
    SET_TITLES,
    Scored,
    SetRun,
    failures_by_class,
    set_metrics,
)

# ---------------------------------------------------------------------------
# Report


def engine_oracle(case: Case) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """The triage engine's answer when told every fact of the case at once.

    A diagnostic for routing failures: when the engine is right with all facts
    known but the conversation is wrong, the fault lies in the NLU or the
    dialogue (facts not understood, not asked, or lost), not in the engine.
    """
    try:
        from actions.parsing import findings_from_slots
        from actions.triage import assess

        found = assess(
            findings_from_slots(case.present, case.absent, case.age, case.duration)
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


def _table_row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _failing_heading(title: str, count: int) -> List[str]:
    return ["", f"#### {title} ({count})", ""]


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
        told = (r.case.id, r.case.urgency, r.urgency or "—")
        got = (", ".join(r.causes[:3]) or "—", "yes" if r.top3_ok else "no")
        verdict = (str(r.questions), _oracle_note(r.case), "; ".join(r.failures))
        lines.append(_table_row(*told, *got, *verdict[:2], verdict[2] or "pass"))
    failing = [r for r in run.results if r.failures]
    lines += _failing_heading("Failing own vignettes", len(failing))
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
        expected = f"{r.expected} ({', '.join(r.acceptable)})"
        prompts = ", ".join(map(str, r.prompt_turns)) or "—"
        counts = (str(r.turns), str(r.questions), prompts)
        causes = ", ".join(r.causes[:3]) or "—"
        verdict = "; ".join(r.failure_classes) or "pass"
        lines.append(_table_row(r.id, expected, r.got or "—", causes, *counts, verdict))
    failing = [r for r in run.rows if r.failure_classes]
    lines += _failing_heading("Failing cases", len(failing))
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
    target: str = "make eval",
) -> Dict[str, Dict[str, Any]]:
    """Write reports/eval.md (each set apart) and return each set's figures."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Simulated-patient evaluation",
        "",
        f"Generated by `{command}` at commit `{commit}` on {now}; model `{model}`;"
        f" {elapsed:.0f} s. Do not edit: regenerate with `{target}`.",
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
        sealed = run.name in SEALED_SETS
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
