"""The shared entity vocabulary: one loader for actions/vocabulary.yml.

The NLU component, the cause table's validation and the triage engine all read
entity names and canonical values from here, so a value cannot drift between
them. No Rasa import: this module is part of the pure core.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Tuple

import yaml

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.yml")

# libyaml's C loader reads the data files about ten times faster than the pure
# Python one; start-up reads several hundred kilobytes of YAML.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: A fact is an (entity, value) pair such as ("trigger", "night").
Fact = Tuple[str, str]


@dataclass(frozen=True)
class ValueInfo:
    """One canonical value with its lay label and the phrases that name it."""

    entity: str
    value: str
    label: str
    synonyms: Tuple[str, ...] = ()
    misspellings: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """Closed value lists per entity plus the open entities (age, duration, cause)."""

    values: Dict[str, Dict[str, ValueInfo]]
    open_entities: Tuple[str, ...] = ()
    roles: Tuple[str, ...] = ()
    _all_facts: Tuple[Fact, ...] = field(default=(), repr=False)

    @property
    def entity_names(self) -> List[str]:
        """Every entity name, closed and open, in file order."""
        return list(self.values) + list(self.open_entities)

    def has(self, entity: str, value: str) -> bool:
        """True when `value` is a canonical value of the closed entity `entity`."""
        return value in self.values.get(entity, {})

    def label(self, entity: str, value: str) -> str:
        """Lay wording of a value; falls back to the value with spaces."""
        info = self.values.get(entity, {}).get(value)
        return info.label if info else value.replace("_", " ")

    def facts(self) -> Tuple[Fact, ...]:
        """All (entity, value) pairs of the closed entities."""
        return self._all_facts

    def check(self, entity: str, value: str) -> None:
        """Raise ValueError naming the allowed values when a fact is off-vocabulary."""
        if entity not in self.values:
            raise ValueError(
                f"unknown entity {entity!r}; allowed: {', '.join(self.values)}"
            )
        if value not in self.values[entity]:
            raise ValueError(
                f"unknown {entity} value {value!r}; allowed: "
                f"{', '.join(self.values[entity])}"
            )


class VocabularyError(ValueError):
    """A vocabulary file that does not follow its schema (file, entry, key named)."""


#: The schema of vocabulary.yml: top-level keys and the keys of one value entry.
TOP_KEYS = ("entities", "open_entities", "roles")
ENTRY_KEYS = ("label", "synonyms", "misspellings")


def _phrases(source: str, where: str, key: str, items: Any) -> Tuple[str, ...]:
    if items is None:
        return ()
    if not isinstance(items, list) or not all(isinstance(p, str) for p in items):
        raise VocabularyError(f"{source}: {where}: {key} must be a list of strings")
    return tuple(p.lower() for p in items)


def _names(source: str, key: str, items: Any) -> Tuple[str, ...]:
    if items is None:
        return ()
    if not isinstance(items, list) or not all(isinstance(p, str) for p in items):
        raise VocabularyError(f"{source}: {key} must be a list of names")
    return tuple(items)


def _parse(raw: Any, source: str = VOCABULARY_PATH.name) -> Vocabulary:
    """Build the vocabulary; an unknown key or a malformed entry fails loudly.

    Why strict: a misspelt key ("synonym:") would silently switch a value's
    phrases off, and a red-flag value that the NLU no longer matches is a
    missed emergency.
    """
    if not isinstance(raw, dict):
        raise VocabularyError(f"{source}: top level must be a mapping")
    unknown = sorted(set(raw) - set(TOP_KEYS))
    if unknown:
        raise VocabularyError(f"{source}: top level: unknown key(s) {unknown}")
    entities = raw.get("entities") or {}
    if not isinstance(entities, dict):
        raise VocabularyError(f"{source}: entities must be a mapping")
    values: Dict[str, Dict[str, ValueInfo]] = {}
    for entity, entries in entities.items():
        if not isinstance(entries, dict):
            raise VocabularyError(
                f"{source}: entity {entity!r} must map values to entries"
            )
        values[entity] = {}
        for value, info in entries.items():
            where = f"entry {entity}.{value}"
            info = {} if info is None else info
            if not isinstance(info, dict):
                raise VocabularyError(f"{source}: {where} must be a mapping")
            unknown = sorted(set(info) - set(ENTRY_KEYS))
            if unknown:
                raise VocabularyError(f"{source}: {where}: unknown key(s) {unknown}")
            label = info.get("label")
            if label is not None and not isinstance(label, str):
                raise VocabularyError(f"{source}: {where}: label must be a string")
            values[entity][value] = ValueInfo(
                entity=entity,
                value=value,
                label=str(label or value.replace("_", " ")),
                synonyms=_phrases(source, where, "synonyms", info.get("synonyms")),
                misspellings=_phrases(
                    source, where, "misspellings", info.get("misspellings")
                ),
            )
    facts = tuple((e, v) for e, vals in values.items() for v in vals)
    return Vocabulary(
        values=values,
        open_entities=_names(source, "open_entities", raw.get("open_entities")),
        roles=_names(source, "roles", raw.get("roles")),
        _all_facts=facts,
    )


def read_yaml(path: Path) -> Any:
    """Parse one of the project's YAML data files (safe loader, C speed)."""
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_YAML_LOADER)


def load_vocabulary(path: Path = VOCABULARY_PATH) -> Vocabulary:
    """Read and parse a vocabulary file (uncached; use `get_vocabulary` normally)."""
    return _parse(read_yaml(path) or {}, path.name)


@lru_cache(maxsize=1)
def get_vocabulary() -> Vocabulary:
    """The project vocabulary, read once per process."""
    return load_vocabulary()
