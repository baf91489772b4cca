"""Telegram channel pieces without a Rasa server: splitting, keyboards, config.

Output calls go to the local fake Bot API (tests/channels/fake_bot_api.py).
"""

from __future__ import annotations

from typing import Iterator

import pytest
import yaml

from bot.channels.telegram import (
    MAX_CALLBACK_BYTES,
    MAX_TEXT_UNITS,
    URGENCY_TEXT,
    TelegramInput,
    TelegramOutput,
    format_assessment,
    split_text,
    utf16_len,
)

from .fake_bot_api import FakeBotApi
from .servers import ROOT
from .test_telegram import BOT_NAME, SECRET, TOKEN, keyboard


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


async def test_buttons_become_an_inline_keyboard_and_long_payloads_map_back(
    fake_api: FakeBotApi,
):
    channel = TelegramInput(TOKEN, BOT_NAME, None, SECRET, fake_api.url)
    out = channel.get_output_channel()
    long_payload = '/describe_symptoms{"facts": "' + "x" * 80 + '"}'
    buttons = [
        {"title": "One leg", "payload": "One leg"},
        {"title": "Long", "payload": long_payload},
    ]
    fake_api.take()
    try:
        await out.send_text_with_buttons("42", "Is it one leg?", buttons)
    finally:
        await out.session.close()
    (call,) = fake_api.take()
    sent = keyboard(call)
    assert [b["text"] for b in sent] == ["One leg", "Long"]
    assert sent[0]["callback_data"] == "One leg"
    assert len(sent[1]["callback_data"].encode()) <= MAX_CALLBACK_BYTES
    assert channel.payloads.unpack(sent[1]["callback_data"]) == long_payload


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
