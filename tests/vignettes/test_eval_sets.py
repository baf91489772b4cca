"""scripts/eval.py scores every set alike and plays the sealed set only on request."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace
from typing import Any, Dict, List

from test_simulated_patient import ev  # scripts/eval.py, loaded by path

PROMPT = sorted(ev.emergency_prompts())[0]


def scored(**overrides: Any) -> Any:
    fields: Dict[str, Any] = dict(
        id="case",
        expected="routine",
        acceptable=("routine", "urgent"),
        got="routine",
        causes=("a", "b", "c"),
        expected_causes=("b",),
        turns=3,
        questions=2,
        prompt_turns=[],
    )
    fields.update(overrides)
    return ev.Scored(**fields)


def test_the_sealed_set_is_played_only_when_named():
    for name in ("sealed",):
        assert name not in ev.build_parser().parse_args([]).sets
        assert ev.build_parser().parse_args(["--sets", name]).sets == [name]
        assert name in ev.SEALED_SETS


def test_the_realistic_dev_set_reads_the_shared_cases():
    assert ev.SHARED_EVAL / "real_cases_dev.jsonl" in ev.realistic_files("dev")


def test_an_acceptable_urgency_is_right_but_not_exact():
    row = scored(got="urgent")
    assert row.triage_ok and not row.exact and not row.over and not row.under
    assert row.failure_classes == []


def test_an_emergency_prompt_where_emergency_is_not_acceptable_is_false():
    row = scored(got="emergency", prompt_turns=[1])
    assert row.over and row.false_prompt
    assert {"over-triage", "false emergency prompt"} <= set(row.failure_classes)


def test_an_emergency_told_late_or_missed_is_classed_apart():
    late = scored(expected="emergency", acceptable=("emergency",), got="emergency")
    missed = scored(expected="emergency", acceptable=("emergency",), got="urgent")
    assert late.failure_classes == ["emergency not on the first turn"]
    assert "emergency missed" in missed.failure_classes and missed.under


def test_prompt_turns_find_the_domain_emergency_prompt():
    turns: List[Any] = [[{"text": "Where is it?"}], [{"text": "  " + PROMPT}]]
    assert ev.prompt_turns(turns, ev.emergency_prompts()) == [2]


def test_a_realistic_case_is_scored_with_the_shared_rules(monkeypatch):
    bot_turns = [[{"text": PROMPT}, {"custom": {"assessment": {"urgency": "x"}}}]]
    fake = SimpleNamespace(
        run_case=lambda url, case, max_turns: {
            "assessment": {"urgency": "emergency", "causes": ["c1"]},
            "turns": 1,
            "questions": 0,
            "transcript": [{"user": case["text"], "bot": bot_turns[0]}],
        },
        score=lambda case, res: {"got": "emergency", "turns": 1, "questions": 0},
    )
    case = {
        "id": "r1",
        "text": "legs gone",
        "expected_urgency": "emergency",
        "expected_causes": ["c1"],
    }
    row = ev.run_realistic_case(fake, "http://bot", case, 5, ev.emergency_prompts())
    assert row.first_turn_emergency and row.top3 and row.prompt_turns == [1]
    assert row.failure_classes == []


def test_the_shared_simulator_is_imported_by_path_not_copied():
    module = ev.load_simulator()
    assert module.__file__ == str(ev.SIMULATE_PATH)
    assert callable(module.run_case) and callable(module.score)


def _fake_sealed_set(tmp_path):
    """A made-up case file in a temporary folder (never the real sealed set)."""
    folder = tmp_path / "fake-sealed"
    folder.mkdir()
    case = {
        "id": "fake-secret-id",
        "text": "fake opening words",
        "expected_urgency": "emergency",
        "expected_causes": ["c1"],
    }
    (folder / "cases.jsonl").write_text(json.dumps(case) + "\n")
    return folder


def test_a_sealed_run_shows_and_writes_figures_only(tmp_path, monkeypatch, capsys):
    folder = _fake_sealed_set(tmp_path)
    assert ev.realistic_files("sealed", folder) == [folder / "cases.jsonl"]
    fake = SimpleNamespace(
        run_case=lambda url, case, max_turns: {
            "assessment": {"urgency": "urgent", "causes": ["c2"]},
            "turns": 2,
            "questions": 1,
            "transcript": [{"user": case["text"], "bot": [{"text": "secret reply"}]}],
        },
        score=lambda case, res: {"got": "urgent", "turns": 2, "questions": 1},
    )
    monkeypatch.setattr(ev, "load_simulator", lambda: fake)
    args = ev.build_parser().parse_args(
        ["--sets", "sealed", "--sealed-dir", str(folder)]
    )
    bot = SimpleNamespace(url="http://bot")
    run = ev.play_realistic("sealed", bot, args, time.monotonic(), frozenset())
    assert run is not None and len(run.rows) == 1
    out = tmp_path / "eval-sealed.md"
    target = ev.report_target(["sealed"])
    figures = ev.write_report(out, [run], "cmd", "abc", "m", 1.0, True, target)
    text = out.read_text() + capsys.readouterr().out
    assert figures["sealed"]["total"] == 1
    assert "make eval-sealed" in text and "1/1" in text
    for secret in ("fake-secret-id", "fake opening words", "secret reply"):
        assert secret not in text
