"""The pure core imports neither rasa nor rasa_sdk, and no Python file in actions/
names a cause: medicine is data (STYLE.md principles 1 and 3)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from actions.cause_table import get_cause_table

ACTIONS = Path(__file__).resolve().parents[2] / "actions"
CORE = ["vocabulary.py", "cause_table.py", "triage.py", "replies.py", "parsing.py"]
FORBIDDEN = ("rasa", "rasa_sdk")


def _imported_roots(path: Path) -> set:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize(
    "name", [n for n in CORE if (ACTIONS / n).exists()], ids=lambda n: n
)
def test_core_module_imports_no_rasa(name: str) -> None:
    assert not _imported_roots(ACTIONS / name) & set(FORBIDDEN)


def test_core_modules_exist() -> None:
    for name in ("vocabulary.py", "cause_table.py", "triage.py"):
        assert (ACTIONS / name).exists(), name


def test_import_scan_catches_rasa(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from rasa_sdk import Action\nimport rasa.shared\n")
    assert _imported_roots(sample) >= {"rasa", "rasa_sdk"}


@pytest.mark.parametrize("path", sorted(ACTIONS.glob("*.py")), ids=lambda p: p.name)
def test_no_cause_id_in_actions_python(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    named = [
        cause_id
        for cause_id in get_cause_table().cause_ids
        if re.search(rf"(?<![A-Za-z0-9_]){re.escape(cause_id)}(?![A-Za-z0-9_])", text)
    ]
    assert named == []
