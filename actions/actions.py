"""Thin Rasa SDK adapters over the pure core (parsing, triage, follow_up, replies).

Each action reads slots and the latest message, calls one core function and
returns slot events plus the messages the core built. No medical branching and
no wording lives here: texts come from replies.py (cause table) or the domain.

One action-server call per turn where possible (reports/bench.md): every action
that runs after a user message first merges that message's facts itself
(merging is idempotent), so the custom slot mapping (action_extract_facts) only
runs on turns that no other custom action answers, and the form's validator
also asks the next question (the form has no ask action).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import replace
from typing import Any, Dict, List, NamedTuple, Optional, Set, Text, Tuple, Type

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import follow_up, parsing, replies, triage
from actions.cause_table import CAUSE_ENTITY, get_cause_table

FORM_NAME = "symptom_form"
EMERGENCY_PROMPT = "utter_emergency"
#: Value of the `experiencer` entity and slot for someone else's story.
OTHER_PERSON = "other"

# rasa_sdk has no start-up hook: the action server imports this module once as it
# starts, so the cause table is loaded and validated here, and a broken causes.yml
# stops the server at start with the row and the field named, not at the first turn.
get_cause_table()

Updates = Dict[Text, Any]


def _slot(tracker: Tracker, updates: Updates, name: Text) -> Any:
    """A slot's value once this turn's updates apply."""
    return updates[name] if name in updates else tracker.get_slot(name)


def _findings(tracker: Tracker, updates: Optional[Updates] = None) -> triage.Findings:
    updates = updates or {}
    return parsing.findings_from_slots(
        _slot(tracker, updates, "facts_present"),
        _slot(tracker, updates, "facts_absent"),
        _slot(tracker, updates, "age"),
        _slot(tracker, updates, "duration"),
    )


def _asked(tracker: Tracker, updates: Optional[Updates] = None) -> List[str]:
    asked = _slot(tracker, updates or {}, "asked_questions")
    return [str(qid) for qid in asked or []]


def _intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def _entities(tracker: Tracker) -> List[Dict[str, Any]]:
    return list(tracker.latest_message.get("entities") or [])


def _send(dispatcher: CollectingDispatcher, messages: List[Dict[str, Any]]) -> None:
    for message in messages:
        dispatcher.utter_message(**message)


def _slot_events(updates: Updates) -> List[EventType]:
    return [SlotSet(name, value) for name, value in updates.items()]


def _merged_fact_slots(
    tracker: Tracker, updates: Updates, new_present: Any, new_absent: Any
) -> Updates:
    """The fact slots that change when these facts are added (latest wins)."""
    old = {
        "facts_present": list(_slot(tracker, updates, "facts_present") or []),
        "facts_absent": list(_slot(tracker, updates, "facts_absent") or []),
    }
    present, absent = parsing.merge_facts(
        old["facts_present"], old["facts_absent"], new_present, new_absent
    )
    new = {"facts_present": present, "facts_absent": absent}
    return {slot: value for slot, value in new.items() if value != old[slot]}


def _corrections(
    tracker: Tracker, facts: parsing.MessageFacts, updates: Optional[Updates] = None
) -> Updates:
    """Slot changes when the message corrects an earlier fact (last word wins).

    The old fact leaves `facts_present` and the pair is kept in `corrections`
    so the next assessment says what it now uses.
    """
    updates = updates or {}
    present = list(_slot(tracker, updates, "facts_present") or [])
    pairs = follow_up.corrected_facts(present, facts.present)
    if not pairs:
        return {}
    kept = list(_slot(tracker, updates, "corrections") or [])
    for old, new in pairs:
        if old in present:
            present.remove(old)
        kept.append(f"{old}{follow_up.CORRECTION_SEPARATOR}{new}")
    return {"facts_present": present, "corrections": kept}


def _typed_corrections(
    tracker: Tracker, facts: parsing.MessageFacts
) -> List[Tuple[str, str]]:
    """The (old, new) pairs a typed message corrects (a button answers only)."""
    if facts.answered:
        return []
    present = list(tracker.get_slot("facts_present") or [])
    return follow_up.corrected_facts(present, facts.present)


#: A message the NLU did not understand adds no facts ("sorry for the typo, I
#: slipped" is no injury; see the fact slots' not_intent in domain.yml).
FACTLESS_INTENTS = frozenset({"nlu_fallback"})
#: Slots only the action server sets from a message's facts: a turn that set
#: one of them was merged.
FACT_SLOTS = ("facts_present", "facts_absent", "age", "duration")


def _action_server_answered(turn: List[Dict[str, Any]], custom: Set[str]) -> bool:
    """True when the action server handled this turn's message (events of one turn).

    A custom action whose call failed is logged with no events after it (Rasa
    carries on without them); one that ran is followed by its own events, and
    a fact slot set in the turn was set by the action server.
    """
    for index, event in enumerate(turn):
        if event.get("event") == "slot" and event.get("name") in FACT_SLOTS:
            return True
        if event.get("event") == "action" and event.get("name") in custom:
            after = turn[index + 1] if index + 1 < len(turn) else None
            if after is not None and after.get("event") not in ("action", "user"):
                return True
    return False


def _unmerged_earlier_messages(
    tracker: Tracker, domain: Optional[DomainDict]
) -> List[parsing.MessageFacts]:
    """Facts of earlier messages the action server never saw, oldest first.

    Why: a message sent while the action server was down is kept in the
    tracker and answered by the Rasa server (the emergency prompt included),
    but its facts were merged by no action; they count when it is back.
    """
    custom = {
        str(name)
        for name in [
            *(domain or {}).get("actions", []),
            *(domain or {}).get("forms", {}),
        ]
        if not str(name).startswith("utter_")
    }
    turns: List[List[Dict[str, Any]]] = []
    for event in tracker.events:
        if event.get("event") == "user":
            turns.append([event])
        elif event.get("event") == "restart":
            turns = []
        elif turns:
            turns[-1].append(event)
    unmerged: List[parsing.MessageFacts] = []
    for turn in reversed(turns[:-1]):  # the last turn is this one
        if _action_server_answered(turn, custom):
            break
        parse = turn[0].get("parse_data") or {}
        if (parse.get("intent") or {}).get("name") in FACTLESS_INTENTS:
            continue
        facts = parsing.facts_from_entities(list(parse.get("entities") or []))
        if not facts.is_empty():
            unmerged.insert(0, facts)
    return unmerged


def _merge_message(
    tracker: Tracker, updates: Updates, facts: parsing.MessageFacts
) -> None:
    """Adds one message's facts, age and duration to `updates` (last word wins)."""
    if facts.is_empty():
        return
    updates.update(_corrections(tracker, facts, updates))
    updates.update(_merged_fact_slots(tracker, updates, facts.present, facts.absent))
    for name, value in (("age", facts.age), ("duration", facts.duration)):
        if value is not None and value != _slot(tracker, updates, name):
            updates[name] = value


def _message_fact_updates(
    tracker: Tracker,
    facts: Optional[parsing.MessageFacts] = None,
    domain: Optional[DomainDict] = None,
) -> Updates:
    """Slot changes that merge the facts, age and duration of this turn's message.

    With the domain, the messages since the last turn the action server
    handled are merged first, oldest first. Idempotent: merging the same
    message twice changes nothing, so every action of a turn may call it and
    the facts are kept whichever runs.
    """
    updates: Updates = {}
    for earlier in _unmerged_earlier_messages(tracker, domain) if domain else []:
        _merge_message(tracker, updates, earlier)
    _merge_message(
        tracker, updates, facts or parsing.facts_from_entities(_entities(tracker))
    )
    return updates


def _emergency_prompt_sent(tracker: Tracker) -> bool:
    """True when utter_emergency ran since the latest user message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") == EMERGENCY_PROMPT:
            return True
    return False


def _interrupts_the_form(tracker: Tracker) -> bool:
    """True when the form runs right after a message that is no answer.

    Such a message (a red flag, "start over", a question of the person's own;
    see follow_up's not_intent) fills no slot. The validator then returns
    nothing, so Rasa's form rejects the turn and the message's own rule answers
    it. Why the event scan: Rasa calls the validator alike on that turn and on
    the return from the interruption, with a temporary tracker that ends in
    the form's own ActionExecuted; Rasa's own test (FormAction's
    `_validate_if_required`) is whether the action before it is action_listen.
    """
    if not tracker.get_slot("requested_slot"):
        return False  # the form is being activated
    form_seen = False
    for event in reversed(tracker.events):
        if event.get("event") != "action":
            continue
        if event.get("name") == FORM_NAME and not form_seen:
            form_seen = True  # the form's own run
            continue
        # action_listen: the user just spoke; any other: back from an interruption
        return event.get("name") == "action_listen"
    return False


#: Mapping key that marks a slot holding one round of questions (domain.yml).
LIFETIME_KEY = "lifetime"
ROUND_OF_QUESTIONS = "questions"


def round_slots(domain: DomainDict) -> Dict[str, Any]:
    """Slots of one round of questions, with their initial values.

    Derived from the domain: a slot whose mappings say `lifetime: questions`
    holds the state of one round (the open question, how often it was asked,
    "just tell me", corrections not yet reported); an assessment ends the
    round. Rasa ignores the key; starting over (action_restart) clears all.
    """
    return {
        str(name): slot.get("initial_value")
        for name, slot in (domain.get("slots") or {}).items()
        if any(
            mapping.get(LIFETIME_KEY) == ROUND_OF_QUESTIONS
            for mapping in slot.get("mappings") or []
        )
    }


def _round_reset(tracker: Tracker, domain: DomainDict, updates: Updates) -> Updates:
    """Slot changes that end the round of questions (only slots that are set)."""
    return {
        name: initial
        for name, initial in round_slots(domain).items()
        if _slot(tracker, updates, name) != initial
    }


def _answer_read_as_an_interruption(tracker: Tracker) -> bool:
    """True when a reply read as an interruption is an answer to the question.

    The one custom step of the form: Rasa's not_intent routes every message
    classified as a question of one's own, "start over" or goodbye away from
    the form, and a validator cannot reject a slot once it is filled, so the
    check that the message's words show it (a question's form, a wish to
    start over, to leave) is here, where the open question is known. An
    answer such as "after exercise" is then not asked again and again, and
    "during long flights" does not end the questions.
    """
    return bool(tracker.get_slot("current_question")) and not (
        follow_up.shows_its_intent(_intent(tracker), tracker.latest_message.get("text"))
    )


def _taken_as(question_id: Optional[str], facts: parsing.MessageFacts) -> str:
    """The response that says how a reply to a question asked twice is taken."""
    if replies.reply_answers_question(
        question_id, facts.present, facts.absent, facts.duration
    ):
        return "utter_taken_as_answer"
    return "utter_taken_as_dont_know"


def _no_bot_message_yet(tracker: Tracker) -> bool:
    return not any(event.get("event") == "bot" for event in tracker.events)


def _leading_cause(findings: triage.Findings) -> Optional[str]:
    """The first possible cause for what was told so far, if any."""
    if not findings.present:
        return None
    causes = triage.assess(findings).causes
    return causes[0].id if causes else None


def _plan(findings: triage.Findings, asked: List[str], skip: bool) -> Optional[str]:
    """Next question id, or None when it is time to assess."""
    engine = triage.assess(findings, asked=frozenset(asked))
    return follow_up.plan_next_question(
        engine.next_question.id if engine.next_question else None,
        engine.red_flag_question is not None,
        asked,
        skip,
        red_flag_fired=bool(engine.red_flags),
    )


class Turn(NamedTuple):
    """One turn as an action answers it: where to send, what was said, the domain."""

    dispatcher: CollectingDispatcher
    tracker: Tracker
    domain: DomainDict


class _TurnAction(Action, ABC):
    """An action named in the domain by `action_name` that answers one turn."""

    action_name: str = ""

    def name(self) -> Text:
        """Action name in the domain."""
        return self.action_name

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[EventType]:
        """The events of this turn's answer."""
        return self.answer(Turn(dispatcher, tracker, domain))

    @abstractmethod
    def answer(self, turn: Turn) -> List[EventType]:
        """Sends what the turn needs; returns its events."""


class ActionExtractFacts(_TurnAction):
    """Merges the facts of a user message into the fact slots.

    Run by action_extract_slots through the slots' custom mapping on the turns
    that no other custom action answers (small talk, yes / no outside the
    questions; see the mapping's not_intent in domain.yml), so facts are kept
    whatever the intent.
    """

    action_name = "action_extract_facts"

    def answer(self, turn: Turn) -> List[EventType]:
        """SlotSet events for the facts, age and duration the message adds."""
        return _slot_events(_message_fact_updates(turn.tracker, domain=turn.domain))


class ValidateSymptomForm(_TurnAction):
    """Runs the follow-up questions: reads each answer, asks the next question.

    Rasa's form calls this on activation, after each answer and on return from
    an interruption. The form has no ask action, so this one call per turn
    merges the message's facts, reads the answer, and either sends the next
    question or ends the form (requested_slot None) for the assessment. A
    message that interrupts the form gets no events, so its rule answers it.
    """

    action_name = f"validate_{FORM_NAME}"

    def answer(self, turn: Turn) -> List[EventType]:
        """Slot events of this turn plus the next question, or the end."""
        dispatcher, tracker, domain = turn
        answered = "follow_up" in tracker.slots_to_validate()
        if not answered and _interrupts_the_form(tracker):
            if not _answer_read_as_an_interruption(tracker):
                return []
            answered = True
        message_facts = parsing.facts_from_entities(_entities(tracker))
        if message_facts.answered:
            message_facts = replace(
                message_facts,
                absent=replies.keep_told_facts(
                    message_facts.absent, _findings(tracker)
                ),
            )
        updates = _message_fact_updates(tracker, message_facts, domain)
        current = _slot(tracker, updates, "current_question")
        may_ask_again = follow_up.asks_again(int(tracker.get_slot("times_asked") or 0))
        corrected = _typed_corrections(tracker, message_facts)
        if corrected:
            # "no wait, it's the left leg": a correction, not an answer; the
            # open question is asked again.
            dispatcher.utter_message(text=replies.correction_ack(corrected))
        elif answered:
            updates.update(
                self.read_answer(
                    dispatcher, tracker, updates, message_facts, may_ask_again
                )
            )
        asked = _asked(tracker, updates)
        skip = bool(_slot(tracker, updates, "skip_requested"))
        # asked again: after an unclear "yes", a correction, or back from an
        # interruption (a question of the person's own, a red flag's check)
        again = bool(current) and (current not in asked or not answered or corrected)
        if again and may_ask_again:
            question_id: Optional[str] = current
        else:
            if again:
                # Never a third time in a row: the reply is the answer, or "I
                # don't know", and the questions go on.
                dispatcher.utter_message(response=_taken_as(current, message_facts))
                if current not in asked:
                    asked = [*asked, str(current)]
                    updates["asked_questions"] = asked
            question_id = _plan(_findings(tracker, updates), asked, skip)
        updates["follow_up"] = None
        if question_id is None:
            updates.update(current_question=None, requested_slot=None)
            return _slot_events(updates)
        if _no_bot_message_yet(tracker):
            dispatcher.utter_message(response="utter_intro")
        about_other = tracker.get_slot("experiencer") == OTHER_PERSON
        if not asked and about_other:
            # someone else's story: the questions are about them
            dispatcher.utter_message(text=replies.QUESTIONS_ABOUT_OTHER)
        _send(
            dispatcher,
            [
                replies.question_message(
                    question_id, _findings(tracker, updates), about_other
                )
            ],
        )
        updates["current_question"] = question_id
        if question_id not in asked:
            updates["asked_questions"] = [*asked, question_id]
        repeated = question_id == current and again
        updates["times_asked"] = (
            int(tracker.get_slot("times_asked") or 1) + 1 if repeated else 1
        )
        return _slot_events(updates)

    @staticmethod
    def read_answer(
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        updates: Updates,
        message_facts: parsing.MessageFacts,
        may_ask_again: bool = True,
    ) -> Updates:
        """Slot changes from the answer to the current question.

        Button answers and typed facts are the message's facts (already in
        `updates`); here a typed "yes" / "no" is mapped onto the current
        question, and an unclear reply is said to be unclear. A "yes" to a
        question with several answers asks it again, unless it was just asked
        twice.
        """
        intent = _intent(tracker)
        current = tracker.get_slot("current_question")
        answer = replies.AnswerFacts()
        said = intent
        if not message_facts.answered:
            text = tracker.latest_message.get("text")
            if intent not in ("affirm", "deny", "dont_know") and replies.says_yes(text):
                said = "affirm"
            elif intent in ("affirm", "deny") and replies.is_account(text):
                said = None
            answer = replies.answer_facts(current, said, message_facts.present)
        changes: Updates = _merged_fact_slots(
            tracker,
            updates,
            answer.present,
            [
                fact
                for fact in replies.keep_told_facts(answer.absent, _findings(tracker))
                if fact not in message_facts.present
            ],
        )
        if intent == "skip_questions" and not tracker.get_slot("skip_requested"):
            changes["skip_requested"] = True
        understood = (
            answer.understood
            or message_facts.answered
            or not message_facts.is_empty()
            or intent in ("dont_know", "skip_questions")
        )
        asked = _asked(tracker)
        if not understood and said == "affirm" and current in asked and may_ask_again:
            # "yes" to a question with several answers: ask it again.
            asked.remove(current)
            changes["asked_questions"] = asked
            dispatcher.utter_message(response="utter_answer_pick_one")
        elif not understood:
            dispatcher.utter_message(response="utter_answer_unclear")
        return changes


class ActionAssessSymptoms(_TurnAction):
    """Sends the assessment: urgency first, causes, doctor, tests, JSON."""

    action_name = "action_assess_symptoms"

    def answer(self, turn: Turn) -> List[EventType]:
        """Runs the triage engine on every fact so far and reports the result."""
        dispatcher, tracker, domain = turn
        message = parsing.facts_from_entities(_entities(tracker))
        updates = _message_fact_updates(tracker, message, domain)
        prompt_sent = _emergency_prompt_sent(tracker)
        previous = tracker.get_slot("urgency") if tracker.get_slot("assessed") else None
        result = replies.upheld_emergency(
            replies.proportionate(
                triage.assess(
                    _findings(tracker, updates), asked=frozenset(_asked(tracker))
                ),
                previous,
                message.duration,
            ),
            prompt_sent,
        )
        change = replies.change_note(
            result,
            previous_urgency=previous,
            added=[parsing.fact_to_str(fact) for fact in message.present],
            corrections=[
                tuple(pair.split(follow_up.CORRECTION_SEPARATOR, 1))
                for pair in _slot(tracker, updates, "corrections") or []
            ],
        )
        _send(
            dispatcher,
            replies.assessment_messages(
                result,
                prompt_sent,
                change,
                about_other=tracker.get_slot("experiencer") == OTHER_PERSON,
            ),
        )
        causes = [cause.id for cause in result.causes[: replies.MAX_CAUSES]]
        updates.update(_round_reset(tracker, domain, updates))
        return [
            *_slot_events(updates),
            SlotSet("assessed", True),
            SlotSet("urgency", result.urgency),
            SlotSet("ranked_causes", causes),
            SlotSet("focus_cause", causes[0] if causes else None),
        ]


class _ActionExplain(_TurnAction):
    """Answers a question about one cause (or the likely ones) from the table."""

    topic: str = ""

    def name(self) -> Text:
        """Action name in the domain."""
        return f"action_explain_{self.topic}"

    def answer(self, turn: Turn) -> List[EventType]:
        """Picks the cause meant (named, "the second one", last discussed).

        A cause named in a question ("what is sciatica?") is what the person
        asks about, not something they have: it is not kept as a fact.
        """
        dispatcher, tracker, domain = turn
        facts = parsing.facts_from_entities(_entities(tracker))
        facts = replace(
            facts, present=tuple(f for f in facts.present if f[0] != CAUSE_ENTITY)
        )
        updates = _message_fact_updates(tracker, facts, domain)
        ranked = [str(cid) for cid in tracker.get_slot("ranked_causes") or []]
        cause_id = replies.resolve_cause(
            named=parsing.cause_from_entities(_entities(tracker)),
            ordinal=parsing.ordinal_from_text(tracker.latest_message.get("text")),
            ranked=ranked,
            focus=tracker.get_slot("focus_cause"),
        )
        in_questions = tracker.active_loop_name == FORM_NAME
        if cause_id is None and in_questions:
            # A question of the person's own in the middle of the questions is
            # answered for the leading possible cause so far; the form then
            # asks its open question again (rules_follow_up.yml).
            cause_id = _leading_cause(_findings(tracker, updates))
            if cause_id is not None:
                dispatcher.utter_message(text=replies.PROVISIONAL_NOTE)
                _send(dispatcher, replies.topic_messages(self.topic, cause_id))
                return _slot_events(updates)
        if cause_id is None:
            if not _slot(tracker, updates, "facts_present"):
                dispatcher.utter_message(response="utter_no_cause_yet")
                return _slot_events(updates)
            # Symptoms told but no assessment yet: the questions come first.
            dispatcher.utter_message(response="utter_questions_first")
            if in_questions:
                return _slot_events(updates)
            return [*_slot_events(updates), FollowupAction(FORM_NAME)]
        _send(dispatcher, replies.topic_messages(self.topic, cause_id))
        return [*_slot_events(updates), SlotSet("focus_cause", cause_id)]


def _explain_action(topic: str, doc: str) -> Type[_ActionExplain]:
    """The explain action of one topic (the SDK finds actions as classes)."""
    name = "ActionExplain" + topic.title().replace("_", "")
    body = {"topic": topic, "__doc__": doc, "__module__": __name__}
    return type(name, (_ActionExplain,), body)


ActionExplainCause = _explain_action("cause", "What a cause is and why it may fit.")
ActionExplainSpecialist = _explain_action("specialist", "Which doctor sees this cause.")
ActionExplainTests = _explain_action("tests", "Which tests the doctor may order.")
ActionExplainTreatment = _explain_action(
    "treatment", "How the article says it is treated."
)
ActionExplainSelfHelp = _explain_action(
    "self_help", "What the person can do meanwhile, first aid included."
)


class ActionSummarizeFacts(_TurnAction):
    """A plain summary of everything reported, to show the doctor."""

    action_name = "action_summarize_facts"

    def answer(self, turn: Turn) -> List[EventType]:
        """Sends the summary of the facts, this message's included."""
        updates = _message_fact_updates(turn.tracker, domain=turn.domain)
        summary = replies.summary_message(_findings(turn.tracker, updates))
        _send(turn.dispatcher, [summary])
        return _slot_events(updates)
