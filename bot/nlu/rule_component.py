"""Base of the Rasa NLU components that are built from their config alone.

Why: the symptom extractor and the red-flag detector train nothing and persist
nothing (their rules are data read at start), so creating one is merging the
config over its defaults and building it; Rasa's default `load` then creates.
"""

from __future__ import annotations

from typing import Any, Dict, Text, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

C = TypeVar("C", bound="RuleComponent")


class RuleComponent(GraphComponent):
    """A graph component with nothing to train, persist or load."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Keep the config, merged over the defaults."""
        self._config = {**self.get_default_config(), **(config or {})}

    @classmethod
    def create(
        cls: type[C],
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> C:
        """Build the component from its config (loading is creating)."""
        return cls(config)
