"""The bad inputs: hostile text, raw REST and Telegram bodies, socket.io payloads."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, List, Tuple

ROOT = Path(__file__).resolve().parents[2]


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
