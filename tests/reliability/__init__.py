"""Reliability tests. ``servers`` is the shared launcher (tools/servers.py), so
``from . import servers`` in test_dialogue.py finds it; that import can become
``from tools import servers`` and this line go."""

from tools import servers  # noqa: F401
