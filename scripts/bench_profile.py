"""Where a turn's time goes: an in-process Rasa Agent, timed part by part.

Why: REST latency says how slow a turn is, not why. This loads a trained model
into an Agent (no HTTP channel), runs conversations like scripts/bench.py does,
and times each part of a turn: the NLU graph, the policy graph, each Rasa graph
node (per-component timings), action-server round trips and tracker-store
reads and writes, with pyinstrument sampling the whole. It also records what
importing TensorFlow and Rasa and loading the model cost in resident memory.
Run by scripts/bench.py in its own process (it imports TensorFlow); writes JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AWAIT = "[await]"
ROUND_TRIP = "action server round trip"
VALIDATION = "action response validation (jsonschema, in Rasa)"
RUN_ID = f"{os.getpid()}-{int(time.time())}"  # fresh conversations every run


def rss_mib() -> float:
    """This process's resident memory, MiB."""
    text = Path("/proc/self/status").read_text()
    match = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) / 1024.0 if match else 0.0


class Timings:
    """Accumulated seconds per part of a turn and per graph node."""

    def __init__(self) -> None:
        self.parts: dict[str, float] = defaultdict(float)
        self.part_calls: dict[str, int] = defaultdict(int)
        self.nodes: dict[tuple[str, str, str], float] = defaultdict(float)
        self.calls: dict[tuple[str, str, str], int] = defaultdict(int)
        self.phase = "other"
        self.enabled = False

    def reset(self) -> None:
        """Forget the warm-up."""
        self.parts.clear()
        self.part_calls.clear()
        self.nodes.clear()
        self.calls.clear()


TIMINGS = Timings()


def _wrap_async(fn: Callable, part: str, phase: str | None = None) -> Callable:
    @functools.wraps(fn)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        previous = TIMINGS.phase
        if phase:
            TIMINGS.phase = phase
        t0 = time.perf_counter()
        try:
            return await fn(*args, **kwargs)
        finally:
            TIMINGS.parts[part] += time.perf_counter() - t0
            TIMINGS.part_calls[part] += 1
            TIMINGS.phase = previous

    return wrapper


def _wrap_sync(fn: Callable, part: str, phase: str | None = None) -> Callable:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        previous = TIMINGS.phase
        if phase:
            TIMINGS.phase = phase
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMINGS.parts[part] += time.perf_counter() - t0
            TIMINGS.part_calls[part] += 1
            TIMINGS.phase = previous

    return wrapper


def instrument() -> None:
    """Wrap Rasa's turn steps with timers (this process only)."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor
    from rasa.core.tracker_store import FailSafeTrackerStore
    from rasa.engine.graph import GraphNode

    MessageProcessor.parse_message = _wrap_async(
        MessageProcessor.parse_message, "NLU graph (parse_message)", "nlu"
    )
    MessageProcessor._predict_next_with_tracker = _wrap_sync(
        MessageProcessor._predict_next_with_tracker,
        "policy graph (predict next action)",
        "policies",
    )
    RemoteAction.run = _wrap_async(RemoteAction.run, ROUND_TRIP)
    RemoteAction._validate_action_result = _wrap_sync(
        RemoteAction._validate_action_result, VALIDATION
    )
    FailSafeTrackerStore.save = _wrap_async(
        FailSafeTrackerStore.save, "tracker store save"
    )
    FailSafeTrackerStore.retrieve = _wrap_async(
        FailSafeTrackerStore.retrieve, "tracker store retrieve"
    )
    if hasattr(FailSafeTrackerStore, "retrieve_full_tracker"):
        FailSafeTrackerStore.retrieve_full_tracker = _wrap_async(
            FailSafeTrackerStore.retrieve_full_tracker, "tracker store retrieve"
        )
    original_call = GraphNode.__call__

    def timed_call(self: Any, *inputs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original_call(self, *inputs)
        finally:
            key = (self._node_name, self._component_class.__name__, TIMINGS.phase)
            TIMINGS.nodes[key] += time.perf_counter() - t0
            TIMINGS.calls[key] += 1

    GraphNode.__call__ = timed_call


def package_of(path: str | None) -> str:
    """Which package a source file belongs to, for the by-package table."""
    if not path or path.startswith("<"):
        return "other"
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0]
    if path.startswith(str(ROOT)):
        return "ours: " + Path(path).relative_to(ROOT).parts[0]
    if "/lib/python3" in path:
        return "python stdlib"
    return "other"


def owner_package(frame: Any) -> str:
    """A frame's package; built-ins (TF's C calls, sqlite3) count for their caller."""
    while frame is not None:
        path = frame.file_path
        if path and not path.startswith("<") and not frame.is_synthetic:
            return package_of(path)
        frame = frame.parent
    return "other"


def summarize_session(session: Any, top: int = 20) -> dict[str, Any]:
    """Self time by function and by package from a pyinstrument session."""
    root = session.root_frame()
    if root is None:
        return {"functions": [], "packages": []}
    total = root.time or 1e-9
    by_function: dict[tuple[str, str], float] = defaultdict(float)
    by_package: dict[str, float] = defaultdict(float)
    stack = [root]
    while stack:
        frame = stack.pop()
        stack.extend(frame.children)
        if frame.is_synthetic:
            continue
        awaited = sum(c.time for c in frame.children if c.identifier == AWAIT)
        own = frame.total_self_time - awaited
        where = f"{frame.file_path_short}:{frame.line_no}"
        by_function[(frame.function, where)] += own
        by_package[owner_package(frame)] += own
        if awaited:
            by_package["[await] idle, waiting on I/O"] += awaited
    functions = sorted(by_function.items(), key=lambda kv: -kv[1])[:top]
    packages = sorted(by_package.items(), key=lambda kv: -kv[1])
    return {
        "functions": [
            {"function": f, "where": w, "percent": 100 * t / total}
            for (f, w), t in functions
        ],
        "packages": [{"package": p, "percent": 100 * t / total} for p, t in packages],
        "profiled_s": total,
    }


async def converse(
    agent: Any, make_conversation: Callable, index: int, tag: str
) -> int:
    """One conversation through the Agent; returns its turn count."""
    conv = make_conversation(index)
    sender = f"profile-{RUN_ID}-{tag}-{index}"
    message = conv.first()
    turns = 0
    while message is not None:
        replies = await agent.handle_text(message, sender_id=sender)
        turns += 1
        message = conv.next(replies or [])
    return turns


async def profile(args: argparse.Namespace, memory: dict[str, float]) -> dict[str, Any]:
    """Load the model, warm up, then time and sample the conversations."""
    from pyinstrument import Profiler
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints

    if str(ROOT) not in sys.path:  # run as a file, from the bot's folder
        sys.path.insert(0, str(ROOT))
    from scripts.benchmark import conversations

    make = (
        conversations.our_conversation
        if args.bot == "ours"
        else conversations.stock_conversation
    )
    endpoints = AvailableEndpoints.read_endpoints(args.endpoints)
    t0 = time.perf_counter()
    agent = await load_agent(model_path=args.model, endpoints=endpoints)
    load_s = time.perf_counter() - t0
    memory["model loaded"] = rss_mib()
    if args.bot == "ours":
        # As on our servers, which install bot/rasa_patches.py at start
        # (the stock bot has no action server and no bot package).
        from bot.rasa_patches import use_cached_action_validation

        use_cached_action_validation(True)
    instrument()
    await converse(agent, make, 10_000, "warmup")
    memory["one conversation (warm)"] = rss_mib()
    # Timed pass without the sampling profiler: its per-call overhead would
    # inflate call-heavy code (jsonschema, SQLAlchemy) in the per-part times.
    TIMINGS.reset()
    turns = 0
    t0 = time.perf_counter()
    for index in range(args.conversations):
        turns += await converse(agent, make, index, args.bot)
    wall = time.perf_counter() - t0
    memory[f"{args.conversations} conversations"] = rss_mib()
    parts = dict(TIMINGS.parts)
    calls_per_turn = {k: v / max(turns, 1) for k, v in TIMINGS.part_calls.items()}
    node_seconds = dict(TIMINGS.nodes)
    node_calls = dict(TIMINGS.calls)
    # Sampled pass: where the CPU goes, by function and package.
    profiler = Profiler(interval=0.001, async_mode="enabled")
    profiler.start()
    for index in range(max(args.conversations // 2, 1)):
        await converse(agent, make, index, f"{args.bot}-sampled")
    profiler.stop()
    text_path = Path(args.work) / f"profile-{args.bot}.txt"
    text_path.write_text(profiler.output_text(unicode=False, color=False))
    if ROUND_TRIP in parts:  # the round trip's time includes the validation
        parts[ROUND_TRIP] -= parts.get(VALIDATION, 0.0)
    per_turn = {"total": 1000 * wall / max(turns, 1)}
    for part, seconds in sorted(parts.items(), key=lambda kv: -kv[1]):
        per_turn[part] = 1000 * seconds / max(turns, 1)
    per_turn["rest of Rasa's turn (events, tracker, channel)"] = per_turn[
        "total"
    ] - sum(v for k, v in per_turn.items() if k != "total")
    nodes = [
        {
            "node": node,
            "component": component,
            "phase": phase,
            "calls": node_calls[(node, component, phase)],
            "ms_per_turn": 1000 * seconds / max(turns, 1),
        }
        for (node, component, phase), seconds in node_seconds.items()
    ]
    nodes.sort(key=lambda n: -float(n["ms_per_turn"]))  # type: ignore[arg-type]
    variants = {}
    if args.experiments:
        variants = await experiments(agent, make, args.experiments)
    return {
        "variants": variants,
        "bot": args.bot,
        "turns": turns,
        "conversations": args.conversations,
        "model_load_s": load_s,
        "per_turn_ms": per_turn,
        "calls_per_turn": calls_per_turn,
        "nodes": nodes,
        **summarize_session(profiler.last_session),
        "memory_mib": memory,
        "pyinstrument_text": str(text_path),
    }


def set_cached_validator(_agent: Any, on: bool) -> None:
    """Switch Rasa's action-response validation to the cached validator.

    Both sides of the A/B are timed under the same VALIDATION part.
    """
    from rasa.core.actions.action import RemoteAction

    from bot.rasa_patches import use_cached_action_validation

    use_cached_action_validation(on)
    RemoteAction._validate_action_result = _wrap_sync(
        RemoteAction._validate_action_result, VALIDATION
    )


async def ab_test(
    agent: Any,
    make: Callable,
    switch: Callable[[Any, bool], None],
    names: tuple[str, str],
    parts: tuple[str, ...],
    rounds: int,
    tag: str,
) -> dict[str, dict[str, float]]:
    """A and B alternate, each round the same conversation scripts; ms per turn."""
    sums: dict[str, dict[str, float]] = {name: {} for name in names}
    turns = dict.fromkeys(names, 0)
    for round_ in range(rounds):
        order = names if round_ % 2 == 0 else names[::-1]
        for name in order:
            switch(agent, name == names[1])
            TIMINGS.reset()
            t0 = time.perf_counter()
            turns[name] += await converse(agent, make, 20_000 + round_, f"{tag}-{name}")
            sums[name]["total"] = sums[name].get("total", 0.0) + (
                time.perf_counter() - t0
            )
            for part, seconds in TIMINGS.parts.items():
                if part.startswith(parts):
                    sums[name][part] = sums[name].get(part, 0.0) + seconds
    switch(agent, True)  # back to B, what the servers run, for the next experiment
    for name in names:  # the round trip's time includes the validation
        if ROUND_TRIP in sums[name]:
            sums[name][ROUND_TRIP] -= sums[name].get(VALIDATION, 0.0)
    return {
        name: {
            part: 1000 * sec / max(turns[name], 1) for part, sec in sums[name].items()
        }
        for name in names
    }


def set_tracker_cache(agent: Any, on: bool) -> None:
    """Serve the same database through bot/tracker_store.py or Rasa's SQL store."""
    from rasa.core.tracker_store import SQLTrackerStore

    from bot.tracker_store import CachingSQLTrackerStore

    store = agent.tracker_store
    while hasattr(store, "_tracker_store"):  # FailSafe / Awaitable wrappers
        store = store._tracker_store
    if isinstance(store, SQLTrackerStore):
        store.__class__ = CachingSQLTrackerStore if on else SQLTrackerStore


async def experiments(agent: Any, make: Callable, rounds: int) -> dict[str, Any]:
    """Candidate fixes for the top costs, each measured A/B in this process."""
    out = {
        "Action-server response validation (Rasa's RemoteAction)": await ab_test(
            agent,
            make,
            set_cached_validator,
            ("jsonschema.validate() per response (Rasa 3.6)", "one cached validator"),
            ("action",),
            rounds,
            "ab-validate",
        ),
        "Tracker store (SQLite)": await ab_test(
            agent,
            make,
            set_tracker_cache,
            (
                "Rasa's SQLTrackerStore (rebuilds the tracker each turn)",
                "CachingSQLTrackerStore (bot/tracker_store.py)",
            ),
            ("tracker store",),
            rounds,
            "ab-store",
        ),
    }
    return out


def main() -> int:
    """Profile one bot, write JSON for scripts/bench.py."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--bot", choices=("ours", "stock"), required=True)
    parser.add_argument("--endpoints")
    parser.add_argument("--conversations", type=int, default=8)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--experiments",
        type=int,
        default=0,
        metavar="ROUNDS",
        help="A/B the candidate fixes over this many rounds of conversations",
    )
    parser.add_argument("--work", default="/tmp")
    args = parser.parse_args()
    sys.path.insert(0, str(Path.cwd()))  # custom components, as `python -m rasa` sees
    memory = {"python started": rss_mib()}
    import tensorflow  # noqa: F401  (measured on its own: what TensorFlow costs)

    memory["import tensorflow"] = rss_mib()
    import rasa.core.agent  # noqa: F401

    memory["import rasa.core.agent"] = rss_mib()
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(None)  # as `rasa run`: LOG_LEVEL or INFO
    configure_structlog(None)
    from rasa.utils.tensorflow.environment import setup_tf_environment

    setup_tf_environment()  # as `rasa run`: TF_*_PARALLELISM_THREADS from the env
    result = asyncio.run(profile(args, memory))
    args.out.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
