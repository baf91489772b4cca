"""Format check of the patient vignettes (tests/vignettes/*.yml); not a score.

`make eval` plays each vignette against the running bot; a case with an
off-vocabulary fact or an unknown cause id would make the simulated patient
answer wrongly or the score meaningless. These tests keep the cases well formed
and the set complete: every cause id of the cause table is the leading
expected cause of some case, and every urgency level is covered several times.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
import yaml

from actions.cause_table import get_cause_table, parse_fact
from actions.vocabulary import get_vocabulary

VIGNETTE_DIR = Path(__file__).parent
URGENCIES = ("emergency", "urgent", "routine", "self_care")

#: Cause ids of the cause table (actions/causes.yml).
CAUSE_IDS = frozenset(get_cause_table().cause_ids)

ISO_DURATION = re.compile(r"^P(?:\d+[YMWD])+$|^PT(?:\d+[HMS])+$")
CASE_KEYS = {"id", "description", "opening", "facts", "expected"}
FACT_KEYS = {"present", "absent", "age", "duration"}
EXPECTED_KEYS = {"urgency", "causes"}


def _load_cases() -> List[Tuple[str, Dict[str, Any]]]:
    cases = []
    for path in sorted(VIGNETTE_DIR.glob("*.yml")):
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        assert isinstance(data, dict) and set(data) == {"cases"}, path.name
        cases.extend((path.stem, case) for case in data["cases"])
    return cases


CASES = _load_cases()


def _fact_error(text: Any) -> str | None:
    """Why a fact string breaks the vocabulary, or None when it is valid."""
    if not isinstance(text, str) or text.count(":") != 1:
        return f"{text!r} is not 'entity:value'"
    try:
        get_vocabulary().check(*parse_fact(text))
    except ValueError as error:
        return str(error)
    return None


@pytest.mark.parametrize(
    ("stem", "case"), CASES, ids=[str(c.get("id")) for _, c in CASES]
)
def test_vignette_is_well_formed(stem: str, case: Dict[str, Any]) -> None:
    assert set(case) == CASE_KEYS
    assert re.fullmatch(r"[a-z][a-z0-9_]*", str(case["id"]))
    assert isinstance(case["description"], str) and case["description"].strip()
    assert isinstance(case["opening"], str) and case["opening"].strip()
    facts, expected = case["facts"], case["expected"]
    assert set(facts) == FACT_KEYS and set(expected) == EXPECTED_KEYS
    present, absent = facts["present"], facts["absent"]
    assert isinstance(present, list) and present, "a patient has something to say"
    assert isinstance(absent, list)
    errors = [(f, _fact_error(f)) for f in present + absent if _fact_error(f)]
    assert not errors, errors
    assert len(set(present)) == len(present) and len(set(absent)) == len(absent)
    assert not set(present) & set(absent), "a fact is both present and absent"
    age = facts["age"]
    assert age is None or (isinstance(age, int) and 0 < age <= 110)
    duration = facts["duration"]
    assert duration is None or ISO_DURATION.match(str(duration))
    assert expected["urgency"] == stem, "each file holds one urgency level"
    causes = expected["causes"]
    assert isinstance(causes, list) and causes
    assert len(set(causes)) == len(causes)
    assert set(causes) <= CAUSE_IDS, set(causes) - CAUSE_IDS


def test_vignette_ids_are_unique() -> None:
    ids = Counter(case["id"] for _, case in CASES)
    assert [i for i, n in ids.items() if n > 1] == []


def test_vignettes_cover_every_cause_as_leading_cause() -> None:
    leading = {case["expected"]["causes"][0] for _, case in CASES}
    assert CAUSE_IDS - leading == set()


def test_vignettes_cover_every_urgency_several_times() -> None:
    levels = Counter(case["expected"]["urgency"] for _, case in CASES)
    assert len(CASES) >= 44
    assert {u: levels[u] >= 5 for u in URGENCIES} == dict.fromkeys(URGENCIES, True)


def test_self_care_cases_have_resolved() -> None:
    """Self-care means brief and passing: the patient says it went away."""
    unresolved = [
        case["id"]
        for stem, case in CASES
        if stem == "self_care" and "course:resolved" not in case["facts"]["present"]
    ]
    assert unresolved == []


def test_fact_check_rejects_off_vocabulary_facts() -> None:
    """The checker itself must catch the mistakes it exists for."""
    assert all(
        _fact_error(f) for f in ["symptom:headache", "numbness", "age:45", 3, "a:b:c"]
    )
    assert _fact_error("sensation:numbness") is None
