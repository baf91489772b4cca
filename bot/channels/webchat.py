"""Website chat widget channel: Rasa's socket.io channel plus the widget's files.

Why a subclass rather than the stock ``socketio`` entry:
- the same Rasa port serves the demo page and the widget script (``web/``), so
  ``make run`` needs no second web server and the page never loads a CDN;
- the stock output emits a custom JSON message as keyword arguments of
  ``sio.emit`` (a TypeError for ``{"assessment": ...}``); here it is sent as
  ``{"custom": {...}}``, the shape the widget renders as an urgency banner;
- each turn goes through ``bot.channels.common.handle_user_turn`` (input
  validation, delete-conversation hook, an apology instead of silence);
- ``enter_room`` is awaited when the installed python-socketio made it a
  coroutine (5.10+), so session persistence keeps working after an upgrade;
- ``history_request`` answers with the conversation's bot messages read from the
  tracker store, in the very shape they were sent live, so a widget that was
  offline or reloaded shows the replies it missed (see ``conversation_history``).

Configured in credentials.yml as ``bot.channels.webchat.WebchatInput`` with the
stock socketio keys. The page is then at ``/webhooks/webchat/``.
"""

from __future__ import annotations

import inspect
import json
import logging
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from rasa.shared.core.events import BotUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot import rasa_patches
from bot.channels import common

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
# Sent to the widget after the user's conversation was deleted on the server.
DELETED_KEY = "conversation_deleted"
# Metadata is stored with each user message: keep it small.
MAX_METADATA = 8 * 1024


class WebchatOutput(SocketIOOutput):
    """Socket.io output that sends custom JSON as one ``{"custom": ...}`` event."""

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        """Send the payload as data; the stock output passes it as emit kwargs."""
        await self._send_message(recipient_id, {"custom": json_message})


class _CollectedOutput(WebchatOutput):
    """Keeps the messages the live output would emit, instead of emitting them."""

    def __init__(self) -> None:
        super().__init__(None, "")
        self.sent: List[Dict[Text, Any]] = []

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        self.sent.append(response)


async def conversation_history(agent: Any, sender_id: Text) -> List[Dict[Text, Any]]:
    """The bot messages of ``sender_id``'s conversation as the widget received them.

    Each stored ``BotUttered`` goes through the same output (text split into
    parts, buttons as quick replies, custom JSON wrapped, private payloads
    dropped), so the widget can match them against what it already shows.
    Messages that never reached the tracker (refusals, apologies) are absent.
    """
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return []
    tracker = await store.retrieve(sender_id)
    if tracker is None:
        return []
    collected = _CollectedOutput()
    guarded = common.GuardedOutputChannel(collected)
    for event in tracker.events:
        if isinstance(event, BotUttered):
            await guarded.send_response(sender_id, event.message())
    return collected.sent


class WebchatInput(SocketIOInput):
    """Socket.io input whose blueprint also serves the widget and its demo page."""

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    def get_output_channel(self) -> Optional[WebchatOutput]:
        """Output for events pushed outside a user turn (e.g. reminders)."""
        if self.sio is None:
            return None
        return WebchatOutput(self.sio, self.bot_message_evt)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Socket.io events plus GET ``/`` (demo page) and ``/web/<file>``."""
        rasa_patches.install()
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        webchat = SocketBlueprint(sio, self.socketio_path, "webchat_webhook", __name__)
        self.sio = sio

        @webchat.route("/", methods=["GET"])
        async def demo_page(_: Request) -> HTTPResponse:
            return await response.file(WEB_DIR / "index.html")

        @webchat.route("/health", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        webchat.static("/web", str(WEB_DIR), name="webchat_static")

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            if not self.jwt_key:
                return True
            token = (auth or {}).get("token")
            return bool(
                token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm)
            )

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = _session_id(requested)
            if self.session_persistence:
                entered = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(entered):
                    await entered
            await sio.emit(
                "session_confirm", session_id, room=sid, namespace=self.namespace
            )

        @sio.on("history_request", namespace=self.namespace)
        async def history_request(sid: Text, data: Any = None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            try:
                sender_id = common.validate_sender_id(requested)
            except common.InputRejected:
                return
            app = next(iter(webchat.apps), None)
            try:
                messages = await conversation_history(common.get_agent(app), sender_id)
            except Exception:
                logger.exception("webchat: could not read the conversation history")
                messages = None
            await sio.emit(
                "history",
                {"session_id": sender_id, "messages": messages},
                room=sid,
                namespace=self.namespace,
            )

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any = None) -> None:
            # data defaults to None: socket.io calls the handler without it when
            # a client sends the event with no payload.
            turn = self._turn(sid, data)
            if turn is None:
                return
            sender_id, text, metadata = turn
            app = next(iter(webchat.apps), None)
            outcome = await common.handle_user_turn(
                on_new_message,
                common.get_agent(app),
                text=text,
                sender_id=sender_id,
                output_channel=WebchatOutput(sio, self.bot_message_evt),
                input_channel=self.name(),
                metadata=metadata,
            )
            if outcome.deleted:
                # The browser keeps a copy of the transcript: tell it to drop it.
                await sio.emit(
                    self.bot_message_evt,
                    {"custom": {DELETED_KEY: True}},
                    room=sender_id if self.session_persistence else sid,
                    namespace=self.namespace,
                )

        return webchat

    def _turn(self, sid: Text, data: Any) -> Optional[Tuple[Text, Text, Dict]]:
        """Sender id, text and metadata of one event; None when it is unusable."""
        if not isinstance(data, dict) or not isinstance(data.get("message"), str):
            logger.warning("webchat: ignored an event without a message text")
            return None
        raw_sender = data.get("session_id") if self.session_persistence else sid
        try:
            sender_id = common.validate_sender_id(raw_sender)
        except common.InputRejected:
            logger.warning("webchat: ignored a message without a valid session id")
            return None
        metadata = data.get(self.metadata_key) or {}
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except ValueError:
                metadata = {}
        if not isinstance(metadata, dict) or len(json.dumps(metadata)) > MAX_METADATA:
            metadata = {}
        return sender_id, data["message"], metadata


def _session_id(value: Any) -> Text:
    """The client's session id when it is a valid sender id, else a fresh one."""
    try:
        return common.validate_sender_id(value)
    except common.InputRejected:
        return uuid.uuid4().hex
