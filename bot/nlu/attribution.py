"""Attribution stage: mentions become findings, and only attributed ones facts.

Why: a red-flag rule is a conjunction of facts, so a word that is not a fact
about today's symptom must not become one. Within a clause, a symptom is
attached to the body words, sides and casts said with it; a body word used as a
measure is no site; a cast word is a fact only with a symptom under it; an arm,
hand or face with no symptom of its own is only a `possible` cue; facts said
about the past or a hypothetical are not present. The rules are data
(attribution.yml), validated at load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import AbstractSet, Dict, List, Sequence, Set, Tuple

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from actions.cause_schema import duration_days
from actions.cause_table import get_cause_table, parse_fact
from bot.nlu.casts import CastTiers
from bot.nlu.clauses import Clause, clause_of_char
from bot.nlu.context import GUESSED, HYPOTHETICAL, NOW, OTHER, PAST, MentionContext
from bot.nlu.findings import HYPOTHETICAL as HYPOTHETICAL_ROLE
from bot.nlu.findings import PAST as PAST_ROLE
from bot.nlu.findings import POSSIBLE, Finding, Item, is_live
from bot.nlu.limb_injury import LimbInjury
from bot.nlu.mentions import followed_by
from bot.nlu.rule_files import (
    Phrases,
    ends_with,
    phrases_of,
    project_rules,
    read_rules,
    rule,
    rule_list,
    says,
    texts_of,
    words_of,
)

#: A sentence end between two mentions.
SENTENCE_END = re.compile(r"[.!?]")
ATTRIBUTION_PATH = Path(__file__).with_name("attribution.yml")
_MEASURES, _OTHER_SIDE, _PASSING, _CASTS = "measures", "other_side", "passing", "casts"
_BOTH_SIDES = "both_sides"
_SIDE_ONLY = "side_only"
_EVENT_SIDES = "event_sides"
_NEWER = "newer_complaint"
#: (value, words, window): a body word within `window` tokens of `words` is an object.
#: (value, words, window, unless): `unless` words inside the mention keep it.
Objects = Tuple[Tuple[str, frozenset, int, frozenset], ...]
#: (phrases, facts): each phrase names all the facts at once.
#: (phrases, facts, needs, not_after, possible, not_then): with `needs`, one of
#: those facts must be told in the phrase's clause; a word of `not_after` within
#: three words before it, or one of its phrases right before it (a posture: "lie
#: on my right side", "hours on my left side") makes it no body side; `possible`:
#: the facts are only possible (a numb groin may be the saddle area); a word of
#: `not_then` right after it names the place the phrase was said of ("numb all
#: over my foot").
Implied = Tuple[
    Tuple[Tuple[str, ...], Tuple[str, ...], frozenset, Phrases, bool, frozenset], ...
]
#: (value, after, makes): a landing word after a fall.
Landing = Tuple[Tuple[str, str, str], ...]
#: (value, sites, makes): a symptom told only of these sites is a local one.
Narrowed = Tuple[Tuple[str, frozenset, str], ...]


def _objects(rules: List[Dict]) -> Objects:
    return tuple(
        (
            str(r["value"]),
            words_of(r["words"]),
            int(r.get("window", 3)),
            words_of(r.get("unless") or []),
        )
        for r in rules
    )


#: Possessives a phrase written with "my" is also told with ("half her body").
POSSESSIVES = ("his", "her", "their", "your")


def with_possessives(phrases: Tuple[str, ...]) -> Tuple[str, ...]:
    """`phrases` and each one's forms with "my" told of someone else: a site
    names the same part whoever's story it is ("one side of her body")."""
    out = list(phrases)
    for phrase in phrases:
        words = phrase.split()
        if "my" in words:
            out += [
                " ".join(other if w == "my" else w for w in words)
                for other in POSSESSIVES
            ]
    return tuple(dict.fromkeys(out))


def _implied(rules: List[Dict]) -> Implied:
    """Each fact must read "entity:value": a bad one would name no fact at all."""
    for entry in rules:
        for fact in entry["facts"]:
            if ":" not in str(fact):
                raise ValueError(f"bad fact {fact!r}")
    return tuple(
        (
            with_possessives(texts_of(r.get("phrases"))),
            tuple(r["facts"]),
            frozenset(r.get("needs") or []),
            phrases_of(r.get("not_after") or []),
            bool(r.get("possible", False)),
            frozenset(str(w).lower() for w in r.get("not_then") or []),
        )
        for r in rules
    )


def _landing(rules: List[Dict]) -> Landing:
    return tuple((r["value"], r["after"], r["makes"]) for r in rules)


#: A time told from a day word is a date ("this morning she woke up crying").
_DAY_WORDS = (
    "yesterday",
    "last night",
    "overnight",
    "this morning",
    "this afternoon",
    "this evening",
    "today",
    "tonight",
)


def told_as_length(text: str, item: Item) -> bool:
    """A duration told as how long something lasted, not as a date."""
    if text[item.char_start : item.char_end].lower().startswith(_DAY_WORDS):
        return False
    before = text[: item.char_start].lower().split()[-2:]
    after = text[item.char_end :].lower().split()[:1]
    return "since" not in before and not set(after) & {"ago", "back", "since", "before"}


def _after_count(doc: Doc, start: int, words: frozenset) -> bool:
    """The token before `start` is a number in digits ("15 feet") or one of the
    count `words` ("several feet")."""
    if start <= 0:
        return False
    before = doc[start - 1]
    return before.text[:1].isdigit() or before.lower_ in words


#: Entities a bare list of body words may hold: its sites, sides and surfaces
#: and the onset or date of the time phrase that opens it.
_LIST_ENTITIES = frozenset({"body_part", "side", "surface", "onset", "duration"})


def _without_past_mentions(text: str, findings: List[Finding]) -> str:
    """`text` with the mentions told of the past or as a maybe blanked out.

    Why: a ride is a spell's cause only when it is today's; "a cycling crash 8
    months ago" names a bike, not a ride that numbed the saddle area.
    """
    chars = list(text)
    for finding in findings:
        for item in finding.items:
            if item.role in (PAST_ROLE, HYPOTHETICAL_ROLE) and not item.dropped:
                chars[item.char_start : item.char_end] = " " * (
                    item.char_end - item.char_start
                )
    return "".join(chars)


def _guessed_before(text: str, start: int, guesses: Sequence[str]) -> bool:
    """A guess word stands before `start` in its clause ("she thinks theyre just
    asleep"): what follows is the teller's guess, not what was seen."""
    return says(re.split(r"[.,;!?]", text[:start].lower())[-1], guesses)


def _told_as_reason(text: str, phrases: Sequence[str], guesses: Sequence[str]) -> bool:
    """True when one of `phrases` stands in `text` with no guess before it in
    its clause ("went numb from leaning on it", not "figured id leaned on it").

    Why: what the teller took it for at first explains nothing once the story
    goes on past it.
    """
    lowered = text.lower()
    padded = " " + lowered
    for phrase in phrases:
        if " " + phrase not in padded:
            continue
        for match in re.finditer(r"(?<![a-z'])" + re.escape(phrase), lowered):
            if not _guessed_before(lowered, match.start(), guesses):
                return True
    return False


def _likened_before(
    before: str, likened: Sequence[str], frame: frozenset, most: int = 7
) -> bool:
    """True when `before` ends with a likeness word, passing over up to `most`
    trailing words of `frame` one at a time.

    Why: a likeness may name the part and its verb before the word it likens
    ("like my body is getting paralysed"); the likeness word stands before them.
    A frame word may also end the likeness itself ("sort of paralysed").
    """
    words = before.rstrip().split()
    for _ in range(most + 1):
        if ends_with(" ".join(words), likened):
            return True
        if not words or words[-1].lower() not in frame:
            return False
        words.pop()
    return False


def _telling_sentences(text: str, items: Sequence[Item]) -> str:
    """The sentences of `text` that tell something read as an item, joined.

    Why: a word of the whole story ("we've rung the office a couple of times")
    says nothing of a symptom when its sentence tells none.
    """
    kept, start = [], 0
    for end in [m.end() for m in SENTENCE_END.finditer(text)] + [len(text)]:
        if any(start <= i.char_start < end for i in items):
            kept.append(text[start:end])
        start = end
    return " ".join(kept)


def _narrowed(rules: List[Dict]) -> Narrowed:
    """Each value and `makes` must read "entity:value": a bad one names no fact."""
    for entry in rules:
        for fact in (entry["value"], entry["makes"]):
            if ":" not in str(fact):
                raise ValueError(f"bad fact {fact!r}")
    return tuple(
        (str(r["value"]), words_of(r["sites"]), str(r["makes"])) for r in rules
    )


@dataclass(frozen=True)
class AttributionRules:
    """attribution.yml, parsed and checked."""

    symptom_entities: frozenset = rule()
    list_words: frozenset = rule()
    #: words of a time phrase that may open such a list ("the next day my face
    #: and my right leg went numb")
    list_time_words: frozenset = rule()
    pointers: frozenset = rule()
    objects: Objects = rule_list(
        allowed=("value", "words", "window", "unless"),
        required=("value", "words"),
        convert=_objects,
    )
    measure_before: Phrases = rule("before", _MEASURES)
    measure_after: frozenset = rule("after", _MEASURES)
    measure_window: int = rule("window", _MEASURES, default=4)
    measure_parts: frozenset = rule("body_parts", _MEASURES)
    measure_units: frozenset = rule("units", _MEASURES)
    measure_counts: frozenset = rule("count_words", _MEASURES)
    unattached_cues: frozenset = rule()
    explained_signs: frozenset = rule()
    limb_cue_parts: frozenset = rule("parts", "limb_cue_symptoms")
    limb_cue_symptoms: frozenset = rule("symptoms", "limb_cue_symptoms")
    buttock_cheeks: frozenset = rule()
    both_sides_cues: frozenset = rule("cues", _BOTH_SIDES)
    both_sides_limbs: frozenset = rule("plural_limbs", _BOTH_SIDES)
    both_sides_facts: frozenset = rule("facts", _BOTH_SIDES)
    one_side_facts: frozenset = rule("one_side", _BOTH_SIDES)
    cue_symptoms: frozenset = rule()
    same_as_before: Tuple[str, ...] = rule()
    local_causes: Tuple[str, ...] = rule()
    local_cause_guesses: Tuple[str, ...] = rule()
    other_side_limbs: frozenset = rule("limbs", _OTHER_SIDE)
    plural_legs: frozenset = rule("plural_legs", _OTHER_SIDE)
    passing_values: frozenset = rule("values", _PASSING)
    passing_words: Tuple[str, ...] = rule("words", _PASSING)
    passing_spell_words: Tuple[str, ...] = rule("spell_words", _PASSING)
    passing_sensation_words: Tuple[str, ...] = rule("sensation_words", _PASSING)
    passing_after: Tuple[str, ...] = rule("after", _PASSING)
    passing_facts: frozenset = rule("facts", _PASSING)
    passing_unless: frozenset = rule("unless", _PASSING)
    passing_owners: frozenset = rule("owners", _PASSING)
    passing_likened: Tuple[str, ...] = rule("likened", _PASSING)
    passing_likened_frame: frozenset = rule("likened_frame", _PASSING)
    cast_value: str = rule("value", _CASTS, default="trigger:cast")
    cast_hard: frozenset = rule("hard", _CASTS)
    cast_soft: frozenset = rule("soft", _CASTS)
    cast_symptoms: frozenset = rule("symptoms", _CASTS)
    cast_tight: Tuple[str, ...] = rule("tight_words", _CASTS)
    cast_names: Tuple[str, ...] = rule("names", _CASTS)
    cast_removed: Tuple[str, ...] = rule("removed", _CASTS)
    cast_removable: Tuple[str, ...] = rule("removable", _CASTS)
    cast_again: Tuple[str, ...] = rule("again", _CASTS)
    implied: Implied = rule_list(
        allowed=("phrases", "facts", "needs", "not_after", "possible", "not_then"),
        required=("facts",),
        convert=_implied,
    )
    landing: Landing = rule_list(
        allowed=("value", "after", "makes"),
        required=("value", "after", "makes"),
        convert=_landing,
    )
    narrowed: Narrowed = rule_list(
        allowed=("value", "sites", "makes"),
        required=("value", "sites", "makes"),
        convert=_narrowed,
    )
    past_entities: frozenset = rule()
    past_values: frozenset = rule()
    hypothetical_values: frozenset = rule()
    guessed_values: frozenset = rule()
    side_only_value: str = rule("value", _SIDE_ONLY, default="body_part:whole_leg")
    side_only_unless: Tuple[str, ...] = rule("unless", _SIDE_ONLY)
    event_side_facts: frozenset = rule("events", _EVENT_SIDES)
    event_side_pains: frozenset = rule("pains", _EVENT_SIDES)
    older_complaints: frozenset = rule("older", _NEWER)
    newer_deficits: frozenset = rule("new", _NEWER)


def load_attribution_rules(path: Path = ATTRIBUTION_PATH) -> AttributionRules:
    """Read attribution.yml; unknown keys fail naming file, rule and key."""
    return read_rules(AttributionRules, path)


def red_flag_facts() -> frozenset:
    """Every fact a red-flag rule of the cause table names."""
    facts: Set[str] = set()
    for flag in get_cause_table().red_flags:
        for clause in flag.when:
            facts.update(clause.all_of, clause.any_of)
    return frozenset(facts)


class Attributor:
    """Builds findings from the items of one message; build once per process."""

    def __init__(self, nlp: Language, rules: AttributionRules | None = None) -> None:
        self.rules = rules or project_rules(AttributionRules, ATTRIBUTION_PATH)
        self.casts = CastTiers(self.rules)
        self.limb_injury = LimbInjury()
        self.red_flag_facts = red_flag_facts()
        self.implied_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for index, (phrases, *_rest) in enumerate(self.rules.implied):
            self.implied_matcher.add(
                f"implied{index}", [nlp.make_doc(p) for p in phrases]
            )
        self.name_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        names = [nlp.make_doc(n) for n in self.rules.cast_names]
        if names:
            self.name_matcher.add("cast_name", names)

    # ----------------------------------------------------------- before context
    def add_implied(
        self, doc: Doc, items: List[Item], clauses: Sequence[Clause] = ()
    ) -> None:
        """Facts a phrase names at once ("half my body": an arm and a leg, one side).

        A phrase inside a longer one that is told for sure names nothing of its
        own: "half of my body" inside "the lower half of my body" is no arm and
        no side (one inside a possible phrase still counts, see below).
        """
        matches = [
            (int(doc.vocab.strings[match_id][len("implied") :]), start, end)
            for match_id, start, end in self.implied_matcher(doc)
        ]
        sure = [(s, e) for i, s, e in matches if not self.rules.implied[i][4]]
        for index, start, end in matches:
            if any(s <= start and end <= e and e - s > end - start for s, e in sure):
                continue
            span = doc[start:end]
            _, facts, needs, not_after, possible, not_then = self.rules.implied[index]
            if needs and not _told_in_clause(clauses, items, needs, span.start_char):
                continue
            if _posture_before(doc, start, not_after):
                continue
            if followed_by(doc, end - 1, not_then):
                continue
            for fact in facts:
                entity, value = parse_fact(fact)
                told = [
                    i
                    for i in items
                    if i.key == fact
                    and i.char_start < span.end_char
                    and span.start_char < i.char_end
                ]
                if told:
                    # a phrase inside a possible one, with its own needs told
                    # ("spread down my left side and into my leg"): definite
                    for i in told:
                        if not possible and i.role == POSSIBLE:
                            i.role = None
                    continue
                item = Item(entity, value, span.start_char, span.end_char, start, end)
                item.role = POSSIBLE if possible else None
                items.append(item)

    def drop_measures_and_names(self, doc: Doc, items: List[Item]) -> None:
        """A body word used as a size, a cast word inside a name, or a cheek in a
        story of the buttock, is no fact."""
        rules = self.rules
        names = [
            (doc[s:e].start_char, doc[s:e].end_char)
            for _, s, e in self.name_matcher(doc)
        ]
        buttock = any(i.key == "body_part:buttock" for i in items)
        # "about a buzzing in my feet": a symptom between the size word and the
        # body word makes the body word its site, not a measure
        felt = {
            k
            for i in items
            if i.entity in ("sensation", "symptom") and i.token_start >= 0
            for k in range(i.token_start, i.token_end)
        }
        for item in items:
            if item.key == rules.cast_value and any(
                s <= item.char_start and item.char_end <= e for s, e in names
            ):
                item.dropped = True
            if (
                buttock
                and item.key == "body_part:face"
                and doc.text[item.char_start : item.char_end].lower()
                in rules.buttock_cheeks
            ):
                item.dropped = True  # "landed on my bum cheek ... that cheek is numb"
            if item.token_start >= 0 and self._has_object(doc, item):
                item.dropped = True
            if item.entity != "body_part" or item.token_start < 0:
                continue
            start = item.token_start
            if item.value in rules.measure_units and _after_count(
                doc, start, rules.measure_counts
            ):
                item.dropped = True
            if item.value not in rules.measure_parts:
                continue
            if self._is_measure(doc, item.token_start, item.token_end, felt):
                item.dropped = True

    def _has_object(self, doc: Doc, item: Item) -> bool:
        for value, words, window, unless in self.rules.objects:
            if item.key != value:
                continue
            if any(t.lower_ in unless for t in doc[item.token_start : item.token_end]):
                continue
            for token in doc[item.token_end : item.token_end + window]:
                if token.lower_ in (",", ".", "but", "and", ";", "!", "?"):
                    break
                if token.lower_ in words:
                    return True
        return False

    def _is_measure(
        self, doc: Doc, start: int, end: int, felt: AbstractSet[int] = frozenset()
    ) -> bool:
        rules = self.rules
        after = end
        while after < len(doc) and doc[after].text in ("-", "–"):
            after += 1
        if after < len(doc) and doc[after].lower_ in rules.measure_after:
            return True
        lo = max(0, start - rules.measure_window - 3)
        before = [t.lower_ for t in doc[lo:start]]
        for phrase in rules.measure_before:
            n = len(phrase)
            for i in range(len(before) - n + 1):
                if (
                    tuple(before[i : i + n]) == phrase
                    and len(before) - (i + n) <= rules.measure_window
                    and not any(k in felt for k in range(lo + i + n, start))
                ):
                    return True
        return False

    # ------------------------------------------------------------ findings
    def build(
        self,
        doc: Doc,
        clauses: Sequence[Clause],
        items: List[Item],
        contexts: Dict[int, MentionContext],
        negation_clauses: AbstractSet[int] = frozenset(),
    ) -> List[Finding]:
        """Group items into findings, then apply the context and the cue rules.

        `negation_clauses`: clauses holding a negation cue. A red-flag fact
        negated from outside its own clause is a negation that may not reach:
        `possible` (the check question), not absent.
        """
        if not clauses:
            return []
        by_clause: Dict[int, List[int]] = {}
        for index, item in enumerate(items):
            if item.dropped:
                continue
            clause = clause_of_char(list(clauses), item.char_start)
            by_clause.setdefault(clause, []).append(index)
            if (
                item.negated
                and item.key in self.red_flag_facts
                and clause not in negation_clauses
            ):
                item.negated = False
                item.role = POSSIBLE
        owner, pointed = self._attach(doc, clauses, items, by_clause)
        findings: Dict[int, Finding] = {}
        text = doc.text  # built anew on each access: read it once
        for clause_index, item_indexes in sorted(by_clause.items()):
            target = owner[clause_index]
            if target not in findings:
                span = clauses[target]
                # a clause pointed back to ("my right hand and that gave way") is
                # read with the clause that points to it: the text spans both
                start = clauses[pointed.get(target, target)].char_start
                findings[target] = Finding(
                    group=0, text=text[start : span.char_end].strip()
                )
            for index in item_indexes:
                findings[target].items.append(items[index])
        ordered = [findings[k] for k in sorted(findings)]
        positions = {id(item): pos for pos, item in enumerate(items)}
        for group, finding in enumerate(ordered):
            finding.group = group
            for item in finding.items:
                item.group = group
            self._set_context(finding, contexts, positions)
            self._landing(finding, items)
            self._narrow(finding)
        self._likened(text, ordered)
        self._passing(text, ordered)
        self._other_side(doc, ordered)
        self._event_sides(ordered)
        self._side_only(text, ordered)
        removed = self.casts.removed(doc, ordered)
        for finding in ordered:
            self.casts.tier(doc, finding, ordered, removed)
            self._both_sides(finding)
            self._unattached(finding)
        return ordered

    def _event_sides(self, findings: List[Finding]) -> None:
        """Drop the side of an operation, an injury or a pain told with no leg
        symptom of its own when the symptoms name their own side.

        Why: "had surgery on my LEFT knee ... my RIGHT leg has a numb thigh" read
        both sides as the legs' and made both legs without feeling a red flag;
        "a sharp stab on the left side of my head, then my right hand and right
        leg went numb" is a head's side, not the legs' (one side, not both).
        """
        symptoms = self.rules.symptom_entities
        events = [f for f in findings if self._is_event(f)]
        event_ids = {id(f) for f in events}
        symptom_sides = {
            str(i.value)
            for f in findings
            if id(f) not in event_ids
            and any(is_live(i) and i.entity in symptoms for i in f.items)
            for i in f.items
            if is_live(i) and i.entity == "side"
        }
        if not symptom_sides:
            return
        for finding in events:
            for item in finding.items:
                if (
                    is_live(item)
                    and item.entity == "side"
                    and str(item.value) not in symptom_sides
                ):
                    item.dropped = True

    def _is_event(self, finding: Finding) -> bool:
        """An event told with no symptom (an operation, a posture), or a pain
        told of no site of the vocabulary (the head, the chest)."""
        items = [i for i in finding.items if is_live(i)]
        told = [i for i in items if i.entity in self.rules.symptom_entities]
        if not told:
            return any(i.key in self.rules.event_side_facts for i in items)
        return not any(i.entity == "body_part" for i in items) and all(
            i.key in self.rules.event_side_pains for i in told
        )

    def drop_stray_durations(
        self, text: str, findings: List[Finding], events: AbstractSet[str] = frozenset()
    ) -> None:
        """Drop a length of time told in a finding with no symptom when a finding
        with a symptom has a duration of its own, and a date there older than that
        duration unless it dates a condition.

        Why: "foggy and tired for about two weeks ... since yesterday his left arm
        feels heavy" dated the arm two weeks old, and an arm and leg on one side
        for weeks is no stroke coming on now; "some days stands 3-4 hours straight
        ... his legs have ached for years" is how long he stands, not how long
        the legs have ached. A length ("for about two weeks", "3-4 hours
        straight") is dropped; a date ("discharged 2 weeks ago", "since monday")
        only when it is older than the symptom's own start ("came home two days
        ago ... tonight his leg started hurting"), never when it dates a condition
        ("3 years since my stroke"). Any length or date told with one of `events`
        stays ("fallen several times in the last couple of years" is how long ago
        the falls were).
        """
        symptoms = self.rules.symptom_entities

        def live(finding: Finding) -> List[Item]:
            return [i for i in finding.items if is_live(i)]

        own = [
            duration_days(str(i.value))
            for f in findings
            if any(i.entity in symptoms for i in live(f))
            for i in live(f)
            if i.entity == "duration"
        ]
        if not own:
            return
        latest = min((d for d in own if d is not None), default=None)
        for finding in findings:
            if any(i.entity in symptoms or i.key in events for i in finding.items):
                continue
            items = live(finding)
            # ... and a date of the story older than the symptom's own start
            # ("came home two days ago ... tonight his leg started hurting"),
            # unless it dates a condition ("3 years since my stroke")
            dates_condition = any(i.entity == "condition" for i in items)
            for item in items:
                if item.entity != "duration":
                    continue
                days = duration_days(str(item.value))
                older = (
                    latest is not None
                    and days is not None
                    and days > latest
                    and not dates_condition
                )
                if told_as_length(text, item) or older:
                    item.dropped = True

    def _side_only(self, text: str, findings: List[Finding]) -> None:
        """A leg word in a message with no sensation or symptom names a side.

        Why: "both legs, it came on suddenly" answers which side; read as the
        whole leg it would join a loss of feeling told of the buttock turns
        before into the whole legs gone numb (a red flag).
        """
        live = [i for f in findings for i in f.items if not i.dropped]
        if any(i.entity in self.rules.symptom_entities for i in live):
            return
        if says(text, self.rules.side_only_unless):
            return
        for item in live:
            if item.key == self.rules.side_only_value:
                item.dropped = True

    def _narrow(self, finding: Finding) -> None:
        """A symptom told only of small sites is a local one (a toe that won't move)."""
        sites = set(finding.values("body_part"))
        if not sites:
            return
        for value, allowed, makes in self.rules.narrowed:
            if not sites <= allowed:
                continue
            entity, new_value = parse_fact(makes)
            for item in finding.items:
                if item.key == value and not item.dropped:
                    item.entity, item.value = entity, new_value

    def _likened(self, text: str, findings: List[Finding]) -> None:
        """A paralysis told as a likeness ("numb like it's paralysed") is `possible`.

        Why: in the dev stories every one was a numb or asleep limb described,
        never legs that would not move; the check question asks which it is.
        """
        rules = self.rules
        for finding in findings:
            for item in finding.items:
                if (
                    item.key in rules.passing_values
                    and item.role is None
                    and not item.dropped
                    and item.entity == "symptom"
                    and _likened_before(
                        text[max(0, item.char_start - 64) : item.char_start],
                        rules.passing_likened,
                        rules.passing_likened_frame,
                    )
                ):
                    item.role = POSSIBLE

    def _passing(self, text: str, findings: List[Finding]) -> None:
        """A paralysis the message says passed at once is `possible`, not a fact.

        Not after an injury told in the same sentence or, unless it is a limb's
        (limb_injury.py), in the one just before ("my neck got squashed. for a
        bit i couldn't move anything"): a paralysis that passed after a blow or
        a dive is still a spinal injury to keep still (`unless`).
        """
        rules = self.rules
        live = [i for f in findings for i in f.items if not i.dropped and not i.negated]
        targets = [i for i in live if i.key in rules.passing_values and i.role is None]
        if not targets:
            return
        start = min(i.char_start for i in targets)
        end = max(i.char_end for i in targets)
        limbs = self.limb_injury.limb_injuries(text, findings)

        def close(item: Item) -> bool:
            between = text[min(item.char_end, start) : max(item.char_start, end)]
            ends = len(SENTENCE_END.findall(between))
            if ends == 1 and item.char_end <= start:
                return not any(item is limb for limb in limbs)
            return ends == 0

        if any(
            i.key in rules.passing_unless and i.role is None and close(i) for i in live
        ):
            return
        after = text[min(i.char_end for i in targets) :]
        passed = (
            self._passing_fact(findings, targets)
            or says(_without_past_mentions(text, findings), rules.passing_words)
            or says(_telling_sentences(text, live), rules.passing_spell_words)
            or any(
                says(text[i.char_start : i.char_end], rules.passing_sensation_words)
                and not _guessed_before(text, i.char_start, rules.local_cause_guesses)
                for i in live
                if i.entity == "sensation"
            )
            or says(after, rules.passing_after)
        )
        if passed:
            for item in targets:
                item.role = POSSIBLE

    def _passing_fact(self, findings: List[Finding], targets: List[Item]) -> bool:
        """A fact that it passed, comes in spells or eases, told of the paralysis:
        in its own finding or in one that names no symptom ("once a day it
        stops me dead"); "he gets sore legs walking sometimes" is another story,
        and so is the flare of a condition with spells of its own (`owners`:
        "sciatica flared again this week")."""
        rules = self.rules
        for finding in findings:
            facts = [
                i
                for i in finding.items
                if i.key in rules.passing_facts
                and i.role is None
                and not i.dropped
                and not i.negated
            ]
            if not facts:
                continue
            own = any(t is i for t in targets for i in finding.items)
            symptomless = not any(
                (i.entity in rules.symptom_entities or i.key in rules.passing_owners)
                and not i.dropped
                and i.key not in rules.passing_values
                for i in finding.items
            )
            if own or symptomless:
                return True
        return False

    def _other_side(self, doc: Doc, findings: List[Finding]) -> None:
        """Drop an arm or hand (and its side) told on the other side from the legs.

        Legs told only as a plural ("his legs gave way") are only possibly both:
        a hand on one side then stays a `possible` stroke cue (its check
        question), never dropped unasked.
        """
        limbs = self.rules.other_side_limbs
        upper = limbs | self.rules.unattached_cues

        def is_leg(item: Item) -> bool:
            return item.entity == "body_part" and item.value not in upper

        leg_sides: Set[str] = set()
        plural_only = True
        for finding in findings:
            legs = [i for i in finding.items if is_live(i) and is_leg(i)]
            if not legs:
                continue
            told = {
                str(i.value) for i in finding.items if is_live(i) and i.entity == "side"
            }
            leg_sides.update(told)
            plural_only = plural_only and not told
            if any(
                doc[i.token_start : i.token_end].text.lower() in self.rules.plural_legs
                for i in legs
                if i.token_start >= 0
            ):
                leg_sides.add("both")
        if not leg_sides or "one" in leg_sides:
            return
        for finding in findings:
            items = [i for i in finding.items if is_live(i)]
            arms = [i for i in items if i.entity == "body_part" and i.value in limbs]
            if not arms or any(is_leg(i) for i in items):
                continue
            sides = [i for i in items if i.entity == "side"]
            own = {str(i.value) for i in sides}
            if own and own <= {"left", "right"} and not own & leg_sides:
                for item in arms + sides:
                    if plural_only:
                        item.role = POSSIBLE
                    else:
                        item.dropped = True

    def _attach(
        self,
        doc: Doc,
        clauses: Sequence[Clause],
        items: List[Item],
        by_clause: Dict[int, List[int]],
    ) -> Tuple[Dict[int, int], Dict[int, int]]:
        """Clause -> the clause it joins (itself unless a bare list of body words
        or pointed back to), and clause -> the clause before it that it points to."""
        has_symptom = {
            c: any(items[i].entity in self.rules.symptom_entities for i in idx)
            for c, idx in by_clause.items()
        }
        only_sites = {
            c: (
                all(items[i].entity in _LIST_ENTITIES for i in idx)
                and any(items[i].entity == "body_part" for i in idx)
                and self._bare_list(doc, clauses[c], [items[i] for i in idx])
            )
            or self._opens_with_site(doc, clauses[c], [items[i] for i in idx])
            for c, idx in by_clause.items()
        }
        owner = {}
        pointed: Dict[int, int] = {}
        for c in by_clause:
            owner[c] = c
            if has_symptom[c]:
                before = self._points_back(doc, clauses, items, by_clause, c)
                if before is not None:
                    owner[before] = c
                    pointed[c] = before
                continue
            if not only_sites[c]:
                continue
            sentence = clauses[c].sentence
            previous = [
                k
                for k in by_clause
                if k < c and has_symptom[k] and clauses[k].sentence == sentence
            ]
            following = [
                k
                for k in by_clause
                if k > c and has_symptom[k] and clauses[k].sentence == sentence
            ]
            if previous:
                owner[c] = max(previous)
            elif following:
                owner[c] = min(following)
        return owner, pointed

    def _points_back(
        self,
        doc: Doc,
        clauses: Sequence[Clause],
        items: List[Item],
        by_clause: Dict[int, List[int]],
        c: int,
    ) -> int | None:
        """The clause just before `c` whose body part "that" or "it" in `c` means
        (it joins `c`'s finding).

        Only a clause of the same sentence with a body part and no symptom of its
        own ("... with my right hand and that gave way too"), and only when `c`
        names no body part itself.
        """
        previous = c - 1
        if previous not in by_clause or any(
            items[i].entity == "body_part" for i in by_clause[c]
        ):
            return None
        if clauses[previous].sentence != clauses[c].sentence:
            return None
        before = [items[i] for i in by_clause[previous]]
        if not any(i.entity == "body_part" for i in before) or any(
            i.entity in self.rules.symptom_entities for i in before
        ):
            return None
        for token in doc[clauses[c].start : clauses[c].end]:
            if token.lower_ in self.rules.pointers:
                return previous
            if token.lower_ not in self.rules.list_words:
                return None
        return None

    def _bare_list(self, doc: Doc, clause: Clause, items: List[Item]) -> bool:
        """True when the clause is only body words and list words ("arm and leg")."""
        covered: Set[int] = set()
        for item in items:
            covered.update(range(item.token_start, item.token_end))
        return all(
            t.i in covered or self._list_word(t) for t in doc[clause.start : clause.end]
        )

    def _list_word(self, token: Token) -> bool:
        """A word a list of body words may hold besides them: "and", "my", or a
        word of the time phrase that opens it ("the next day", "this morning")."""
        return (
            token.lower_ in self.rules.list_words
            or token.lower_ in self.rules.list_time_words
            or token.is_space
        )

    def _opens_with_site(self, doc: Doc, clause: Clause, items: List[Item]) -> bool:
        """True when the clause opens with a body word ("..., and my right hand")."""
        starts = {i.token_start for i in items if i.entity == "body_part"}
        timed: Set[int] = set()
        for item in items:
            if item.entity in ("onset", "duration"):
                timed.update(range(item.token_start, item.token_end))
        for token in doc[clause.start : clause.end]:
            if token.i in starts:
                return True
            if token.i not in timed and not self._list_word(token):
                return False
        return False

    def _set_context(
        self,
        finding: Finding,
        contexts: Dict[int, MentionContext],
        positions: Dict[int, int],
    ) -> None:
        """The finding's time, experiencer and certainty from its mentions."""
        found = [
            contexts[positions[id(item)]]
            for item in finding.items
            if positions.get(id(item)) in contexts
        ]
        core = [
            contexts[positions[id(item)]]
            for item in finding.items
            if item.entity in self.rules.symptom_entities
            and positions.get(id(item)) in contexts
        ] or found
        times = [c.time for c in core]
        if times and all(t == HYPOTHETICAL for t in times):
            finding.time = HYPOTHETICAL
        elif times and all(t in (PAST, HYPOTHETICAL) for t in times):
            finding.time = PAST
        else:
            finding.time = NOW
        if any(c.experiencer == OTHER for c in core):
            finding.experiencer = OTHER
        if any(c.certainty != "definite" for c in core):
            finding.certainty = "uncertain"
        roles = {PAST: PAST_ROLE, HYPOTHETICAL: HYPOTHETICAL_ROLE}
        for item in finding.items:
            dated = (
                item.entity in self.rules.past_entities
                or item.key in self.rules.past_values
            )
            if item.negated or not (
                dated or item.key in self.rules.hypothetical_values
            ):
                continue
            own = contexts.get(positions.get(id(item), -1))
            if not dated:
                # a leg operation years ago still left its wound; one only
                # feared or planned is none
                if HYPOTHETICAL in (finding.time, own.time if own else NOW):
                    item.role = HYPOTHETICAL_ROLE
                continue
            if finding.time != NOW:
                item.role = roles[finding.time]
            elif own is not None and own.time != NOW:
                # "the pain got so sharp I nearly fell": the fall did not happen;
                # "lay there paralysed thinking I'm going to pee myself": a feared
                # symptom is none, whatever else its finding tells
                if (
                    item.entity not in self.rules.symptom_entities
                    or own.time == HYPOTHETICAL
                ):
                    item.role = roles[own.time]
        for item in finding.items:
            own = contexts.get(positions.get(id(item), -1))
            if (
                item.key in self.rules.guessed_values
                and own is not None
                and own.certainty == GUESSED
            ):
                item.dropped = True

    def _landing(self, finding: Finding, items: List[Item]) -> None:
        keys = {i.key for i in finding.items if not i.dropped and not i.negated}
        for value, after, makes in self.rules.landing:
            if after not in keys:
                continue
            for item in finding.items:
                if item.key == value and not item.negated and not item.dropped:
                    item.entity, item.value = parse_fact(makes)

    def _unattached(self, finding: Finding) -> None:
        """An arm, hand or face with no symptom of its own, or with a pressure on
        it as the symptom's reason, is only a possible stroke cue, and so is a
        face sign told with that reason ("the injection has numbed half my face")."""
        cues = [
            item
            for item in finding.items
            if item.entity == "body_part"
            and item.value in self.rules.unattached_cues
            and not item.negated
            and item.role is None
        ]
        if not cues:
            return
        limb_symptoms = (
            self.rules.limb_cue_symptoms
            if all(c.value in self.rules.limb_cue_parts for c in cues)
            else frozenset()
        )
        symptoms = any(
            (i.key in self.rules.cue_symptoms or i.key in limb_symptoms)
            and not i.negated
            and not i.dropped
            and i.role is None
            for i in finding.items
        )
        text = finding.text.lower()
        explained = _told_as_reason(
            text, self.rules.local_causes, self.rules.local_cause_guesses
        )
        if not explained and (symptoms or says(text, self.rules.same_as_before)):
            return
        signs = [
            i
            for i in finding.items
            if explained
            and i.key in self.rules.explained_signs
            and i.role is None
            and not i.negated
        ]
        for item in cues + signs:
            item.role = POSSIBLE

    def _both_sides(self, finding: Finding) -> None:
        """A face told with limbs of both sides and no one side ("tingling in
        both legs and my lips", "my hands and feet and even my face") is only a
        possible stroke cue: a stroke's numb face goes with one side."""
        live = [i for i in finding.items if i.role is None and not i.negated]
        keys = {i.key for i in live}
        if keys & self.rules.one_side_facts:
            return
        words = set(re.findall(r"[a-z]+", finding.text.lower()))
        both = keys & self.rules.both_sides_facts or words & self.rules.both_sides_limbs
        if not both:
            return
        for item in live:
            if item.entity == "body_part" and item.value in self.rules.both_sides_cues:
                item.role = POSSIBLE


def _posture_before(doc: Doc, start: int, not_after: Phrases) -> bool:
    """A posture told just before a body side: a posture verb within three
    words ("if i lie on my right side"), or a phrase right before it ("hours on
    my left side", "my weight on my right side")."""
    window = [t.lower_ for t in doc[max(0, start - 3) : start]]
    for phrase in not_after:
        if len(phrase) == 1 and phrase[0] in window:
            return True
        if len(phrase) > 1 and tuple(window[-len(phrase) :]) == phrase:
            return True
    return False


def _told_in_clause(
    clauses: Sequence[Clause], items: List[Item], needs: frozenset, char: int
) -> bool:
    """True when a live item of `needs` is told in the clause holding `char`
    ("her right side feels numb"; not "a pain in my right side and my feet are
    numb", where the numbness opens a clause of its own)."""
    ordered = list(clauses)
    if not ordered:
        return False
    clause = clause_of_char(ordered, char)
    return any(
        item.key in needs
        and not item.negated
        and not item.dropped
        and clause_of_char(ordered, item.char_start) == clause
        for item in items
    )
