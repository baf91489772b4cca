"""domain.yml against the vocabulary and the cause table.

Why: Rasa drops an entity, role or intent the domain does not declare without
a word, so a value added to actions/vocabulary.yml or a button added to
actions/questions.yml would silently never reach the actions. Each check names
what is missing and where it is defined.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, List, Set, Tuple

import pytest

from actions import parsing, replies
from actions.cause_table import CAUSE_ENTITY, DURATION_ENTITY, get_cause_table
from actions.vocabulary import get_vocabulary, read_yaml
from bot import rasa_patches

DOMAIN_PATH = Path(__file__).resolve().parents[2] / "domain.yml"
#: Entities the product reads that are not vocabulary facts, and who reads them.
PRODUCT_ENTITIES = {
    parsing.EXPERIENCER_ENTITY: "actions/parsing.py",
    parsing.ANSWER_ENTITY: "actions/parsing.py (button answers)",
    "red_flag": "the red-flag detector (slot red_flag)",
    "possible_red_flag": "the red-flag detector (slot possible_red_flag)",
    rasa_patches.DENIED_ENTITY: "bot/rasa_patches.py denied_red_flag_checks",
}
#: Slots the actions read or write by name, and the module that does.
PRODUCT_SLOTS = {
    "facts_present": "actions/parsing.py findings_from_slots",
    "facts_absent": "actions/parsing.py findings_from_slots",
    "age": "actions/parsing.py findings_from_slots",
    "duration": "actions/parsing.py findings_from_slots",
    "experiencer": "actions/parsing.py MessageFacts.experiencer",
    "red_flag": "the red-flag detector",
    "possible_red_flag": "the red-flag detector",
    "queued_red_flags": "bot/rasa_patches.py ask_next_queued_check",
}
_PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?$")


@pytest.fixture(scope="module")
def domain() -> Dict[str, Any]:
    """domain.yml as written (Rasa's own loader would hide what is missing)."""
    return read_yaml(DOMAIN_PATH)


def _entities(domain: Dict[str, Any]) -> Dict[str, Set[str]]:
    """Entity name -> its declared roles."""
    out: Dict[str, Set[str]] = {}
    for item in domain.get("entities") or []:
        if isinstance(item, dict):
            for name, spec in item.items():
                out[name] = set((spec or {}).get("roles") or [])
        else:
            out[str(item)] = set()
    return out


def _intents(domain: Dict[str, Any]) -> Set[str]:
    return {
        next(iter(item)) if isinstance(item, dict) else str(item)
        for item in domain.get("intents") or []
    }


def _missing(what: str, names: List[str], where: str) -> str:
    return f"domain.yml lacks {what} {', '.join(sorted(names))} ({where})"


def test_every_vocabulary_entity_is_a_domain_entity(domain):
    declared = _entities(domain)
    missing = [e for e in get_vocabulary().entity_names if e not in declared]
    assert not missing, _missing("the entities", missing, "actions/vocabulary.yml")


def test_the_engine_entities_are_vocabulary_entities():
    names = get_vocabulary().entity_names
    missing = [e for e in (DURATION_ENTITY, CAUSE_ENTITY, "age") if e not in names]
    assert not missing, (
        f"actions/vocabulary.yml open_entities lack {missing} "
        "(actions/cause_table.py reads them)"
    )


def test_every_vocabulary_entity_declares_the_roles_the_parser_reads(domain):
    declared = _entities(domain)
    roles = set(get_vocabulary().roles) | {parsing.NEGATED_ROLE, parsing.POSSIBLE_ROLE}
    gaps = [
        f"{entity} (role {role})"
        for entity in get_vocabulary().entity_names
        for role in sorted(roles)
        if role not in declared.get(entity, set())
    ]
    assert not gaps, _missing("roles of", gaps, "actions/parsing.py, vocabulary roles")


def test_every_domain_entity_is_known_to_the_product(domain):
    known = set(get_vocabulary().entity_names) | set(PRODUCT_ENTITIES)
    unknown = sorted(set(_entities(domain)) - known)
    assert not unknown, (
        f"domain.yml declares entities {', '.join(unknown)} that neither "
        "actions/vocabulary.yml nor the product reads"
    )


def test_the_product_entities_are_domain_entities(domain):
    declared = _entities(domain)
    missing = [e for e in PRODUCT_ENTITIES if e not in declared]
    where = "; ".join(f"{e}: {PRODUCT_ENTITIES[e]}" for e in missing)
    assert not missing, _missing("the entities", missing, where)


def test_the_slots_the_actions_use_are_declared(domain):
    slots = domain.get("slots") or {}
    missing = [name for name in PRODUCT_SLOTS if name not in slots]
    where = "; ".join(f"{s}: {PRODUCT_SLOTS[s]}" for s in missing)
    assert not missing, _missing("the slots", missing, where)


def test_entity_slot_mappings_name_domain_entities(domain):
    declared = _entities(domain)
    wrong = [
        f"{slot} <- {mapping['entity']}"
        for slot, spec in (domain.get("slots") or {}).items()
        for mapping in spec.get("mappings") or []
        if mapping.get("type") == "from_entity" and mapping["entity"] not in declared
    ]
    assert not wrong, _missing("the entities mapped to slots", wrong, "slots")


def test_the_age_slot_caps_age_as_the_parser_does(domain):
    age = (domain.get("slots") or {}).get("age") or {}
    assert age.get("max_value") == parsing.MAX_AGE, (
        f"domain.yml slot age max_value {age.get('max_value')} differs from "
        f"actions/parsing.py MAX_AGE {parsing.MAX_AGE}"
    )


def _question_payloads() -> List[Tuple[str, str]]:
    table = get_cause_table()
    out = []
    for question in (*table.questions, table.red_flag_check):
        for button in replies.question_message(question.id).get("buttons") or []:
            out.append((question.id, str(button["payload"])))
    return out


def test_every_question_button_names_a_domain_intent_and_entities(domain):
    intents, entities = _intents(domain), _entities(domain)
    wrong = []
    for question_id, payload in _question_payloads():
        match = _PAYLOAD.match(payload)
        if not match:
            wrong.append(f"{question_id}: payload {payload!r} is not /intent{{...}}")
            continue
        if match["intent"] not in intents:
            wrong.append(f"{question_id}: intent {match['intent']}")
        names = json.loads(match["entities"] or "{}")
        wrong += [
            f"{question_id}: entity {name}" for name in names if name not in entities
        ]
    assert not wrong, _missing("what question buttons send:", wrong, "questions.yml")


def test_every_red_flag_check_button_names_a_red_flag_of_the_table():
    flags = {flag.id for flag in get_cause_table().red_flags}
    named = {
        value
        for _, payload in _question_payloads()
        for name, value in json.loads(
            _PAYLOAD.match(payload)["entities"] or "{}"
        ).items()
        if name == "red_flag"
    }
    assert named <= flags, f"unknown red flags in buttons: {sorted(named - flags)}"


def test_each_check_names_what_is_missing():
    """The checks above can fail: a domain without one entity is caught by name."""
    domain = read_yaml(DOMAIN_PATH)
    domain["entities"] = [
        item
        for item in domain["entities"]
        if (next(iter(item)) if isinstance(item, dict) else item) != "body_part"
    ]
    with pytest.raises(AssertionError, match="body_part"):
        test_every_vocabulary_entity_is_a_domain_entity(domain)
    domain["slots"].pop("facts_absent")
    with pytest.raises(AssertionError, match="facts_absent"):
        test_the_slots_the_actions_use_are_declared(domain)
