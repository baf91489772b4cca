"""The cause table: every required cause present, the real files valid, broken copies
rejected with the row and the field named, every source traceable to the article."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any, Callable, Iterator, List

import pytest
import yaml

from actions.cause_table import (
    CAUSES_PATH,
    QUESTIONS_PATH,
    SAFETY_NET,
    CauseTable,
    CauseTableError,
    citations,
    duration_days,
    get_cause_table,
    load_cause_table,
)

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "docs" / "source-article.txt"
SEED = ROOT.parent / "shared" / "seed" / "leg-numbness-article.txt"

REQUIRED_IDS = """
positional_compression occupational_overload sciatic_neuropathy femoral_neuropathy
tibial_neuropathy peroneal_neuropathy lateral_femoral_cutaneous_neuropathy
lumbosacral_plexopathy polyneuropathy metabolic_neuropathy systemic_disease_neuropathy
degenerative_spine_disease spinal_deformity spondylopathy restless_legs_syndrome
cerebral_circulation_disorder spinal_circulation_disorder multiple_sclerosis
spinal_cord_injury peripheral_nerve_injury compartment_syndrome
obliterating_arterial_disease aortoiliac_occlusive_disease acute_arterial_occlusion
varicose_veins_venous_insufficiency vitamin_deficiency osteitis_deformans
vegetative_vascular_dystonia solvent_poisoning filariasis psychogenic
""".split()

REQUIRED_RED_FLAGS = [
    "stroke_signs",
    "bladder_bowel_saddle",
    "acute_limb_ischemia",
    "tight_cast",
    "rapid_weakness",
    "spinal_injury",
    "solvent_poisoning",
    "breathing_weakness",
    "fever_back_pain",
]


@pytest.fixture(scope="module")
def table() -> CauseTable:
    return load_cause_table()


@pytest.fixture(scope="module")
def raw_causes() -> dict:
    return yaml.safe_load(CAUSES_PATH.read_text(encoding="utf-8"))


def article_lines() -> List[str]:
    """Article lines without indentation and bullets: a source must start one."""
    lines = []
    for line in ARTICLE.read_text(encoding="utf-8").splitlines():
        line = line.strip().lstrip("•").strip()
        if line:
            lines.append(line)
    return lines


def article_openings() -> List[str]:
    """Every line of the article and every sentence in it, from its start."""
    openings = []
    for line in article_lines():
        openings.append(line)
        openings += [line[m.end() :] for m in re.finditer(r"[.!?]\s+", line)]
    return openings


def all_sources(table: CauseTable) -> Iterator[tuple]:
    for citation in citations(table):
        for source in citation.sources:
            if source != SAFETY_NET:
                yield citation.row, citation.field, source


def test_cause_table_has_every_required_id(table: CauseTable) -> None:
    missing = [i for i in REQUIRED_IDS if i not in table.cause_ids]
    assert not missing


def test_cause_table_has_every_required_red_flag(table: CauseTable) -> None:
    assert [
        f for f in REQUIRED_RED_FLAGS if f not in {r.id for r in table.red_flags}
    ] == []


def test_cause_table_real_file_is_cached_and_valid() -> None:
    assert get_cause_table() is get_cause_table()
    assert len(get_cause_table().causes) >= len(REQUIRED_IDS)


def test_source_article_is_a_verbatim_copy_of_the_seed() -> None:
    if not SEED.exists():
        pytest.fail(f"seed article missing at {SEED}")
    assert ARTICLE.read_bytes() == SEED.read_bytes()


def test_every_source_starts_a_line_or_sentence_of_the_article(
    table: CauseTable,
) -> None:
    openings = article_openings()
    bad = [
        (row, where, source)
        for row, where, source in all_sources(table)
        if not any(opening.startswith(source) for opening in openings)
    ]
    assert bad == []


def test_every_medical_text_is_sourced_or_labelled(table: CauseTable) -> None:
    """Cited to the article, or `safety-net` with a one-line reason."""
    found = citations(table)
    assert found and all(c.sources for c in found)
    for citation in found:
        if citation.is_safety_net:
            assert citation.reason and citation.reason.strip(), citation
    labelled = {c.row for c in found if c.is_safety_net}
    assert {"red flag breathing_weakness", "urgency urgent"} <= labelled


def test_every_cause_has_specialists_tests_and_a_short_summary(
    table: CauseTable,
) -> None:
    for cause in table.causes:
        assert cause.specialists and cause.tests, cause.id
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", cause.summary.strip()) if s]
        assert 1 <= len(sentences) <= 4, cause.id


def test_every_cause_has_aliases_and_lay_name(table: CauseTable) -> None:
    for cause in table.causes:
        assert cause.aliases and cause.lay_name, cause.id
        assert table.find_cause(cause.aliases[0]) is not None


def test_aliases_are_unique_across_causes(table: CauseTable) -> None:
    seen: dict = {}
    for cause in table.causes:
        for alias in cause.aliases:
            key = alias.lower()
            assert seen.setdefault(key, cause.id) == cause.id, alias


def test_every_red_flag_belongs_to_some_cause(table: CauseTable) -> None:
    linked = {f for cause in table.causes for f in cause.red_flags}
    assert [f.id for f in table.red_flags if f.id not in linked] == []


def test_report_script_renders_every_cause(table: CauseTable) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "cause_table_report", ROOT / "scripts" / "cause_table_report.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.render(table)
    assert all(f"| {c.id} |" in text for c in table.causes)
    assert text == module.render(table)


def test_questions_file_has_red_flag_check_covering_every_flag(
    table: CauseTable,
) -> None:
    covered = {a.red_flag for a in table.red_flag_check.answers if a.red_flag}
    assert covered == {f.id for f in table.red_flags}
    assert any(not a.red_flag and a.absent for a in table.red_flag_check.answers)


@pytest.mark.parametrize(
    "iso, days",
    [("PT20M", 20 / 1440), ("P3D", 3), ("P3W", 21), ("P6M", 180), ("P2Y", 730)],
)
def test_duration_days_parses_iso(iso: str, days: float) -> None:
    assert duration_days(iso) == pytest.approx(days)


def test_duration_days_rejects_garbage() -> None:
    assert duration_days("three weeks") is None
    assert duration_days("P") is None


# ------------------------------------------------------------------ broken copies


def _cause(raw: dict, cause_id: str) -> dict:
    return next(c for c in raw["causes"] if c["id"] == cause_id)


def _set_unknown_key(raw: dict) -> None:
    _cause(raw, "polyneuropathy")["colour"] = "blue"


def _drop_source(raw: dict) -> None:
    del _cause(raw, "polyneuropathy")["source"]


def _off_vocabulary(raw: dict) -> None:
    _cause(raw, "polyneuropathy")["presentation"]["typical"]["body_part:elbow"] = 2


def _urgency_unless_off_vocabulary(raw: dict) -> None:
    _cause(raw, "polyneuropathy")["urgency_unless"] = ["condition:dragons"]


def _duplicate_id(raw: dict) -> None:
    raw["causes"].append(copy.deepcopy(_cause(raw, "polyneuropathy")))


def _unknown_red_flag(raw: dict) -> None:
    _cause(raw, "polyneuropathy")["red_flags"] = ["alien_abduction"]


def _unknown_urgency(raw: dict) -> None:
    _cause(raw, "polyneuropathy")["urgency"] = "whenever"


def _unknown_test(raw: dict) -> None:
    _cause(raw, "polyneuropathy")["tests"] = ["x_ray_vision"]


def _no_specialists(raw: dict) -> None:
    _cause(raw, "polyneuropathy")["specialists"] = []


def _self_help_without_source(raw: dict) -> None:
    _cause(raw, "polyneuropathy")["self_help"] = [{"text": "Rest."}]


def _safety_net_without_reason(raw: dict) -> None:
    _cause(raw, "polyneuropathy")["self_help"] = [
        {"text": "Rest.", "source": "safety-net"}
    ]


def _reason_without_safety_net(raw: dict) -> None:
    _cause(raw, "polyneuropathy")["self_help"] = [
        {"text": "Rest.", "source": "Conservative therapy", "reason": "why not"}
    ]


def _emergency_cause_without_check(raw: dict) -> None:
    del _cause(raw, "compartment_syndrome")["red_flag_check"]


def _check_not_among_its_flags(raw: dict) -> None:
    _cause(raw, "acute_arterial_occlusion")["red_flag_check"] = "stroke_signs"


@pytest.mark.parametrize(
    "mutate, row, field",
    [
        (_set_unknown_key, "polyneuropathy", "colour"),
        (_drop_source, "polyneuropathy", "source"),
        (_off_vocabulary, "polyneuropathy", "presentation.typical"),
        (_urgency_unless_off_vocabulary, "polyneuropathy", "urgency_unless"),
        (_duplicate_id, "polyneuropathy", "id"),
        (_unknown_red_flag, "polyneuropathy", "red_flags"),
        (_unknown_urgency, "polyneuropathy", "urgency"),
        (_unknown_test, "polyneuropathy", "tests"),
        (_no_specialists, "polyneuropathy", "specialists"),
        (_self_help_without_source, "polyneuropathy", "self_help.0.source"),
        (_safety_net_without_reason, "polyneuropathy", "self_help.0.reason"),
        (_reason_without_safety_net, "polyneuropathy", "self_help.0.reason"),
        (_emergency_cause_without_check, "compartment_syndrome", "red_flag_check"),
        (_check_not_among_its_flags, "acute_arterial_occlusion", "red_flag_check"),
    ],
)
def test_broken_copy_fails_naming_row_and_field(
    tmp_path: Path,
    raw_causes: dict,
    mutate: Callable[[dict], Any],
    row: str,
    field: str,
) -> None:
    raw = copy.deepcopy(raw_causes)
    mutate(raw)
    broken = tmp_path / "causes.yml"
    broken.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(CauseTableError) as caught:
        load_cause_table(broken, QUESTIONS_PATH)
    message = str(caught.value)
    assert f"'{row}'" in message
    assert f"field '{field}" in message


def test_missing_urgency_level_is_named(tmp_path: Path, raw_causes: dict) -> None:
    raw = copy.deepcopy(raw_causes)
    del raw["urgency_levels"]["urgent"]
    broken = tmp_path / "causes.yml"
    broken.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(CauseTableError, match="field 'urgency_levels'"):
        load_cause_table(broken, QUESTIONS_PATH)


def test_red_flag_check_for_names_the_flag_of_each_dangerous_cause(
    table: CauseTable,
) -> None:
    expected = {
        "acute_arterial_occlusion": "acute_limb_ischemia",
        "cerebral_circulation_disorder": "stroke_signs",
        "compartment_syndrome": "tight_cast",
        "spinal_cord_injury": "spinal_injury",
        "spinal_circulation_disorder": "rapid_weakness",
    }
    for cause_id, flag in expected.items():
        assert table.red_flag_check_for(cause_id) == flag
    assert table.red_flag_check_for("polyneuropathy") is None
    assert table.red_flag_check_for("no_such_cause") is None


def test_broken_red_flag_fact_is_named(tmp_path: Path, raw_causes: dict) -> None:
    raw = copy.deepcopy(raw_causes)
    raw["red_flags"][0]["when"][0]["all_of"] = ["symptom:hiccups"]
    broken = tmp_path / "causes.yml"
    broken.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(
        CauseTableError, match=r"red flag 'stroke_signs'.*when\.0\.all_of"
    ):
        load_cause_table(broken, QUESTIONS_PATH)


def test_emergency_urgency_rule_is_rejected(tmp_path: Path, raw_causes: dict) -> None:
    raw = copy.deepcopy(raw_causes)
    raw["urgency_rules"][0]["urgency"] = "emergency"
    broken = tmp_path / "causes.yml"
    broken.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    rule_id = raw["urgency_rules"][0]["id"]
    with pytest.raises(CauseTableError, match=rf"urgency rule '{rule_id}'.*'urgency'"):
        load_cause_table(broken, QUESTIONS_PATH)


def test_broken_question_is_named(tmp_path: Path) -> None:
    raw = yaml.safe_load(QUESTIONS_PATH.read_text(encoding="utf-8"))
    raw["questions"][1]["answers"][0]["present"] = ["side:middle"]
    broken = tmp_path / "questions.yml"
    broken.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    qid = raw["questions"][1]["id"]
    with pytest.raises(
        CauseTableError, match=rf"question '{qid}'.*answers\.0\.present"
    ):
        load_cause_table(CAUSES_PATH, broken)


def test_red_flag_check_missing_a_flag_is_rejected(tmp_path: Path) -> None:
    raw = yaml.safe_load(QUESTIONS_PATH.read_text(encoding="utf-8"))
    raw["red_flag_check"]["answers"] = [
        a for a in raw["red_flag_check"]["answers"] if a.get("red_flag") != "tight_cast"
    ]
    broken = tmp_path / "questions.yml"
    broken.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(CauseTableError, match="tight_cast"):
        load_cause_table(CAUSES_PATH, broken)


def test_invalid_yaml_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "causes.yml"
    broken.write_text("causes: [unclosed", encoding="utf-8")
    with pytest.raises(CauseTableError, match=r"causes\.yml"):
        load_cause_table(broken, QUESTIONS_PATH)
