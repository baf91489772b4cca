"""Every replacement of Rasa 3.6 internals, in one place, behind one version guard.

Rasa 3.6 has no extension point for these behaviours, so we replace private or
internal code. Each override below says what it buys, measured where it is a
speed-up (reports/bench.md, ``make bench``). All of them assume Rasa's 3.6 code:
:func:`require_pinned_rasa` stops start-up with a clear message on any other
Rasa, before anything is replaced.

:func:`install` puts the runtime overrides in place once per process. It is called
at start by the components Rasa builds from our configuration: every input channel
(``blueprint``, once per server), the tracker store (so ``rasa shell`` and the HTTP
API get them too) and ``python -m bot.serve``. Tests switch single overrides on and
off with their ``on`` argument.

Runtime overrides (functions here):

* :func:`use_cached_action_validation`: ``RemoteAction._validate_action_result``.
* :func:`report_unreachable_actions`: ``RemoteAction.run``.
* :func:`fail_closed_tracker_store`: ``FailSafeTrackerStore.on_tracker_store_error``
  and ``on_tracker_store_retrieve_error``.
* :func:`pass_earlier_facts_to_nlu`: ``MessageProcessor.parse_message``.
* :func:`default_auth_token`: ``rasa.__main__.create_argument_parser``.

Overrides by subclass, configured by class path and kept with their own tests in
their modules; each calls :func:`require_pinned_rasa` when it is built:

* ``bot.tracker_store.CachingSQLTrackerStore`` (``SQLTrackerStore.retrieve``,
  ``save``, the private ``_additional_events``, and its engine);
* ``bot.lock_store.AtomicRedisLockStore`` (``RedisLockStore``'s ticket updates and
  the private ``_acquire_lock``).

The channels in ``bot/channels/`` subclass Rasa's public channel classes (one
private method: ``SocketIOOutput._send_message`` in ``webchat.py``, to collect the
history replay); their ``blueprint`` calls :func:`install`, so the guard covers them.
"""

from __future__ import annotations

import argparse
import contextvars
import functools
import logging
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import aiohttp
import rasa
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.exceptions import RasaException

logger = logging.getLogger(__name__)

#: The Rasa release line these overrides were written against (requirements.txt).
PINNED_RASA = "3.6."

_RASA_VALIDATE = RemoteAction._validate_action_result
_RASA_RUN = RemoteAction.run
_RASA_ON_STORE_ERROR = FailSafeTrackerStore.on_tracker_store_error
_RASA_ON_RETRIEVE_ERROR = FailSafeTrackerStore.on_tracker_store_retrieve_error
_RASA_PARSE_MESSAGE = MessageProcessor.parse_message

_installed = False


def require_pinned_rasa(version: Optional[str] = None) -> None:
    """Stops start-up (SystemExit) unless Rasa is the pinned 3.6.x."""
    version = rasa.__version__ if version is None else version
    if not version.startswith(PINNED_RASA):
        raise SystemExit(
            f"This assistant needs Rasa {PINNED_RASA}x (requirements.txt) but Rasa "
            f"{version} is installed. bot/rasa_patches.py replaces Rasa {PINNED_RASA}x "
            "internals; check each override against the new Rasa before changing "
            "the pin."
        )


def install() -> None:
    """Checks the Rasa version, then puts each runtime override in place; idempotent."""
    global _installed
    if _installed:
        return
    require_pinned_rasa()
    use_cached_action_validation()
    report_unreachable_actions()
    fail_closed_tracker_store()
    pass_earlier_facts_to_nlu()
    _installed = True


def remove() -> None:
    """Puts Rasa's own code back (tests, so no override leaks between them)."""
    global _installed
    use_cached_action_validation(False)
    report_unreachable_actions(False)
    fail_closed_tracker_store(False)
    pass_earlier_facts_to_nlu(False)
    _installed = False


# --- Action-server responses: one validator, built once ----------------------


@functools.lru_cache(maxsize=1)
def action_response_validator() -> Any:
    """One validator for Rasa's own action-server response schema."""
    schema = RemoteAction.action_response_format_spec()
    return validator_for(schema)(schema)


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` without rebuilding the validator."""
    try:
        action_response_validator().validate(result)
    except ValidationError as error:
        error.message += ". Failed to validate Action server response from API."
        raise
    return True


def use_cached_action_validation(on: bool = True) -> None:
    """Validates action-server responses with one validator built once.

    Why: Rasa 3.6 calls ``jsonschema.validate()`` on every action-server response,
    which builds a new validator and checks the schema against the meta-schema each
    time. In ``make bench`` (reports/bench.md, "Action-server response validation")
    that was 36.4 ms of a 68.5 ms turn; with one validator it is 2.3 ms of 32.3 ms.
    Same schema, same ``ValidationError``. ``on=False`` restores Rasa's (A/B).
    """
    RemoteAction._validate_action_result = (
        validate_action_result if on else _RASA_VALIDATE
    )


# --- Action server unreachable: tell the running turn -------------------------

#: The running turn's list of custom actions whose server could not be reached;
#: None outside a turn. Each turn runs in its own task, so each sees its own list.
unreachable_actions: contextvars.ContextVar[Optional[List[str]]] = (
    contextvars.ContextVar("unreachable_actions", default=None)
)


def is_unreachable(error: BaseException) -> bool:
    """True when a failed action call never got an answer from the action server.

    Rasa raises a RasaException from (or during) aiohttp's connection error when
    the server is down or died mid-call; a proxy in front answers 502/503/504.
    """
    for cause in (error.__cause__, error.__context__):
        if isinstance(cause, aiohttp.ClientConnectionError):
            return True
        if isinstance(cause, aiohttp.ClientResponseError) and cause.status in (
            502,
            503,
            504,
        ):
            return True
    return False


@functools.wraps(_RASA_RUN)
async def _run_reporting_unreachable(
    self: RemoteAction, *args: Any, **kwargs: Any
) -> Any:
    try:
        return await _RASA_RUN(self, *args, **kwargs)
    except RasaException as error:
        failed = unreachable_actions.get()
        if failed is not None and is_unreachable(error):
            failed.append(self.name())
        raise


def report_unreachable_actions(on: bool = True) -> None:
    """Records in :data:`unreachable_actions` each custom action that got no answer.

    Why: Rasa 3.6 logs a failed call to the action server and carries on with the
    action's events lost; the turn cannot tell the user why its answer is missing.
    With this, the channel says part of the assistant is restarting
    (``make test-reliability``: action server killed mid-conversation).
    """
    RemoteAction.run = _run_reporting_unreachable if on else _RASA_RUN


# --- Tracker store errors: fail closed ---------------------------------------


class TrackerStoreUnavailable(RasaException):
    """The tracker store failed; raised instead of Rasa's silent in-memory fallback."""


def _raise_store_error(self: FailSafeTrackerStore, error: Exception) -> None:
    logger.error(
        "Tracker store error (%s); refusing the turn instead of falling back to "
        "memory.",
        type(error).__name__,
    )
    raise TrackerStoreUnavailable(str(type(error).__name__)) from error


def fail_closed_tracker_store(on: bool = True) -> None:
    """Makes a tracker store error raise :class:`TrackerStoreUnavailable`.

    Why: Rasa wraps the configured store in ``FailSafeTrackerStore``, whose answer
    to a database error is no tracker (the conversation appears to start over)
    and saving into memory only. For a health conversation that is wrong: the
    user gets a clear error and the stored history stays untouched
    (``make test-reliability``: database removed mid-conversation).
    """
    FailSafeTrackerStore.on_tracker_store_error = (
        _raise_store_error if on else _RASA_ON_STORE_ERROR
    )
    FailSafeTrackerStore.on_tracker_store_retrieve_error = (
        _raise_store_error if on else _RASA_ON_RETRIEVE_ERROR
    )


# --- NLU: the conversation's facts so far reach the red-flag screen -----------

#: Message metadata keys the red-flag screen (bot/nlu/red_flag_detector.py) reads.
EARLIER_FACTS_KEY = "earlier_facts"
EARLIER_DURATION_KEY = "earlier_duration"
DENIED_CHECKS_KEY = "denied_red_flag_checks"
AWAITED_CHECK_KEY = "awaited_red_flag_check"
#: The slots that hold them (domain.yml).
_FACT_SLOTS = {EARLIER_FACTS_KEY: "facts_present", EARLIER_DURATION_KEY: "duration"}
#: The slot of the last message's possible red flags (domain.yml).
_QUEUE_SLOT = "queued_red_flags"
#: The intent and entity of a possible red flag's check (domain.yml), and the
#: entity that marks a "no" to one check that asks the next queued one instead.
CHECK_INTENT = "check_red_flag"
POSSIBLE_ENTITY = "possible_red_flag"
DENIED_ENTITY = "denied_red_flag"
#: The intent and entity of definite evidence, and a button answer's entity.
RED_FLAG_INTENT = "report_red_flag"
RED_FLAG_ENTITY = "red_flag"
ANSWER_ENTITY = "answer"
#: The possible red flag's question, the slot naming its flag, and the replies
#: that answer it no, or take a no back (domain.yml, bot/data/rules_red_flags.yml).
_CHECK_ACTION = "utter_check_red_flag"
_UNANSWERED_ACTION = "utter_red_flag_unanswered"
_CHECK_SLOT = "possible_red_flag"
_NO_INTENTS = frozenset({"deny"})
_TAKEN_BACK_INTENTS = frozenset({"affirm_after_all"})


def _answers_no(event: Any, intent: Optional[str]) -> bool:
    """True when a reply to a check question says no: a `deny`, or a message
    that asks the next queued check and marks the one it answered no."""
    if intent in _NO_INTENTS:
        return True
    entities = (getattr(event, "parse_data", None) or {}).get("entities") or ()
    return any(entity.get("entity") == DENIED_ENTITY for entity in entities)


def denied_red_flag_checks(events: Any) -> List[str]:
    """The red flags whose check question this person has answered no (or left
    unanswered twice, when they were told what to do on a yes).

    Why: a person who answered no to a red flag's question and then tells the
    same story again (or more of it) should not be asked the same question on
    every message; a definite red flag still gets the prompt, and a "yes after
    all" takes every no back. The general check's flag is "unnamed".
    """
    denied: List[str] = []
    flag: Optional[str] = None
    waiting: Optional[str] = None
    for event in events or ():
        kind = getattr(event, "type_name", None)
        if kind == "slot" and getattr(event, "key", None) == _CHECK_SLOT:
            flag = event.value
        elif kind == "action" and getattr(event, "action_name", None) == _CHECK_ACTION:
            waiting = flag
        elif (
            kind == "action"
            and getattr(event, "action_name", None) == _UNANSWERED_ACTION
            and flag
            and flag not in denied
        ):
            denied.append(flag)
        elif kind == "user":
            intent = (getattr(event, "intent", None) or {}).get("name")
            if intent in _TAKEN_BACK_INTENTS:
                denied = []
            elif waiting and waiting not in denied and _answers_no(event, intent):
                denied.append(waiting)
            waiting = None
    return denied


def awaited_red_flag_check(events: Any) -> Optional[str]:
    """The red flag whose check question is the bot's last word, if any.

    Why: a reply to that question which the classifier alone reads as a red flag
    is an unclear answer to it, not a new reason to ask it again (never a loop).
    """
    flag: Optional[str] = None
    waiting: Optional[str] = None
    for event in events or ():
        kind = getattr(event, "type_name", None)
        name = getattr(event, "action_name", None)
        if kind == "slot" and getattr(event, "key", None) == _CHECK_SLOT:
            flag = event.value
        elif kind == "action" and name == _CHECK_ACTION:
            waiting = flag
        elif kind == "user" or (kind == "action" and name != "action_listen"):
            waiting = None
    return waiting


def ask_next_queued_check(
    parse_data: Dict[str, Any],
    awaited: Optional[str],
    answered_no: Sequence[str],
    queued: Sequence[str],
) -> Dict[str, Any]:
    """A "no" to one possible red flag's check that leaves others of the same
    message unasked becomes the next one's check.

    Why: a message can hold the cues of two red flags (a cast word and an arm
    word), and the dialogue asks one question at a time; without this the
    second waited for the final general check, questions later. The reply's
    intent becomes `check_red_flag` with the flags still queued as
    `possible_red_flag` entities (the next to ask last, as the screen emits
    them) and a `denied_red_flag` entity naming the check it answered no
    (`denied_red_flag_checks`). A button's "/deny" is never parsed by the NLU
    pipeline, so this runs on every parse, not in a component.
    """
    intent = (parse_data.get("intent") or {}).get("name")
    if not awaited or intent not in _NO_INTENTS:
        return parse_data
    waiting = [f for f in queued if f not in answered_no and f != awaited]
    if not waiting:
        return parse_data
    marks = [(POSSIBLE_ENTITY, flag) for flag in waiting] + [(DENIED_ENTITY, awaited)]
    return _with_intent(parse_data, CHECK_INTENT, marks)


def _with_intent(
    parse_data: Dict[str, Any], intent: str, marks: Sequence[Tuple[str, str]]
) -> Dict[str, Any]:
    """The parse with `intent` (the original kept in the ranking) and one
    whole-message entity per (entity, value) of `marks`."""
    end = len(parse_data.get("text") or "")
    chosen = {"name": intent, "confidence": 1.0}
    return {
        **parse_data,
        "intent": chosen,
        "intent_ranking": [
            chosen,
            *(parse_data.get("intent_ranking") or [parse_data["intent"]]),
        ],
        "entities": [
            *(parse_data.get("entities") or []),
            *(
                {"entity": kind, "value": value, "start": 0, "end": end}
                for kind, value in marks
            ),
        ],
    }


def screen_button_answer(
    parse_data: Dict[str, Any],
    earlier: Sequence[str],
    earlier_duration: Optional[str],
) -> Dict[str, Any]:
    """A button's answer is screened for red flags with the conversation's facts.

    Why: a payload (`/affirm{"answer": "leg_pain:0"}`) never goes through the
    NLU pipeline, so its red-flag screen never saw the pain that makes a thigh
    swollen since a knock a compartment emergency; only the action server's
    assessment did. Definite evidence sets `report_red_flag` and its `red_flag`
    entities, as for typed words, so the rules give the prompt first. A screen
    that fails, fails closed: the general check, every red flag in one question.
    """
    from bot.nlu.screening import screen_in_context

    entities = parse_data.get("entities") or []
    intent = (parse_data.get("intent") or {}).get("name")
    if intent == RED_FLAG_INTENT or not any(
        e.get("entity") == ANSWER_ENTITY for e in entities
    ):
        return parse_data
    try:
        screen = screen_in_context(entities, earlier, earlier_duration)
    except Exception:  # any bug must ask, never stay silent
        logger.exception("red-flag screen of a button answer failed")
        return _with_intent(parse_data, CHECK_INTENT, [])
    if not screen.definite:
        return parse_data
    marks = [(RED_FLAG_ENTITY, flag) for flag in screen.definite]
    return _with_intent(parse_data, RED_FLAG_INTENT, marks)


@functools.wraps(_RASA_PARSE_MESSAGE)
async def _parse_message_with_earlier_facts(
    self: MessageProcessor,
    message: Any,
    tracker: Any = None,
    only_output_properties: bool = True,
) -> Dict[str, Any]:
    slots = {
        key: tracker.get_slot(slot) if tracker is not None else None
        for key, slot in _FACT_SLOTS.items()
    }
    earlier = {key: value for key, value in slots.items() if value}
    # this conversation's events only (a restart or a new session forgets)
    events = tracker.applied_events() if tracker is not None else ()
    denied = denied_red_flag_checks(events)
    if denied:
        earlier[DENIED_CHECKS_KEY] = denied
    awaited = awaited_red_flag_check(events)
    if awaited:
        earlier[AWAITED_CHECK_KEY] = awaited
    original = message.metadata
    if earlier:
        message.metadata = {**(original or {}), **earlier}
    try:
        parsed = await _RASA_PARSE_MESSAGE(
            self, message, tracker, only_output_properties
        )
    finally:
        message.metadata = original
    if message.text and message.text.startswith(INTENT_MESSAGE_PREFIX):
        parsed = screen_button_answer(
            parsed,
            slots.get(EARLIER_FACTS_KEY) or (),
            slots.get(EARLIER_DURATION_KEY),
        )
    queued = tracker.get_slot(_QUEUE_SLOT) if awaited else None
    return ask_next_queued_check(parsed, awaited, denied, queued or ())


def pass_earlier_facts_to_nlu(on: bool = True) -> None:
    """Gives the NLU the facts the conversation holds so far, in message metadata.

    Why: Rasa 3.6 parses each message alone (NLU components see the message's
    text and metadata, never the tracker), so the red-flag screen read a reply
    like "it came on suddenly, it feels weak" without the "legs crossed for
    hours" told turns before, and could not see a red flag told across two
    turns. The metadata is added for the parse only and taken off again, so it
    is not stored with the message. The red flags whose check question the
    person already answered no come too (`denied_red_flag_checks`). A "no" to
    one check that leaves another possible red flag unasked asks that one
    (`ask_next_queued_check`).
    ``on=False`` restores Rasa's.
    """
    MessageProcessor.parse_message = (
        _parse_message_with_earlier_facts if on else _RASA_PARSE_MESSAGE
    )


# --- `rasa run`: the API token from the environment, never argv --------------


def _subcommand(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and name in action.choices:
            return action.choices[name]
    raise RuntimeError(f"rasa has no `{name}` command")


def default_auth_token(token: Optional[str]) -> Callable[[], argparse.ArgumentParser]:
    """Makes ``token`` the default of ``rasa run --auth-token``; returns the parser.

    Why: ``--auth-token SECRET`` on the command line is in the process list, which
    every user of the machine can read with ``ps`` (``make test-integration``:
    no token in ps). Rasa 3.6 reads the token from argv only.
    """
    import rasa.__main__ as rasa_main

    create_parser = rasa_main.create_argument_parser

    def parser_with_secret_default() -> argparse.ArgumentParser:
        parser = create_parser()
        _subcommand(parser, "run").set_defaults(auth_token=token)
        return parser

    rasa_main.create_argument_parser = parser_with_secret_default
    return parser_with_secret_default
