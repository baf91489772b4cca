"""Redis lock store whose ticket operations are atomic across Rasa servers.

Why: Rasa 3.6's ``RedisLockStore`` changes a conversation's ticket lock with a
plain GET, modify, SET. Two servers taking messages for the same conversation at
the same moment can both read the lock, both issue the same ticket number and
both run a turn at once; the SQL tracker store then drops one turn's events (it
appends "events beyond the stored count", and the other turn already moved that
count). ``make test-scale`` lost 4 of 10 burst messages that way. Here every
read-modify-write runs in a Redis WATCH/MULTI transaction (retried on conflict),
and a waiter whose ticket expired gets a LockError instead of waiting forever.

endpoints.scale.yml: ``lock_store: {type: bot.lock_store.AtomicRedisLockStore, ...}``
with the same keys as Rasa's ``redis`` lock store.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Callable, Optional, Text, Tuple, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_patches

logger = logging.getLogger(__name__)

T = TypeVar("T")
#: Given the stored lock: (result, lock to store or None to delete, write?).
Mutation = Callable[[Optional[TicketLock]], Tuple[T, Optional[TicketLock], bool]]


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore with transactional ticket updates."""

    def __init__(
        self,
        endpoint_config: Optional[EndpointConfig] = None,
        host: Text = "localhost",
        **kwargs: Any,
    ) -> None:
        """Accepts Rasa's endpoint config (custom lock stores get only that)."""
        rasa_patches.require_pinned_rasa()
        if endpoint_config is not None:
            host = endpoint_config.url or host
            kwargs = {**endpoint_config.kwargs, **kwargs}
        super().__init__(host=host, **kwargs)

    def _transact(self, conversation_id: Text, mutate: Mutation[T]) -> T:
        """Runs ``mutate`` on the stored lock atomically; retries on conflict.

        ``mutate`` returns (result, lock to store or None to delete, write?).
        """
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    result, new_lock, write = mutate(lock)
                    pipe.multi()
                    if write:
                        if new_lock is None:
                            pipe.delete(key)
                        else:
                            pipe.set(key, new_lock.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue

    def issue_ticket(
        self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME
    ) -> int:
        """Issues the next ticket number, atomically."""

        def mutate(lock: Optional[TicketLock]) -> Tuple[int, TicketLock, bool]:
            lock = lock or TicketLock(conversation_id)
            return lock.issue_ticket(lock_lifetime), lock, True

        try:
            return self._transact(conversation_id, mutate)
        except redis.RedisError as error:
            raise LockError(
                f"Error while acquiring lock: {type(error).__name__}"
            ) from error

    def update_lock(self, conversation_id: Text) -> None:
        """Removes expired tickets, atomically."""

        def mutate(lock: Optional[TicketLock]) -> Tuple[None, Any, bool]:
            if lock is None:
                return None, None, False
            lock.remove_expired_tickets()
            return None, lock, True

        self._transact(conversation_id, mutate)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        """Removes one ticket, atomically."""
        self._release(conversation_id, ticket_number, delete_when_empty=False)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Removes our ticket and deletes the lock when nobody waits, atomically."""
        self._release(conversation_id, ticket_number, delete_when_empty=True)

    def _release(
        self, conversation_id: Text, ticket_number: int, delete_when_empty: bool
    ) -> None:
        def mutate(lock: Optional[TicketLock]) -> Tuple[None, Any, bool]:
            if lock is None:
                return None, None, False
            lock.remove_ticket_for(ticket_number)
            if delete_when_empty and not lock.is_someone_waiting():
                return None, None, True
            return None, lock, True

        self._transact(conversation_id, mutate)

    async def _acquire_lock(
        self, conversation_id: Text, ticket: int, wait_time_in_seconds: float
    ) -> TicketLock:
        """Waits for our turn; gives up (LockError) if our ticket expired."""
        while True:
            lock = self.get_lock(conversation_id)
            if lock is None or lock._ticket_for_ticket_number(ticket) is None:
                raise LockError(
                    "The conversation's lock ticket expired while waiting; "
                    "raise TICKET_LOCK_LIFETIME if turns are this slow."
                )
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)
            self.update_lock(conversation_id)
