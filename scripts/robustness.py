"""Bad-input suite: malformed and hostile inputs over REST, socket.io and Telegram.

Starts an action server and a Rasa server (SQLite, loopback, the repository's
credentials.yml with Telegram pointed at a local fake Bot API), has a short
conversation on each channel, then sends every case to that same conversation and
checks: no 5xx answer, no server process dies, no server traceback in the log,
every text message answered (never silence), and the conversation's earlier
events still stored, unchanged.

    .venv/bin/python scripts/robustness.py [--report reports/robustness.md]

Exit status 1 when any check fails. tests/robustness/ runs the same suite.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a file: `python scripts/robustness.py`
    sys.path.insert(0, str(ROOT))

from tools import servers  # noqa: E402
from tools.fake_bot_api import FakeBotApi  # noqa: E402

TELEGRAM_TOKEN = "123456789:ROBUSTNESS-token_for-the-fake-api"
TELEGRAM_SECRET = "robustness-secret-token"
ANCHOR_TURNS = ["hello", "my legs feel numb and tingly since three days"]
ANSWER_TIMEOUT_S = 120


@dataclass(frozen=True)
class Case:
    """One input: a category for the report, a name, and the input itself."""

    category: str
    name: str
    value: Any  # str for text cases, bytes for raw bodies, any JSON for payloads


# --------------------------------------------------------------------------- cases
def text_cases() -> List[Case]:
    """Message texts sent in a well-formed envelope on every channel."""
    rng = random.Random(7)
    cases: List[Tuple[str, str, str]] = [
        ("empty", "empty", ""),
        ("empty", "space", " "),
        ("empty", "whitespace", " \n\t\r "),
        ("empty", "zero-width", "\u200b\u200c\ufeff"),
        ("empty", "nul-only", "\x00"),
        ("size", "2001 chars", "a" * 2001),
        ("size", "exactly 2000 chars", "numb " * 400),
        ("size", "1 MB", "x" * 1_000_000),
        ("size", "1 MB of words", "my legs are numb " * 62_000),
        ("size", "one 1999-char word", "n" * 1999),
        ("size", "1999 digits", "9" * 1999),
        ("binary", "all bytes as latin-1", bytes(range(256)).decode("latin-1")),
        ("binary", "NULs", "\x00" * 500),
        ("binary", "ANSI escapes", "\x1b[31mred\x1b[0m \x1b]0;title\x07 legs"),
        ("binary", "bell and backspace", "legs\x07\x08\x08numb"),
        ("binary", "C1 controls", "".join(chr(c) for c in range(0x80, 0xA0))),
        ("invalid-unicode", "lone high surrogate", "\ud800"),
        ("invalid-unicode", "lone low surrogate", "leg \udfff numb"),
        ("invalid-unicode", "reversed pair", "\udc00\ud800"),
        (
            "invalid-unicode",
            "surrogate escapes",
            b"\xff\xfe legs".decode("utf-8", "surrogateescape"),
        ),
        ("invalid-unicode", "noncharacters", "\ufffe\uffff\U0010ffff"),
        ("invalid-unicode", "private use", "\ue000\U000f0000 legs"),
        ("invalid-unicode", "overlong as text", "\xc0\xaf\xe0\x80\xaf"),
        ("invalid-unicode", "bidi override", "\u202emy legs\u202c numb"),
        ("invalid-unicode", "combining storm", "n" + "\u0301" * 1500),
        ("script", "script tag", "<script>alert(1)</script>"),
        ("script", "img onerror", '<img src=x onerror="alert(1)">'),
        ("script", "svg onload", "<svg/onload=alert(document.cookie)>"),
        ("script", "javascript url", "javascript:alert(1)"),
        ("script", "iframe", '<iframe src="https://evil.example"></iframe>'),
        ("script", "html entities", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        (
            "script",
            "style expression",
            '<div style="background:url(javascript:alert(1))">',
        ),
        ("script", "template injection", "{{7*7}} ${7*7} <%= 7*7 %> #{7*7}"),
        ("script", "jinja attr", "{{ ''.__class__.__mro__[1].__subclasses__() }}"),
        ("script", "markdown link", "[click](javascript:alert(1)) **bold** `code`"),
        ("script", "CDATA", "<![CDATA[<script>alert(1)</script>]]>"),
        (
            "script",
            "xml entity",
            '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
        ),
        ("sql", "drop table", "'; DROP TABLE events; --"),
        ("sql", "or 1=1", "1' OR '1'='1"),
        ("sql", "double quote", '" OR 1=1 --'),
        ("sql", "delete", "'; DELETE FROM events WHERE '1'='1"),
        ("sql", "union", "numb' UNION SELECT sender_id, data FROM events --"),
        ("sql", "stacked", "legs'); UPDATE events SET data='x'; --"),
        ("sql", "sleep", "1; SELECT pg_sleep(10); --"),
        ("sql", "comment", "/* numb */ legs -- numb"),
        ("sql", "nosql", '{"$ne": null, "$where": "sleep(1000)"}'),
        ("sql", "like wildcard", "%%%_%_%%"),
        ("rasa-command", "restart", "/restart"),
        ("rasa-command", "session start", "/session_start"),
        ("rasa-command", "action listen", "/action_listen"),
        ("rasa-command", "unknown intent", "/no_such_intent"),
        ("rasa-command", "bad entity json", '/greet{"facts_present": '),
        ("rasa-command", "entities wrong type", '/greet{"facts_present": 5}'),
        ("rasa-command", "unknown entity", '/greet{"evil": "x"}'),
        ("rasa-command", "bad confidence", "/greet@abc"),
        ("rasa-command", "confidence > 1", "/greet@7"),
        ("rasa-command", "negative confidence", "/greet@-1"),
        (
            "rasa-command",
            "deep entity json",
            "/greet" + '{"a":' * 500 + "1" + "}" * 500,
        ),
        ("rasa-command", "slash only", "/"),
        ("rasa-command", "double slash", "//"),
        ("rasa-command", "slash space", "/ greet"),
        ("rasa-command", "report red flag with junk", '/report_red_flag{"x": [1, 2'),
        ("format", "printf", "%s%s%s%n%x%d"),
        ("format", "python format", "{0.__class__} {message} %(message)s"),
        ("format", "log forging", "numb\n2026-01-01 INFO root - admin logged in"),
        ("format", "path traversal", "../../../../etc/passwd"),
        ("format", "windows path", "C:\\Windows\\System32\\cmd.exe"),
        ("format", "file url", "file:///etc/shadow"),
        ("format", "json in text", '{"sender": "someone-else", "message": "hi"}'),
        ("format", "null word", "null"),
        ("format", "undefined", "undefined"),
        ("format", "NaN", "NaN"),
        ("format", "true", "true"),
        ("format", "number", "-1e309"),
        ("format", "shell", "$(rm -rf /) `reboot` ; ls | cat"),
        ("format", "crlf", "a\r\nSet-Cookie: x=y\r\n\r\nb"),
        ("format", "backslashes", "\\" * 1000),
        ("format", "quotes", "'\"" * 500),
        ("format", "braces", "{" * 1000),
        ("language", "russian", "У меня немеют ноги уже три дня"),
        ("language", "chinese", "我的腿麻木了三天"),
        ("language", "japanese", "足がしびれています"),
        ("language", "korean", "다리가 저려요"),
        ("language", "arabic", "ساقاي مخدرتان منذ ثلاثة أيام"),
        ("language", "hebrew", "הרגליים שלי רדומות"),
        ("language", "hindi", "मेरे पैर सुन्न हैं"),
        ("language", "thai", "ขาของฉันชา"),
        ("language", "greek", "Τα πόδια μου μουδιάζουν"),
        ("language", "german", "Meine Beine sind seit drei Tagen taub"),
        ("language", "french", "J'ai les jambes engourdies depuis trois jours"),
        ("language", "spanish", "Tengo las piernas entumecidas"),
        ("language", "turkish", "Bacaklarım uyuşuyor, İ ı ğ ş"),
        ("language", "vietnamese", "Chân tôi bị tê"),
        ("language", "amharic", "እግሮቼ ደነዘዙ"),
        ("language", "mixed scripts", "my нога 腿 is numb ساق"),
        ("language", "fullwidth", "ｍｙ ｌｅｇｓ ａｒｅ ｎｕｍｂ"),
        ("language", "math letters", "𝓂𝓎 𝓁𝑒𝑔𝓈 𝒶𝓇𝑒 𝓃𝓊𝓂𝒷"),
        ("language", "homoglyphs", "my lеgs аrе numb"),
        ("language", "leetspeak", "my l3gs 4r3 numb"),
        ("emoji", "leg storm", "🦵" * 500),
        ("emoji", "family zwj", "👩‍👩‍👧‍👦" * 200),
        ("emoji", "flags", "🇺🇸🇩🇪🇯🇵" * 150),
        ("emoji", "skin tones", "👍🏻👍🏼👍🏽👍🏾👍🏿" * 100),
        ("emoji", "keycaps", "1️⃣2️⃣3️⃣" * 100),
        ("emoji", "over limit", "😱" * 2500),
        ("emoji", "with text", "my legs 🦵 are numb 😟😟😟 help 🙏"),
        ("emoji", "zalgo", "n̸̡̛͓̜ụ̷̧̱m̶̢̛͎b̷̨̛͚ " * 40),
        ("emoji", "variation selectors", "❤️" * 300 + "\ufe0f" * 300),
        ("emoji", "tag sequence", "🏴󠁧󠁢󠁳󠁣󠁴󠁿" * 100),
        ("realistic", "negated symptoms", "no back pain, no weakness, just numb toes"),
        ("realistic", "typos", "my legz ar numm and tinglin"),
        ("realistic", "all caps", "MY LEGS ARE NUMB HELP"),
        ("realistic", "no spaces", "mylegsarenumbsincethreedays"),
        ("realistic", "punctuation only", "?!?!...,,,;;;"),
        ("realistic", "repeated", "numb " * 300),
    ]
    alphabet = (
        "abcdefghijklmnopqrstuvwxyz 0123456789<>'\";/\\{}[]%$#@!\x00\x1b\n\t"
        "éßøñ中文😀🦵\u200b\u202e\ud800\udfff"
    )
    for index in range(70):
        length = rng.choice([1, 5, 30, 200, 1500, 2500])
        text = "".join(rng.choice(alphabet) for _ in range(length))
        cases.append(("fuzz", f"random text {index}", text))
    return [Case(category, name, value) for category, name, value in cases]


def rest_raw_cases(sender: str) -> List[Case]:
    """Bodies for the REST webhook that are not a well-formed message."""
    nested_list = b"[" * 100_000 + b"]" * 100_000
    nested_obj = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
    ok = {"sender": sender, "message": "hi"}
    raw: List[Tuple[str, str, bytes]] = [
        ("empty-body", "no body", b""),
        ("empty-body", "whitespace body", b"   \n"),
        ("not-json", "plain text", b"hello"),
        ("not-json", "truncated object", b'{"sender": "a", "message": "hi"'),
        ("not-json", "single quotes", b"{'sender': 'a', 'message': 'hi'}"),
        ("not-json", "trailing comma", b'{"sender": "a", "message": "hi",}'),
        ("not-json", "form encoded", b"sender=a&message=hi"),
        ("not-json", "xml", b"<message><sender>a</sender></message>"),
        ("not-json", "bom then json", b"\xef\xbb\xbf" + json.dumps(ok).encode()),
        (
            "invalid-utf8",
            "invalid byte in text",
            b'{"sender": "a", "message": "\xff\xfe"}',
        ),
        ("invalid-utf8", "overlong slash", b'{"sender": "a", "message": "\xc0\xaf"}'),
        ("invalid-utf8", "utf-16 body", json.dumps(ok).encode("utf-16")),
        (
            "invalid-utf8",
            "escaped lone surrogate sender",
            b'{"sender": "\\ud800", "message": "hi"}',
        ),
        (
            "invalid-utf8",
            "escaped lone surrogate text",
            b'{"sender": "%s", "message": "\\udfff hi"}' % sender.encode(),
        ),
        (
            "invalid-utf8",
            "encoded surrogate bytes",
            b'{"sender": "\xed\xa0\x80", "message": "hi"}',
        ),
        (
            "binary",
            "random bytes",
            bytes(random.Random(1).randrange(256) for _ in range(4096)),
        ),
        ("binary", "NUL bytes", b"\x00" * 1024),
        ("binary", "gzip magic", b"\x1f\x8b\x08\x00" + b"\x00" * 100),
        ("nested", "100k nested lists", nested_list),
        ("nested", "50k nested objects", nested_obj),
        (
            "nested",
            "nested message",
            json.dumps(
                {"sender": sender, "message": {"text": {"text": "hi"}}}
            ).encode(),
        ),
        (
            "nested",
            "deep metadata",
            b'{"sender": "%s", "message": "hi", "metadata": ' % sender.encode()
            + b'{"a":' * 5000
            + b"1"
            + b"}" * 5000
            + b"}",
        ),
        ("not-object", "null", b"null"),
        ("not-object", "array", b'[{"sender": "a", "message": "hi"}]'),
        ("not-object", "string", b'"hi"'),
        ("not-object", "number", b"42"),
        ("not-object", "true", b"true"),
        ("not-object", "huge number", b"1" * 5000),
        ("not-object", "NaN", b"NaN"),
        (
            "size",
            "5 MB body",
            json.dumps({"sender": sender, "message": "x" * 5_000_000}).encode(),
        ),
        (
            "size",
            "1 MB body",
            json.dumps({"sender": sender, "message": "y" * 1_000_000}).encode(),
        ),
        (
            "size",
            "100k keys",
            json.dumps({f"k{i}": i for i in range(100_000)}).encode(),
        ),
    ]
    payloads: List[Tuple[str, str, Any]] = [
        ("missing-field", "no sender", {"message": "hi"}),
        ("missing-field", "no message", {"sender": sender}),
        ("missing-field", "empty object", {}),
        ("wrong-type", "sender null", {"sender": None, "message": "hi"}),
        ("wrong-type", "sender list", {"sender": ["a"], "message": "hi"}),
        ("wrong-type", "sender object", {"sender": {"$ne": 1}, "message": "hi"}),
        ("wrong-type", "sender bool", {"sender": True, "message": "hi"}),
        ("wrong-type", "sender float", {"sender": 1.5, "message": "hi"}),
        ("wrong-type", "message null", {"sender": sender, "message": None}),
        ("wrong-type", "message number", {"sender": sender, "message": 5}),
        ("wrong-type", "message list", {"sender": sender, "message": ["hi"]}),
        ("wrong-type", "message bool", {"sender": sender, "message": False}),
        (
            "wrong-type",
            "metadata string",
            {"sender": sender, "message": "hi", "metadata": "x"},
        ),
        (
            "wrong-type",
            "metadata list",
            {"sender": sender, "message": "hi", "metadata": [1]},
        ),
        (
            "wrong-type",
            "metadata huge",
            {"sender": sender, "message": "hi", "metadata": {"k": "v" * 100_000}},
        ),
        (
            "wrong-type",
            "input_channel number",
            {"sender": sender, "message": "hi", "input_channel": 5},
        ),
        ("bad-sender", "empty sender", {"sender": "", "message": "hi"}),
        ("bad-sender", "1000-char sender", {"sender": "s" * 1000, "message": "hi"}),
        ("bad-sender", "path sender", {"sender": "../../etc/passwd", "message": "hi"}),
        (
            "bad-sender",
            "script sender",
            {"sender": "<script>alert(1)</script>", "message": "hi"},
        ),
        ("bad-sender", "sql sender", {"sender": "a' OR '1'='1", "message": "hi"}),
        ("bad-sender", "newline sender", {"sender": "a\nb", "message": "hi"}),
        ("bad-sender", "NUL sender", {"sender": "a\x00b", "message": "hi"}),
        ("bad-sender", "unicode sender", {"sender": "пользователь", "message": "hi"}),
        ("bad-sender", "emoji sender", {"sender": "🦵", "message": "hi"}),
        ("bad-sender", "space sender", {"sender": "a b", "message": "hi"}),
    ]
    cases = [Case(c, n, v) for c, n, v in raw]
    cases += [Case(c, n, json.dumps(v).encode()) for c, n, v in payloads]
    return cases


def telegram_raw_cases(chat_id: int) -> List[Case]:
    """Bodies for the Telegram webhook that are not a usable text update."""
    msg = {"message_id": 1, "date": 0, "chat": {"id": chat_id, "type": "private"}}
    payloads: List[Tuple[str, str, Any]] = [
        ("not-object", "null", None),
        ("not-object", "array", [1, 2]),
        ("not-object", "string", "update"),
        ("missing-field", "no update_id", {"message": {**msg, "text": "hi"}}),
        ("missing-field", "empty object", {}),
        (
            "wrong-type",
            "update_id string",
            {"update_id": "1", "message": {**msg, "text": "hi"}},
        ),
        ("wrong-type", "message string", {"update_id": 1, "message": "hi"}),
        (
            "wrong-type",
            "chat id string",
            {
                "update_id": 1,
                "message": {
                    **msg,
                    "chat": {"id": "x", "type": "private"},
                    "text": "hi",
                },
            },
        ),
        (
            "wrong-type",
            "chat missing",
            {"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "hi"}},
        ),
        ("wrong-type", "text number", {"update_id": 1, "message": {**msg, "text": 5}}),
        (
            "wrong-type",
            "text object",
            {"update_id": 1, "message": {**msg, "text": {"a": 1}}},
        ),
        (
            "wrong-type",
            "date string",
            {"update_id": 1, "message": {**msg, "date": "today", "text": "hi"}},
        ),
        (
            "wrong-type",
            "entities junk",
            {"update_id": 1, "message": {**msg, "text": "hi", "entities": "x"}},
        ),
        (
            "wrong-type",
            "from junk",
            {"update_id": 1, "message": {**msg, "text": "hi", "from": [1]}},
        ),
        (
            "wrong-type",
            "callback no id",
            {"update_id": 1, "callback_query": {"data": "x", "message": msg}},
        ),
        (
            "wrong-type",
            "callback data number",
            {"update_id": 1, "callback_query": {"id": "1", "data": 5, "message": msg}},
        ),
        (
            "wrong-type",
            "callback unknown key",
            {
                "update_id": 1,
                "callback_query": {
                    "id": "1",
                    "data": "zz-unknown",
                    "message": msg,
                    "from": {"id": chat_id, "is_bot": False, "first_name": "x"},
                },
            },
        ),
        ("wrong-type", "callback string", {"update_id": 1, "callback_query": "x"}),
        (
            "bad-sender",
            "huge chat id",
            {
                "update_id": 1,
                "message": {
                    **msg,
                    "chat": {"id": 10**40, "type": "private"},
                    "text": "hi",
                },
            },
        ),
        (
            "bad-sender",
            "negative chat id",
            {
                "update_id": 1,
                "message": {
                    **msg,
                    "chat": {"id": -100123, "type": "private"},
                    "text": "hi",
                },
            },
        ),
        (
            "other-update",
            "group chat",
            {
                "update_id": 1,
                "message": {**msg, "chat": {"id": -5, "type": "group"}, "text": "hi"},
            },
        ),
        (
            "other-update",
            "edited message",
            {"update_id": 1, "edited_message": {**msg, "text": "hi"}},
        ),
        (
            "other-update",
            "photo",
            {
                "update_id": 1,
                "message": {
                    **msg,
                    "photo": [
                        {"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1}
                    ],
                },
            },
        ),
        (
            "other-update",
            "sticker junk",
            {"update_id": 1, "message": {**msg, "sticker": "x"}},
        ),
        ("other-update", "unknown kind", {"update_id": 1, "poll": {"id": "x"}}),
        ("commands", "start", {"update_id": 1, "message": {**msg, "text": "/start"}}),
        (
            "commands",
            "start other bot",
            {"update_id": 1, "message": {**msg, "text": "/start@other_bot"}},
        ),
        (
            "commands",
            "unknown command",
            {"update_id": 1, "message": {**msg, "text": "/delete_everything now"}},
        ),
    ]
    raw: List[Tuple[str, str, bytes]] = [
        ("empty-body", "no body", b""),
        ("not-json", "plain text", b"hello"),
        ("not-json", "truncated", b'{"update_id": 1, "message": {'),
        (
            "invalid-utf8",
            "invalid byte",
            b'{"update_id": 1, "message": {"text": "\xff"}}',
        ),
        (
            "invalid-utf8",
            "escaped surrogate text",
            json.dumps({"update_id": 1, "message": {**msg, "text": "hi"}})
            .replace('"hi"', '"\\ud800"')
            .encode(),
        ),
        (
            "binary",
            "random bytes",
            bytes(random.Random(2).randrange(256) for _ in range(4096)),
        ),
        ("nested", "100k nested lists", b"[" * 100_000 + b"]" * 100_000),
        (
            "nested",
            "deep update",
            b'{"update_id": 1, "message": ' + b'{"a":' * 20_000 + b"1" + b"}" * 20_001,
        ),
        (
            "size",
            "1 MB text",
            json.dumps(
                {"update_id": 1, "message": {**msg, "text": "z" * 1_000_000}}
            ).encode(),
        ),
    ]
    cases = [Case(c, n, json.dumps(v).encode()) for c, n, v in payloads]
    cases += [Case(c, n, v) for c, n, v in raw]
    return cases


def socketio_bad_payloads(session_id: str) -> List[Case]:
    """user_uttered payloads that are not a well-formed message."""
    payloads: List[Tuple[str, str, Any]] = [
        ("not-object", "null", None),
        ("not-object", "string", "hi"),
        ("not-object", "number", 5),
        ("not-object", "list", ["hi"]),
        ("missing-field", "no message", {"session_id": session_id}),
        ("missing-field", "empty object", {}),
        ("wrong-type", "message number", {"message": 5, "session_id": session_id}),
        ("wrong-type", "message null", {"message": None, "session_id": session_id}),
        ("wrong-type", "message list", {"message": ["hi"], "session_id": session_id}),
        (
            "wrong-type",
            "message object",
            {"message": {"text": "hi"}, "session_id": session_id},
        ),
        (
            "wrong-type",
            "customData string",
            {"message": "hi", "session_id": session_id, "customData": "{not json"},
        ),
        (
            "wrong-type",
            "customData list",
            {"message": "hi", "session_id": session_id, "customData": [1, 2]},
        ),
        (
            "wrong-type",
            "customData huge",
            {
                "message": "hi",
                "session_id": session_id,
                "customData": {"k": "v" * 200_000},
            },
        ),
        (
            "nested",
            "deep customData",
            {"message": "hi", "session_id": session_id, "customData": _deep(500)},
        ),
        ("bad-sender", "no session id", {"message": "hi"}),
        ("bad-sender", "session id number", {"message": "hi", "session_id": 12.5}),
        (
            "bad-sender",
            "session id surrogate",
            {"message": "hi", "session_id": "\ud800"},
        ),
        (
            "bad-sender",
            "session id script",
            {"message": "hi", "session_id": "<script>"},
        ),
        (
            "bad-sender",
            "session id 1000 chars",
            {"message": "hi", "session_id": "s" * 1000},
        ),
        ("binary", "bytes payload", b"\x00\xff" * 1000),
        ("binary", "bytes message", {"message": b"\xff\xfe", "session_id": session_id}),
    ]
    return [Case(c, n, v) for c, n, v in payloads]


def _deep(depth: int) -> Any:
    node: Any = 1
    for _ in range(depth):
        node = {"a": node}
    return node


# ------------------------------------------------------------------------ results
@dataclass
class ChannelResult:
    """Counts for one channel."""

    channel: str
    sent: int = 0
    answered_2xx: int = 0
    refused_4xx: int = 0
    errors_5xx: int = 0
    silent: int = 0
    transport_errors: int = 0
    server_tracebacks: int = 0
    crashed: bool = False
    history_intact: bool = False
    reconnects: int = 0
    deleted_by: List[str] = field(default_factory=list)
    websocket_close_noise: int = 0
    by_category: Dict[str, int] = field(default_factory=dict)
    failures: List[str] = field(default_factory=list)

    def count(self, case: Case) -> None:
        """Counts one sent case in its category."""
        self.sent += 1
        self.by_category[case.category] = self.by_category.get(case.category, 0) + 1

    @property
    def ok(self) -> bool:
        """The channel passed every check."""
        return (
            self.errors_5xx == 0
            and self.silent == 0
            and self.transport_errors == 0
            and self.server_tracebacks == 0
            and not self.crashed
            and self.history_intact
        )


def _status_class(result: ChannelResult, case: Case, status: int) -> None:
    if status >= 500:
        result.errors_5xx += 1
        result.failures.append(f"{case.category}/{case.name}: HTTP {status}")
    elif status >= 400:
        result.refused_4xx += 1
    else:
        result.answered_2xx += 1


def _anchor_events(stack: servers.Stack, sender: str) -> List[Dict[str, Any]]:
    return servers.sqlite_events(stack.db_path, sender)


def _deleted_by(
    result: ChannelResult,
    case: Case,
    stack: servers.Stack,
    sender: str,
    before: List[Dict[str, Any]],
) -> bool:
    """True (and noted) when this case made the bot delete the conversation.

    That is the "delete my data" intent doing its job on an input it matched
    (e.g. an SQL DELETE fragment), not storage damage; the runner then replays
    the anchor turns so later cases are checked against a history again.
    """
    if before and not _anchor_events(stack, sender):
        result.deleted_by.append(f"{case.category}/{case.name}")
        return True
    return False


# sanic 21.12 + python-engineio log this when a websocket closes (stock Rasa's
# socketio channel too): the engine.io handler returns no HTTP response after
# the socket ends. The user sees nothing; it is counted apart, not as a failure.
WEBSOCKET_CLOSE_NOISE = "Invalid response type None (need HTTPResponse)"


def _tracebacks(server: servers.Server, start: int) -> Tuple[int, int]:
    """(tracebacks, of which websocket-close noise) logged since ``start``."""
    log = server.log_text()[start:]
    return log.count("Traceback (most recent call last)"), log.count(
        WEBSOCKET_CLOSE_NOISE
    )


# ------------------------------------------------------------------------ channels
def run_rest(stack: servers.Stack) -> ChannelResult:
    """Every text case in the anchor conversation, then every raw body."""
    result = ChannelResult("REST")
    sender = "robust-rest"
    url = stack.rasa.url + "/webhooks/rest/webhook"
    log_start = len(stack.rasa.log_text())
    for text in ANCHOR_TURNS:
        servers.say(stack.rasa, sender, text)
    before = _anchor_events(stack, sender)
    for case in text_cases():
        result.count(case)
        body = json.dumps({"sender": sender, "message": case.value}).encode()
        try:
            status, raw = servers.http("POST", url, body, timeout=ANSWER_TIMEOUT_S)
        except OSError as error:
            result.transport_errors += 1
            result.failures.append(f"{case.category}/{case.name}: {error}")
            continue
        _status_class(result, case, status)
        if status == 200 and not servers.texts(json.loads(raw)):
            result.silent += 1
            result.failures.append(f"{case.category}/{case.name}: no answer")
        if _deleted_by(result, case, stack, sender, before):
            for text in ANCHOR_TURNS:
                servers.say(stack.rasa, sender, text)
            before = _anchor_events(stack, sender)
    for case in rest_raw_cases(sender):
        result.count(case)
        try:
            status, _ = servers.http("POST", url, case.value, timeout=ANSWER_TIMEOUT_S)
        except OSError as error:
            result.transport_errors += 1
            result.failures.append(f"{case.category}/{case.name}: {error}")
            continue
        _status_class(result, case, status)
    _finish(result, stack, sender, before, log_start)
    return result


def run_telegram(
    stack: servers.Stack, bot_api: FakeBotApi, chat_id: int = 424242
) -> ChannelResult:
    """Text cases as updates of one private chat, then malformed updates.

    The webhook answers 200 before the reply is sent, so an answer is seen as a
    sendMessage call to the fake Bot API.
    """
    result = ChannelResult("Telegram webhook")
    url = stack.rasa.url + "/webhooks/telegram/webhook"
    headers = {
        "Content-Type": "application/json",
        "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET,
    }
    update_ids = iter(range(1, 10**6))
    log_start = len(stack.rasa.log_text())

    def update(text: str) -> bytes:
        message = {
            "message_id": next(update_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Robust"},
            "text": text,
        }
        return json.dumps({"update_id": next(update_ids), "message": message}).encode()

    for text in ANCHOR_TURNS:
        servers.http("POST", url, update(text), headers=headers)
    before = _anchor_events(stack, str(chat_id))
    if not before:
        result.failures.append("the Telegram conversation was not stored")
    texts = text_cases()
    cases: List[Tuple[Case, Optional[bytes]]] = [
        (case, update(case.value)) for case in texts
    ]
    text_ids = {id(case) for case in texts}
    cases += [(case, case.value) for case in telegram_raw_cases(chat_id)]
    cases.append((Case("auth", "no secret header", update("hi")), None))
    for case, body in cases:
        result.count(case)
        sent_before = bot_api.count("sendMessage")
        call_headers = headers
        if body is None:
            body, call_headers = update("hi"), {"Content-Type": "application/json"}
        try:
            status, _ = servers.http(
                "POST", url, body, headers=call_headers, timeout=ANSWER_TIMEOUT_S
            )
        except OSError as error:
            result.transport_errors += 1
            result.failures.append(f"{case.category}/{case.name}: {error}")
            continue
        _status_class(result, case, status)
        if id(case) in text_ids and bot_api.count("sendMessage") == sent_before:
            result.silent += 1
            result.failures.append(f"{case.category}/{case.name}: no answer")
        if _deleted_by(result, case, stack, str(chat_id), before):
            for text in ANCHOR_TURNS:
                servers.http("POST", url, update(text), headers=headers)
            before = _anchor_events(stack, str(chat_id))
    _finish(result, stack, str(chat_id), before, log_start)
    return result


def run_socketio(stack: servers.Stack) -> ChannelResult:
    """Text cases as user_uttered events of one session, then malformed events."""
    return asyncio.run(_run_socketio(stack))


class SocketioUser:
    """One widget user: a socket.io connection bound to a persistent session id.

    The server closes a connection that sends a frame over engine.io's 1 MB
    limit; the user then reconnects with the same session id, as the widget does.
    """

    def __init__(self, url: str, session_id: str) -> None:
        """Remembers where to connect; connect() opens the connection."""
        self.url = url
        self.session_id = session_id
        self.answers: "asyncio.Queue[Any]" = asyncio.Queue()
        self.client: Any = None
        self.reconnects = 0
        self.connects = 0

    async def connect(self) -> None:
        """Connects and asks for our session (session_request/session_confirm)."""
        import socketio

        client = socketio.AsyncClient(reconnection=False)
        confirmed = asyncio.Event()
        client.on("bot_uttered", lambda data: self.answers.put_nowait(data))
        client.on("session_confirm", lambda data: confirmed.set())
        await client.connect(self.url, socketio_path="/socket.io")
        self.connects += 1
        await client.emit("session_request", {"session_id": self.session_id})
        await asyncio.wait_for(confirmed.wait(), ANSWER_TIMEOUT_S)
        self.client = client

    async def ensure_connected(self) -> bool:
        """Reconnects when the server closed the connection; False if it can't."""
        if self.client is not None and self.client.connected:
            return True
        self.reconnects += 1
        try:
            await self.connect()
        except Exception:
            return False
        return True

    async def send(self, payload: Any, expect_answer: bool) -> str:
        """Emits user_uttered: 'answered', 'silent', 'closed' or 'sent'."""
        while not self.answers.empty():
            self.answers.get_nowait()
        try:
            await self.client.emit("user_uttered", payload)
        except Exception:
            return "closed"
        if not expect_answer:
            await asyncio.sleep(0.2)
            return "sent" if self.client.connected else "closed"
        try:
            await asyncio.wait_for(self.answers.get(), ANSWER_TIMEOUT_S)
        except asyncio.TimeoutError:
            return "silent" if self.client.connected else "closed"
        # Let the rest of this turn's messages arrive before the next turn.
        await asyncio.sleep(0.3)
        return "answered"

    async def close(self) -> None:
        """Disconnects."""
        if self.client is not None and self.client.connected:
            await self.client.disconnect()


async def _run_socketio(stack: servers.Stack) -> ChannelResult:
    result = ChannelResult("socket.io (widget)")
    user = SocketioUser(stack.rasa.url, "robust-socketio-session")
    log_start = len(stack.rasa.log_text())
    await user.connect()
    for text in ANCHOR_TURNS:
        await user.send({"message": text, "session_id": user.session_id}, True)
    before = _anchor_events(stack, user.session_id)
    if not before:
        result.failures.append("the socket.io conversation was not stored")
    sid = user.session_id
    cases = [
        (case, {"message": case.value, "session_id": sid}, True)
        for case in text_cases()
    ]
    cases += [(case, case.value, False) for case in socketio_bad_payloads(sid)]
    for case, payload, expect_answer in cases:
        result.count(case)
        if not await user.ensure_connected():
            result.transport_errors += 1
            result.failures.append(f"{case.category}/{case.name}: cannot reconnect")
            continue
        outcome = await user.send(payload, expect_answer)
        if outcome == "answered":
            result.answered_2xx += 1
        elif outcome in ("sent", "closed"):
            # Ignored by the channel, or refused by engine.io (frame over 1 MB).
            result.refused_4xx += 1
        else:
            result.silent += 1
            result.failures.append(f"{case.category}/{case.name}: no answer")
        if _deleted_by(result, case, stack, user.session_id, before):
            for text in ANCHOR_TURNS:
                await user.send({"message": text, "session_id": sid}, True)
            before = _anchor_events(stack, user.session_id)
    # The session still works after all that, on the same conversation.
    if (
        not (await user.ensure_connected())
        or await user.send({"message": "hello", "session_id": user.session_id}, True)
        != "answered"
    ):
        result.failures.append("no answer after the bad payloads")
        result.silent += 1
    await user.close()
    result.reconnects = user.reconnects
    _finish(result, stack, user.session_id, before, log_start)
    return result


def _finish(
    result: ChannelResult,
    stack: servers.Stack,
    sender: str,
    before: List[Dict[str, Any]],
    log_start: int,
) -> None:
    result.crashed = not (stack.rasa.alive() and stack.actions.alive())
    after = _anchor_events(stack, sender)
    result.history_intact = bool(before) and after[: len(before)] == before
    if not result.history_intact:
        result.failures.append("earlier events of the conversation changed")
    tracebacks, noise = _tracebacks(stack.rasa, log_start)
    result.server_tracebacks = tracebacks - noise
    result.websocket_close_noise = noise


# -------------------------------------------------------------------------- driver
def run_suite(
    work_dir: Path, channels: Optional[List[str]] = None
) -> List[ChannelResult]:
    """Starts the servers, runs the chosen channels, stops the servers."""
    chosen = channels or ["rest", "socketio", "telegram"]
    with FakeBotApi(TELEGRAM_TOKEN) as bot_api:
        runners: Dict[str, Callable[[servers.Stack], ChannelResult]] = {
            "rest": run_rest,
            "socketio": run_socketio,
            "telegram": lambda stack: run_telegram(stack, bot_api),
        }
        env = servers.base_env(
            TELEGRAM_ACCESS_TOKEN=TELEGRAM_TOKEN,
            TELEGRAM_SECRET_TOKEN=TELEGRAM_SECRET,
            TELEGRAM_API_BASE_URL=bot_api.url,
            TELEGRAM_BOT_USERNAME="robustness_bot",
        )
        stack = servers.start_sqlite_stack(work_dir, env=env)
        try:
            return [runners[name](stack) for name in chosen]
        finally:
            servers.stop_stack(stack)


def case_counts() -> Dict[str, int]:
    """How many inputs each channel gets (for the report and the test)."""
    return {
        "REST": len(text_cases()) + len(rest_raw_cases("x")),
        "socket.io (widget)": len(text_cases()) + len(socketio_bad_payloads("x")),
        "Telegram webhook": len(text_cases()) + len(telegram_raw_cases(1)) + 1,
    }


def render_report(results: List[ChannelResult], command: str) -> str:
    """reports/robustness.md."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Robustness: malformed and hostile inputs",
        "",
        f"Generated by `{command}` at commit {commit}, {today}.",
        "",
        "Each channel first holds a two-turn conversation, then receives every "
        "case in that same conversation (text cases in a well-formed envelope; "
        "malformed bodies and payloads as they are). Pass: no 5xx, no silence for "
        "a text message, no server traceback, no server process ended, and the "
        "conversation's earlier events unchanged in the tracker store.",
        "",
        "| Channel | Inputs | 2xx / answered | 4xx / ignored | 5xx | Silent "
        "| Transport errors | Server tracebacks | Crashed | Earlier events intact "
        "| Pass |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.channel} | {r.sent} | {r.answered_2xx} | {r.refused_4xx} | "
            f"{r.errors_5xx} | {r.silent} | {r.transport_errors} | "
            f"{r.server_tracebacks} | {'yes' if r.crashed else 'no'} | "
            f"{'yes' if r.history_intact else 'NO'} | {'yes' if r.ok else 'NO'} |"
        )
    lines += ["", f"Total inputs: {sum(r.sent for r in results)}.", ""]
    for r in results:
        if r.websocket_close_noise:
            lines += [
                f"{r.channel}: {r.websocket_close_noise} log line(s) "
                f"`{WEBSOCKET_CLOSE_NOISE}` when a websocket closed (sanic 21.12 "
                "with python-engineio, also with stock Rasa); not a failure.",
                "",
            ]
        if r.reconnects:
            lines += [
                f"{r.channel}: the server closed the connection {r.reconnects} "
                "time(s) on a frame over engine.io's 1 MB limit (counted as "
                "refused); the client reconnected to the same session.",
                "",
            ]
    categories = sorted({c for r in results for c in r.by_category})
    lines.append("| Category | " + " | ".join(r.channel for r in results) + " |")
    lines.append("|---|" + "---|" * len(results))
    for category in categories:
        counts = " | ".join(str(r.by_category.get(category, 0)) for r in results)
        lines.append(f"| {category} | {counts} |")
    deletions = [
        f"- {r.channel}: {', '.join(r.deleted_by)}" for r in results if r.deleted_by
    ]
    lines += (
        [
            '## Inputs the bot took as "delete my data"',
            "",
            "These inputs were classified as the `delete_my_data` intent, so the bot "
            "deleted the conversation as asked (not storage damage); the anchor "
            "conversation was then replayed and checked again.",
            "",
        ]
        + (deletions or ["None."])
        + [""]
    )
    failures = [f"- {r.channel}: {f}" for r in results for f in r.failures]
    lines += ["", "## Failures", ""] + (failures or ["None."]) + [""]
    return "\n".join(lines)


def main() -> int:
    """Runs the suite and writes the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", default="reports/robustness.md")
    parser.add_argument("--work-dir", help="keep server logs here (default: temp)")
    parser.add_argument(
        "--channels", nargs="*", choices=["rest", "socketio", "telegram"]
    )
    args = parser.parse_args()
    if args.work_dir:
        Path(args.work_dir).mkdir(parents=True, exist_ok=True)
        results = run_suite(Path(args.work_dir), args.channels)
    else:
        with tempfile.TemporaryDirectory(prefix="robustness-") as tmp:
            results = run_suite(Path(tmp), args.channels)
    command = " ".join([".venv/bin/python", "scripts/robustness.py", *sys.argv[1:]])
    if os.environ.get("RELIABILITY_MODEL"):
        command = f"RELIABILITY_MODEL={servers.MODEL} {command}"
    report = render_report(results, command)
    path = ROOT / args.report
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report)
    for r in results:
        print(
            f"{r.channel}: {r.sent} inputs, 5xx {r.errors_5xx}, silent {r.silent}, "
            f"tracebacks {r.server_tracebacks}, crashed {r.crashed}, "
            f"intact {r.history_intact} -> {'ok' if r.ok else 'FAIL'}"
        )
    print(f"Report: {path}")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
