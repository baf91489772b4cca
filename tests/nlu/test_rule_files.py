"""The typed rule-file loader every NLU stage reads its data file with.

A stage declares its rules as a dataclass whose fields name their keys; these
tests pin what that buys: each value read by its type, defaults, and a loud
failure naming file, section and key for anything the schema does not know.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from bot.nlu.rule_files import (
    Phrases,
    RuleFileError,
    read_rules,
    rule,
    rule_keys,
    rule_list,
    rules_from,
)


def _pairs(rules: List[Dict]) -> Tuple[Tuple[str, int], ...]:
    return tuple((str(r["name"]), int(r.get("size", 1))) for r in rules)


@dataclass(frozen=True)
class _Rules:
    words: frozenset = rule()
    phrases: Phrases = rule("said", "story")
    ordered: Tuple[str, ...] = rule("ordered", "story")
    makes: str = rule("makes", "story", default="side:one")
    window: int = rule("window", "story", default=6)
    pairs: Tuple[Tuple[str, int], ...] = rule_list(
        allowed=("name", "size"), required=("name",), convert=_pairs
    )


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_each_field_is_read_by_its_type(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "words: [Numb, numb]\n"
        "story:\n  said: [Fine By Morning]\n  ordered: [B, a]\n"
        "  makes: side:left\n  window: '3'\n"
        "pairs: [{name: x}, {name: y, size: 2}]\n",
    )
    rules = read_rules(_Rules, path)
    assert rules.words == frozenset({"numb"})
    assert rules.phrases == (("fine", "by", "morning"),)
    assert rules.ordered == ("b", "a")
    assert (rules.makes, rules.window) == ("side:left", 3)
    assert rules.pairs == (("x", 1), ("y", 2))


def test_an_absent_key_takes_its_default_and_an_absent_list_is_empty(
    tmp_path: Path,
) -> None:
    rules = read_rules(_Rules, _write(tmp_path, "story: {}\n"))
    assert (rules.makes, rules.window) == ("side:one", 6)
    assert rules.words == frozenset() and rules.phrases == () and rules.pairs == ()


def test_the_top_level_keys_are_the_fields_and_their_sections() -> None:
    assert rule_keys(_Rules) == ("words", "story", "pairs")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("wrods: []\n", "rules.yml: top level: unknown key(s) ['wrods']"),
        ("story: {sayd: []}\n", "rules.yml: story: unknown key(s) ['sayd']"),
        ("story: [said]\n", "rules.yml: story must be a mapping"),
        ("pairs: [{name: x, sise: 2}]\n", "rules.yml: pairs[0]: unknown key(s)"),
        ("pairs: [{size: 2}]\n", "rules.yml: pairs[0]: missing key(s) ['name']"),
        ("story: {window: many}\n", "rules.yml: story: window: invalid literal"),
    ],
)
def test_what_the_schema_does_not_know_fails_naming_file_section_and_key(
    tmp_path: Path, text: str, needle: str
) -> None:
    with pytest.raises(RuleFileError) as error:
        read_rules(_Rules, _write(tmp_path, text))
    assert needle in str(error.value)


def test_a_field_not_read_from_the_file_is_given_by_its_stage(tmp_path: Path) -> None:
    @dataclass(frozen=True)
    class Built:
        built: tuple
        words: frozenset = rule()

    rules = rules_from(Built, tmp_path / "rules.yml", {"words": ["A"]}, built=(1,))
    assert rules == Built((1,), frozenset({"a"}))


def test_a_field_of_a_type_with_no_reader_must_name_its_converter(
    tmp_path: Path,
) -> None:
    @dataclass(frozen=True)
    class Unreadable:
        table: Dict[str, str] = rule()

    with pytest.raises(TypeError, match=r"Unreadable\.table"):
        rules_from(Unreadable, tmp_path / "rules.yml", {})
