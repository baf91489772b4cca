"""The processes the benchmark starts: memory, CPU and readiness of a process tree."""

from __future__ import annotations

import contextlib
import os
import re
import resource
import signal
import subprocess
import time
from pathlib import Path

from tools.servers import spawn, stop_process

# ---------------------------------------------------------------- processes


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        kids.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return kids


def process_tree(pid: int) -> list[int]:
    """The pid and all its descendants."""
    kids = _children()
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += kids.get(current, [])
    return tree


def _status_kib(pid: int, key: str, path: str = "status") -> int:
    try:
        text = Path(f"/proc/{pid}/{path}").read_text()
    except OSError:
        return 0
    match = re.search(rf"^{key}:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) if match else 0


def tree_mib(pid: int, key: str, path: str = "status") -> float:
    """Sum of a /proc memory field over a process tree, MiB."""
    return sum(_status_kib(p, key, path) for p in process_tree(pid)) / 1024.0


def tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process tree (the live processes in it)."""
    ticks = 0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


class Processes:
    """Every process this run started, each in its own session, stopped on exit."""

    def __init__(self) -> None:
        self._procs: list[subprocess.Popen] = []
        self.last_cpu_s = 0.0

    def start(
        self, cmd: list[str], cwd: Path, env: dict[str, str], log: Path
    ) -> subprocess.Popen:
        """Spawn cmd with output to log."""
        proc = spawn(cmd, log, env, cwd)
        self._procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen, grace_s: float = 15.0) -> None:
        """SIGTERM its process group, SIGKILL after the grace time."""
        stop_process(proc, grace_s)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # leftovers of its group
        if proc in self._procs:
            self._procs.remove(proc)

    def stop_all(self) -> None:
        """Stop everything still running."""
        for proc in list(self._procs):
            self.stop(proc, grace_s=5.0)

    def run(
        self, cmd: list[str], cwd: Path, env: dict[str, str], log: Path, timeout: float
    ) -> tuple[int, float]:
        """Run to completion within timeout; (exit code, seconds).

        Its CPU seconds (user + system, all its descendants) go to last_cpu_s:
        unlike wall time, they hardly change when others load the machine.
        """
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = self.start(cmd, cwd, env, log)
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop(proc)
            code = -1
        self.stop(proc)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.last_cpu_s = (after.ru_utime - before.ru_utime) + (
            after.ru_stime - before.ru_stime
        )
        return code, time.perf_counter() - t0


def http_ok(url: str, timeout: float = 1.0) -> bool:
    """GET url answers 200."""
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status == 200
    except Exception:
        return False


def wait_ready(
    checks: dict[str, tuple[str, subprocess.Popen]], t0: float, timeout_s: float
) -> dict[str, float]:
    """Seconds from t0 until each named server's URL answers 200."""
    ready: dict[str, float] = {}
    while len(ready) < len(checks):
        for name, (url, proc) in checks.items():
            if name in ready:
                continue
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited during start-up ({proc.returncode})")
            if http_ok(url, timeout=0.5):
                ready[name] = time.perf_counter() - t0
        if time.perf_counter() - t0 > timeout_s:
            raise RuntimeError(f"not ready after {timeout_s:.0f} s: {checks.keys()}")
        time.sleep(0.1)
    return ready
