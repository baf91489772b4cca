"""One loader for the NLU stages' rule files: unknown keys fail at load.

Why: a misspelt key in a data file would silently switch a rule off, and a
switched-off rule in the red-flag path is a missed emergency. Every stage
declares the keys its file and its rules may have; anything else raises a
`RuleFileError` naming the file, the rule and the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from actions.vocabulary import read_yaml


class RuleFileError(ValueError):
    """A rule file that does not follow its schema."""


def check_keys(
    path: Path, where: str, item: Mapping[str, Any], allowed: Iterable[str]
) -> None:
    """Raise when `item` holds a key outside `allowed` (file, rule and key named)."""
    if not isinstance(item, Mapping):
        raise RuleFileError(f"{path.name}: {where} must be a mapping, got {item!r}")
    unknown = sorted(set(item) - set(allowed))
    if unknown:
        raise RuleFileError(f"{path.name}: {where}: unknown key(s) {unknown}")


def load_rule_file(path: Path, top_keys: Iterable[str]) -> Dict[str, Any]:
    """Read a YAML rule file whose top level may only hold `top_keys`."""
    data = read_yaml(path) or {}
    check_keys(path, "top level", data, top_keys)
    return dict(data)


def check_rules(
    path: Path,
    section: str,
    rules: Any,
    allowed: Iterable[str],
    required: Iterable[str] = (),
) -> List[Dict[str, Any]]:
    """Validate a list of rules: each a mapping with only `allowed` keys."""
    if not isinstance(rules, list):
        raise RuleFileError(f"{path.name}: {section} must be a list")
    allowed = set(allowed)
    checked = []
    for index, rule in enumerate(rules):
        name = f"{section}[{index}]"
        if isinstance(rule, Mapping) and rule.get("id"):
            name = f"{section} rule {rule['id']!r}"
        check_keys(path, name, rule, allowed)
        missing = [key for key in required if key not in rule]
        if missing:
            raise RuleFileError(f"{path.name}: {name}: missing key(s) {missing}")
        checked.append(dict(rule))
    return checked


#: Phrases as token tuples ("fine by the next morning" -> 5 words).
Phrases = Tuple[Tuple[str, ...], ...]


def words_of(items: Optional[Iterable]) -> frozenset:
    """A rule file's word list, lower case."""
    return frozenset(str(w).lower() for w in items or [])


def phrases_of(items: Optional[Iterable]) -> Phrases:
    """A rule file's phrase list as lower-case token tuples."""
    return tuple(tuple(str(p).lower().split()) for p in items or [])


def find_phrases(words: Sequence[str], phrases: Phrases, lo: int, hi: int) -> List[int]:
    """Token indexes in [lo, hi) of `words` where one of `phrases` starts."""
    hits = []
    for i in range(max(0, lo), min(hi, len(words))):
        for phrase in phrases:
            if tuple(words[i : i + len(phrase)]) == phrase:
                hits.append(i)
                break
    return hits


def says(text: str, phrases: Sequence[str]) -> bool:
    """True when `text` holds one of `phrases` starting at a word boundary."""
    padded = " " + text.lower() + " "
    return any(f" {p}" in padded for p in phrases)
