"""Our own vignettes (tests/vignettes/*.yml) as cases the simulated patient plays."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------
# Cases


@dataclass
class Case:
    """One vignette: what the patient says first and what it can reveal."""

    id: str
    description: str
    opening: str
    present: frozenset
    absent: frozenset
    age: Optional[int]
    duration: Optional[str]
    urgency: str
    causes: Tuple[str, ...]


def load_cases(directory: Path, only: Sequence[str] = ()) -> List[Case]:
    """Read every tests/vignettes/*.yml case (optionally only the named ids)."""
    cases = []
    for path in sorted(directory.glob("*.yml")):
        with open(path, encoding="utf-8") as handle:
            for raw in (yaml.safe_load(handle) or {}).get("cases", []):
                facts, expected = raw["facts"], raw["expected"]
                cases.append(
                    Case(
                        id=raw["id"],
                        description=" ".join(str(raw["description"]).split()),
                        opening=raw["opening"],
                        present=frozenset(facts.get("present") or ()),
                        absent=frozenset(facts.get("absent") or ()),
                        age=facts.get("age"),
                        duration=facts.get("duration"),
                        urgency=expected["urgency"],
                        causes=tuple(expected["causes"]),
                    )
                )
    return [c for c in cases if not only or c.id in only]
