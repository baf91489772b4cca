"""The deployment files keep secrets out and agree with each other."""

import re
from typing import Any, Iterator, Tuple

import yaml

from tools import servers

ROOT = servers.ROOT
SECRET_KEY = re.compile(r"password|token|secret", re.IGNORECASE)
SECRET_INTERPOLATION = re.compile(r"(?<!\$)\$\{[A-Z_]*(PASSWORD|TOKEN|SECRET)")
ENV_REFERENCE = re.compile(r"^\$\{[A-Z_][A-Z0-9_]*(:[-?][^}]*)?\}$")


def walk(node: Any, path: str = "") -> Iterator[Tuple[str, str, Any]]:
    """(path, key, value) of every mapping entry, depth first."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, str(key), value
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}[{index}]")


def test_secret_values_come_from_the_environment():
    for name in ("credentials.yml", "endpoints.yml", "endpoints.scale.yml"):
        config = yaml.safe_load((ROOT / name).read_text()) or {}
        for path, key, value in walk(config):
            if SECRET_KEY.search(key) and not key.endswith("_env"):
                assert isinstance(value, str) and ENV_REFERENCE.match(value), (
                    f"{name}{path}/{key} must be an ${{ENV_VAR}} reference"
                )


def test_compose_secrets_are_required_env_vars():
    compose = (ROOT / "docker-compose.yml").read_text()
    for var in ("DB_PASSWORD", "REDIS_PASSWORD", "RASA_AUTH_TOKEN"):
        assert f"${{{var}:?" in compose
    for _, key, value in walk(yaml.safe_load(compose)):
        if SECRET_KEY.search(key) and isinstance(value, str):
            assert value.startswith("${"), key


def test_compose_rasa_gets_every_variable_endpoints_scale_reads():
    wanted = set(
        re.findall(r"\$\{([A-Z_]+)\}", (ROOT / "endpoints.scale.yml").read_text())
    )
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for service in ("rasa-1", "rasa-2"):
        assert wanted <= set(compose["services"][service]["environment"])
    images = {
        compose["services"][name].get("build", {}).get("dockerfile_inline", "")
        for name in ("rasa-1", "actions")
    }
    assert any("FROM rasa/rasa:3.6.21-full" in image for image in images)
    assert any("FROM rasa/rasa-sdk:3.6.2" in image for image in images)


def test_compose_puts_no_secret_on_a_command_line():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name, service in compose["services"].items():
        argv = [str(part) for part in service.get("command") or []]
        assert "--auth-token" not in argv, name
        # ${VAR} is filled in by compose, into argv; $$VAR by the container's shell.
        assert not any(SECRET_INTERPOLATION.search(part) for part in argv), name


def test_compose_restarts_and_health_checks_every_server():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for name, service in services.items():
        if "maintenance" in service.get("profiles", []):
            continue  # one-off jobs (retention) run and exit
        assert service.get("restart") == "unless-stopped", name
        assert service.get("healthcheck", {}).get("test"), name
    # Rasa answers without the action server (the emergency prompt is a rule).
    for name in ("rasa-1", "rasa-2"):
        wanted = services[name]["depends_on"]["actions"]["condition"]
        assert wanted == "service_started", name


def test_make_run_process_manager_restarts_both_servers():
    from configparser import RawConfigParser

    config = RawConfigParser()
    config.read(ROOT / "scripts" / "supervisord.conf")
    for program in ("program:action-server", "program:rasa-server"):
        assert config.getboolean(program, "autorestart"), program
        assert config.getint(program, "startretries") >= 10, program
    assert "--auth-token" not in config.get("program:rasa-server", "command")
