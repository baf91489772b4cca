"""What an automatic audit cannot see, checked in Chromium by hand-written tests:

- a whole conversation with the keyboard only, from the launcher to the
  assessment and "New chat"; after each bot turn focus is on the newest bot
  message or its first option, never hidden (WCAG 2.4.11), and Tab can leave
  the widget (no keyboard trap, 2.1.2);
- the transcript is a role="log" live region; the emergency banner is an
  assertive alert, the other banners and the connection status polite;
- answer options at least 24×24 px (2.5.8) and readable after use (4.5:1);
- reflow at 320 px wide and at 200 % zoom (1.4.10): no sideways scrolling;
- prefers-reduced-motion switches the widget's motion off;
- the page and the widget declare their language (3.1.1).
"""

from __future__ import annotations

from typing import List

from channels.servers import Bot
from playwright.sync_api import Browser, Page

from browser.widget_page import (
    BANNER,
    BOT_BUBBLES,
    MAX_BUTTON_PRESSES,
    REPLY_TIMEOUT_MS,
    REPORTS,
    SYMPTOM,
    assessment_messages,
    greetings,
    open_page,
    open_stub_page,
    wait_for_question_or_banner,
)

FOCUS_SETTLE_MS = 800  # the widget moves focus 350 ms after a turn's last message
MAX_TABS = 40

# Relative luminance and contrast ratio as WCAG 2 defines them, computed from
# the colours Chromium actually paints (opacity of the element and its parents
# folded into the text colour over the button's own background).
CONTRAST_JS = """el => {
    const rgb = s => s.match(/[\\d.]+/g).map(Number);
    const lum = ([r, g, b]) => {
        const c = [r, g, b].map(v => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    let opacity = 1;
    for (let n = el; n; n = n.parentElement) {
        opacity *= Number(getComputedStyle(n).opacity);
    }
    const style = getComputedStyle(el);
    const bg = rgb(style.backgroundColor);
    const fg = rgb(style.color).slice(0, 3)
        .map((v, i) => v * opacity + bg[i] * (1 - opacity));
    const [a, b] = [lum(fg), lum(bg.slice(0, 3))].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
}"""

# The focused element is inside the viewport and inside every scrolling box
# around it, and is what a click at its centre would hit (nothing covers it).
FOCUS_VISIBLE_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "no focus";
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return "focus on an invisible element";
    const x = r.left + Math.min(r.width / 2, 20);
    const y = r.top + Math.min(r.height / 2, 10);
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return "focus off screen";
    const hit = document.elementFromPoint(x, y);
    if (!hit || !(el === hit || el.contains(hit))) {
        return "focus hidden under " + (hit ? hit.className || hit.tagName : "nothing");
    }
    return "";
}"""


def focused(page: Page, selector: str) -> bool:
    return page.evaluate(
        "sel => document.activeElement && document.activeElement.matches(sel)",
        selector,
    )


def assert_focus_visible(page: Page) -> None:
    problem = page.evaluate(FOCUS_VISIBLE_JS)
    assert problem == "", problem


def assert_focus_on_newest_bot_message_or_option(page: Page) -> None:
    """After a turn: the first open option of the newest bot message, else that
    message itself."""
    page.wait_for_timeout(FOCUS_SETTLE_MS)
    where = page.evaluate(
        """() => {
            const rows = [...document.querySelectorAll(
                '.lna-messages > [tabindex="-1"]')];
            const newest = rows[rows.length - 1];
            const first = newest.querySelector('.lna-button:not(:disabled)');
            const active = document.activeElement;
            if (first) return active === first ? "" : "not on the first option";
            return active === newest ? "" : "not on the newest bot message";
        }"""
    )
    assert where == "", (
        where
        + ": "
        + page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
    )
    assert_focus_visible(page)


def tab_until(page: Page, selector: str, key: str = "Tab") -> List[str]:
    """Press Tab (or Shift+Tab) until ``selector`` has focus; checks every stop
    is visible; returns the stops."""
    stops: List[str] = []
    for _ in range(MAX_TABS):
        if focused(page, selector):
            return stops
        page.keyboard.press(key)
        stops.append(page.evaluate("() => document.activeElement.className"))
        if page.evaluate("() => document.activeElement !== document.body"):
            assert_focus_visible(page)
    raise AssertionError(f"{selector} never got focus; stops: {stops}")


def test_whole_conversation_with_the_keyboard_only(browser: Browser, bot: Bot):
    page, _ = open_page(browser, bot, 1280, 800)
    # The page load leaves focus to the host page.
    assert page.evaluate("() => document.activeElement === document.body")

    tab_until(page, ".lna-close")
    page.keyboard.press("Enter")
    assert focused(page, ".lna-launcher"), "closing did not return to the launcher"
    assert page.locator(".lna-panel").is_hidden()

    page.keyboard.press("Enter")
    assert focused(page, ".lna-input")
    assert page.locator(".lna-launcher").get_attribute("aria-expanded") == "true"
    page.keyboard.type(SYMPTOM)
    page.keyboard.press("Enter")
    wait_for_question_or_banner(page)
    assert_focus_on_newest_bot_message_or_option(page)

    presses = 0
    while page.locator(BANNER).count() == 0:
        assert presses < MAX_BUTTON_PRESSES, "no assessment after many answers"
        assert focused(page, ".lna-button"), "focus is not on an answer"
        page.keyboard.press("Enter")
        presses += 1
        wait_for_question_or_banner(page)
        assert_focus_on_newest_bot_message_or_option(page)
    REPORTS.mkdir(exist_ok=True)
    page.screenshot(path=str(REPORTS / "widget-keyboard-assessment.png"))

    # Escape closes from anywhere inside; the launcher reopens it.
    page.keyboard.press("Escape")
    assert focused(page, ".lna-launcher")
    page.keyboard.press("Enter")
    tab_until(page, ".lna-reset", key="Shift+Tab")
    page.keyboard.press("Enter")
    assert focused(page, ".lna-input")
    page.wait_for_function(
        "() => document.querySelectorAll('.lna-messages > *').length === 1",
        timeout=REPLY_TIMEOUT_MS,
    )
    assert page.locator(BOT_BUBBLES).first.inner_text() in greetings()
    assert page.locator(BANNER).count() == 0


def test_tab_leaves_the_open_widget(browser: Browser, bot: Bot):
    page, _ = open_page(browser, bot, 1280, 800)
    page.focus(".lna-input")
    left = False
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if not page.evaluate(
            "() => document.querySelector('.lna-root').contains(document.activeElement)"
        ):
            left = True
            break
        assert_focus_visible(page)
    assert left, "keyboard focus is trapped in the widget"


def test_log_and_banners_are_announced(browser: Browser, bot: Bot):
    urgencies = ("emergency", "urgent", "routine", "self_care")
    page, _ = open_stub_page(browser, bot, assessment_messages(urgencies), 1280)
    log = page.locator(".lna-messages")
    assert log.get_attribute("role") == "log"
    assert log.get_attribute("aria-live") == "polite"
    assert page.locator(".lna-status").get_attribute("role") == "status"
    page.fill(".lna-input", "hello")
    page.press(".lna-input", "Enter")
    page.wait_for_selector(f"{BANNER}[data-urgency=self_care]")
    roles = page.locator(BANNER).evaluate_all(
        "els => els.map(e => [e.dataset.urgency, e.getAttribute('role')])"
    )
    # role=alert is assertive; role=status is polite.
    assert roles == [
        ["emergency", "alert"],
        ["urgent", "status"],
        ["routine", "status"],
        ["self_care", "status"],
    ]
    assert "call emergency services" in page.locator(BANNER).first.inner_text().lower()


QUESTION = {
    "text": "Did the numbness start suddenly?",
    "quick_replies": [
        {"content_type": "text", "title": "Yes", "payload": "/affirm"},
        {"content_type": "text", "title": "No", "payload": "/deny"},
        {"content_type": "text", "title": "I'm not sure", "payload": "/unsure"},
    ],
}


def option_metrics(page: Page) -> List[dict]:
    """Size and contrast of every option, once the fade-in animations ended."""
    page.wait_for_function(
        "() => document.getAnimations().every(a => a.playState === 'finished')"
    )
    return page.locator(".lna-button").evaluate_all(
        f"""els => els.map(el => {{
            const r = el.getBoundingClientRect();
            return {{ title: el.textContent, width: r.width, height: r.height,
                      contrast: ({CONTRAST_JS})(el), disabled: el.disabled }};
        }})"""
    )


def test_options_are_big_enough_and_readable_after_use(browser: Browser, bot: Bot):
    page, _ = open_stub_page(browser, bot, [QUESTION])
    page.fill(".lna-input", "hello")
    page.press(".lna-input", "Enter")
    page.wait_for_selector(".lna-button")
    page.get_by_role("button", name="No", exact=True).click()
    page.wait_for_function(
        "() => document.querySelectorAll('.lna-buttons').length === 2"
    )
    metrics = option_metrics(page)
    used = [m for m in metrics if m["disabled"]]
    assert len(used) == 3 and len(metrics) == 6
    for m in metrics:
        assert m["width"] >= 24 and m["height"] >= 24, m
        assert m["contrast"] >= 4.5, m
    chosen = page.locator(".lna-button.lna-chosen")
    assert chosen.count() == 1 and "No" in chosen.inner_text()
    REPORTS.mkdir(exist_ok=True)
    page.locator(".lna-messages").screenshot(path=str(REPORTS / "widget-answered.png"))


LONG_TEXT = (
    "Possible causes to talk about with your doctor: "
    + "peripheral-neuropathy-with-a-very-long-unbroken-word " * 6
)


def assert_reflows(page: Page, width: int) -> None:
    """Nothing scrolls sideways, and the input and Send are on screen."""
    overflow = page.evaluate(
        """() => {
            const root = document.scrollingElement;
            const log = document.querySelector('.lna-messages');
            return [root.scrollWidth - root.clientWidth,
                    log.scrollWidth - log.clientWidth];
        }"""
    )
    assert overflow == [0, 0], f"sideways scrolling at {width} px: {overflow}"
    for selector in (".lna-input", ".lna-send", ".lna-close", ".lna-reset"):
        box = page.locator(selector).bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, selector
        viewport = page.viewport_size or {"height": 0}
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] + 0.5


def test_reflow_at_320_px_and_200_percent_zoom(browser: Browser, bot: Bot):
    messages = [{"text": LONG_TEXT}, QUESTION, *assessment_messages(("urgent",))]
    # 200 % zoom of a 1280×800 window lays the page out in 640×400 CSS pixels.
    for width, height, name in ((320, 568, "320px"), (640, 400, "zoom200")):
        page, _ = open_stub_page(browser, bot, messages, width, height)
        page.fill(".lna-input", "hello")
        page.press(".lna-input", "Enter")
        page.wait_for_selector(BANNER)
        assert_reflows(page, width)
        page.screenshot(path=str(REPORTS / f"widget-reflow-{name}.png"))


MOTION_JS = """() => [...document.querySelectorAll('.lna-root, .lna-root *')]
    .map(el => getComputedStyle(el))
    .filter(s => (s.animationName !== 'none' && parseFloat(s.animationDuration) > 0)
                 || parseFloat(s.transitionDuration) > 0
                 || s.scrollBehavior === 'smooth')
    .length"""


def test_reduced_motion_is_respected(browser: Browser, bot: Bot):
    messages = [QUESTION, *assessment_messages(("routine",))]
    counts = {}
    for preference in ("no-preference", "reduce"):
        page, _ = open_stub_page(browser, bot, messages)
        page.emulate_media(reduced_motion=preference)
        page.fill(".lna-input", "hello")
        page.press(".lna-input", "Enter")
        page.wait_for_selector(BANNER)
        counts[preference] = page.evaluate(MOTION_JS)
    assert counts["no-preference"] > 0, "the check sees no motion at all"
    assert counts["reduce"] == 0, counts


def test_page_and_widget_declare_their_language(browser: Browser, bot: Bot):
    page, _ = open_page(browser, bot, 1280, 800)
    assert page.evaluate("() => document.documentElement.lang") == "en"
    assert page.locator(".lna-root").get_attribute("lang") == "en"
