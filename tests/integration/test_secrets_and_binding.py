"""`make run` keeps its API token out of the process list and listens on loopback
unless HOST says otherwise."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from .launcher import run_sh
from .processes import command_lines, listening_addresses

LOOPBACK = {"127.0.0.1"}


def status_code(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_token_is_in_no_command_line_yet_protects_the_api(running_bot):
    token = running_bot.env["RASA_AUTH_TOKEN"]
    shown = [pid for pid, argv in command_lines().items() if token in " ".join(argv)]
    assert shown == [], "the API token is visible in the process list"
    base = f"http://127.0.0.1:{running_bot.rasa_port}"
    assert status_code(f"{base}/status") == 401
    assert status_code(f"{base}/status?token={token}") == 200
    request = urllib.request.Request(
        f"{base}/webhooks/rest/conversations/nobody",
        method="DELETE",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert json.loads(answer.read())["deleted"] is False


def test_plain_run_listens_on_loopback_only(running_bot):
    for port in (running_bot.rasa_port, running_bot.action_port):
        assert listening_addresses(port) == LOOPBACK, port


def test_host_env_opens_every_interface(tmp_path):
    with run_sh(tmp_path, HOST="0.0.0.0") as bot:
        for port in (bot.rasa_port, bot.action_port):
            assert listening_addresses(port) == {"0.0.0.0"}, port
        assert "Listening on 0.0.0.0" in bot.log_text()
