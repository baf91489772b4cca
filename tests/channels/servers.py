"""A running bot for channel and browser tests, started by tools/servers.py.

Shared by tests/channels and tests/browser: both talk to a real `rasa run` over
HTTP, the way Telegram and a browser do, with their own credentials file and a
throw-away SQLite tracker store.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, NamedTuple

from tools import servers

ROOT = servers.ROOT


class Bot(NamedTuple):
    """A running bot: its base URL, the Rasa server's log and its SQLite file."""

    url: str
    log: Path
    db: Path


@contextmanager
def running_bot(workdir: Path, credentials: str) -> Iterator[Bot]:
    """Action server + `rasa run` with ``credentials`` (YAML text); stops both."""
    (workdir / "credentials.yml").write_text(credentials)
    stack = servers.start_sqlite_stack(
        workdir,
        env=servers.base_env(RASA_TELEMETRY_ENABLED="false"),
        credentials=workdir / "credentials.yml",
    )
    try:
        yield Bot(stack.rasa.url, stack.rasa.log_path, stack.db_path)
    finally:
        servers.stop_stack(stack)
