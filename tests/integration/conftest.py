"""The `running_bot` fixture: the bot as `make run` starts it (launcher.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from .launcher import RunningBot, run_sh


@pytest.fixture()
def running_bot(tmp_path: Path) -> Iterator[RunningBot]:
    """scripts/run.sh on free ports, with an API token in the environment."""
    with run_sh(tmp_path, RASA_AUTH_TOKEN="itest-" + os.urandom(8).hex()) as bot:
        yield bot
