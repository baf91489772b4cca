"""What `ps` and `ss` show, read from /proc: command lines and listening sockets."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Dict, List, Set


def command_lines() -> Dict[int, List[str]]:
    """pid -> argv of every process we may read."""
    found: Dict[int, List[str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if raw:
            found[int(entry.name)] = raw.decode(errors="replace").split("\0")[:-1]
    return found


def pids_with_args(*needles: str) -> List[int]:
    """Processes whose argv holds every needle as one of its arguments."""
    return [
        pid
        for pid, argv in command_lines().items()
        if all(needle in argv for needle in needles)
    ]


def _address(hex_address: str) -> str:
    raw = bytes.fromhex(hex_address)
    if len(raw) == 4:
        return str(ipaddress.IPv4Address(raw[::-1]))
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
    return str(ipaddress.IPv6Address(words))


def listening_addresses(port: int) -> Set[str]:
    """The local addresses with a TCP socket listening on ``port`` (like ss -ltn)."""
    found: Set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state = fields[1], fields[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(_address(address))
    return found
