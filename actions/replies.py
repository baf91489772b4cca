"""Turn triage results into what the bot says: text, buttons, JSON payloads.

Pure (no Rasa import): every function takes plain values and returns message
dicts shaped like `dispatcher.utter_message(**message)` keyword arguments. Every
medical sentence comes from the cause table (actions/causes.yml, each row citing
its article section) or the questions file; this module only adds the
conversation's glue words, and names no cause.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from actions.cause_table import URGENCIES, duration_days, get_cause_table, parse_fact
from actions.triage import Findings, detect_red_flags, expand_findings
from actions.vocabulary import Fact, get_vocabulary

#: Causes reported in an assessment.
MAX_CAUSES = 3
Message = Dict[str, Any]

EMERGENCY = "emergency"
FOLLOW_UP_HINT = (
    'You can ask me about any of these causes (for example "what is the second '
    'one?"), the tests, which doctor to see, the treatment or what you can do '
    'meanwhile, or say "summary for my doctor".'
)
WHEN_TO_WORRY = "Call emergency services at once if any of these appear:"
DONT_KNOW_TITLE = "I don't know"
PROVISIONAL_NOTE = (
    "From what you told me so far, the leading possible cause is the one below "
    "(not a diagnosis); after the questions I can say more."
)
TOPICS = ("cause", "specialist", "tests", "treatment", "self_help")


@dataclass(frozen=True)
class AnswerFacts:
    """What an answer to a follow-up question tells us."""

    present: Tuple[Fact, ...] = ()
    absent: Tuple[Fact, ...] = ()
    duration: Optional[str] = None
    understood: bool = False


# --------------------------------------------------------------- table access
def _causes() -> Dict[str, Any]:
    return {cause.id: cause for cause in get_cause_table().causes}


def disclaimer() -> str:
    """The not-a-diagnosis wording that closes every answer with medical content."""
    return get_cause_table().disclaimer.text


def urgency_advice(urgency: str) -> str:
    """The advice of one urgency level, as the table words it."""
    return get_cause_table().urgency_levels[urgency].advice.text


def urgency_label(urgency: str) -> str:
    """The short label of one urgency level ("Urgent")."""
    return get_cause_table().urgency_levels[urgency].label


def emergency_already_said() -> str:
    """First line of an assessment sent right after the emergency prompt."""
    return (
        f"Urgency: {urgency_label(EMERGENCY).lower()}. {urgency_advice(EMERGENCY)} "
        "As said above; the rest of this message can wait."
    )


def _question(question_id: Optional[str]) -> Optional[Any]:
    if not question_id:
        return None
    try:
        return get_cause_table().question(question_id)
    except KeyError:
        return None


def _facts(items: Optional[Iterable[str]]) -> Tuple[Fact, ...]:
    return tuple(parse_fact(item) for item in items or ())


def _label(fact: Fact) -> str:
    return get_vocabulary().label(*fact)


def _join(items: Sequence[str]) -> str:
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _unique(items: Iterable[str]) -> List[str]:
    return list(dict.fromkeys(items))


# --------------------------------------------------------------- questions
def _answer_intent(question_id: str, answer: Any) -> Tuple[str, Dict[str, str]]:
    """Payload intent and extra entities of one answer button."""
    present = _facts(answer.present)
    red_flag = getattr(answer, "red_flag", None)
    if not red_flag and present:
        hits = detect_red_flags(Findings(present=frozenset(present)))
        red_flag = hits[0].id if hits else None
    if red_flag:
        return "report_red_flag", {"red_flag": red_flag}
    if present or getattr(answer, "duration", None):
        return "affirm", {}
    if answer.absent:
        return "deny", {}
    return "dont_know", {}


def _known_answers(question: Any, findings: Optional[Findings]) -> List[Any]:
    """Answers whose facts the person already told (shown as known, not as choices)."""
    if findings is None:
        return []
    expanded = expand_findings(findings)
    return [
        answer
        for answer in question.answers
        if answer.present
        and not getattr(answer, "red_flag", None)
        and all(fact in expanded.present for fact in _facts(answer.present))
        and all(fact in expanded.absent for fact in _facts(answer.absent))
    ]


def question_message(
    question_id: str, findings: Optional[Findings] = None, about_other: bool = False
) -> Message:
    """The question's text with one button per answer (payloads carry the answer).

    With `findings`, an option the person already told ("I'm diabetic") is
    shown as known, not offered again as a new choice. `about_other`: the
    story is someone else's, so the texts speak of them (`text_other`,
    `title_other` in questions.yml).
    """
    question = _question(question_id)
    if question is None:
        raise KeyError(f"unknown question {question_id!r}")
    known = _known_answers(question, findings)
    buttons = []
    for index, answer in enumerate(question.answers):
        if answer in known:
            continue
        intent, extra = _answer_intent(question_id, answer)
        entities = {"answer": f"{question_id}:{index}", **extra}
        title = (about_other and answer.title_other) or answer.title
        buttons.append({"title": title, "payload": f"/{intent}{json.dumps(entities)}"})
    if all(answer.present or answer.absent for answer in question.answers) and not (
        any(getattr(answer, "red_flag", None) for answer in question.answers)
    ):
        buttons.append({"title": DONT_KNOW_TITLE, "payload": "/dont_know"})
    text = (about_other and question.text_other) or question.text
    if known:
        titles = [(about_other and a.title_other) or a.title for a in known]
        text += f" (You already told me: {_join(titles)}.)"
    return {"text": text, "buttons": buttons}


def keep_told_facts(
    absent: Iterable[Fact], findings: Optional[Findings]
) -> Tuple[Fact, ...]:
    """A button's "none of these" facts minus those the person already told.

    Why: "None of these" under a question that showed diabetes as known must
    not erase the diabetes the person told.
    """
    known = expand_findings(findings).present if findings is not None else frozenset()
    return tuple(fact for fact in absent if fact not in known)


#: Words that say a typed "yes" told with more ("yes, after sitting a while").
YES_WORDS = ("yes", "yeah", "yep", "yup", "yea", "ya")
NO_WORDS = ("no", "nope", "nah")


def _opens_a_clause(text: str, words: Sequence[str]) -> bool:
    pattern = r"(?:^|[,.;!]\s*)(?:" + "|".join(words) + r")\b"
    return re.search(pattern, text) is not None


def says_yes(text: Optional[str]) -> bool:
    """True when a typed reply says yes in a clause of its own and no "no"
    ("yes, it was after sitting", "after kneeling, yes, it passes")."""
    lowered = (text or "").lower().strip()
    return _opens_a_clause(lowered, YES_WORDS) and not _opens_a_clause(
        lowered, NO_WORDS
    )


#: Words that answer a yes/no question in a longer reply ("it does come on when
#: i walk", "not really, only at night"); a reply of `ACCOUNT_WORDS` words or more
#: with none of them tells a story, not a yes or a no.
ANSWER_WORDS = frozenset(
    {
        *YES_WORDS,
        *NO_WORDS,
        "not",
        "never",
        "does",
        "do",
        "did",
        "doesnt",
        "dont",
        "didnt",
        "sure",
        "definitely",
        "correct",
        "right",
        "absolutely",
        "indeed",
        "course",
        "certainly",
        "exactly",
        "maybe",
        "sometimes",
        "usually",
        "always",
    }
)
ACCOUNT_WORDS = 7


def is_account(text: Optional[str]) -> bool:
    """True when a reply is a story with no word that answers yes or no.

    Why: the classifier may read "feet went numb at work yesterday, woke up numb
    from the waist down" as a yes to "does it come on while you walk and go away
    when you rest?"; its facts come from the NLU, never from a guessed yes.
    """
    words = re.findall(r"[a-z]+", (text or "").lower().replace("'", ""))
    return len(words) >= ACCOUNT_WORDS and not ANSWER_WORDS.intersection(words)


def answer_facts(
    question_id: Optional[str], intent: Optional[str], told: Iterable[Fact] = ()
) -> AnswerFacts:
    """Facts of a typed "yes" / "no" / "I don't know" to the current question.

    "yes" picks the question's one answer that only adds facts, "no" its one
    answer that only rules facts out; anything else is left to the NLU. Of
    several answers that only add facts, a "yes" told with facts (`told`:
    "yes, after sitting a long time") picks the one answer holding one of them.
    """
    question = _question(question_id)
    if question is None:
        return AnswerFacts()
    if intent == "dont_know":
        return AnswerFacts(understood=True)
    answers = list(question.answers)
    if intent == "affirm":
        candidates = [a for a in answers if a.present and not a.absent]
        told_here = set(told)
        if len(candidates) > 1 and told_here:
            candidates = [a for a in candidates if told_here & set(_facts(a.present))]
    elif intent == "deny":
        candidates = [a for a in answers if a.absent and not a.present]
    else:
        return AnswerFacts()
    if len(candidates) != 1 or getattr(candidates[0], "red_flag", None):
        return AnswerFacts()
    answer = candidates[0]
    return AnswerFacts(_facts(answer.present), _facts(answer.absent), None, True)


def reply_answers_question(
    question_id: Optional[str],
    present: Iterable[Fact],
    absent: Iterable[Fact],
    duration: Optional[str] = None,
) -> bool:
    """True when a reply tells a fact of the kind the question asks about.

    Why: a question is not asked a third time in a row; the reply is then
    taken as its answer when it names such a fact, else as "I don't know".
    """
    question = _question(question_id)
    if question is None:
        return False
    if duration and question.asks_duration:
        return True
    entities = {entity for entity, _ in question.facts}
    return any(entity in entities for entity, _ in (*present, *absent))


# --------------------------------------------------------------- assessment
def _specialist_names(ids: Sequence[str]) -> List[str]:
    table = get_cause_table().specialists
    return [table[i].lay_name for i in ids if i in table]


def _test_names(ids: Sequence[str]) -> List[str]:
    table = get_cause_table().tests
    return [table[i].lay_name for i in ids if i in table]


def _meanwhile(first_cause_id: Optional[str]) -> Optional[str]:
    """The first-ranked cause's own self-help, saying whose; None when it has none.

    Why only the first: advice for a back or a cast does not belong beside a
    diabetic's foot numbness, and merging all three mixes unrelated advice.
    """
    cause = _causes().get(first_cause_id or "")
    if cause is None or not cause.self_help:
        return None
    tips = " ".join(_unique(item.text for item in cause.self_help))
    return f"Meanwhile, if it is {cause.lay_name} (the first possible cause): {tips}"


def _cause_line(rank: int, ranked: Any) -> str:
    cause = _causes()[ranked.id]
    line = f"{rank}. {cause.lay_name[:1].upper()}{cause.lay_name[1:]} ({cause.name})."
    if ranked.fits:
        line += f" Fits: {_join(list(ranked.fits))}."
    if ranked.against:
        line += f" Against: {_join(list(ranked.against))}."
    return f"{line} {cause.summary}"


def assessment_payload(assessment: Any) -> Dict[str, Any]:
    """The JSON contract of docs/architecture.md (web widget, tests, eval).

    The urgency's label and advice and the disclaimer travel with it, so the
    widget shows the table's words rather than its own.
    """
    return {
        "assessment": {
            "urgency": assessment.urgency,
            "urgency_label": urgency_label(assessment.urgency),
            "urgency_advice": urgency_advice(assessment.urgency),
            "disclaimer": disclaimer(),
            "causes": [cause.id for cause in assessment.causes[:MAX_CAUSES]],
            "red_flags": _unique(hit.id for hit in assessment.red_flags),
            "specialists": list(assessment.specialists),
            "tests": list(assessment.tests),
        }
    }


def upheld_emergency(assessment: Any, emergency_prompt_sent: bool) -> Any:
    """The assessment with urgency `emergency` when the emergency prompt went out.

    Why: the NLU may read an emergency from the words (the report_red_flag
    intent) that no red-flag fact confirms; the person was told to call
    emergency services, so the assessment must not tell them otherwise.
    """
    if not emergency_prompt_sent or assessment.urgency == EMERGENCY:
        return assessment
    return replace(assessment, urgency=EMERGENCY)


#: A detail told as present this long is not news: it does not make a
#: re-assessment more urgent on its own (a red flag always does).
LONG_STANDING_DAYS = 90


def proportionate(
    assessment: Any, previous_urgency: Optional[str], told_duration: Optional[str]
) -> Any:
    """The re-assessment, its urgency kept when only a long-standing detail raised it.

    Why: "my feet have always been cold, for years" after an assessment is no
    new finding; the urgency rises only for what is new or a red flag.
    """
    days = duration_days(told_duration) if told_duration else None
    if (
        previous_urgency not in URGENCIES
        or assessment.red_flags
        or days is None
        or days < LONG_STANDING_DAYS
        or _rank(assessment.urgency) >= _rank(previous_urgency)
    ):
        return assessment
    return replace(assessment, urgency=previous_urgency)


def _rank(urgency: str) -> int:
    return URGENCIES.index(urgency)


def named_dangers(assessment: Any) -> List[str]:
    """Ids of reported causes that call for more than the reply's urgency.

    A cause more urgent than the reply, or one with a named danger (its
    `red_flag_check`) under a reply that is no emergency: the reply then
    reassures nobody and names that danger's emergency signs instead.
    """
    if assessment.urgency == EMERGENCY:
        return []
    causes = _causes()
    return [
        ranked.id
        for ranked in assessment.causes[:MAX_CAUSES]
        if ranked.id in causes
        and (
            _rank(causes[ranked.id].urgency) < _rank(assessment.urgency)
            or causes[ranked.id].red_flag_check
        )
    ]


def _urgency_reason(assessment: Any) -> Optional[str]:
    reason: Optional[str] = assessment.urgency_reason
    if reason:
        return reason
    cause = _causes().get(getattr(assessment, "urgency_cause", None) or "")
    if cause is None:
        return None
    return f"a possible cause that fits what you told me well, {cause.lay_name}"


#: Second-person words and their third-person forms, for a story about someone else.
_THEIR_FORMS = {
    "yourself": "themselves",
    "yours": "theirs",
    "your": "their",
    "you're": "they're",
    "you've": "they've",
    "you'll": "they'll",
    "you'd": "they'd",
}
#: After one of these, "you" is an object ("a doctor who examines you"): "them".
_OBJECT_AFTER = frozenset(
    "examines examine tell tells help helps ask asks give gives let lets show shows "
    "to for with at on about see sees".split()
)
#: Before one of these, "you" is the subject ("once you move"): "they".
_SUBJECT_BEFORE = frozenset(
    "are were have had can could should may might will would need feel notice get do "
    "don't cannot can't must see keep move moved spend sit stand walk lie take".split()
)
#: Before one of these, "you" is the one typing ("you mentioned it"): kept.
_TELLING = frozenset("mentioned told said asked described added describe".split())
_WORDS = re.compile(r"[A-Za-z']+|[^A-Za-z']+")


def speak_of_them(text: str) -> str:
    """The medical words of a reply about someone else speak of "them".

    "A check of your reflexes" becomes "a check of their reflexes", "once you
    move" "once they move", "a doctor who examines you" "... examines them".
    Only the texts about the person examined go through it, never the lines
    that address the one typing ("Nothing you told me ...").
    """
    parts = _WORDS.findall(text)
    words = [i for i, p in enumerate(parts) if p[0].isalpha() or p[0] == "'"]
    out = list(parts)
    for n, i in enumerate(words):
        low = parts[i].lower()
        if low in _THEIR_FORMS:
            new = _THEIR_FORMS[low]
        elif low == "you":
            before = parts[words[n - 1]].lower() if n else ""
            after = parts[words[n + 1]].lower() if n + 1 < len(words) else ""
            if after in _TELLING:
                continue
            subject = before not in _OBJECT_AFTER and after in _SUBJECT_BEFORE
            new = "they" if subject else "them"
        else:
            continue
        out[i] = new.capitalize() if parts[i][0].isupper() else new
    return "".join(out)


def _same(text: str) -> str:
    return text


def _urgency_text(
    assessment: Any,
    emergency_prompt_sent: bool,
    dangers: Sequence[str],
    them: Callable[[str], str] = _same,
) -> str:
    """The first line: the urgency in plain words, with the reason or the advice.

    `them` words the reason for whom it is about (`speak_of_them`).
    """
    if emergency_prompt_sent and assessment.urgency == EMERGENCY:
        return emergency_already_said()
    level = get_cause_table().urgency_levels[assessment.urgency]
    if assessment.red_flags:
        advice = _unique(
            _without_repeated_call(hit.advice, level.advice.text)
            for hit in assessment.red_flags
        )
        return " ".join([level.advice.text, *advice])
    parts = [level.advice.text]
    if level.reassurance and not dangers:
        parts.insert(0, level.reassurance.text)
    reason = _urgency_reason(assessment)
    if reason:
        parts.append(f"Why: {them(reason)}.")
    return " ".join(parts)


def _without_repeated_call(advice: str, said: str) -> str:
    """A red flag's advice without its opening call when the line already made it
    ("This may be an emergency: call emergency services now." then "Call emergency
    services now. Quickly increasing ..." read the call twice)."""
    first, _, rest = advice.partition(". ")
    if rest and first.strip(" .").lower() in said.lower():
        return rest
    return advice


def _worry_line(assessment: Any, dangers: Sequence[str]) -> Optional[str]:
    """The emergency signs to watch for: all for self-care, else the named dangers'."""
    table = get_cause_table()
    if assessment.urgency == "self_care" and not dangers:
        flags = [flag.id for flag in table.red_flags]
    else:
        causes = _causes()
        flags = _unique(
            causes[cid].red_flag_check or causes[cid].red_flags[0]
            for cid in dangers
            if causes[cid].red_flag_check or causes[cid].red_flags
        )
    if not flags:
        return None
    return f"{WHEN_TO_WORRY} " + "; ".join(table.red_flag(f).label for f in flags) + "."


def fact_labels(items: Iterable[str]) -> List[str]:
    """Lay wording of "entity:value" facts, in order."""
    return [_label(fact) for fact in _facts(items)]


def change_note(
    assessment: Any,
    previous_urgency: Optional[str] = None,
    added: Sequence[str] = (),
    corrections: Sequence[Tuple[str, str]] = (),
) -> Optional[str]:
    """What changed since the last assessment and why, in one line.

    `previous_urgency` is the urgency of the assessment before (None for the
    first one), `added` the facts the latest message told, `corrections` the
    (old, new) facts replaced since the last assessment: the last word wins.
    """
    parts = [
        f"You corrected {_label(parse_fact(old))} to {_label(parse_fact(new))}; "
        "I used your latest answer."
        for old, new in corrections
    ]
    if previous_urgency in URGENCIES:
        told = _join(fact_labels(added))
        what = f"What you added ({told})" if told else "What you told me"
        now, before = assessment.urgency, previous_urgency
        if _rank(now) < _rank(before):
            reason = _urgency_reason(assessment) or _join(
                [hit.label for hit in assessment.red_flags]
            )
            parts.append(
                f"{what} raises the urgency from {urgency_label(before).lower()} "
                f"to {urgency_label(now).lower()}"
                + (f", because of {reason}." if reason else ".")
            )
        elif _rank(now) > _rank(before):
            parts.append(
                f"{what} lowers the urgency from {urgency_label(before).lower()} "
                f"to {urgency_label(now).lower()}."
            )
        elif told:
            parts.append(
                f"{what} does not change the urgency: it stays "
                f"{urgency_label(now).lower()}."
            )
    return " ".join(parts) or None


def correction_ack(corrections: Sequence[Tuple[str, str]]) -> str:
    """Says which earlier answer a correction replaced (the last word wins)."""
    swaps = [
        f"{_label(parse_fact(new))}, not {_label(parse_fact(old))}"
        for old, new in corrections
    ]
    return f"Got it: {_join(swaps)}. I've corrected that."


ABOUT_OTHER = "About the person you describe (they should see a doctor, not you):"
QUESTIONS_ABOUT_OTHER = (
    "I'll ask a few questions about the person you describe: please answer for them."
)


def assessment_messages(
    assessment: Any,
    emergency_prompt_sent: bool = False,
    change: Optional[str] = None,
    about_other: bool = False,
) -> List[Message]:
    """Urgency first, then causes, doctor and tests, meanwhile, disclaimer, JSON.

    `emergency_prompt_sent`: the domain's emergency prompt (with the red flag's
    advice) went out just before, so the advice is not repeated.
    """
    ranked = [c for c in assessment.causes[:MAX_CAUSES] if c.id in _causes()]
    cause_ids = [cause.id for cause in ranked]
    dangers = named_dangers(assessment)
    them = speak_of_them if about_other else _same
    urgency_line = _urgency_text(assessment, emergency_prompt_sent, dangers, them)
    if about_other:
        urgency_line = f"{ABOUT_OTHER} {urgency_line}"
    messages: List[Message] = [{"text": urgency_line}]
    if change:
        messages.append({"text": change})
    worry = _worry_line(assessment, dangers)
    if worry and assessment.urgency != EMERGENCY:
        messages.append({"text": worry})
    if ranked:
        lines = ["Possible causes (not a diagnosis):"]
        lines += [them(_cause_line(i, cause)) for i, cause in enumerate(ranked, 1)]
        messages.append({"text": "\n".join(lines)})
        doctor = f"Who to see: {_join(_specialist_names(assessment.specialists))}."
        tests = [them(name) for name in _test_names(assessment.tests)]
        if tests:
            doctor += " Tests they may order: " + "; ".join(tests) + "."
        messages.append({"text": doctor})
    meanwhile = (
        _meanwhile(cause_ids[0] if cause_ids else None)
        if assessment.urgency != EMERGENCY
        else None
    )
    if meanwhile:
        messages.append({"text": them(meanwhile)})
    buttons = [
        {
            "title": f"What is {_causes()[cid].name.lower()}?",
            "payload": f"/ask_cause_info{json.dumps({'cause': cid})}",
        }
        for cid in cause_ids
    ]
    buttons.append({"title": "Summary for my doctor", "payload": "/ask_summary"})
    messages.append(
        {"text": f"{FOLLOW_UP_HINT} {them(disclaimer())}", "buttons": buttons}
    )
    messages.append({"json_message": assessment_payload(assessment)})
    return messages


# --------------------------------------------------------------- follow-up topics
def resolve_cause(
    named: Optional[str],
    ordinal: Optional[int],
    ranked: Sequence[str],
    focus: Optional[str],
) -> Optional[str]:
    """The cause a question is about: named, "the second one", last discussed, top."""
    causes = _causes()
    if named in causes:
        return named
    if ordinal is not None and ranked:
        index = ordinal if ordinal >= 0 else len(ranked) + ordinal
        if 0 <= index < len(ranked):
            return ranked[index]
    if focus in causes:
        return focus
    return ranked[0] if ranked else None


def _sourced(items: Iterable[Any]) -> List[str]:
    return [item.text for item in items or ()]


def topic_messages(topic: str, cause_id: str) -> List[Message]:
    """Answer about one cause: what it is, doctor, tests, treatment, self-help."""
    cause = _causes()[cause_id]
    title = f"{cause.name} ({cause.lay_name})"
    if topic == "cause":
        text = f"{title}: {cause.summary}"
    elif topic == "specialist":
        doctors = _join(_specialist_names(cause.specialists))
        text = f"For {title}, the doctor to see is {doctors}."
    elif topic == "tests":
        tests = "; ".join(_test_names(cause.tests))
        text = f"For {title}, the doctor may order: {tests}."
    elif topic == "treatment":
        steps = _sourced(cause.treatment.conservative) + _sourced(
            cause.treatment.surgical
        )
        text = (
            f"Treatment of {title}: " + " ".join(steps)
            if steps
            else f"The article names no specific treatment for {title}; a doctor "
            "will advise."
        )
        text += " Only a doctor can decide on treatment."
    elif topic == "self_help":
        tips = _sourced(cause.self_help)
        text = (
            f"What you can do for {title}: " + " ".join(tips)
            if tips
            else f"The article gives no self-help advice for {title}; please see a "
            "doctor."
        )
        signs = [get_cause_table().red_flag(flag).label for flag in cause.red_flags]
        if signs:
            text += f" {WHEN_TO_WORRY} " + "; ".join(signs) + "."
    else:
        raise ValueError(f"unknown topic {topic!r}; allowed: {', '.join(TOPICS)}")
    return [{"text": f"{text} {disclaimer()}"}]


# --------------------------------------------------------------- summary
_ISO_PARTS = re.compile(r"(\d+(?:\.\d+)?)([YMWDHS])")
_UNITS = {"Y": "year", "W": "week", "D": "day", "H": "hour", "S": "second"}


def humanize_duration(iso: Optional[str]) -> Optional[str]:
    """ "P3W" -> "3 weeks", "PT20M" -> "20 minutes"; None when unreadable."""
    if not iso or not iso.startswith("P"):
        return None
    date, _, time = iso[1:].partition("T")
    parts = []
    for chunk, is_time in ((date, False), (time, True)):
        for number, unit in _ISO_PARTS.findall(chunk):
            name = ("minute" if is_time else "month") if unit == "M" else _UNITS[unit]
            count = float(number)
            shown = f"{count:g}"
            parts.append(f"{shown} {name}{'' if count == 1 else 's'}")
    return " ".join(parts) or None


def summary_message(findings: Findings) -> Message:
    """A plain summary of what the person reported, to show a doctor."""
    vocabulary = get_vocabulary()
    present = sorted(f for f in findings.present if vocabulary.has(*f))
    absent = sorted(f for f in findings.absent if vocabulary.has(*f))
    if not (present or absent or findings.age or findings.duration):
        return {
            "text": "You haven't told me about any symptoms yet. Describe what you "
            "feel, where and since when, and I'll put it together for your doctor."
        }
    lines = ["Summary for your doctor (what you told me; not a diagnosis):"]
    if present:
        lines.append("Reported: " + "; ".join(_label(f) for f in present) + ".")
    if absent:
        lines.append("Not present: " + "; ".join(_label(f) for f in absent) + ".")
    onset = [_label(f) for f in present if f[0] == "onset"]
    lines.append("Onset: " + (_join(onset) if onset else "not stated") + ".")
    duration = humanize_duration(findings.duration)
    lines.append("Duration: " + (duration or "not stated") + ".")
    if findings.age:
        lines.append(f"Age: {findings.age}.")
    lines.append(disclaimer())
    return {"text": "\n".join(lines)}
