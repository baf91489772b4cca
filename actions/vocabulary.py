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


def _parse(raw: dict) -> Vocabulary:
    values: Dict[str, Dict[str, ValueInfo]] = {}
    for entity, entries in (raw.get("entities") or {}).items():
        values[entity] = {}
        for value, info in (entries or {}).items():
            info = info or {}
            values[entity][value] = ValueInfo(
                entity=entity,
                value=value,
                label=str(info.get("label") or value.replace("_", " ")),
                synonyms=tuple(str(s).lower() for s in info.get("synonyms") or ()),
                misspellings=tuple(
                    str(s).lower() for s in info.get("misspellings") or ()
                ),
            )
    facts = tuple((e, v) for e, vals in values.items() for v in vals)
    return Vocabulary(
        values=values,
        open_entities=tuple(raw.get("open_entities") or ()),
        roles=tuple(raw.get("roles") or ()),
        _all_facts=facts,
    )


def read_yaml(path: Path) -> Any:
    """Parse one of the project's YAML data files (safe loader, C speed)."""
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_YAML_LOADER)


def load_vocabulary(path: Path = VOCABULARY_PATH) -> Vocabulary:
    """Read and parse a vocabulary file (uncached; use `get_vocabulary` normally)."""
    return _parse(read_yaml(path) or {})


@lru_cache(maxsize=1)
def get_vocabulary() -> Vocabulary:
    """The project vocabulary, read once per process."""
    return load_vocabulary()
