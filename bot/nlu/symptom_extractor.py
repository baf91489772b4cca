"""Rasa adapter over the rule-based symptom matcher (bot/nlu/extraction.py).

Registered as an entity extractor that needs no training: the vocabulary, the
negation cues and the cause names are data, read once when the component is
created. Each message gets entities with canonical values (vocabulary values,
ISO 8601 durations, numeric ages, cause ids) and `role: negated` for mentions
the person denies ("no back pain").
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_ROLE,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.extraction import SymptomMatcher

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class SymptomExtractor(GraphComponent, EntityExtractorMixin):
    """Symptom facts from lay text: vocabulary synonyms, fuzzy typos, negation."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Defaults: `max_chars` caps the text read, keeping long pastes fast."""
        return {"max_chars": 5000}

    def __init__(self, config: Dict[Text, Any], matcher: SymptomMatcher) -> None:
        """Keep the config and the matcher built once by `create`."""
        self._config = config
        self._matcher = matcher

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SymptomExtractor:
        """Build the spaCy matchers once from the vocabulary and rule files."""
        merged = {**cls.get_default_config(), **config}
        return cls(merged, SymptomMatcher(max_chars=int(merged["max_chars"])))

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SymptomExtractor:
        """Nothing is trained or persisted: loading is creating."""
        return cls.create(config, model_storage, resource, execution_context)

    def process(self, messages: List[Message]) -> List[Message]:
        """Append this extractor's entities to each message."""
        for message in messages:
            found = self._extract(message.get(TEXT))
            if not found:
                continue
            entities = list(message.get(ENTITIES, []) or []) + self.add_extractor_name(
                found
            )
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def _extract(self, text: Optional[Text]) -> List[Dict[Text, Any]]:
        """Entities for one text; never raises: an odd message must not stop a turn."""
        try:
            raw = self._matcher.extract(text or "")
        except Exception:  # a parse must not fail on odd input
            logger.exception("symptom extraction failed; message gets no entities")
            return []
        entities = []
        for item in raw:
            entity = {
                ENTITY_ATTRIBUTE_TYPE: item["entity"],
                ENTITY_ATTRIBUTE_VALUE: item["value"],
                ENTITY_ATTRIBUTE_START: item["start"],
                ENTITY_ATTRIBUTE_END: item["end"],
            }
            if item.get("role"):
                entity[ENTITY_ATTRIBUTE_ROLE] = item["role"]
            entities.append(entity)
        return entities
