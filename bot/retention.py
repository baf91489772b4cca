"""Deletes conversations nobody has written to for RETENTION_DAYS (default 30).

Why: conversations are health data. Besides the person's own "delete my data",
each conversation gets a lifetime: once its latest event is older than the
retention period, every event of it is deleted. ``make run`` runs this at start;
a deployment runs it daily from cron or a Kubernetes CronJob (docs/deploy.md)::

    python -m bot.retention --endpoints endpoints.scale.yml      # PostgreSQL
    python -m bot.retention --endpoints endpoints.yml --dry-run  # count only

It reads the same ``tracker_store`` section as Rasa (``${ENV}`` references
resolved the same way) and works on Rasa's SQL stores (SQLite, PostgreSQL); any
other store fails loudly instead of silently keeping data.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import warnings
from dataclasses import dataclass
from typing import Any, List, Optional

import sqlalchemy as sa

logger = logging.getLogger(__name__)

RETENTION_ENV = "RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30
SECONDS_PER_DAY = 86400


@dataclass
class PurgeResult:
    """What a purge removed (or, in a dry run, would remove)."""

    conversations: int
    events: int
    cutoff: float


def retention_days(raw: Optional[str] = None) -> float:
    """The retention period from ``RETENTION_DAYS``; ValueError when unusable."""
    raw = os.environ.get(RETENTION_ENV) if raw is None else raw
    if raw is None or not raw.strip():
        return float(DEFAULT_RETENTION_DAYS)
    try:
        days = float(raw)
    except ValueError:
        message = f"{RETENTION_ENV} must be a number of days, not {raw!r}"
        raise ValueError(message) from None
    if not days > 0:
        raise ValueError(f"{RETENTION_ENV} must be more than 0 days, not {raw!r}")
    return days


def expired_senders(events: sa.Table, cutoff: float) -> sa.sql.Select:
    """A query for the conversations whose latest event is older than ``cutoff``."""
    return (
        sa.select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(sa.func.max(events.c.timestamp) < cutoff)
    )


def purge_events(
    engine: sa.engine.Engine,
    events: sa.Table,
    days: float,
    *,
    now: Optional[float] = None,
    dry_run: bool = False,
) -> PurgeResult:
    """Deletes every event of each conversation idle for more than ``days``.

    One transaction: a conversation is deleted whole or not at all.
    """
    cutoff = (time.time() if now is None else now) - days * SECONDS_PER_DAY
    expired = expired_senders(events, cutoff).subquery()
    with engine.begin() as connection:
        senders: List[str] = list(
            connection.execute(sa.select(expired.c.sender_id)).scalars()
        )
        if not senders:
            return PurgeResult(0, 0, cutoff)
        in_expired = events.c.sender_id.in_(sa.select(expired.c.sender_id))
        if dry_run:
            count = connection.execute(
                sa.select(sa.func.count()).select_from(events).where(in_expired)
            ).scalar_one()
        else:
            count = connection.execute(events.delete().where(in_expired)).rowcount
    return PurgeResult(len(senders), int(count or 0), cutoff)


def sql_store_from_endpoints(path: str) -> Any:
    """The SQL tracker store configured in an endpoints file (Rasa's reader)."""
    with warnings.catch_warnings():  # Rasa's imports warn about their own deps
        warnings.simplefilter("ignore")
        from rasa.core.tracker_store import SQLTrackerStore
        from rasa.shared.core.domain import Domain
        from rasa.shared.utils.common import class_from_module_path
        from rasa.utils.endpoints import read_endpoint_config

    config = read_endpoint_config(path, "tracker_store")
    if config is None:
        raise ValueError(f"{path} configures no tracker_store: nothing to purge")
    kind = (config.type or "").lower()
    cls = SQLTrackerStore if kind == "sql" else None
    if cls is None and "." in (config.type or ""):
        cls = class_from_module_path(config.type)
    if cls is None or not issubclass(cls, SQLTrackerStore):
        raise ValueError(
            f"{path}: tracker_store type {config.type!r} is not an SQL store; "
            "retention supports SQLite and PostgreSQL"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cls(domain=Domain.empty(), host=config.url, **config.kwargs)


def main(argv: Optional[List[str]] = None) -> int:
    """Command line: purge, report what went, exit 0 (1 on a configuration error)."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.retention", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--endpoints", default="endpoints.yml")
    parser.add_argument(
        "--days",
        help=f"days to keep (default: ${RETENTION_ENV}, else {DEFAULT_RETENTION_DAYS})",
    )
    parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    try:
        days = retention_days(args.days)
        store = sql_store_from_endpoints(args.endpoints)
    except ValueError as error:
        print(f"Retention: {error}", file=sys.stderr)
        return 1
    result = purge_events(
        store.engine, store.SQLEvent.__table__, days, dry_run=args.dry_run
    )
    verb = "Would delete" if args.dry_run else "Deleted"
    print(
        f"Retention ({days:g} days): {verb} {result.conversations} conversation(s), "
        f"{result.events} event(s), idle since before "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(result.cutoff))}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
