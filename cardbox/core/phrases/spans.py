"""What recognisers share: the span they return, the context they read, calendar helpers and the rule registry."""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from cardbox.core.calendar import month_length as _month_len
from cardbox.core.phrases.errors import DATE_EXAMPLES, PhraseError
from cardbox.core.phrases.words import _HOLIDAY_NAMES, _MONTH_NAMES

# --------------------------------------------------------------------------
# Calendar helpers


# Plain slotted classes rather than dataclasses: building a dataclass costs import time.
class _Span:
    __slots__ = ("end", "grain", "head", "pod", "start")

    def __init__(self, start: date | datetime, end: date | datetime, grain: str, head: str = "", pod: str = "") -> None:
        self.start = start
        self.end = end
        self.grain = grain
        self.head = head  # how the phrase was read, shown before the dates in the label
        self.pod = pod  # part-of-day name, for the label


class _Ctx:
    __slots__ = ("day_first", "holidays", "now", "phrase", "today")

    def __init__(self, now: datetime, today: date, day_first: bool, phrase: str, holidays: Container[date] = ()) -> None:
        self.now = now
        self.today = today
        self.day_first = day_first
        self.phrase = phrase
        self.holidays = holidays

    def at(self, day: date) -> _Ctx:
        """The same question asked on another day (for the second half of a range)."""
        return _Ctx(datetime(day.year, day.month, day.day), day, self.day_first, self.phrase, self.holidays)


def _mkdate(year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise PhraseError(f"there is no month {month}", DATE_EXAMPLES)
    if not 1 <= year <= 9998:
        raise PhraseError(f"{year} is not a year I can use", DATE_EXAMPLES)
    last = _month_len(year, month)
    if not 1 <= day <= last:
        if day == 29 and month == 2:
            raise PhraseError(f"{year} has no 29 February", DATE_EXAMPLES)
        raise PhraseError(f"{_MONTH_NAMES[month - 1]} has no day {day}", DATE_EXAMPLES)
    return date(year, month, day)


def _nth_weekday(year: int, month_number: int, wd: int, count: int) -> date | None:
    """The n-th (1-5, or -1 for last) weekday `wd` of a month, or None if it has none."""
    if count < 0:
        last = date(year, month_number, _month_len(year, month_number))
        return last - timedelta((last.weekday() - wd) % 7)
    first = date(year, month_number, 1) + timedelta((wd - date(year, month_number, 1).weekday()) % 7)
    day = first + timedelta(7 * (count - 1))
    return day if day.month == month_number else None


def _easter(year: int) -> date:
    from dateutil.easter import easter

    found: date = easter(year)
    return found


def _holiday(key: str, year: int) -> date:
    fixed = {"xmas": (12, 25), "xmaseve": (12, 24), "newyear": (1, 1), "nye": (12, 31),
             "july4": (7, 4), "halloween": (10, 31), "valentines": (2, 14),
             "veteransday": (11, 11), "juneteenth": (6, 19), "cincodemayo": (5, 5), "flagday": (6, 14),
             "groundhogday": (2, 2), "patriotday": (9, 11), "bastilleday": (7, 14), "canadaday": (7, 1),
             "guyfawkes": (11, 5), "boxingday": (12, 26), "earthday": (4, 22), "aprilfools": (4, 1),
             "africaday": (5, 25), "mayday": (5, 1), "stpatricks": (3, 17), "epiphany": (1, 6), "allsaints": (11, 1)}
    if key in fixed:
        return date(year, *fixed[key])
    nth = {"thanksgiving": (11, 3, 4), "laborday": (9, 0, 1), "memorialday": (5, 0, -1),
           "mlkday": (1, 0, 3), "presidentsday": (2, 0, 3), "columbusday": (10, 0, 2),
           "mothersday": (5, 6, 2), "fathersday": (6, 6, 3), "canadianthanksgiving": (10, 0, 2)}
    if key in nth:
        month, wd, count = nth[key]
        return _nth_weekday(year, month, wd, count)  # type: ignore[return-value]
    if key == "blackfriday":
        return _holiday("thanksgiving", year) + timedelta(1)
    if key == "cybermonday":
        return _holiday("thanksgiving", year) + timedelta(4)
    if key == "goodfriday":
        return _easter(year) - timedelta(2)
    if key == "palmsunday":
        return _easter(year) - timedelta(7)
    if key == "eastermonday":
        return _easter(year) + timedelta(1)
    return _easter(year)


def _season(key: str, year: int) -> tuple[date, date]:
    """The season that starts in year y (winter runs into y+1)."""
    return {
        "spring": (date(year, 3, 20), date(year, 6, 20)),
        "summer": (date(year, 6, 21), date(year, 9, 21)),
        "autumn": (date(year, 9, 22), date(year, 12, 20)),
        "winter": (date(year, 12, 21), date(year + 1, 3, 19)),
    }[key]


def _season_head(key: str, start: date) -> str:
    if key == "winter":
        return f"winter {start.year}/{(start.year + 1) % 100:02d}"
    return f"{key} {start.year}"


def _span_grain(first: date, last: date) -> str:
    count = (last - first).days + 1
    if count <= 1:
        return "day"
    if count <= 16:
        return "week"
    if count <= 62:
        return "month"
    if count <= 124:
        return "quarter"
    return "year"


def _day(day: date, grain: str = "day", head: str = "") -> _Span:
    return _Span(day, day, grain, head)


def _month_third(year: int, month: int, part: str | None) -> tuple[date, date]:
    if part in ("early", "start"):
        return date(year, month, 1), date(year, month, 10)
    if part == "mid":
        return date(year, month, 11), date(year, month, 20)
    if part in ("late", "end"):
        return date(year, month, 21), date(year, month, _month_len(year, month))
    return date(year, month, 1), date(year, month, _month_len(year, month))


def _part_word(part: str) -> str:
    return {"start": "start of ", "end": "end of "}.get(part, part + " ")


def _year_check(year: str | None) -> int | None:
    return int(year) if year else None


# --------------------------------------------------------------------------
# Date recognisers: each takes a regex match on the canonical token string.

# Patterns are compiled on the first parse, not at import: compiling ~40 regexes is most
# of this module's import cost, and the CLI imports it for commands that never parse.
_F = TypeVar("_F", bound=Callable[..., Any])
_RULE_SOURCES: list[tuple[str, Callable[..., Any]]] = []
_RULES: list[tuple[re.Pattern[str], Callable[..., Any]]] = []

MONTH = "(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
WEEKDAY = "(mon|tue|wed|thu|fri|sat|sun)"
SEASON = "(spring|summer|autumn|winter)"
PART = "(early|mid|late|start|end)"
HOLIDAY = "(" + "|".join(_HOLIDAY_NAMES) + ")"
YEAR = r"(?: (\d{4}))?"


def _rule(pattern: str) -> Callable[[_F], _F]:
    def add(fn: _F) -> _F:
        _RULE_SOURCES.append((pattern, fn))
        return fn

    return add


def _compiled_rules() -> list[tuple[re.Pattern[str], Callable[..., Any]]]:
    if not _RULES:
        _RULES.extend((re.compile(part), fn) for part, fn in _RULE_SOURCES)
    return _RULES
