"""The facts the NLU stages read from a text, for the stage tests (one helper)."""

from __future__ import annotations

from typing import Optional, Set, Tuple

from bot.nlu.pipeline import get_pipeline


def facts_of(text: str, role: Optional[str] = None) -> Set[Tuple[str, object]]:
    """(entity, value) of the text's entities with `role` (None: present facts)."""
    return {
        (e["entity"], e["value"])
        for e in get_pipeline().parse(text).entities
        if e.get("role") == role
    }
