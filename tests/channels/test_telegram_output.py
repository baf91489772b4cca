"""Telegram channel pieces without a Rasa server: splitting, keyboards, config.

Output calls go to the local fake Bot API (tools/fake_bot_api.py).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Iterator, List

import pytest
import yaml
from aiogram.types import Update
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.telegram import (
    MAX_CALLBACK_BYTES,
    MAX_TEXT_UNITS,
    URGENCY_TEXT,
    TelegramInput,
    TelegramOutput,
    Turn,
    format_assessment,
    pack_payload,
    resolve_callback_data,
    split_text,
    utf16_len,
)
from tools.fake_bot_api import FakeBotApi

from .servers import ROOT
from .test_telegram import BOT_NAME, SECRET, TOKEN, callback_update, keyboard


@pytest.fixture()
def fake_api() -> Iterator[FakeBotApi]:
    with FakeBotApi(TOKEN) as api:
        yield api


async def test_long_replies_are_split_within_telegram_limit(fake_api: FakeBotApi):
    out = TelegramOutput(TOKEN, fake_api.url)
    paragraph = "Numbness can have many causes. " * 60
    text = "\n\n".join([paragraph] * 6) + "\n\n" + "🦵" * 2100
    fake_api.take()
    try:
        await out.send_text_message("42", text)
    finally:
        await out.session.close()
    texts = [c.params["text"] for c in fake_api.take() if c.method == "sendMessage"]
    assert len(texts) > 1
    assert all(0 < utf16_len(t) <= MAX_TEXT_UNITS for t in texts)
    assert "".join(texts).replace("\n", "").replace(" ", "") == text.replace(
        "\n", ""
    ).replace(" ", "")


LONG_PAYLOAD = '/describe_symptoms{"facts": "' + "x" * 80 + '"}'
LONG_BUTTONS = [
    {"title": "One leg", "payload": "One leg"},
    {"title": "Long", "payload": LONG_PAYLOAD},
]


async def test_buttons_become_an_inline_keyboard_with_short_callback_data(
    fake_api: FakeBotApi,
):
    out = TelegramOutput(TOKEN, fake_api.url)
    fake_api.take()
    try:
        await out.send_text_with_buttons("42", "Is it one leg?", LONG_BUTTONS)
    finally:
        await out.session.close()
    (call,) = fake_api.take()
    sent = keyboard(call)
    assert [b["text"] for b in sent] == ["One leg", "Long"]
    assert sent[0]["callback_data"] == "One leg"
    assert sent[1]["callback_data"] == pack_payload(LONG_PAYLOAD)
    assert len(sent[1]["callback_data"].encode()) <= MAX_CALLBACK_BYTES


def _sql_agent(db_path: Path) -> SimpleNamespace:
    """What a Rasa server holds: its own store object on the shared database."""
    store = SQLTrackerStore(Domain.empty(), db=str(db_path))
    return SimpleNamespace(
        tracker_store=FailSafeTrackerStore(store), lock_store=InMemoryLockStore()
    )


async def test_long_payload_press_after_a_restart_or_on_another_replica(
    fake_api: FakeBotApi, tmp_path: Path
):
    """The key resolves from the conversation's stored buttons, not from memory."""
    db_path = tmp_path / "tracker.db"
    first = _sql_agent(db_path)
    asked = DialogueStateTracker.from_events(
        "42",
        [ActionExecuted("action_listen"), UserUttered("my leg", {"name": "greet"}),
         BotUttered("Is it one leg?", {"buttons": LONG_BUTTONS})],
    )  # fmt: skip
    await first.tracker_store.save(asked)
    key = pack_payload(LONG_PAYLOAD)

    restarted = _sql_agent(db_path)  # a new process: nothing shared but the database
    assert await resolve_callback_data(key, restarted, "42") == LONG_PAYLOAD
    assert await resolve_callback_data(key, restarted, "43") is None  # not sent there
    assert await resolve_callback_data("cb:" + "0" * 32, restarted, "42") is None
    assert await resolve_callback_data("One leg", restarted, "42") == "One leg"

    received: List[str] = []

    async def on_new_message(message: UserMessage) -> None:
        received.append(message.text)

    channel = TelegramInput(TOKEN, BOT_NAME, None, SECRET, fake_api.url)
    out = channel.get_output_channel()
    press = Update(**callback_update(42, key))
    try:
        await channel._handle(press, out, Turn(on_new_message, restarted))
    finally:
        await out.session.close()
    assert received == [LONG_PAYLOAD]


def test_split_text_keeps_short_text_whole():
    assert split_text("  Hello.\n\nSee a doctor.  ") == ["Hello.\n\nSee a doctor."]


def test_assessment_becomes_its_urgency_line():
    for urgency, line in URGENCY_TEXT.items():
        assert format_assessment({"urgency": urgency, "causes": ["x"]}) == line
    assert "call emergency services" in URGENCY_TEXT["emergency"]


def test_channel_without_token_or_secret_stays_off(monkeypatch: pytest.MonkeyPatch):
    for name in ("TELEGRAM_ACCESS_TOKEN", "TELEGRAM_SECRET_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert TelegramInput.from_credentials(None).missing == [
        "TELEGRAM_ACCESS_TOKEN",
        "TELEGRAM_SECRET_TOKEN",
    ]
    monkeypatch.setenv("TELEGRAM_ACCESS_TOKEN", "not a token")
    monkeypatch.setenv("TELEGRAM_SECRET_TOKEN", SECRET)
    assert TelegramInput.from_credentials({}).missing != []
    monkeypatch.setenv("TELEGRAM_ACCESS_TOKEN", TOKEN)
    channel = TelegramInput.from_credentials({"api_base_url": "http://127.0.0.1:1"})
    assert channel.missing == []
    assert channel.api_base_url == "http://127.0.0.1:1"


def test_credentials_file_names_the_channel():
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    assert "bot.channels.telegram.TelegramInput" in credentials
    assert not credentials["bot.channels.telegram.TelegramInput"]  # secrets from env
