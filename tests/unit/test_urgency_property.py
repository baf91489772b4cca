"""One urgency per reply, checked over many random findings (seeded, reproducible).

The engine and the reply must agree with the cause table: no assessment's
urgency is below what its probable reported causes demand, and no reply text
contradicts its urgency (no "nothing points to an emergency" or "harmless"
under a cause whose own text calls for an ambulance).
"""

from __future__ import annotations

import random
import re
from typing import List

import pytest

from actions import replies
from actions.cause_table import URGENCIES, get_cause_table, parse_fact
from actions.triage import (
    Assessment,
    Findings,
    assess,
    expand_findings,
    lends_urgency,
)
from actions.vocabulary import get_vocabulary

TABLE = get_cause_table()
SEED = 20261203
CASES = 1500
DURATIONS = [None, "PT5M", "PT30M", "PT6H", "P2D", "P3W", "P4M", "P3Y"]
#: Words with which a cause's own text asks for emergency help.
CALLS_FOR_HELP = re.compile(r"ambulance|emergency|can die|must be cut open", re.I)


def _rank(urgency: str) -> int:
    return URGENCIES.index(urgency)


def _cause_texts(cause_id: str) -> str:
    cause = TABLE.cause(cause_id)
    return " ".join([cause.summary, *(item.text for item in cause.self_help)])


def _calls_for_help(cause_id: str) -> bool:
    return bool(CALLS_FOR_HELP.search(_cause_texts(cause_id)))


def _random_findings(rng: random.Random) -> Findings:
    """Findings near a random cause's presentation, or plain noise."""
    facts = list(get_vocabulary().facts())
    present = set()
    if rng.random() < 0.6:
        cause = rng.choice(TABLE.causes)
        typical = list(cause.presentation.typical)
        for text in rng.sample(typical, rng.randint(1, len(typical))):
            if not text.startswith("duration:"):
                present.add(parse_fact(text))
    present.update(rng.sample(facts, rng.randint(0, 4)))
    if rng.random() < 0.1:
        present.add(("cause", rng.choice(TABLE.cause_ids)))
    absent = set(rng.sample(facts, rng.randint(0, 3))) - present
    age = rng.choice([None, 8, 25, 45, 70, 85])
    return Findings(frozenset(present), frozenset(absent), age, rng.choice(DURATIONS))


def _samples() -> List[Findings]:
    rng = random.Random(SEED)
    return [_random_findings(rng) for _ in range(CASES)]


SAMPLES = _samples()


def _reassurances() -> List[str]:
    levels = TABLE.urgency_levels.values()
    return [level.reassurance.text for level in levels if level.reassurance]


def _texts(assessment: Assessment) -> List[str]:
    return [m["text"] for m in replies.assessment_messages(assessment) if "text" in m]


def test_the_samples_reach_every_urgency_and_every_cause_urgency() -> None:
    """The generator is no straw man: it reaches each level, by cause as well."""
    results = [assess(f) for f in SAMPLES]
    assert {r.urgency for r in results} == set(URGENCIES)
    assert {r.urgency for r in results if r.urgency_cause} >= {"emergency"}
    below = [
        r
        for r in results
        if any(_calls_for_help(c.id) for c in r.causes) and r.urgency != "emergency"
    ]
    assert below, "no sample lists a dangerous cause under a lower urgency"


@pytest.mark.parametrize("chunk", range(5))
def test_no_urgency_below_what_its_probable_causes_demand(chunk: int) -> None:
    threshold = TABLE.engine.cause_urgency_threshold
    for findings in SAMPLES[chunk::5]:
        result = assess(findings)
        known = expand_findings(findings, TABLE).present
        for ranked in result.causes:
            cause = TABLE.cause(ranked.id)
            if not lends_urgency(cause, known):
                continue  # probable only for want of better causes, or not now
            if ranked.probability >= threshold:
                assert _rank(result.urgency) <= _rank(cause.urgency), (findings, ranked)


@pytest.mark.parametrize("chunk", range(5))
def test_no_reply_contradicts_its_urgency(chunk: int) -> None:
    emergency_advice = replies.urgency_advice("emergency")
    for findings in SAMPLES[chunk::5]:
        result = assess(findings)
        texts = _texts(result)
        whole = " ".join(texts)
        assert replies.urgency_advice(result.urgency) in texts[0], findings
        if result.urgency == "emergency":
            assert not any(r in whole for r in _reassurances()), findings
            continue
        assert emergency_advice not in whole, findings
        for ranked in result.causes:
            cause = TABLE.cause(ranked.id)
            if _calls_for_help(ranked.id) or _rank(cause.urgency) < _rank(
                result.urgency
            ):
                assert not any(r in whole for r in _reassurances()), (
                    findings,
                    cause.id,
                )
                assert "harmless" not in whole.lower(), (findings, cause.id)
                if cause.red_flag_check:
                    check = TABLE.red_flag(cause.red_flag_check)
                    assert replies.WHEN_TO_WORRY in whole, (findings, cause.id)
                    assert check.label in whole, (findings, cause.id)


def test_every_cause_that_calls_for_help_names_its_red_flag_check() -> None:
    for cause in TABLE.causes:
        if _calls_for_help(cause.id) or cause.urgency == "emergency":
            assert cause.red_flag_check, cause.id
            assert TABLE.red_flag_check_for(cause.id) == cause.red_flag_check
