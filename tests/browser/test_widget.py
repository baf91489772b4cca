"""The website chat widget in a real headless Chromium (Debian's package).

Starts the action server and `rasa run` with the repository's credentials.yml
(the same socket.io channel `make run` serves), opens the demo page and chats
like a person: a symptom, a question, button presses up to an assessment
banner; a reload keeps the conversation; HTML typed by the user stays text.
Screenshots (desktop and phone width) go to reports/.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import List

import pytest
from channels.servers import Bot
from playwright.sync_api import Browser, Page, Request

from browser.widget_page import (
    BANNER,
    BOT_BUBBLES,
    REPLY_TIMEOUT_MS,
    REPORTS,
    chat_to_assessment,
    new_page,
    open_page,
    open_stub_page,
    say,
    transcript,
)

XSS = "<img src=x onerror=alert(1)>"
URGENCIES = {"emergency", "urgent", "routine", "self_care"}


def check_banner(page: Page) -> str:
    banner = page.locator(BANNER).last
    urgency = banner.get_attribute("data-urgency")
    assert urgency in URGENCIES
    text = banner.inner_text().lower()
    assert "not a diagnosis" in text
    if urgency == "emergency":
        assert "call emergency services" in text
        red, green, blue = banner.evaluate(
            "el => getComputedStyle(el).backgroundColor.match(/\\d+/g).map(Number)"
        )
        assert red > 150 and green < 80 and blue < 80, "emergency banner is not red"
    return urgency


def answered_buttons(page: Page) -> List[bool]:
    """For each button shown, whether its question was already answered."""
    return page.locator(".lna-buttons button").evaluate_all(
        "els => els.map(el => el.disabled)"
    )


def test_widget_chats_to_an_assessment_and_keeps_it_across_reload(
    browser: Browser, bot: Bot
):
    page, _ = open_page(browser, bot, 1280, 800)
    presses = chat_to_assessment(page)
    assert presses >= 1
    check_banner(page)
    REPORTS.mkdir(exist_ok=True)
    page.screenshot(path=str(REPORTS / "widget-desktop.png"))

    before = transcript(page), answered_buttons(page)
    session = page.evaluate("() => JSON.stringify(Object.entries(localStorage))")
    page.reload()
    page.wait_for_selector(BANNER, timeout=REPLY_TIMEOUT_MS)
    assert (transcript(page), answered_buttons(page)) == before

    # The same session id after the reload, and replies still arrive on it
    # (python-socketio >= 5.10 broke this with session persistence).
    say(page, "thanks")
    after = page.evaluate("() => JSON.stringify(Object.entries(localStorage))")
    assert _session_id(after) == _session_id(session)


def _session_id(storage_json: str) -> str:
    (entry,) = json.loads(storage_json)
    return json.loads(entry[1])["sessionId"]


def test_html_typed_by_the_user_is_shown_as_text(browser: Browser, bot: Bot):
    page, dialogs = open_page(browser, bot, 1280, 800)
    say(page, XSS)
    assert page.locator(".lna-user .lna-bubble").last.inner_text() == XSS
    assert page.locator(".lna-messages img").count() == 0
    page.wait_for_timeout(500)  # give a would-be onerror handler its chance
    assert dialogs == []


def test_widget_is_usable_at_phone_width(browser: Browser, bot: Bot):
    width = 390
    page, _ = open_page(browser, bot, width, 844)
    panel = page.locator(".lna-panel").bounding_box()
    assert panel is not None and panel["width"] == width
    chat_to_assessment(page)
    check_banner(page)
    for box in page.locator(".lna-bubble, .lna-banner, .lna-input, .lna-send").all():
        bounds = box.bounding_box()
        assert bounds is not None and bounds["x"] >= 0
        assert bounds["x"] + bounds["width"] <= width + 0.5
    REPORTS.mkdir(exist_ok=True)
    page.screenshot(path=str(REPORTS / "widget-phone.png"))


HOSTILE_BOT_TEXT = (
    '<b>bold</b><img src=x onerror=alert("bot")><script>alert(2)</script>'
)


def test_each_urgency_has_its_own_banner_and_bot_html_stays_text(
    browser: Browser, bot: Bot
):
    messages = [{"text": HOSTILE_BOT_TEXT}] + [
        {
            "custom": {
                "assessment": {
                    "urgency": urgency,
                    "causes": ["a_cause<img src=x onerror=alert(3)>"],
                    "specialists": ["neurologist"],
                    "tests": [],
                }
            }
        }
        for urgency in ("emergency", "urgent", "routine", "self_care")
    ]
    page, dialogs = open_stub_page(browser, bot, messages)
    say(page, "hello")
    page.wait_for_selector(f"{BANNER}[data-urgency=self_care]")

    assert page.locator(BOT_BUBBLES).last.inner_text() == HOSTILE_BOT_TEXT
    assert page.locator(".lna-messages img, .lna-messages b").count() == 0
    banners = page.locator(BANNER)
    assert banners.count() == 4
    looks = banners.evaluate_all(
        "els => els.map(el => getComputedStyle(el).backgroundColor)"
    )
    assert len(set(looks)) == 4, f"urgency levels look alike: {looks}"
    assert "call emergency services" in banners.first.inner_text().lower()
    page.wait_for_timeout(500)
    assert dialogs == []
    REPORTS.mkdir(exist_ok=True)
    page.locator(".lna-messages").screenshot(path=str(REPORTS / "widget-banners.png"))


def test_page_and_widget_are_served_and_nothing_outside_web(bot: Bot):
    base = f"{bot.url}/webhooks/webchat"
    for path in ("/", "/web/widget.js", "/web/widget.css",
                 "/web/vendor/socket.io-client-4.8.1/socket.io.min.js"):  # fmt: skip
        with urllib.request.urlopen(base + path, timeout=10) as reply:
            assert reply.status == 200
    for path in ("/web/../../credentials.yml", "/web/%2e%2e/bot/channels/webchat.py",
                 "/web/..%2f..%2fcredentials.yml"):  # fmt: skip
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + path, timeout=10)
        assert refused.value.code in (400, 403, 404)


def test_deleted_conversation_is_dropped_from_the_browser_too(
    browser: Browser, bot: Bot
):
    confirmation = "Your conversation has been deleted."
    page, _ = open_stub_page(
        browser,
        bot,
        [{"text": confirmation}, {"custom": {"conversation_deleted": True}}],
    )
    page.fill(".lna-input", "delete my data")
    page.press(".lna-input", "Enter")
    page.wait_for_function("() => document.querySelectorAll('.lna-row').length === 1")
    assert transcript(page) == [confirmation]
    stored = json.loads(
        page.evaluate("() => JSON.stringify(Object.entries(localStorage))")
    )
    assert [m.get("text") for m in json.loads(stored[0][1])["messages"]] == [
        confirmation
    ]


def test_widget_uses_the_websocket_transport_only(browser: Browser, bot: Bot):
    # Long-polling would need sticky sessions behind several Rasa servers.
    page, _ = new_page(browser, 1280, 800)
    polling: List[str] = []
    sockets: List[str] = []

    def record_polling(request: Request) -> None:
        if "/socket.io/" in request.url and "transport=polling" in request.url:
            polling.append(request.url)

    page.on("request", record_polling)
    page.on("websocket", lambda socket: sockets.append(socket.url))
    page.goto(f"{bot.url}/webhooks/webchat/")
    page.wait_for_selector(BOT_BUBBLES, timeout=REPLY_TIMEOUT_MS)
    say(page, "hello")
    assert polling == []
    assert sockets and all("transport=websocket" in url for url in sockets), sockets
