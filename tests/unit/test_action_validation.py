"""The cached action-response validator accepts and rejects exactly what Rasa's does."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.action_validation import use_cached_validator

GOOD = {"events": [{"event": "slot", "name": "age", "value": 40}], "responses": []}
BAD = [
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"responses": [{"text": 5, "buttons": "x"}], "events": [{"event": 3}]},
]


@pytest.fixture()
def action():
    yield RemoteAction("action_assess_symptoms", None)
    use_cached_validator(False)


@pytest.mark.parametrize("cached", [False, True], ids=["rasa", "cached"])
def test_valid_response_passes(action, cached):
    use_cached_validator(cached)
    assert action._validate_action_result(GOOD) is True


@pytest.mark.parametrize("response", BAD)
def test_invalid_response_fails_as_in_rasa(action, response):
    use_cached_validator(False)
    with pytest.raises(ValidationError):
        action._validate_action_result(response)
    use_cached_validator(True)
    with pytest.raises(ValidationError):
        action._validate_action_result(response)
