"""Measure the NLU on the held-out set and write reports/nlu.md.

Trains an NLU-only model from config.yml and bot/data (Rasa skips the training
when nothing changed since the last run), starts `rasa run --enable-api` on a
free loopback port, sends every held-out message to /model/parse and scores:

- intent macro-F1 over the intents of the held-out set;
- per-entity precision / recall / F1 over (entity, value, negated) multisets per
  message, and the micro-F1 over all entities;
- negation accuracy over gold mentions of negatable entities that the NLU found
  with the right value: the share whose negated flag matches;
- /model/parse latency p50 / p95 (a warm-up pass first, then timed passes);
- the worst messages (most entity errors) and the intent confusions.

Usage: .venv/bin/python -m scripts.nlu_report [--heldout tests/nlu/heldout.yml]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from actions.cause_table import CAUSE_ENTITY
from actions.vocabulary import get_vocabulary
from bot.nlu.rule_files import check_rules, load_rule_file
from tools.git import git_commit
from tools.servers import free_port, spawn, stop_process

ROOT = Path(__file__).resolve().parent.parent

PY = sys.executable
#: Entities whose negation is scored: every closed vocabulary entity, and causes.
NEGATABLE = {*get_vocabulary().values, CAUSE_ENTITY}
Fact = Tuple[str, str, bool]
#: Intents that refine a held-out label: the red-flag detector turns a symptom
#: description holding a red flag into report_red_flag (its emergency route).
REFINES = {"describe_symptoms": ("report_red_flag", "check_red_flag")}


def train(out_dir: Path) -> Path:
    """Train (or reuse, when unchanged) the NLU model; return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        PY, "-m", "rasa", "train", "nlu", "--config", "config.yml",
        "--nlu", "bot/data", "--out", str(out_dir), "--fixed-model-name", "nlu",
        "--quiet",
    ]  # fmt: skip
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return out_dir / "nlu.tar.gz"


def post_json(url: str, payload: Dict[str, Any], timeout: float = 30) -> Any:
    """POST JSON and decode the JSON answer."""
    data = json.dumps(payload).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


class Server:
    """`rasa run --enable-api` on loopback, stopped (whole process group) on exit."""

    def __init__(self, model: Path, port: int) -> None:
        self.model, self.port = model, port
        self.proc: Optional[subprocess.Popen] = None
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self) -> Server:
        log = ROOT / "var" / "nlu_report_server.log"
        log.parent.mkdir(exist_ok=True)
        log.write_text("")
        cmd = [
            PY, "-m", "rasa", "run", "--enable-api", "--model", str(self.model),
            "--port", str(self.port), "-i", "127.0.0.1",
        ]  # fmt: skip
        self.proc = spawn(cmd, log, dict(os.environ))
        deadline = time.time() + 300
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("rasa server exited; see var/nlu_report_server.log")
            try:
                post_json(f"{self.url}/model/parse", {"text": "hi"}, timeout=5)
                return self
            except OSError:
                time.sleep(1)
        raise RuntimeError("rasa server did not answer within 300 s")

    def __exit__(self, *exc: Any) -> None:
        if self.proc:
            stop_process(self.proc, grace_s=20)

    def parse(self, text: str) -> Tuple[Dict[str, Any], float]:
        start = time.perf_counter()
        result = post_json(f"{self.url}/model/parse", {"text": text})
        return result, (time.perf_counter() - start) * 1000


def in_process(
    model: Path, texts: List[str], extra: List[str]
) -> Tuple[List[float], List[Dict[str, Any]]]:
    """Pipeline-only milliseconds per message (no HTTP), and parses of `extra`."""
    import asyncio

    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def run() -> Tuple[List[float], List[Dict[str, Any]]]:
        for text in texts[:20]:
            await agent.parse_message(text)
        times = []
        for text in texts:
            start = time.perf_counter()
            await agent.parse_message(text)
            times.append((time.perf_counter() - start) * 1000)
        return times, [await agent.parse_message(text) for text in extra]

    return asyncio.run(run())


def gold_facts(message: Dict[str, Any]) -> List[Fact]:
    return [
        (e["entity"], normal_value(e["value"]), bool(e.get("negated", False)))
        for e in message.get("entities") or []
    ]


def normal_value(value: Any) -> str:
    """Compare values as text; 45 and 45.0 are the same age."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def predicted_facts(parsed: Dict[str, Any], entity_names: set) -> List[Fact]:
    """The predicted (entity, value, negated) set of one message.

    A set, as the gold convention is ("a repeated fact is listed once"): the NLU
    gives one entity per fact and finding (`group`). The roles `possible`,
    `past` and `hypothetical` are mentions the NLU found but does not assert
    today; the gold marks only negation, so they count as found, not negated.
    """
    facts = [
        (e["entity"], normal_value(e["value"]), e.get("role") == "negated")
        for e in parsed.get("entities") or []
        if e.get("entity") in entity_names
    ]
    return list(dict.fromkeys(facts))


def prf(tp: int, fp: int, fn: int) -> Tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def score(
    messages: List[Dict[str, Any]], parsed: List[Dict[str, Any]], entity_names: set
) -> Dict[str, Any]:
    """All metrics of the report from gold messages and /model/parse answers."""
    counts: Dict[str, Counter] = {}
    neg_total = neg_right = 0
    negated_gold = negated_found = 0
    rows = []
    for message, result in zip(messages, parsed, strict=True):
        gold = Counter(gold_facts(message))
        pred = Counter(predicted_facts(result, entity_names))
        tp_c, fp_c, fn_c = gold & pred, pred - gold, gold - pred
        for bucket, facts in (("tp", tp_c), ("fp", fp_c), ("fn", fn_c)):
            for (entity, _, _), n in facts.items():
                counts.setdefault(entity, Counter())[bucket] += n
        pred_values = {(e, v): n for (e, v, n) in pred}
        for entity, value, negated in gold.elements():
            if negated:
                negated_gold += 1
                negated_found += (entity, value, True) in pred
            if entity in NEGATABLE and (entity, value) in pred_values:
                neg_total += 1
                flags = {n for (e, v, n) in pred if (e, v) == (entity, value)}
                neg_right += negated in flags
        intent = (result.get("intent") or {}).get("name")
        if intent in REFINES.get(message["intent"], ()):
            intent = message["intent"]
        rows.append(
            {
                "text": message["text"],
                "gold_intent": message["intent"],
                "intent": intent,
                "missed": sorted(fn_c.elements()),
                "extra": sorted(fp_c.elements()),
            }
        )
    per_entity = {}
    total: Counter[str] = Counter()
    for entity, c in sorted(counts.items()):
        per_entity[entity] = (*prf(c["tp"], c["fp"], c["fn"]), c["tp"] + c["fn"])
        total.update(c)
    labels = sorted({m["intent"] for m in messages})
    f1s = []
    for label in labels:
        tp = sum(r["gold_intent"] == label and r["intent"] == label for r in rows)
        fp = sum(r["gold_intent"] != label and r["intent"] == label for r in rows)
        fn = sum(r["gold_intent"] == label and r["intent"] != label for r in rows)
        f1s.append((label, *prf(tp, fp, fn), tp + fn))
    return {
        "per_entity": per_entity,
        "micro": prf(total["tp"], total["fp"], total["fn"]),
        "intents": f1s,
        "intent_macro_f1": statistics.mean(f for _, _, _, f, _ in f1s) if f1s else 0,
        "intent_accuracy": sum(r["gold_intent"] == r["intent"] for r in rows)
        / max(1, len(rows)),
        "negation": (neg_right / neg_total if neg_total else 0.0, neg_total),
        "negated_recall": (negated_found, negated_gold),
        "rows": rows,
    }


def score_red_flags(
    cases: List[Dict[str, Any]], parsed: List[Dict[str, Any]]
) -> Dict[str, Any]:
    """Red-flag precision / recall of the emergency tier, and the check tier.

    Definite: gold `red_flags` against the `red_flag` entities (the emergency
    prompt). Possible: a gold `possible` flag must come back as a
    `possible_red_flag` (the check question) or a `red_flag`. A case with
    neither is a trap: any `red_flag` there is a false emergency prompt.
    """
    tp = fp = fn = 0
    possible_hit = possible_total = 0
    kinds: Dict[str, Counter] = {}
    wrong = []
    for case, result in zip(cases, parsed, strict=True):
        entities = result.get("entities") or []
        definite = {e["value"] for e in entities if e.get("entity") == "red_flag"}
        checks = {
            e["value"] for e in entities if e.get("entity") == "possible_red_flag"
        }
        gold = set(case.get("red_flags") or [])
        gold_possible = set(case.get("possible") or [])
        tp += len(gold & definite)
        fp += len(definite - gold)
        fn += len(gold - definite)
        possible_total += len(gold_possible)
        possible_hit += len(gold_possible & (checks | definite))
        kind = kinds.setdefault(case.get("kind", "other"), Counter())
        kind["cases"] += 1
        trap = not gold and not gold_possible
        ok = gold <= definite and gold_possible <= (checks | definite)
        ok = ok and not (definite - gold) and not (trap and checks)
        kind["ok"] += ok
        kind["false_prompts"] += bool(trap and definite)
        kind["checks"] += bool(checks)
        if not ok:
            wrong.append((case["text"], sorted(gold), sorted(definite), sorted(checks)))
    return {
        "definite": prf(tp, fp, fn),
        "possible_recall": (possible_hit, possible_total),
        "kinds": kinds,
        "wrong": wrong,
        "cases": len(cases),
    }


#: The keys a labelled red-flag set and each of its cases may have.
_RED_FLAG_SET_KEYS = frozenset({"about", "cases"})
_RED_FLAG_CASE_KEYS = frozenset({"kind", "red_flags", "possible", "note", "text"})


def read_red_flag_set(path: Path) -> Dict[str, Any]:
    """A labelled red-flag set; an unknown key fails, naming file and case."""
    data = load_rule_file(path, _RED_FLAG_SET_KEYS)
    cases = check_rules(path, "cases", data.get("cases"), _RED_FLAG_CASE_KEYS, ["text"])
    return {"about": data.get("about", ""), "cases": cases}


def render_red_flags(
    path: Path, about: str, m: Dict[str, Any], latencies: List[float]
) -> List[str]:
    """The report's section for one labelled red-flag set."""
    p, r, f = m["definite"]
    hit, total = m["possible_recall"]
    lines = [
        "",
        f"## Red flags: `{path.relative_to(ROOT)}`",
        "",
        f"{m['cases']} messages. {' '.join(about.split())}",
        "",
        "| metric | value |",
        "|---|---|",
        f"| emergency tier (`red_flag`) precision / recall / F1 | {p:.3f} / "
        f"{r:.3f} / {f:.3f} |",
        f"| check tier: ambiguous cues asked about (`possible_red_flag`) | {hit} of "
        f"{total} |",
        f"| /model/parse p95 on this set | {percentile(latencies, 95):.1f} ms |",
        "",
        "| kind | messages | right | false emergency prompts | with a check |",
        "|---|---|---|---|---|",
    ]
    for kind, c in sorted(m["kinds"].items()):
        lines.append(
            f"| {kind} | {c['cases']} | {c['ok']} | {c['false_prompts']} "
            f"| {c['checks']} |"
        )
    if m["wrong"]:
        lines += ["", "| message | expected | emergency | check |", "|---|---|---|---|"]
        for text, gold, definite, checks in m["wrong"]:
            text = text.replace("|", "\\|")
            lines.append(
                f"| {text} | {', '.join(gold)} | {', '.join(definite)} "
                f"| {', '.join(checks)} |"
            )
    return lines


def fmt_fact(fact: Fact) -> str:
    entity, value, negated = fact
    return f"{entity}:{value}{' (negated)' if negated else ''}"


def render(
    metrics: Dict[str, Any],
    latencies: List[float],
    heldout: Path,
    n: int,
    load: float,
    pipeline: List[float],
    extra_sets: Optional[List[Tuple[Path, int, Dict[str, Any]]]] = None,
    red_flags: Optional[List[str]] = None,
) -> str:
    commit = git_commit()
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    p, r, f = metrics["micro"]
    neg, neg_n = metrics["negation"]
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)

    def mark(ok: bool) -> str:
        return "met" if ok else "**not met**"

    lines = [
        "# NLU report",
        "",
        f"Generated by `make nlu-report` (scripts/nlu_report.py) at commit {commit}, "
        f"{now}, on `{heldout.relative_to(ROOT)}` ({n} messages). Do not edit by hand.",
        "",
        "| metric | value | target | |",
        "|---|---|---|---|",
        f"| entity micro-F1 (entity, value, negated) | {f:.3f} (P {p:.3f}, R {r:.3f})"
        f" | ≥ 0.95 | {mark(f >= 0.95)} |",
        f"| intent macro-F1 | {metrics['intent_macro_f1']:.3f} "
        f"(accuracy {metrics['intent_accuracy']:.3f}) | ≥ 0.92 "
        f"| {mark(metrics['intent_macro_f1'] >= 0.92)} |",
        f"| negation accuracy ({neg_n} gold negatable mentions found) | {neg:.3f} "
        f"| ≥ 0.97 | {mark(neg >= 0.97)} |",
        f"| gold negated mentions found negated | {metrics['negated_recall'][0]} of "
        f"{metrics['negated_recall'][1]} | | |",
        f"| /model/parse p50 / p95 ({len(latencies)} requests, loopback; load average "
        f"{load:.1f} on {os.cpu_count()} CPUs) "
        f"| {p50:.1f} / {p95:.1f} ms | p95 ≤ 20 ms | {mark(p95 <= 20)} |",
        f"| NLU pipeline alone, in process (Agent.parse_message) p50 / p95 "
        f"| {percentile(pipeline, 50):.1f} / {percentile(pipeline, 95):.1f} ms | | |",
        "",
        "Intent `report_red_flag` (set when a message holds a red flag) counts as "
        "`describe_symptoms`, the held-out label of such messages. Negation accuracy "
        "is over gold mentions of negatable entities that were found with the right "
        "value: the share whose negated flag matches.",
        "",
        "## Entities",
        "",
        "| entity | precision | recall | F1 | gold mentions |",
        "|---|---|---|---|---|",
    ]
    for entity, (ep, er, ef, support) in metrics["per_entity"].items():
        lines.append(f"| {entity} | {ep:.3f} | {er:.3f} | {ef:.3f} | {support} |")
    if extra_sets:
        lines += [
            "",
            "## Other sets (summary only)",
            "",
            "The held-out set above was also read to find classes of errors (fixed "
            "with general rules and synonyms, never its sentences). `blind.yml` was "
            "written without seeing the training data or the synonyms and is only "
            "measured here (no error list, so nobody tunes on it); `dev.yml` holds "
            "development examples.",
            "",
            "| set | messages | entity micro-F1 (P, R) | intent macro-F1 | negation |",
            "|---|---|---|---|---|",
        ]
        for path, count, m in extra_sets:
            ep, er, ef = m["micro"]
            lines.append(
                f"| `{path.relative_to(ROOT)}` | {count} | {ef:.3f} ({ep:.3f}, "
                f"{er:.3f}) | {m['intent_macro_f1']:.3f} | {m['negation'][0]:.3f} |"
            )
    lines += red_flags or []
    lines += [
        "",
        "## Intents",
        "",
        "| intent | precision | recall | F1 | messages |",
        "|---|---|---|---|---|",
    ]
    for label, ip, ir, i_f, support in metrics["intents"]:
        lines.append(f"| {label} | {ip:.3f} | {ir:.3f} | {i_f:.3f} | {support} |")
    rows = metrics["rows"]
    worst = sorted(
        (r for r in rows if r["missed"] or r["extra"]),
        key=lambda r: -(len(r["missed"]) + len(r["extra"])),
    )[:25]
    lines += ["", "## Worst entity errors", ""]
    lines += ["| message | missed | extra |", "|---|---|---|"]
    for row in worst:
        text = row["text"].replace("|", "\\|").replace("\n", " ")
        missed = ", ".join(fmt_fact(x) for x in row["missed"])
        extra = ", ".join(fmt_fact(x) for x in row["extra"])
        lines.append(f"| {text} | {missed} | {extra} |")
    confusions = [r for r in rows if r["gold_intent"] != r["intent"]]
    lines += ["", f"## Intent errors ({len(confusions)})", ""]
    lines += ["| message | gold | predicted |", "|---|---|---|"]
    for row in confusions[:40]:
        text = row["text"].replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {text} | {row['gold_intent']} | {row['intent']} |")
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    """Train or reuse the model, measure on a live server, write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", default="tests/nlu/heldout.yml")
    parser.add_argument("--model", help="use this model instead of training")
    parser.add_argument("--out", default="reports/nlu.md")
    parser.add_argument(
        "--also",
        nargs="*",
        default=["tests/nlu/blind.yml", "tests/nlu/dev.yml"],
        help="further sets, summarised (skipped when missing)",
    )
    parser.add_argument("--passes", type=int, default=2, help="timed passes")
    parser.add_argument(
        "--red-flags",
        nargs="*",
        default=["tests/nlu/red_flags.yml", "tests/nlu/red_flags_lay.yml"],
        help="labelled red-flag sets, each reported apart (skipped when missing)",
    )
    args = parser.parse_args(argv)

    from actions.vocabulary import get_vocabulary

    heldout = (ROOT / args.heldout).resolve()
    with open(heldout, encoding="utf-8") as handle:
        messages = yaml.safe_load(handle)["messages"]
    entity_names = set(get_vocabulary().entity_names)
    (ROOT / "var").mkdir(exist_ok=True)
    model = Path(args.model) if args.model else train(ROOT / "var" / "nlu_model")
    latencies: List[float] = []
    red_flag_sets = [
        (path, read_red_flag_set(path))
        for path in ((ROOT / name).resolve() for name in args.red_flags)
        if path.exists()
    ]
    with Server(model, free_port(ports=range(5100, 5200))) as server:
        parsed = [server.parse(m["text"])[0] for m in messages]  # also warms up
        for _ in range(args.passes):
            for message in messages:
                latencies.append(server.parse(message["text"])[1])
        red_flag_parsed = [
            [server.parse(case["text"]) for case in red_set["cases"]]
            for _, red_set in red_flag_sets
        ]
    metrics = score(messages, parsed, entity_names)
    out = ROOT / args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    sets = []
    for name in args.also:
        path = (ROOT / name).resolve()
        if path.exists():
            with open(path, encoding="utf-8") as handle:
                sets.append((path, yaml.safe_load(handle)["messages"]))
    extra_texts = [m["text"] for _, msgs in sets for m in msgs]
    pipeline, extra_parsed = in_process(
        model, [m["text"] for m in messages], extra_texts
    )
    extra_sets = []
    for path, msgs in sets:
        parsed_here, extra_parsed = extra_parsed[: len(msgs)], extra_parsed[len(msgs) :]
        extra_sets.append((path, len(msgs), score(msgs, parsed_here, entity_names)))
    red_flag_lines: List[str] = []
    for (path, red_set), timed in zip(red_flag_sets, red_flag_parsed, strict=True):
        red_flag_metrics = score_red_flags(red_set["cases"], [r for r, _ in timed])
        red_flag_lines += render_red_flags(
            path, red_set["about"], red_flag_metrics, [t for _, t in timed]
        )
        rp, rr, _ = red_flag_metrics["definite"]
        print(f"red flags ({path.name}): precision {rp:.3f} recall {rr:.3f}")
    report = render(
        metrics,
        latencies,
        heldout,
        len(messages),
        load,
        pipeline,
        extra_sets,
        red_flag_lines,
    )
    out.write_text(report, encoding="utf-8")
    f = metrics["micro"][2]
    print(
        f"entity micro-F1 {f:.3f} | intent macro-F1 {metrics['intent_macro_f1']:.3f} | "
        f"negation {metrics['negation'][0]:.3f} | parse p95 "
        f"{percentile(latencies, 95):.1f} ms -> {out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
