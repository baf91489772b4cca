"""Rasa adapter over the NLU stages (bot/nlu/pipeline.py).

Registered as an entity extractor that needs no training: the vocabulary and
every stage's rules are data, read once when the component is created. Each
message gets entities with canonical values (vocabulary values, ISO 8601
durations, numeric ages, cause ids), `group` (the finding a fact belongs to) and
a role for anything that is not a present fact: `negated` ("no back pain"),
`possible` (an ambiguous red-flag cue), `past`, `hypothetical`; a story about
someone else adds the entity `experiencer` = `other`. The findings themselves
go on the message as `findings`; a failed stage sets `nlu_failed` so the
red-flag screen fails closed.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_GROUP,
    ENTITY_ATTRIBUTE_ROLE,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.extraction import SymptomMatcher
from bot.nlu.pipeline import NluPipeline, ParseResult
from bot.nlu.rule_component import RuleComponent

logger = logging.getLogger(__name__)

FINDINGS_KEY = "findings"
FAILED_KEY = "nlu_failed"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class SymptomExtractor(RuleComponent, EntityExtractorMixin):
    """Symptom facts from lay text: vocabulary synonyms, fuzzy typos, negation."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Defaults: `max_chars` caps the text read, keeping long pastes fast."""
        return {"max_chars": 5000}

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Build the spaCy matchers and the stages once from the rule files."""
        super().__init__(config)
        matcher = SymptomMatcher(max_chars=int(self._config["max_chars"]))
        self._pipeline = NluPipeline(matcher)

    def process(self, messages: List[Message]) -> List[Message]:
        """Append this extractor's entities to each message."""
        for message in messages:
            result = self._parse(message.get(TEXT))
            message.set(FINDINGS_KEY, result.findings, add_to_output=True)
            if result.failed:
                message.set(FAILED_KEY, result.failed, add_to_output=True)
            found = self._entities(result)
            if not found:
                continue
            entities = list(message.get(ENTITIES, []) or []) + self.add_extractor_name(
                found
            )
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def _parse(self, text: Optional[Text]) -> ParseResult:
        """The stages' result; never raises: an odd message must not stop a turn."""
        try:
            return self._pipeline.parse(text or "")
        except Exception:  # the pipeline catches its own; this is the last guard
            logger.exception("NLU failed; the red-flag screen fails closed")
            return ParseResult(failed="pipeline")

    @staticmethod
    def _entities(result: ParseResult) -> List[Dict[Text, Any]]:
        entities = []
        for item in result.entities:
            entity = {
                ENTITY_ATTRIBUTE_TYPE: item["entity"],
                ENTITY_ATTRIBUTE_VALUE: item["value"],
                ENTITY_ATTRIBUTE_START: item["start"],
                ENTITY_ATTRIBUTE_END: item["end"],
            }
            if item.get("role"):
                entity[ENTITY_ATTRIBUTE_ROLE] = item["role"]
            if item.get("group") is not None:
                entity[ENTITY_ATTRIBUTE_GROUP] = item["group"]
            entities.append(entity)
        return entities
