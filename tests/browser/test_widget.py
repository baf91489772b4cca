"""The website chat widget in a real headless Chromium (Debian's package).

Starts the action server and `rasa run` with the repository's credentials.yml
(the same socket.io channel `make run` serves), opens the demo page and chats
like a person: a symptom, a question, button presses up to an assessment
banner; a reload keeps the conversation; HTML typed by the user stays text.
Screenshots (desktop and phone width) go to reports/.
"""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
import yaml
from channels.servers import ROOT, Bot, running_bot
from playwright.sync_api import Browser, Dialog, Page, sync_playwright

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
XSS = "<img src=x onerror=alert(1)>"
URGENCIES = {"emergency", "urgent", "routine", "self_care"}
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


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    credentials = (ROOT / "credentials.yml").read_text()
    with running_bot(tmp_path_factory.mktemp("webchat"), credentials) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "Chromium is not installed and could not be installed here "
            "(`make test-browser` runs apt-get install chromium first)"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
        )
        yield launched
        launched.close()


def open_page(
    browser: Browser, bot: Bot, width: int, height: int
) -> Tuple[Page, List[Dialog]]:
    """The demo page in a fresh profile, once the greeting is shown; and the
    list that collects any JavaScript dialog (alert) the page opens."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    dialogs: List[Dialog] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
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


def wait_for_question_or_banner(page: Page) -> None:
    """Wait for the bot's whole turn: one turn can be several messages (an
    assessment is texts, follow-up buttons, then the banner)."""
    page.wait_for_selector(f"{OPEN_BUTTONS}, {BANNER}", timeout=REPLY_TIMEOUT_MS)
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


def chat_to_assessment(page: Page) -> int:
    """Describe a symptom, then answer with buttons until a banner; returns presses."""
    assert page.locator(BOT_BUBBLES).first.inner_text() in greetings()
    page.fill(".lna-input", SYMPTOM)
    page.press(".lna-input", "Enter")
    page.wait_for_selector(OPEN_BUTTONS, timeout=REPLY_TIMEOUT_MS)
    wait_for_question_or_banner(page)
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


def transcript(page: Page) -> List[str]:
    return page.locator(".lna-messages > *").all_inner_texts()


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


# A stand-in for socket.io: the widget uses window.io when the page already has
# it, so this page feeds the widget canned bot messages without any server.
STUB_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<script>
window.BOT_MESSAGES = %s;
window.io = function () {
  var handlers = {};
  var socket = {
    on: function (event, fn) { handlers[event] = fn; },
    emit: function (event, data) {
      if (event === "session_request") handlers.session_confirm("stub-session-1");
      if (event === "user_uttered") window.BOT_MESSAGES.forEach(function (m) {
        handlers.bot_uttered(m);
      });
    },
  };
  setTimeout(function () { handlers.connect(); }, 0);
  return socket;
};
</script>
<script src="/webhooks/webchat/web/widget.js"></script>
<script>LegNumbnessChat.init({ open: true });</script>
</body></html>"""

HOSTILE_BOT_TEXT = (
    '<b>bold</b><img src=x onerror=alert("bot")><script>alert(2)</script>'
)


def open_stub_page(
    browser: Browser, bot: Bot, messages: List[dict]
) -> Tuple[Page, List[Dialog]]:
    """The widget on a page whose stub socket answers every message with
    ``messages``; served from the bot's origin so widget.js loads as usual."""
    context = browser.new_context(viewport={"width": 390, "height": 1400})
    page = context.new_page()
    dialogs: List[Dialog] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
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
    return page, dialogs


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
