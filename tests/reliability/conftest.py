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


@pytest.fixture(scope="session")
def _shared_stack(tmp_path_factory):
    """One action server + Rasa server on SQLite for every test that takes `stack`.

    Why: starting Rasa costs 20-40 s on these machines and most tests only talk
    to it; each test uses its own conversation ids, so they do not meet.
    """
    started = servers.start_sqlite_stack(tmp_path_factory.mktemp("stack"))
    yield started
    servers.stop_stack(started)


@pytest.fixture
def stack(_shared_stack):
    """The shared servers, both running when the test starts.

    A test may stop or restart either server (faults, the emergency path without
    the action server); whichever it left stopped is started again after it.
    """
    yield _shared_stack
    for name, path in (("actions", "/health"), ("rasa", "/")):
        server = getattr(_shared_stack, name)
        if not server.alive():
            setattr(_shared_stack, name, servers.restart(server))
            servers.wait_up(getattr(_shared_stack, name), path)
