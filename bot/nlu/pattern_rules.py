"""patterns.yml and the other data files of the matching stage, with their schema.

Why a module of its own: every rule file fails loudly at load on an unknown
section, key or rule key (file, section and key named), before any stage uses
it; the matching stages only read what this module checked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from actions.vocabulary import read_yaml
from bot.nlu.rule_files import check_keys, check_rules

HERE = Path(__file__).resolve().parent
CONTEXT_RULES_PATH = HERE / "context_rules.json"
PATTERNS_PATH = HERE / "patterns.yml"
CAUSES_PATH = HERE.parent.parent / "actions" / "causes.yml"


def _load_yaml(path: Path) -> Dict[str, Any]:
    if not path.exists():
        return {}
    return read_yaml(path) or {}


#: The schema of patterns.yml: its sections and, for mappings, their keys.
PATTERN_SECTIONS: Dict[str, Optional[Tuple[str, ...]]] = {
    "absorbs_body_parts": None,
    "ignore_phrases": None,
    "phrase_fillers": ("words", "entities"),
    "part_of": None,
    "habitual": ("words", "value", "not_before", "links"),
    "implied_by": None,
    "compounds": None,
    "surface_fillers": None,
    "surface_words": None,
    "side_anchors": None,
    "side_preceders": None,
    "side_not_after": None,
    "side_told_after": None,
    "relief": (
        "max_gap",
        "relief_words",
        "movement_words",
        "rest_words",
        "go_words",
        "go_then",
        "go_after",
        "condition_words",
        "actor_words",
        "course_then",
        "not_then",
        "person_fillers",
        "person_words",
        "removal_words",
        "removal_value",
        "movement_value",
        "rest_value",
    ),
    "negated_phrases": None,
    "cause_cues": None,
    "weak_cause_cues": None,
    "cause_post_cues": None,
    "question_openers": None,
    "cold_rule": (
        "words",
        "feeling_words",
        "state_words",
        "touch_words",
        "touching_words",
        "window",
        "symptom",
    ),
    "cause_aliases": None,
    "duration_owners": None,
    "duration_owner_words": None,
    "duration_owner_gap_words": None,
    "fuzzy": ("min_length", "long_word", "exact_only", "protected_words"),
    "inability": (
        "cues",
        "skip",
        "inverted",
        "ability_cues",
        "ability_values",
        "window",
        "elided",
        "rules",
    ),
    "upper_body_parts": None,
    "wound_rule": (
        "wound_words",
        "not_healing",
        "window",
        "value",
        "sore_value",
        "sore_described",
    ),
    "similes": (
        "cues",
        "window",
        "values",
        "feeling_cues",
        "feeling_words",
        "feeling_values",
        "object_values",
        "subjects",
        "sayings",
    ),
    "not_next_to": None,
    "things": None,
    "treatments": ("words", "ends", "window"),
    "speech_attempts": ("attempts", "failures", "window", "value"),
    "speech_manners": ("heads", "manners", "breaks", "window", "value"),
    "disobeying_limbs": (
        "refusals",
        "tellers",
        "orders",
        "not_then",
        "window",
        "nothing",
        "subject_window",
        "value",
    ),
    "worn_body_words": (
        "words",
        "describers",
        "wear",
        "owners",
        "window",
        "value",
    ),
    "squeezing_wear": (
        "wear",
        "squeeze",
        "window",
        "lead",
        "not_after",
        "denials",
        "value",
    ),
    "recurrence": ("words", "drop", "add"),
    "returns": (
        "subjects",
        "openers",
        "words",
        "pronouns",
        "askers",
        "conditionals",
        "passings",
        "wholes",
        "habits",
        "ends",
        "end_units",
        "denials",
        "window",
        "value",
    ),
    "resumes": ("stops", "words", "window", "value"),
    "partial_passing": ("values", "words", "window"),
    "bare_red_flag_words": ("value", "words", "trouble_words", "sensing_words"),
    "pronoun_norms": None,
    "comparatives": ("before", "words", "after", "value"),
    "sudden_turns": ("verbs", "particle", "fillers", "words", "value"),
    "bare_verbs": None,
    "plural_idioms": None,
    "singular_idioms": None,
    "conditional_course": ("values", "then"),
}
#: Keys of the rules inside list sections.
PATTERN_RULES = {
    "compounds": ("parts", "makes", "max_gap"),
    "not_next_to": ("drop", "near", "window", "after_words"),
    "bare_verbs": ("subjects", "fillers", "verbs", "ends", "value"),
    "plural_idioms": ("value", "words"),
    "singular_idioms": ("value", "words", "after"),
}


def check_patterns(patterns: Dict[str, Any], path: Path = PATTERNS_PATH) -> None:
    """Fail on an unknown section, key or rule key of patterns.yml."""
    check_keys(path, "top level", patterns, PATTERN_SECTIONS)
    for section, keys in PATTERN_SECTIONS.items():
        value = patterns.get(section)
        if keys is not None and value is not None:
            check_keys(path, section, value, keys)
    for section, keys in PATTERN_RULES.items():
        check_rules(path, section, patterns.get(section) or [], keys)
    rules = (patterns.get("inability") or {}).get("rules") or []
    check_rules(
        path,
        "inability.rules",
        rules,
        ("verbs", "needs", "value", "at_end", "not_then"),
    )


def load_context_rules(path: Path = CONTEXT_RULES_PATH) -> List[Dict[str, str]]:
    """Read ConText rules (medspaCy's JSON format), rejecting unknown keys early."""
    with open(path, encoding="utf-8") as handle:
        rules = json.load(handle)["context_rules"]
    allowed = {"literal", "category", "direction", "pattern", "max_scope", "metadata"}
    for rule in rules:
        unknown = set(rule) - allowed
        if unknown:
            raise ValueError(
                f"{path.name}: context rule {rule!r}: unknown keys {sorted(unknown)}"
            )
    return rules


def load_causes(path: Path = CAUSES_PATH) -> List[Dict[str, Any]]:
    """The cause rows of actions/causes.yml (id, name, aliases, presentation)."""
    data = _load_yaml(path)
    rows = data.get("causes") if isinstance(data, dict) else None
    return [row for row in rows or [] if isinstance(row, dict) and row.get("id")]


def load_patterns(path: Path = PATTERNS_PATH) -> Dict[str, Any]:
    """Read and check patterns.yml."""
    patterns = _load_yaml(path)
    check_patterns(patterns, path)
    return patterns
