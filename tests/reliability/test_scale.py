"""Scale-out: two Rasa servers share PostgreSQL (tracker store) and Redis (lock
store) configured by endpoints.scale.yml, with one action server.

Run by `make test-scale` (RELIABILITY_SCALE=1). Checks that a conversation whose
turns alternate between the servers, and a concurrent burst to one conversation,
keep every event, in order, with the same dialogue state as the same messages sent
one by one to a single server; that "delete my data" empties PostgreSQL; that a
PostgreSQL outage and a Redis outage each give their own clear error, then
recovery; and that the retention command purges idle conversations from PostgreSQL.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import subprocess
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Iterator, List, Tuple

import pytest

from bot.channels import common
from tools import servers

from . import services

CONVERSATION = [
    "hello",
    "my legs feel numb and tingly",
    "it started three days ago",
    "I am 45 years old",
    "no back pain",
    "thank you, bye",
]
STROKE = "my left arm and leg went numb suddenly and my face is drooping"
BURST = [
    "hello",
    "my feet are numb",
    "both legs tingle at night",
    "I sit at a desk all day",
    "no weakness",
    "it comes and goes",
    "I am 60",
    "since two weeks",
    "what could it be",
    "thanks",
]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """PostgreSQL, Redis, one action server, two Rasa servers; all stopped after."""
    pg = services.Postgres(services.temp_root("reliability-pg-"))
    redis = services.Redis(services.temp_root("reliability-redis-"))
    logs = tmp_path_factory.mktemp("scale-logs")
    started: List[servers.Server] = []
    try:
        pg.init()
        redis.start()
        actions = servers.start_action_server(logs)
        started.append(actions)
        servers.wait_up(actions, "/health")
        token = secrets.token_urlsafe(16)
        env = servers.base_env(
            ACTION_SERVER_URL=f"http://127.0.0.1:{actions.port}/webhook",
            RASA_AUTH_TOKEN=token,
            **pg.env(),
            **redis.env(),
        )
        endpoints = servers.ROOT / "endpoints.scale.yml"
        rasa_servers = []
        for _ in range(2):
            server = servers.start_rasa(logs, endpoints, env=env)
            started.append(server)
            rasa_servers.append(server)
            # One at a time: both create the tables on first start.
            servers.wait_up(server)
        yield {
            "pg": pg,
            "redis": redis,
            "rasa": rasa_servers,
            "token": token,
            "env": env,
        }
    finally:
        for server in started:
            servers.stop(server)
        redis.remove()
        pg.remove()
        for server in started:
            assert server.proc.returncode is not None


def stored_events(pg: services.Postgres, sender: str) -> List[Dict[str, Any]]:
    """The conversation's events as stored in PostgreSQL, in id order."""
    quoted = sender.replace("'", "''")
    out = pg.psql(f"SELECT data FROM events WHERE sender_id = '{quoted}' ORDER BY id")
    return [json.loads(line) for line in out.splitlines() if line]


def dialogue_state(events: List[Dict[str, Any]]) -> Tuple[List[str], Dict[str, Any]]:
    """The actions taken and the final slot values: what must match a reference."""
    actions = [e["name"] for e in events if e["event"] == "action"]
    slots: Dict[str, Any] = {}
    for event in events:
        if event["event"] == "slot":
            slots[event["name"]] = event["value"]
    return actions, slots


def user_texts(events: List[Dict[str, Any]]) -> List[str]:
    """The user messages in stored order."""
    return [e["text"] for e in events if e["event"] == "user"]


def assert_turns_not_interleaved(events: List[Dict[str, Any]]) -> None:
    """Each user message is followed by its own turn, ending in action_listen."""
    kinds = [
        (e["event"], e.get("name")) for e in events if e["event"] in ("user", "action")
    ]
    for index, (kind, _) in enumerate(kinds):
        if kind == "user" and index > 0:
            assert kinds[index - 1] == ("action", "action_listen"), kinds
    timestamps = [e["timestamp"] for e in events]
    assert timestamps == sorted(timestamps)


def send_all(server: servers.Server, sender: str, messages: List[str]) -> None:
    """Sends messages one by one to one server, each must get an answer."""
    for text in messages:
        status, reply = servers.say(server, sender, text)
        assert status == 200 and servers.texts(reply), (text, status, reply)


def test_alternating_servers_keep_the_conversation(stack):
    a, b = stack["rasa"]
    for index, text in enumerate(CONVERSATION):
        status, reply = servers.say((a, b)[index % 2], "alternating", text)
        assert status == 200 and servers.texts(reply), (text, reply)
    send_all(a, "single-server", CONVERSATION)

    alternating = stored_events(stack["pg"], "alternating")
    reference = stored_events(stack["pg"], "single-server")
    assert user_texts(alternating) == CONVERSATION
    assert_turns_not_interleaved(alternating)
    assert dialogue_state(alternating) == dialogue_state(reference)


def test_concurrent_burst_keeps_every_event_in_order(stack):
    a, b = stack["rasa"]
    send_all(a, "burst", ["hello"])

    def post(indexed: Tuple[int, str]) -> Tuple[int, Any]:
        index, text = indexed
        return servers.say((a, b)[index % 2], "burst", text)

    with ThreadPoolExecutor(max_workers=len(BURST)) as pool:
        answers = list(pool.map(post, enumerate(BURST)))
    assert all(status == 200 and servers.texts(reply) for status, reply in answers), (
        answers
    )

    events = stored_events(stack["pg"], "burst")
    texts = user_texts(events)
    assert texts[0] == "hello"
    assert sorted(texts[1:]) == sorted(BURST)
    assert_turns_not_interleaved(events)
    # The same messages, in the order the lock let them in, one by one: same state.
    send_all(b, "burst-replay", texts)
    assert dialogue_state(events) == dialogue_state(
        stored_events(stack["pg"], "burst-replay")
    )


def test_delete_api_empties_postgres(stack):
    a, b = stack["rasa"]
    send_all(a, "to-delete", ["hello", "my legs feel numb"])
    send_all(a, "to-keep", ["hello"])
    assert stored_events(stack["pg"], "to-delete")
    url = f"{b.url}/webhooks/rest/conversations/to-delete"
    status, _ = servers.http("DELETE", url, headers={"Authorization": "Bearer wrong"})
    assert status == 401
    assert stored_events(stack["pg"], "to-delete")
    status, body = servers.http(
        "DELETE", url, headers={"Authorization": f"Bearer {stack['token']}"}
    )
    assert status == 200 and json.loads(body)["deleted"] is True
    assert stored_events(stack["pg"], "to-delete") == []
    assert stored_events(stack["pg"], "to-keep")


def test_delete_intent_empties_postgres(stack):
    a, _ = stack["rasa"]
    send_all(a, "asks-deletion", ["hello", "my legs feel numb"])
    status, reply = servers.say(a, "asks-deletion", "/delete_my_data")
    assert status == 200 and servers.texts(reply)
    assert stored_events(stack["pg"], "asks-deletion"), "deleted before a yes"
    status, reply = servers.say(a, "asks-deletion", "/affirm")
    assert status == 200 and servers.texts(reply)
    assert all("custom" not in message for message in reply)
    assert stored_events(stack["pg"], "asks-deletion") == []


@contextlib.contextmanager
def service_down(stack, service: str, sender: str, error: str) -> Iterator[List[Any]]:
    """A conversation on server a, then `service` stopped: server b answers 503
    with `error` and no server dies. Yields the events stored before; the
    service is started again on leaving."""
    a, b = stack["rasa"]
    send_all(a, sender, ["hello", "my legs feel numb"])
    before = stored_events(stack["pg"], sender)
    stack[service].stop()
    try:
        status, reply = servers.say(b, sender, "are you there?")
        assert status == 503
        assert servers.texts(reply) == [error]
        assert all(server.alive() for server in stack["rasa"])
        yield before
    finally:
        stack[service].start()


def test_postgres_outage_gives_clear_error_then_recovers(stack):
    _, b = stack["rasa"]
    with service_down(stack, "pg", "outage", common.ERROR_STORE_DOWN) as before:
        pass
    # Pooled connections from before the outage are tested before use: the first
    # turn after the database is back succeeds, on either server.
    status, reply = servers.say(b, "outage", "hello again")
    assert status == 200 and servers.texts(reply) != [common.ERROR_STORE_DOWN]
    after = stored_events(stack["pg"], "outage")
    assert after[: len(before)] == before
    assert "hello again" in user_texts(after)


def test_redis_outage_gives_its_own_message_then_recovers(stack):
    a, b = stack["rasa"]
    down = service_down(stack, "redis", "redis-outage", common.ERROR_LOCK_DOWN)
    with down as before:
        status, reply = servers.say(a, "redis-outage", STROKE)
        assert status == 503
        assert servers.texts(reply)[0] in servers.response_texts("utter_emergency")
        assert servers.texts(reply)[-1] == common.ERROR_LOCK_DOWN
    status, reply = servers.say(b, "redis-outage", "hello again")
    assert status == 200 and servers.texts(reply), reply
    after = stored_events(stack["pg"], "redis-outage")
    assert after[: len(before)] == before
    assert "are you there?" not in user_texts(after)  # refused, so not half-stored
    assert STROKE not in user_texts(after)
    assert "hello again" in user_texts(after)


def test_retention_command_purges_idle_conversations_from_postgres(stack):
    a, _ = stack["rasa"]
    send_all(a, "retention-recent", ["hello"])
    send_all(a, "retention-idle", ["hello", "my legs feel numb"])
    stack["pg"].psql(
        "UPDATE events SET timestamp = timestamp - 40 * 86400 "
        "WHERE sender_id = 'retention-idle'"
    )
    purge = subprocess.run(
        [servers.PYTHON, "-m", "bot.retention", "--endpoints", "endpoints.scale.yml"],
        cwd=servers.ROOT,
        env={**stack["env"], "RETENTION_DAYS": "30"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert purge.returncode == 0, purge.stderr[-2000:]
    assert "Deleted 1 conversation(s)" in purge.stdout
    assert stored_events(stack["pg"], "retention-idle") == []
    assert stored_events(stack["pg"], "retention-recent")


class RoundRobinProxy:
    """A load balancer without sticky sessions: each new TCP connection goes to
    the next Rasa server in turn, whatever came before on that client."""

    def __init__(self, backends: List[servers.Server]) -> None:
        """Remembers the servers; start() listens on a free loopback port."""
        self.backends = backends
        self.chosen: List[int] = []
        self.port = 0
        self._server: Any = None

    async def start(self) -> None:
        """Listens on 127.0.0.1 on a port the system picks."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stops listening."""
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: Any, writer: Any) -> None:
        index = len(self.chosen) % len(self.backends)
        self.chosen.append(index)
        backend = self.backends[index]
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", backend.port)

        async def pipe(source: Any, sink: Any) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


async def widget_turn(url: str, session_id: str, text: str) -> List[Dict[str, Any]]:
    """One widget turn on a fresh websocket-only connection, as after a reload or
    reconnect: session_request, user_uttered, then the bot's messages."""
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    confirmed = asyncio.Event()
    replies: "asyncio.Queue[Dict[str, Any]]" = asyncio.Queue()
    client.on("session_confirm", lambda _: confirmed.set())
    client.on("bot_uttered", replies.put_nowait)
    await client.connect(url, socketio_path="/socket.io", transports=["websocket"])
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), 30)
        await client.emit("user_uttered", {"message": text, "session_id": session_id})
        answers = [await asyncio.wait_for(replies.get(), 60)]
        while True:  # the rest of the turn, until the bot is quiet
            try:
                answers.append(await asyncio.wait_for(replies.get(), 1.5))
            except asyncio.TimeoutError:
                return answers
    finally:
        await client.disconnect()


async def widget_history(url: str, session_id: str) -> List[Dict[str, Any]]:
    """The conversation's bot messages, as the widget asks for them on reconnect."""
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    history: "asyncio.Queue[Dict[str, Any]]" = asyncio.Queue()
    client.on("history", history.put_nowait)
    await client.connect(url, socketio_path="/socket.io", transports=["websocket"])
    try:
        await client.emit("history_request", {"session_id": session_id})
        return (await asyncio.wait_for(history.get(), 30))["messages"]
    finally:
        await client.disconnect()


def test_widget_conversation_alternates_servers_without_sticky_sessions(stack):
    a, _ = stack["rasa"]

    async def converse() -> Tuple[List[List[Dict[str, Any]]], List[Any], List[int]]:
        proxy = RoundRobinProxy(stack["rasa"])
        await proxy.start()
        try:
            url = f"http://127.0.0.1:{proxy.port}"
            turns = [await widget_turn(url, "widget-scale", t) for t in CONVERSATION]
            history = await widget_history(url, "widget-scale")
        finally:
            await proxy.stop()
        return turns, history, proxy.chosen

    turns, history, chosen = asyncio.run(converse())
    # One TCP connection per widget connection, and they alternated servers.
    assert chosen == [i % 2 for i in range(len(CONVERSATION) + 1)]
    assert all(servers.texts(answers) for answers in turns), turns
    send_all(a, "widget-scale-reference", CONVERSATION)

    events = stored_events(stack["pg"], "widget-scale")
    assert user_texts(events) == CONVERSATION
    assert_turns_not_interleaved(events)
    # The facts each server learnt were there for the other one's next turn.
    assert dialogue_state(events) == dialogue_state(
        stored_events(stack["pg"], "widget-scale-reference")
    )
    # Replies given by either server are in the history the last one returns.
    replied = [text for answers in turns for text in servers.texts(answers)]
    assert [m.get("text") for m in history if m.get("text")] == replied
