"""What reps (and Duckling's corpus) say every day, read as a simpler phrase the recognisers know.

Applied to what is read, never to the phrase kept on the card. Most forms
are plain patterns; a few need today's date ("2 sundays from now", "the 3rd
of next year") and are functions of the match and `now`. The table of what
reads as what is in docs/phrases.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_TIME = r"\d{1,2}(?::\d{2})?"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_HOUR_WORDS = {w: n for n, w in enumerate(
    ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"), start=1)}
_HOUR = r"(?:[1-9]|1[0-2]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_MINUTE_WORDS = {
    "oh five": 5, "o five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "twenty five": 25, "thirty": 30,
    "thirty five": 35, "forty": 40, "forty five": 45, "fifty": 50, "fifty five": 55,
}
_MINUTES = r"(?:oh five|o five|ten|fifteen|twenty(?:[ -]five)?|thirty(?:[ -]five)?|forty(?:[ -]five)?|fifty(?:[ -]five)?)"
_COUNT_WORDS = {"five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "twenty five": 25, "quarter": 15, "a quarter": 15, "half": 30}
_COUNT = r"(?:5|10|15|20|25|five|ten|fifteen|twenty(?:[ -]five)?|a quarter|quarter)"
# Before "to": bare 5 and 10 only with "minutes" — "10 to 6" is 10:00 to 18:00 on a callback card.
_COUNT_TO = r"(?:(?:5|10) (?:minutes?|mins?)|15|20|25|five|ten|fifteen|twenty(?:[ -]five)?|a quarter|quarter)"


def _hour(text: str) -> int:
    text = text.lower()
    return _HOUR_WORDS[text] if text in _HOUR_WORDS else int(text)


def _count(text: str) -> int:
    text = re.sub(r" (?:minutes?|mins?)$", "", text.lower().replace("-", " "))
    return _COUNT_WORDS[text] if text in _COUNT_WORDS else int(text)


def _clock(hour: int, minute: int) -> str:
    return f"{hour}:{minute:02d}"


def _minutes_past(m: re.Match[str], now: datetime) -> str:
    return _clock(_hour(m["hour"]), _count(m["count"]))


def _minutes_to(m: re.Match[str], now: datetime) -> str:
    hour = 12 if m["hour"].lower() == "noon" else _hour(m["hour"])
    before = (hour - 1) % 12 or 12
    if m["hour"].lower() == "noon":
        before = 11
    return _clock(before, 60 - _count(m["count"]))


def _spoken_clock(m: re.Match[str], now: datetime) -> str:
    """"five thirty" is 5:30, "two forty five pm" is 2:45 pm."""
    return _clock(_hour(m["hour"]), _MINUTE_WORDS[m["minute"].lower().replace("-", " ")])


def _weekdays_from_now(m: re.Match[str], now: datetime) -> str:
    """"2 sundays from now": the second Sunday after today (an ISO date the recognisers read as it is)."""
    count = {"two": 2, "three": 3, "four": 4, "five": 5}.get(m["n"].lower()) or int(m["n"])
    wanted = _WEEKDAYS.index(m["day"].lower())
    first = now.date() + timedelta(days=(wanted - now.weekday() - 1) % 7 + 1)
    return (first + timedelta(weeks=count - 1)).isoformat()


_SEASONS = ("spring", "summer", "autumn", "winter")


def _season_word(m: re.Match[str], now: datetime) -> str:
    """"next season" is the season after the one under way; "this season" the one under way, by the same
    season dates as "next spring" (docs/phrases.md)."""
    from cardbox.core.phrases.months import _season_span

    today = now.date()
    current = next(key for year in (today.year - 1, today.year) for key in _SEASONS
                   if _season_span(key, year, None).start <= today <= _season_span(key, year, None).end)
    return f"next {_SEASONS[(_SEASONS.index(current) + 1) % 4]}" if m[1].lower() != "this" else f"this {current}"


def _minutes_to_clock(m: re.Match[str], now: datetime) -> str:
    """"20 minutes to 2pm": 1:40 pm (the a.m./p.m. said after the hour is the hour's)."""
    hour = _hour(m["hour"]) % 12 + (12 if m["ap"].lower() == "p" else 0)
    total = hour * 60 - _count(m["count"])
    return f"{(total // 60) % 24}:{total % 60:02d}"


def _of_next_year(m: re.Match[str], now: datetime) -> str:
    return f"jan {m['day']} {now.year + 1}"


Rewrite = tuple[re.Pattern[str], str | Callable[[re.Match[str], datetime], str]]

_TABLE: tuple[tuple[str, str | Callable[[re.Match[str], datetime], str]], ...] = (
    (r"^\s*(?:as soon as possible|asap|a\.s\.a\.p\.?)\s*$", "today"),
    (r"^\s*at this time\s*$", "today"),
    (r"\btomorrows\b", "tomorrow"),
    (r"\b(?:in )?(?:the )?(?:next|coming) few days\b", "within 3 days"),
    (r"^\s*(?:in )?(?:the )?(?:next|coming) (\d+|two|three|four|five|six|seven) (days|weeks|months)\s*$", r"within \1 \2"),
    (r"\ba week from tomorrow\b", "in 8 days"),
    (r"\ba week from today\b", "in 7 days"),
    (rf"\b({_DAY}) of next week\b", r"next \1"),
    (rf"\b({_DAY}) next week\b", r"next \1"),
    (rf"^\s*(?:every|each) ({_DAY})\s*$", r"\1"),
    (rf"^\s*(?P<n>[2-5]|two|three|four|five) (?P<day>{_DAY})s from (?:now|today)\s*$", _weekdays_from_now),
    (r"^\s*(?:the )?(?P<day>first|third|second)(?= of next year)", lambda m, now: {"first": "1st", "second": "2nd", "third": "3rd"}[m["day"].lower()]),
    (r"^\s*(?:the )?(?P<day>\d{1,2})(?:st|nd|rd|th)? of next year\s*$", _of_next_year),
    # A time inside a part of the day: the time is what they said, the part says a.m. or p.m.
    (rf"\b(?:early |mid |late )?morning at ({_TIME})\b(?! ?[ap]\.?m)", r"at \1 am"),
    (rf"\b(?:early |mid |late )?(?:afternoon|evening) at ({_TIME})\b(?! ?[ap]\.?m)", r"at \1 pm"),
    (r"\blate tonight\b", "today late evening"),
    # Short forms reps type: "w/c Feb 4" (week commencing), "within 2h", "in 30m", "2018Q4", "next season".
    # "w/c Feb 4" is the seven days that start that day (as a British diary writes it), not the week around it.
    (r"(?:\bw/c|\bw/b|\bweek (?:commencing|beginning|starting))\b", "for 7 days from"),
    (r"\b(in|within|for) (\d{1,3}) ?h(?:rs?)?\b", r"\1 \2 hours"),
    (r"\b(in|within|for) (\d{1,3}) ?m(?:ins?)?\b", r"\1 \2 minutes"),
    (r"\b(\d{4}) ?q([1-4])\b", r"q\2 \1"),
    (r"\b(next|this|coming|upcoming) season\b", _season_word),
    (rf"\b(?P<count>{_COUNT_TO}|\d{{1,2}} (?:minutes?|mins?)) (?:minutes? |mins? )?(?:to|till|before) (?P<hour>{_HOUR}) ?(?P<ap>[ap])\.?m\b",
     _minutes_to_clock),
    # Parts of parts of the day, inside calling hours (docs/phrases.md).
    (r"\bearly morning\b", "8am to 10am"),
    (r"\b(?:late|mid) morning\b", "10am to 12pm"),
    (r"\bearly afternoon\b", "12pm to 2pm"),
    (r"\bmid afternoon\b", "2pm to 4pm"),
    (r"\blate afternoon\b", "3pm to 5pm"),
    (r"\bearly evening\b", "5pm to 7pm"),
    (r"\blate (?:evening|night)\b", "7pm to 8pm"),
    # Exactness words carry nothing for a callback.
    (r"\b(?:exactly|precisely|sharp)\b", ""),
    (r"\bright (?=at\b|around\b)", ""),
    # Clock times in words and the European "17h30".
    (r"\b(\d{1,2})h(\d{2})?\b", lambda m, now: _clock(int(m[1]), int(m[2] or 0))),
    (r"\b(?:twelve|12) (noon|midnight)\b", r"\1"),
    (r"\bmidnight\b", "00:00"),
    (r"\b(\d{1,2}) ?([ap]) m\b", r"\1 \2m"),
    (r"\b(\d{1,2}) ?([ap])\b(?!\.)", r"\1 \2m"),
    # Seconds are more than a callback needs; ISO date-times read as a day and a time.
    (r"\b(\d{4}-\d{2}-\d{2})[t ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?z?\b", r"\1 \2"),
    (r"\b(\d{1,2}:\d{2}):\d{2}\b", r"\1"),
    (rf"\bhalf (?P<hour>{_HOUR})\b(?! ?(?:past|an? |hours?|days?|weeks?))", lambda m, now: _clock(_hour(m["hour"]), 30)),
    (rf"\b(?P<count>{_COUNT}) (?:minutes? |mins? )?(?:past|after) (?P<hour>{_HOUR})(?:\b|(?= ?[ap]\.?m\b))", _minutes_past),
    (rf"(?<!from )(?<!between )\b(?P<count>{_COUNT_TO}) (?:minutes? |mins? )?(?:to|till|of) (?P<hour>{_HOUR}|noon)\b(?! ?(?:[ap]\.?m|o'?clock|:))", _minutes_to),
    (rf"\b(?P<hour>{_HOUR}) (?P<minute>{_MINUTES})\b", _spoken_clock),
    # Numeric dates with dashes ("3-15-2014", "30-04-2013") read like slashed ones; a whole-phrase
    # "3-15" is a month and day (Duckling) — but "2-4" is 2 to 4 p.m.: only a day past 12 makes it a date —
    # and "2014-10" or "2/2013" a month.
    (r"^\s*(\d{1,2})-(\d{1,2})-(\d{2}|\d{4})\s*$", r"\1/\2/\3"),
    (r"^\s*(\d{1,2})-(1[3-9]|2\d|3[01])\s*$", r"\1/\2"),
    (r"^\s*(\d{4})[-/](\d{1,2})\s*$", lambda m, now: _month_year(int(m[2]), m[1])),
    (r"^\s*(\d{1,2})/(\d{4})\s*$", lambda m, now: _month_year(int(m[1]), m[2])),
    (r"\b(\d{4}) ?a\.?d\.?(?=\s|$)", r"\1"),
    (r"^\s*the year (\d{4})\s*$", r"\1"),
    (rf"\b({_DAY}) the (\d{{1,2}})\b(?!(?:st|nd|rd|th)| ?(?:[ap]\.?m|:|o'?clock))", r"\1 the \2th"),
    (r"\b(easter|christmas|xmas|thanksgiving|halloween) of (\d{4})\b", r"\1 \2"),
    (r"\bsince (?=\w)", "from "),
    (rf"\b({_TIME})\s*-?ish\b", r"at \1"),
    (rf"\b(?:around|about|roughly) ({_TIME})\b", r"at \1"),
    # A part of the day and a time: the part says a.m. or p.m.
    (rf"\b(tomorrow|today|{_DAY}) (?:afternoon|evening|night) at ({_TIME})\b(?! ?[ap]\.?m)", r"\1 at \2 pm"),
    (rf"(?:^|\bthis )(?:afternoon|evening) at ({_TIME})\b(?! ?[ap]\.?m)", r"today at \1 pm"),
    (rf"\b(tomorrow|today|{_DAY}) morning at ({_TIME})\b(?! ?[ap]\.?m)", r"\1 at \2 am"),
    (rf"\btonight at ({_TIME})\b(?! ?[ap]\.?m)", r"today at \1 pm"),
    (rf"\b({_TIME}) tonight\b", r"today at \1 pm"),
    (rf"\b({_TIME}) tomorrow night\b", r"tomorrow at \1 pm"),
)

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _month_year(month: int, year: str) -> str:
    if not 1 <= month <= 12:
        return f"{month}/{year}"  # left for the reader to refuse with its own words
    return f"{_MONTH_NAMES[month - 1]} {year}"


# Words a rule cannot match without (any one of them, in the lower-cased text): most phrases skip most rules
# on a substring test instead of a regex scan, which is most of the reader's time.
_GATES: dict[str, tuple[str, ...]] = {
    "morning": ("morning",), "afternoon|evening|night": ("afternoon", "evening", "night"),
    "afternoon|evening": ("afternoon", "evening"), "few days": ("few",),
    "of next week": ("next week",), ") next week": ("next week",), "exactly|precisely": ("exactly", "precisely", "sharp"),
    "ish": ("ish",), "tonight": ("tonight",), "w/c": ("w/", "week "), "(in|within|for)": ("in ", "within", "for "),
    "season": ("season",), "q([1-4])": ("q",), "(?:past|after)": ("past", "after"),
    "(?:to|till|of) (?P<hour>": (" to ", "till", " of "), "(?:to|till|before) (?P<hour>": (" to ", "till", "before"),
    "(?P<minute>": ("five", "ten", "fifteen", "twenty", "thirty", "forty", "fifty"),
}


def _gate(pattern: str) -> tuple[str, ...]:
    return next((words for key, words in _GATES.items() if key in pattern), ())


REWRITES: tuple[Rewrite, ...] = tuple((re.compile(pattern, re.IGNORECASE), replacement) for pattern, replacement in _TABLE)
_GATED = tuple((pattern, replacement, _gate(source)) for (pattern, replacement), (source, _) in zip(REWRITES, _TABLE, strict=True))


def rewrite(text: str, now: datetime) -> str:
    lower = text.lower()
    for pattern, replacement, gate in _GATED:
        if gate and not any(word in lower for word in gate):
            continue
        if callable(replacement):
            changed = pattern.sub(lambda m, fn=replacement: fn(m, now), text)  # type: ignore[misc]
        else:
            changed = pattern.sub(replacement, text)
        if changed != text:
            text, lower = changed, changed.lower()
    return re.sub(r"\s{2,}", " ", text).strip()
