"""Input validation and after-turn hooks shared by every channel.

Why this exists: stock Rasa 3.6 channels trust their input. An empty or non-object
REST body gives a 500, and a sender id holding a lone surrogate (``"\\ud800"``) makes
the SQL tracker store raise a ``UnicodeEncodeError`` (a ``ValueError``), which its
``session_scope`` turns into ``sys.exit(1)``: one request kills the server. Every
channel therefore runs a user turn through :func:`handle_user_turn`, which

1. checks the sender id (type, length, charset) and the text (type, empty, length,
   control characters, lone surrogates) before anything reaches Rasa;
2. answers a tracker store that fails closed (bot/rasa_patches.py): instead of
   Rasa's silent fresh in-memory conversation when the database is down, the turn
   gets :class:`TrackerStoreUnavailable` and we tell the user plainly;
3. forwards bot messages through :class:`GuardedOutputChannel`, which drops the
   private ``{"delete_conversation": true}`` payload (domain response
   ``utter_delete_my_data``) and remembers that the user asked for deletion;
4. after the turn deletes the conversation when asked, and apologises when the turn
   produced no bot message at all, so the user is never met with silence;
5. names each outage in its own words: the conversation store (database) down,
   the lock store (Redis) down, or the action server restarting. With either
   store down no turn runs, but a red flag still gets the emergency prompt first
   (found from the message alone). When the action server cannot be reached the
   turn still runs and is stored (rules such as the emergency prompt need no
   action server); what the custom action would have
   said is replaced by :data:`NOTICE_ACTIONS_RESTARTING`.

Channels use it like this (inside a Sanic handler)::

    sender_id = validate_sender_id(raw_sender)          # raises InputRejected
    outcome = await handle_user_turn(
        on_new_message, get_agent(request.app), text=raw_text,
        sender_id=sender_id, output_channel=my_output, input_channel=self.name(),
        metadata=metadata)
"""

from __future__ import annotations

import logging
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.lock_store import LockError
from rasa.core.tracker_store import (
    AwaitableTrackerStore,
    FailSafeTrackerStore,
    InMemoryTrackerStore,
    RedisTrackerStore,
    SQLTrackerStore,
    TrackerStore,
)
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from redis.exceptions import RedisError

from bot import rasa_patches
from bot.rasa_patches import TrackerStoreUnavailable

logger = logging.getLogger(__name__)

#: The one setting for a message's length: up to this many characters are read
#: (people paste their whole history); beyond it the first this many are read
#: and the person is told. Channels' body-size and nesting limits stay.
MAX_TEXT_CHARS = 5000
MAX_SENDER_ID_CHARS = 128
# Letters, digits and the separators seen in real ids: UUIDs, socket.io session ids
# (base64url), Telegram chat ids (may be negative), e-mail-like ids.
SENDER_ID_PATTERN = re.compile(r"[A-Za-z0-9_.:@+=-]{1,%d}" % MAX_SENDER_ID_CHARS)
DELETE_KEY = "delete_conversation"
EMERGENCY_RESPONSE = "utter_emergency"
RED_FLAG_INTENT = "report_red_flag"  # set by bot/nlu/red_flag_detector.py
RED_FLAG_SLOT = "red_flag"  # filled from the detector's entity of that name
CHECK_RED_FLAG_RESPONSE = "utter_check_red_flag"  # a possible red flag's question
# Domain responses always sent, even after a failed action in the same turn: the
# emergency prompt and a possible red flag's confirming question need no action
# server, so an action server that is down must not silence them.
SAFETY_RESPONSES = frozenset({EMERGENCY_RESPONSE, CHECK_RED_FLAG_RESPONSE})

NOTICE_TRUNCATED = (
    f"Your message was very long, so I read only its first {MAX_TEXT_CHARS:,} "
    "characters. If something important came later, please send it in a new "
    "message."
)
REFUSAL_EMPTY = (
    "I didn't receive any text. Please type your question, for example where "
    "your legs feel numb and since when."
)
APOLOGY_NO_REPLY = (
    "Sorry, something went wrong on my side and I could not answer that just now. "
    "Please try again in a moment. If this is an emergency, call emergency "
    "services now."
)
ERROR_STORE_DOWN = (
    "Sorry, I can't reach my conversation memory right now, so I can't continue "
    "our conversation safely. Please try again in a few minutes. If this is an "
    "emergency, call emergency services now."
)
ERROR_LOCK_DOWN = (
    "Sorry, the part of me that keeps your messages in order isn't reachable "
    "right now, so I haven't taken in that message. Our conversation so far is "
    "safe. Please send it again in a minute. If this is an emergency, call "
    "emergency services now."
)
NOTICE_ACTIONS_RESTARTING = (
    "Sorry, part of me is restarting, so I can't answer that fully just now. "
    "Your message is kept in our conversation. In a minute, send it again or "
    "carry on, and I'll continue where we left off. If this is an emergency, "
    "call emergency services now."
)
ERROR_UNEXPECTED = APOLOGY_NO_REPLY
DELETED_CONFIRMATION_FALLBACK = "Your conversation has been deleted."

# C0/C1 controls become nothing (tab and line breaks become a space); bidi overrides
# and isolates are removed because they can disguise text in logs and transcripts;
# the BOM is removed. Zero-width joiners stay: emoji sequences need them.
_BIDI_AND_BOM = re.compile("[\u202a-\u202e\u2066-\u2069\ufeff]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_WHITESPACE_CONTROLS = str.maketrans({"\t": " ", "\n": " ", "\r": " ", "\x0b": " "})


class InputRejected(RasaException):
    """The request cannot be handled at all (wrong type, bad sender id)."""

    def __init__(self, reason: str, field_name: str) -> None:
        """Keeps a short, user-safe reason and the offending field's name."""
        super().__init__(reason)
        self.reason = reason
        self.field_name = field_name


@dataclass
class CheckedText:
    """The text to hand to Rasa, or the polite refusal to send instead."""

    text: Optional[str]
    refusal: Optional[str] = None
    #: Said after the reply: the text was cut to MAX_TEXT_CHARS.
    notice: Optional[str] = None


@dataclass
class TurnOutcome:
    """What happened in one user turn, for the channel to map onto its protocol."""

    status: str  # "ok" | "refused" | "store_down" | "lock_down" | "error"
    actions_down: bool = False  # the action server could not be reached
    outage_replies: int = 0  # trailing messages that answer a refused turn
    deleted: bool = False
    apologised: bool = False
    messages: List[Dict[str, Any]] = field(default_factory=list)


def strip_unsafe_chars(text: str) -> str:
    """Replaces lone surrogates and removes control characters.

    Lone surrogates cannot be encoded as UTF-8 and crash database drivers; control
    characters have no meaning in a chat message and can forge log lines.
    """
    text = _SURROGATES.sub("\ufffd", text)
    text = text.translate(_WHITESPACE_CONTROLS)
    text = _BIDI_AND_BOM.sub("", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc")
    return unicodedata.normalize("NFC", text).strip()


def check_text(raw: Any) -> CheckedText:
    """Validates a user message text.

    Raises InputRejected when it is not a string (a protocol error); returns a
    refusal for empty text. Over-long text is cut to its first MAX_TEXT_CHARS
    characters, with a notice for the person; the rest is not passed on and so
    never stored.
    """
    if not isinstance(raw, str):
        raise InputRejected("The message text must be a string.", "message")
    # Cheap bound for huge inputs: no cleaning pass over a megabyte.
    cleaned = strip_unsafe_chars(raw.lstrip()[: 4 * MAX_TEXT_CHARS])
    if not cleaned:
        return CheckedText(None, REFUSAL_EMPTY)
    if len(cleaned) > MAX_TEXT_CHARS:
        return CheckedText(cleaned[:MAX_TEXT_CHARS].rstrip(), notice=NOTICE_TRUNCATED)
    return CheckedText(cleaned)


def validate_sender_id(raw: Any) -> str:
    """Returns the sender id when it is safe to use as a database key.

    Integers are accepted (Telegram chat ids) and turned into strings.
    """
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise InputRejected("The sender id must be a string.", "sender")
    sender_id = str(raw)
    if not SENDER_ID_PATTERN.fullmatch(sender_id):
        raise InputRejected(
            "The sender id must be 1 to 128 characters: letters, digits or _.:@+=-",
            "sender",
        )
    return sender_id


def is_delete_request(custom: Any) -> bool:
    """True when a custom payload asks to delete the conversation."""
    return isinstance(custom, dict) and custom.get(DELETE_KEY) is True


class GuardedOutputChannel(OutputChannel):
    """Forwards bot messages to the real output channel, minus private payloads.

    It notes a delete request instead of forwarding it, and counts what was sent
    so the turn can apologise for silence.
    """

    def __init__(self, inner: OutputChannel) -> None:
        """Wraps the channel's own output channel."""
        self.inner = inner
        self.delete_requested = False
        self.messages_sent = 0
        self.failed_actions: List[str] = []  # custom actions the server missed

    def name(self) -> str:
        """Keeps the wrapped channel's name so channel-specific responses work."""
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        """Drops the delete payload, forwards the rest."""
        message = dict(message)
        custom = message.get("custom")
        if isinstance(custom, dict) and is_delete_request(custom):
            self.delete_requested = True
            rest = {k: v for k, v in custom.items() if k != DELETE_KEY}
            if rest:
                message["custom"] = rest
            else:
                message.pop("custom")
        if not any(message.get(key) for key in _VISIBLE_KEYS):
            return
        if self.failed_actions and message.get("utter_action") not in SAFETY_RESPONSES:
            # Predicted without the failed action's events: a guess, not an answer.
            return
        self.messages_sent += 1
        await self.inner.send_response(recipient_id, message)

    async def send_text_message(
        self, recipient_id: str, text: str, **kwargs: Any
    ) -> None:
        """Sends plain text (used for refusals and apologies)."""
        self.messages_sent += 1
        await self.inner.send_text_message(recipient_id, text, **kwargs)


_VISIBLE_KEYS = ("text", "buttons", "quick_replies", "custom", "image", "attachment")


def get_agent(app: Any) -> Any:
    """The Rasa agent of a Sanic app, or None (e.g. in unit tests)."""
    ctx = getattr(app, "ctx", None)
    return getattr(ctx, "agent", None)


# Rasa warns with the whole user line when a "/intent{...}" message is malformed
# (rasa/shared/core/training_data/story_reader/yaml_story_reader.py); anyone can type
# such a line, so those warnings would put user text in the logs.
_USER_TEXT_WARNINGS = (
    r"Failed to parse arguments in line",
    r"Expected confidence to be",
)
_privacy_filters_installed = False
# Rasa's structlog events render as JSON; some at WARNING quote the user's text
# (e.g. "message.parsing.failed" with "user_text" for a message like "/").
_TEXT_FIELDS = re.compile(r'"(user_text|text|message)": "(?:[^"\\]|\\.)*"')


class UserTextRedactor(logging.Filter):
    """Replaces user text in log records at INFO and above with <withheld>.

    DEBUG records keep it: debugging a conversation needs the text, and DEBUG is
    never the production level (docs/deploy.md).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrites the record in place; never drops it."""
        if record.levelno < logging.INFO:
            return True
        try:
            message = record.getMessage()
        except Exception:
            return True
        redacted = _TEXT_FIELDS.sub(r'"\1": "<withheld>"', message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def install_privacy_filters() -> None:
    """Keeps user text out of logs at INFO and above; idempotent.

    Silences the Rasa warnings that quote user text and puts a UserTextRedactor
    on every log handler configured so far (Rasa configures logging before any
    channel handles a message).
    """
    global _privacy_filters_installed
    if _privacy_filters_installed:
        return
    for pattern in _USER_TEXT_WARNINGS:
        warnings.filterwarnings("ignore", message=pattern)
    redactor = UserTextRedactor()
    loggers = [logging.getLogger()] + [
        item
        for item in logging.Logger.manager.loggerDict.values()
        if isinstance(item, logging.Logger)
    ]
    for each in loggers:
        for handler in each.handlers:
            if not any(isinstance(f, UserTextRedactor) for f in handler.filters):
                handler.addFilter(redactor)
    _privacy_filters_installed = True


def _unwrap(store: TrackerStore) -> TrackerStore:
    while isinstance(store, (FailSafeTrackerStore, AwaitableTrackerStore)):
        store = store._tracker_store
    return store


async def delete_conversation(agent: Any, sender_id: str) -> int:
    """Deletes every stored event of one conversation; returns how many went.

    Supports the SQL (SQLite, PostgreSQL), in-memory and Redis tracker stores;
    also clears any copy the fail-safe wrapper kept in memory. Runs under the
    conversation's lock so it cannot interleave with a turn in progress.
    """
    sender_id = validate_sender_id(sender_id)
    wrapper = agent.tracker_store
    store = _unwrap(wrapper)
    async with agent.lock_store.lock(sender_id):
        count = _delete_from_store(store, sender_id)
        fallback = getattr(wrapper, "_fallback_tracker_store", None)
        if fallback is not None:
            count += _delete_from_store(fallback, sender_id)
    logger.info("Deleted a conversation on the user's request (%d records).", count)
    return count


def _delete_from_store(store: TrackerStore, sender_id: str) -> int:
    forget = getattr(store, "forget", None)  # a store's in-memory copy goes too
    if callable(forget):
        forget(sender_id)
    if isinstance(store, SQLTrackerStore):
        with store.session_scope() as session:
            count = (
                session.query(store.SQLEvent)
                .filter(store.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
            return int(count)
    if isinstance(store, InMemoryTrackerStore):
        return 1 if store.store.pop(sender_id, None) is not None else 0
    if isinstance(store, RedisTrackerStore):
        return int(store.red.delete(store.key_prefix + sender_id))
    raise NotImplementedError(
        f"Deleting conversations is not supported for {type(store).__name__}."
    )


async def conversation_exists(agent: Any, sender_id: str) -> bool:
    """True when the tracker store holds events for this conversation."""
    tracker = await agent.tracker_store.retrieve_full_tracker(sender_id)
    return tracker is not None and len(tracker.events) > 0


async def emergency_prompt_for(
    agent: Any, text: str, sender_id: str, channel_name: str
) -> Optional[Dict[str, Any]]:
    """The emergency prompt when the message holds a red flag, else None.

    Needs no tracker store, lock store or action server: the message is parsed
    by the NLU pipeline (whose last stage screens for red flags) and the domain
    response is rendered for a tracker holding only the red flag.
    """
    if agent is None or getattr(agent, "processor", None) is None:
        return None
    try:
        parsed = await agent.parse_message(text)
        if (parsed.get("intent") or {}).get("name") != RED_FLAG_INTENT:
            return None
        flags = [
            entity.get("value")
            for entity in parsed.get("entities") or []
            if entity.get("entity") == RED_FLAG_SLOT
        ]
        events = [SlotSet(RED_FLAG_SLOT, flags[0])] if flags else []
        tracker = DialogueStateTracker.from_events(
            sender_id, events, slots=agent.domain.slots
        )
        return await agent.nlg.generate(EMERGENCY_RESPONSE, tracker, channel_name)
    except Exception as error:  # the outage message still goes out
        logger.error("Red-flag screening of a refused turn failed (%s).", error)
        return None


async def _refuse_turn(
    guard: GuardedOutputChannel, agent: Any, text: str, sender_id: str, error: str
) -> int:
    """Sends the emergency prompt (red flags only), then ``error``; returns how many."""
    sent = 0
    prompt = await emergency_prompt_for(agent, text, sender_id, guard.name())
    if prompt:
        await guard.inner.send_response(sender_id, prompt)
        sent += 1
    await guard.send_text_message(sender_id, error)
    return sent + 1


async def handle_user_turn(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    agent: Any,
    *,
    text: Any,
    sender_id: str,
    output_channel: OutputChannel,
    input_channel: str,
    metadata: Optional[Dict[str, Any]] = None,
) -> TurnOutcome:
    """Runs one validated user turn and its after-turn hooks.

    ``sender_id`` must already have passed :func:`validate_sender_id`; ``text`` is
    checked here (InputRejected when it is not a string). Refusals, apologies and
    errors are sent through ``output_channel`` as ordinary bot text, so every
    channel shows them the same way.
    """
    install_privacy_filters()  # also catches log handlers added after start
    checked = check_text(text)
    guard = GuardedOutputChannel(output_channel)
    if checked.refusal is not None:
        await guard.send_text_message(sender_id, checked.refusal)
        return TurnOutcome(status="refused")
    text = checked.text
    assert text is not None  # no refusal: the checked text is there
    message = UserMessage(
        text,
        guard,
        sender_id,
        input_channel=input_channel,
        metadata=metadata,
    )
    token = rasa_patches.unreachable_actions.set(guard.failed_actions)
    try:
        await on_new_message(message)
    except TrackerStoreUnavailable:
        sent = await _refuse_turn(guard, agent, text, sender_id, ERROR_STORE_DOWN)
        return TurnOutcome(status="store_down", outage_replies=sent)
    except (LockError, RedisError) as error:
        logger.error(
            "Lock store error (%s); the turn was not run.", type(error).__name__
        )
        sent = await _refuse_turn(guard, agent, text, sender_id, ERROR_LOCK_DOWN)
        return TurnOutcome(status="lock_down", outage_replies=sent)
    except Exception as error:  # the user gets an answer, the log gets the type
        logger.error(
            "A turn failed (%s); the user got an apology.", type(error).__name__
        )
        logger.debug("Turn failure details", exc_info=True)
        await guard.send_text_message(sender_id, ERROR_UNEXPECTED)
        return TurnOutcome(status="error", apologised=True)
    finally:
        rasa_patches.unreachable_actions.reset(token)
    outcome = TurnOutcome(status="ok")
    if guard.failed_actions:
        logger.error(
            "The action server could not be reached for %s; the turn is stored and "
            "the user was told part of the assistant is restarting.",
            ", ".join(guard.failed_actions),
        )
        await guard.send_text_message(sender_id, NOTICE_ACTIONS_RESTARTING)
        outcome.actions_down = True
    if guard.delete_requested and agent is not None:
        try:
            await delete_conversation(agent, sender_id)
            outcome.deleted = True
        except Exception as error:
            logger.error("Deleting a conversation failed (%s).", type(error).__name__)
            await guard.send_text_message(sender_id, ERROR_STORE_DOWN)
            outcome.status = "store_down"
            return outcome
    if guard.messages_sent == 0:
        await guard.send_text_message(sender_id, APOLOGY_NO_REPLY)
        outcome.apologised = True
    if checked.notice is not None and not outcome.deleted:
        # After the reply, so an emergency prompt stays first.
        await guard.send_text_message(sender_id, checked.notice)
    return outcome
