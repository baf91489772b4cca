"""The scripted conversations run against real servers: collected only when
RELIABILITY_SERVERS=1 (after `make train`), or against a running bot named by
CONVERSATIONS_URL (e.g. http://127.0.0.1:5005 from `make run`)."""

import os

collect_ignore = (
    []
    if os.environ.get("RELIABILITY_SERVERS") == "1"
    or os.environ.get("CONVERSATIONS_URL")
    else ["test_conversations.py"]
)
