"""Server tests (they start real Rasa servers and need a trained model) are
collected only when RELIABILITY_SERVERS=1, which `make test-reliability` sets after
`make train`; plain `pytest tests` runs the fast unit tests here only."""

import os

import pytest

from tools import servers

SERVER_TESTS = [
    "test_restart.py",
    "test_faults.py",
    "test_privacy.py",
    "test_dialogue.py",
]
SCALE_TESTS = ["test_scale.py"]

collect_ignore = [] if os.environ.get("RELIABILITY_SERVERS") == "1" else SERVER_TESTS
if os.environ.get("RELIABILITY_SCALE") != "1":
    collect_ignore += SCALE_TESTS


@pytest.fixture
def stack(tmp_path):
    """Action server + Rasa server on SQLite; stopped afterwards."""
    started = servers.start_sqlite_stack(tmp_path)
    yield started
    servers.stop_stack(started)
