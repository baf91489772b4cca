"""No reply lost on a bad connection: the link between Chromium and the bot is cut
in the middle of the questions (tests/browser/flaky_link.py).

- The widget shows that it is reconnecting and reconnects by itself.
- An answer given while offline waits, marked "not sent yet", and reaches the
  server exactly once when the link is back (counted in the tracker database).
- Bot replies the server sent while the page could not receive them are shown
  after reconnecting, and after a reload, from the server's history: the
  widget's bot messages then equal the conversation the server stored.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Iterator, List, Tuple
from urllib.parse import urlparse

import pytest
from channels.servers import Bot
from playwright.sync_api import Browser, Page

from browser.flaky_link import FlakyLink
from browser.widget_page import (
    BOT_BUBBLES,
    OPEN_BUTTONS,
    REPLY_TIMEOUT_MS,
    REPORTS,
    describe_symptom,
    new_page,
    wait_for_question_or_banner,
)

SERVER_TIMEOUT_S = 60


@pytest.fixture()
def link(bot: Bot) -> Iterator[FlakyLink]:
    parsed = urlparse(bot.url)
    flaky = FlakyLink((parsed.hostname or "127.0.0.1", parsed.port or 80))
    yield flaky
    flaky.close()


def tracker_db(bot: Bot) -> sqlite3.Connection:
    return sqlite3.connect(str(bot.db))


def session_id(page: Page) -> str:
    stored = page.evaluate("() => JSON.stringify(Object.entries(localStorage))")
    (entry,) = json.loads(stored)
    return json.loads(entry[1])["sessionId"]


def stored_events(bot: Bot, sender: str, type_name: str) -> List[dict]:
    with tracker_db(bot) as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = ? ORDER BY id",
            (sender, type_name),
        ).fetchall()
    return [json.loads(row[0]) for row in rows]


def user_events_with_id(bot: Bot, sender: str, message_id: str) -> int:
    return sum(
        1
        for event in stored_events(bot, sender, "user")
        if (event.get("metadata") or {}).get("message_id") == message_id
    )


def stored_bot_texts(bot: Bot, sender: str) -> List[str]:
    """Bot texts as the socket channel sends them: split at blank lines."""
    texts: List[str] = []
    for event in stored_events(bot, sender, "bot"):
        if event.get("text"):
            texts += event["text"].strip().split("\n\n")
    return texts


def shown_bot_texts(page: Page) -> List[str]:
    return page.locator(BOT_BUBBLES).evaluate_all("els => els.map(e => e.textContent)")


def wait_for_server_reply(bot: Bot, sender: str, after_bot_events: int) -> None:
    """Wait until the server stored the bot's reply to the last message."""
    deadline = time.monotonic() + SERVER_TIMEOUT_S
    while time.monotonic() < deadline:
        if len(stored_events(bot, sender, "bot")) > after_bot_events:
            time.sleep(1.0)  # the rest of the turn
            return
        time.sleep(0.2)
    raise AssertionError("the server never answered")


def outbox(page: Page) -> list:
    stored = page.evaluate("() => JSON.stringify(Object.entries(localStorage))")
    (entry,) = json.loads(stored)
    return json.loads(entry[1])["outbox"]


def open_through(browser: Browser, link: FlakyLink) -> Page:
    page, _ = new_page(browser, 1280, 800)
    page.goto(f"{link.url}/webhooks/webchat/")
    page.wait_for_selector(BOT_BUBBLES, timeout=REPLY_TIMEOUT_MS)
    return page


def test_answer_given_offline_is_sent_once_when_back(
    browser: Browser, bot: Bot, link: FlakyLink
):
    page = open_through(browser, link)
    describe_symptom(page)
    sender = session_id(page)
    users_before = len(stored_events(bot, sender, "user"))

    link.cut()
    page.wait_for_selector(".lna-root[data-connection=reconnecting]", timeout=15_000)
    status = page.locator(".lna-status")
    assert status.is_visible()
    assert "reconnecting" in status.inner_text().lower()
    assert status.get_attribute("role") == "status"

    option = page.locator(OPEN_BUTTONS).first
    title = option.inner_text()
    option.click()
    page.wait_for_selector(".lna-pending")
    assert page.locator(".lna-user .lna-bubble").last.inner_text() == title
    (queued,) = outbox(page)
    REPORTS.mkdir(exist_ok=True)
    page.screenshot(path=str(REPORTS / "widget-reconnecting.png"))
    page.wait_for_timeout(3000)  # retries keep failing: nothing may leak out
    assert len(stored_events(bot, sender, "user")) == users_before

    link.restore()
    page.wait_for_selector(".lna-root[data-connection=online]", timeout=30_000)
    page.wait_for_selector(".lna-pending", state="detached", timeout=15_000)
    assert outbox(page) == []
    wait_for_question_or_banner(page)
    assert user_events_with_id(bot, sender, queued["id"]) == 1
    assert page.locator(".lna-status").is_hidden()
    assert shown_bot_texts(page) == stored_bot_texts(bot, sender)


def answer_while_replies_are_lost(
    browser: Browser, bot: Bot, link: FlakyLink
) -> Tuple[Page, str, List[str]]:
    """Answer the first question while the server's replies are thrown away;
    returns the page, the session id and the bot texts shown before."""
    page = open_through(browser, link)
    describe_symptom(page)
    sender = session_id(page)
    shown_before = shown_bot_texts(page)
    link.drop_replies()
    bot_events = len(stored_events(bot, sender, "bot"))
    page.locator(OPEN_BUTTONS).first.click()
    wait_for_server_reply(bot, sender, bot_events)
    assert shown_bot_texts(page) == shown_before, "a reply got through the cut"
    return page, sender, shown_before


def assert_missed_replies_shown(
    page: Page, bot: Bot, sender: str, shown_before: List[str]
) -> None:
    page.wait_for_selector(".lna-root[data-connection=online]", timeout=30_000)
    wait_for_question_or_banner(page)
    assert session_id(page) == sender
    assert shown_bot_texts(page) == stored_bot_texts(bot, sender)
    assert len(shown_bot_texts(page)) > len(shown_before)


def test_replies_lost_on_the_way_come_back_after_reconnecting(
    browser: Browser, bot: Bot, link: FlakyLink
):
    page, sender, shown_before = answer_while_replies_are_lost(browser, bot, link)
    link.cut()
    page.wait_for_selector(".lna-root[data-connection=reconnecting]", timeout=15_000)
    link.restore()
    assert_missed_replies_shown(page, bot, sender, shown_before)


def test_replies_lost_on_the_way_come_back_after_a_reload(
    browser: Browser, bot: Bot, link: FlakyLink
):
    page, sender, shown_before = answer_while_replies_are_lost(browser, bot, link)
    link.cut()
    link.restore()
    page.reload()
    assert_missed_replies_shown(page, bot, sender, shown_before)
