"""One loader for the NLU stages' rule files: unknown keys fail at load.

Why: a misspelt key in a data file would silently switch a rule off, and a
switched-off rule in the red-flag path is a missed emergency. Every stage
declares its rules as a frozen dataclass whose fields name their keys (`rule`,
`rule_list`); `read_rules` reads a file into it, each value by the field's
type, and anything else raises a `RuleFileError` naming the file, the section
or rule and the key.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    get_type_hints,
)

from actions.vocabulary import read_yaml

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    RulesT = TypeVar("RulesT", bound=DataclassInstance)
else:
    RulesT = TypeVar("RulesT")


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


def ends_with(text: str, phrases: Sequence[str]) -> bool:
    """True when `text` ends with one of `phrases` (whole words)."""
    padded = " " + text.lower().rstrip()
    return any(padded.endswith(" " + p) for p in phrases)


def texts_of(items: Optional[Iterable]) -> Tuple[str, ...]:
    """A rule file's list of words or phrases, lower case, in file order."""
    return tuple(str(w).lower() for w in items or [])


#: How a rule field is read from the YAML value when it names no converter:
#: by its declared type, so a field's type and its reading cannot disagree.
_BY_TYPE: Dict[Any, Callable[[Any], Any]] = {
    frozenset: words_of,
    Phrases: phrases_of,
    Tuple[str, ...]: texts_of,
    str: str,
    int: int,
}


@dataclasses.dataclass(frozen=True)
class _RuleKey:
    """Where a rule field lives in its file and how its value is read."""

    key: Optional[str]
    section: Optional[str]
    default: Any
    convert: Optional[Callable[[Any], Any]]
    #: (allowed, required) keys of each rule when the value is a list of rules
    rule_keys: Optional[Tuple[Tuple[str, ...], Tuple[str, ...]]] = None


def rule(
    key: Optional[str] = None,
    section: Optional[str] = None,
    *,
    default: Any = None,
    convert: Optional[Callable[[Any], Any]] = None,
) -> Any:
    """A dataclass field read from `key` (under `section`, else the top level).

    Why: the field list is the file's schema, so the keys a file may hold and
    the fields the code reads are one list. `key` defaults to the field's name;
    `default` is the YAML value used when the key is absent; `convert` replaces
    the reading by the field's type.
    """
    spec = _RuleKey(key, section, default, convert)
    return dataclasses.field(metadata={"rule": spec})


def rule_list(
    key: Optional[str] = None,
    *,
    allowed: Sequence[str],
    required: Sequence[str] = (),
    convert: Callable[[List[Dict[str, Any]]], Any],
) -> Any:
    """A dataclass field read from a top-level list of rules, each checked first."""
    spec = _RuleKey(key, None, None, convert, (tuple(allowed), tuple(required)))
    return dataclasses.field(metadata={"rule": spec})


def _rule_fields(cls: type) -> List[Tuple[str, str, _RuleKey]]:
    """(field name, key, spec) of each field of `cls` read from its file."""
    return [
        (f.name, f.metadata["rule"].key or f.name, f.metadata["rule"])
        for f in dataclasses.fields(cls)
        if "rule" in f.metadata
    ]


def rule_keys(cls: type) -> Tuple[str, ...]:
    """The top-level keys a file read into `cls` may hold, in field order."""
    keys = (spec.section or key for _, key, spec in _rule_fields(cls))
    return tuple(dict.fromkeys(keys))


def rules_from(
    cls: Type[RulesT], path: Path, data: Mapping[str, Any], **given: Any
) -> RulesT:
    """Build `cls` from a rule file's top-level `data`; unknown keys fail.

    Fields made with `rule` or `rule_list` are read from `data`; any other field
    is passed in `given`. A key outside a section's fields fails naming the
    file, section and key; a value that does not convert fails naming both.
    """
    hints = get_type_hints(cls)
    fields = _rule_fields(cls)
    sections: Dict[str, Mapping[str, Any]] = {}
    for name in dict.fromkeys(spec.section for _, _, spec in fields if spec.section):
        section = data.get(name) or {}
        allowed = [key for _, key, spec in fields if spec.section == name]
        check_keys(path, name, section, allowed)
        sections[name] = section
    values = dict(given)
    for name, key, spec in fields:
        raw = (sections[spec.section] if spec.section else data).get(key, spec.default)
        if spec.rule_keys is not None:
            raw = check_rules(path, key, raw or [], *spec.rule_keys)
        convert = spec.convert or _BY_TYPE.get(hints[name])
        if convert is None:
            raise TypeError(f"{cls.__name__}.{name}: give `convert` for its type")
        try:
            values[name] = convert(raw)
        except RuleFileError:
            raise
        except (TypeError, ValueError) as error:
            where = f"{spec.section}: {key}" if spec.section else key
            raise RuleFileError(f"{path.name}: {where}: {error}") from error
    return cls(**values)


def read_rules(cls: Type[RulesT], path: Path) -> RulesT:
    """Read the rule file at `path` into `cls` (see `rules_from`)."""
    return rules_from(cls, path, load_rule_file(path, rule_keys(cls)))


@lru_cache(maxsize=None)
def project_rules(cls: Type[RulesT], path: Path) -> RulesT:
    """`read_rules` once per process, for the project's own rule files."""
    return read_rules(cls, path)
