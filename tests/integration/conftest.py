"""The bots as `make run` starts them (launcher.py).

`running_bot` is started once and shared by every test that leaves it running
(each uses its own conversation ids): a start of scripts/run.sh costs tens of
seconds. A test that stops the bot takes a `fresh_bot` of its own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from .launcher import RunningBot, run_sh


def _token() -> str:
    return "itest-" + os.urandom(8).hex()


@pytest.fixture(scope="session")
def running_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    """scripts/run.sh on free ports, with an API token in the environment."""
    with run_sh(tmp_path_factory.mktemp("run"), RASA_AUTH_TOKEN=_token()) as bot:
        yield bot


@pytest.fixture()
def fresh_bot(tmp_path: Path) -> Iterator[RunningBot]:
    """A bot of the test's own, for a test that stops it."""
    with run_sh(tmp_path, RASA_AUTH_TOKEN=_token()) as bot:
        yield bot
