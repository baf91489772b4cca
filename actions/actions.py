"""Thin Rasa SDK adapters over the pure core (parsing, triage, follow_up, replies).

Each action reads slots and the latest message, calls one core function and
returns slot events plus the messages the core built. No medical branching and
no wording lives here: texts come from replies.py (cause table) or the domain.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import follow_up, parsing, replies, triage
from actions.cause_table import get_cause_table

FORM_NAME = "symptom_form"
DONE = "done"
EMERGENCY_PROMPT = "utter_emergency"

# rasa_sdk has no start-up hook: the action server imports this module once as it
# starts, so the cause table is loaded and validated here, and a broken causes.yml
# stops the server at start with the row and the field named, not at the first turn.
get_cause_table()


def _findings(tracker: Tracker) -> triage.Findings:
    return parsing.findings_from_slots(
        tracker.get_slot("facts_present"),
        tracker.get_slot("facts_absent"),
        tracker.get_slot("age"),
        tracker.get_slot("duration"),
    )


def _asked(tracker: Tracker) -> List[str]:
    return [str(qid) for qid in tracker.get_slot("asked_questions") or []]


def _intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def _entities(tracker: Tracker) -> List[Dict[str, Any]]:
    return list(tracker.latest_message.get("entities") or [])


def _send(dispatcher: CollectingDispatcher, messages: List[Dict[str, Any]]) -> None:
    for message in messages:
        dispatcher.utter_message(**message)


def _merged_fact_slots(
    tracker: Tracker, new_present: Any, new_absent: Any
) -> Dict[Text, List[str]]:
    """The fact slots that change when these facts are added (latest wins)."""
    old = {
        "facts_present": list(tracker.get_slot("facts_present") or []),
        "facts_absent": list(tracker.get_slot("facts_absent") or []),
    }
    present, absent = parsing.merge_facts(
        old["facts_present"], old["facts_absent"], new_present, new_absent
    )
    new = {"facts_present": present, "facts_absent": absent}
    return {slot: value for slot, value in new.items() if value != old[slot]}


def _emergency_prompt_sent(tracker: Tracker) -> bool:
    """True when utter_emergency ran since the latest user message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") == EMERGENCY_PROMPT:
            return True
    return False


def _no_bot_message_yet(tracker: Tracker) -> bool:
    return not any(event.get("event") == "bot" for event in tracker.events)


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


class ActionExtractFacts(Action):
    """Merges the facts of every user message into the fact slots.

    Run by action_extract_slots through the slots' custom mapping, so facts are
    kept whatever the intent and whether or not the form is active.
    """

    def name(self) -> Text:
        """Action name in the domain."""
        return "action_extract_facts"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[EventType]:
        """SlotSet events for the facts, age and duration the message adds."""
        facts = parsing.facts_from_entities(_entities(tracker))
        if facts.is_empty():
            return []
        changed = _merged_fact_slots(tracker, facts.present, facts.absent)
        events: List[EventType] = [SlotSet(k, v) for k, v in changed.items()]
        if facts.age is not None:
            events.append(SlotSet("age", facts.age))
        if facts.duration is not None:
            events.append(SlotSet("duration", facts.duration))
        return events


class ActionAskFollowUp(Action):
    """Asks the next follow-up question with its answer buttons."""

    def name(self) -> Text:
        """Action name in the domain (the form's ask action for follow_up)."""
        return "action_ask_follow_up"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[EventType]:
        """Sends the question and records it as asked."""
        asked = _asked(tracker)
        current = tracker.get_slot("current_question")
        if current and current not in asked:
            question_id = current  # asked again after an unclear "yes"
        else:
            skip = bool(tracker.get_slot("skip_requested"))
            question_id = (
                _plan(_findings(tracker), asked, skip) or follow_up.RED_FLAG_CHECK_ID
            )
        if _no_bot_message_yet(tracker):
            dispatcher.utter_message(response="utter_intro")
        _send(dispatcher, [replies.question_message(question_id)])
        return [
            SlotSet("current_question", question_id),
            SlotSet("asked_questions", [*asked, question_id]),
        ]


class ValidateSymptomForm(FormValidationAction):
    """Reads each answer and decides whether another question is useful."""

    def name(self) -> Text:
        """Validator name: validate_<form>."""
        return f"validate_{FORM_NAME}"

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        """No slot (the form ends) when no question is worth asking.

        While an answer waits for validation the slot stays required, so the
        answer is always read before the form decides to stop.
        """
        if "follow_up" in tracker.slots_to_validate():
            return domain_slots
        skip = bool(tracker.get_slot("skip_requested"))
        if _plan(_findings(tracker), _asked(tracker), skip) is None:
            return []
        return domain_slots

    async def validate_follow_up(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[Text, Any]:
        """Applies the answer's facts; follow_up None asks again, "done" ends.

        Button answers and typed facts were already merged by
        action_extract_facts; here a typed "yes" / "no" is mapped onto the
        current question, and an unclear reply is said to be unclear.
        """
        intent = _intent(tracker)
        message_facts = parsing.facts_from_entities(_entities(tracker))
        current = tracker.get_slot("current_question")
        answer = replies.AnswerFacts()
        if not message_facts.answered:
            answer = replies.answer_facts(current, intent)
        updates: Dict[Text, Any] = _merged_fact_slots(
            tracker,
            answer.present,
            [fact for fact in answer.absent if fact not in message_facts.present],
        )
        skip = bool(tracker.get_slot("skip_requested")) or intent == "skip_questions"
        if skip:
            updates["skip_requested"] = True
        understood = (
            answer.understood
            or message_facts.answered
            or not message_facts.is_empty()
            or intent in ("dont_know", "skip_questions")
        )
        asked = _asked(tracker)
        if not understood and intent == "affirm" and current in asked:
            # "yes" to a question with several answers: ask it again.
            asked.remove(current)
            updates["asked_questions"] = asked
            dispatcher.utter_message(response="utter_answer_pick_one")
        elif not understood:
            dispatcher.utter_message(response="utter_answer_unclear")
        findings = parsing.findings_from_slots(
            updates.get("facts_present", tracker.get_slot("facts_present")),
            updates.get("facts_absent", tracker.get_slot("facts_absent")),
            tracker.get_slot("age"),
            tracker.get_slot("duration"),
        )
        if current not in asked:
            updates["follow_up"] = None
        elif _plan(findings, asked, skip) is None:
            updates.update(follow_up=DONE, current_question=None)
        else:
            updates["follow_up"] = None
        return updates


class ActionAssessSymptoms(Action):
    """Sends the assessment: urgency first, causes, doctor, tests, JSON."""

    def name(self) -> Text:
        """Action name in the domain."""
        return "action_assess_symptoms"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[EventType]:
        """Runs the triage engine on every fact so far and reports the result."""
        prompt_sent = _emergency_prompt_sent(tracker)
        result = replies.upheld_emergency(
            triage.assess(_findings(tracker), asked=frozenset(_asked(tracker))),
            prompt_sent,
        )
        _send(dispatcher, replies.assessment_messages(result, prompt_sent))
        causes = [cause.id for cause in result.causes[: replies.MAX_CAUSES]]
        return [
            SlotSet("assessed", True),
            SlotSet("urgency", result.urgency),
            SlotSet("ranked_causes", causes),
            SlotSet("focus_cause", causes[0] if causes else None),
            SlotSet("follow_up", None),
            SlotSet("current_question", None),
            SlotSet("skip_requested", None),
            # the emergency prompt's variation must not outlive this turn
            SlotSet("red_flag", None),
        ]


class _ActionExplain(Action):
    """Answers a question about one cause (or the likely ones) from the table."""

    topic: str = ""

    def name(self) -> Text:
        """Action name in the domain."""
        return f"action_explain_{self.topic}"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[EventType]:
        """Picks the cause meant (named, "the second one", last discussed)."""
        ranked = [str(cid) for cid in tracker.get_slot("ranked_causes") or []]
        cause_id = replies.resolve_cause(
            named=parsing.cause_from_entities(_entities(tracker)),
            ordinal=parsing.ordinal_from_text(tracker.latest_message.get("text")),
            ranked=ranked,
            focus=tracker.get_slot("focus_cause"),
        )
        if cause_id is None:
            if not tracker.get_slot("facts_present"):
                dispatcher.utter_message(response="utter_no_cause_yet")
                return []
            # Symptoms told but no assessment yet: the questions come first.
            dispatcher.utter_message(response="utter_questions_first")
            if tracker.active_loop_name == FORM_NAME:
                return []
            return [FollowupAction(FORM_NAME)]
        _send(dispatcher, replies.topic_messages(self.topic, cause_id))
        return [SlotSet("focus_cause", cause_id)]


class ActionExplainCause(_ActionExplain):
    """What a cause is and why it may fit."""

    topic = "cause"


class ActionExplainSpecialist(_ActionExplain):
    """Which doctor sees this cause."""

    topic = "specialist"


class ActionExplainTests(_ActionExplain):
    """Which tests the doctor may order."""

    topic = "tests"


class ActionExplainTreatment(_ActionExplain):
    """How the article says it is treated."""

    topic = "treatment"


class ActionExplainSelfHelp(_ActionExplain):
    """What the person can do meanwhile, first aid included."""

    topic = "self_help"


class ActionSummarizeFacts(Action):
    """A plain summary of everything reported, to show the doctor."""

    def name(self) -> Text:
        """Action name in the domain."""
        return "action_summarize_facts"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[EventType]:
        """Sends the summary; changes no slot."""
        _send(dispatcher, [replies.summary_message(_findings(tracker))])
        return []
