"""Shared fixtures: the real domain, a dispatcher, a keyword tracker builder, and
Rasa as shipped after each test (no override from bot/rasa_patches.py leaks)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _rasa_as_shipped():
    """Removes the Rasa overrides a test installed (directly or by building a store)."""
    yield
    patches = sys.modules.get("bot.rasa_patches")
    if patches is not None:
        patches.remove()


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    """The project's domain.yml as the action server receives it (a dict)."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain.yml")).as_dict()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    """A fresh dispatcher per test; `.messages` holds what the bot sent."""
    return CollectingDispatcher()


def make_tracker(
    *,
    text: str = "",
    intent: Optional[str] = None,
    entities: Iterable[Dict[str, Any]] = (),
    slots: Optional[Dict[str, Any]] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
    sender_id: str = "test-user",
) -> Tracker:
    """A tracker whose latest user message and slots are given by keyword."""
    latest_message = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0} if intent else {},
        "entities": list(entities),
    }
    return Tracker(
        sender_id=sender_id,
        slots=dict(slots or {}),
        latest_message=latest_message,
        events=list(events or []),
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def make_entity(name: str, value: Any, negated: bool = False) -> Dict[str, Any]:
    """An NLU entity dict as the symptom extractor emits it."""
    item: Dict[str, Any] = {"entity": name, "value": value, "start": 0, "end": 1}
    if negated:
        item["role"] = "negated"
    return item


@pytest.fixture
def build_tracker() -> Callable[..., Tracker]:
    """The keyword tracker builder: `build_tracker(intent=..., slots=...)`."""
    return make_tracker


@pytest.fixture
def entity() -> Callable[..., Dict[str, Any]]:
    """The entity builder: `entity("symptom", "pain", negated=True)`."""
    return make_entity
