"""Start, talk to and stop real Rasa and action servers on loopback: the one
launcher of tests (reliability, scale-out, robustness, channels, browser) and tools
(scripts/eval.py, scripts/robustness.py).

Every server binds 127.0.0.1 on a free port from 5200-5999 (the defaults 5005,
5055 and those of other runs on the machine stay clear of it); Rasa runs as
``python -m bot.serve run``, as deployed, with the API token in its environment.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
# RELIABILITY_MODEL lets a developer test another model; make uses models/current.
MODEL = Path(os.environ.get("RELIABILITY_MODEL", ROOT / "models" / "current.tar.gz"))
PORT_RANGE = range(5200, 6000)
START_TIMEOUT_S = 300
READY_LINE = {
    "rasa": "Rasa server is up and running",
    "actions": "Action endpoint is up and running",
}
_taken: set = set()


@dataclass
class Server:
    """A server process we started, its port and its log file."""

    name: str
    port: int
    proc: subprocess.Popen
    log_path: Path
    cmd: List[str] = field(default_factory=list)
    env: Dict[str, str] = field(default_factory=dict)
    log_offset: int = 0  # where this process's lines start (restarts append)

    @property
    def url(self) -> str:
        """Base URL on loopback."""
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        """True while the process runs."""
        return self.proc.poll() is None

    def log_text(self) -> str:
        """Everything logged to this server's file so far (restarts included)."""
        return self.log_path.read_text(errors="replace")

    def own_log(self) -> str:
        """What this process logged (a restart appends to the same file)."""
        with open(self.log_path, "rb") as log:
            log.seek(self.log_offset)
            return log.read().decode(errors="replace")


def free_port(exclude: Iterable[int] = (), ports: range = PORT_RANGE) -> int:
    """A port from ``ports`` that nobody listens on (not handed out twice).

    The search starts at a random point of the range, so two test runs on one
    machine rarely try the same port at the same moment.
    """
    start = random.randrange(len(ports))
    for port in list(ports)[start:] + list(ports)[:start]:
        if port in _taken or port in exclude:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _taken.add(port)
        return port
    raise RuntimeError(f"No free port in {ports.start}-{ports.stop - 1}")


def base_env(**extra: str) -> Dict[str, str]:
    """Environment for child servers: loopback, quiet SQLAlchemy, repo on the path."""
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT),
        SANIC_HOST="127.0.0.1",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        PYTHONWARNINGS="ignore::DeprecationWarning",
    )
    env.update(extra)
    return env


def write_endpoints(
    path: Path,
    action_port: int,
    tracker_store: Dict[str, Any],
    lock_store: Optional[Dict[str, Any]] = None,
) -> Path:
    """Writes an endpoints file pointing at our action server and stores."""
    config: Dict[str, Any] = {
        "action_endpoint": {"url": f"http://127.0.0.1:{action_port}/webhook"},
        "tracker_store": tracker_store,
    }
    if lock_store:
        config["lock_store"] = lock_store
    path.write_text(yaml.safe_dump(config))
    return path


def sqlite_store(db_path: Path) -> Dict[str, Any]:
    """endpoints.yml's tracker store (the one users run) on another SQLite file."""
    store = dict(yaml.safe_load((ROOT / "endpoints.yml").read_text())["tracker_store"])
    assert store["dialect"] == "sqlite", "endpoints.yml's default store is SQLite"
    return {**store, "db": str(db_path)}


def spawn(
    cmd: List[str], log_path: Path, env: Dict[str, str], cwd: Path = ROOT
) -> subprocess.Popen:
    """Starts ``cmd`` in its own session (so its whole group can be stopped),
    its output appended to ``log_path``."""
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def stop_process(proc: subprocess.Popen, grace_s: float = 30.0) -> None:
    """SIGTERM the process's group, SIGKILL after the grace time; waits for it."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def _spawn(
    name: str, cmd: List[str], port: int, log_dir: Path, env: Dict[str, str]
) -> Server:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}-{port}.log"
    offset = log_path.stat().st_size if log_path.exists() else 0
    proc = spawn(cmd, log_path, env)
    return Server(name, port, proc, log_path, cmd, env, offset)


def start_action_server(log_dir: Path, port: Optional[int] = None) -> Server:
    """Starts the action server (not waiting for it)."""
    port = port or free_port()
    cmd = [PYTHON, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)]
    return _spawn("actions", cmd, port, log_dir, base_env())


def rasa_cmd(
    port: int,
    endpoints: Path,
    *,
    enable_api: bool = False,
    cors: str = "http://localhost",
    model: Path = MODEL,
    credentials: Path = ROOT / "credentials.yml",
) -> List[str]:
    """The `rasa run` command line our deployment uses (bot.serve: no token in it)."""
    cmd = [PYTHON, "-m", "bot.serve", "run", "--model", str(model)]
    cmd += ["--endpoints", str(endpoints), "--credentials", str(credentials)]
    cmd += ["--interface", "127.0.0.1", "--port", str(port), "--cors", cors]
    if enable_api:
        cmd += ["--enable-api"]
    return cmd


def start_rasa(
    log_dir: Path,
    endpoints: Path,
    *,
    port: Optional[int] = None,
    env: Optional[Dict[str, str]] = None,
    auth_token: Optional[str] = None,
    **kwargs: Any,
) -> Server:
    """Starts `rasa run` (not waiting for it); the API token goes in its environment."""
    port = port or free_port()
    env = dict(env or base_env())
    if auth_token is not None:
        env["RASA_AUTH_TOKEN"] = auth_token
    return _spawn("rasa", rasa_cmd(port, endpoints, **kwargs), port, log_dir, env)


def restart(server: Server) -> Server:
    """Stops the server and starts the same command on the same port."""
    stop(server)
    fresh = _spawn(
        server.name, server.cmd, server.port, server.log_path.parent, server.env
    )
    return fresh


def wait_up(server: Server, path: str = "/", timeout: float = START_TIMEOUT_S) -> None:
    """Waits until the server answers; fails early when the process dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(
                f"{server.name} on {server.port} exited:\n{server.log_text()[-3000:]}"
            )
        # Another process may hold the port (parallel runs pick ports too): only
        # our process's own "up" line proves that the answer comes from it.
        if READY_LINE[server.name] not in server.own_log():
            time.sleep(0.5)
            continue
        try:
            with urllib.request.urlopen(server.url + path, timeout=2):
                _check_model_loaded(server)
                return
        except urllib.error.HTTPError:
            _check_model_loaded(server)
            return
        except (OSError, urllib.error.URLError):
            time.sleep(0.5)
    raise RuntimeError(f"{server.name} on {server.port} did not start in time")


def _check_model_loaded(server: Server) -> None:
    """Rasa answers HTTP even when its model failed to load: fail loudly then."""
    if "Could not load model" in server.own_log():
        stop(server)
        raise RuntimeError(
            f"{server.name} could not load its model:\n" + server.log_text()[-3000:]
        )


def stop(server: Server) -> None:
    """Terminates the server's process group and waits for it."""
    stop_process(server.proc)


def http(
    method: str,
    url: str,
    body: Optional[bytes] = None,
    headers: Optional[Dict[str, str]] = None,
    timeout: float = 120,
) -> Tuple[int, bytes]:
    """One HTTP request; returns (status, body) also for 4xx/5xx answers."""
    request = urllib.request.Request(url, data=body, method=method)
    for key, value in (headers or {"Content-Type": "application/json"}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def say(server: Server, sender: str, text: str) -> Tuple[int, List[Dict[str, Any]]]:
    """Sends one message over REST; returns (status, bot messages)."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    status, raw = http("POST", server.url + "/webhooks/rest/webhook", body)
    try:
        data = json.loads(raw)
    except ValueError:
        data = raw.decode(errors="replace")
    return status, data


def texts(messages: Any) -> List[str]:
    """The text of each bot message."""
    return [m.get("text", "") for m in messages if isinstance(m, dict)]


def python_executable() -> str:
    """The venv's Python (for subprocess helpers)."""
    return PYTHON if Path(PYTHON).exists() else sys.executable


@dataclass
class Stack:
    """An action server and a Rasa server on one SQLite file."""

    actions: Server
    rasa: Server
    db_path: Path


def start_sqlite_stack(
    work_dir: Path,
    env: Optional[Dict[str, str]] = None,
    timeout: float = START_TIMEOUT_S,
    **rasa_kwargs: Any,
) -> Stack:
    """Starts both servers on an SQLite file in work_dir/db/ and waits for them.

    ``rasa_kwargs`` go to :func:`start_rasa` (auth_token, enable_api, model,
    credentials, cors).
    """
    model = Path(rasa_kwargs.get("model", MODEL))
    if not model.exists():
        raise RuntimeError(f"{model} is missing: run `make train` first")
    actions = start_action_server(work_dir)
    (work_dir / "db").mkdir(exist_ok=True)
    db_path = work_dir / "db" / "tracker.db"
    endpoints = write_endpoints(
        work_dir / "endpoints.yml", actions.port, sqlite_store(db_path)
    )
    rasa = start_rasa(work_dir, endpoints, env=env, **rasa_kwargs)
    stack = Stack(actions, rasa, db_path)
    try:
        wait_up(actions, "/health", timeout)
        wait_up(rasa, timeout=timeout)
    except Exception:
        stop_stack(stack)
        raise
    return stack


def stop_stack(stack: Stack) -> None:
    """Stops both servers."""
    stop(stack.rasa)
    stop(stack.actions)


def sqlite_events(db_path: Path, sender_id: str) -> List[Dict[str, Any]]:
    """A conversation's stored events, in order, read straight from SQLite."""
    import sqlite3

    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender_id,)
        ).fetchall()
    return [json.loads(data) for (data,) in rows]


def response_texts(name: str) -> List[str]:
    """Every variation's text of a domain response (conditional ones included)."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    return [variant["text"].strip() for variant in domain["responses"][name]]


def intent_examples(intent: str) -> List[str]:
    """The training examples of an intent, from every bot/data/nlu*.yml file."""
    examples: List[str] = []
    for path in sorted((ROOT / "bot" / "data").glob("nlu*.yml")):
        for block in yaml.safe_load(path.read_text()).get("nlu", []) or []:
            if block.get("intent") == intent:
                examples += [
                    line[2:].strip()
                    for line in block["examples"].splitlines()
                    if line.startswith("- ")
                ]
    return examples
