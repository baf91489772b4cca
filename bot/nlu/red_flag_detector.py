"""Red-flag screening of every message inside the NLU pipeline, in two tiers.

Why here and not in an action: the emergency prompt must reach the person even
when the action server is down. This component runs last in the pipeline, turns
the message's entities into facts and asks the pure triage engine
(`actions.triage.detect_red_flags`) whether any red flag fired.

- Definite: a red flag fires on the attributed facts. The intent becomes
  `report_red_flag` (confidence 1.0, the original kept in the ranking) and each
  red flag id is added as a `red_flag` entity, so a rule answers with the
  emergency prompt before anything else.
- Possible: a red flag fires only when the message's `possible` cues (a cast
  with no symptom under it, an arm word with no symptom of its own) are added
  to the facts. With no definite one, the intent becomes `check_red_flag` and
  each such flag id a `possible_red_flag` entity: the dialogue asks that red
  flag's confirming question. With a definite one, the cue-only flags are still
  added as `possible_red_flag` entities: no red flag is dropped silently.
- Named dangers: a dangerous cause named as a worry ("could it be a blood
  clot?", "am I having a stroke?") makes that cause's `red_flag_check`
  possible, so its check question comes first; a question that only asks what
  a cause is ("what is a stroke?") does not.
- Several possible flags: the dialogue fills `possible_red_flag` from the
  message's LAST such entity, so they are emitted in reverse of the order the
  screen gives (`bot.nlu.screening.cued_red_flags`): a named worry first,
  then the flag the message tells most of, ties in table order.
- The intent classifier alone: `report_red_flag` predicted from the words
  with no red-flag fact behind it is one ambiguous cue, not definite evidence:
  the intent becomes `check_red_flag` with no flag named, so the general red-flag
  question (every sign, "yes" gives the prompt) comes first. A typed
  `/report_red_flag` button payload is set after this component and stays.
- Earlier turns: the conversation's facts so far come in the message metadata
  (``bot.rasa_patches.pass_earlier_facts_to_nlu``). A red flag this message
  completes with them is definite; one the message alone fires but they rule
  out ("it came on suddenly, it feels weak" after "legs crossed for hours") is
  possible. Without them (the action server never merged any) the message
  alone decides. A bare injury after a limb's injury was told ("yes, I was
  injured" after "I twisted my ankle") is that limb's injury, re-keyed in the
  entities too (`bot.nlu.limb_injury.LimbInjury.same_injury`).
- A check answered no: the red flags whose question the person already answered
  no come in the metadata too; only possible evidence for one of them does not
  ask its question again (definite evidence still gives the prompt).
- Fail closed: when an NLU stage failed (`nlu_failed` on the message), every
  red flag is possible: the intent becomes `check_red_flag` with no flag named,
  so the general check asks about every red flag in one question.

It also rescues unclear intents: a fallback or out-of-scope message that names a
sensation or symptom describes symptoms, so the follow-up questions start; so does
small talk that tells any fact ("suddenly, mid-morning" is no "good morning"), and
small talk with no fact in reply to a red-flag question is off the question, whose
rules ask it again (a greeting never drops it).
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Sequence, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
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
    METADATA,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from actions.parsing import facts_from_entities
from bot.nlu.limb_injury import LimbInjury
from bot.nlu.rule_component import RuleComponent
from bot.nlu.screening import screen_in_context
from bot.rasa_patches import (
    AWAITED_CHECK_KEY,
    CHECK_INTENT,
    DENIED_CHECKS_KEY,
    EARLIER_DURATION_KEY,
    EARLIER_FACTS_KEY,
    POSSIBLE_ENTITY,
    RED_FLAG_ENTITY,
    RED_FLAG_INTENT,
)

logger = logging.getLogger(__name__)

#: The general check's flag (domain.yml `possible_red_flag`: no flag named).
UNNAMED = "unnamed"
FAILED_KEY = "nlu_failed"
#: Entities that describe a leg symptom (not just a body part or a condition).
SYMPTOM_ENTITIES = frozenset({"sensation", "symptom"})


def _has_symptom_facts(facts: Any) -> bool:
    return any(entity in SYMPTOM_ENTITIES for entity, _ in facts)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class RedFlagDetector(RuleComponent):
    """Sets the intent `report_red_flag` when a message holds a red flag."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Keep the config; the limb-injury rules read earlier turns' injuries."""
        super().__init__(config)
        self._limbs = LimbInjury()

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The component's default config."""
        return {
            # intent set when a red flag fires (must be in the domain)
            "intent": RED_FLAG_INTENT,
            # entity carrying each red flag id (must be in the domain)
            "entity": RED_FLAG_ENTITY,
            # intent and entity of a red flag that only the possible cues support
            "check_intent": CHECK_INTENT,
            "possible_entity": POSSIBLE_ENTITY,
            # unclear intents that become `describe_intent` when the message
            # holds symptom facts ("car crash, back hurts, legs numb" is no
            # fallback: it describes symptoms)
            "rescue_intents": [DEFAULT_NLU_FALLBACK_INTENT_NAME, "out_of_scope"],
            # small talk that tells a fact of the symptoms ("suddenly,
            # mid-morning" is no "good morning", "thanks, since tuesday" no
            # thanks alone) describes symptoms too: the answer reaches the
            # question, never a greeting that drops it
            "chat_intents": ["greet", "goodbye", "thank"],
            "describe_intent": "describe_symptoms",
            # ... and with no fact, in reply to a red-flag question, it is off
            # the question: its rules ask it again (never dropped by a greeting)
            "off_topic_intent": "out_of_scope",
        }

    def process(self, messages: List[Message]) -> List[Message]:
        """Screens each message; a red flag (definite or possible) sets the intent."""
        for message in messages:
            metadata = message.get(METADATA) or {}
            earlier = metadata.get(EARLIER_FACTS_KEY) or ()
            text = message.get(TEXT) or ""
            told = message.get(ENTITIES) or []
            entities = self._limbs.same_injury(told, earlier, text)
            if entities != told:
                message.set(ENTITIES, entities, add_to_output=True)
            failed = bool(message.get(FAILED_KEY))
            screen = screen_in_context(
                entities, earlier, metadata.get(EARLIER_DURATION_KEY), failed, text=text
            )
            definite = list(screen.definite)
            # a check already answered no is not asked again on only possible
            # evidence (never when a stage failed: then every check is asked)
            denied = () if failed else tuple(metadata.get(DENIED_CHECKS_KEY) or ())
            # the dialogue keeps the LAST entity: the table's first flag goes last
            possible = [f for f in reversed(screen.possible) if f not in denied]
            if failed:
                # every flag is possible: no flag named asks the general check,
                # one question with every red flag (never nine in a row)
                possible = []
            if definite:
                self._set_intent(message, self._config["intent"])
                self._add_entities(message, self._config["entity"], definite)
                self._add_entities(message, self._config["possible_entity"], possible)
            elif possible or failed:
                self._set_intent(message, self._config["check_intent"])
                self._add_entities(message, self._config["possible_entity"], possible)
            elif self._classified_as_red_flag(message):
                intent = self._classifier_only_intent(
                    bool(metadata.get(AWAITED_CHECK_KEY)), denied, entities
                )
                self._set_intent(message, intent)
            elif (
                self._is_unclear(message)
                and _has_symptom_facts(facts_from_entities(entities).present)
            ) or (self._is_chat(message) and facts_from_entities(entities).present):
                self._set_intent(message, self._config["describe_intent"])
            elif self._is_chat(message) and metadata.get(AWAITED_CHECK_KEY):
                self._set_intent(message, self._config["off_topic_intent"])
        return messages

    def _classifier_only_intent(
        self, awaited: bool, denied: Sequence[str], entities: Any
    ) -> str:
        """The intent of a red flag the intent classifier alone sees.

        An answer to a check question that says neither yes nor no is unclear:
        the question's own rules ask it once more, then say what to do on a yes
        (never the general check in a loop). Otherwise the classifier alone is
        one ambiguous cue: the general check, unless it was already answered no
        (or left unanswered after being told what to do on a yes); then the same
        cue is no new evidence.
        """
        if awaited:
            return DEFAULT_NLU_FALLBACK_INTENT_NAME
        if UNNAMED not in denied:
            return str(self._config["check_intent"])
        if _has_symptom_facts(facts_from_entities(entities).present):
            return str(self._config["describe_intent"])
        return DEFAULT_NLU_FALLBACK_INTENT_NAME

    def _classified_as_red_flag(self, message: Message) -> bool:
        """The intent classifier says red flag, but no fact supports one."""
        intent = message.get(INTENT) or {}
        return bool(intent.get(INTENT_NAME_KEY) == self._config["intent"])

    def _is_unclear(self, message: Message) -> bool:
        intent = message.get(INTENT) or {}
        return intent.get(INTENT_NAME_KEY) in self._config["rescue_intents"]

    def _is_chat(self, message: Message) -> bool:
        intent = message.get(INTENT) or {}
        return intent.get(INTENT_NAME_KEY) in self._config["chat_intents"]

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

    def _add_entities(
        self, message: Message, entity: str, red_flag_ids: List[str]
    ) -> None:
        if not red_flag_ids:
            return
        text_length = len(message.get(TEXT) or "")
        entities = list(message.get(ENTITIES) or [])
        for red_flag_id in red_flag_ids:
            entities.append(
                {
                    ENTITY_ATTRIBUTE_TYPE: entity,
                    ENTITY_ATTRIBUTE_VALUE: red_flag_id,
                    ENTITY_ATTRIBUTE_START: 0,
                    ENTITY_ATTRIBUTE_END: text_length,
                    EXTRACTOR: self.__class__.__name__,
                }
            )
        message.set(ENTITIES, entities, add_to_output=True)
