"""Format check of the held-out NLU set (tests/nlu/heldout.yml); not a score.

The held-out set is the yardstick of `make nlu-report`, so a malformed entry or
an off-vocabulary value would silently distort every figure. These tests keep it
well formed: the schema of each message, every value in the shared vocabulary,
ISO 8601 durations, integer ages, cause ids from the cause table, and the
coverage it must have (size, intents, negations).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

from actions.cause_table import get_cause_table
from actions.vocabulary import get_vocabulary

HELDOUT_PATH = Path(__file__).with_name("heldout.yml")

#: The intents the NLU is trained on, ask_summary ("summary for my doctor") included.
INTENTS = (
    "greet",
    "goodbye",
    "affirm",
    "deny",
    "dont_know",
    "thank",
    "describe_symptoms",
    "ask_cause_info",
    "ask_specialist",
    "ask_tests",
    "ask_treatment",
    "ask_self_help",
    "bot_challenge",
    "start_over",
    "out_of_scope",
    "delete_my_data",
    "skip_questions",
    "ask_summary",
)

#: Cause ids of the cause table (its own tests check the ids it must hold).
CAUSE_IDS = frozenset(get_cause_table().cause_ids)

ISO_DURATION = re.compile(r"^P(?:\d+[YMWD])+$|^PT(?:\d+[HMS])+$")
ENTITY_KEYS = {"entity", "value", "negated"}


def _load() -> List[Dict[str, Any]]:
    with open(HELDOUT_PATH, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict) and set(data) == {"messages"}, (
        "heldout.yml must hold exactly one top-level key: messages"
    )
    return data["messages"]


MESSAGES = _load()


def _entity_error(entity: Dict[str, Any]) -> str | None:
    """Why an annotated entity breaks the contract, or None when it is valid."""
    vocabulary = get_vocabulary()
    if not isinstance(entity, dict) or set(entity) != ENTITY_KEYS:
        return f"keys must be {sorted(ENTITY_KEYS)}"
    name, value = entity["entity"], entity["value"]
    if not isinstance(entity["negated"], bool):
        return "negated must be true or false"
    if name not in vocabulary.entity_names:
        return f"unknown entity {name!r}"
    if name == "age":
        ok = isinstance(value, int) and not isinstance(value, bool) and value <= 120
        return None if ok and value >= 0 else "age must be an integer 0..120"
    if name == "duration":
        ok = isinstance(value, str) and ISO_DURATION.match(value)
        return None if ok else "duration must be ISO 8601 (P3W, PT20M)"
    if name == "cause":
        return None if value in CAUSE_IDS else f"unknown cause id {value!r}"
    if not vocabulary.has(name, value):
        return f"{value!r} is not a value of {name}"
    return None


@pytest.mark.parametrize(
    "message", MESSAGES, ids=[str(m.get("text"))[:40] for m in MESSAGES]
)
def test_heldout_message_is_well_formed(message: Dict[str, Any]) -> None:
    check_message_form(message)


def check_message_form(message: Dict[str, Any]) -> None:
    """One labelled NLU message: its keys, intent, entities, no repeated fact."""
    assert set(message) == {"text", "intent", "entities"}
    assert isinstance(message["text"], str) and message["text"].strip()
    assert message["intent"] in INTENTS
    entities = message["entities"]
    assert isinstance(entities, list)
    errors = [(e, _entity_error(e)) for e in entities if _entity_error(e)]
    assert not errors, errors
    facts = [(e["entity"], e["value"]) for e in entities]
    assert len(facts) == len(set(facts)), f"repeated fact in {facts}"


def test_heldout_texts_are_unique() -> None:
    texts = Counter(m["text"].strip().lower() for m in MESSAGES)
    assert [t for t, n in texts.items() if n > 1] == []


def test_heldout_covers_every_intent_and_enough_negations() -> None:
    intents = Counter(m["intent"] for m in MESSAGES)
    assert len(MESSAGES) >= 200
    assert set(intents) == set(INTENTS)
    assert min(n for i, n in intents.items() if i != "describe_symptoms") >= 8
    assert intents["describe_symptoms"] > len(MESSAGES) / 2
    negated = [e for m in MESSAGES for e in m["entities"] if e["negated"]]
    assert len(negated) >= 30
    multi = [m for m in MESSAGES if len(m["entities"]) >= 3]
    assert len(multi) >= 60


def test_heldout_uses_every_entity_type() -> None:
    used = {e["entity"] for m in MESSAGES for e in m["entities"]}
    assert used == set(get_vocabulary().entity_names)


def test_entity_check_rejects_off_contract_values() -> None:
    """The checker itself must catch the mistakes it exists for."""
    bad = [
        {"entity": "symptom", "value": "headache", "negated": False},
        {"entity": "duration", "value": "3 weeks", "negated": False},
        {"entity": "age", "value": "45", "negated": False},
        {"entity": "cause", "value": "sciatica", "negated": False},
        {"entity": "sensation", "value": "numbness"},
    ]
    assert all(_entity_error(e) for e in bad)
