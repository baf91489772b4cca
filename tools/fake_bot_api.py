"""A local stand-in for Telegram's Bot API that records what the bot calls.

Runs an aiohttp server on a free loopback port in a background thread. It
answers `sendMessage` with a Message object (as Telegram does), every other
method with `true`, and keeps each call as (method, params) for assertions.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from typing import Any, Dict, List, NamedTuple

from aiohttp import web

from tools.servers import free_port


class Call(NamedTuple):
    """One Bot API call: method name and its parameters (JSON fields decoded)."""

    method: str
    params: Dict[str, Any]


class FakeBotApi:
    """Bot API server at ``self.url``; ``self.calls`` lists the calls in order.

    ``take()`` empties ``calls``; ``history`` keeps every call since start.
    """

    def __init__(self, token: str) -> None:
        self.token = token
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.calls: List[Call] = []
        self.history: List[Call] = []  # every call since start, never cleared
        self.bad_token_calls = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._ready = threading.Event()

    def __enter__(self) -> "FakeBotApi":
        self._thread.start()
        if not self._ready.wait(30):
            raise RuntimeError("fake Bot API did not start")
        return self

    def __exit__(self, *exc: Any) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application(client_max_size=16 * 1024 * 1024)  # huge inputs too
        app.router.add_post("/bot{token}/{method}", self._handle)
        runner = web.AppRunner(app)
        self._loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", self.port)
        self._loop.run_until_complete(site.start())
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(runner.cleanup())

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            self.bad_token_calls += 1
            return web.json_response({"ok": False, "error_code": 401}, status=401)
        method = request.match_info["method"]
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = dict(await request.post())
        for key, value in list(params.items()):
            if isinstance(value, str) and value[:1] in "{[":
                params[key] = json.loads(value)
        with self._lock:
            self.calls.append(Call(method, params))
            self.history.append(Call(method, params))
        if method == "sendMessage":
            result: Any = {
                "message_id": next(self._ids),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "text": params.get("text", ""),
            }
        else:
            result = True
        return web.json_response({"ok": True, "result": result})

    def count(self, method: str) -> int:
        """How many calls of ``method`` arrived since start."""
        with self._lock:
            return sum(1 for call in self.history if call.method == method)

    def take(self) -> List[Call]:
        """The calls since the last take (and forget them)."""
        with self._lock:
            calls, self.calls = self.calls, []
        return calls
