"""Telegram channel: Rasa's Telegram connector made fit for a public webhook.

What changes against ``rasa.core.channels.telegram``:
- no network call per update (the stock webhook calls ``getMe`` on every
  update) and none at start-up (the stock channel calls ``setWebhook``); the
  webhook is registered once by the operator, with a secret (see README);
- every update must carry the ``X-Telegram-Bot-Api-Secret-Token`` header that
  was given to ``setWebhook``, else 403; a malformed body gets 400;
- buttons become an inline keyboard, one button per row; a button press is
  answered with ``answerCallbackQuery`` and its payload goes to Rasa as the
  user's message; payloads over Telegram's 64-byte limit are sent as a short
  key (a hash of the payload) and mapped back from the buttons stored in the
  conversation's tracker, so any replica resolves it, also after a restart;
- ``/start`` greets, ``/restart`` restarts; texts over 4,096 characters are
  split; photos, stickers, voice, locations and files get a short reply;
  edited messages, group chats and other update kinds are ignored;
- the assessment custom message becomes a plain-text urgency line;
- each turn goes through ``bot.channels.common.handle_user_turn`` (input
  validation, delete-conversation hook, an apology instead of silence).

Configuration (credentials.yml key ``bot.channels.telegram.TelegramInput``):
``access_token``, ``verify`` (bot username), ``webhook_url``, ``secret_token``,
``api_base_url``. A key left out is read from the environment variable named
in ``ENV_VARS``, so no secret lives in the repository. Without a token and a
secret the channel stays off: its webhook answers 503 and says what to set.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from typing import (
    Any,
    Awaitable,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    NamedTuple,
    Optional,
    Text,
)

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer, check_token
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from rasa.shared.core.events import BotUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.cause_table import get_cause_table
from bot import rasa_patches
from bot.channels import common

logger = logging.getLogger(__name__)

TELEGRAM_API = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ENV_VARS = {
    "access_token": "TELEGRAM_ACCESS_TOKEN",
    "verify": "TELEGRAM_BOT_USERNAME",
    "webhook_url": "TELEGRAM_WEBHOOK_URL",
    "secret_token": "TELEGRAM_SECRET_TOKEN",
    "api_base_url": "TELEGRAM_API_BASE_URL",
}
MAX_TEXT_UNITS = 4096  # Telegram's limit, counted in UTF-16 code units
MAX_CALLBACK_BYTES = 64  # Telegram's limit for callback_data
START_MESSAGE = "/greet"
TEXT_ONLY_REPLY = (
    "I can only read text messages. Please describe in words what you feel in "
    "your legs."
)
BUTTON_PROMPT = "Please choose:"

# One line per urgency level, the first line of the assessment summary: the
# label and advice come from the cause table (actions/causes.yml
# `urgency_levels`), the one home of these texts that the widget shows too.
_URGENCY_ICONS = {"emergency": "🚨 ", "urgent": "⚠️ "}
URGENCY_TEXT = {
    level: f"{_URGENCY_ICONS.get(level, '')}{text.label.upper()}: {text.advice.text}"
    for level, text in get_cause_table().urgency_levels.items()
}


def utf16_len(text: Text) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: Text, limit: int = MAX_TEXT_UNITS) -> List[Text]:
    """Split a reply into parts Telegram accepts, preferring paragraph breaks."""
    text = text.strip()
    parts: List[Text] = []
    while utf16_len(text) > limit:
        cut = _fit(text, limit)
        window = text[:cut]
        for separator in ("\n\n", "\n", " "):
            at = window.rfind(separator)
            if at > 0:
                cut = at
                break
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def _fit(text: Text, limit: int) -> int:
    """The largest prefix length (in characters) within ``limit`` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def format_assessment(assessment: Dict[Text, Any]) -> Text:
    """The assessment custom message as one urgency line, Telegram's "banner".

    The causes, doctor and tests already came as the bot's text messages.
    """
    return URGENCY_TEXT.get(str(assessment.get("urgency")), URGENCY_TEXT["urgent"])


CALLBACK_KEY_PREFIX = "cb:"


def callback_key(payload: Text) -> Text:
    """A key for a payload over 64 bytes: the same in every process, every run."""
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]
    return CALLBACK_KEY_PREFIX + digest


def pack_payload(payload: Text) -> Text:
    """A button's callback_data: the payload when short enough, else its key."""
    if len(payload.encode("utf-8")) <= MAX_CALLBACK_BYTES:
        return payload
    return callback_key(payload)


def sent_button_payloads(events: Iterable[Any]) -> Iterator[Text]:
    """Button payloads of the bot messages in a conversation's events, newest first."""
    for event in reversed(list(events)):
        if isinstance(event, BotUttered):
            for button in (event.data or {}).get("buttons") or []:
                if isinstance(button, dict):
                    yield str(button.get("payload") or button.get("title") or "")


async def resolve_callback_data(
    data: Text, agent: Any, sender_id: Text
) -> Optional[Text]:
    """The payload a pressed button stands for; None when it cannot be found.

    A short payload is the callback_data itself. A key is looked up among the
    buttons this conversation was sent, as stored by the tracker store: any
    Rasa server sharing that store resolves it, also after a restart, and a
    chat can only press what it was sent.
    """
    if not data.startswith(CALLBACK_KEY_PREFIX):
        return data
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return None
    tracker = await store.retrieve_full_tracker(sender_id)
    for payload in sent_button_payloads(tracker.events if tracker else ()):
        if len(payload.encode("utf-8")) > MAX_CALLBACK_BYTES:
            if hmac.compare_digest(callback_key(payload), data):
                return payload
    return None


class TelegramOutput(RasaTelegramOutput):
    """Sends replies through the Bot API at ``api_base_url``."""

    def __init__(self, access_token: Text, api_base_url: Text = TELEGRAM_API) -> None:
        Bot.__init__(
            self, access_token, server=TelegramAPIServer.from_base(api_base_url)
        )

    async def send_text_message(
        self, recipient_id: Text, text: Text, **kwargs: Any
    ) -> None:
        """One message per reply, split only past Telegram's length limit."""
        for part in split_text(text):
            await self.send_message(recipient_id, part)

    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: List[Dict[Text, Any]],
        **kwargs: Any,
    ) -> None:
        """Buttons as an inline keyboard (one per row) on the last text part."""
        markup = InlineKeyboardMarkup()
        for button in buttons:
            payload = str(button.get("payload") or button.get("title") or "")
            title = str(button.get("title") or payload)
            markup.row(InlineKeyboardButton(title, callback_data=pack_payload(payload)))
        parts = split_text(text) or [BUTTON_PROMPT]
        for part in parts[:-1]:
            await self.send_message(recipient_id, part)
        await self.send_message(recipient_id, parts[-1], reply_markup=markup)

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        """The assessment as text; other Telegram payloads as Rasa sends them."""
        assessment = json_message.get("assessment")
        if isinstance(assessment, dict):
            await self.send_text_message(recipient_id, format_assessment(assessment))
        elif "delete_conversation" not in json_message:
            await super().send_custom_json(recipient_id, json_message, **kwargs)


class TelegramInput(RasaTelegramInput):
    """Webhook for Telegram updates, guarded by the secret token."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(
        cls, credentials: Optional[Dict[Text, Any]]
    ) -> "TelegramInput":
        """Credentials from credentials.yml, each missing one from its env var."""
        credentials = credentials or {}
        settings = {
            key: credentials.get(key) or os.environ.get(env) or None
            for key, env in ENV_VARS.items()
        }
        return cls(**settings)

    def __init__(
        self,
        access_token: Optional[Text],
        verify: Optional[Text] = None,
        webhook_url: Optional[Text] = None,
        secret_token: Optional[Text] = None,
        api_base_url: Optional[Text] = None,
    ) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode=False)
        self.secret_token = secret_token
        self.api_base_url = api_base_url or TELEGRAM_API
        self.missing = [
            ENV_VARS[key]
            for key, value in (
                ("access_token", access_token),
                ("secret_token", secret_token),
            )
            if not value
        ]
        if access_token and not _token_is_valid(access_token):
            self.missing.append(ENV_VARS["access_token"] + " (a valid bot token)")
        if self.missing:
            logger.warning(
                "Telegram channel is off: set %s (see README, Telegram).",
                " and ".join(self.missing),
            )

    def get_output_channel(self) -> TelegramOutput:
        """An output bound to the configured Bot API; makes no network call."""
        return TelegramOutput(self.access_token, self.api_base_url)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """GET ``/`` (health) and POST ``/webhook`` (updates)."""
        rasa_patches.install()
        telegram = Blueprint("telegram_webhook", __name__)
        out_channel = None if self.missing else self.get_output_channel()

        @telegram.listener("after_server_stop")
        async def close_session(*_: Any) -> None:
            session = getattr(out_channel, "_session", None)  # aiogram's, if opened
            if session is not None and not session.closed:
                await session.close()

        @telegram.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            status = "off" if self.missing else "ok"
            return response.json({"status": status})

        @telegram.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if out_channel is None:
                return response.json(
                    {
                        "error": "Telegram channel is off: set "
                        + ", ".join(self.missing)
                    },
                    status=503,
                )
            if not self._secret_matches(request.headers.get(SECRET_HEADER)):
                return response.json({"error": "forbidden"}, status=403)
            try:
                update = parse_update(request.body)
            except ValueError as error:
                return response.json({"error": f"bad update: {error}"}, status=400)
            try:
                agent = common.get_agent(request.app)
                await self._handle(update, out_channel, Turn(on_new_message, agent))
            except Exception:
                # Telegram resends an update until it gets 200; a poison update
                # must not loop, so the error is logged and the update dropped.
                logger.exception(
                    "Telegram: failed to handle update %s", update.update_id
                )
            return response.json({"ok": True})

        return telegram

    def _secret_matches(self, header: Optional[Text]) -> bool:
        expected = (self.secret_token or "").encode()
        if not header:
            return False
        return hmac.compare_digest(header.encode(), expected)

    async def _handle(
        self,
        update: Update,
        out_channel: TelegramOutput,
        turn: "Turn",
    ) -> None:
        """Route one update: button press, text, or something we only answer."""
        if update.callback_query is not None:
            query = update.callback_query
            await out_channel.answer_callback_query(query.id)
            message = query.message
            if message is None or message.chat.type != "private" or not query.data:
                return
            try:
                sender_id = common.validate_sender_id(message.chat.id)
                payload = await resolve_callback_data(query.data, turn.agent, sender_id)
            except Exception as error:  # the press is answered, never a 500
                logger.error(
                    "Telegram: a button lookup failed (%s)", type(error).__name__
                )
                await out_channel.send_text_message(
                    str(message.chat.id), common.ERROR_STORE_DOWN
                )
                return
            if payload is None:
                await out_channel.send_text_message(
                    str(message.chat.id),
                    "That button has expired. Please type your answer.",
                )
                return
            await turn.run(payload, message.chat.id, out_channel)
            return
        message = update.message
        if message is None or message.chat.type != "private":
            return  # edited messages, channel posts, group chats: ignored
        chat_id = str(message.chat.id)
        if message.text is None:
            await out_channel.send_text_message(chat_id, TEXT_ONLY_REPLY)
            return
        await turn.run(
            self._command_to_text(message.text), message.chat.id, out_channel
        )

    def _command_to_text(self, text: Text) -> Text:
        """``/start`` greets; other commands lose their slash and bot name."""
        if not text.startswith("/"):
            return text
        command, _, rest = text.partition(" ")
        command, _, bot_name = command.partition("@")
        if bot_name and self.verify and bot_name.lower() != self.verify.lower():
            return text
        if command.lower() == "/start":
            return START_MESSAGE
        if command.lower() == "/restart":
            return "/restart"
        return f"{command[1:]} {rest}".strip()


class Turn(NamedTuple):
    """What a user turn needs besides its text: Rasa's callback and agent."""

    on_new_message: Callable[[UserMessage], Awaitable[Any]]
    agent: Any

    async def run(self, text: Text, chat_id: int, out_channel: TelegramOutput) -> None:
        """Validate and handle one user turn (bot.channels.common)."""
        try:
            sender_id = common.validate_sender_id(chat_id)
        except common.InputRejected:
            logger.warning("Telegram: ignored an update with an unusable chat id")
            return
        await common.handle_user_turn(
            self.on_new_message,
            self.agent,
            text=text,
            sender_id=sender_id,
            output_channel=out_channel,
            input_channel=TelegramInput.name(),
        )


def _token_is_valid(token: Text) -> bool:
    try:
        return check_token(token)
    except Exception:  # aiogram raises its ValidationError for a malformed token
        return False


def parse_update(body: bytes) -> Update:
    """A Telegram Update from a request body; ValueError when it is not one."""
    try:
        data = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        # RecursionError: JSON nested thousands deep must be a 400, not a 500.
        raise ValueError("body is not JSON") from error
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        raise ValueError("not an object with an integer update_id")
    for key in ("message", "edited_message", "callback_query"):
        if key in data and not isinstance(data[key], dict):
            raise ValueError(f"{key} is not an object")
    message = data.get("message") or (data.get("callback_query") or {}).get("message")
    if message is not None:
        chat = message.get("chat") if isinstance(message, dict) else None
        if not isinstance(chat, dict) or not isinstance(chat.get("id"), int):
            raise ValueError("message without a chat id")
        if "text" in message and not isinstance(message["text"], str):
            raise ValueError("message text is not a string")
    query = data.get("callback_query")
    if query is not None:
        if not isinstance(query.get("id"), str):
            raise ValueError("callback_query without an id")
        if not isinstance(query.get("data", ""), str):
            raise ValueError("callback_query data is not a string")
    try:
        return Update(**data)
    except (TypeError, ValueError, RecursionError) as error:
        raise ValueError(str(error)) from error
