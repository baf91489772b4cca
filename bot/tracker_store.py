"""SQL tracker store that keeps each conversation's tracker between its turns.

Why: Rasa's ``SQLTrackerStore`` rebuilds the tracker from every stored event at
the start of each turn (parse each row's JSON, look up each event's class,
replay every event); in the profile that was the largest part of a turn's
tracker-store time, and it grows with the conversation (reports/bench.md).

Here the tracker saved at the end of a turn stays in memory. The next turn's
``retrieve`` asks the database, with one small query, for the count, the last
id and the latest time of the conversation's stored events; when all three
still match what the copy holds, it hands the copy out instead of rebuilding
it. Anything that changed the stored conversation (another Rasa server's turn,
a deletion, a restart) changes them, and the tracker is read from the database as
before. A copy is handed out once: the turn that takes it saves it back, so a
turn that fails half way leaves no copy behind. The database stays the record;
this is a read cache only, bounded to the most recent conversations.

endpoints.yml: ``tracker_store: {type: bot.tracker_store.CachingSQLTrackerStore,
...}`` with the keys of Rasa's ``SQL`` store, plus an optional ``cache_size``.
"""

from __future__ import annotations

from collections import OrderedDict
from itertools import islice
from typing import Any, Iterator, Optional, Text, Tuple

import sqlalchemy as sa
import sqlalchemy.orm
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_patches

#: Conversations whose tracker is kept (least recently used go first).
DEFAULT_CACHE_SIZE = 256

#: Stored events of the latest session: how many, the last id, the last time.
#: The time catches a conversation deleted and written again under reused ids
#: (SQLite reuses the ids of deleted last rows).
StoredVersion = Tuple[int, Optional[int], Optional[float]]


class CachingSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` with a checked in-memory copy of recent trackers."""

    def __init__(self, *args: Any, cache_size: int = DEFAULT_CACHE_SIZE, **kwargs: Any):
        """Same arguments as ``SQLTrackerStore``, plus ``cache_size``.

        Also puts the Rasa overrides in place (bot/rasa_patches.py), so traffic
        that no channel of ours carries (``rasa shell``, the HTTP API) gets them.
        """
        rasa_patches.install()
        super().__init__(*args, **kwargs)
        self._use_live_connections()
        self._cache_size = max(int(cache_size), 0)
        # saved trackers, kept for the conversation's next turn
        self._cache: OrderedDict[Text, Tuple[DialogueStateTracker, StoredVersion]] = (
            OrderedDict()
        )
        # trackers handed out to a turn, with how many of their events are stored
        self._lent: OrderedDict[Text, Tuple[DialogueStateTracker, int]] = OrderedDict()
        self._version_query = self._build_version_query()

    def _use_live_connections(self) -> None:
        """Tests each pooled connection before use (PostgreSQL).

        Why: after PostgreSQL restarts, every connection the pool kept is dead,
        and Rasa's engine hands one out as if it were alive: the first turn on
        each server then fails with the database-down message although the
        database is back. A pre-ping costs one round trip per checkout.
        """
        old: sa.engine.Engine = self.engine  # type: ignore[has-type]
        if old.dialect.name == "sqlite":
            return  # a file: no connection to lose
        self.engine = sa.create_engine(
            old.url, pool_pre_ping=True, **create_engine_kwargs(old.url)
        )
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        old.dispose()

    def _build_version_query(self) -> Any:
        """Count, last id and last time of the latest session's stored events.

        The same rows as Rasa's ``_event_query`` (events since the latest
        ``session_started``, or all), as one SQL statement built once: through
        the ORM that query cost four times as much (1.2 ms against 0.3 ms).
        """
        events = self.SQLEvent.__table__
        sender = sa.bindparam("sender_id")
        session_start = (
            sa.select(sa.func.max(events.c.timestamp))
            .where(
                events.c.sender_id == sender,
                events.c.type_name == SessionStarted.type_name,
            )
            .scalar_subquery()
        )
        return sa.select(
            sa.func.count(events.c.id),
            sa.func.max(events.c.id),
            sa.func.max(events.c.timestamp),
        ).where(
            events.c.sender_id == sender,
            sa.or_(events.c.timestamp >= session_start, session_start.is_(None)),
        )

    def _stored_version(self, sender_id: Text, connection: Any = None) -> StoredVersion:
        """What identifies the events ``retrieve`` would read from the database."""
        if connection is None:
            with self.engine.connect() as own:
                return self._stored_version(sender_id, own)
        count, last_id, last_time = connection.execute(
            self._version_query, {"sender_id": sender_id}
        ).one()
        return int(count or 0), last_id, last_time

    def _lend(self, tracker: DialogueStateTracker, stored: int) -> None:
        self._lent[tracker.sender_id] = (tracker, stored)
        while len(self._lent) > max(self._cache_size, 1):
            self._lent.popitem(last=False)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The kept tracker when the database still holds exactly its events."""
        cached = self._cache.pop(sender_id, None)
        if cached is not None:
            tracker, version = cached
            if self._stored_version(sender_id) == version:
                self._lend(tracker, version[0])
                return tracker
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            self._lend(tracker, len(tracker.events))
        return tracker

    def _additional_events(
        self, session: Any, tracker: DialogueStateTracker
    ) -> Iterator[Event]:
        """Events beyond the stored ones; no query for a tracker this store lent."""
        lent = self._lent.pop(tracker.sender_id, None)
        if lent is not None and lent[0] is tracker:
            stored = lent[1]
        else:
            stored = self._stored_version(tracker.sender_id, session.connection())[0]
        return islice(tracker.events, stored, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Stores the new events, then keeps the tracker for the next turn."""
        self._cache.pop(tracker.sender_id, None)
        await super().save(tracker)  # its _additional_events uses the lent count
        if self._cache_size == 0:
            return
        version = self._stored_version(tracker.sender_id)
        # Kept only when a database read would give exactly these events (not
        # when the tracker still holds an earlier session's events).
        if version[0] == len(tracker.events):
            self._cache[tracker.sender_id] = (tracker, version)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def forget(self, sender_id: Text) -> None:
        """Drops the kept tracker (the conversation was deleted or replaced)."""
        self._cache.pop(sender_id, None)
        self._lent.pop(sender_id, None)

    def cached_senders(self) -> Tuple[Text, ...]:
        """Conversations with a kept tracker, oldest first (for tests)."""
        return tuple(self._cache)
