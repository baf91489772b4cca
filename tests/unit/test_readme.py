"""The README stays true: the paths and make targets it names exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")

# Backticked repo paths such as `actions/causes.yml` or `bot/data/`.
PATH_PATTERN = re.compile(r"`((?:[\w.-]+/)+[\w.-]*|[\w-]+\.(?:yml|py|md|txt|json))`")
TARGET_PATTERN = re.compile(r"`make ([a-z][a-z-]*)")


# Folders git ignores (var/, models/...) hold files made at run time, not in a clone.
RUNTIME_DIRS = tuple(
    line.strip()
    for line in (ROOT / ".gitignore").read_text().splitlines()
    if line.strip().endswith("/") and not line.startswith("#")
)


def readme_paths() -> list:
    return sorted(
        {
            m
            for m in PATH_PATTERN.findall(README)
            if not m.startswith(("http", "/", *RUNTIME_DIRS))
        }
    )


def test_readme_names_paths():
    assert len(readme_paths()) >= 10


def exists(path: str) -> bool:
    """A path from the root; a bare file name may also be training data in bot/data."""
    return (ROOT / path).exists() or (
        "/" not in path and (ROOT / "bot/data" / path).exists()
    )


def test_every_path_in_the_readme_exists():
    missing = [p for p in readme_paths() if not exists(p)]
    assert missing == [], f"README names paths that do not exist: {missing}"


def test_every_make_target_in_the_readme_exists():
    targets = set(re.findall(r"^([a-z][a-z-]*):", MAKEFILE, flags=re.MULTILINE))
    named = set(TARGET_PATTERN.findall(README))
    assert named, "the README names no make target"
    assert named <= targets, f"README names unknown targets: {named - targets}"
