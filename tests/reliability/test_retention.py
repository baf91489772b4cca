"""Retention: conversations idle for longer than RETENTION_DAYS are deleted whole
(SQLite here; PostgreSQL in test_scale.py)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import List

import pytest
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import retention
from tools import servers

DAY = 86400


def tracker(sender_id: str, *ages_in_days: float) -> DialogueStateTracker:
    """A conversation with one user message per age (days before now)."""
    now = time.time()
    events: List = []
    for age in ages_in_days:
        events.append(ActionExecuted("action_listen", timestamp=now - age * DAY))
        events.append(
            UserUttered("hello", {"name": "greet"}, timestamp=now - age * DAY)
        )
    return DialogueStateTracker.from_events(sender_id, events)


@pytest.fixture
def endpoints(tmp_path: Path) -> Path:
    """endpoints.yml's tracker store (the one users run) on a fresh SQLite file."""
    path = tmp_path / "endpoints.yml"
    store = servers.sqlite_store(tmp_path / "tracker.db")
    path.write_text(yaml.safe_dump({"tracker_store": store}))
    return path


async def fill(endpoints: Path) -> SQLTrackerStore:
    store = retention.sql_store_from_endpoints(str(endpoints))
    await store.save(tracker("old", 45, 40))
    await store.save(tracker("old-then-back", 90, 2))
    await store.save(tracker("recent", 1))
    await store.save(tracker("just-inside", 29))
    return store


async def senders(store: SQLTrackerStore) -> List[str]:
    return sorted(await store.keys())


async def test_default_30_days_deletes_only_idle_conversations(
    endpoints, monkeypatch, capsys
):
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    store = await fill(endpoints)
    assert retention.main(["--endpoints", str(endpoints)]) == 0
    assert await senders(store) == ["just-inside", "old-then-back", "recent"]
    # A conversation that came back keeps its old events too: deleted whole or not.
    kept = await store.retrieve_full_tracker("old-then-back")
    assert len(kept.events) == 4
    assert "Deleted 1 conversation(s), 4 event(s)" in capsys.readouterr().out


async def test_setting_from_the_environment_and_dry_run(endpoints, monkeypatch):
    store = await fill(endpoints)
    monkeypatch.setenv("RETENTION_DAYS", "2.5")
    assert retention.main(["--endpoints", str(endpoints), "--dry-run"]) == 0
    assert len(await senders(store)) == 4
    assert retention.main(["--endpoints", str(endpoints)]) == 0
    assert await senders(store) == ["old-then-back", "recent"]


@pytest.mark.parametrize("raw", ["0", "-3", "thirty", "nan"])
def test_unusable_setting_fails_loudly(raw, endpoints, monkeypatch):
    monkeypatch.setenv("RETENTION_DAYS", raw)
    assert retention.main(["--endpoints", str(endpoints)]) == 1


def test_store_that_is_not_sql_is_refused(tmp_path):
    path = tmp_path / "endpoints.yml"
    path.write_text(yaml.safe_dump({"tracker_store": {"type": "redis"}}))
    with pytest.raises(ValueError, match="not an SQL store"):
        retention.sql_store_from_endpoints(str(path))


def test_empty_database_is_fine(endpoints):
    store = retention.sql_store_from_endpoints(str(endpoints))
    result = retention.purge_events(store.engine, store.SQLEvent.__table__, 30)
    assert (result.conversations, result.events) == (0, 0)
