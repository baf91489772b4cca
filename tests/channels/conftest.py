"""test_telegram.py starts real servers (action server + `rasa run`, a trained model
needed): it is collected only when CHANNEL_SERVERS=1, which `make test-channels` sets
after `make train`; plain `pytest tests` runs the fast tests here only."""

import os

collect_ignore = (
    [] if os.environ.get("CHANNEL_SERVERS") == "1" else ["test_telegram.py"]
)
