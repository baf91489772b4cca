"""Browser tests drive Chromium against real servers (a trained model needed): they
are collected only when BROWSER_TESTS=1, which `make test-browser` sets after
installing Chromium and `make train`.

The bot and the browser are started once per session: every test module shares
them (starting Rasa costs tens of seconds)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

HERE = Path(__file__).resolve().parent
collect_ignore = (
    []
    if os.environ.get("BROWSER_TESTS") == "1"
    else [p.name for p in HERE.glob("test_*.py")]
)

if os.environ.get("BROWSER_TESTS") == "1":
    from channels.servers import ROOT, Bot, running_bot
    from playwright.sync_api import Browser, sync_playwright

    from browser.widget_page import CHROMIUM, CHROMIUM_FLAGS

    @pytest.fixture(scope="session")
    def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
        credentials = (ROOT / "credentials.yml").read_text()
        with running_bot(tmp_path_factory.mktemp("webchat"), credentials) as running:
            yield running

    @pytest.fixture(scope="session")
    def browser() -> Iterator[Browser]:
        if not Path(CHROMIUM).exists():
            # A failure, not a skip: a browser suite that ran no browser is no pass.
            pytest.fail(
                f"Chromium is missing ({CHROMIUM}) and could not be installed here "
                "(`make test-browser` runs apt-get install chromium first)",
                pytrace=False,
            )
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
            )
            yield launched
            launched.close()
