"""Value rules: a matched value re-read from its neighbours (patterns.yml).

Why a stage of its own: after the vocabulary's phrases are matched, a few
values mean something else in context ("sores" is a skin sore, a bare "cold" of
a limb is the sign cold_limb, "like ants walking" is an image, "went away then
came back" comes and goes, a lone toilet word is no bladder trouble). Each rule
is data in patterns.yml; this stage only applies them, in the matching order.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Dict, FrozenSet, Iterator, List, NamedTuple, Set, Tuple

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.nlu.mentions import (
    SENTENCE_END,
    AddPhrases,
    Mention,
    clause_breaks,
    crosses,
    followed_by,
    make_mention,
    overlaps,
    phrase_at,
    sentence_ends_in,
)
from bot.nlu.normalise import normalise_word

TokenRange = Tuple[int, int]


def _followed_within(
    doc: Doc, leads: List[TokenRange], follows: List[TokenRange], window: int
) -> Iterator[Tuple[TokenRange, TokenRange]]:
    """Each (lead, follow) pair whose follow starts within `window` tokens after
    the lead ends, in the same sentence, leads in order."""
    for lead in leads:
        for follow in follows:
            if 0 <= follow[0] - lead[1] <= window and not sentence_ends_in(
                doc, lead[1], follow[0]
            ):
                yield lead, follow


class BareVerb(NamedTuple):
    """A subject and a bare verb that make `value` (patterns.yml bare_verbs)."""

    subjects: FrozenSet[str]
    fillers: FrozenSet[str]
    verbs: FrozenSet[str]
    ends: FrozenSet[str]
    value: str


class ValueRules:
    """Context rules over matched values; build once per matcher."""

    def __init__(self, nlp: Any, patterns: Dict[str, Any], add: AddPhrases) -> None:
        pats = patterns
        habitual = pats.get("habitual") or {}
        self.habitual_words = {normalise_word(w) for w in habitual.get("words") or []}
        self.habitual_value = habitual.get("value", "onset:intermittent")
        self.habitual_not_before = {
            normalise_word(w) for w in habitual.get("not_before") or []
        }
        self.habitual_links = {normalise_word(w) for w in habitual.get("links") or []}
        cold = pats.get("cold_rule") or {}
        self.cold_rule: Dict[str, Any] = (
            {
                "words": {normalise_word(w) for w in cold.get("words") or []},
                "feeling": {normalise_word(w) for w in cold.get("feeling_words") or []},
                "state": {normalise_word(w) for w in cold.get("state_words") or []},
                "touch": {normalise_word(w) for w in cold.get("touch_words") or []},
                "touching": {
                    normalise_word(w) for w in cold.get("touching_words") or []
                },
                "window": int(cold.get("window", 5)),
                "symptom": cold["symptom"],
            }
            if cold
            else {}
        )
        bare = pats.get("bare_red_flag_words") or {}
        self.bare_rule: Dict[str, Any] = (
            {
                "value": bare["value"],
                "words": {normalise_word(w) for w in bare.get("words") or []},
                "trouble": {normalise_word(w) for w in bare.get("trouble_words") or []},
                "before": {normalise_word(w) for w in bare.get("sensing_words") or []},
            }
            if bare
            else {}
        )
        wound = pats.get("wound_rule") or {}
        self.wound = wound
        self.wound_words = {normalise_word(w) for w in wound.get("wound_words") or []}
        self.sore_described = frozenset(wound.get("sore_described") or ())
        self.heal_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.heal_matcher, "heal", wound.get("not_healing") or [])
        sim = pats.get("similes") or {}
        self.similes = sim
        self.simile_subjects = {normalise_word(w) for w in sim.get("subjects") or []}
        self.simile_sayings = {normalise_word(w) for w in sim.get("sayings") or []}
        self.simile_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.simile_matcher, "cue", sim.get("cues") or [])
        add(self.simile_matcher, "feel", sim.get("feeling_cues") or [])
        self.simile_feeling_words = {
            normalise_word(w) for w in sim.get("feeling_words") or []
        }
        self.not_next_to = pats.get("not_next_to") or []
        #: per not_next_to rule, the words (or phrases) of whom a value is told
        #: ("she went white", "thought it was a sprain")
        self.after_words = [
            {
                tuple(normalise_word(w) for w in phrase.split())
                for phrase in rule.get("after_words") or []
            }
            for rule in self.not_next_to
        ]
        conditional = pats.get("conditional_course") or {}
        self.conditional_values = set(conditional.get("values") or [])
        self.conditional_then = {
            normalise_word(w) for w in conditional.get("then") or []
        }
        comparatives = pats.get("comparatives") or {}
        self.comparative_before = {
            normalise_word(w) for w in comparatives.get("before") or []
        }
        self.comparative_words = {
            normalise_word(w) for w in comparatives.get("words") or []
        }
        self.comparative_value = str(comparatives.get("value", "course:worsening"))
        self.comparative_after = [
            tuple(normalise_word(w) for w in phrase.split())
            for phrase in comparatives.get("after") or []
        ]
        turns = pats.get("sudden_turns") or {}
        self.turn_verbs = {normalise_word(w) for w in turns.get("verbs") or []}
        self.turn_particle = normalise_word(str(turns.get("particle", "over")))
        self.turn_fillers = {normalise_word(w) for w in turns.get("fillers") or []}
        self.turn_words = {normalise_word(w) for w in turns.get("words") or []}
        self.turn_value = str(turns.get("value", "onset:sudden"))
        self.things = {normalise_word(w) for w in pats.get("things") or []}
        worn = pats.get("worn_body_words") or {}
        self.worn_words = {str(w).lower() for w in worn.get("words") or []}
        self.worn_describers = {str(w).lower() for w in worn.get("describers") or []}
        self.worn_verbs = {str(w).lower() for w in worn.get("wear") or []}
        self.worn_owners = {str(w).lower() for w in worn.get("owners") or []}
        self.worn_window = int(worn.get("window", 3))
        self.worn_value = str(worn.get("value", ""))
        speech = pats.get("speech_attempts") or {}
        self.speech_value = str(speech.get("value", ""))
        self.speech_window = int(speech.get("window", 8))
        self.speech_attempts = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.speech_attempts, "attempt", speech.get("attempts") or [])
        self.speech_failures = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.speech_failures, "failure", speech.get("failures") or [])
        manner = pats.get("speech_manners") or {}
        self.manner_value = str(manner.get("value", ""))
        self.manner_window = int(manner.get("window", 4))
        self.manner_breaks = {str(w).lower() for w in manner.get("breaks") or []}
        self.manner_heads = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.manner_heads, "head", manner.get("heads") or [])
        self.manners = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.manners, "manner", manner.get("manners") or [])
        obey = pats.get("disobeying_limbs") or {}
        self.obey_value = str(obey.get("value", ""))
        self.obey_window = int(obey.get("window", 8))
        self.obey_refusals = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.obey_refusals, "refusal", obey.get("refusals") or [])
        self.obey_orders = PhraseMatcher(nlp.vocab, attr="NORM")
        add(
            self.obey_orders,
            "order",
            [
                f"what {subject} {order}"
                for subject in obey.get("tellers") or []
                for order in obey.get("orders") or []
            ],
        )
        self.obey_not_then = {normalise_word(w) for w in obey.get("not_then") or []}
        self.obey_nothing = {normalise_word(w) for w in obey.get("nothing") or []}
        self.obey_subject_window = int(obey.get("subject_window", 3))
        wear = pats.get("squeezing_wear") or {}
        self.wear_value = str(wear.get("value", ""))
        self.wear_window = int(wear.get("window", 6))
        self.wear_lead = int(wear.get("lead", 1))
        self.wear_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.wear_matcher, "wear", wear.get("wear") or [])
        self.squeeze_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.squeeze_matcher, "squeeze", wear.get("squeeze") or [])
        self.wear_not_after = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.wear_not_after, "not_after", wear.get("not_after") or [])
        self.wear_denials = {normalise_word(w) for w in wear.get("denials") or []}
        treatments = pats.get("treatments") or {}
        self.treatments = {normalise_word(w) for w in treatments.get("words") or []}
        self.treatment_window = int(treatments.get("window", 4))
        self.treatment_ends = {normalise_word(w) for w in treatments.get("ends") or []}
        self.bare_verb_rules = [
            BareVerb(
                subjects=frozenset(
                    normalise_word(w) for w in rule.get("subjects") or []
                ),
                fillers=frozenset(
                    normalise_word(w)
                    for f in rule.get("fillers") or []
                    for w in f.split()
                ),
                verbs=frozenset(normalise_word(w) for w in rule.get("verbs") or []),
                ends=frozenset(normalise_word(w) for w in rule.get("ends") or []),
                value=str(rule["value"]),
            )
            for rule in pats.get("bare_verbs") or []
        ]
        #: value -> (the plural words its text must hold as written, their stems)
        self.plural_idioms: Dict[str, Tuple[Set[str], Set[str]]] = {}
        for rule in pats.get("plural_idioms") or []:
            words = {str(w).lower() for w in rule.get("words") or []}
            stems = {normalise_word(w) for w in words}
            self.plural_idioms[str(rule["value"])] = (words, stems)
        #: value -> (the plural words that, written in its text, make it no fact,
        #: the words right before it that make it a thing's)
        self.singular_idioms: Dict[str, Tuple[Set[str], Set[str]]] = {
            str(rule["value"]): (
                {str(w).lower() for w in rule.get("words") or []},
                {str(w).lower() for w in rule.get("after") or []},
            )
            for rule in pats.get("singular_idioms") or []
        }
        returns = pats.get("returns") or {}
        self.returns: Dict[str, Any] = (
            {
                "subjects": {normalise_word(w) for w in returns.get("subjects") or []},
                "openers": {normalise_word(w) for w in returns.get("openers") or []},
                "denials": {normalise_word(w) for w in returns.get("denials") or []},
                "pronouns": {normalise_word(w) for w in returns.get("pronouns") or []},
                "askers": {normalise_word(w) for w in returns.get("askers") or []},
                "conditionals": {
                    normalise_word(w) for w in returns.get("conditionals") or []
                },
                "wholes": {normalise_word(w) for w in returns.get("wholes") or []},
                "passings": set(returns.get("passings") or []),
                "end_units": {
                    normalise_word(w) for w in returns.get("end_units") or []
                },
                "window": int(returns.get("window", 5)),
                "value": str(returns["value"]),
            }
            if returns
            else {}
        )
        self.returns_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.returns_matcher, "back", returns.get("words") or [])
        self.returns_ends = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.returns_ends, "end", returns.get("ends") or [])
        self.returns_habits = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.returns_habits, "habit", returns.get("habits") or [])
        resumes = pats.get("resumes") or {}
        self.resumes_value = str(resumes.get("value", ""))
        self.resumes_window = int(resumes.get("window", 14))
        self.resumes_stops = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.resumes_stops, "stop", resumes.get("stops") or [])
        self.resumes_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.resumes_matcher, "resume", resumes.get("words") or [])
        partial = pats.get("partial_passing") or {}
        self.partial_values = set(partial.get("values") or [])
        self.partial_window = int(partial.get("window", 4))
        self.partial_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.partial_matcher, "except", partial.get("words") or [])
        rec = pats.get("recurrence") or {}
        self.recurrence = rec
        self.recurrence_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        add(self.recurrence_matcher, "back", rec.get("words") or [])

    def bare_words(self, doc: Doc, mentions: List[Mention]) -> List[Mention]:
        """ "I need to pee a lot": a lone toilet word without trouble is no fact."""
        rule = self.bare_rule
        if not rule:
            return mentions
        kept = []
        for m in mentions:
            if (
                m.key == rule["value"]
                and not m.negated
                and all(t.norm_ in rule["words"] for t in doc[m.start : m.end])
            ):
                stops = set(clause_breaks(doc)) | _new_subjects(doc)
                lo = m.start
                while lo > 0 and lo - 1 not in stops:
                    lo -= 1
                hi = m.end
                # (a subject after the word opens a run-on clause of its own:
                # "got up to pee i couldnt feel the tiles")
                while (
                    hi < len(doc) and hi not in stops and doc[hi].norm_ not in _SUBJECTS
                ):
                    hi += 1
                norms = {t.norm_ for t in doc[lo:hi]}
                norms |= {t.norm_ + t.nbor().norm_ for t in doc[lo : hi - 1]}
                # a sensing word tells of the toilet only before it ("can't feel
                # when i need to pee"), never after ("went to pee and couldn't feel
                # my foot")
                norms -= {t.norm_ for t in doc[m.end : hi]} & rule["before"]
                if not norms & rule["trouble"]:
                    continue
            kept.append(m)
        return kept

    def wounds(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """ "cut on my heel not healing" is a skin ulcer; "a sore" and "sores" are
        skin sores, while "a stab" or "a sharp pain" stays pain."""
        rule = self.wound
        if not rule:
            return other
        out = []
        for m in other:
            if m.key == rule.get("sore_value") and m.length == 1:
                text = doc[m.start].lower_
                prev = doc[m.start - 1].norm_ if m.start else ""
                nxt = doc[m.end].lower_ if m.end < len(doc) else ""
                # "a sore on my heel" is a skin sore, "a sore spot" a tender one
                noun = (
                    text == "sore"
                    and prev in ("a", "an")
                    and nxt not in self.sore_described
                )
                if text.startswith("sores") or noun:
                    m = make_mention(doc, rule["value"], m.start, m.end)
            out.append(m)
        window = int(rule.get("window", 8))
        breaks = clause_breaks(doc, soft=False)
        for _, start, end in self.heal_matcher(doc):
            wound = [
                t.i
                for t in doc[max(0, start - window) : start]
                if t.norm_ in self.wound_words and not crosses(breaks, t.i, start)
            ]
            if not wound:
                continue
            made = make_mention(doc, rule["value"], wound[-1], end)
            out = [
                m
                for m in out
                if not (overlaps(m, made) and m.key == rule["sore_value"])
            ]
            if not any(m.key == made.key and overlaps(m, made) for m in out):
                out.append(made)
        return out

    def figurative(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """Images and comparisons are not facts ("like ants walking on my legs")."""
        sim = self.similes
        if not sim and not self.not_next_to and not self.conditional_values:
            return other
        cues: Dict[str, List[Tuple[int, int]]] = {"cue": [], "feel": []}
        for match_id, start, end in self.simile_matcher(doc):
            cues[doc.vocab.strings[match_id]].append((start, end))
        window = int(sim.get("window", 4))
        breaks = clause_breaks(doc)
        values = set(sim.get("values") or [])
        feeling_values = set(sim.get("feeling_values") or [])
        object_values = set(sim.get("object_values") or [])
        cue_values = values | object_values
        drop = set()
        for index, m in enumerate(other):
            near = [
                (s, e)
                for s, e in (cues["cue"] if m.key in cue_values else cues["feel"])
                if e <= m.start
                and m.start - e <= window
                and not crosses(breaks, s, m.start)
            ]
            image = (
                m.length == 1
                and doc[m.start].lower_.endswith("ing")
                and any(
                    not any(
                        t.like_num or t.norm_ in ("after", "when")
                        for t in doc[e : m.start]
                    )
                    for _, e in near
                )
            )
            # "like he'd run a marathon", "as if i had stood all day": an
            # activity told as a comparison clause with its own subject
            told_as = any(
                e < len(doc)
                and doc[e].norm_ in self.simile_subjects
                and not any(t.norm_ in self.simile_sayings for t in doc[e : m.start])
                for _, e in near
            )
            if m.key in values and near and (image or told_as):
                drop.add(index)
            if m.key in object_values and near:
                drop.add(index)
            if (
                m.key in feeling_values
                and near
                and all(
                    t.norm_ in self.simile_feeling_words for t in doc[m.start : m.end]
                )
            ):
                drop.add(index)
        # "it's worse when I'm stressed": a comparison under a condition, not a course
        for index, m in enumerate(other):
            if (
                m.key in self.conditional_values
                and m.end < len(doc)
                and doc[m.end].norm_ in self.conditional_then
            ):
                drop.add(index)
        for rule, after in zip(self.not_next_to, self.after_words, strict=True):
            window = int(rule.get("window", 3))
            for index, m in enumerate(other):
                if m.key != rule["drop"]:
                    continue
                # "she went white": a word of whom it is told, right before it
                if any(
                    phrase_at(doc, k, phrase, m.start)
                    and not crosses(breaks, k, m.start)
                    for phrase in after
                    for k in range(max(0, m.start - window), m.start)
                ):
                    drop.add(index)
                for n in other:
                    if n.key not in (rule.get("near") or ()):
                        continue
                    lo, hi = (m, n) if m.start < n.start else (n, m)
                    if hi.start - lo.end <= window and not crosses(
                        breaks, lo.start, hi.end - 1
                    ):
                        drop.add(index)
        return [m for i, m in enumerate(other) if i not in drop]

    def returns_rule(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """ "the feeling came back": the spell is over (not "the numbness came back").

        The subject must open its phrase ("the feeling", "feeling in my foot"),
        so "a tingling feeling came back" stays a return of the symptom; a
        denial before the return ("never came back") says it is not over.
        """
        rule = self.returns
        if not rule:
            return []
        backs = [(s, e) for _, s, e in self.returns_matcher(doc)]
        if not backs:
            return []
        breaks = clause_breaks(doc)
        found: List[Mention] = []
        for token in doc:
            if token.norm_ not in rule["subjects"]:
                continue
            before = doc[token.i - 1] if token.i else None
            if before is not None and not (
                before.norm_ in rule["openers"] or before.text in SENTENCE_END
            ):
                continue
            for start, end in backs:
                if (
                    token.i < start
                    and start - token.i - 1 <= rule["window"]
                    and not crosses(breaks, token.i, end - 1)
                    and not any(
                        o.key == rule["value"] and o.start < end and start < o.end
                        for o in other
                    )
                ):
                    denied = any(
                        t.norm_ in rule["denials"] or t.lower_ in rule["denials"]
                        for t in doc[token.i + 1 : start + 1]
                    )
                    found.append(
                        make_mention(doc, rule["value"], token.i, end, negated=denied)
                    )
                    break
        if not found:
            found = self.pronoun_returns(doc, other, backs, breaks)
        return found

    def pronoun_returns(
        self,
        doc: Doc,
        other: List[Mention],
        backs: List[Tuple[int, int]],
        breaks: List[int],
    ) -> List[Mention]:
        """ "it came back after a few minutes", "it all came back": the spell is over.

        Why: "it" may be the numbness as well as the feeling, so the return
        counts only when told as over at once or within minutes, or as all of
        it; "then it comes back once im walking" stays a return of the symptom.
        """
        rule = self.returns
        ends = [s for _, s, _ in self.returns_ends(doc)]
        habits = [s for _, s, _ in self.returns_habits(doc)]
        for start, end in backs:
            if doc[start].norm_ == "back" or any(
                o.entity == "course" and o.start < end and start < o.end for o in other
            ):
                continue
            k = start - 1
            whole = k >= 0 and doc[k].norm_ in rule["wholes"]
            k -= whole
            if k < 0 or doc[k].norm_ not in rule["pronouns"]:
                continue
            k -= 1
            opens = max([-1, *(b for b in breaks if b <= k)]) + 1
            told = max([-1, *(i for i in range(k + 1) if doc[i].text in SENTENCE_END)])
            if (
                (k >= 0 and doc[k].norm_ in rule["askers"])
                or any(t.norm_ in rule["conditionals"] for t in doc[opens : k + 1])
                or any(
                    o.key in rule["passings"] and told < o.start < k + 1 for o in other
                )
            ):
                continue
            after = [
                i
                for i in range(end, min(len(doc), end + 5))
                if not crosses(breaks, end, i)
            ]
            if any(i in habits for i in after):
                continue
            told_over = whole or any(
                i in ends
                or (
                    doc[i].norm_ in rule["end_units"]
                    and not followed_by(doc, i, {"of"})
                )
                for i in after
            )
            if told_over:
                return [make_mention(doc, rule["value"], k + 1, end)]
        return []

    def resumes_rule(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """ "i have to stop, then i can carry on": the spell ends with rest.

        Why: a walk taken up again after a stop is what a person tells of a
        calf that hurts on walking and settles when they stand still; the stop
        alone ("i had to stop") tells no relief, and "stand still" read alone
        was a trigger of standing.
        """
        if not self.resumes_value or any(m.key == self.resumes_value for m in other):
            return other
        stops = [(s, e) for _, s, e in self.resumes_stops(doc)]
        resumes = [(s, e) for _, s, e in self.resumes_matcher(doc)]
        for start, end in stops:
            for r_start, r_end in resumes:
                if (
                    end <= r_start
                    and r_start - end <= self.resumes_window
                    and not sentence_ends_in(doc, end, r_start)
                ):
                    kept = [
                        m
                        for m in other
                        if not (
                            m.entity == "trigger" and m.start < end and start < m.end
                        )
                    ]
                    return [*kept, make_mention(doc, self.resumes_value, start, r_end)]
        return other

    def partial_passing(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """ "the feeling came back everywhere except my feet": no passing.

        A passing with an exception right after it in its sentence left part
        of the symptom behind, so it is denied (the part named stays).
        """
        if not self.partial_values:
            return other
        excepts = [s for _, s, _ in self.partial_matcher(doc)]
        if not excepts:
            return other
        out = []
        for m in other:
            if m.key in self.partial_values and not m.negated:
                partial = any(
                    m.end <= s <= m.end + self.partial_window
                    and not sentence_ends_in(doc, m.end, s)
                    for s in excepts
                )
                if partial:
                    m = replace(m, negated=True)
            out.append(m)
        return out

    def recurrence_rule(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """ "went away then came back": not resolved but coming and going."""
        rec = self.recurrence
        if not rec:
            return other
        resolved = [m for m in other if m.key == rec["drop"]]
        if not resolved:
            return other
        backs = [
            (s, e)
            for _, s, e in self.recurrence_matcher(doc)
            if any(m.end <= s for m in resolved)
            and not any(m.start <= s < m.end for m in resolved)
        ]
        if not backs:
            return other
        kept = [m for m in other if m.key != rec["drop"]]
        s, e = backs[0]
        if not any(m.key == rec["add"] for m in kept):
            kept.append(make_mention(doc, rec["add"], s, e))
        return kept

    def gradual_worse(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """ "gradually worse": the onset word also says the course is worsening."""
        found = []
        for m in other:
            if m.key != "onset:gradual" or m.end >= len(doc):
                continue
            j = m.end + (doc[m.end].norm_ in ("getting", "got", "gets", "become"))
            if j < len(doc) and doc[j].norm_ in ("worse", "worsening", "worst"):
                if not any(
                    o.entity == "course" and o.start <= j < o.end for o in other
                ):
                    found.append(make_mention(doc, "course:worsening", j, j + 1))
        return found

    def comparatives(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """ "getting weaker", "growing number", "weaker every day": the symptom is
        getting worse."""
        found: List[Mention] = []
        if any(m.key == self.comparative_value for m in other):
            return found
        for token in doc[1:]:
            if token.norm_ not in self.comparative_words:
                continue
            if doc[token.i - 1].norm_ in self.comparative_before:
                found.append(
                    make_mention(doc, self.comparative_value, token.i - 1, token.i)
                )
                break
            if any(
                phrase_at(doc, token.i + 1, phrase, len(doc))
                for phrase in self.comparative_after
            ):
                found.append(
                    make_mention(doc, self.comparative_value, token.i + 1, token.i + 2)
                )
                break
        return found

    def speech_attempts_rule(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """ "went to call my wife and nothing came out": trouble speaking.

        Why: a try at speaking that brought no words is told with any verb of
        speaking and any listener between; "nothing came out" alone may be a
        bladder or a bottle.
        """
        if not self.speech_value or any(m.key == self.speech_value for m in other):
            return []
        attempts = [(s, e) for _, s, e in self.speech_attempts(doc)]
        failures = [(s, e) for _, s, e in self.speech_failures(doc)]
        for _, (f_start, f_end) in _followed_within(
            doc, attempts, failures, self.speech_window
        ):
            return [make_mention(doc, self.speech_value, f_start, f_end)]
        return []

    def speech_manners_rule(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """ "my words were coming out weird": speech told with a manner not its own.

        Why: people tell the way their speech went wrong with any verb between
        ("were coming out", "sounded all") and any manner word; a word about
        something or someone between ("talking to my gp was weird") breaks it.
        """
        if not self.manner_value or any(m.key == self.manner_value for m in other):
            return []
        heads = [(s, e) for _, s, e in self.manner_heads(doc)]
        manners = [(s, e) for _, s, e in self.manners(doc)]
        for (h_start, h_end), (m_start, m_end) in _followed_within(
            doc, heads, manners, self.manner_window
        ):
            between = {t.lower_ for t in doc[h_end:m_start]}
            if not between & self.manner_breaks:
                return [make_mention(doc, self.manner_value, h_start, m_end)]
        return []

    def disobeying_limbs(
        self, doc: Doc, other: List[Mention], body: List[Mention]
    ) -> List[Mention]:
        """ "my legs wont do what i tell them": a limb that does not obey is weak.

        Why: a limb is told as disobeying with any refusal ("stopped doing",
        "can't get my arm and leg to do") and any teller; a person who will not
        do as told ("he won't do what I tell him") names no limb in the
        sentence before the order and is told as a person after it.
        """
        if not self.obey_value or any(m.key == self.obey_value for m in other):
            return []
        refusals = [(s, e) for _, s, e in self.obey_refusals(doc)]
        orders = [
            (s, e)
            for _, s, e in self.obey_orders(doc)
            if not followed_by(doc, e - 1, self.obey_not_then)
        ]
        for (r_start, _), (o_start, o_end) in _followed_within(
            doc, refusals, orders, self.obey_window
        ):
            if any(
                b.end <= o_start and not sentence_ends_in(doc, b.end, o_start)
                for b in body
            ):
                return [make_mention(doc, self.obey_value, r_start, o_end)]
        for r_start, r_end in refusals:
            if followed_by(doc, r_end - 1, self.obey_nothing) and any(
                r_start - self.obey_subject_window <= b.end <= r_start for b in body
            ):
                return [make_mention(doc, self.obey_value, r_start, r_end + 1)]
        return []

    def squeezing_wear(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """ "my sneaker is too confining", "boots a size smaller": tight clothing.

        Why: a shoe or boot told as squeezing names the pressure that numbs a
        foot in as many words as there are shoes; a shoe alone ("in my running
        shoes") or a tightness alone ("my calf feels tight") does not.
        """
        if not self.wear_value or any(m.key == self.wear_value for m in other):
            return []
        squeezes = [(s, e) for _, s, e in self.squeeze_matcher(doc)]
        if not squeezes:
            return []
        breaks = clause_breaks(doc)
        guesses = [e for _, _, e in self.wear_not_after(doc)]
        for _, w_start, w_end in self.wear_matcher(doc):
            if any(w_start - 3 <= e <= w_start for e in guesses):
                continue
            for s_start, s_end in squeezes:
                lo, hi = min(w_start, s_start), max(w_end, s_end)
                gap = max(w_start, s_start) - min(w_end, s_end)
                # a squeeze word before the thing worn describes it only right
                # before it ("tight strappy sandals", not "tight and my shoes")
                limit = self.wear_window if w_start < s_start else self.wear_lead
                between = doc[min(w_end, s_end) : max(w_start, s_start)]
                if (
                    0 <= gap <= limit
                    and not crosses(breaks, lo, hi - 1)
                    and not any(
                        t.norm_ in self.wear_denials or t.lower_ in self.wear_denials
                        for t in between
                    )
                    and not any(between.start <= e <= between.end for e in guesses)
                ):
                    return [make_mention(doc, self.wear_value, lo, hi)]
        return []

    def sudden_turns(self, doc: Doc) -> List[Mention]:
        """ "he's come over weak", "came over all numb": a turn that came on at
        once; the symptom word stays a symptom (only the verb is the onset)."""
        found: List[Mention] = []
        for token in doc:
            if token.norm_ not in self.turn_words:
                continue
            i = token.i - 1
            while i >= 0 and doc[i].norm_ in self.turn_fillers:
                i -= 1
            if (
                i >= 1
                and doc[i].norm_ == self.turn_particle
                and doc[i - 1].norm_ in self.turn_verbs
            ):
                found.append(make_mention(doc, self.turn_value, i - 1, i + 1))
        return found

    def said_of_things(self, other: List[Mention], doc: Doc) -> List[Mention]:
        """ "a heavy bag", "floppy running shoes", "the overnight bus": a
        sensation, symptom or onset word right before an object describes the
        object, not the person."""
        kept = []
        for m in other:
            if m.entity in ("sensation", "symptom", "onset") and self._before_a_thing(
                doc, m.end
            ):
                continue
            kept.append(m)
        return kept

    def said_of_treatments(
        self, other: List[Mention], body: List[Mention], doc: Doc
    ) -> List[Mention]:
        """ "the pills he got stopped working": a symptom word whose clause names
        a treatment just before it, with no body part between, is said of the
        treatment."""
        body_starts = {m.start for m in body}
        return [
            m
            for m in other
            if m.entity != "symptom" or not self._after_a_treatment(doc, m, body_starts)
        ]

    def _after_a_treatment(self, doc: Doc, m: Mention, body_starts: Set[int]) -> bool:
        """True when a treatment word comes within the window before `m`, with no
        clause break and no body part between it and the end of `m`."""
        if body_starts & set(range(m.start, m.end)):
            return False
        for i in range(m.start - 1, max(-1, m.start - 1 - self.treatment_window), -1):
            if (
                doc[i].is_punct
                or doc[i].norm_ in self.treatment_ends
                or i in body_starts
            ):
                return False
            if doc[i].norm_ in self.treatments:
                return True
        return False

    def _before_a_thing(self, doc: Doc, index: int) -> bool:
        for token in doc[index : index + 2]:
            if token.is_punct or token.is_stop:
                return False
            if token.norm_ in self.things:
                return True
        return False

    def bare_verbs(self, doc: Doc) -> List[Mention]:
        """ "his legs went and he fell", "lay down and it went.": a subject and a
        verb with nothing after it in its clause; a word after the verb ("went
        numb") is its own symptom."""
        found: List[Mention] = []
        for token in doc:
            for rule in self.bare_verb_rules:
                if token.norm_ not in rule.verbs:
                    continue
                i = token.i - 1
                while i >= 0 and doc[i].norm_ in rule.fillers:
                    i -= 1
                if i < 0 or doc[i].norm_ not in rule.subjects:
                    continue
                after = token.i + 1
                if after == len(doc) or doc[after].norm_ in rule.ends:
                    found.append(make_mention(doc, rule.value, token.i, token.i + 1))
        return found

    def worn_body_words(self, doc: Doc) -> List[Mention]:
        """ "wore 10 cm heels", "my designer heels": the thing worn, not the heel.

        Why: shoes that squeeze the toes are the pressure that numbs them, and
        the heel of the foot they would otherwise name is no site of the story.
        """
        candidates = [t for t in doc[1:] if t.lower_ in self.worn_words]
        if not self.worn_value or not candidates:
            return []
        breaks = clause_breaks(doc)
        found = []
        for token in candidates:
            before = doc[token.i - 1]
            described = before.lower_ in self.worn_describers or any(
                c.isdigit() for c in before.text
            )
            lo = max(0, token.i - self.worn_window)
            worn = before.lower_ not in self.worn_owners and any(
                t.lower_ in self.worn_verbs and not crosses(breaks, t.i, token.i)
                for t in doc[lo : token.i]
            )
            if described or worn:
                found.append(make_mention(doc, self.worn_value, token.i, token.i + 1))
        return found

    def plural_only(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """ "on my feet" is standing, "a cut on my foot" a site: an idiom told
        only in the plural, which the stems of the matcher cannot tell apart."""
        kept = []
        for m in other:
            words, stems = self.plural_idioms.get(m.key) or (set(), set())
            if any(
                t.norm_ in stems and t.lower_ not in words for t in doc[m.start : m.end]
            ):
                continue  # the singular told ("on my foot")
            kept.append(m)
        return kept

    def singular_only(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """A person has one back: "the stiff backs dig into my ankles" are a
        skate's, a word the stems of the matcher cannot tell from "my back"
        ("my backs been bad" is "my back's")."""
        kept = []
        for m in other:
            words, after = self.singular_idioms.get(m.key) or (set(), set())
            before = doc[m.start - 1].lower_ if m.start > 0 else ""
            if before in after and any(t.lower_ in words for t in doc[m.start : m.end]):
                continue
            kept.append(m)
        return kept

    def habitual(self, doc: Doc, starts: Set[int]) -> List[Mention]:
        """ "keeps tingling", "kept giving way", "keeps going numb": comes and goes.

        `starts` are where sensation and symptom mentions begin: the habit word
        counts only right before one, or with a link verb between ("the pain keeps
        going" and "had to keep going down the runway" are no spells).
        """
        found = []
        for token in doc[:-1]:
            if token.norm_ not in self.habitual_words:
                continue
            nxt = doc[token.i + 1]
            if nxt.norm_ in self.habitual_links:
                counts = token.i + 1 in starts or token.i + 2 in starts
            else:
                counts = (
                    nxt.text.endswith("ing")
                    and nxt.norm_ not in self.habitual_not_before
                    and token.i + 1 in starts
                )
            if counts:
                found.append(
                    make_mention(doc, self.habitual_value, token.i, token.i + 1)
                )
        return found

    def cold(self, doc: Doc, other: List[Mention]) -> List[Mention]:
        """Bare "cold": cold_limb when stated of a limb, coldness when felt."""
        rule = self.cold_rule
        if not rule:
            return other
        out = []
        for m in other:
            if m.entity == "sensation" and self._touched(doc, m.end):
                # "cold to the touch", "feels cold to the touch": a limb found cold
                if doc[m.end - 1].norm_ in rule["words"]:
                    m = make_mention(doc, rule["symptom"], m.start, m.end)
            elif (
                m.length == 1
                and doc[m.start].norm_ in rule["words"]
                and m.entity == "sensation"
            ):
                window = doc[max(0, m.start - rule["window"]) : m.start]
                norms = []
                for token in reversed(window):
                    if token.text in SENTENCE_END or token.norm_ in (",", "but"):
                        if token.norm_ != ",":
                            break
                    norms.append(token.norm_)
                after = doc[m.end].norm_ if m.end < len(doc) else ""
                felt = (
                    any(w in rule["feeling"] for w in norms) or after in rule["feeling"]
                )
                if not felt and any(w in rule["state"] for w in norms):
                    m = make_mention(doc, rule["symptom"], m.start, m.end)
            out.append(m)
        return out

    def _touched(self, doc: Doc, end: int) -> bool:
        """True when "to the touch" follows token `end` - 1, or a hand touching
        it does ("they feel cold when i touch them")."""
        if end + 1 >= len(doc):
            return False
        if doc[end].norm_ == "to":
            return doc[end + 1].norm_ in self.cold_rule["touch"]
        return doc[end].norm_ == "when" and any(
            t.norm_ in self.cold_rule["touching"] for t in doc[end + 1 : end + 4]
        )


_LINKS = frozenset({"and", "but", "then"})
_SUBJECTS = frozenset({"i", "he", "she", "they", "we"})


def _new_subjects(doc: Doc) -> Set[int]:
    """Indexes of a link that opens a new subject ("went to pee and i couldn't
    feel my foot"): a clause of its own for a lone toilet word."""
    return {
        t.i for t in doc[:-1] if t.norm_ in _LINKS and doc[t.i + 1].norm_ in _SUBJECTS
    }
