"""REST channel that validates its input before Rasa sees it.

Stock ``RestInput`` answers 500 to an empty body or non-object JSON and passes any
sender id to the tracker store (a lone surrogate there exits the server). This
subclass keeps the name ``rest`` (URL ``/webhooks/rest/webhook``), answers malformed
requests with 400 and a friendly JSON error, runs each turn through
``bot.channels.common.handle_user_turn`` and adds a token-protected
``DELETE /webhooks/rest/conversations/<sender_id>``.

Configured in credentials.yml::

    bot.channels.rest.GuardedRestInput:
      auth_token_env: RASA_AUTH_TOKEN   # name of the env var holding the token
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    UserMessage,
)
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import rasa_patches
from bot.channels import common

logger = logging.getLogger(__name__)

# A 1 MB message must still get the polite refusal, so the body limit is higher.
MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_METADATA_BYTES = 8 * 1024
DEFAULT_TOKEN_ENV = "RASA_AUTH_TOKEN"


class BadRequest(Exception):
    """A malformed request; carries the friendly text for the 400 answer."""

    def __init__(self, detail: str, status: int = 400) -> None:
        """Keeps the user-safe detail and the HTTP status."""
        super().__init__(detail)
        self.detail = detail
        self.status = status


def error_response(detail: str, status: int = 400) -> HTTPResponse:
    """A JSON error body a client can show as is."""
    return response.json({"error": detail, "status": status}, status=status)


def parse_body(body: Optional[bytes]) -> Dict[str, Any]:
    """Decodes the request body into a JSON object or raises BadRequest."""
    if not body:
        raise BadRequest(
            'The request body is empty. Send JSON: {"sender": "...", "message": "..."}'
        )
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest("The request body is too large.", status=413)
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest("The request body is not valid UTF-8 JSON.") from None
    if not isinstance(payload, dict):
        raise BadRequest("The request body must be a JSON object.")
    return payload


def parse_metadata(raw: Any) -> Optional[Dict[str, Any]]:
    """Optional metadata: a small JSON object, stored with the user's message."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise BadRequest("'metadata' must be a JSON object.")
    try:
        size = len(json.dumps(raw, ensure_ascii=True))
    except (ValueError, RecursionError):
        raise BadRequest("'metadata' cannot be encoded.") from None
    if size > MAX_METADATA_BYTES:
        raise BadRequest("'metadata' is too large (8 KB at most).")
    return raw


def bearer_token(request: Request) -> Optional[str]:
    """The token from ``Authorization: Bearer`` or the ``token`` query argument."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[len("Bearer ") :].strip()
    return request.args.get("token")


class GuardedRestInput(RestInput):
    """Rasa's REST channel with input validation, delete hook and delete API."""

    @classmethod
    def name(cls) -> Text:
        """Same name as the stock channel, so the URL stays /webhooks/rest/."""
        return "rest"

    def __init__(self, auth_token_env: str = DEFAULT_TOKEN_ENV) -> None:
        """Reads the API token from the named environment variable, never a file."""
        self.auth_token_env = auth_token_env

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """Builds the channel from its credentials.yml entry."""
        credentials = credentials or {}
        return cls(auth_token_env=credentials.get("auth_token_env", DEFAULT_TOKEN_ENV))

    def _authorised(self, request: Request) -> bool:
        expected = os.environ.get(self.auth_token_env, "")
        given = bearer_token(request) or ""
        return bool(expected) and hmac.compare_digest(
            given.encode("utf-8", "replace"), expected.encode("utf-8")
        )

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[None]]
    ) -> Blueprint:
        """Health check, validated webhook and the delete-conversation call."""
        rasa_patches.install()
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                payload = parse_body(request.body)
                if "sender" not in payload:
                    raise BadRequest("The field 'sender' is missing.")
                if "message" not in payload:
                    raise BadRequest("The field 'message' is missing.")
                sender_id = common.validate_sender_id(payload["sender"])
                if not isinstance(payload["message"], str):
                    raise BadRequest("The field 'message' must be a string.")
                metadata = parse_metadata(payload.get("metadata"))
            except BadRequest as error:
                return error_response(error.detail, error.status)
            except common.InputRejected as error:
                return error_response(error.reason)

            collector = CollectingOutputChannel()
            outcome = await common.handle_user_turn(
                on_new_message,
                common.get_agent(request.app),
                text=payload["message"],
                sender_id=sender_id,
                output_channel=collector,
                input_channel=self.name(),
                metadata=metadata,
            )
            if outcome.status in ("store_down", "lock_down"):
                # The turn was not stored: only the answer to the refusal (the
                # emergency prompt for a red flag, then the error) is kept.
                first = len(collector.messages) - outcome.outage_replies
                refusal = collector.messages[max(first, 0) :]
                return response.json(refusal, status=503)
            return response.json(collector.messages)

        @webhook.route("/conversations/<sender_id:str>", methods=["DELETE"])
        async def delete(request: Request, sender_id: str) -> HTTPResponse:
            if not os.environ.get(self.auth_token_env):
                return error_response(
                    "Deleting over the API is disabled: no token is configured.", 403
                )
            if not self._authorised(request):
                return error_response("A valid token is required.", 401)
            try:
                sender_id = common.validate_sender_id(sender_id)
            except common.InputRejected as error:
                return error_response(error.reason)
            agent = common.get_agent(request.app)
            if agent is None:
                return error_response("The assistant is not ready yet.", 503)
            try:
                count = await common.delete_conversation(agent, sender_id)
            except Exception as error:
                logger.error("Delete over the API failed (%s).", type(error).__name__)
                return error_response(
                    "The conversation store is unavailable; nothing was deleted. "
                    "Please try again later.",
                    503,
                )
            return response.json({"deleted": count > 0, "records": count})

        return webhook
