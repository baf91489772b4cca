"""bot/rasa_patches.py: each override of Rasa 3.6 buys the behaviour it claims.

Each test shows Rasa's own behaviour and the overridden one side by side; the
autouse fixture in tests/conftest.py puts Rasa's code back after each test.
"""

from __future__ import annotations

import argparse

import aiohttp
import pytest
import rasa
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Restarted, SlotSet, UserUttered
from rasa.shared.core.slots import ListSlot, TextSlot
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_patches
from bot.channels.rest import GuardedRestInput
from bot.tracker_store import CachingSQLTrackerStore

GOOD = {"events": [{"event": "slot", "name": "age", "value": 40}], "responses": []}
BAD = [
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"responses": [{"text": 5, "buttons": "x"}], "events": [{"event": 3}]},
]


def _tracker(sender_id: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        sender_id, [ActionExecuted("action_listen"), UserUttered("hi")]
    )


# --- version guard -------------------------------------------------------------


def test_installed_rasa_is_the_pinned_one():
    assert rasa.__version__.startswith(rasa_patches.PINNED_RASA)
    rasa_patches.require_pinned_rasa()


@pytest.mark.parametrize("version", ["3.7.0", "3.5.17", "4.0.0"])
def test_another_rasa_stops_start_up_with_a_clear_message(version):
    with pytest.raises(SystemExit) as stopped:
        rasa_patches.require_pinned_rasa(version)
    assert version in str(stopped.value) and "3.6.x" in str(stopped.value)


def test_install_stops_on_another_rasa(monkeypatch):
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with pytest.raises(SystemExit):
        rasa_patches.install()
    assert RemoteAction._validate_action_result is rasa_patches._RASA_VALIDATE


# --- installed once at start ---------------------------------------------------


def _installed() -> bool:
    return (
        RemoteAction._validate_action_result is rasa_patches.validate_action_result
        and RemoteAction.run is rasa_patches._run_reporting_unreachable
        and FailSafeTrackerStore.on_tracker_store_error
        is rasa_patches._raise_store_error
        and MessageProcessor.parse_message
        is rasa_patches._parse_message_with_earlier_facts
    )


def test_a_channel_installs_the_overrides_when_the_server_starts():
    assert not _installed()
    GuardedRestInput().blueprint(lambda message: None)
    assert _installed()


def test_our_tracker_store_installs_them_for_rasa_shell_and_the_http_api(tmp_path):
    assert not _installed()
    CachingSQLTrackerStore(Domain.empty(), db=str(tmp_path / "t.db"))
    assert _installed()


# --- cached action-response validation ----------------------------------------


@pytest.fixture()
def action():
    return RemoteAction("action_assess_symptoms", None)


@pytest.mark.parametrize("cached", [False, True], ids=["rasa", "cached"])
def test_valid_response_passes(action, cached):
    rasa_patches.use_cached_action_validation(cached)
    assert action._validate_action_result(GOOD) is True


@pytest.mark.parametrize("response", BAD)
def test_invalid_response_fails_as_in_rasa(action, response):
    rasa_patches.use_cached_action_validation(False)
    with pytest.raises(ValidationError):
        action._validate_action_result(response)
    rasa_patches.use_cached_action_validation(True)
    with pytest.raises(ValidationError):
        action._validate_action_result(response)


def test_cached_validation_checks_the_schema_once_not_per_response(action, monkeypatch):
    """What the override buys: Rasa checks the schema on every response."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    checks = []
    original = validator_class.check_schema
    monkeypatch.setattr(
        validator_class,
        "check_schema",
        classmethod(lambda cls, s, **kw: checks.append(1) or original(s, **kw)),
    )
    rasa_patches.action_response_validator()  # built once per process
    for cached, expected in [(False, 5), (True, 0)]:
        checks.clear()
        rasa_patches.use_cached_action_validation(cached)
        for _ in range(5):
            action._validate_action_result(GOOD)
        assert len(checks) == expected


# --- unreachable action server -------------------------------------------------


async def _call_unreachable_action() -> None:
    action = RemoteAction("action_assess_symptoms", None)
    action.action_endpoint = EndpointConfig("http://127.0.0.1:9/webhook")
    with pytest.raises(RasaException):
        await action.run(None, None, _tracker("u1"), Domain.empty())


@pytest.mark.parametrize(
    "on, reported", [(False, []), (True, ["action_assess_symptoms"])]
)
async def test_the_turn_learns_which_action_got_no_answer(on, reported):
    rasa_patches.report_unreachable_actions(on)
    failed: list = []
    token = rasa_patches.unreachable_actions.set(failed)
    try:
        await _call_unreachable_action()
    finally:
        rasa_patches.unreachable_actions.reset(token)
    assert failed == reported


async def test_outside_a_turn_the_failure_is_raised_as_before():
    rasa_patches.report_unreachable_actions()
    await _call_unreachable_action()


def _failing_action_call(cause: BaseException) -> RasaException:
    try:
        try:
            raise cause
        except Exception:
            raise RasaException("Failed to execute custom action 'x'") from None
    except RasaException as error:
        error.__context__ = cause
        return error


@pytest.mark.parametrize(
    "cause, unreachable",
    [
        (aiohttp.ClientConnectorError(None, OSError(111, "refused")), True),
        (aiohttp.ServerDisconnectedError(), True),
        (aiohttp.ClientResponseError(None, (), status=503), True),
        (aiohttp.ClientResponseError(None, (), status=500), False),
        (ValueError("bad response"), False),
    ],
)
def test_unreachable_action_server_is_told_from_other_failures(cause, unreachable):
    assert rasa_patches.is_unreachable(_failing_action_call(cause)) is unreachable


# --- fail-closed tracker store -------------------------------------------------


async def _retrieve_after_the_database_went(tmp_path):
    db_dir = tmp_path / "db"
    db_dir.mkdir()
    store = FailSafeTrackerStore(
        SQLTrackerStore(Domain.empty(), db=str(db_dir / "t.db"))
    )
    await store.save(_tracker("u1"))
    (db_dir / "t.db").unlink()
    db_dir.rmdir()
    return await store.retrieve("u1")


async def test_rasa_silently_starts_the_conversation_over(tmp_path):
    rasa_patches.fail_closed_tracker_store(False)
    assert await _retrieve_after_the_database_went(tmp_path) is None


async def test_fail_closed_store_raises_instead_of_starting_over(tmp_path):
    rasa_patches.fail_closed_tracker_store()
    with pytest.raises(rasa_patches.TrackerStoreUnavailable):
        await _retrieve_after_the_database_went(tmp_path)


# --- API token from the environment ---------------------------------------------


def test_rasa_run_takes_the_token_from_us_not_argv(monkeypatch):
    import rasa.__main__ as rasa_main

    monkeypatch.setattr(
        rasa_main, "create_argument_parser", rasa_main.create_argument_parser
    )
    before = rasa_main.create_argument_parser().parse_args(["run"])
    assert before.auth_token is None
    rasa_patches.default_auth_token("s3cret")
    parser = rasa_main.create_argument_parser()
    assert isinstance(parser, argparse.ArgumentParser)
    assert parser.parse_args(["run"]).auth_token == "s3cret"


# --- NLU: the conversation's facts so far --------------------------------------


class _Processor(MessageProcessor):
    """A processor whose parse records the metadata the NLU graph would get."""

    def __init__(self) -> None:  # no model: only the parse step is used
        self.http_interpreter = None
        self.domain = None
        self.seen: list = []

    def _parse_message_with_graph(self, message, tracker, only_output_properties=True):
        self.seen.append(dict(message.metadata or {}))
        return {"text": message.text, "intent": {"name": "x"}, "entities": []}


def _tracker_with_facts(facts, duration=None) -> DialogueStateTracker:
    slots = [TextSlot("facts_present", []), TextSlot("duration", [])]
    tracker = DialogueStateTracker("someone", slots)
    tracker.update(SlotSet("facts_present", facts))
    if duration:
        tracker.update(SlotSet("duration", duration))
    return tracker


@pytest.mark.asyncio
@pytest.mark.parametrize("on", [False, True])
async def test_the_nlu_gets_the_earlier_facts_only_with_the_override(on):
    rasa_patches.pass_earlier_facts_to_nlu(on)
    processor = _Processor()
    message = UserMessage("it feels weak", sender_id="someone", metadata={"a": 1})
    tracker = _tracker_with_facts(["trigger:crossed_legs"], "PT3H")
    await processor.parse_message(message, tracker)
    expected = {"a": 1}
    if on:
        expected.update(earlier_facts=["trigger:crossed_legs"], earlier_duration="PT3H")
    assert processor.seen == [expected]
    assert message.metadata == {"a": 1}  # taken off again: not stored


@pytest.mark.asyncio
async def test_a_conversation_without_facts_is_parsed_as_before():
    rasa_patches.pass_earlier_facts_to_nlu()
    processor = _Processor()
    message = UserMessage("my leg is numb", sender_id="someone")
    await processor.parse_message(message, _tracker_with_facts([]))
    await processor.parse_message(message)
    assert processor.seen == [{}, {}]
    assert message.metadata is None


def _checked(flag: str, reply: str) -> list:
    """The events of a red flag's check question and the person's reply."""
    return [
        UserUttered("my face tingles", intent={"name": "check_red_flag"}),
        SlotSet("possible_red_flag", flag),
        ActionExecuted("utter_check_red_flag"),
        UserUttered(reply, intent={"name": reply}),
    ]


def test_a_check_answered_no_is_remembered_and_a_yes_after_all_takes_it_back():
    denied = _checked("stroke_signs", "deny")
    assert rasa_patches.denied_red_flag_checks(denied) == ["stroke_signs"]
    assert rasa_patches.denied_red_flag_checks(_checked("tight_cast", "affirm")) == []
    later = [*denied, UserUttered("actually yes", intent={"name": "affirm_after_all"})]
    assert rasa_patches.denied_red_flag_checks(later) == []


def test_a_check_left_unanswered_twice_counts_as_answered():
    events = [
        *_checked("stroke_signs", "nlu_fallback"),
        ActionExecuted("utter_red_flag_question_again"),
        ActionExecuted("utter_check_red_flag"),
        UserUttered("both legs", intent={"name": "nlu_fallback"}),
        ActionExecuted("utter_red_flag_unanswered"),
    ]
    assert rasa_patches.denied_red_flag_checks(events) == ["stroke_signs"]


def test_the_check_awaited_is_the_last_one_asked_until_a_reply_or_another_action():
    asked = _checked("unnamed", "deny")[:3]
    assert rasa_patches.awaited_red_flag_check(asked) == "unnamed"
    listening = [*asked, ActionExecuted("action_listen")]
    assert rasa_patches.awaited_red_flag_check(listening) == "unnamed"
    assert rasa_patches.awaited_red_flag_check(_checked("unnamed", "deny")) is None
    later = [*asked, ActionExecuted("utter_red_flag_unanswered")]
    assert rasa_patches.awaited_red_flag_check(later) is None


@pytest.mark.asyncio
async def test_the_nlu_gets_the_checks_already_answered_no():
    rasa_patches.pass_earlier_facts_to_nlu()
    processor = _Processor()
    tracker = _tracker_with_facts([])
    for event in _checked("stroke_signs", "deny"):
        tracker.update(event)
    await processor.parse_message(UserMessage("my face tingles"), tracker)
    assert processor.seen == [{"denied_red_flag_checks": ["stroke_signs"]}]


@pytest.mark.asyncio
async def test_a_restart_forgets_the_checks_answered_no():
    rasa_patches.pass_earlier_facts_to_nlu()
    processor = _Processor()
    tracker = _tracker_with_facts([])
    for event in [*_checked("stroke_signs", "deny"), Restarted()]:
        tracker.update(event)
    await processor.parse_message(UserMessage("my face tingles"), tracker)
    assert processor.seen == [{}]


def _no(text: str = "no") -> dict:
    return {"text": text, "intent": {"name": "deny"}, "entities": []}


def _named(parsed: dict, entity: str) -> list:
    return [e["value"] for e in parsed["entities"] if e["entity"] == entity]


def test_a_no_to_one_check_asks_the_next_queued_one_not_yet_answered():
    queued = ["fever_back_pain", "tight_cast", "stroke_signs"]
    parsed = rasa_patches.ask_next_queued_check(
        _no(), "stroke_signs", ["fever_back_pain"], queued
    )
    assert parsed["intent"]["name"] == "check_red_flag"
    assert _named(parsed, "possible_red_flag") == ["tight_cast"]
    assert _named(parsed, "denied_red_flag") == ["stroke_signs"]
    assert parsed["intent_ranking"][1]["name"] == "deny"


@pytest.mark.parametrize(
    "parsed, awaited, queued",
    [
        (_no(), "stroke_signs", ["stroke_signs"]),  # nothing else queued
        (_no(), None, ["tight_cast", "stroke_signs"]),  # no check was asked
        ({**_no("yes"), "intent": {"name": "affirm"}}, "stroke_signs", ["tight_cast"]),
    ],
)
def test_a_reply_without_another_queued_check_is_left_alone(parsed, awaited, queued):
    assert rasa_patches.ask_next_queued_check(parsed, awaited, [], queued) is parsed


def test_a_no_that_asks_the_next_check_counts_as_a_no_to_the_first():
    events = [
        *_checked("stroke_signs", "deny")[:3],
        UserUttered(
            "/deny",
            intent={"name": "check_red_flag"},
            entities=[{"entity": "denied_red_flag", "value": "stroke_signs"}],
        ),
    ]
    assert rasa_patches.denied_red_flag_checks(events) == ["stroke_signs"]
    asked = [*events, SlotSet("possible_red_flag", "tight_cast")]
    asked.append(ActionExecuted("utter_check_red_flag"))
    assert rasa_patches.awaited_red_flag_check(asked) == "tight_cast"


@pytest.mark.asyncio
async def test_the_parse_of_a_no_asks_the_next_queued_check():
    rasa_patches.pass_earlier_facts_to_nlu()
    processor = _Processor()
    processor._parse_message_with_graph = lambda m, t, o=True: _no(m.text)
    slots = [TextSlot("facts_present", []), ListSlot("queued_red_flags", [])]
    tracker = DialogueStateTracker("someone", slots)
    tracker.update(SlotSet("queued_red_flags", ["tight_cast", "stroke_signs"]))
    for event in _checked("stroke_signs", "deny")[:3]:
        tracker.update(event)
    parsed = await processor.parse_message(UserMessage("no"), tracker)
    assert parsed["intent"]["name"] == "check_red_flag"
    assert _named(parsed, "possible_red_flag") == ["tight_cast"]


def _button(answer: str) -> dict:
    """A button payload's parse: no NLU pipeline, so no red-flag screen."""
    return {
        "text": f'/affirm{{"answer": "{answer}"}}',
        "intent": {"name": "affirm", "confidence": 1.0},
        "entities": [{"entity": "answer", "value": answer, "start": 7, "end": 30}],
    }


def test_a_button_answer_that_completes_a_red_flag_reports_it():
    earlier = ["trigger:injury", "symptom:swelling", "sensation:numbness"]
    parsed = rasa_patches.screen_button_answer(_button("leg_pain:0"), earlier, None)
    assert parsed["intent"]["name"] == "report_red_flag"
    assert _named(parsed, "red_flag") == ["tight_cast"]
    assert _named(parsed, "answer") == ["leg_pain:0"]  # its facts still merge


@pytest.mark.parametrize(
    "answer, earlier",
    [
        ("leg_pain:0", ["sensation:numbness", "body_part:foot"]),  # no red flag
        ("leg_pain:1", ["trigger:injury", "symptom:swelling", "sensation:numbness"]),
    ],
)
def test_a_button_answer_without_a_red_flag_is_left_alone(answer, earlier):
    button = _button(answer)
    assert rasa_patches.screen_button_answer(button, earlier, None) is button


@pytest.mark.asyncio
async def test_the_parse_of_a_button_screens_it_with_the_earlier_facts():
    rasa_patches.pass_earlier_facts_to_nlu()
    processor = _Processor()
    processor._parse_message_with_graph = lambda m, t, o=True: _button("leg_pain:0")
    tracker = _tracker_with_facts(
        ["trigger:injury", "symptom:swelling", "sensation:numbness"]
    )
    text = '/affirm{"answer": "leg_pain:0"}'
    parsed = await processor.parse_message(UserMessage(text), tracker)
    assert parsed["intent"]["name"] == "report_red_flag"


def test_a_button_answer_whose_screen_fails_asks_the_general_check(monkeypatch):
    import bot.nlu.screening as screening

    def broken(*args, **kwargs):
        raise RuntimeError("broken screen")

    monkeypatch.setattr(screening, "screen_in_context", broken)
    parsed = rasa_patches.screen_button_answer(_button("leg_pain:0"), [], None)
    assert parsed["intent"]["name"] == "check_red_flag"
    assert _named(parsed, "possible_red_flag") == []
