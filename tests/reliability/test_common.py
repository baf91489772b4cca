"""Unit tests of the shared channel guard: validation, delete hook, fail-closed."""

import logging
from types import SimpleNamespace
from typing import Any, Dict, List

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore, LockError
from rasa.core.tracker_store import (
    FailSafeTrackerStore,
    InMemoryTrackerStore,
    SQLTrackerStore,
)
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import ConnectionError as RedisConnectionError

from bot import rasa_patches
from bot.channels import common


def test_check_text_reads_the_first_max_chars_of_a_longer_text_and_says_so():
    limit = common.MAX_TEXT_CHARS
    checked = common.check_text("a" * limit + "b" * 10)
    assert checked.text == "a" * limit
    assert checked.refusal is None and checked.notice == common.NOTICE_TRUNCATED


def test_check_text_accepts_exactly_max_chars_without_a_notice():
    checked = common.check_text("a" * common.MAX_TEXT_CHARS)
    assert checked.text == "a" * common.MAX_TEXT_CHARS and checked.notice is None


@pytest.mark.parametrize("raw", ["", "   ", "\x00\x01\x7f", "\u202e\ufeff"])
def test_check_text_refuses_empty_after_cleaning(raw):
    assert common.check_text(raw).refusal == common.REFUSAL_EMPTY


@pytest.mark.parametrize("raw", [None, 3, 1.5, ["hi"], {"text": "hi"}, b"hi", True])
def test_check_text_rejects_non_strings(raw):
    with pytest.raises(common.InputRejected):
        common.check_text(raw)


def test_check_text_replaces_lone_surrogates_and_strips_controls():
    cleaned = common.check_text("my\x00 leg\ud800 is\tnumb\u202e").text
    assert cleaned == "my leg\ufffd is numb"
    cleaned.encode("utf-8")  # must not raise


def test_check_text_keeps_emoji_sequences_and_other_scripts():
    text = "👩‍⚕️ нога онемела 腿麻"
    assert common.check_text(text).text == text


@pytest.mark.parametrize("raw", ["abc", "a-b_c.d:e@f+g=h", "-1001234", 42, "x" * 128])
def test_validate_sender_id_accepts_safe_ids(raw):
    assert common.validate_sender_id(raw) == str(raw)


@pytest.mark.parametrize(
    "raw",
    ["", "x" * 129, "a\ud800", "a b", "a/b", "<script>", "é", None, True, 1.5, ["a"]],
)
def test_validate_sender_id_rejects_unsafe_ids(raw):
    with pytest.raises(common.InputRejected):
        common.validate_sender_id(raw)


async def test_guard_drops_delete_payload_and_keeps_text():
    inner = CollectingOutputChannel()
    guard = common.GuardedOutputChannel(inner)
    await guard.send_response(
        "u1", {"text": "Deleted.", "custom": {"delete_conversation": True}}
    )
    assert guard.delete_requested
    assert inner.messages == [{"recipient_id": "u1", "text": "Deleted."}]


async def test_guard_keeps_other_custom_keys():
    inner = CollectingOutputChannel()
    guard = common.GuardedOutputChannel(inner)
    await guard.send_response("u1", {"custom": {"assessment": {"urgency": "urgent"}}})
    assert not guard.delete_requested
    assert inner.messages == [
        {"recipient_id": "u1", "custom": {"assessment": {"urgency": "urgent"}}}
    ]


def _agent(store) -> SimpleNamespace:
    return SimpleNamespace(
        tracker_store=FailSafeTrackerStore(store), lock_store=InMemoryLockStore()
    )


def _tracker(sender_id: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        sender_id,
        [ActionExecuted("action_listen"), UserUttered("hello", {"name": "greet"})],
    )


@pytest.fixture(params=["sql", "memory"])
def store(request, tmp_path):
    if request.param == "sql":
        return SQLTrackerStore(Domain.empty(), db=str(tmp_path / "t.db"))
    return InMemoryTrackerStore(Domain.empty())


async def test_delete_conversation_removes_only_that_conversation(store):
    agent = _agent(store)
    await agent.tracker_store.save(_tracker("keep"))
    await agent.tracker_store.save(_tracker("gone"))
    assert await common.delete_conversation(agent, "gone") > 0
    assert await agent.tracker_store.retrieve("gone") is None
    assert len((await agent.tracker_store.retrieve("keep")).events) == 2


async def _handler_replying(messages: List[Dict[str, Any]]):
    async def handle(message: UserMessage) -> None:
        for bot_message in messages:
            await message.output_channel.send_response(message.sender_id, bot_message)

    return handle


async def test_handle_user_turn_deletes_on_delete_payload(store):
    agent = _agent(store)
    await agent.tracker_store.save(_tracker("u1"))
    handler = await _handler_replying(
        [{"text": "Your data is deleted.", "custom": {"delete_conversation": True}}]
    )
    out = CollectingOutputChannel()
    outcome = await common.handle_user_turn(
        handler, agent, text="delete my data", sender_id="u1",
        output_channel=out, input_channel="rest",
    )  # fmt: skip
    assert outcome.deleted
    assert out.messages == [{"recipient_id": "u1", "text": "Your data is deleted."}]
    assert await agent.tracker_store.retrieve("u1") is None


async def _say_hi(handler: Any, out: CollectingOutputChannel) -> Any:
    """One REST turn "hi" from user u1 through the shared turn handler."""
    return await common.handle_user_turn(
        handler, None, text="hi", sender_id="u1", output_channel=out,
        input_channel="rest",
    )  # fmt: skip


async def test_handle_user_turn_apologises_for_silence():
    handler = await _handler_replying([])
    out = CollectingOutputChannel()
    outcome = await _say_hi(handler, out)
    assert outcome.apologised
    assert [m["text"] for m in out.messages] == [common.APOLOGY_NO_REPLY]


async def test_handle_user_turn_reads_a_long_text_cut_and_tells_after_the_reply():
    calls = []

    async def handler(message: UserMessage) -> None:
        calls.append(message)
        await message.output_channel.send_text_message(message.sender_id, "reply")

    out = CollectingOutputChannel()
    outcome = await common.handle_user_turn(
        handler, None, text="x" * (common.MAX_TEXT_CHARS + 100), sender_id="u1",
        output_channel=out, input_channel="rest",
    )  # fmt: skip
    assert outcome.status == "ok"
    assert [c.text for c in calls] == ["x" * common.MAX_TEXT_CHARS]
    assert [m["text"] for m in out.messages] == ["reply", common.NOTICE_TRUNCATED]


def _record(level: int, message: str) -> logging.LogRecord:
    return logging.LogRecord("rasa.x", level, __file__, 1, message, (), None)


def test_redactor_withholds_user_text_at_info_and_above():
    record = _record(
        logging.WARNING, '{"user_text": "/my \\"secret\\" legs", "event": "x"}'
    )
    common.UserTextRedactor().filter(record)
    assert record.getMessage() == '{"user_text": "<withheld>", "event": "x"}'


def test_redactor_keeps_debug_records():
    message = '{"text": "my legs", "event": "x"}'
    record = _record(logging.DEBUG, message)
    common.UserTextRedactor().filter(record)
    assert record.getMessage() == message


@pytest.mark.parametrize(
    "error", [LockError("lock store down"), RedisConnectionError("refused")]
)
async def test_lock_store_outage_gets_its_own_message(error):
    async def handler(message: UserMessage) -> None:
        raise error

    out = CollectingOutputChannel()
    outcome = await _say_hi(handler, out)
    assert outcome.status == "lock_down"
    assert [m["text"] for m in out.messages] == [common.ERROR_LOCK_DOWN]


async def test_failed_action_call_gives_the_restart_notice_after_safety_replies():
    """What Rasa says after an unreachable action is dropped, except the emergency."""
    rasa_patches.report_unreachable_actions()

    async def handler(message: UserMessage) -> None:
        send = message.output_channel.send_response
        await send("u1", {"text": "Call emergency services now.",
                          "utter_action": "utter_emergency"})  # fmt: skip
        action = RemoteAction("action_assess_symptoms", None)
        action.action_endpoint = EndpointConfig("http://127.0.0.1:9/webhook")
        with pytest.raises(RasaException):
            await action.run(
                message.output_channel, None, _tracker("u1"), Domain.empty()
            )
        await send("u1", {"text": "Sorry, I didn't understand that.",
                          "utter_action": "utter_default"})  # fmt: skip
        await send("u1", {"text": "Still an emergency.",
                          "utter_action": "utter_emergency"})  # fmt: skip

    out = CollectingOutputChannel()
    outcome = await _say_hi(handler, out)
    assert outcome.actions_down and outcome.status == "ok"
    assert [m["text"] for m in out.messages] == [
        "Call emergency services now.",
        "Still an emergency.",
        common.NOTICE_ACTIONS_RESTARTING,
    ]


async def test_a_possible_red_flags_question_survives_a_failed_action_call():
    """The confirming question needs no action server: it is never dropped."""
    rasa_patches.report_unreachable_actions()

    async def handler(message: UserMessage) -> None:
        action = RemoteAction("action_extract_facts", None)
        action.action_endpoint = EndpointConfig("http://127.0.0.1:9/webhook")
        with pytest.raises(RasaException):
            await action.run(
                message.output_channel, None, _tracker("u1"), Domain.empty()
            )
        await message.output_channel.send_response(
            "u1",
            {"text": "Is your cast too tight?", "utter_action": "utter_check_red_flag"},
        )

    out = CollectingOutputChannel()
    outcome = await _say_hi(handler, out)
    assert outcome.actions_down
    assert [m["text"] for m in out.messages] == [
        "Is your cast too tight?",
        common.NOTICE_ACTIONS_RESTARTING,
    ]
