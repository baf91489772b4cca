"""Triage engine behaviour, checked over the real cause table (parametrized by it, so a
new cause or red flag is covered without touching this file)."""

from __future__ import annotations

from typing import Dict, FrozenSet, Iterable, List, Tuple

import pytest

from actions.cause_table import URGENCIES, get_cause_table, parse_fact
from actions.triage import (
    Findings,
    Question,
    assess,
    detect_red_flags,
    expand_findings,
    rank_causes,
)
from actions.vocabulary import Fact, get_vocabulary

TABLE = get_cause_table()
CAUSE_IDS = [c.id for c in TABLE.causes]
FLAG_IDS = [f.id for f in TABLE.red_flags]


def findings(present: Iterable[str] = (), absent: Iterable[str] = (), **kw) -> Findings:
    return Findings(
        frozenset(parse_fact(f) for f in present),
        frozenset(parse_fact(f) for f in absent),
        kw.get("age"),
        kw.get("duration"),
    )


def _flags(facts: Iterable[str], **kw) -> FrozenSet[str]:
    """The ids of the red flags the facts fire."""
    return frozenset(h.id for h in detect_red_flags(findings(facts, **kw)))


def typical_presentation(cause_id: str) -> List[str]:
    """The facts a typical patient with this cause reports: its facts of weight >= 2.

    Where the article describes a cause by its name only (fewer than two such
    facts), the typical patient reports all its facts and names the diagnosis
    they were given ("I have Paget's disease"): the fact ("cause", id).
    """
    typical: Dict[str, float] = dict(TABLE.cause(cause_id).presentation.typical)
    strong = [f for f, w in typical.items() if w >= 2]
    return strong if len(strong) >= 2 else [*typical, f"cause:{cause_id}"]


def scores(f: Findings) -> Dict[str, float]:
    return {r.id: r.score for r in rank_causes(f)}


# ------------------------------------------------------------------ ranking


@pytest.mark.parametrize("cause_id", CAUSE_IDS)
def test_typical_presentation_ranks_cause_in_top_3(cause_id: str) -> None:
    facts = ["sensation:numbness", *typical_presentation(cause_id)]
    ranked = [r.id for r in rank_causes(findings(facts))]
    assert cause_id in ranked[:3], (facts, ranked[:5])


@pytest.mark.parametrize("cause_id", CAUSE_IDS)
def test_typical_presentation_gives_lay_reasons(cause_id: str) -> None:
    facts = typical_presentation(cause_id)
    ranked = {r.id: r for r in rank_causes(findings(facts))}
    assert ranked[cause_id].fits, cause_id
    assert all("_" not in reason for reason in ranked[cause_id].fits)


def test_absent_typical_fact_is_reported_against() -> None:
    cause = next(
        c for c in TABLE.causes if "symptom:back_pain" in c.presentation.typical
    )
    ranked = {r.id: r for r in rank_causes(findings([], ["symptom:back_pain"]))}
    assert "no back pain" in ranked[cause.id].against


def test_cause_probabilities_sum_to_one() -> None:
    ranked = rank_causes(findings(["side:both", "body_part:foot"]))
    assert sum(r.probability for r in ranked) == pytest.approx(1.0)
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)


def _bases() -> List[Tuple[str, FrozenSet[str]]]:
    bases = [("empty", frozenset())]
    for cause_id in CAUSE_IDS[::3]:
        bases.append((cause_id, frozenset(typical_presentation(cause_id))))
    return bases


@pytest.mark.parametrize("name, base", _bases(), ids=[b[0] for b in _bases()])
def test_fact_known_absent_never_raises_any_score(
    name: str, base: FrozenSet[str]
) -> None:
    facts: List[Fact] = list(get_vocabulary().facts())
    facts += [("duration", b) for b, _ in TABLE.duration_buckets]
    before = scores(findings(base))
    for fact in facts:
        text = f"{fact[0]}:{fact[1]}"
        if text in base:
            continue
        after = scores(findings(base, [text]))
        raised = {
            c: (before[c], after[c]) for c in before if after[c] > before[c] + 1e-9
        }
        assert not raised, (text, raised)


def test_present_typical_fact_raises_its_cause() -> None:
    for cause in TABLE.causes:
        for fact in cause.presentation.typical:
            assert scores(findings([fact]))[cause.id] > scores(findings())[cause.id]


@pytest.mark.parametrize("cause_id", CAUSE_IDS[::4])
def test_naming_a_cause_raises_it(cause_id: str) -> None:
    named = scores(findings([f"cause:{cause_id}"]))
    assert named[cause_id] > scores(findings())[cause_id]


# ------------------------------------------------------------------ red flags


def _clause_cases() -> List[Tuple[str, List[str]]]:
    cases = []
    for flag in TABLE.red_flags:
        for clause in flag.when:
            cases.append((flag.id, [*clause.all_of, *clause.any_of[:1]]))
    return cases


@pytest.mark.parametrize("flag_id, facts", _clause_cases())
def test_every_red_flag_clause_yields_emergency(flag_id: str, facts: List[str]) -> None:
    result = assess(findings(["sensation:numbness", *facts]))
    assert result.urgency == "emergency"
    assert flag_id in [h.id for h in result.red_flags]
    assert result.next_question is None
    hit = next(h for h in result.red_flags if h.id == flag_id)
    assert hit.advice and hit.label and hit.source


def _named_danger_cases() -> List[Tuple[str, List[str]]]:
    named = {c.red_flag_check: c.id for c in TABLE.causes if c.red_flag_check}
    return [(named[f], facts) for f, facts in _clause_cases() if f in named]


@pytest.mark.parametrize("cause_id, facts", _named_danger_cases())
def test_a_fired_red_flag_ranks_the_cause_it_names_in_the_top_3(
    cause_id: str, facts: List[str]
) -> None:
    """The prompt ends the questions, so the opening must already rank it."""
    assert cause_id in [r.id for r in assess(findings(facts)).causes]


@pytest.mark.parametrize("flag_id", FLAG_IDS)
def test_red_flag_check_button_fires_its_flag(flag_id: str) -> None:
    answer = next(a for a in TABLE.red_flag_check.answers if a.red_flag == flag_id)
    hits = detect_red_flags(findings().with_answer(answer))
    assert flag_id in [h.id for h in hits]


def test_red_flag_check_none_of_these_fires_nothing() -> None:
    none = next(a for a in TABLE.red_flag_check.answers if not a.red_flag)
    assert detect_red_flags(findings().with_answer(none)) == []


def test_a_named_back_problem_points_first_to_the_wear_of_discs() -> None:
    """A slipped disc, back surgery or a lumbar level named: the common form."""
    told = ["condition:spine_disease", "sensation:numbness", "body_part:toes"]
    ranked = [r.id for r in assess(findings(told)).causes]
    assert ranked[0] == "degenerative_spine_disease"


def test_one_leg_weak_on_waking_after_lying_on_it_is_no_rapid_weakness() -> None:
    told = ["symptom:weakness", "onset:sudden", "body_part:whole_leg", "side:right"]
    lying = detect_red_flags(findings([*told, "trigger:lying"]))
    assert "rapid_weakness" not in [flag.id for flag in lying]
    assert "rapid_weakness" in [flag.id for flag in detect_red_flags(findings(told))]


@pytest.mark.parametrize(
    "duration, fires", [(None, True), ("P5D", True), ("P5M", False)]
)
def test_a_paralysis_months_old_is_no_longer_coming_on(
    duration: object, fires: bool
) -> None:
    told = ["symptom:paralysis", "body_part:whole_leg", "course:worsening"]
    flags = [flag.id for flag in detect_red_flags(findings(told, duration=duration))]
    assert ("rapid_weakness" in flags) is fires


def test_a_sore_back_with_both_legs_numb_and_weak_within_days_is_rapid() -> None:
    """Whatever posture the story blames: the spine's symptoms increasing."""
    told = ["symptom:weakness", "side:both", "symptom:back_pain", "sensation:numbness"]
    sitting = detect_red_flags(findings([*told, "trigger:sitting"], duration="P3D"))
    assert "rapid_weakness" in [flag.id for flag in sitting]
    gradual = detect_red_flags(findings([*told, "onset:gradual"], duration="P3D"))
    assert "rapid_weakness" not in [flag.id for flag in gradual]


@pytest.mark.parametrize(
    "extra, fires",
    [([], True), (["onset:gradual"], False), (["course:resolved"], False)],
)
def test_both_feet_numb_in_a_story_with_an_injury_fire_only_at_once(
    extra: List[str], fires: bool
) -> None:
    told = ["trigger:injury", "side:both", "body_part:foot", "sensation:numbness"]
    flags = [flag.id for flag in detect_red_flags(findings(told + extra))]
    assert ("spinal_injury" in flags) is fires


def test_hands_and_feet_then_legs_weaker_by_the_day_over_weeks_is_rapid() -> None:
    told = ["symptom:weakness", "course:worsening", "body_part:hand", "body_part:foot"]
    flags = [flag.id for flag in detect_red_flags(findings(told, duration="P10D"))]
    assert "rapid_weakness" in flags
    later = detect_red_flags(findings([*told, "course:improving"], duration="P10D"))
    assert "rapid_weakness" not in [flag.id for flag in later]


def test_negated_red_flag_fact_does_not_fire() -> None:
    assert detect_red_flags(findings([], ["symptom:bladder_bowel_dysfunction"])) == []
    assert assess(findings(["sensation:numbness"], ["symptom:paralysis"])).urgency != (
        "emergency"
    )


def test_red_flag_question_offered_until_asked() -> None:
    base = findings(["sensation:numbness", "side:both"])
    assert assess(base).red_flag_question is not None
    assert assess(base, frozenset({TABLE.red_flag_check.id})).red_flag_question is None


# ------------------------------------------------------------------ urgency


@pytest.mark.parametrize(
    "present, absent, duration, expected",
    [
        (["trigger:crossed_legs", "trigger:movement_relief"], [], None, "self_care"),
        (["trigger:sitting", "trigger:movement_relief"], [], "PT5M", "self_care"),
        # an episode that passed is positional only with the position and the
        # quick recovery both stated (eased by moving, or gone within minutes of
        # the position ending), and not when it lasted hours or for how long is
        # not known
        (["trigger:crossed_legs", "course:resolved"], [], None, "routine"),
        (["trigger:sitting", "course:resolved"], [], "PT10M", "self_care"),
        (["trigger:sitting", "course:resolved"], [], "PT2H", "routine"),
        (["trigger:lying", "course:resolved"], [], "PT6H", "routine"),
        (
            ["trigger:lying", "trigger:movement_relief", "course:resolved"],
            [],
            "PT6H",
            "routine",
        ),
        (
            ["trigger:exertion", "trigger:rest_relief", "side:both"],
            [],
            None,
            "self_care",
        ),
        # a leg weak for a while after crossed legs that came back fell asleep (a
        # visit to book); one that stays weak after it is new weakness
        (
            ["trigger:crossed_legs", "course:resolved", "symptom:weakness"],
            [],
            None,
            "routine",
        ),
        (["trigger:crossed_legs", "symptom:weakness"], [], None, "urgent"),
        (["onset:sudden", "side:one"], [], None, "urgent"),
        (["symptom:foot_drop"], [], "P3D", "urgent"),
        (["symptom:weakness", "side:both"], [], "P2Y", "routine"),
        (["course:spreading", "side:both"], [], "P3W", "urgent"),
        (["trigger:injury", "body_part:foot"], [], None, "urgent"),
        # a fall on a leg that had fallen asleep and came back is the sleeping
        # leg's (a visit to book); one still numb after it, or a sprained ankle,
        # is checked soon
        (
            ["trigger:injury", "trigger:sitting", "course:resolved"],
            [],
            "PT5M",
            "routine",
        ),
        (
            ["trigger:injury", "trigger:sitting", "sensation:numbness"],
            [],
            None,
            "urgent",
        ),
        (
            ["trigger:limb_injury", "trigger:sitting", "course:resolved"],
            [],
            None,
            "urgent",
        ),
        # both legs without feeling while sitting: asleep, unless it has lasted hours,
        # the back hurts or a pain comes with it
        (
            [
                "sensation:loss_of_sensation",
                "body_part:whole_leg",
                "side:both",
                "trigger:sitting",
            ],
            [],
            None,
            "routine",
        ),
        (
            [
                "sensation:loss_of_sensation",
                "body_part:whole_leg",
                "side:both",
                "trigger:sitting",
            ],
            [],
            "PT20H",
            "emergency",
        ),
        (
            [
                "sensation:loss_of_sensation",
                "body_part:whole_leg",
                "side:both",
                "trigger:sitting",
                "symptom:back_pain",
            ],
            [],
            None,
            "emergency",
        ),
        (
            [
                "sensation:loss_of_sensation",
                "body_part:whole_leg",
                "side:both",
                "trigger:sitting",
                "symptom:pain",
            ],
            [],
            None,
            "emergency",
        ),
        # both knees that folded at once weeks ago and are getting better: healing,
        # a visit to book
        (
            ["symptom:weakness", "onset:sudden", "side:both", "course:improving"],
            [],
            "P6W",
            "routine",
        ),
        (["symptom:weakness", "onset:sudden", "side:both"], [], "PT2H", "emergency"),
        # a weakness that crept on with no time told is a visit to book; over days
        # it is new weakness
        (["symptom:weakness", "onset:gradual", "side:both"], [], None, "routine"),
        (["symptom:weakness", "onset:gradual", "side:both"], [], "P4D", "urgent"),
        # legs that go numb and stiff every time on the toilet: the same spell
        # again, unless for months
        (
            ["trigger:sitting", "onset:intermittent", "symptom:weakness", "side:both"],
            [],
            None,
            "self_care",
        ),
        (["trigger:sitting", "onset:intermittent", "side:both"], [], "P4M", "routine"),
        # a leg woken within minutes of moving after a squat is the same spell
        (
            ["trigger:sitting", "trigger:movement_relief", "symptom:gait_problem"],
            [],
            "PT1M",
            "self_care",
        ),
        (["symptom:fever", "symptom:back_pain"], [], None, "urgent"),
        (["symptom:skin_ulcer", "body_part:foot"], [], None, "urgent"),
        (["symptom:cold_limb"], ["symptom:pain"], None, "urgent"),
        # cold toes out in the cold are what cold does, not a circulation sign
        (["symptom:cold_limb", "trigger:cold", "body_part:toes"], [], None, "routine"),
        (["side:both", "body_part:foot", "condition:diabetes"], [], "P6M", "routine"),
        (["trigger:night", "trigger:movement_relief"], [], "P6M", "routine"),
        (["body_part:thigh", "surface:outer"], [], "P3W", "routine"),
        # solvents: fumes breathed today are a poisoning (the red flag); numbness
        # grown over months of work with glue needs a doctor soon
        (["condition:solvent_exposure", "side:both"], [], "PT5H", "emergency"),
        (["condition:solvent_exposure", "side:both"], [], "P3M", "urgent"),
        (["condition:solvent_exposure", "onset:gradual"], [], None, "urgent"),
        # trouble seeing that came on slowly is no stroke sign but needs a doctor soon
        (["symptom:vision_problem", "onset:gradual", "side:both"], [], "P2M", "urgent"),
        # legs that tire on walks and settle with rest are end-of-day tiredness, but
        # not when the trouble came on slowly over months (a visit to book)
        (
            ["trigger:exertion", "trigger:rest_relief", "side:both"],
            [],
            None,
            "self_care",
        ),
        (
            ["trigger:exertion", "trigger:rest_relief", "side:both", "onset:gradual"],
            [],
            "P3M",
            "routine",
        ),
        # worse within a walk that rest ends is the spell, not a quick worsening
        (
            [
                "course:worsening",
                "trigger:walking",
                "trigger:rest_relief",
                "side:both",
                "onset:gradual",
            ],
            [],
            "PT5M",
            "routine",
        ),
        (["course:worsening", "side:one"], [], "PT5H", "urgent"),
        # worse over days is urgent; creeping on slowly over weeks is a visit to book
        (["course:worsening", "side:one"], [], "P3D", "urgent"),
        (["course:worsening", "onset:gradual", "side:one"], [], "P3W", "routine"),
        (["course:spreading", "onset:sudden", "side:one"], [], "P3W", "urgent"),
        # feet that go white, blue and painful in the cold are spells, no blocked artery
        (
            [
                "symptom:cold_limb",
                "symptom:pale_or_blue_skin",
                "symptom:pain",
                "trigger:cold",
            ],
            [],
            None,
            "routine",
        ),
        # an open fracture months ago whose numb foot is slowly better: no compartment
        (
            [
                "trigger:injury",
                "symptom:swelling",
                "symptom:pain",
                "body_part:toes",
                "course:improving",
            ],
            [],
            "P5M",
            "routine",
        ),
        # a spread within a ride, a run or a tight shoe is that spell's course;
        # told of nothing that explains it, it is checked soon
        (["course:spreading", "trigger:sport"], [], None, "routine"),
        (["course:worsening", "trigger:tight_clothing"], [], "PT1H", "routine"),
        (["course:spreading"], [], None, "urgent"),
        (["course:worsening"], [], "PT1H", "urgent"),
        # weakness only in spells of a sport is a visit to book; a leg that keeps
        # giving way, or spells begun within days, are new
        (
            ["symptom:weakness", "onset:intermittent", "trigger:sport"],
            [],
            None,
            "routine",
        ),
        (["symptom:weakness", "onset:intermittent"], [], None, "urgent"),
        (
            ["symptom:weakness", "onset:intermittent", "trigger:sport"],
            [],
            "P3D",
            "urgent",
        ),
        # feeling lost in a diabetic's feet is its neuropathy, unless sudden
        (["sensation:loss_of_sensation", "condition:diabetes"], [], None, "routine"),
        (["sensation:loss_of_sensation"], [], None, "urgent"),
        (["sensation:loss_of_sensation", "trigger:standing"], [], None, "routine"),
    ],
)
def test_urgency_levels(
    present: List[str], absent: List[str], duration: str, expected: str
) -> None:
    facts = ["sensation:numbness", *present]
    assert assess(findings(facts, absent, duration=duration)).urgency == expected


def test_urgency_is_emergency_only_with_red_flags() -> None:
    for cause_id in CAUSE_IDS:
        result = assess(findings(typical_presentation(cause_id)))
        assert (result.urgency == "emergency") == bool(result.red_flags), cause_id


# ------------------------------------------------------------------ questions


def _known(f: Findings, question: Question) -> bool:
    facts = question.facts
    return bool(facts) and all(x in f.present or x in f.absent for x in facts)


@pytest.mark.parametrize("cause_id", CAUSE_IDS)
def test_next_question_is_never_asked_or_answered(cause_id: str) -> None:
    typical = set(typical_presentation(cause_id))
    current = findings(["sensation:numbness"])
    asked: FrozenSet[str] = frozenset()
    for _ in range(len(TABLE.questions) + 1):
        result = assess(current, asked)
        question = result.next_question
        if question is None:
            break
        assert question.id not in asked
        assert not _known(current, question)
        if question.asks_duration:
            assert current.duration is None
        # a simulated patient: the first answer naming a typical fact, else the last
        answer = next(
            (a for a in question.answers if set(a.present) & typical),
            question.answers[-1],
        )
        asked = asked | {question.id}
        current = current.with_answer(answer)
    else:
        pytest.fail("the engine kept asking questions")


@pytest.mark.parametrize("question", TABLE.questions, ids=lambda q: q.id)
def test_question_in_asked_is_not_returned(question: Question) -> None:
    everything_else = frozenset(q.id for q in TABLE.questions if q.id != question.id)
    result = assess(findings(["sensation:numbness"]), frozenset({question.id}))
    assert result.next_question is None or result.next_question.id != question.id
    alone = assess(findings(["sensation:numbness"]), everything_else)
    assert alone.next_question is None or alone.next_question.id == question.id


@pytest.mark.parametrize("question", TABLE.questions, ids=lambda q: q.id)
def test_question_with_all_facts_known_is_not_returned(question: Question) -> None:
    others = frozenset(q.id for q in TABLE.questions if q.id != question.id)
    facts = [f"{e}:{v}" for e, v in question.facts]
    kw = {"duration": "P3W"} if question.asks_duration else {}
    result = assess(findings(["sensation:numbness"], facts, **kw), others)
    assert result.next_question is None


def test_first_question_separates_candidates() -> None:
    result = assess(findings(["sensation:numbness"]))
    assert result.next_question is not None
    assert result.question_value > 0


# ------------------------------------------------------------------ determinism


def test_assess_is_deterministic() -> None:
    f = findings(
        ["sensation:numbness", "side:one", "symptom:pain"], ["symptom:weakness"]
    )
    first, second = assess(f), assess(f)
    assert first == second
    assert [c.id for c in first.causes] == [c.id for c in second.causes]


def test_expansion_applies_implications_exclusions_and_buckets() -> None:
    known = expand_findings(findings(["side:left"], ["body_part:foot"], duration="P3W"))
    assert ("side", "one") in known.present and ("side", "both") in known.absent
    assert ("body_part", "toes") in known.absent  # no foot: no toes either
    assert ("duration", "weeks") in known.present
    assert ("duration", "days") in known.absent
    both = expand_findings(findings(["side:left", "side:right"]))
    assert ("side", "both") in both.present


def test_findings_from_slots_skips_malformed_values() -> None:
    f = Findings.from_slots(
        ["symptom:pain", "garbage", ""], ["symptom:fever"], "42", "P3D"
    )
    assert f.present == {("symptom", "pain")}
    assert f.absent == {("symptom", "fever")}
    assert f.age == 42 and f.duration == "P3D"


def test_duration_given_as_fact_is_bucketed() -> None:
    as_fact = assess(findings(["symptom:weakness", "duration:P2Y"]))
    as_field = assess(findings(["symptom:weakness"], duration="P2Y"))
    assert as_fact.urgency == as_field.urgency == "routine"
    assert (
        assess(findings(["symptom:weakness", "duration:forever"])).urgency == "urgent"
    )


def test_assessment_lists_specialists_and_tests_of_shown_causes() -> None:
    result = assess(findings(["sensation:numbness", "condition:varicose_veins"]))
    shown = [TABLE.cause(c.id) for c in result.causes]
    assert set(result.specialists) >= {s for c in shown for s in c.specialists}
    assert set(result.tests) >= {t for c in shown for t in c.tests}


@pytest.mark.parametrize(
    "cause_id", [c.id for c in TABLE.causes if c.red_flag_check], ids=str
)
def test_naming_a_dangerous_cause_asks_for_its_red_flag_check(cause_id: str) -> None:
    """ "Could it be a clot?": the worry is checked, never a plain routine answer.

    The NLU's screen asks the cause's own check on that turn (tests of the
    red-flag detector); the engine does not put the general check first to ask
    it again, but keeps it for the end.
    """
    assert TABLE.red_flag_check_for(cause_id)
    result = assess(findings([f"cause:{cause_id}"]))
    assert result.red_flag_question is not None


@pytest.mark.parametrize("cause_id", CAUSE_IDS)
def test_typical_presentation_is_at_least_as_urgent_as_its_cause(cause_id: str) -> None:
    facts = ["sensation:numbness", *typical_presentation(cause_id)]
    result = assess(findings(facts))
    demanded = TABLE.cause(cause_id).urgency
    assert URGENCIES.index(result.urgency) <= URGENCIES.index(demanded), facts


@pytest.mark.parametrize(
    "present",
    [
        # the article's triad without a cold or pale leg: sudden blockage first
        ["onset:sudden", "symptom:pain", "symptom:weakness", "body_part:foot"],
        # swelling and pain with a cast: compartment syndrome first
        ["trigger:cast", "symptom:swelling", "symptom:pain"],
    ],
)
def test_a_probable_dangerous_cause_sets_the_urgency(present: List[str]) -> None:
    result = assess(findings(present))
    first = TABLE.cause(result.causes[0].id)
    assert result.causes[0].probability >= TABLE.engine.cause_urgency_threshold
    assert result.urgency == first.urgency == "emergency"


@pytest.mark.parametrize(
    "earlier", ["condition:residual_stroke", "condition:stroke_history"]
)
def test_the_numbness_left_by_an_earlier_stroke_is_its_cause_but_no_emergency(
    earlier: str,
) -> None:
    left_over = [earlier, "side:left", "body_part:whole_leg"]
    result = assess(findings([*left_over, "sensation:numbness"], duration="P3M"))
    assert result.causes[0].id == "cerebral_circulation_disorder"
    assert result.urgency != "emergency"
    new = [*left_over, "body_part:arm", "onset:sudden"]
    assert assess(findings(new, duration="PT2H")).urgency == "emergency"


@pytest.mark.parametrize(
    "pattern", ["onset:gradual", "onset:intermittent", "course:improving"]
)
def test_a_one_sided_sign_after_a_stroke_told_as_slow_or_mending_is_what_it_left(
    pattern: str,
) -> None:
    """Undated, after a stroke told as had: slow, in spells or mending is the old
    stroke's side; told as sudden or within days it is a new one."""
    side = [
        "condition:stroke_history",
        "body_part:arm",
        "side:right",
        "sensation:tingling",
    ]
    assert "stroke_signs" not in _flags([*side, pattern])
    assert "stroke_signs" in _flags(side)
    assert "stroke_signs" in _flags([*side, pattern], duration="PT2H")
    assert "stroke_signs" in _flags([*side, "onset:sudden"])


def test_a_long_episode_after_lying_that_passed_is_not_self_care() -> None:
    """Six hours numb after lying down, then gone: a mini-stroke shows so too."""
    result = assess(
        findings(["trigger:lying", "course:resolved", "side:one"], duration="PT6H")
    )
    assert result.urgency != "self_care"


@pytest.mark.parametrize("duration", ["PT2H", "P2D", "P3W"])
def test_numbness_in_both_legs_after_an_injury_is_the_spinal_injury_flag(
    duration: str,
) -> None:
    facts = ["trigger:injury", "side:both", "sensation:numbness"]
    assert "spinal_injury" in _flags(facts, duration=duration)


def test_a_back_injury_weeks_ago_fires_the_spinal_flag_only_for_both_legs() -> None:
    """Weeks after hurting the back, one leg numb is a nerve root to see soon;
    both legs (or no side told) are still the spinal injury."""
    back = ["trigger:injury", "symptom:back_pain", "sensation:numbness"]
    one = assess(findings([*back, "side:left"], duration="P3W"))
    assert one.red_flags == []
    assert one.urgency == "routine"
    for side in (["side:both"], []):
        both = detect_red_flags(findings(back + side, duration="P3W"))
        assert "spinal_injury" in {hit.id for hit in both}


def test_one_leg_numb_for_weeks_after_an_injury_is_a_routine_visit() -> None:
    facts = ["trigger:injury", "sensation:numbness", "body_part:foot", "side:right"]
    assert assess(findings(facts, duration="P4W")).urgency == "routine"
    assert assess(findings(facts, duration="P3D")).urgency == "urgent"
    limb = ["trigger:limb_injury", "sensation:numbness", "body_part:toes"]
    assert assess(findings(limb, duration="P2M")).urgency == "routine"


def test_an_arm_and_leg_gone_suddenly_weeks_ago_is_no_stroke_now() -> None:
    facts = ["body_part:arm", "onset:sudden", "sensation:numbness"]
    assert "stroke_signs" not in _flags(facts, duration="P2W")
    assert "stroke_signs" in _flags(facts, duration="PT2H")


@pytest.mark.parametrize("duration", ["P4M", "P3Y"])
def test_an_injury_whose_numbness_has_lasted_months_fires_no_spinal_flag(
    duration: str,
) -> None:
    """No acute injury to keep still, and no fresh one to check within days: a
    routine visit finds the cause of numbness that has lasted months."""
    for facts in (
        ["trigger:injury", "side:both", "sensation:numbness"],
        ["trigger:injury", "symptom:back_pain", "sensation:numbness"],
    ):
        result = assess(findings(facts, duration=duration))
        assert result.red_flags == []
        assert result.urgency == "routine"
        fresh = assess(findings(facts, duration="P3D"))
        assert fresh.urgency == "emergency"


@pytest.mark.parametrize(
    "duration, fires", [(None, True), ("P1D", True), ("P4M", False), ("P2Y", False)]
)
def test_weak_legs_with_both_hands_involved_is_spreading_weakness(
    duration: str, fires: bool
) -> None:
    facts = ["symptom:weakness", "body_part:hand", "side:both", "sensation:tingling"]
    hits = _flags(facts, duration=duration)
    assert ("rapid_weakness" in hits) is fires


def test_a_leg_asleep_in_a_position_that_failed_for_a_moment_and_passed_is_self_care():
    facts = [
        "trigger:sitting",
        "course:resolved",
        "symptom:foot_drop",
        "symptom:gait_problem",
        "onset:sudden",
        "sensation:numbness",
    ]
    assert assess(findings(facts, duration="PT1M")).urgency == "self_care"
    # not a spell of hours, not with an arm, not after an injury
    assert assess(findings(facts, duration="PT3H")).urgency != "self_care"
    assert assess(findings([*facts, "body_part:arm"], duration="PT1M")).urgency != (
        "self_care"
    )
    assert assess(findings([*facts, "trigger:injury"], duration="PT1M")).urgency != (
        "self_care"
    )


def test_feet_grown_cold_slowly_are_no_urgent_sign_but_a_sudden_cold_foot_is():
    slow = assess(findings(["symptom:cold_limb", "onset:gradual", "body_part:foot"]))
    assert slow.urgency == "routine"
    long = assess(findings(["symptom:cold_limb", "body_part:foot"], duration="P2Y"))
    assert long.urgency == "routine"
    days = ["symptom:cold_limb", "onset:gradual", "body_part:foot"]
    assert assess(findings(days, duration="P2D")).urgency == "urgent"
    assert assess(findings(["symptom:cold_limb", "body_part:foot"])).urgency == "urgent"
    sudden = assess(findings(["symptom:cold_limb", "onset:sudden", "body_part:foot"]))
    assert sudden.urgency == "emergency"


def test_a_sudden_patch_of_numbness_that_has_gone_is_routine_but_a_weakness_is_not():
    patch = ["onset:sudden", "course:resolved", "sensation:numbness", "body_part:calf"]
    assert assess(findings(patch, duration="PT8H")).urgency == "routine"
    weak = [*patch, "symptom:weakness"]
    assert assess(findings(weak, duration="PT8H")).urgency in ("urgent", "emergency")


@pytest.mark.parametrize("course", ["course:resolved", "course:improving"])
def test_a_sudden_numbness_easing_off_is_routine_but_a_weakness_is_not(course: str):
    patch = ["onset:sudden", "sensation:numbness", "body_part:thigh"]
    assert assess(findings(patch, duration="P2D")).urgency == "urgent"
    assert assess(findings([*patch, course], duration="P2D")).urgency == "routine"
    weak = [*patch, course, "symptom:weakness"]
    assert assess(findings(weak, duration="P2D")).urgency in ("urgent", "emergency")


def test_a_week_old_swelling_after_an_injury_is_no_compartment_emergency():
    facts = ["trigger:injury", "symptom:swelling", "symptom:pain", "course:worsening"]
    assert "tight_cast" in _flags(facts, duration="PT5H")
    assert "tight_cast" not in _flags(facts, duration="P2W")


def test_a_sprain_that_swelled_at_once_with_its_pain_is_no_compartment_emergency():
    sprain = ["trigger:limb_injury", "symptom:swelling", "symptom:pain", "onset:sudden"]
    assert "tight_cast" not in _flags(sprain, duration="PT5H")
    assert "tight_cast" in _flags([*sprain, "sensation:numbness"], duration="PT5H")


def test_a_patch_without_feeling_on_one_face_of_the_leg_is_a_routine_visit() -> None:
    patch = ["sensation:loss_of_sensation", "body_part:thigh", "surface:outer"]
    assert assess(findings(patch, duration="P3W")).urgency == "routine"
    whole = ["sensation:loss_of_sensation", "body_part:foot"]
    assert assess(findings(whole, duration="P3W")).urgency == "urgent"


def test_feeling_lost_only_in_spells_that_rest_ends_is_no_urgent_loss() -> None:
    spell = ["sensation:loss_of_sensation", "body_part:foot", "trigger:walking"]
    assert assess(findings([*spell, "trigger:rest_relief"])).urgency == "routine"
    assert assess(findings(spell)).urgency == "urgent"


def test_numbness_up_to_the_trunk_is_checked_soon_unless_a_passing_spell() -> None:
    both_legs = ["sensation:numbness", "body_part:whole_leg", "side:both"]
    level = [*both_legs, "body_part:trunk"]
    assert assess(findings(level)).urgency == "urgent"
    assert assess(findings(both_legs)).urgency == "routine"
    passed = [*level, "trigger:sitting", "trigger:movement_relief"]
    assert assess(findings(passed)).urgency != "urgent"


def test_a_foot_gone_pale_and_painful_within_hours_is_the_blocked_artery() -> None:
    pale = ["symptom:pale_or_blue_skin", "symptom:pain", "body_part:foot"]
    assert "acute_limb_ischemia" in _flags(pale, duration="PT2H")
    cold = [*pale, "trigger:cold"]
    assert "acute_limb_ischemia" not in _flags(cold, duration="PT2H")


def test_a_leg_felt_icy_cold_painful_and_numb_within_hours_is_the_blocked_artery() -> (
    None
):
    leg = ["sensation:coldness", "symptom:pain", "sensation:numbness", "side:one"]
    assert "acute_limb_ischemia" in _flags(leg, duration="PT2H")
    assert "acute_limb_ischemia" not in _flags(leg, duration="P1M")
    assert "acute_limb_ischemia" not in _flags([*leg, "trigger:cold"], duration="PT2H")
    assert "acute_limb_ischemia" not in _flags(leg[:3], duration="PT2H")


def test_both_legs_gone_after_sleeping_slumped_that_passed_is_no_emergency() -> None:
    spell = ["symptom:weakness", "onset:sudden", "side:both", "course:resolved"]
    flags = _flags([*spell, "trigger:sitting"])
    assert "rapid_weakness" not in flags
    assert "rapid_weakness" in _flags(spell)
    now = ["symptom:weakness", "onset:sudden", "side:both", "trigger:sitting"]
    assert "rapid_weakness" in _flags(now)


def test_a_sudden_start_weeks_ago_is_no_fresh_start_to_check_soon() -> None:
    facts = ["onset:sudden", "sensation:numbness", "body_part:thigh", "surface:outer"]
    assert assess(findings(facts, duration="P2D")).urgency == "urgent"
    assert assess(findings(facts, duration="P2W")).urgency == "routine"
    assert assess(findings(facts, duration="P3M")).urgency == "routine"
    weak = [*facts, "symptom:weakness"]
    assert assess(findings(weak, duration="P2W")).urgency in ("urgent", "emergency")


def test_numbness_after_a_knock_that_passed_or_eases_is_no_injury_to_check_soon() -> (
    None
):
    knock = ["trigger:injury", "sensation:pins_and_needles", "body_part:foot"]
    assert assess(findings(knock, duration="P1D")).urgency == "urgent"
    for course in ("course:resolved", "course:improving"):
        assert assess(findings([*knock, course], duration="P1D")).urgency != "urgent"
    broken = ["trigger:limb_injury", "sensation:numbness", "body_part:foot"]
    assert assess(findings([*broken, "course:improving"], duration="P1D")).urgency == (
        "urgent"
    )


def test_a_slow_spread_over_weeks_is_checked_soon_once_it_takes_the_walking() -> None:
    creeping = ["course:spreading", "onset:gradual", "sensation:numbness", "side:both"]
    assert assess(findings(creeping, duration="P3W")).urgency == "routine"
    walking = [*creeping, "symptom:gait_problem"]
    assert assess(findings(walking, duration="P3W")).urgency == "urgent"
    spells = [*walking, "trigger:rest_relief"]
    assert assess(findings(spells, duration="P3W")).urgency == "routine"


def test_a_sudden_numbness_the_cold_brought_on_is_not_urgent_for_its_start() -> None:
    facts = ["onset:sudden", "trigger:cold", "sensation:numbness", "body_part:toes"]
    assert assess(findings(facts)).urgency != "urgent"
    assert assess(findings(facts[:1] + facts[2:])).urgency == "urgent"


def test_a_leg_gone_numb_at_once_in_a_squeezing_position_is_not_urgent_for_its_start():
    facts = ["onset:sudden", "trigger:sitting", "sensation:numbness", "body_part:foot"]
    assert assess(findings(facts)).urgency != "urgent"
    assert assess(findings(facts, duration="PT3H")).urgency == "urgent"
    eased = [*facts, "trigger:movement_relief"]
    assert assess(findings(eased, duration="PT3H")).urgency != "urgent"


def test_feeling_lost_sitting_or_slowly_is_urgent_only_when_lasting_or_cold():
    sitting = ["sensation:loss_of_sensation", "body_part:buttock", "trigger:sitting"]
    assert assess(findings(sitting)).urgency != "urgent"
    assert assess(findings(sitting, duration="P2D")).urgency == "urgent"
    slow = ["sensation:loss_of_sensation", "body_part:foot", "onset:gradual"]
    assert assess(findings(slow)).urgency == "routine"
    assert assess(findings(slow, duration="P2W")).urgency == "urgent"
    cold = [*slow, "symptom:cold_limb"]
    assert assess(findings(cold, duration="P6M")).urgency == "urgent"


def test_a_spread_within_spells_that_rest_ends_is_the_spells_course() -> None:
    walk = [
        "course:spreading",
        "sensation:numbness",
        "body_part:toes",
        "trigger:walking",
    ]
    assert assess(findings(walk, duration="P2D")).urgency == "urgent"
    rested = [*walk, "trigger:rest_relief"]
    assert assess(findings(rested, duration="P2D")).urgency != "urgent"
    assert assess(findings(rested)).urgency != "urgent"


def test_numbness_that_comes_and_goes_with_tight_gear_is_self_care() -> None:
    gear = ["trigger:tight_clothing", "onset:intermittent", "sensation:numbness"]
    assert assess(findings([*gear, "body_part:toes"])).urgency == "self_care"
    weak = [*gear, "body_part:toes", "symptom:weakness"]
    assert assess(findings(weak)).urgency != "self_care"


def test_both_arms_gone_suddenly_are_no_one_side_of_the_body() -> None:
    arm = ["body_part:arm", "onset:sudden", "sensation:numbness"]
    assert "stroke_signs" in _flags(arm)
    both = [*arm, "side:both"]
    assert "stroke_signs" not in _flags(both)


def test_a_long_story_of_contact_with_solvents_is_urgent_without_a_red_flag() -> None:
    story = ["condition:solvent_exposure", "sensation:numbness", "body_part:foot"]
    result = assess(findings([*story, "onset:gradual"], duration="P3M"))
    assert not result.red_flags
    assert result.urgency == "urgent"


def test_a_nerve_hurt_by_a_wound_months_ago_is_a_visit_to_book() -> None:
    old = ["trigger:limb_injury", "sensation:numbness", "body_part:foot", "side:one"]
    assert assess(findings(old, duration="P4M")).urgency == "routine"
    assert assess(findings(old, duration="P2D")).urgency == "urgent"


def test_rest_that_eases_walking_pain_leaves_a_lost_feeling_urgent() -> None:
    lost = ["sensation:loss_of_sensation", "body_part:foot", "symptom:pain"]
    claudication = [*lost, "trigger:walking", "trigger:rest_relief"]
    assert assess(findings(claudication, duration="P2W")).urgency == "urgent"


def test_a_weakness_healing_for_weeks_is_no_new_weakness() -> None:
    weak = ["symptom:foot_drop", "side:left", "course:improving"]
    assert assess(findings(weak, duration="P6W")).urgency == "routine"
    assert assess(findings(weak, duration="P3D")).urgency == "urgent"
    assert assess(findings(weak[:2], duration="P6W")).urgency == "urgent"


def test_hands_and_feet_tingling_on_both_sides_in_a_spell_that_passed_is_not_urgent():
    spell = ["onset:sudden", "course:resolved", "sensation:tingling", "body_part:foot"]
    both = [*spell, "body_part:hand", "side:both"]
    assert assess(findings(both)).urgency in ("routine", "self_care")
    one_side = assess(findings([*spell, "body_part:hand", "side:left"])).urgency
    assert one_side in ("urgent", "emergency")
    weak = assess(findings([*both, "symptom:weakness"])).urgency
    assert weak in ("urgent", "emergency")


def test_a_cause_a_told_fact_speaks_against_lends_no_urgency() -> None:
    both = ["onset:sudden", "course:resolved", "body_part:arm", "body_part:hand"]
    told = [*both, "sensation:pins_and_needles", "body_part:calf", "side:both"]
    result = assess(findings([*told, "condition:anxiety"]))
    assert result.urgency != "emergency" and result.urgency_cause is None


def test_a_swollen_painful_limb_lends_the_compartment_emergency_once_numb() -> None:
    hurt = ["trigger:limb_injury", "symptom:swelling", "symptom:pain", "side:one"]
    bare = assess(findings(hurt))
    assert bare.causes[0].id == "compartment_syndrome"
    assert bare.urgency_cause != "compartment_syndrome"
    for more in ("sensation:numbness", "course:worsening"):
        assert assess(findings([*hurt, more])).urgency == "emergency"


def test_both_legs_weaker_and_weaker_with_back_pain_is_checked_soon() -> None:
    slow = ["symptom:weakness", "course:worsening", "side:both", "onset:gradual"]
    assert assess(findings([*slow, "symptom:back_pain"], duration="P8M")).urgency in (
        "urgent",
        "emergency",
    )
    assert assess(findings(slow, duration="P8M")).urgency == "routine"


def test_a_leg_that_feels_cold_looks_pale_and_hurts_is_the_blocked_artery() -> None:
    leg = ["sensation:coldness", "symptom:pale_or_blue_skin", "symptom:pain"]
    assert "acute_limb_ischemia" in _flags(leg)
    assert "acute_limb_ischemia" not in _flags([*leg, "trigger:walking"])
    assert "acute_limb_ischemia" not in _flags(leg, duration="P3M")


def test_legs_swollen_numb_and_failing_after_being_stuck_sitting_are_compartment() -> (
    None
):
    stuck = [
        "trigger:sitting",
        "symptom:swelling",
        "symptom:weakness",
        "sensation:numbness",
    ]
    assert "tight_cast" in _flags(stuck)
    assert "tight_cast" not in _flags(stuck[:2] + stuck[3:])
    assert "tight_cast" not in _flags([*stuck, "course:improving"])


def test_numbness_climbing_into_a_hand_within_the_hour_is_rapid() -> None:
    climbing = ["course:spreading", "body_part:hand", "sensation:pins_and_needles"]
    assert "rapid_weakness" in _flags(climbing, duration="PT1H")
    assert "rapid_weakness" not in _flags(climbing, duration="P3M")
    assert "rapid_weakness" not in _flags([*climbing, "trigger:lying"], duration="PT1H")


def test_a_long_lie_with_a_swollen_painful_numb_limb_is_compartment() -> None:
    lie = [
        "trigger:lying",
        "symptom:swelling",
        "symptom:pain",
        "sensation:loss_of_sensation",
    ]
    assert "tight_cast" in _flags(lie)
    assert "tight_cast" not in _flags(lie[:3])
    assert "tight_cast" not in _flags(lie, duration="P3W")


def test_hands_and_legs_stiff_in_cold_water_that_came_back_are_no_rapid_weakness() -> (
    None
):
    spell = ["symptom:weakness", "body_part:hand", "side:both", "course:resolved"]
    assert "rapid_weakness" in _flags(spell)
    assert "rapid_weakness" not in _flags([*spell, "trigger:cold"])
    assert "rapid_weakness" in _flags([*spell[:3], "trigger:cold"])


def test_a_long_lie_with_a_swollen_painful_limb_numb_below_is_compartment() -> None:
    lie = ["trigger:lying", "symptom:swelling", "symptom:pain", "sensation:numbness"]
    assert "tight_cast" in _flags(lie)
    assert "tight_cast" in _flags(lie, duration="PT8H")
    assert "tight_cast" not in _flags(lie[:3])
    assert "tight_cast" not in _flags([*lie, "onset:intermittent"])
    assert "tight_cast" not in _flags(lie, duration="P3W")


def test_both_legs_failing_with_a_worsening_back_pain_is_rapid() -> None:
    back = ["symptom:weakness", "symptom:back_pain", "course:worsening", "side:both"]
    assert "rapid_weakness" in _flags(back, duration="P3W")
    assert "rapid_weakness" not in _flags(back, duration="P2Y")
    assert "rapid_weakness" not in _flags([*back[:3], "side:left"], duration="P3W")


def test_a_limb_gone_cold_numb_and_painful_is_the_blocked_artery() -> None:
    leg = ["symptom:cold_limb", "symptom:pain", "sensation:numbness"]
    assert "acute_limb_ischemia" in _flags(leg)
    assert "acute_limb_ischemia" not in _flags(leg[:2])
    assert "acute_limb_ischemia" not in _flags([*leg, "trigger:cold"])
    assert "acute_limb_ischemia" not in _flags(leg, duration="P2Y")


def test_a_calf_swelling_and_hurting_more_within_hours_is_compartment() -> None:
    calf = ["symptom:swelling", "symptom:pain", "course:worsening", "onset:sudden"]
    assert "tight_cast" in _flags(calf, duration="PT3H")
    assert "tight_cast" not in _flags(calf, duration="P2W")
    assert "tight_cast" not in _flags(calf[:3], duration="PT3H")


def test_a_worsening_painful_swelling_that_stops_the_foot_moving_is_compartment() -> (
    None
):
    calf = ["symptom:swelling", "symptom:pain", "course:worsening", "symptom:foot_drop"]
    assert "tight_cast" in _flags(calf, duration="P1W")
    assert "tight_cast" not in _flags(calf[:3], duration="P1W")
    assert "tight_cast" not in _flags(calf, duration="P3M")


def test_a_sudden_pain_in_narrowed_arteries_within_hours_is_the_blocked_one() -> None:
    leg = ["condition:atherosclerosis", "onset:sudden", "symptom:pain"]
    assert "acute_limb_ischemia" in _flags(leg, duration="PT30M")
    assert "acute_limb_ischemia" not in _flags(leg, duration="P3M")
    walking = [*leg, "trigger:walking"]
    assert "acute_limb_ischemia" not in _flags(walking, duration="PT1H")


def test_both_legs_weak_within_the_day_is_rapid_weakness_unless_passing() -> None:
    legs = ["symptom:weakness", "body_part:whole_leg", "side:both"]
    assert "rapid_weakness" in _flags(legs, duration="PT10H")
    assert "rapid_weakness" not in _flags([*legs, "course:improving"], duration="PT10H")
    assert "rapid_weakness" not in _flags([*legs, "onset:gradual"], duration="PT10H")


def test_legs_that_would_not_move_after_sitting_folded_a_while_are_no_red_flag() -> (
    None
):
    folded = [
        "symptom:paralysis",
        "body_part:whole_leg",
        "side:both",
        "trigger:crossed_legs",
    ]
    assert "rapid_weakness" not in _flags(folded, duration="PT30M")
    assert "rapid_weakness" in _flags(folded, duration="PT20H")
    assert "rapid_weakness" in _flags(
        ["symptom:paralysis", "body_part:whole_leg", "trigger:sitting"],
        duration="PT30M",
    )


def test_legs_weakened_by_the_cold_and_warming_up_are_no_new_weakness() -> None:
    thawing = [
        "symptom:weakness",
        "sensation:numbness",
        "body_part:foot",
        "side:both",
        "course:improving",
    ]
    assert assess(findings([*thawing, "trigger:cold"])).urgency != "urgent"
    assert assess(findings(thawing)).urgency == "urgent"


@pytest.mark.parametrize(
    "trigger, cause",
    [
        # toes numb on every run: squeezed in the shoe or on the pedal
        ("trigger:sport", "positional_compression"),
        # toes numb in spells with the cold: the tone of the vessels
        ("trigger:cold", "vegetative_vascular_dystonia"),
    ],
)
def test_toes_numb_in_spells_with_a_trigger_rank_its_cause_among_the_first(
    trigger: str, cause: str
) -> None:
    spell = ["body_part:toes", "sensation:numbness", "onset:intermittent"]
    assert cause in [r.id for r in rank_causes(findings([*spell, trigger]))][:3]
    assert cause not in [r.id for r in rank_causes(findings(spell))][:3]


def test_a_numb_patch_after_a_leg_operation_ranks_a_nerve_hurt_in_the_wound() -> None:
    patch = ["condition:leg_surgery", "body_part:knee", "sensation:numbness"]
    ranked = [r.id for r in rank_causes(findings(patch))]
    assert "peripheral_nerve_injury" in ranked[:3], ranked[:5]
    elsewhere = [r.id for r in rank_causes(findings(patch[1:]))]
    assert ranked.index("peripheral_nerve_injury") < elsewhere.index(
        "peripheral_nerve_injury"
    )


def test_legs_lain_on_while_out_cold_rank_compartment_syndrome_first() -> None:
    story = ["trigger:sitting", "symptom:paralysis", "symptom:swelling", "side:both"]
    out_cold = [r.id for r in rank_causes(findings([*story, "trigger:long_pressure"]))]
    assert out_cold[0] == "compartment_syndrome", out_cold[:3]
    awake = [r.id for r in rank_causes(findings(story))]
    assert awake[0] != "compartment_syndrome", awake[:3]


def test_a_swollen_numb_leg_lain_on_while_out_cold_is_the_compartment_flag() -> None:
    told = ["trigger:long_pressure", "symptom:swelling", "sensation:numbness"]
    assert [f.id for f in assess(findings(told)).red_flags] == ["tight_cast"]
    healed = [*told, "course:improving"]
    assert "tight_cast" not in [f.id for f in assess(findings(healed)).red_flags]


def test_spells_that_come_more_often_are_a_visit_to_book_not_a_quick_worsening() -> (
    None
):
    spells = ["body_part:foot", "sensation:numbness", "onset:intermittent"]
    more_often = assess(findings([*spells, "course:worsening"]))
    assert more_often.urgency == "routine", more_often.urgency_reason
    steady = assess(
        findings(["body_part:foot", "sensation:numbness", "course:worsening"])
    )
    assert steady.urgency == "urgent", steady.urgency_reason


def test_short_breath_with_both_legs_gone_numb_is_the_breathing_flag() -> None:
    told = ["symptom:breathing_difficulty", "body_part:whole_leg", "side:both"]
    flags = assess(findings([*told, "sensation:numbness"])).red_flags
    assert "breathing_weakness" in [f.id for f in flags]
    spells = [*told, "sensation:numbness", "onset:intermittent"]
    assert "breathing_weakness" not in [
        f.id for f in assess(findings(spells)).red_flags
    ]


def test_toes_gone_black_while_the_leg_swells_are_tissue_dying_now() -> None:
    told = ["symptom:skin_ulcer", "symptom:swelling", "body_part:toes"]
    assert "acute_limb_ischemia" in [f.id for f in assess(findings(told)).red_flags]
    old = [*told, "duration:months"]
    assert "acute_limb_ischemia" not in [f.id for f in assess(findings(old)).red_flags]


def test_a_numbness_of_the_feet_that_has_reached_the_hands_within_weeks_is_urgent() -> (
    None
):
    told = ["body_part:foot", "sensation:tingling", "onset:gradual", "course:worsening"]
    reached = assess(findings([*told, "body_part:hand", "duration:weeks"]))
    assert reached.urgency == "urgent", reached.urgency_reason
    feet_only = assess(findings([*told, "duration:weeks"]))
    assert feet_only.urgency != "urgent", feet_only.urgency_reason


def test_a_numbness_from_the_waist_down_spreading_to_both_legs_is_a_cord_failing() -> (
    None
):
    told = ["body_part:trunk", "course:spreading", "side:both", "sensation:numbness"]
    assert "rapid_weakness" in [f.id for f in assess(findings(told)).red_flags]
    slow = [*told, "duration:months"]
    assert "rapid_weakness" not in [f.id for f in assess(findings(slow)).red_flags]


def test_a_weakness_still_getting_worse_is_urgent_however_long_it_has_lasted() -> None:
    growing = ["symptom:weakness", "body_part:whole_leg", "course:worsening"]
    for length in ("duration:months", "duration:years"):
        told = assess(findings([*growing, length]))
        assert told.urgency == "urgent", told.urgency_reason
    for told_as in ("onset:intermittent", "onset:gradual"):
        spells = assess(findings([*growing, "duration:years", told_as]))
        assert spells.urgency != "urgent", spells.urgency_reason
    steady = assess(findings([*growing[:2], "duration:years"]))
    assert steady.urgency != "urgent", steady.urgency_reason


def test_a_fever_with_a_bad_back_and_numb_legs_is_the_spines_infection() -> None:
    told = ["symptom:fever", "sensation:loss_of_sensation", "body_part:toes"]
    assert "fever_back_pain" in _flags([*told, "condition:spine_disease"])
    assert "fever_back_pain" not in _flags(told)


def test_a_limb_gone_cold_suddenly_in_the_cold_is_no_blockage_unless_pale() -> None:
    cold = ["symptom:cold_limb", "onset:sudden", "body_part:toes", "trigger:cold"]
    assert "acute_limb_ischemia" not in _flags(cold)
    sore = [*cold, "symptom:pale_or_blue_skin", "symptom:pain"]
    assert "acute_limb_ischemia" in _flags(sore)
