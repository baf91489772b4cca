"""Shared helpers for the browser tests: open the demo page, chat like a person,
wait for the bot's whole turn, and a stub page whose fake socket answers with
canned bot messages (no server needed for rendering checks)."""

from __future__ import annotations

import json
import shutil
from typing import List, Tuple

import yaml
from channels.servers import ROOT, Bot
from playwright.sync_api import Browser, Dialog, Page

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
REPORTS = ROOT / "reports"
SYMPTOM = "My feet have been numb and tingling for a few weeks"
# A definite stroke sign: the emergency prompt comes on the first turn.
EMERGENCY_OPENING = (
    "all of a sudden my left arm and leg went numb, my face is drooping "
    "and my words are slurred"
)
MAX_BUTTON_PRESSES = 20
REPLY_TIMEOUT_MS = 60_000
QUIET_MS = 1500  # no new message for this long: the bot's turn is over

BOT_BUBBLES = ".lna-bot .lna-bubble"
OPEN_BUTTONS = ".lna-buttons button:not(:disabled)"
BANNER = ".lna-banner"


def greetings() -> List[str]:
    """The greeting texts the domain may send (utter_greet)."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    return [variant["text"] for variant in domain["responses"]["utter_greet"]]


def new_page(
    browser: Browser, width: int, height: int, **context_options: object
) -> Tuple[Page, List[Dialog]]:
    """A page in a fresh profile; and the list that collects any JavaScript
    dialog (alert) the page opens."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, **context_options
    )
    page = context.new_page()
    dialogs: List[Dialog] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    return page, dialogs


def open_page(
    browser: Browser, bot: Bot, width: int, height: int, **context_options: object
) -> Tuple[Page, List[Dialog]]:
    """The demo page in a fresh profile, once the greeting is shown."""
    page, dialogs = new_page(browser, width, height, **context_options)
    page.goto(f"{bot.url}/webhooks/webchat/")
    page.wait_for_selector(BOT_BUBBLES, timeout=REPLY_TIMEOUT_MS)
    return page, dialogs


def say(page: Page, text: str) -> None:
    """Type a message and wait until the bot has answered it."""
    before = page.locator(".lna-row").count()
    page.fill(".lna-input", text)
    page.press(".lna-input", "Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('.lna-row.lna-bot, .lna-banner').length > 0"
        " && document.querySelectorAll('.lna-row, .lna-banner').length > n + 1",
        arg=before,
        timeout=REPLY_TIMEOUT_MS,
    )


def wait_for_quiet(page: Page) -> None:
    """Wait until no new message came for QUIET_MS: one bot turn can be several
    messages (an assessment is texts, follow-up buttons, then the banner)."""
    page.wait_for_function(
        """quietMs => {
            const n = document.querySelectorAll('.lna-messages > *').length;
            if (window.__lnaCount !== n) {
                window.__lnaCount = n;
                window.__lnaSince = Date.now();
                return false;
            }
            return Date.now() - window.__lnaSince >= quietMs;
        }""",
        arg=QUIET_MS,
        polling=100,
        timeout=REPLY_TIMEOUT_MS,
    )


def wait_for_question_or_banner(page: Page) -> None:
    """Wait for the bot's whole turn that ends in options or a banner."""
    page.wait_for_selector(f"{OPEN_BUTTONS}, {BANNER}", timeout=REPLY_TIMEOUT_MS)
    wait_for_quiet(page)


def describe_symptom(page: Page) -> None:
    """Send the opening symptom and wait for the first question's options."""
    assert page.locator(BOT_BUBBLES).first.inner_text() in greetings()
    page.fill(".lna-input", SYMPTOM)
    page.press(".lna-input", "Enter")
    page.wait_for_selector(OPEN_BUTTONS, timeout=REPLY_TIMEOUT_MS)
    wait_for_question_or_banner(page)


def answer_until_banner(page: Page) -> int:
    """Press the first open option until a banner shows; returns presses."""
    presses = 0
    while page.locator(BANNER).count() == 0:
        assert presses < MAX_BUTTON_PRESSES, "no assessment after many answers"
        button = page.locator(OPEN_BUTTONS).first
        title = button.inner_text()
        button.click()
        presses += 1
        assert page.locator(".lna-user .lna-bubble").last.inner_text() == title
        wait_for_question_or_banner(page)
    return presses


def chat_to_assessment(page: Page) -> int:
    """Describe a symptom, then answer with buttons until a banner; returns presses."""
    describe_symptom(page)
    return answer_until_banner(page)


def transcript(page: Page) -> List[str]:
    return page.locator(".lna-messages > *").all_inner_texts()


# A stand-in for socket.io: the widget uses window.io when the page already has
# it, so this page feeds the widget canned bot messages without any server.
STUB_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Widget with a stub socket</title></head><body>
<main><h1>Stub page</h1></main>
<script>
window.BOT_MESSAGES = %s;
window.io = function () {
  var handlers = {};
  var noop = function () {};
  var socket = {
    connected: false,
    io: { on: noop },
    on: function (event, fn) { handlers[event] = fn; },
    connect: noop,
    emit: function (event, data) {
      if (event === "session_request") handlers.session_confirm("stub-session-1");
      if (event === "user_uttered") window.BOT_MESSAGES.forEach(function (m) {
        handlers.bot_uttered(m);
      });
    },
  };
  setTimeout(function () { socket.connected = true; handlers.connect(); }, 0);
  return socket;
};
</script>
<script src="/webhooks/webchat/web/widget.js"></script>
<script>LegNumbnessChat.init({ open: true });</script>
</body></html>"""


def open_stub_page(
    browser: Browser,
    bot: Bot,
    messages: List[dict],
    width: int = 390,
    height: int = 1400,
) -> Tuple[Page, List[Dialog]]:
    """The widget on a page whose stub socket answers every message with
    ``messages``; served from the bot's origin so widget.js loads as usual."""
    page, dialogs = new_page(browser, width, height)
    url = f"{bot.url}/webhooks/webchat/stub-page"
    page.route(
        url,
        lambda route: route.fulfill(
            content_type="text/html",
            # "<\\/" keeps a "</script>" inside the data from ending the script.
            body=STUB_PAGE % json.dumps(messages).replace("</", "<\\/"),
        ),
    )
    page.goto(url)
    page.wait_for_selector(".lna-input")
    return page, dialogs


def assessment_messages(urgencies: Tuple[str, ...]) -> List[dict]:
    """One custom assessment message per urgency level."""
    return [
        {
            "custom": {
                "assessment": {
                    "urgency": urgency,
                    "causes": ["a_cause"],
                    "specialists": ["neurologist"],
                    "tests": [],
                }
            }
        }
        for urgency in urgencies
    ]
