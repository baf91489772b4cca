"""Telegram channel end to end: Telegram updates in, Bot API calls out.

A real `rasa run` (with the action server) gets updates on its Telegram
webhook; its replies go to a local fake Bot API (tools/fake_bot_api.py)
that records every call. No test talks to Telegram.
"""

from __future__ import annotations

import itertools
import json
import urllib.error
import urllib.request
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
import yaml

from bot.channels.telegram import (
    MAX_CALLBACK_BYTES,
    SECRET_HEADER,
    TEXT_ONLY_REPLY,
    URGENCY_TEXT,
)
from tools.fake_bot_api import Call, FakeBotApi

from .servers import ROOT, Bot, running_bot

TOKEN = "123456789:TEST-token_for-the-fake-api"
SECRET = "s3cret-token_for-tests"
BOT_NAME = "leg_numbness_test_bot"
SYMPTOM = "My feet have been numb and tingling for a few weeks"
MAX_BUTTON_PRESSES = 20

_update_ids = itertools.count(1000)
_chat_ids = itertools.count(5000)


def greetings() -> List[str]:
    """The greeting texts the domain may send (utter_greet)."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    return [variant["text"] for variant in domain["responses"]["utter_greet"]]


@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeBotApi]:
    with FakeBotApi(TOKEN) as api:
        yield api


@pytest.fixture(scope="module")
def bot(
    tmp_path_factory: pytest.TempPathFactory, fake_api: FakeBotApi
) -> Iterator[Bot]:
    credentials = (
        "bot.channels.telegram.TelegramInput:\n"
        f'  access_token: "{TOKEN}"\n'
        f'  verify: "{BOT_NAME}"\n'
        '  webhook_url: "https://bot.example.org/webhooks/telegram/webhook"\n'
        f'  secret_token: "{SECRET}"\n'
        f'  api_base_url: "{fake_api.url}"\n'
    )
    with running_bot(tmp_path_factory.mktemp("telegram"), credentials) as running:
        yield running


@pytest.fixture()
def api(fake_api: FakeBotApi, bot: Bot) -> FakeBotApi:
    """The fake API with no calls left over from an earlier test."""
    fake_api.take()
    return fake_api


def post(
    bot: Bot, body: Any, secret: Optional[str] = SECRET, raw: bool = False
) -> Tuple[int, Dict[str, Any]]:
    """POST one update to the webhook; returns (status, JSON answer)."""
    data = body if raw else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    request = urllib.request.Request(
        f"{bot.url}/webhooks/telegram/webhook", data=data, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as reply:
            return reply.status, json.loads(reply.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def chat(chat_id: int, kind: str = "private") -> Dict[str, Any]:
    return {"id": chat_id, "type": kind, "first_name": "Test"}


def message_update(chat_id: int, kind: str = "private", **content: Any) -> Dict:
    """An update carrying a new message (text, photo, ...) from a user."""
    return {
        "update_id": next(_update_ids),
        "message": {
            "message_id": next(_update_ids),
            "date": 1700000000,
            "chat": chat(chat_id, kind),
            "from": {"id": chat_id, "is_bot": False, "first_name": "Test"},
            **content,
        },
    }


def callback_update(chat_id: int, data: str) -> Dict:
    """An update for a press on an inline keyboard button."""
    query_id = str(next(_update_ids))
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": query_id,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Test"},
            "chat_instance": "1",
            "data": data,
            "message": {
                "message_id": next(_update_ids),
                "date": 1700000000,
                "chat": chat(chat_id),
                "text": "question",
            },
        },
    }


def sent_texts(calls: List[Call], chat_id: int) -> List[str]:
    return [
        c.params["text"]
        for c in calls
        if c.method == "sendMessage" and int(c.params["chat_id"]) == chat_id
    ]


def keyboard(call: Call) -> List[Dict[str, Any]]:
    """The buttons of a sendMessage call's inline keyboard, row by row."""
    markup = call.params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def is_assessment(text: str) -> bool:
    return any(text.startswith(line) for line in URGENCY_TEXT.values())


def test_update_without_the_secret_header_is_forbidden(bot: Bot, api: FakeBotApi):
    update = message_update(next(_chat_ids), text="hello")
    assert post(bot, update, secret=None)[0] == 403
    assert post(bot, update, secret="wrong")[0] == 403
    assert api.take() == []


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[1, 2]", b'{"update_id": "7"}',
     b'{"update_id": 7, "message": "hi"}',
     b'{"update_id": 7, "message": {"chat": {"id": "x"}, "text": "hi"}}',
     b'{"update_id": 7, "callback_query": {"id": 5, "data": "x"}}'],
)  # fmt: skip
def test_malformed_body_gets_400_and_the_server_keeps_running(
    bot: Bot, api: FakeBotApi, body: bytes
):
    assert post(bot, body, raw=True)[0] == 400
    chat_id = next(_chat_ids)
    assert post(bot, message_update(chat_id, text="/start"))[0] == 200
    assert sent_texts(api.take(), chat_id)


def test_start_greets(bot: Bot, api: FakeBotApi):
    chat_id = next(_chat_ids)
    assert post(bot, message_update(chat_id, text="/start"))[0] == 200
    texts = sent_texts(api.take(), chat_id)
    assert texts and texts[0] in greetings()


@pytest.mark.parametrize(
    "content",
    [
        {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]},
        {"sticker": {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1,
                     "is_animated": False, "is_video": False, "type": "regular"}},
        {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 2}},
        {"location": {"latitude": 48.1, "longitude": 11.5}},
    ],
)  # fmt: skip
def test_non_text_messages_get_a_friendly_reply(bot: Bot, api: FakeBotApi, content):
    chat_id = next(_chat_ids)
    assert post(bot, message_update(chat_id, **content))[0] == 200
    assert sent_texts(api.take(), chat_id) == [TEXT_ONLY_REPLY]


def test_edited_messages_and_group_chats_are_ignored(bot: Bot, api: FakeBotApi):
    chat_id = next(_chat_ids)
    edited = message_update(chat_id, text="my leg is numb")
    edited["edited_message"] = edited.pop("message")
    assert post(bot, edited)[0] == 200
    group = message_update(-chat_id, kind="group", text="my leg is numb")
    assert post(bot, group)[0] == 200
    unknown_kind = {"update_id": next(_update_ids), "poll": {"id": "1"}}
    assert post(bot, unknown_kind)[0] == 200
    assert api.take() == []


def test_conversation_with_button_presses_reaches_an_assessment(
    bot: Bot, api: FakeBotApi
):
    chat_id = next(_chat_ids)
    post(bot, message_update(chat_id, text="/start"))
    assert sent_texts(api.take(), chat_id)[0] in greetings()

    assert post(bot, message_update(chat_id, text=SYMPTOM))[0] == 200
    calls = api.take()
    questions = [c for c in calls if c.method == "sendMessage" and keyboard(c)]
    assert questions, f"no question with buttons after a symptom: {calls}"

    pressed = 0
    while not any(is_assessment(t) for t in sent_texts(calls, chat_id)):
        assert pressed < MAX_BUTTON_PRESSES, "no assessment after many answers"
        buttons = keyboard(questions[-1])
        assert all(
            len(b["callback_data"].encode()) <= MAX_CALLBACK_BYTES for b in buttons
        )
        update = callback_update(chat_id, buttons[0]["callback_data"])
        assert post(bot, update)[0] == 200
        pressed += 1
        calls = api.take()
        answered = [c for c in calls if c.method == "answerCallbackQuery"]
        assert [c.params["callback_query_id"] for c in answered] == [
            update["callback_query"]["id"]
        ]
        new_questions = [c for c in calls if c.method == "sendMessage" and keyboard(c)]
        questions = new_questions or questions
        if not new_questions and not any(
            is_assessment(t) for t in sent_texts(calls, chat_id)
        ):
            pytest.fail(
                f"a button press led neither to a question nor an assessment: {calls}"
            )
    assert pressed >= 1


def test_telegram_is_called_only_to_reply(bot: Bot, fake_api: FakeBotApi):
    """No getMe / setWebhook at start-up or per update: only replies go out."""
    chat_id = next(_chat_ids)
    post(bot, message_update(chat_id, text="/start"))
    post(bot, callback_update(chat_id, "Not sure"))
    methods = {c.method for c in fake_api.history}
    assert methods == {"sendMessage", "answerCallbackQuery"}
    assert fake_api.bad_token_calls == 0
