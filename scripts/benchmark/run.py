"""One benchmark run: train and start both bots, load them, profile ours."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from scripts.benchmark.conversations import (
    our_conversation,
    run_phase,
    stock_conversation,
)
from scripts.benchmark.processes import Processes, tree_cpu_s, tree_mib, wait_ready
from scripts.benchmark.report import fmt
from scripts.benchmark.results import (
    LOOPBACK,
    PORT_RANGE,
    ROOT,
    BotResult,
    Report,
    _train_if_changed,
)
from tools.git import git_commit
from tools.servers import free_port

# ---------------------------------------------------------------- the run


@dataclass
class BotSetup:
    """How to serve one bot."""

    name: str
    cwd: Path
    model: Path
    endpoints: Path | None
    credentials: Path | None
    webhook: str
    action_server: bool
    env: dict[str, str]
    conversation: Callable[[int], Any]


@dataclass
class Server:
    """A started bot: its processes by name and its REST webhook URL."""

    setup: BotSetup
    procs: dict[str, subprocess.Popen]
    url: str


class Bench:
    """One benchmark run: owns the work dir, the processes and the report."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.t_start = time.perf_counter()
        self.procs = Processes()
        self.ports: set[int] = set()
        self.work = Path(args.work_dir or tempfile.mkdtemp(prefix="bench-"))
        self.work.mkdir(parents=True, exist_ok=True)
        self.logs = self.work / "logs"
        self.logs.mkdir(exist_ok=True)
        self.py = sys.executable
        self.base_env = dict(os.environ)
        self.base_env.update(
            RASA_TELEMETRY_ENABLED="false",
            PYTHONUNBUFFERED="1",
            SANIC_HOST=LOOPBACK,  # the action server's bind address
        )
        self.load_samples: list[tuple[str, tuple[float, float, float]]] = []

    def extra_env(self) -> dict[str, str]:
        """--ours-env NAME=value settings (experiments with env settings)."""
        return dict(item.split("=", 1) for item in self.args.ours_env)

    def progress(self, phase: str, message: str) -> None:
        """One progress line: elapsed, phase, message, load average."""
        elapsed = time.perf_counter() - self.t_start
        load = os.getloadavg()
        if phase not in {name for name, _ in self.load_samples}:
            self.load_samples.append((phase, load))
        print(
            f"[bench {elapsed / 60:4.1f} min] {phase}: {message} (load {load[0]:.2f})",
            flush=True,
        )

    # ---- training

    def train_stock(self, result: BotResult) -> Path | None:
        """`rasa init --no-prompt` in a temp folder: scaffold + training, timed."""
        stock = self.work / "stock"
        model_dir = stock / "models"
        if self.args.reuse_models and list(model_dir.glob("*.tar.gz")):
            result.training_note = "reused from an earlier run (--reuse-models)"
            return sorted(model_dir.glob("*.tar.gz"))[-1]
        shutil.rmtree(stock, ignore_errors=True)
        stock.mkdir(parents=True)
        env = dict(self.base_env, RASA_CACHE_DIRECTORY=str(self.work / "cache-stock"))
        shutil.rmtree(self.work / "cache-stock", ignore_errors=True)
        self.progress("train stock", "rasa init --no-prompt (generates and trains)")
        code, seconds = self.procs.run(
            [self.py, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(stock)],
            cwd=self.work,
            env=env,
            log=self.logs / "train-stock.log",
            timeout=self.args.train_timeout,
        )
        models = sorted(model_dir.glob("*.tar.gz"))
        if code != 0 or not models:
            result.failure = f"rasa init failed ({code}); see train-stock.log"
            return None
        self._record_training(
            result,
            "train stock",
            seconds,
            "`rasa init --no-prompt`: scaffold (instant) + `rasa train`, fresh cache",
        )
        return models[-1]

    def _record_training(
        self, result: BotResult, phase: str, seconds: float, note: str
    ) -> None:
        """A training's wall and CPU time, the load during it, and what it was."""
        result.training_s = seconds
        result.training_cpu_s = self.procs.last_cpu_s
        result.training_load = os.getloadavg()[0]
        result.training_note = note
        self.progress(phase, f"done in {seconds:.1f} s")

    def train_ours(self, result: BotResult) -> Path | None:
        """`make train`'s inputs trained fresh into the work dir, timed."""
        out = self.work / "ours-models"
        model = out / "m.tar.gz"
        if self.args.reuse_models and model.exists():
            result.training_note = "reused from an earlier run (--reuse-models)"
            return model
        cache = self.work / "cache-ours"
        shutil.rmtree(cache, ignore_errors=True)
        cmd = _train_if_changed().train_command(self.py, out, "m")
        self.progress("train ours", " ".join(cmd[2:]))
        code, seconds = self.procs.run(
            cmd,
            cwd=ROOT,
            env=dict(self.base_env, RASA_CACHE_DIRECTORY=str(cache)),
            log=self.logs / "train-ours.log",
            timeout=self.args.train_timeout,
        )
        if code != 0 or not model.exists():
            result.failure = f"rasa train failed ({code}); see train-ours.log"
            return None
        self._record_training(
            result,
            "train ours",
            seconds,
            f"`rasa train` of config.yml, {cmd[cmd.index('--domain') + 1]}, "
            "bot/data into a temp dir, fresh cache",
        )
        return model

    def time_noop_train(self, report: Report) -> None:
        """Time `make train` when its inputs are unchanged: it must skip."""
        if self.args.no_make_train:
            report.noop_note = "not run (--no-make-train)"
            return
        env = dict(os.environ)
        log = self.logs / "make-train.log"
        stale = not _train_if_changed().is_up_to_date()
        if stale:
            self.progress("make train", "model out of date: `make train` first")
            code, seconds = self.procs.run(
                ["make", "train"], ROOT, env, log, self.args.train_timeout
            )
            report.noop_note = (
                f"(models/current.tar.gz was out of date: the first `make train` "
                f"trained in {seconds:.0f} s, exit {code}; then timed again.)"
            )
        self.progress("make train", "timing `make train` with nothing changed")
        before = log.stat().st_size if log.exists() else 0
        code, seconds = self.procs.run(["make", "train"], ROOT, env, log, 300)
        output = log.read_bytes()[before:].decode(errors="replace")
        report.noop_train_s = seconds
        report.noop_train_skipped = code == 0 and "skipping training" in output.lower()
        self.progress(
            "make train", f"{seconds:.2f} s, skipped={report.noop_train_skipped}"
        )

    # ---- serving

    def our_setup(self, model: Path, action_port: int) -> BotSetup:
        """Ours as `make run` serves it: its endpoints and channels, temp SQLite."""
        endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text()) or {}
        endpoints["action_endpoint"] = {
            "url": f"http://{LOOPBACK}:{action_port}/webhook"
        }
        store = endpoints.get("tracker_store") or {}
        if str(store.get("dialect", "")).lower() == "sqlite":
            store["db"] = str(self.work / "ours-tracker.db")
            with contextlib.suppress(FileNotFoundError):
                (self.work / "ours-tracker.db").unlink()
        endpoints_path = self.work / "ours-endpoints.yml"
        endpoints_path.write_text(yaml.safe_dump(endpoints))
        credentials = yaml.safe_load((ROOT / "credentials.yml").read_text()) or {}
        # Channels that need secrets (Telegram) are left out; REST and the widget stay.
        credentials = {
            k: v for k, v in credentials.items() if "telegram" not in k.lower()
        }
        credentials_path = self.work / "ours-credentials.yml"
        credentials_path.write_text(yaml.safe_dump(credentials))
        return BotSetup(
            name="ours",
            cwd=ROOT,
            model=model,
            endpoints=endpoints_path,
            credentials=credentials_path,
            webhook=self.rest_webhook(credentials),
            action_server=True,
            env=dict(self.base_env, **run_sh_env(), **self.extra_env()),
            conversation=our_conversation,
        )

    def rest_webhook(self, credentials: dict[str, Any]) -> str:
        """The REST channel's URL path: `rest`, or a custom channel's name()."""
        if "rest" in credentials:
            return "/webhooks/rest/webhook"
        for key in credentials:
            if "." in key and "rest" in key.lower():
                module, cls = key.rsplit(".", 1)
                code = f"import {module} as m; print(m.{cls}.name())"
                out = subprocess.run(
                    [self.py, "-c", code],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    timeout=120,
                    check=False,
                )
                if out.returncode == 0 and out.stdout.strip():
                    return f"/webhooks/{out.stdout.strip().splitlines()[-1]}/webhook"
        return "/webhooks/rest/webhook"

    def stock_setup(self, model: Path) -> BotSetup:
        """The stock bot as `rasa run` serves it from its folder."""
        stock = self.work / "stock"
        return BotSetup(
            name="stock",
            cwd=stock,
            model=model,
            endpoints=stock / "endpoints.yml",
            credentials=stock / "credentials.yml",
            webhook="/webhooks/rest/webhook",
            action_server=False,
            env=dict(self.base_env),
            conversation=stock_conversation,
        )

    def start_bot(
        self, setup: BotSetup, result: BotResult, port: int, action_port: int | None
    ) -> Server | None:
        """Start its servers, time start-up to ready, warm up, read memory."""
        server = Server(setup, {}, f"http://{LOOPBACK}:{port}{setup.webhook}")
        checks: dict[str, tuple[str, subprocess.Popen]] = {}
        self.progress(f"start {setup.name}", f"Rasa on port {port}")
        t0 = time.perf_counter()
        try:
            if setup.action_server and action_port:
                proc = self.start_action_server(setup, action_port, "serve")
                server.procs["action server"] = proc
                checks["action server"] = (
                    f"http://{LOOPBACK}:{action_port}/health",
                    proc,
                )
            cmd = [self.py, "-m", "rasa", "run", "--model", str(setup.model)]
            cmd += ["--port", str(port), "--interface", LOOPBACK]
            if setup.endpoints:
                cmd += ["--endpoints", str(setup.endpoints)]
            if setup.credentials:
                cmd += ["--credentials", str(setup.credentials)]
            log = self.logs / f"{setup.name}-rasa.log"
            proc = self.procs.start(cmd, setup.cwd, setup.env, log)
            server.procs["rasa server"] = proc
            checks["rasa server"] = (f"http://{LOOPBACK}:{port}/", proc)
            result.startup_parts = wait_ready(checks, t0, self.args.startup_timeout)
            result.startup_s = max(result.startup_parts.values())
            result.startup_cpu_s = sum(tree_cpu_s(p.pid) for p in server.procs.values())
            self.progress(f"start {setup.name}", f"ready in {result.startup_s:.1f} s")
            self.warm_up(setup, result, server.url)
            for name, proc in server.procs.items():
                result.rss_mib[name] = tree_mib(proc.pid, "VmRSS")
                result.pss_mib[name] = tree_mib(proc.pid, "Pss", "smaps_rollup")
            self.progress(
                f"memory {setup.name}",
                ", ".join(f"{k} {v:.0f} MiB" for k, v in result.rss_mib.items()),
            )
            return server
        except Exception as exc:  # recorded in the report, the run goes on
            result.failure = f"{type(exc).__name__}: {exc}"
            self.progress(f"start {setup.name}", f"FAILED: {result.failure}")
            self.stop_bot(server)
            return None

    def stop_bot(self, server: Server) -> None:
        """Stop its servers."""
        for proc in server.procs.values():
            self.procs.stop(proc)

    def start_action_server(
        self, setup: BotSetup, port: int, tag: str
    ) -> subprocess.Popen:
        """`python -m rasa_sdk` on loopback (SANIC_HOST) at port."""
        cmd = [self.py, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)]
        log = self.logs / f"{setup.name}-{tag}-actions.log"
        return self.procs.start(cmd, setup.cwd, setup.env, log)

    def load_phase(self, server: Server, result: BotResult, level: int) -> None:
        """One concurrency level against one bot, with its servers' CPU time."""
        name = server.setup.name
        self.progress(f"load {name} x{level}", f"{level} concurrent conversations")
        cpu_before = {k: tree_cpu_s(p.pid) for k, p in server.procs.items()}
        phase = asyncio.run(
            run_phase(
                server.url,
                server.setup.conversation,
                level,
                self.args.phase_seconds,
                self.args.max_requests,
                self.args.request_timeout,
                name,
            )
        )
        phase.cpu_by_server = {
            k: tree_cpu_s(p.pid) - cpu_before[k] for k, p in server.procs.items()
        }
        phase.cpu_s = sum(phase.cpu_by_server.values())
        result.phases[level] = phase
        self.progress(
            f"load {name} x{level}",
            f"{phase.turns} turns, p95 {fmt(phase.pct(95), 0)} ms, "
            f"{phase.error_count} errors",
        )

    def warm_up(self, setup: BotSetup, result: BotResult, url: str) -> None:
        """A few sequential conversations; the very first turn is timed (cold)."""
        phase = asyncio.run(
            run_phase(
                url,
                setup.conversation,
                1,
                self.args.warmup_seconds,
                self.args.warmup_requests,
                self.args.request_timeout,
                f"{setup.name}-warmup",
            )
        )
        if phase.latencies_ms:
            result.first_turn_ms = phase.latencies_ms[0]
        if phase.error_count or not phase.turns:
            raise RuntimeError(f"warm-up failed: {dict(phase.errors)}")
        self.progress(
            f"warm-up {setup.name}",
            f"{phase.turns} turns, {phase.conversations_done} conversations done",
        )

    # ---- profile

    def profile(
        self, ours: BotSetup | None, stock: BotSetup | None, action_port: int | None
    ) -> dict[str, Any]:
        """scripts/bench_profile.py in its own process for each bot."""
        out: dict[str, Any] = {}
        for setup in (ours, stock):
            if setup is None:
                continue
            self.progress(f"profile {setup.name}", "in-process Agent with pyinstrument")
            action_proc = None
            json_out = self.work / f"profile-{setup.name}.json"
            try:
                if setup.action_server and action_port:
                    action_proc = self.start_action_server(
                        setup, action_port, "profile"
                    )
                    wait_ready(
                        {
                            "action server": (
                                f"http://{LOOPBACK}:{action_port}/health",
                                action_proc,
                            )
                        },
                        time.perf_counter(),
                        self.args.startup_timeout,
                    )
                cmd = [
                    self.py,
                    str(ROOT / "scripts" / "bench_profile.py"),
                    "--model",
                    str(setup.model),
                    "--bot",
                    setup.name,
                    "--conversations",
                    str(self.args.profile_conversations),
                    "--out",
                    str(json_out),
                    "--work",
                    str(self.work),
                ]
                if setup.endpoints:
                    cmd += ["--endpoints", str(setup.endpoints)]
                if setup.name == "ours" and self.args.experiment_rounds:
                    cmd += ["--experiments", str(self.args.experiment_rounds)]
                code, seconds = self.procs.run(
                    cmd,
                    setup.cwd,
                    setup.env,
                    self.logs / f"profile-{setup.name}.log",
                    self.args.profile_timeout,
                )
                if code == 0 and json_out.exists():
                    out[setup.name] = json.loads(json_out.read_text())
                else:
                    out[setup.name] = {"error": f"exit {code}; see profile log"}
                self.progress(f"profile {setup.name}", f"done in {seconds:.1f} s")
            finally:
                if action_proc is not None:
                    self.procs.stop(action_proc)
        return out

    # ---- whole run

    def run(self) -> Report:
        """Every phase in order; always stops its processes."""
        ours, stock = BotResult("ours"), BotResult("stock")
        report = Report(
            command=self.args.command,
            commit=git_commit(),
            date=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            machine=machine_summary(),
            settings={
                "phase": f"{self.args.phase_seconds:.0f} s per concurrency level",
                "levels": ", ".join(map(str, self.args.levels)),
                "request cap": f"{self.args.max_requests} per phase",
                "request timeout": f"{self.args.request_timeout:.0f} s",
                "ours env from scripts/run.sh and --ours-env": ", ".join(
                    f"{k}={v}" for k, v in {**run_sh_env(), **self.extra_env()}.items()
                )
                or "none",
            },
            ours=ours,
            stock=stock,
        )
        try:
            stock_model = self.train_stock(stock)
            our_model = self.train_ours(ours)
            self.time_noop_train(report)
            action_port = free_port(self.ports, PORT_RANGE)
            our_setup = self.our_setup(our_model, action_port) if our_model else None
            stock_setup = self.stock_setup(stock_model) if stock_model else None
            bots = [
                (setup, result)
                for setup, result in ((stock_setup, stock), (our_setup, ours))
                if setup is not None
            ]
            servers = []
            for setup, result in bots:
                server = self.start_bot(
                    setup, result, free_port(self.ports, PORT_RANGE), action_port
                )
                if server is not None:
                    servers.append((server, result))
            try:
                # Levels alternate which bot goes first, so a drift in the
                # machine's load does not always favour the same bot.
                for i, level in enumerate(self.args.levels):
                    order = servers if i % 2 == 0 else servers[::-1]
                    for server, result in order:
                        self.load_phase(server, result, level)
                for server, result in servers:
                    for name, proc in server.procs.items():
                        result.peak_rss_mib[name] = tree_mib(proc.pid, "VmHWM")
            finally:
                for server, _ in servers:
                    self.stop_bot(server)
            if not self.args.no_profile:
                report.profile = self.profile(our_setup, stock_setup, action_port)
        finally:
            self.procs.stop_all()
            report.load_samples = self.load_samples
            report.total_s = time.perf_counter() - self.t_start
        return report


def run_sh_env() -> dict[str, str]:
    """`export NAME=value` lines of scripts/run.sh: ours runs with them too."""
    env: dict[str, str] = {}
    path = ROOT / "scripts" / "run.sh"
    if not path.exists():
        return env
    for line in path.read_text().splitlines():
        match = re.match(r"\s*export\s+([A-Z_][A-Z0-9_]*)=(.*)$", line)
        if not match:
            continue
        name, value = match.group(1), match.group(2).strip().strip("\"'")
        default = re.fullmatch(r"\$\{" + name + r":-(.*)\}", value)
        if default:
            value = os.environ.get(name, default.group(1))
        if "$" not in value:
            env[name] = value
    return env


def machine_summary() -> str:
    """CPU model and count, memory, OS, Python and Rasa versions."""
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = 0
    with contextlib.suppress(OSError):
        match = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
        mem = int(match.group(1)) if match else 0
    try:
        from importlib.metadata import version

        rasa_version = version("rasa")
    except Exception:
        rasa_version = "?"
    return (
        f"{os.cpu_count()} CPU ({cpu}), {mem / 1024 / 1024:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python "
        f"{platform.python_version()}, Rasa {rasa_version}"
    )
