"""A conversation survives a restart of the Rasa server (SQLite tracker store)."""

import sqlite3
from pathlib import Path
from typing import List, Tuple

import pytest

from tools import servers


def stored_events(db_path: Path, sender_id: str) -> List[Tuple[str, str]]:
    """(type, data) of every stored event of one conversation, in order."""
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id",
            (sender_id,),
        ).fetchall()
    return [(type_name, data) for type_name, data in rows]


@pytest.fixture
def stack(tmp_path):
    """An action server and a Rasa server on an SQLite file; stopped afterwards."""
    actions = servers.start_action_server(tmp_path)
    db_path = tmp_path / "tracker.db"
    endpoints = servers.write_endpoints(
        tmp_path / "endpoints.yml", actions.port, servers.sqlite_store(db_path)
    )
    rasa = servers.start_rasa(tmp_path, endpoints)
    started = {"actions": actions, "rasa": rasa}
    try:
        servers.wait_up(actions, "/health")
        servers.wait_up(rasa)
        yield started, db_path
    finally:
        for server in started.values():
            servers.stop(server)


def test_conversation_continues_after_rasa_restart(stack):
    started, db_path = stack
    sender = "restart-user"
    status, first = servers.say(started["rasa"], sender, "hello")
    assert status == 200 and servers.texts(first)
    before = stored_events(db_path, sender)
    assert any(kind == "user" for kind, _ in before)

    started["rasa"] = servers.restart(started["rasa"])
    servers.wait_up(started["rasa"])
    after_restart = stored_events(db_path, sender)
    assert after_restart == before

    status, second = servers.say(started["rasa"], sender, "hello again")
    assert status == 200 and servers.texts(second)
    after = stored_events(db_path, sender)
    assert after[: len(before)] == before
    new_kinds = [kind for kind, _ in after[len(before) :]]
    assert "user" in new_kinds
    # Same session: the restart did not start the conversation over.
    assert "session_started" not in new_kinds
