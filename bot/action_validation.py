"""A cached validator for action-server responses (a Rasa 3.6 performance fix).

Rasa 3.6's ``RemoteAction._validate_action_result`` calls ``jsonschema.validate()``
on every action-server response; that builds a new validator and checks the schema
against the meta-schema each time, about 25 ms per call here. Our turns make about
three action-server calls, so this was over half of a turn's server time
(``make bench``, reports/bench.md). The replacement validates against the same
schema with one validator built once, and raises the same ``ValidationError``.
"""

from __future__ import annotations

import functools
from typing import Any, Dict

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

_ORIGINAL = RemoteAction._validate_action_result


@functools.lru_cache(maxsize=1)
def action_response_validator() -> Any:
    """One validator for Rasa's own action-server response schema."""
    schema = RemoteAction.action_response_format_spec()
    return validator_for(schema)(schema)


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` without rebuilding the validator."""
    try:
        action_response_validator().validate(result)
    except ValidationError as error:
        error.message += ". Failed to validate Action server response from API."
        raise
    return True


def use_cached_validator(on: bool = True) -> None:
    """Switch Rasa to the cached validator (or back, for A/B measurements)."""
    RemoteAction._validate_action_result = validate_action_result if on else _ORIGINAL
