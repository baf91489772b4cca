"""bot.serve: the API token comes from the environment or a file, never argv."""

from __future__ import annotations

import os
import subprocess

import pytest

from bot import serve
from tools import servers


def test_token_from_the_environment_first(monkeypatch, tmp_path):
    secret_file = tmp_path / "token"
    secret_file.write_text("from-file\n")
    monkeypatch.setenv("RASA_AUTH_TOKEN", "from-env")
    monkeypatch.setenv("RASA_AUTH_TOKEN_FILE", str(secret_file))
    assert serve.read_secret("RASA_AUTH_TOKEN") == "from-env"


def test_token_from_a_file_is_exported_for_the_rest_channel(monkeypatch, tmp_path):
    secret_file = tmp_path / "token"
    secret_file.write_text("  from-file  \nignored second line\n")
    monkeypatch.delenv("RASA_AUTH_TOKEN", raising=False)
    monkeypatch.setenv("RASA_AUTH_TOKEN_FILE", str(secret_file))
    assert serve.read_secret("RASA_AUTH_TOKEN") == "from-file"
    assert os.environ["RASA_AUTH_TOKEN"] == "from-file"


def test_empty_token_file_fails_loudly(monkeypatch, tmp_path):
    secret_file = tmp_path / "token"
    secret_file.write_text("\n")
    monkeypatch.delenv("RASA_AUTH_TOKEN", raising=False)
    monkeypatch.setenv("RASA_AUTH_TOKEN_FILE", str(secret_file))
    with pytest.raises(SystemExit):
        serve.read_secret("RASA_AUTH_TOKEN")


def test_no_token_at_all(monkeypatch):
    monkeypatch.delenv("RASA_AUTH_TOKEN", raising=False)
    monkeypatch.delenv("RASA_AUTH_TOKEN_FILE", raising=False)
    assert serve.read_secret("RASA_AUTH_TOKEN") is None


def test_api_without_a_token_refuses_to_start():
    env = servers.base_env()
    env.pop("RASA_AUTH_TOKEN", None)
    env.pop("RASA_AUTH_TOKEN_FILE", None)
    started = subprocess.run(
        [servers.PYTHON, "-m", "bot.serve", "run", "--enable-api"],
        cwd=servers.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode != 0
    assert "needs a token" in started.stderr
