"""Sending every bad input to one conversation per channel and checking the servers."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from scripts.bad_inputs.cases import (
    ANCHOR_TURNS,
    ANSWER_TIMEOUT_S,
    TELEGRAM_SECRET,
    Case,
    rest_raw_cases,
    socketio_bad_payloads,
    telegram_raw_cases,
    text_cases,
)
from tools import servers
from tools.fake_bot_api import FakeBotApi


# ------------------------------------------------------------------------ results
@dataclass
class ChannelResult:
    """Counts for one channel."""

    channel: str
    sent: int = 0
    answered_2xx: int = 0
    refused_4xx: int = 0
    errors_5xx: int = 0
    silent: int = 0
    transport_errors: int = 0
    server_tracebacks: int = 0
    crashed: bool = False
    history_intact: bool = False
    reconnects: int = 0
    deleted_by: List[str] = field(default_factory=list)
    websocket_close_noise: int = 0
    by_category: Dict[str, int] = field(default_factory=dict)
    failures: List[str] = field(default_factory=list)

    def count(self, case: Case) -> None:
        """Counts one sent case in its category."""
        self.sent += 1
        self.by_category[case.category] = self.by_category.get(case.category, 0) + 1

    @property
    def ok(self) -> bool:
        """The channel passed every check."""
        return (
            self.errors_5xx == 0
            and self.silent == 0
            and self.transport_errors == 0
            and self.server_tracebacks == 0
            and not self.crashed
            and self.history_intact
        )


def _status_class(result: ChannelResult, case: Case, status: int) -> None:
    if status >= 500:
        result.errors_5xx += 1
        result.failures.append(f"{case.category}/{case.name}: HTTP {status}")
    elif status >= 400:
        result.refused_4xx += 1
    else:
        result.answered_2xx += 1


def _anchor_events(stack: servers.Stack, sender: str) -> List[Dict[str, Any]]:
    return servers.sqlite_events(stack.db_path, sender)


def _deleted_by(
    result: ChannelResult,
    case: Case,
    stack: servers.Stack,
    sender: str,
    before: List[Dict[str, Any]],
) -> bool:
    """True (and noted) when this case made the bot delete the conversation.

    That is the "delete my data" intent doing its job on an input it matched
    (e.g. an SQL DELETE fragment), not storage damage; the runner then replays
    the anchor turns so later cases are checked against a history again.
    """
    if before and not _anchor_events(stack, sender):
        result.deleted_by.append(f"{case.category}/{case.name}")
        return True
    return False


# sanic 21.12 + python-engineio log this when a websocket closes (stock Rasa's
# socketio channel too): the engine.io handler returns no HTTP response after
# the socket ends. The user sees nothing; it is counted apart, not as a failure.
WEBSOCKET_CLOSE_NOISE = "Invalid response type None (need HTTPResponse)"


def _tracebacks(server: servers.Server, start: int) -> Tuple[int, int]:
    """(tracebacks, of which websocket-close noise) logged since ``start``."""
    log = server.log_text()[start:]
    return log.count("Traceback (most recent call last)"), log.count(
        WEBSOCKET_CLOSE_NOISE
    )


# ------------------------------------------------------------------------ channels
def run_rest(stack: servers.Stack) -> ChannelResult:
    """Every text case in the anchor conversation, then every raw body."""
    result = ChannelResult("REST")
    sender = "robust-rest"
    url = stack.rasa.url + "/webhooks/rest/webhook"
    log_start = len(stack.rasa.log_text())
    for text in ANCHOR_TURNS:
        servers.say(stack.rasa, sender, text)
    before = _anchor_events(stack, sender)
    for case in text_cases():
        result.count(case)
        body = json.dumps({"sender": sender, "message": case.value}).encode()
        try:
            status, raw = servers.http("POST", url, body, timeout=ANSWER_TIMEOUT_S)
        except OSError as error:
            result.transport_errors += 1
            result.failures.append(f"{case.category}/{case.name}: {error}")
            continue
        _status_class(result, case, status)
        if status == 200 and not servers.texts(json.loads(raw)):
            result.silent += 1
            result.failures.append(f"{case.category}/{case.name}: no answer")
        if _deleted_by(result, case, stack, sender, before):
            for text in ANCHOR_TURNS:
                servers.say(stack.rasa, sender, text)
            before = _anchor_events(stack, sender)
    for case in rest_raw_cases(sender):
        result.count(case)
        try:
            status, _ = servers.http("POST", url, case.value, timeout=ANSWER_TIMEOUT_S)
        except OSError as error:
            result.transport_errors += 1
            result.failures.append(f"{case.category}/{case.name}: {error}")
            continue
        _status_class(result, case, status)
    _finish(result, stack, sender, before, log_start)
    return result


def run_telegram(
    stack: servers.Stack, bot_api: FakeBotApi, chat_id: int = 424242
) -> ChannelResult:
    """Text cases as updates of one private chat, then malformed updates.

    The webhook answers 200 before the reply is sent, so an answer is seen as a
    sendMessage call to the fake Bot API.
    """
    result = ChannelResult("Telegram webhook")
    url = stack.rasa.url + "/webhooks/telegram/webhook"
    headers = {
        "Content-Type": "application/json",
        "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET,
    }
    update_ids = iter(range(1, 10**6))
    log_start = len(stack.rasa.log_text())

    def update(text: str) -> bytes:
        message = {
            "message_id": next(update_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Robust"},
            "text": text,
        }
        return json.dumps({"update_id": next(update_ids), "message": message}).encode()

    for text in ANCHOR_TURNS:
        servers.http("POST", url, update(text), headers=headers)
    before = _anchor_events(stack, str(chat_id))
    if not before:
        result.failures.append("the Telegram conversation was not stored")
    texts = text_cases()
    cases: List[Tuple[Case, Optional[bytes]]] = [
        (case, update(case.value)) for case in texts
    ]
    text_ids = {id(case) for case in texts}
    cases += [(case, case.value) for case in telegram_raw_cases(chat_id)]
    cases.append((Case("auth", "no secret header", update("hi")), None))
    for case, body in cases:
        result.count(case)
        sent_before = bot_api.count("sendMessage")
        call_headers = headers
        if body is None:
            body, call_headers = update("hi"), {"Content-Type": "application/json"}
        try:
            status, _ = servers.http(
                "POST", url, body, headers=call_headers, timeout=ANSWER_TIMEOUT_S
            )
        except OSError as error:
            result.transport_errors += 1
            result.failures.append(f"{case.category}/{case.name}: {error}")
            continue
        _status_class(result, case, status)
        if id(case) in text_ids and bot_api.count("sendMessage") == sent_before:
            result.silent += 1
            result.failures.append(f"{case.category}/{case.name}: no answer")
        if _deleted_by(result, case, stack, str(chat_id), before):
            for text in ANCHOR_TURNS:
                servers.http("POST", url, update(text), headers=headers)
            before = _anchor_events(stack, str(chat_id))
    _finish(result, stack, str(chat_id), before, log_start)
    return result


def run_socketio(stack: servers.Stack) -> ChannelResult:
    """Text cases as user_uttered events of one session, then malformed events."""
    return asyncio.run(_run_socketio(stack))


class SocketioUser:
    """One widget user: a socket.io connection bound to a persistent session id.

    The server closes a connection that sends a frame over engine.io's 1 MB
    limit; the user then reconnects with the same session id, as the widget does.
    """

    def __init__(self, url: str, session_id: str) -> None:
        """Remembers where to connect; connect() opens the connection."""
        self.url = url
        self.session_id = session_id
        self.answers: "asyncio.Queue[Any]" = asyncio.Queue()
        self.client: Any = None
        self.reconnects = 0
        self.connects = 0

    async def connect(self) -> None:
        """Connects and asks for our session (session_request/session_confirm)."""
        import socketio

        client = socketio.AsyncClient(reconnection=False)
        confirmed = asyncio.Event()
        client.on("bot_uttered", lambda data: self.answers.put_nowait(data))
        client.on("session_confirm", lambda data: confirmed.set())
        await client.connect(self.url, socketio_path="/socket.io")
        self.connects += 1
        await client.emit("session_request", {"session_id": self.session_id})
        await asyncio.wait_for(confirmed.wait(), ANSWER_TIMEOUT_S)
        self.client = client

    async def ensure_connected(self) -> bool:
        """Reconnects when the server closed the connection; False if it can't."""
        if self.client is not None and self.client.connected:
            return True
        self.reconnects += 1
        try:
            await self.connect()
        except Exception:
            return False
        return True

    async def send(self, payload: Any, expect_answer: bool) -> str:
        """Emits user_uttered: 'answered', 'silent', 'closed' or 'sent'."""
        while not self.answers.empty():
            self.answers.get_nowait()
        try:
            await self.client.emit("user_uttered", payload)
        except Exception:
            return "closed"
        if not expect_answer:
            await asyncio.sleep(0.2)
            return "sent" if self.client.connected else "closed"
        try:
            await asyncio.wait_for(self.answers.get(), ANSWER_TIMEOUT_S)
        except asyncio.TimeoutError:
            return "silent" if self.client.connected else "closed"
        # Let the rest of this turn's messages arrive before the next turn.
        await asyncio.sleep(0.3)
        return "answered"

    async def close(self) -> None:
        """Disconnects."""
        if self.client is not None and self.client.connected:
            await self.client.disconnect()


async def _run_socketio(stack: servers.Stack) -> ChannelResult:
    result = ChannelResult("socket.io (widget)")
    user = SocketioUser(stack.rasa.url, "robust-socketio-session")
    log_start = len(stack.rasa.log_text())
    await user.connect()
    for text in ANCHOR_TURNS:
        await user.send({"message": text, "session_id": user.session_id}, True)
    before = _anchor_events(stack, user.session_id)
    if not before:
        result.failures.append("the socket.io conversation was not stored")
    sid = user.session_id
    cases = [
        (case, {"message": case.value, "session_id": sid}, True)
        for case in text_cases()
    ]
    cases += [(case, case.value, False) for case in socketio_bad_payloads(sid)]
    for case, payload, expect_answer in cases:
        result.count(case)
        if not await user.ensure_connected():
            result.transport_errors += 1
            result.failures.append(f"{case.category}/{case.name}: cannot reconnect")
            continue
        outcome = await user.send(payload, expect_answer)
        if outcome == "answered":
            result.answered_2xx += 1
        elif outcome in ("sent", "closed"):
            # Ignored by the channel, or refused by engine.io (frame over 1 MB).
            result.refused_4xx += 1
        else:
            result.silent += 1
            result.failures.append(f"{case.category}/{case.name}: no answer")
        if _deleted_by(result, case, stack, user.session_id, before):
            for text in ANCHOR_TURNS:
                await user.send({"message": text, "session_id": sid}, True)
            before = _anchor_events(stack, user.session_id)
    # The session still works after all that, on the same conversation.
    if (
        not (await user.ensure_connected())
        or await user.send({"message": "hello", "session_id": user.session_id}, True)
        != "answered"
    ):
        result.failures.append("no answer after the bad payloads")
        result.silent += 1
    await user.close()
    result.reconnects = user.reconnects
    _finish(result, stack, user.session_id, before, log_start)
    return result


def _finish(
    result: ChannelResult,
    stack: servers.Stack,
    sender: str,
    before: List[Dict[str, Any]],
    log_start: int,
) -> None:
    result.crashed = not (stack.rasa.alive() and stack.actions.alive())
    after = _anchor_events(stack, sender)
    result.history_intact = bool(before) and after[: len(before)] == before
    if not result.history_intact:
        result.failures.append("earlier events of the conversation changed")
    tracebacks, noise = _tracebacks(stack.rasa, log_start)
    result.server_tracebacks = tracebacks - noise
    result.websocket_close_noise = noise
