"""Red-flag screening of every message inside the NLU pipeline.

Why here and not in an action: the emergency prompt must reach the person even
when the action server is down. This component runs last in the pipeline, turns
the message's entities into facts and asks the pure triage engine
(`actions.triage.detect_red_flags`) whether any red flag fired. If one did, the
intent becomes `report_red_flag` (confidence 1.0, the original kept in the
ranking) and each red flag id is added as a `red_flag` entity, so a rule can
answer with the domain response `utter_emergency` before anything else.

It also rescues unclear intents: a fallback or out-of-scope message that names a
sensation or symptom describes symptoms, so the follow-up questions start.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from actions.parsing import facts_from_entities, findings_from_message
from actions.triage import detect_red_flags

logger = logging.getLogger(__name__)

RED_FLAG_INTENT = "report_red_flag"
#: Entities that describe a leg symptom (not just a body part or a condition).
SYMPTOM_ENTITIES = frozenset({"sensation", "symptom"})
RED_FLAG_ENTITY = "red_flag"


def _has_symptom_facts(facts: Any) -> bool:
    return any(entity in SYMPTOM_ENTITIES for entity, _ in facts)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class RedFlagDetector(GraphComponent):
    """Sets the intent `report_red_flag` when a message holds a red flag."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The component's default config."""
        return {
            # intent set when a red flag fires (must be in the domain)
            "intent": RED_FLAG_INTENT,
            # entity carrying each red flag id (must be in the domain)
            "entity": RED_FLAG_ENTITY,
            # unclear intents that become `describe_intent` when the message
            # holds symptom facts ("car crash, back hurts, legs numb" is no
            # fallback: it describes symptoms)
            "rescue_intents": [DEFAULT_NLU_FALLBACK_INTENT_NAME, "out_of_scope"],
            "describe_intent": "describe_symptoms",
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Merges the config over the defaults once."""
        self._config = {**self.get_default_config(), **(config or {})}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RedFlagDetector:
        """Creates the component (nothing to train or load)."""
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        """Screens each message; a red flag overrides the intent."""
        for message in messages:
            facts = facts_from_entities(message.get(ENTITIES) or [])
            if not facts.present:
                continue
            hits = detect_red_flags(findings_from_message(facts))
            red_flag_ids = list(dict.fromkeys(hit.id for hit in hits))
            if red_flag_ids:
                self._set_intent(message, self._config["intent"])
                self._add_red_flags(message, red_flag_ids)
            elif self._is_unclear(message) and _has_symptom_facts(facts.present):
                self._set_intent(message, self._config["describe_intent"])
        return messages

    def _is_unclear(self, message: Message) -> bool:
        intent = message.get(INTENT) or {}
        return intent.get(INTENT_NAME_KEY) in self._config["rescue_intents"]

    def _set_intent(self, message: Message, name: str) -> None:
        """Sets `name` with confidence 1.0, keeping the original in the ranking."""
        original: Optional[Dict[Text, Any]] = message.get(INTENT)
        intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [
            item
            for item in message.get(INTENT_RANKING_KEY) or []
            if item.get(INTENT_NAME_KEY) != intent[INTENT_NAME_KEY]
        ]
        if original and original.get(INTENT_NAME_KEY) not in (
            None,
            intent[INTENT_NAME_KEY],
        ):
            if not any(
                item.get(INTENT_NAME_KEY) == original[INTENT_NAME_KEY]
                for item in ranking
            ):
                ranking.insert(0, dict(original))
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [dict(intent), *ranking], add_to_output=True)
        logger.debug("Intent set to %s (was %s)", name, original)

    def _add_red_flags(self, message: Message, red_flag_ids: List[str]) -> None:
        text_length = len(message.get(TEXT) or "")
        entities = list(message.get(ENTITIES) or [])
        for red_flag_id in red_flag_ids:
            entities.append(
                {
                    ENTITY_ATTRIBUTE_TYPE: self._config["entity"],
                    ENTITY_ATTRIBUTE_VALUE: red_flag_id,
                    ENTITY_ATTRIBUTE_START: 0,
                    ENTITY_ATTRIBUTE_END: text_length,
                    EXTRACTOR: self.__class__.__name__,
                }
            )
        message.set(ENTITIES, entities, add_to_output=True)
