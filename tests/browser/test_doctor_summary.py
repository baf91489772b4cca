"""The "Summary for my doctor" view: after an assessment the person opens a plain
page with the urgency, what they reported, the possible causes, the doctor and
the tests, and the not-a-diagnosis wording; it prints alone (print stylesheet,
no chat or host page around it) and its text can be copied."""

from __future__ import annotations

from channels.servers import Bot
from playwright.sync_api import Browser

from browser.widget_page import (
    BANNER,
    OPEN_BUTTONS,
    REPORTS,
    chat_to_assessment,
    open_page,
    wait_for_quiet,
)

SUMMARY = "dialog.lna-summary"


def test_summary_for_the_doctor_prints_alone(browser: Browser, bot: Bot):
    page, _ = open_page(
        browser, bot, 1280, 900, permissions=["clipboard-read", "clipboard-write"]
    )
    chat_to_assessment(page)
    urgency_label = page.locator(f"{BANNER} .lna-banner-level").last.inner_text()
    # The bot's own option: it answers with the findings for the doctor.
    page.locator(OPEN_BUTTONS, has_text="Summary for my doctor").first.click()
    wait_for_quiet(page)

    page.locator(f"{BANNER} .lna-summary-open").last.click()
    dialog = page.locator(SUMMARY)
    dialog.wait_for()
    assert page.evaluate("() => document.activeElement.id") == "lna-summary-title"
    text = dialog.inner_text()
    lowered = text.lower()
    assert urgency_label.lower() in lowered
    assert "summary for your doctor" in lowered, "the findings are missing"
    assert "possible causes" in lowered
    assert "who to see" in lowered
    assert "not a diagnosis" in lowered

    page.get_by_role("button", name="Copy text").click()
    page.wait_for_selector(".lna-summary-copied:has-text('Copied')")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "possible causes" in copied.lower() and "not a diagnosis" in copied.lower()

    page.emulate_media(media="print")
    assert dialog.is_visible()
    for hidden in ("main", ".lna-panel", ".lna-summary-actions"):
        assert page.locator(hidden).is_hidden(), f"{hidden} would be printed"
    REPORTS.mkdir(exist_ok=True)
    page.screenshot(path=str(REPORTS / "widget-summary-print.png"), full_page=True)
    page.emulate_media(media="screen")
    page.screenshot(path=str(REPORTS / "widget-summary.png"))

    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    assert page.evaluate(
        "() => document.activeElement.classList.contains('lna-summary-open')"
    ), "closing the summary did not return focus to its button"
