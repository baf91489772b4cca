"""A "no" needs a word that says no: the classifier alone never denies a red flag."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.denial_guard import DenialGuard, load_denial_rules, says_no
from bot.nlu.rule_files import RuleFileError

RULES = load_denial_rules()
NLU = Path(__file__).resolve().parents[2] / "bot" / "data" / "nlu.yml"


def _deny_examples() -> list:
    data = yaml.safe_load(NLU.read_text())
    block = next(i for i in data["nlu"] if i.get("intent") == RULES.intent)
    return [line[2:].strip() for line in block["examples"].splitlines() if line]


@pytest.mark.parametrize("text", _deny_examples())
def test_every_trained_denial_says_no(text: str) -> None:
    assert says_no(text, RULES.words), text


@pytest.mark.parametrize("text", ["banana", "my dog", "hmm", "🙂", ""])
def test_a_reply_with_no_denying_word_says_nothing(text: str) -> None:
    assert not says_no(text, RULES.words)


def _classified(text: str, intent: str) -> Message:
    message = Message({TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.8})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.8}])
    return message


def test_a_denial_without_a_denying_word_becomes_unclear() -> None:
    guard = DenialGuard({})
    banana, nope, yes = (
        _classified("banana", "deny"),
        _classified("nope", "deny"),
        _classified("banana", "affirm"),
    )
    guard.process([banana, nope, yes])
    assert banana.get(INTENT)["name"] == RULES.fallback_intent
    assert banana.get(INTENT_RANKING_KEY)[1]["name"] == "deny"
    assert nope.get(INTENT)["name"] == "deny"
    assert yes.get(INTENT)["name"] == "affirm"


def test_an_unknown_key_in_the_denial_rules_fails_loudly(tmp_path: Path) -> None:
    path = tmp_path / "denial.yml"
    path.write_text("denial: {intent: deny, colour: red}\n")
    with pytest.raises(RuleFileError, match="colour"):
        load_denial_rules(path)
