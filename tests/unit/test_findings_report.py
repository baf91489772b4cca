"""The findings report's judgements: a finding's facts, a clause in one finding."""

from __future__ import annotations

from actions.cause_schema import Clause
from scripts.findings_report import finding_facts, in_one_finding


def _entity(entity: str, value: str, group: int, role: str = "") -> dict:
    found = {"entity": entity, "value": value, "group": group}
    if role:
        found["role"] = role
    return found


def test_a_symptomless_finding_lends_its_facts_to_every_finding() -> None:
    entities = [
        _entity("onset", "sudden", 0),
        _entity("symptom", "weakness", 1),
        _entity("body_part", "whole_leg", 1),
        _entity("sensation", "numbness", 2),
        _entity("body_part", "arm", 2, role="possible"),
    ]
    findings = finding_facts(entities)
    assert len(findings) == 2
    assert all(("onset", "sudden") in finding for finding in findings)
    assert not any(("body_part", "arm") in finding for finding in findings)


def test_a_clause_is_in_one_finding_only_when_one_finding_holds_its_facts() -> None:
    clause = Clause(all_of=["symptom:weakness", "onset:sudden", "duration:hours"])
    together = finding_facts(
        [_entity("symptom", "weakness", 0), _entity("onset", "sudden", 0)]
    )
    apart = finding_facts(
        [
            _entity("symptom", "weakness", 0),
            _entity("onset", "sudden", 1),
            _entity("sensation", "numbness", 1),
        ]
    )
    assert in_one_finding(clause, together)
    assert not in_one_finding(clause, apart)
