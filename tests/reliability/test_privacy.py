"""Security and privacy on a running server: API token, CORS, no user text in the
INFO logs, long messages not stored, "delete my data" by intent and by API (SQLite;
PostgreSQL is covered in test_scale.py)."""

from __future__ import annotations

import json
import secrets
import urllib.request

import pytest

from bot.channels import common
from tools import servers

ALLOWED_ORIGIN = "http://allowed.example"


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    """A server started the way docs/deploy.md says: API with a token, CORS list."""
    work_dir = tmp_path_factory.mktemp("privacy")
    token = secrets.token_urlsafe(16)
    stack = servers.start_sqlite_stack(
        work_dir,
        env=servers.base_env(RASA_AUTH_TOKEN=token),
        enable_api=True,
        auth_token=token,
        cors=ALLOWED_ORIGIN,
    )
    yield stack, token
    servers.stop_stack(stack)


def test_http_api_requires_the_token(secured):
    stack, token = secured
    status, _ = servers.http("GET", f"{stack.rasa.url}/status", headers={})
    assert status == 401
    status, _ = servers.http("GET", f"{stack.rasa.url}/status?token=wrong", headers={})
    assert status == 401
    status, _ = servers.http(
        "GET", f"{stack.rasa.url}/status?token={token}", headers={}
    )
    assert status == 200
    url = f"{stack.rasa.url}/conversations/someone/tracker"
    assert servers.http("GET", url, headers={})[0] == 401


def _allowed_origin_header(url: str, origin: str) -> str:
    request = urllib.request.Request(url, headers={"Origin": origin})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.headers.get("Access-Control-Allow-Origin", "")


def test_cors_only_for_configured_origins(secured):
    stack, _ = secured
    url = f"{stack.rasa.url}/webhooks/rest/"
    assert _allowed_origin_header(url, ALLOWED_ORIGIN) == ALLOWED_ORIGIN
    assert _allowed_origin_header(url, "http://evil.example") == ""


def test_no_user_text_in_info_logs(secured):
    stack, _ = secured
    marker = "zqxmarker" + secrets.token_hex(4)
    messages = [
        f"{marker} my legs feel numb",
        f"/{marker}{{broken",
        f"/greet{{{marker}",
        f"/greet@{marker}",
        f"/ {marker}",
        "/{" + marker,
    ]
    for text in messages:
        status, reply = servers.say(stack.rasa, "privacy-logs", text)
        assert status == 200 and servers.texts(reply)
    assert marker not in stack.rasa.log_text()
    assert marker not in stack.actions.log_text()


def test_long_message_read_up_to_the_limit_and_the_rest_not_stored(secured):
    stack, _ = secured
    marker = "longmarker" + secrets.token_hex(4)
    text = "my feet tingle. " * (common.MAX_TEXT_CHARS // 16 + 1) + marker
    status, reply = servers.say(stack.rasa, "privacy-long", "hello")
    status, reply = servers.say(stack.rasa, "privacy-long", text)
    assert status == 200
    assert servers.texts(reply)[-1] == common.NOTICE_TRUNCATED
    stored = json.dumps(servers.sqlite_events(stack.db_path, "privacy-long"))
    assert marker not in stored


@pytest.mark.parametrize(
    "how", ["intent trigger", "typed request"], ids=["trigger", "typed"]
)
def test_delete_my_data_by_intent_removes_the_conversation(secured, how):
    stack, _ = secured
    sender = f"privacy-delete-{how.split()[0]}"
    for text in ("hello", "my legs feel numb"):
        assert servers.say(stack.rasa, sender, text)[0] == 200
    servers.say(stack.rasa, "privacy-bystander", "hello")
    assert servers.sqlite_events(stack.db_path, sender)

    request = "/delete_my_data" if how == "intent trigger" else None
    request = request or servers.intent_examples("delete_my_data")[0]
    status, reply = servers.say(stack.rasa, sender, request)
    assert status == 200 and servers.texts(reply)
    # The request only asks for confirmation: nothing is deleted yet.
    assert servers.sqlite_events(stack.db_path, sender)
    status, reply = servers.say(stack.rasa, sender, "/affirm")
    assert status == 200 and servers.texts(reply)
    assert all("custom" not in message for message in reply)
    assert servers.sqlite_events(stack.db_path, sender) == []
    assert servers.sqlite_events(stack.db_path, "privacy-bystander")


def test_delete_api_needs_token_and_removes_the_conversation(secured):
    stack, token = secured
    sender = "privacy-api-delete"
    assert servers.say(stack.rasa, sender, "hello")[0] == 200
    url = f"{stack.rasa.url}/webhooks/rest/conversations/{sender}"
    assert servers.http("DELETE", url, headers={})[0] == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert servers.http("DELETE", url, headers=wrong)[0] == 401
    assert servers.sqlite_events(stack.db_path, sender)
    right = {"Authorization": f"Bearer {token}"}
    status, body = servers.http("DELETE", url, headers=right)
    assert status == 200 and json.loads(body)["deleted"] is True
    assert servers.sqlite_events(stack.db_path, sender) == []
