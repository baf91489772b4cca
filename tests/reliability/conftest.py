"""Server tests (they start real Rasa servers and need a trained model) are
collected only when RELIABILITY_SERVERS=1, which `make test-reliability` sets after
`make train`; plain `pytest tests` runs the fast unit tests here only."""

import os

SERVER_TESTS = ["test_restart.py", "test_faults.py", "test_privacy.py"]
SCALE_TESTS = ["test_scale.py"]

collect_ignore = [] if os.environ.get("RELIABILITY_SERVERS") == "1" else SERVER_TESTS
if os.environ.get("RELIABILITY_SCALE") != "1":
    collect_ignore += SCALE_TESTS
