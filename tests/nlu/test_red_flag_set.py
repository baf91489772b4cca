"""tests/nlu/red_flags.yml through the NLU stages and the two red-flag tiers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.nlu.screening import screen_text

CASES = yaml.safe_load(
    (Path(__file__).with_name("red_flags.yml")).read_text(encoding="utf-8")
)["cases"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["text"][:50])
def test_red_flag_tiers(case) -> None:
    screen = screen_text(case["text"])
    expected = set(case.get("red_flags") or [])
    assert expected <= set(screen.definite), screen
    if not expected:
        assert screen.definite == (), screen  # no emergency prompt from a trap
    for flag in case.get("possible") or []:
        assert flag in screen.possible, screen
    if not expected and not case.get("possible"):
        assert screen.possible == (), screen
