"""Format check of the blind NLU set (tests/nlu/blind.yml); not a score.

The blind set measures how the NLU generalises to wording nobody tuned for, so a
malformed entry or an off-vocabulary value would silently distort that figure.
The entity checker and the intent list are those of the held-out set's test, so
both sets obey one contract.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml
from test_heldout_file import INTENTS, check_message_form

BLIND_PATH = Path(__file__).with_name("blind.yml")


def _load_blind() -> List[Dict[str, Any]]:
    """The blind messages; the file holds exactly one top-level key."""
    with open(BLIND_PATH, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict) and set(data) == {"messages"}
    return data["messages"]


BLIND = _load_blind()


@pytest.mark.parametrize("message", BLIND, ids=[str(m.get("text"))[:40] for m in BLIND])
def test_blind_message_is_well_formed(message: Dict[str, Any]) -> None:
    check_message_form(message)


def test_blind_texts_are_unique_and_new() -> None:
    """A blind message that repeats a held-out one would not be blind."""
    heldout_path = BLIND_PATH.with_name("heldout.yml")
    with open(heldout_path, encoding="utf-8") as handle:
        heldout = {
            m["text"].strip().lower() for m in yaml.safe_load(handle)["messages"]
        }
    texts = Counter(m["text"].strip().lower() for m in BLIND)
    assert [t for t, n in texts.items() if n > 1] == []
    assert sorted(set(texts) & heldout) == []


def test_blind_covers_every_intent() -> None:
    intents = Counter(m["intent"] for m in BLIND)
    assert set(intents) == set(INTENTS)
    assert intents["describe_symptoms"] > len(BLIND) / 2
