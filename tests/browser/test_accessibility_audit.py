"""axe-core (vendored in web/vendor/) audits the real page in each state a person
meets: the closed launcher, the greeting, a question with options, an assessment
with its banner, the emergency prompt, every urgency banner, and phone width.

Only the WCAG 2.0/2.1/2.2 level A and AA rules run; any violation fails the test.
Every state's result goes to reports/accessibility.md, written when the session
ends, so the report always matches the last `make test-browser`.
"""

from __future__ import annotations

import datetime
import json
from typing import Dict, Iterator, List

import pytest
from channels.servers import ROOT, Bot
from playwright.sync_api import Browser, Page

from browser.widget_page import (
    BANNER,
    EMERGENCY_OPENING,
    OPEN_BUTTONS,
    REPLY_TIMEOUT_MS,
    REPORTS,
    answer_until_banner,
    assessment_messages,
    describe_symptom,
    open_page,
    open_stub_page,
    say,
    wait_for_quiet,
)

AXE_DIR = ROOT / "web" / "vendor" / "axe-core-4.14.1"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
REPORT = REPORTS / "accessibility.md"


def audit(page: Page) -> dict:
    """Run axe-core in the page with the WCAG A/AA rule sets; its raw result."""
    page.add_script_tag(path=str(AXE_DIR / "axe.min.js"))
    return page.evaluate(
        """tags => axe.run(document, {
            runOnly: { type: "tag", values: tags },
            resultTypes: ["violations"],
        })""",
        WCAG_TAGS,
    )


class Audits:
    """Collects each state's axe result and writes the Markdown report."""

    def __init__(self) -> None:
        self.states: Dict[str, dict] = {}

    def check(self, state: str, page: Page) -> None:
        """Audit ``page`` as ``state``, record it, fail on any violation."""
        result = audit(page)
        self.states[state] = result
        REPORTS.mkdir(exist_ok=True)
        slug = state.split(" (")[0].replace(" ", "-").replace(",", "")
        page.screenshot(path=str(REPORTS / f"a11y-{slug}.png"))
        violations = result["violations"]
        assert violations == [], f"{state}: " + json.dumps(
            [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
        )

    def markdown(self) -> str:
        version = next(iter(self.states.values()), {}).get("testEngine", {})
        now = datetime.datetime.now(datetime.timezone.utc)
        lines = [
            "# Accessibility audit of the chat widget",
            "",
            "Written by `make test-browser`",
            "(tests/browser/test_accessibility_audit.py): axe-core",
            f"{version.get('version', '?')} (vendored in web/vendor/) run in",
            "headless Chromium on the demo page, rule tags "
            + ", ".join(f"`{t}`" for t in WCAG_TAGS)
            + ".",
            "The test fails on any violation. What axe cannot judge (keyboard-only",
            "use, focus order, live-region announcements, target size after use,",
            "reflow, reduced motion) is checked by",
            "tests/browser/test_accessibility.py.",
            "",
            f"Last run: {now:%Y-%m-%d %H:%M} UTC",
            "",
            "| state | violations | rules passed | screenshot |",
            "| --- | --- | --- | --- |",
        ]
        for state, result in self.states.items():
            slug = state.split(" (")[0].replace(" ", "-").replace(",", "")
            lines.append(
                f"| {state} | {len(result['violations'])} | "
                f"{len(result.get('passes', [])) or '-'} | a11y-{slug}.png |"
            )
        details: List[str] = []
        for state, result in self.states.items():
            for violation in result["violations"]:
                details.append(
                    f"- **{state}**: `{violation['id']}` ({violation['impact']}): "
                    f"{violation['help']}"
                )
                for node in violation["nodes"]:
                    details.append(f"  - `{' '.join(map(str, node['target']))}`")
        lines += ["", "## Violations", ""] + (details or ["None."])
        return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def audits() -> Iterator[Audits]:
    collected = Audits()
    yield collected
    if collected.states:
        REPORTS.mkdir(exist_ok=True)
        REPORT.write_text(collected.markdown())


def test_closed_launcher(browser: Browser, bot: Bot, audits: Audits):
    page, _ = open_page(browser, bot, 1280, 800)
    page.click(".lna-close")
    page.wait_for_selector(".lna-launcher", state="visible")
    audits.check("closed launcher", page)


def test_greeting_question_and_assessment(browser: Browser, bot: Bot, audits: Audits):
    page, _ = open_page(browser, bot, 1280, 800)
    wait_for_quiet(page)
    audits.check("greeting", page)
    describe_symptom(page)
    assert page.locator(OPEN_BUTTONS).count() > 0
    audits.check("question with options", page)
    answer_until_banner(page)
    audits.check("assessment with its banner", page)
    page.locator(f"{BANNER} .lna-summary-open").last.click()
    page.wait_for_selector("dialog.lna-summary")
    audits.check("summary for my doctor", page)


def test_emergency_prompt(browser: Browser, bot: Bot, audits: Audits):
    page, _ = open_page(browser, bot, 1280, 800)
    say(page, EMERGENCY_OPENING)
    page.wait_for_selector(
        f"{BANNER}[data-urgency=emergency]", timeout=REPLY_TIMEOUT_MS
    )
    wait_for_quiet(page)
    audits.check("emergency prompt", page)


def test_every_urgency_banner(browser: Browser, bot: Bot, audits: Audits):
    urgencies = ("emergency", "urgent", "routine", "self_care")
    page, _ = open_stub_page(browser, bot, assessment_messages(urgencies), 1280)
    page.fill(".lna-input", "hello")
    page.press(".lna-input", "Enter")
    page.wait_for_selector(f"{BANNER}[data-urgency=self_care]")
    audits.check("every urgency banner (stub socket)", page)


def test_phone_width(browser: Browser, bot: Bot, audits: Audits):
    page, _ = open_page(browser, bot, 390, 844, is_mobile=True, has_touch=True)
    describe_symptom(page)
    audits.check("phone width, question with options (390 px)", page)
