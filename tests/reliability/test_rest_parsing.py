"""Unit tests of the REST channel's request parsing (no server needed)."""

import pytest

from bot.channels.rest import (
    DEFAULT_TOKEN_ENV,
    MAX_METADATA_BYTES,
    BadRequest,
    GuardedRestInput,
    parse_body,
    parse_metadata,
)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        None,
        b"not json",
        b"\xff\xfe\x00",
        b"[1, 2]",
        b'"text"',
        b"null",
        b"42",
        b"[" * 100_000 + b"]" * 100_000,
    ],
)
def test_parse_body_rejects_non_objects(body):
    with pytest.raises(BadRequest) as info:
        parse_body(body)
    assert info.value.status == 400


def test_parse_body_accepts_object():
    assert parse_body(b'{"sender": "a", "message": "hi"}') == {
        "sender": "a",
        "message": "hi",
    }


@pytest.mark.parametrize("raw", [[], "x", 1, True])
def test_parse_metadata_rejects_non_objects(raw):
    with pytest.raises(BadRequest):
        parse_metadata(raw)


def test_parse_metadata_rejects_large_objects():
    with pytest.raises(BadRequest):
        parse_metadata({"k": "v" * MAX_METADATA_BYTES})


def test_parse_metadata_accepts_small_object():
    assert parse_metadata({"lang": "en"}) == {"lang": "en"}
    assert parse_metadata(None) is None


def test_channel_keeps_the_rest_name_and_reads_token_env_name():
    channel = GuardedRestInput.from_credentials({"auth_token_env": "MY_TOKEN"})
    assert channel.name() == "rest"
    assert channel.auth_token_env == "MY_TOKEN"
    assert GuardedRestInput.from_credentials(None).auth_token_env == DEFAULT_TOKEN_ENV
