"""Smoke tests of scripts/bench.py's pure parts: percentiles, verdicts, report, drivers.

The benchmark itself is long and runs only with `make bench`; these check that
its arithmetic and its report stay right without starting any server.
"""

from __future__ import annotations

import random
import statistics

import pytest

from scripts import bench


@pytest.mark.parametrize("pct", [50, 95, 99])
def test_percentile_matches_statistics_inclusive_quantiles(pct):
    rng = random.Random(3)
    data = [rng.uniform(1.0, 500.0) for _ in range(237)]
    expected = statistics.quantiles(data, n=100, method="inclusive")[pct - 1]
    assert bench.percentile(data, pct) == pytest.approx(expected)


def test_percentile_of_nothing_is_none_and_of_one_value_is_it():
    assert bench.percentile([], 95) is None
    assert bench.percentile([42.0], 99) == 42.0


def test_ratio_is_none_when_a_side_is_missing_or_zero():
    assert bench.ratio(None, 1.0) is None
    assert bench.ratio(1.0, 0.0) is None
    assert bench.ratio(3.0, 2.0) == 1.5


def _phase(level, latencies, errors=0):
    phase = bench.PhaseResult(concurrency=level, elapsed_s=10.0)
    phase.latencies_ms = list(latencies)
    if errors:
        phase.errors["timeout"] = errors
    return phase


def _report(ours_ms, stock_ms, ours_errors=0):
    ours, stock = bench.BotResult("ours"), bench.BotResult("stock")
    for bot, ms, errors in ((ours, ours_ms, ours_errors), (stock, stock_ms, 0)):
        bot.phases = {10: _phase(10, [ms] * 20), 50: _phase(50, [ms] * 20, errors)}
        bot.startup_s, bot.training_s = 20.0, 60.0
        bot.rss_mib = {"rasa server": 900.0}
    return bench.Report(
        command="make bench",
        commit="abc1234",
        date="2026-01-01 10:40 UTC",
        machine="2 CPU",
        settings={"phase": "25 s"},
        ours=ours,
        stock=stock,
        noop_train_s=1.0,
        noop_train_skipped=True,
    )


def _verdicts(report):
    return {row[0]: row[5] for row in bench.target_rows(report)}


def test_targets_met_when_ours_is_as_fast_and_error_free():
    verdicts = _verdicts(_report(ours_ms=100.0, stock_ms=100.0))
    assert set(verdicts.values()) == {"met"}


def test_slower_p95_and_errors_are_reported_as_missed_by_how_much():
    verdicts = _verdicts(_report(ours_ms=150.0, stock_ms=100.0, ours_errors=2))
    assert verdicts["p95 latency, 10 concurrent"] == "MISSED by 50%"
    assert verdicts["errors, 50 concurrent"] == "MISSED: 2 errors"


def test_report_is_headed_by_command_commit_date_machine_and_lists_targets():
    text = bench.render_report(_report(ours_ms=150.0, stock_ms=100.0))
    header = text.split("## Targets")[0]
    for field in ("make bench", "abc1234", "2026-01-01 10:40 UTC", "2 CPU"):
        assert field in header
    for target, *_ in bench.target_rows(_report(150.0, 100.0)):
        assert target in text
    assert "1.50×" in text


def test_report_renders_with_nothing_measured():
    empty = bench.Report(
        "c", "x", "d", "m", {}, bench.BotResult("ours"), bench.BotResult("stock")
    )
    verdicts = _verdicts(empty)
    assert set(verdicts.values()) == {"not measured"}
    assert "n/a" in bench.render_report(empty)


def test_symptom_conversation_answers_with_a_button_and_stops_at_the_assessment():
    conv = bench.SymptomConversation("my foot is numb", random.Random(0))
    assert conv.first() == "my foot is numb"
    question = [
        {
            "text": "Since when?",
            "buttons": [
                {"title": "Start over", "payload": "/restart"},
                {"title": "Days", "payload": '/inform{"duration":"P3D"}'},
            ],
        }
    ]
    assert conv.next(question) == '/inform{"duration":"P3D"}'
    assessment = [{"custom": {"assessment": {"urgency": "routine", "causes": []}}}]
    assert conv.next(assessment) is None
    assert conv.done and conv.outcome == "routine"


def test_symptom_conversation_answers_an_age_question_in_words():
    conv = bench.SymptomConversation("numb thigh", random.Random(0))
    conv.first()
    assert conv.next([{"text": "How old are you?"}]) == "I am 52"


def test_symptom_conversation_gives_up_after_its_turn_limit():
    conv = bench.SymptomConversation("numb", random.Random(0), max_turns=3)
    conv.first()
    answers = [conv.next([{"text": "Tell me more"}]) for _ in range(3)]
    assert answers[-1] is None and not conv.done


def test_scripted_conversation_sends_its_messages_in_order_then_stops():
    conv = bench.ScriptedConversation(["hi", "sad", "bye"])
    sent = [conv.first(), conv.next([]), conv.next([]), conv.next([])]
    assert sent == ["hi", "sad", "bye", None]
    assert conv.done


def test_symptom_conversation_ends_at_the_emergency_prompt():
    prompt = "Call emergency services now."
    conv = bench.SymptomConversation(
        "numb", random.Random(0), end_texts=frozenset({prompt})
    )
    conv.first()
    assert conv.next([{"text": "Call emergency\n services now."}]) is None
    assert conv.done and conv.outcome == "emergency prompt"


def test_a_missed_latency_target_names_the_profiles_winning_fix():
    report = _report(ours_ms=150.0, stock_ms=100.0)
    report.profile = {
        "ours": {
            "variants": {
                "validation": {
                    "as shipped": {"total": 400.0},
                    "cached": {"total": 200.0},
                }
            }
        }
    }
    notes = " ".join(bench.why_missed(report))
    assert "'cached' instead of 'as shipped'" in notes
    assert "from 400 to 200 ms" in notes
