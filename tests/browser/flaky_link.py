"""A TCP proxy between the browser and the bot whose connection a test can cut.

Chromium's offline emulation leaves open WebSockets alone, so the tests cut the
link here instead, the way a train tunnel does: ``cut()`` closes every open
connection and refuses new ones until ``restore()``; ``drop_replies()`` keeps
the link up but throws away what the server sends (replies lost on the way).
"""

from __future__ import annotations

import select
import socket
import threading
from typing import List, Optional, Tuple

from tools.servers import free_port

CHUNK = 65536


class FlakyLink:
    """Forwards 127.0.0.1:<port> to ``upstream`` until told otherwise."""

    def __init__(self, upstream: Tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = free_port()
        self.dropping = False
        self._pairs: List[Tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._listener: Optional[socket.socket] = None
        self.restore()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def restore(self) -> None:
        """Accept connections again, forwarding both ways."""
        self.dropping = False
        if self._listener is not None:
            return
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Close every connection and refuse new ones."""
        listener, self._listener = self._listener, None
        if listener is not None:
            _close(listener)  # shutdown wakes the thread blocked in accept()
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for sock in pair:
                _close(sock)

    def drop_replies(self) -> None:
        """Keep the link up but discard everything the server sends."""
        self.dropping = True

    def close(self) -> None:
        self.cut()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(
                target=self._pump, args=(client, server), daemon=True
            ).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        sockets = [client, server]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 1.0)
                for sock in readable:
                    data = sock.recv(CHUNK)
                    if not data:
                        return
                    if sock is client:
                        server.sendall(data)
                    elif not self.dropping:
                        client.sendall(data)
        except (OSError, ValueError):
            return
        finally:
            _close(client)
            _close(server)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
