"""Webchat channel pieces without a server: event validation and output shape."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.webchat import (
    WebchatInput,
    WebchatOutput,
    _session_id,
    conversation_history,
)


class RecordingSio:
    """Stands in for socketio.AsyncServer: records emits."""

    def __init__(self) -> None:
        self.emitted: List[Tuple[str, Any, Dict[str, Any]]] = []

    async def emit(self, event: str, data: Any = None, **kwargs: Any) -> None:
        self.emitted.append((event, data, kwargs))


def channel() -> WebchatInput:
    return WebchatInput.from_credentials(
        {"session_persistence": True, "metadata_key": "customData"}
    )


async def test_assessment_is_emitted_as_one_custom_event():
    sio = RecordingSio()
    payload = {"assessment": {"urgency": "urgent", "causes": ["x"]}}
    await WebchatOutput(sio, "bot_uttered").send_custom_json("room-1", payload)
    assert sio.emitted == [("bot_uttered", {"custom": payload}, {"room": "room-1"})]


async def test_buttons_are_sent_as_quick_replies():
    sio = RecordingSio()
    buttons = [{"title": "One leg", "payload": "One leg"}]
    await WebchatOutput(sio, "bot_uttered").send_text_with_buttons("r", "Q?", buttons)
    ((_, data, _),) = sio.emitted
    assert data["text"] == "Q?"
    assert [b["payload"] for b in data["quick_replies"]] == ["One leg"]


def test_event_with_session_id_text_and_metadata_is_a_turn():
    turn = channel()._turn(
        "sid", {"message": "hi", "session_id": "abc123def", "customData": '{"a": 1}'}
    )
    assert turn == ("abc123def", "hi", {"a": 1})


def test_unusable_events_are_dropped():
    webchat = channel()
    assert webchat._turn("sid", "hi") is None
    assert webchat._turn("sid", {"message": 5, "session_id": "abc123def"}) is None
    assert webchat._turn("sid", {"message": "hi"}) is None
    assert webchat._turn("sid", {"message": "hi", "session_id": "a b<c>"}) is None


def test_oversized_or_odd_metadata_is_dropped():
    webchat = channel()
    big = {"customData": {"k": "x" * 20000}, "message": "hi", "session_id": "abc123"}
    assert webchat._turn("sid", big)[2] == {}
    odd = {"customData": "not json", "message": "hi", "session_id": "abc123"}
    assert webchat._turn("sid", odd)[2] == {}


def test_session_ids_are_kept_when_valid_else_replaced():
    assert _session_id("5f1c0d2e9a") == "5f1c0d2e9a"
    for bad in (None, "", "a b", "<script>", 12.5, "x" * 200):
        fresh = _session_id(bad)
        assert fresh != bad and len(fresh) == 32


class AgentWithStore:
    def __init__(self, store: InMemoryTrackerStore) -> None:
        self.tracker_store = store


async def test_history_is_the_bot_messages_as_they_were_sent_live():
    store = InMemoryTrackerStore(Domain.empty())
    tracker = DialogueStateTracker("browser-1", slots=[])
    buttons = [{"title": "Yes", "payload": "/affirm"}]
    assessment = {"assessment": {"urgency": "urgent", "causes": ["x"]}}
    for event in (
        UserUttered("my feet are numb"),
        BotUttered("First part.\n\nSecond part?", {"buttons": buttons}),
        BotUttered(None, {"custom": assessment}),
        BotUttered(None, {"custom": {"delete_conversation": True}}),
    ):
        tracker.update(event)
    await store.save(tracker)

    sio = RecordingSio()
    live = WebchatOutput(sio, "bot_uttered")
    for event in tracker.events:
        if isinstance(event, BotUttered) and "delete_conversation" not in str(
            event.data
        ):
            await live.send_response("browser-1", event.message())
    history = await conversation_history(AgentWithStore(store), "browser-1")
    assert history == [data for _, data, _ in sio.emitted]
    assert [m.get("text") for m in history[:2]] == ["First part.", "Second part?"]
    assert history[-1] == {"custom": assessment}
    assert await conversation_history(AgentWithStore(store), "nobody") == []
    assert await conversation_history(None, "browser-1") == []
