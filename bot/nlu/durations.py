"""Durations (ISO 8601), ages (years) and fever readings from lay text, by
regular expressions.

"for three weeks" -> P3W, "since yesterday" -> P1D, "a couple of months" -> P2M,
"20 mins" -> PT20M; "a couple of" is 2, "a few" / "several" 3. Only the symptom's
duration counts: "32 weeks pregnant", "45 years old", "every 2 hours" and
"surgery 3 weeks ago" are not durations. Ages: "I'm 45", "45 yo", "aged 60",
"a 70-year-old". Offsets are character offsets into the text given.
"""

from __future__ import annotations

import re
from datetime import date
from typing import List, NamedTuple, Optional, Tuple

ONES = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
FUZZY_COUNTS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "a single": 1,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "couple": 2,
    "a few": 3,
    "few": 3,
    "several": 3,
    "a number of": 3,
}
#: unit -> (ISO designator, in time part?)
UNITS = {
    "min": ("M", True),
    "hour": ("H", True),
    "day": ("D", False),
    "week": ("W", False),
    "month": ("M", False),
    "year": ("Y", False),
}

_WORD_NUMBER = (
    r"(?:(?:" + "|".join(TENS) + r")(?:[\s-](?:" + "|".join(list(ONES)[1:10]) + r"))?"
    r"|" + "|".join(sorted(ONES, key=len, reverse=True)) + r")"
)
_COUNT = (
    r"(?P<count>\d+(?:[.,]5)?|" + _WORD_NUMBER + r"|a couple(?: of)?|couple(?: of)?"
    r"|a few|few|several|a number of|a single|an|a)"
)
_UNIT = (
    r"(?P<unit>min(?:ute)?[sz]?|mins?|minz|hrs?|hours?|hourz|h|days?|dayz|dys|d|wks?|"
    r"weeks?|weekz|w|mo(?:nth)?s?|mnths?|mths?|months?|monthz|yrs?|years?|yearz|y)"
)
#: A unit may follow a number in digits at once ("2d", "3hrs"); after a word it
#: takes a space ("an hour"), so "and" is no "an d" and "any" no "an y".
_UNIT_GAP = r"(?:(?<=[\d+])\s*|\s+)"
_DURATION = re.compile(
    r"(?<![\w.])(?P<pre>(?:for|since|past|last|about|around|over|almost|nearly|"
    r"roughly|maybe|like|than|the|within|in|under|less than|not even)\s+)?"
    + _COUNT
    + r"(?:\s*(?:-|to|or)\s*(?P<upper>\d+|"
    + _WORD_NUMBER
    + r"))?(?:\s*\+|\s+plus)?"
    + _UNIT_GAP
    + r"(?:-\s*)?(?:and a half\s+)?"
    + _UNIT
    + r"(?![\w])(?P<post>\s+(?:and a half\b\s*)?(?:old|of age|pregnant|postpartum|"
    r"ago|now|or so|or two|straight|in a row|running)?\b)?",
)
_HALF = re.compile(r"\bhalf (?:an?|one) (?P<unit>hour|day|year)\b")
#: "all day today": the symptom's day so far (never a habit: "I stand all day").
_ALL_DAY_TODAY = re.compile(r"\ball day today\b")
_SINCE = re.compile(
    r"\b(?:since|from|started|start|began|begun|beginning)\s+(?:(?:the\s+)?(?:day\s+"
    r"before\s+)?)?"
    # ... with a clock time first ("since about 5 yesterday afternoon")
    r"(?:(?:about|around|roughly|maybe)\s+)?(?:\d{1,2}(?:[:.]\d{2})?\s*"
    r"(?:am|pm|o'?clock)?\s+)?"
    r"(?P<when>yesterday|yday|yest|yesterdy|yesturday|ystday|last night|"
    r"last week|last month|last year|"
    r"the weekend|last weekend|this morning|this afternoon|this evening|lunch|"
    r"lunchtime|today|tonight|a week ago|a month ago|a year ago)\b"
)
#: Waking told as the start ("floppy since he woke up", "since waking"): this
#: morning's waking, unless a day or a count is told with it ("since i woke up on
#: monday", "since i woke up 3 days ago").
_SINCE_WAKING = re.compile(
    r"\bsince\s+(?:(?:i|he|she|they|we)\s+(?:woke|got up)|waking|getting up)"
    r"(?:\s+up)?\b(?!(?:\s+up)?\s+(?:on|yesterday|last|that|the\s+day|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|\d+|an?|one|two|three|four|five|"
    r"six|seven|few|couple|several)\b)"
)
#: A symptom dated from youth ("since i was about 16", "ever since childhood",
#: "since my teens") has lasted years.
_SINCE_YOUNG = re.compile(
    r"\bsince\s+(?:(?:i|he|she|they)\s+(?:was|were)\s+(?:about\s+|around\s+|"
    r"a\s+)?(?:\d{1,2}|kid|child|teen|teenager|little|young|baby|small|toddler)|"
    r"(?:my|his|her|their)\s+(?:teens|twenties|childhood|school\s+days)|"
    r"(?:(?:my|his|her|their)\s+)?(?:college|university|uni|high\s+school)(?:\s+days)?|"
    r"childhood|birth)\b"
)
#: A day or part of one opening the clause in which the symptom started
#: ("yesterday my toes started prickling", "... and this afternoon my left leg went
#: numb"),
#: or in which it is told as it is now ("this morning she says both legs feel
#: numb": the day it is told of is its first), or the day the person could not
#: stand or walk ("this morning i couldn't stand up").
_WHEN_STARTED = re.compile(
    r"(?:^|[.!?;,]\s*|\band\s+)(?P<when>yesterday|last night|overnight|this morning|"
    r"this afternoon|this evening|today|tonight)(?:\s+(?:morning|afternoon|evening|"
    r"night))?\s+"
    r"(?:(?:i|he|she|they)\s+(?:says?|said|noticed|realised|realized)\s+"
    r"(?:that\s+)?)?"
    r"(?:(?:(?:my|his|her|their|the|both)\s+(?:[a-z']+\s+){0,4}|(?:it|they)\s+)"
    r"(?:started|began|begun|went|turned|gave|feel|feels|felt)"
    r"|(?:i|he|she|they)\s+(?:couldn'?t|could not|can'?t|cannot)\s+"
    r"(?:stand|walk|move|feel|get up|lift))\b"
)
#: ... or told right after the change it dates ("my left leg went numb and weak
#: this morning", "both legs gave out last night").
_CHANGED_WHEN = re.compile(
    r"\b(?:(?:went|gone|turned)\s+(?:(?:all|completely|totally|really|very|so|"
    r"suddenly|a bit|kind of|sort of)\s+)?(?:numb|dead|weak|limp|floppy|cold|pale|"
    r"white|blue|tingly|heavy)|gave\s+(?:out|way))(?:\s+(?:and|&)\s+[a-z]+)?\s+"
    r"(?P<when>yesterday|last night|this morning|this afternoon|this evening|today|"
    r"tonight)\b"
)
#: ... or, when nothing else dates the story, told with what the person was
#: doing, the change coming later in the same sentence ("walking in a fashion
#: show this afternoon and the second i stepped out my left leg went numb", "last
#: night getting changed ... my waist felt numb").
_WHEN_THEN_CHANGED = re.compile(
    r"(?:^|[.!?;]\s*)(?:[a-z' ]{0,40}?\s)?(?P<when>yesterday|last night|this morning|"
    r"this afternoon|this evening|today|tonight|in the middle of the night|"
    r"by lunchtime|by lunch|by this afternoon|by this evening|by tonight)\b"
    r"(?=[^.!?;()]{0,100}?\b(?:(?:my|his|her|their|both)\s+(?:[a-z']+\s+){0,8}?"
    r"(?:went|gone|turned|gave|buckled|folded|collapsed|stopped|felt|lost|wouldnt|"
    r"wouldn't|wasnt|wasn't|wont|won't|would (?:not|barely|hardly)|"
    r"could (?:not|barely|hardly)|started|began)|(?:i|he|she|they)\s+"
    r"(?:couldn'?t|could not|can'?t|cannot)\s+(?:stand|walk|move|feel|get up|lift)|"
    r"(?:i|he|she|they)\s+(?:feel|feels|felt)\s+(?:weak|numb|tingly|heavy))\b)"
)
#: A clock time told as the start of the change, in a sentence that tells it
#: ("got up about 1am ... my left leg felt like it had gone to sleep", "woke at
#: 3:50 and could not feel my leg", "since 2pm"): the story is hours old. Never a
#: habit ("every night at 3am") nor a plan ("my appointment is at 2pm").
_AT_CLOCK = re.compile(
    r"(?<!every night )(?<!every morning )(?<!each night )(?<!each morning )"
    r"\b(?:(?:woke|woken|waking|got up|since|from)\s+(?:up\s+)?"
    r"(?:at\s+|around\s+|about\s+)?|(?:^|[.!?;]\s*)(?:at|around|about)\s+)"
    r"(?P<when>\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2})\b"
    r"(?=[^.!?;]{0,120}?\b(?:went|gone|turned|started|began|felt|feel|feels|"
    r"couldn'?t|could not|can'?t|cannot|numb|dead|weak|tingl\w*|asleep|"
    r"pins and needles)\b)"
)
#: Waking up with the symptom dates it ("woke up this morning with my leg
#: numb", "this morning i woke up and both legs are numb"); a night's waking
#: ("tonight i woke as the train pulled in") is often the end of a spell, no date,
#: unless the person woke in or with the symptom ("tonight i woke up in terrible
#: pain"): then the night dates it.
_WOKE = r"(?:woke|woken|waking|awoke|got up|getting up)(?:\s+up)?"
_WOKE_WHEN = r"(?P<{}>yesterday|this morning|today)"
_WOKE_AT = re.compile(
    r"\b" + _WOKE + r"\s+" + _WOKE_WHEN.format("after") + r"\b"
    r"|\b"
    + _WOKE_WHEN.format("before")
    + r"\s*,?\s+(?:i|he|she|they|we)\s+"
    + _WOKE
    + r"\b"
    r"|\b(?P<night>tonight|last night)\s*,?\s+(?:i|he|she|they|we)\s+"
    + _WOKE
    + r"\s+(?:in|with)\b"
)
#: A weekday the symptom is dated from, in a story told up to a later point:
#: "since friday", "started on monday", "from tingling feet on friday to ...
#: today", "tingly toes monday, it's wednesday now", "fell on tuesday, since then
#: my foot is numb". The count is unknown, a few
#: days is all the buckets need. A weekday ahead ("see the GP on friday", "next
#: monday") dates no symptom.
_FULL_WEEKDAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_FULL_WEEKDAY = r"(?:" + _FULL_WEEKDAYS + r")"
_WEEKDAY = r"(?:" + _FULL_WEEKDAYS + r"|mon|tues|wed|thurs|fri|sat|sun)"
_SINCE_WEEKDAY = re.compile(
    r"\b(?:since|from|started|start|began|begun|beginning|starting)\s+"
    r"(?:on\s+|last\s+)?(?:the\s+)?(?P<when>" + _WEEKDAY + r")"
    r"(?:\s+(?:morning|afternoon|evening|night))?\b"
)
#: A weekday told as past, never one ahead ("next monday", "see the GP friday").
_PAST_WEEKDAY = (
    r"(?<!next )(?<!this coming )(?<!see )(?<!appointment )(?<!booked )"
    r"\b(?:on\s+|last\s+)?(?P<when>" + _FULL_WEEKDAY + r")"
    r"(?:\s+(?:morning|afternoon|evening|night))?\b"
)
_WEEKDAY_THEN = re.compile(
    _PAST_WEEKDAY
    + r"(?=[^.!?]{0,160}?(?:\bby\s+"
    + _WEEKDAY
    + r"\b|\b(?:it'?s|now)\s+"
    + _WEEKDAY
    + r"\b|\b"
    + _WEEKDAY
    + r"\s+now\b|\bto\b[^.!?]{0,80}\b(?:today|now|tonight)\b))"
)
#: ... or followed, in its sentence or the next, by "since then".
_WEEKDAY_SINCE_THEN = re.compile(
    _PAST_WEEKDAY + r"(?=[^.!?]{0,160}?(?:[.!?][^.!?]{0,20}?)?\bsince\s+then\b)"
)
_SINCE_VALUES = {
    "yesterday": "P1D",
    "yday": "P1D",
    "yest": "P1D",
    "yesterdy": "P1D",
    "yesturday": "P1D",
    "ystday": "P1D",
    "last night": "P1D",
    "in the middle of the night": "PT6H",
    "by lunchtime": "PT4H",
    "by lunch": "PT4H",
    "by this afternoon": "PT3H",
    "by this evening": "PT2H",
    "by tonight": "PT2H",
    "overnight": "P1D",
    "last week": "P1W",
    "last month": "P1M",
    "last year": "P1Y",
    "the weekend": "P3D",
    "last weekend": "P1W",
    "this morning": "PT6H",
    "this afternoon": "PT3H",
    "this evening": "PT2H",
    "lunch": "PT4H",
    "lunchtime": "PT4H",
    "today": "PT6H",
    "tonight": "PT2H",
    "a week ago": "P1W",
    "a month ago": "P1M",
    "a year ago": "P1Y",
}
_LAST_UNIT = re.compile(
    r"\b(?:(?:over|for|in|during|within)\s+the\s+(?:last|past)|(?:over|for|in|during|"
    r"within|the)\s+past)\s+"
    r"(?P<unit>year|month|week|day|hour|fortnight)\b"
)
#: A plural unit with no count ("numb for years", "it's been months", "weaker over
#: recent months", "bothered me for ages"): a few of them, which is all the
#: buckets need.
#: Only where it is the symptom's time: after a symptom word in the same clause
#: ("numb for years"), or "it's been months" ("it's been like that for years");
#: never an activity's ("doing it on and off for years").
_BARE_UNIT = re.compile(
    r"(?:\b(?:numb|numbness|tingl\w*|pins and needles|pain|painful|hurt\w*|ache\w*|"
    r"weak\w*|burn\w*|cramp\w*|asleep|symptoms?|feel|feeling|paraly\w*|creep\w*|"
    r"spread\w*)\b[^.!?;,]{0,30}\b"
    r"(?:for|over)"
    r"|\b(?:it'?s|it has|has|have|i'?ve) been(?:\s+like\s+(?:that|this)\s+for)?"
    r"|\b(?:over|in|during)\s+(?:the\s+)?recent)"
    r"\s+(?:many\s+|several\s+)?"
    r"(?P<unit>weeks|months|years|decades|ages)\b(?!\s+(?:ago|before|earlier|old)\b)"
)
#: The symptom words a time is told of (the opening unit and "a while").
_SYMPTOM_WORDS = (
    r"(?:numb|numbness|tingl\w*|buzz\w*|pins and needles|pain|painful|hurt\w*|"
    r"ache\w*|weak\w*|burn\w*|cramp\w*|asleep|foot drop|drop foot|symptoms?|"
    r"paraly\w*|(?:could|can|would|wo)(?:n'?t| not) (?:move|lift|feel)|"
    r"no feeling|lost (?:the |all )?feeling)"
)
#: The start of a sentence or clause, and a symptom word later in it.
_CLAUSE_OPENING = r"(?:^|[.!?;,]\s*)"
_AHEAD_OF_A_SYMPTOM = r"(?=[^.!?;]{0,80}\b" + _SYMPTOM_WORDS + r"\b)"
#: "For a long time", in its lay forms (months, as "for ages" is).
_FOR_A_LONG_TIME = (
    r"\bfor (?:quite |a very |a really |such )?a (?:long|very long|really long) time\b"
)
#: A plural unit opening its sentence or clause ahead of a symptom word in it
#: ("for months he's been moaning about a buzzing in his feet", "42 yr old man,
#: for years my left leg has been weak").
_OPENING_UNIT = re.compile(
    _CLAUSE_OPENING + r"(?:for|over the (?:past|last)(?: few)?)\s+"
    r"(?:some\s+|several\s+|many\s+)?(?P<unit>weeks|months|years)\b"
    + _AHEAD_OF_A_SYMPTOM
)
#: ... and "for a long time" opening a sentence or clause ahead of a symptom word
#: ("for a long time now he gets headaches, his hands and feet go numb").
_OPENING_LONG_TIME = re.compile(
    _CLAUSE_OPENING + _FOR_A_LONG_TIME + _AHEAD_OF_A_SYMPTOM
)
#: A reply that is a bare plural unit ("minutes", "for weeks"): the answer to "how
#: long", a few of them ("a few days" has its count).
_BARE_ANSWER = re.compile(
    r"^\s*(?:for\s+|within\s+|in\s+|over\s+)?(?:some\s+|several\s+|many\s+)?"
    r"(?P<unit>minutes|mins|hours|days|weeks|months|years)"
    r"\s*[.!]?\s*$"
)

#: ... or a clause of a reply that is only such a unit or an age-old start
#: ("gradual, over weeks", "months, worse lately", "longstanding, inherited", "my
#: left leg, since my stroke years ago"): a few of them; "longstanding" alone is
#: years.
_ANSWER_UNIT = re.compile(
    r"(?:^|[,;]\s*)(?:(?:(?:for|over)\s+)?(?:some\s+|several\s+|many\s+)?"
    r"(?P<unit>weeks|months|years)|(?P<old>long[- ]?standing|for ages))"
    r"\s*(?=[,.!;]|$)"
    r"|\bsince\s+(?:[a-z']+\s+){0,3}?[a-z']+(?<!\bfew)(?<!\bcouple of)(?<!\bseveral)"
    r"(?<!\bmany)\s+(?P<ago>weeks|months|years) ago\b"
)


def _a_few(unit: str) -> Optional[str]:
    """A few of a plural unit told with no count ("for weeks", "months"): three
    minutes or months (two months still end the weeks bucket), else two."""
    return iso_duration(3 if unit in ("minutes", "months") else 2, unit)


def _told_of_a_symptom(verbs: str) -> str:
    """A perfect-tense verb, then a symptom word in the same sentence: a time
    told right after them is the symptom's own ("been numb ... for a while")."""
    return r"\b" + verbs + r"\b[^.!?;]{0,40}?\b" + _SYMPTOM_WORDS + r"\b[^.!?;,]{0,30}?"


#: "A while" told as the symptom's own time in a perfect tense ("he's been
#: getting a weird tingling in both feet for a while", "for a while now my legs
#: go numb"): weeks at least. A spell that lasted a while ("it was numb for a
#: while after sitting") has no "been" and is no such time.
_A_WHILE = re.compile(
    _told_of_a_symptom("been") + r"\bfor (?:quite |a good )?a (?:long )?while\b"
    r"|(?:^|[.!?;,]\s*)for (?:quite )?a (?:long )?while now\b(?=[^.!?;]{0,80}\b"
    + _SYMPTOM_WORDS
    + r"\b)"
)
#: A change told by the minute or the hour ("weaker by the hour", "worse by the
#: minute"): it is happening within hours (days and longer say how fast, not
#: since when: see `_EVERY_UNIT`).
_BY_THE_UNIT = re.compile(
    r"\b(?:worse|weaker|more|further|number|numb|higher)\s+by the\s+"
    r"(?P<unit>minute|hour)\b"
)
#: "A long time" told the same way ("i've had foot drop on the left for a long
#: time now"): months, as "for ages" is.
_A_LONG_TIME = re.compile(_told_of_a_symptom("(?:been|had)") + _FOR_A_LONG_TIME)
#: A change told per unit ("a bit weaker every month", "worse each week") has
#: gone on for at least two of them (days are left out: "worse every day" says
#: how fast, not since when).
_EVERY_UNIT = re.compile(
    r"\b(?:worse|weaker|more|further|higher|bigger|less|fewer)\s+(?:every|each)\s+"
    r"(?P<unit>week|month|year)\b"
)
#: How long a passing episode lasted: "after 10 mins it came back to normal",
#: "fine now after a few minutes", "went away within the hour". An "after" before
#: a duration is otherwise a trigger ("after standing 10 minutes"); next to a
#: recovery phrase in the same sentence it is the episode's length.
_RECOVERY_WORDS = (
    r"(?:came back|come back|went away|gone away|goes away|back to normal|fine|"
    r"normal again|wore off|worn off|wears off|passed|passes|settled|settles|"
    r"went back to normal|gone)"
)
_RECOVERY_SPAN = (
    r"\b(?:after|within|in)\s+(?:about\s+|around\s+|roughly\s+)?(?:(?P<hour>the hour)|"
    # "fine again after a bit", "gone in a moment": a spell of a minute or so
    r"(?P<moment>a (?:bit|moment|sec|second|short while|little while|few moments))|"
    # "passed within minutes": a few of them
    r"(?P<minutes>minutes|mins)|" + _COUNT + _UNIT_GAP + _UNIT + r")\b"
)
_RECOVERY_AFTER = re.compile(
    _RECOVERY_SPAN + r"(?=[^.!?;]{0,40}\b" + _RECOVERY_WORDS + r"\b)"
)
_RECOVERY_BEFORE = re.compile(
    r"\b" + _RECOVERY_WORDS + r"\b[^.!?;]{0,30}?" + _RECOVERY_SPAN
)
_FORTNIGHT = re.compile(r"\b(?:a|one|two|2)?\s*fortnights?\b")
_EXCLUDE_BEFORE = re.compile(
    r"(?:every|each|per|once|twice|times|after|by|(?<![a-z])at|aged?|pregnant for|"
    r"a|the|"
    # the most a habit or a spell lasts ("sits on his heels for hours, sometimes up
    # to 6 hours") is no age of the symptom
    r"up\s+to|"
    # a hard time of life ("a rough few months since her nephew died")
    r"(?:a|the)\s+(?:rough|tough|stressful|hectic|busy|difficult|crazy)|"
    r"(?:baby|son|daughter|boy|girl|kid|child|little one) is)\s*$"
)
#: "happened once a few years ago": a count of times before a date told with
#: "ago" is no frequency ("once a week"); the date stands.
_ONCE_BEFORE = re.compile(r"\b(?:once|twice)\s*$")
_EVENT_BEFORE = re.compile(
    r"\b(?:diagnosed|started (?:taking|drinking|smoking|working)|quit|moved|"
    r"stopped (?:smoking|drinking)|came back|got back|returned|flew)\b[^.!?;,]{0,30}$"
)
#: An illness someone had "3 years ago" ("i had guillain barre three years ago",
#: "dad had a heart episode 3 weeks ago") dates that illness, not the symptom;
#: a fall, an operation, a birth or a jab had then still dates what followed.
_ILLNESS_HAD_BEFORE = re.compile(
    r"\bhad\b(?![^.!?;,]*\b(?:numb|tingl|pain|weak|pins|burn|cramp|ache|sore|dead|"
    r"asleep|symptom|feeling|fall|fell|accident|crash|injur|knock|blow|op\b|operation|"
    r"surgery|procedure|baby|birth|deliver|daughter|son|twins|child|kid|jab|"
    r"injection|vaccin|cast|fracture|break|"
    r"broke|sprain|twist))[^.!?;,]{0,40}$"
)
#: A time in a comparison ("same thigh as 10 yrs ago", "like it was 2 years ago")
#: dates what is compared with, not the symptom.
_COMPARED_BEFORE = re.compile(
    r"\b(?:as|like)(?:\s+(?:it|i|they|he|she)\s+(?:was|were|did|had|got))?\s+$"
)
#: ... unless the symptom is told as lasting since ("a run of small strokes 3
#: months ago and since then his side is numb"), never a recovery told as lasting
#: since ("a heart attack a year ago but ive been fine since").
_SINCE_THEN = re.compile(
    r"(?![^.!?;]{0,30}\b(?:fine|ok|okay|well|good|great|normal|healthy)\s+"
    r"(?:ever\s+)?since\b)[^.!?;]{0,30}\bsince\b"
)
#: "cast put on 3 days ago" dates the cast; "numb since the cast went on 3 days
#: ago" dates the symptom (an "after" / "since" before the event).
_FITTED_BEFORE = re.compile(
    r"(?P<lead>\b(?:after|since|from)\b[^.!?;,]*)?\b(?:put on|fitted|plastered|went on|"
    r"put in)\b[^.!?;,]{0,30}$"
)
#: Words right after a duration that make it a rate, a shift or a trip, not how
#: long the symptom has lasted ("12 hr shifts", "9 hours a day", "3 weeks abroad",
#: "a couple of days off work", "15 hrs overtime a week").
_NOT_SYMPTOM_AFTER = re.compile(
    r"\s*(?:-\s*)?(?:(?:of\s+)?overtime|shifts?|a day|per day|a week|per week|"
    r"each day|every day|a night|"
    r"per night|a shift|daily|a time|at work|of work|of sitting|of standing|of walking|"
    r"of driving|of running|on my feet|abroad|away|overseas|on holiday|holiday|trip|"
    r"vacation|travell?ing|backpacking|off(?!\s+and\b)|of leave|leave)\b"
)
#: ... and a count of minutes or hours "into" an activity is the point in a spell
#: where it starts ("a minute into the pose", "35 minutes into every run"), while
#: days or weeks into one date the story ("two weeks into the school year").
_INTO_AFTER = re.compile(r"\s*into\b")
#: An activity right before ("rest for a minute", "walk for 10 mins"): the
#: duration is the activity's, not the symptom's.
_ACTIVITY_BEFORE = re.compile(
    r"\b(?:rest|resting|rested|sit|sitting|sat|stop|stopping|stopped|wait|waiting|"
    r"pause|break|lie|lying|lay|stand|standing|stood|walk|walking|walked|drive|"
    r"driving|drove|run|running|ran|kneel|kneeling|knelt|cycle|cycling|exercise|"
    r"exercising|sleep|nap|bent|bending|hunched|crouched|crouching|squatting|"
    r"squatted|gardening|weeding|digging|dancing|danced|hiking|hiked)"
    r"\s+(?:down\s+|still\s+|up\s+|over\s+)?(?:for\s+)?(?:more\s+than\s+|"
    r"longer\s+than\s+|less\s+than\s+|over\s+|under\s+)?(?:about\s+|"
    r"around\s+|like\s+|maybe\s+)?$"
)

#: How long someone has been under a doctor's care is not how long this symptom
#: has lasted ("seeing a pain doctor about my spine for 2 years, ... this foot
#: thing keeps getting worse").
_CARE_BEFORE = re.compile(
    r"\b(?:seeing|seen|saw|under|treated by|going to|been to)\s+(?:a|an|my|the)?\s*"
    r"[^.!?;,]{0,25}\b(?:doctor|doctors|gp|physio|physiotherapist|specialist|chiro|"
    r"chiropractor|consultant|neurologist|surgeon|clinic|therapist|osteopath)\b"
    r"[^.!?;,]{0,30}\bfor\s+(?:about\s+|around\s+|over\s+)?$"
)

_AGE_PATTERNS = [
    re.compile(
        r"(?<![\d.,])\b(?P<n>\d{1,3})\s*(?:-\s*)?(?:years?|yrs?|yr|y)\s*(?:-\s*)?old\b"
    ),
    re.compile(r"(?<![\d.,])\b(?P<n>\d{1,3})\s*(?:yo|y/o|y\.o\.?|yrs?\s*old)(?![\w])"),
    re.compile(r"\b(?:aged?|age:)\s*(?P<n>\d{1,3})\b"),
    re.compile(
        r"\b(?:i'm|im|i am|iam|i’m)\s+(?:a\s+|only\s+|just\s+|now\s+)?(?P<n>\d{1,3})\b"
        r"(?!\s*(?:-\s*)?(?:%|percent|kg|lbs?|pounds|stone|cm|foot|feet|ft|inches|"
        r"weeks?|wks?|months?|days?|hours?|minutes?|mins?|times|miles|km|k\b|:|\.\d|,\d|"
        r"['’′]\s*\d))"
    ),
    re.compile(r"\b(?:turned|turning|just turned)\s+(?P<n>\d{1,3})\b"),
    re.compile(
        r"\b(?:he|she|husband|wife|son|daughter|mum|mom|mother|dad|father|partner|"
        r"grandma|grandmother|gran|granny|grandpa|grandfather|grandad|boyfriend|"
        r"girlfriend|child|kid|baby|brother|sister|friend|neighbour|neighbor|patient)"
        r"(?:'s|s| is| was| who is| aged|,)\s+(?:only\s+|just\s+)?(?P<n>\d{1,3})\b"
        r"(?!\s*(?:-\s*)?(?:%|percent|kg|lbs?|cm|feet|ft|weeks?|months?|days?|hours?|"
        r"minutes?|mins?|times|/|out of))"
    ),
    re.compile(
        r"(?<![\d.,])\b(?P<n>\d{1,3})\s*(?:m|f|male|female|man|woman|guy|lady|yr old)\b"
    ),
    re.compile(r"\((?P<n>\d{2,3})\s*(?:y|yo|yrs?|m|f)?\)"),
    re.compile(r"\b(?:m|f|male|female)\s?(?P<n>\d{2})\b"),
    re.compile(r"\b(?P<w>" + _WORD_NUMBER + r")[\s-]+(?:years?|yrs?)[\s-]+old\b"),
]


def word_to_number(word: str) -> Optional[float]:
    """3, "3", "three", "twenty-one", "a couple of" -> a number; None if unknown."""
    word = word.strip().lower().replace(",", ".")
    if not word:
        return None
    try:
        return float(word)
    except ValueError:
        pass
    if word in FUZZY_COUNTS:
        return float(FUZZY_COUNTS[word])
    if word in ONES:
        return float(ONES[word])
    parts = re.split(r"[\s-]+", word)
    if parts and parts[0] in TENS:
        total = TENS[parts[0]]
        if len(parts) == 2 and parts[1] in ONES:
            total += ONES[parts[1]]
        return float(total)
    return None


def _unit_key(unit: str) -> Optional[str]:
    unit = unit.lower()
    if unit.startswith("mi"):
        return "min"
    if unit.startswith("h"):
        return "hour"
    if unit.startswith("d"):
        return "day"
    if unit.startswith("w"):
        return "week"
    if unit.startswith(("mo", "mn", "mt")):
        return "month"
    if unit.startswith("y"):
        return "year"
    return None


def iso_duration(count: float, unit: str) -> Optional[str]:
    """ISO 8601 for `count` `unit`s; halves go down one unit (1.5 years -> P18M)."""
    key = _unit_key(unit)
    if key is None or count <= 0:
        return None
    if count != int(count):
        smaller = {
            "year": ("month", 12),
            "month": ("week", 4),
            "week": ("day", 7),
            "day": ("hour", 24),
            "hour": ("min", 60),
        }
        if key in smaller:
            key, factor = smaller[key]
            count = count * factor
        count = round(count)
    designator, in_time = UNITS[key]
    return f"PT{int(count)}{designator}" if in_time else f"P{int(count)}{designator}"


#: Month names by calendar number ("may" is left out: it is far more often a verb).
_MONTHS = {
    name: number
    for number, name in enumerate(
        "january february march april may june july august september october "
        "november december".split()
    )
    if name != "may"
}
_MONTH = re.compile(r"\b(?P<month>" + "|".join(_MONTHS) + r")\b")
#: The month names a duration may be told by (its start, as a date).
MONTH_NAMES = frozenset(_MONTHS)


def _month_span(text: str) -> Optional[Tuple[str, int, int]]:
    """A story told between two named months lasts the months between them.

    "lost the feeling in july ... finished in october and still can't feel" has no
    number of months, yet spans three; without it the story reads as of unknown,
    possibly fresh, duration. Only two different months count: one month name
    alone ("since june") gives no length without today's date. The span is put
    on the later month name, where the story says how things are now.
    """
    months = [(_MONTHS[m.group("month")], m) for m in _MONTH.finditer(text)]
    distinct = {index for index, _ in months}
    if len(distinct) < 2:
        return None
    first, last = months[0], months[-1]
    if first[0] == last[0]:
        return None
    span = (last[0] - first[0]) % 12
    return f"P{span}M", last[1].start(), last[1].end()


#: One month name told as when the story began ("numb since march", "since about
#: december", "a stroke back in march and the leg is still weak", "broke my back
#: last september"); never a plan ("my scan is in march"). "last <month>" dates an
#: injury or an operation told before it in its sentence ("broke my T12 in a crash
#: last september"), not any event ("had a small stroke last june" says nothing of
#: how long today's signs have lasted).
_SINCE_MONTH = re.compile(
    r"\b(?:since|back in|from|started in|began in|start of|beginning of|in)\s+"
    r"(?:(?:about|around|roughly|approximately|sometime in|some time in)\s+)?"
    r"(?:(?:early|late|mid|the end of|the start of)\s+)?(?P<month>"
    + "|".join(_MONTHS)
    + r")\b(?!\s+\d{4})"
)
_LAST_MONTH = re.compile(
    r"\b(?:broke|broken|fractured|fracture|crash|crashed|fell|fall|injured|injury|"
    r"hurt|accident|surgery|operation|op)\b[^.!?;]{0,40}?\blast\s+(?P<month>"
    + "|".join(_MONTHS)
    + r")\b(?!\s+\d{4})"
)
#: A plan ahead ("ortho appointment in 3 weeks") or a hope for the future ("it'll
#: sort itself out in a week or two", "will be fine in 2 or 3 days") before "in":
#: a time to come, not how long the symptom has lasted.
_PLAN_BEFORE = re.compile(
    r"(?:\b(?:appointment|appt|scan|mri|referral|waiting|wait|booked|book|until|till|"
    r"next|due|see|seeing|holiday|trip|will|gonna|hopefully|expect|expecting)\b|"
    r"'ll\b|\bgoing to\b)[^.!?;,]{0,30}$"
)

#: A forecast ("the numbness will hang around a couple of months", "could take up
#: to half a year") tells how long it may last, not how long it has.
_FORECAST_BEFORE = re.compile(
    r"(?:\b(?:will|gonna|might|should)\b(?!\s+have\b)|\bcould (?:take|last|be)\b|"
    r"'ll\b|\bgoing to\b(?! sleep))"
    r"[^.!?;,]{0,30}$"
)


def _forecast(text: str, start: int, end: int) -> bool:
    """The time from `start` to `end` is told as a forecast, not a date."""
    if text[end:].split()[:1] in (["ago"], ["back"]):
        return False
    before = text[max(0, start - 40) : start]
    return bool(_FORECAST_BEFORE.search(before)) and "since" not in before.split()[-2:]


def _since_month(text: str, today: date) -> Optional[Tuple[str, int, int]]:
    """One month name told as the story's start lasts from it to today.

    The month is the last one of that name (this year's, or last year's when it
    is still to come); a story begun this month is under a month old.
    """
    matches = [*_SINCE_MONTH.finditer(text), *_LAST_MONTH.finditer(text)]
    for match in sorted(matches, key=lambda found: found.start("month")):
        if _PLAN_BEFORE.search(text[max(0, match.start() - 40) : match.start()]):
            continue
        months = (today.month - 1 - _MONTHS[match.group("month")]) % 12
        value = f"P{months}M" if months else "P2W"
        return value, match.start("month"), match.end("month")
    return None


def find_durations(
    text: str, today: Optional[date] = None
) -> List[Tuple[str, int, int]]:
    """(ISO value, start, end) for each symptom duration in lower-cased `text`.

    `today` dates a story told from one month name ("since march"); it is the
    day of the parse unless a caller fixes it.
    """
    found: List[Tuple[str, int, int]] = []
    taken: List[Tuple[int, int]] = []

    def add(value: Optional[str], start: int, end: int) -> None:
        if _forecast(text, start, end):
            return
        if value and not any(start < e and s < end for s, e in taken):
            found.append((value, start, end))
            taken.append((start, end))

    for match in (
        *_SINCE.finditer(text),
        *_WHEN_STARTED.finditer(text),
        *_CHANGED_WHEN.finditer(text),
    ):
        add(_SINCE_VALUES[match.group("when")], match.start("when"), match.end())
    for match in (
        *_SINCE_WEEKDAY.finditer(text),
        *_WEEKDAY_THEN.finditer(text),
        *_WEEKDAY_SINCE_THEN.finditer(text),
    ):
        add("P3D", match.start("when"), match.end())
    for match in _SINCE_YOUNG.finditer(text):
        add("P5Y", match.start(), match.end())
    for match in _SINCE_WAKING.finditer(text):
        add(_SINCE_VALUES["this morning"], match.start(), match.end())
    for match in _WOKE_AT.finditer(text):
        when = match.group("after") or match.group("before") or match.group("night")
        add(_SINCE_VALUES[when], match.start(), match.end())
    for pattern in (_RECOVERY_AFTER, _RECOVERY_BEFORE):
        for match in pattern.finditer(text):
            if match.group("hour"):
                add("PT1H", match.start("hour"), match.end("hour"))
                continue
            if match.group("moment"):
                add("PT1M", match.start("moment"), match.end("moment"))
                continue
            if match.group("minutes"):
                add("PT3M", match.start("minutes"), match.end("minutes"))
                continue
            count = word_to_number(match.group("count"))
            if count is not None:
                value = iso_duration(count, match.group("unit"))
                add(value, match.start("count"), match.end("unit"))
    for match in _ALL_DAY_TODAY.finditer(text):
        add("PT8H", match.start(), match.end())
    for match in _HALF.finditer(text):
        add(iso_duration(0.5, match.group("unit")), match.start(), match.end())
    for match in _LAST_UNIT.finditer(text):
        unit = match.group("unit")
        value = "P2W" if unit == "fortnight" else iso_duration(1, unit)
        add(value, match.start("unit"), match.end("unit"))
    for match in _EVERY_UNIT.finditer(text):
        add(iso_duration(2, match.group("unit")), match.start(), match.end())
    for match in _FORTNIGHT.finditer(text):
        add("P2W", match.start(), match.end())
    for match in _A_WHILE.finditer(text):
        add("P1M", match.start(), match.end())
    for match in (*_A_LONG_TIME.finditer(text), *_OPENING_LONG_TIME.finditer(text)):
        add("P3M", match.start(), match.end())
    for match in _BY_THE_UNIT.finditer(text):
        add(iso_duration(2, match.group("unit")), match.start(), match.end())
    for match in _BARE_ANSWER.finditer(text):
        unit = {"mins": "minutes"}.get(match.group("unit"), match.group("unit"))
        add(_a_few(unit), match.start("unit"), match.end("unit"))
    for match in (*_BARE_UNIT.finditer(text), *_OPENING_UNIT.finditer(text)):
        unit = match.group("unit")
        # "for months" is more than the two that end the weeks bucket
        # "for ages" is as many months
        count = {"decades": 20, "months": 3, "ages": 3}.get(unit, 2)
        value = iso_duration(
            count, {"decades": "years", "ages": "months"}.get(unit, unit)
        )
        add(value, match.start("unit"), match.end("unit"))
    for match in _DURATION.finditer(text):
        count_text, unit = match.group("count"), match.group("unit")
        post = (match.group("post") or "").strip()
        pre = (match.group("pre") or "").strip()
        if post.startswith(("old", "of age", "pregnant", "postpartum")):
            continue
        before = text[max(0, match.start() - 25) : match.start()]
        dated_once = post == "ago" and _ONCE_BEFORE.search(before)
        if not pre and _EXCLUDE_BEFORE.search(before) and not dated_once:
            continue
        if pre == "in" and _PLAN_BEFORE.search(
            text[max(0, match.start() - 40) : match.start("count")]
            .rstrip()
            .removesuffix("in")
        ):
            continue  # a plan ahead ("ortho appointment in 3 weeks") dates no symptom
        if post == "ago" and (
            _COMPARED_BEFORE.search(text[max(0, match.start() - 20) : match.start()])
            or _EVENT_BEFORE.search(text[max(0, match.start() - 60) : match.start()])
            or (
                _ILLNESS_HAD_BEFORE.search(
                    text[max(0, match.start() - 50) : match.start()]
                )
                and not _SINCE_THEN.match(text, match.end())
            )
        ):
            continue
        fitted = _FITTED_BEFORE.search(text[max(0, match.start() - 60) : match.start()])
        if post == "ago" and fitted and not fitted.group("lead"):
            continue
        if not post and _NOT_SYMPTOM_AFTER.match(text, match.end("unit")):
            continue
        if (
            not post
            and _INTO_AFTER.match(text, match.end("unit"))
            and _unit_key(unit) in ("min", "hour")
        ):
            continue
        if _ACTIVITY_BEFORE.search(
            text[max(0, match.start("count") - 40) : match.start("count")]
        ) or _CARE_BEFORE.search(
            text[max(0, match.start("count") - 80) : match.start("count")]
        ):
            continue
        single_letter = len(unit) == 1 or unit in ("hr", "hrs", "mo", "mos")
        if single_letter and not count_text[0].isdigit():
            continue
        if count_text in ("a", "an", "one", "a single") and not (pre or post):
            continue  # "a day off", "one month's rent": too vague on its own
        count = word_to_number(count_text)
        if count is None:
            continue
        if "and a half" in match.group(0):
            count += 0.5
        # a range lasts to its upper end ("2 or 3 weeks", "a day or two")
        upper = word_to_number(match.group("upper") or "")
        if upper is not None and upper > count:
            count = upper
        if post == "or two":
            count = max(count, 2)
        add(iso_duration(count, unit), match.start("count"), match.end("unit"))
    for match in _AT_CLOCK.finditer(text):
        add("PT3H", match.start("when"), match.end("when"))
    for match in _ANSWER_UNIT.finditer(text):
        if match.group("old"):
            add("P2Y", match.start("old"), match.end("old"))
            continue
        key = "unit" if match.group("unit") else "ago"
        add(_a_few(match.group(key)), match.start(key), match.end(key))
    if not found:
        for value, start, end in find_change_dates(text):
            add(value, start, end)
    if not found:
        span = _month_span(text) or _since_month(text, today or date.today())
        if span:
            add(*span)
    found.sort(key=lambda f: f[1])
    return found


def find_change_dates(text: str) -> List[Tuple[str, int, int]]:
    """(ISO value, start, end) of each "today" or "last night" told with what the
    person was doing, the change coming later in its sentence.

    Why apart: `find_durations` uses them only when nothing else dates the
    story; the pipeline also weighs them against a date of something else
    ("back pain for months ... today his legs would barely hold him up").
    """
    return [
        (_SINCE_VALUES[match.group("when")], match.start("when"), match.end())
        for match in _WHEN_THEN_CHANGED.finditer(text)
        if not _forecast(text, match.start("when"), match.end())
    ]


def find_ages(text: str) -> List[Tuple[int, int, int]]:
    """(age in years, start, end) for each stated age in lower-cased `text`."""
    found: List[Tuple[int, int, int]] = []
    for pattern in _AGE_PATTERNS:
        for match in pattern.finditer(text):
            if "n" in pattern.groupindex and match.group("n"):
                number = word_to_number(match.group("n"))
            else:
                number = word_to_number(match.group("w"))
            if number is None or not 1 <= number <= 120:
                continue
            start, end = match.span()
            if any(start < e and s < end for _, s, e in found):
                continue
            found.append((int(number), start, end))
    return found


#: A body temperature told as a reading: a number after a temperature word
#: ("thermometer said 38.9", "temp of 39", "a fever of 102") or with a degree
#: unit ("38.5c", "101 degrees"), never the weather's. Celsius 35-43,
#: Fahrenheit 95-110.
_TEMPERATURE = re.compile(
    r"\b(?:(?P<cue>temp|temps|temperature|thermometer|fever|febrile|pyrexia)\b"
    r"[^.!?\d]{0,25}?)?"
    r"(?<![\d.,])(?P<n>\d{2,3}(?:[.,]\d)?)(?![\d.,]\d)"
    r"\s*(?P<unit>°\s*[cf]?|º\s*[cf]?|degrees?\b(?:\s+(?:c|f|celsius|fahrenheit)\b)?"
    r"|deg\b|(?P<letter>c|f)\b)?"
    r"(?!\s*(?:hours?|hrs?|h\b|min|minutes?|days?|weeks?|wks?|months?|years?|yrs?|y/?o"
    r"|miles?|km|kg|kilos?|lbs?|pounds?|%|x\b|mg|mph|steps|times"
    # ... nor the weather's ("four hours in a tree stand in 40 degree weather")
    r"|weather|heat\b|heatwave|outside|outdoors|in the shade|sun\b|air\b|water))"
)
#: The least reading that is a fever in each scale.
FEVER_CELSIUS, FEVER_FAHRENHEIT = 38.0, 100.4


class Reading(NamedTuple):
    """A body temperature told as a reading, by character offsets."""

    cue: int  # where its temperature word starts; the number's start without one
    start: int  # where the number starts
    end: int
    fever: bool


def read_temperatures(text: str) -> List[Reading]:
    """Each body temperature reading in `text`.

    Why: people tell a fever as the number they read ("thermometer said
    38.9"), and the fever with back pain is a red flag; a reading below a fever
    ("temp 37.2") is none, and a number with no temperature word or unit ("38
    years") is no reading.
    """
    found = []
    for match in _TEMPERATURE.finditer(text):
        if not (match.group("cue") or match.group("unit")):
            continue
        value = float(match.group("n").replace(",", "."))
        letter = match.group("letter")
        # "38f" is an age and a sex, never 38 degrees Fahrenheit
        celsius = 35 <= value <= 43 and letter != "f"
        fahrenheit = 95 <= value <= 110 and letter != "c"
        if not (celsius or fahrenheit):
            continue
        fever = (celsius and value >= FEVER_CELSIUS) or (
            fahrenheit and value >= FEVER_FAHRENHEIT
        )
        found.append(Reading(match.start(), match.start("n"), match.end(), bool(fever)))
    return found
