"""Denial guard: a "no" to a question needs a word that says no.

Why: the answer to a red-flag question decides whether the emergency prompt is
given, and the intent classifier alone once took "banana" for a "no" on
another machine. A reply classified as a denial with no denying word in it is
unclear instead, so the question is asked again (bot/nlu/denial.yml). Button
payloads ("/deny") never reach the pipeline and stay what they say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.rule_component import RuleComponent
from bot.nlu.rule_files import project_rules, read_rules, rule

DENIAL_PATH = Path(__file__).with_name("denial.yml")
_WORD = re.compile(r"[a-z'!.,-]+")


@dataclass(frozen=True)
class DenialRules:
    """denial.yml, parsed and checked."""

    intent: str = rule("intent", "denial", default="deny")
    fallback_intent: str = rule("fallback_intent", "denial", default="nlu_fallback")
    words: frozenset = rule("words", "denial")


def load_denial_rules(path: Path = DENIAL_PATH) -> DenialRules:
    """Read denial.yml; unknown keys fail naming the file and key."""
    return read_rules(DenialRules, path)


def says_no(text: str, words: frozenset) -> bool:
    """True when a word of `text` (or the word without its punctuation) denies."""
    for token in _WORD.findall(text.lower()):
        if token in words or token.strip("'!.,-") in words:
            return True
    return False


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class DenialGuard(RuleComponent):
    """Turns a denial with no denying word into an unclear reply."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The component's default config (the rules are in denial.yml)."""
        return {}

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Keep the config and read the rules once."""
        super().__init__(config)
        self.rules = project_rules(DenialRules, DENIAL_PATH)

    def process(self, messages: List[Message]) -> List[Message]:
        """Each message classified as a denial keeps it only with a denying word."""
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) != self.rules.intent:
                continue
            if says_no(message.get(TEXT) or "", self.rules.words):
                continue
            unclear = {
                INTENT_NAME_KEY: self.rules.fallback_intent,
                PREDICTED_CONFIDENCE_KEY: 1.0,
            }
            ranking = [dict(unclear), dict(intent)] + [
                item
                for item in message.get(INTENT_RANKING_KEY) or []
                if item.get(INTENT_NAME_KEY)
                not in (self.rules.fallback_intent, self.rules.intent)
            ]
            message.set(INTENT, unclear, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
