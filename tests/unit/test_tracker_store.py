"""bot/tracker_store.py: the kept tracker is used only while the database agrees."""

from __future__ import annotations

from types import SimpleNamespace

from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels import common
from bot.tracker_store import CachingSQLTrackerStore


def _store(db, **kwargs) -> CachingSQLTrackerStore:
    return CachingSQLTrackerStore(Domain.empty(), db=str(db), **kwargs)


def _tracker(sender_id: str, text: str = "hello") -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        sender_id, [ActionExecuted("action_listen"), UserUttered(text)]
    )


def _texts(tracker: DialogueStateTracker) -> list:
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


async def test_the_next_turn_gets_the_saved_tracker_without_a_rebuild(tmp_path):
    store = _store(tmp_path / "t.db")
    tracker = _tracker("u1")
    await store.save(tracker)
    assert await store.retrieve("u1") is tracker
    # handed out once: without a save in between, the database is read
    again = await store.retrieve("u1")
    assert again is not tracker
    assert [e.as_dict() for e in again.events] == [e.as_dict() for e in tracker.events]


async def test_a_turn_saved_by_another_server_is_read_from_the_database(tmp_path):
    ours, other = _store(tmp_path / "t.db"), _store(tmp_path / "t.db")
    await ours.save(_tracker("u1"))
    theirs = await other.retrieve("u1")
    theirs.update(ActionExecuted("action_listen"))
    theirs.update(UserUttered("second"))
    await other.save(theirs)
    tracker = await ours.retrieve("u1")
    assert _texts(tracker) == ["hello", "second"]


async def test_a_replaced_conversation_with_as_many_events_is_read_again(tmp_path):
    ours, other = _store(tmp_path / "t.db"), _store(tmp_path / "t.db")
    await ours.save(_tracker("u1", "old"))
    await common.delete_conversation(
        SimpleNamespace(tracker_store=other, lock_store=InMemoryLockStore()), "u1"
    )
    await other.save(_tracker("u1", "new"))  # same number of events, new ids
    assert _texts(await ours.retrieve("u1")) == ["new"]


async def test_delete_conversation_drops_the_kept_tracker(tmp_path):
    store = _store(tmp_path / "t.db")
    await store.save(_tracker("u1"))
    agent = SimpleNamespace(tracker_store=store, lock_store=InMemoryLockStore())
    assert await common.delete_conversation(agent, "u1") == 2
    assert "u1" not in store.cached_senders()
    assert await store.retrieve("u1") is None


async def test_only_the_most_recent_conversations_are_kept(tmp_path):
    store = _store(tmp_path / "t.db", cache_size=2)
    for sender_id in ("a", "b", "c"):
        await store.save(_tracker(sender_id))
    assert store.cached_senders() == ("b", "c")
    assert _texts(await store.retrieve("a")) == ["hello"]  # from the database


async def test_it_stores_what_rasas_sql_store_reads(tmp_path):
    store = _store(tmp_path / "t.db")
    await store.save(_tracker("u1"))
    for text in ("second", "third"):  # turns on the kept, then on a read tracker
        tracker = await store.retrieve("u1")
        tracker.update(ActionExecuted("action_listen"))
        tracker.update(UserUttered(text))
        await store.save(tracker)
        store.forget("u1")
    plain = SQLTrackerStore(Domain.empty(), db=str(tmp_path / "t.db"))
    stored = await plain.retrieve("u1")
    assert _texts(stored) == ["hello", "second", "third"]
    assert len(stored.events) == 6
