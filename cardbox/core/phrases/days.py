"""Recognisers for days: today, weekdays, days of the month, numeric dates and holidays."""

from __future__ import annotations

import re
from datetime import date, timedelta

from cardbox.core.calendar import month_length as _month_len
from cardbox.core.calendar import shift_month as _ym
from cardbox.core.calendar import week_start as _week_start
from cardbox.core.phrases.errors import DATE_EXAMPLES, PhraseError, _quote
from cardbox.core.phrases.spans import (
    HOLIDAY,
    MONTH,
    WEEKDAY,
    YEAR,
    _Ctx,
    _day,
    _holiday,
    _mkdate,
    _nth_weekday,
    _rule,
    _Span,
    _year_check,
)
from cardbox.core.phrases.words import (
    _FULL_WD,
    _HOLIDAY_NAMES,
    _MONTHS,
    _SHORT_WD,
    _WDAYS,
)


@_rule("today")
def _r_today(_match: re.Match[str], ctx: _Ctx) -> _Span:
    return _day(ctx.today)


@_rule("tomorrow")
def _r_tomorrow(_match: re.Match[str], ctx: _Ctx) -> _Span:
    return _day(ctx.today + timedelta(1))


@_rule("dat")
def _r_dat(_match: re.Match[str], ctx: _Ctx) -> _Span:
    return _day(ctx.today + timedelta(2))


@_rule("yesterday")
def _r_yesterday(_match: re.Match[str], ctx: _Ctx) -> _Span:
    return _day(ctx.today - timedelta(1))


@_rule(f"(?:(this|next|last) )?{WEEKDAY}")
def _r_weekday(match: re.Match[str], ctx: _Ctx) -> _Span:
    rel, wd, today = match[1], _WDAYS.index(match[2]), ctx.today
    ahead = (wd - today.weekday()) % 7
    if rel is None:
        return _day(today + timedelta(ahead or 7))
    if rel == "this":
        return _day(today + timedelta(ahead))
    if rel == "next":
        return _day(_week_start(today) + timedelta(7 + wd))
    return _day(today - timedelta(((today.weekday() - wd) % 7) or 7))


@_rule(f"{WEEKDAY} after next")
def _r_weekday_after_next(match: re.Match[str], ctx: _Ctx) -> _Span:
    # Duckling's reading: the second such day after today ("friday after next" on a Tuesday is
    # next week's Friday, and on a Sunday the Friday after the coming one).
    wd = _WDAYS.index(match[1])
    first = ctx.today + timedelta((wd - ctx.today.weekday() - 1) % 7 + 1)
    return _day(first + timedelta(7))


def _weekday_checked(wd: int, dom: int, month: int | None, year: int | None, ctx: _Ctx) -> _Span:
    """"Monday the 7th": the first such day from today whose weekday agrees."""
    today = ctx.today
    if month is None:
        for step in range(28):
            candidate_year, mo = _ym(today, step)
            if dom <= _month_len(candidate_year, mo) and date(candidate_year, mo, dom) >= today and date(candidate_year, mo, dom).weekday() == wd:
                return _day(date(candidate_year, mo, dom))
    else:
        years = [year] if year else range(today.year, today.year + 12)
        for candidate_year in years:
            day = _mkdate(candidate_year, month, dom)
            if (year or day >= today) and day.weekday() == wd:
                return _day(day)
    raise PhraseError(f"{_quote(ctx.phrase)}: that date is not a {_FULL_WD[wd]}", DATE_EXAMPLES)


@_rule(rf"{WEEKDAY} (\d{{1,2}})th(?: of)?(?: {MONTH})?{YEAR}")
def _r_weekday_dom(match: re.Match[str], ctx: _Ctx) -> _Span:
    month = _MONTHS.index(match[3]) + 1 if match[3] else None
    return _weekday_checked(_WDAYS.index(match[1]), int(match[2]), month, _year_check(match[4]), ctx)


@_rule(rf"{WEEKDAY} {MONTH} (\d{{1,2}})(?:th)?{YEAR}")
def _r_weekday_month_day(match: re.Match[str], ctx: _Ctx) -> _Span:
    return _weekday_checked(_WDAYS.index(match[1]), int(match[3]), _MONTHS.index(match[2]) + 1, _year_check(match[4]), ctx)


def _next_dom(day: int, today: date) -> date:
    if not 1 <= day <= 31:
        raise PhraseError(f"no month has a day {day}", DATE_EXAMPLES)
    for step in range(13):
        year, mo = _ym(today, step)
        if day <= _month_len(year, mo) and date(year, mo, day) >= today:
            return date(year, mo, day)
    raise PhraseError(f"no month has a day {day}", DATE_EXAMPLES)  # pragma: no cover


@_rule(r"(\d{1,3})th(?: day)?(?: of(?: (this|next) month| month)?)?")
def _r_dom(match: re.Match[str], ctx: _Ctx) -> _Span:
    day = int(match[1])
    if match[2] == "next":
        year, mo = _ym(ctx.today, 1)
        return _day(_mkdate(year, mo, day))
    return _day(_next_dom(day, ctx.today))


@_rule(r"last day(?: of)?(?: (this|next))? month")
def _r_last_dom(match: re.Match[str], ctx: _Ctx) -> _Span:
    year, mo = _ym(ctx.today, 1 if match[1] == "next" else 0)
    return _day(date(year, mo, _month_len(year, mo)))


@_rule(rf"last day(?: of)? {MONTH}{YEAR}")
def _r_last_day_of_month(match: re.Match[str], ctx: _Ctx) -> _Span:
    mo = _MONTHS.index(match[1]) + 1
    candidate_year = _year_check(match[2]) or (ctx.today.year if (ctx.today.month <= mo) else ctx.today.year + 1)
    return _day(date(candidate_year, mo, _month_len(candidate_year, mo)))


def _month_day(mo: int, day: int, year: int | None, ctx: _Ctx) -> _Span:
    if year is not None:
        return _day(_mkdate(year, mo, day))
    _mkdate(2000, mo, day)  # 2000 is a leap year: rejects Feb 30 but keeps Feb 29
    for candidate_year in range(ctx.today.year, ctx.today.year + 9):
        if day <= _month_len(candidate_year, mo) and date(candidate_year, mo, day) >= ctx.today:
            return _day(date(candidate_year, mo, day))
    raise PhraseError(f"{_quote(ctx.phrase)} is not a date I can find", DATE_EXAMPLES)  # pragma: no cover


@_rule(rf"{MONTH} (\d{{1,2}})(?:th)?{YEAR}")
def _r_month_day(match: re.Match[str], ctx: _Ctx) -> _Span:
    return _month_day(_MONTHS.index(match[1]) + 1, int(match[2]), _year_check(match[3]), ctx)


@_rule(rf"(\d{{1,2}})(?:th)?(?: of)? {MONTH}{YEAR}")
def _r_day_month(match: re.Match[str], ctx: _Ctx) -> _Span:
    return _month_day(_MONTHS.index(match[2]) + 1, int(match[1]), _year_check(match[3]), ctx)


@_rule(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
def _r_iso(match: re.Match[str], ctx: _Ctx) -> _Span:
    return _day(_mkdate(int(match[1]), int(match[2]), int(match[3])))


@_rule(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?")
def _r_numeric(match: re.Match[str], ctx: _Ctx) -> _Span:
    first, last = int(match[1]), int(match[2])
    mo, day = (last, first) if ctx.day_first else (first, last)
    if mo > 12 and day <= 12:
        mo, day = day, mo  # only one reading is a date ("25/1"): take it
    year = None
    if match[3]:
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
    return _month_day(mo, day, year, ctx)


@_rule(rf"(\dth|last) {WEEKDAY}(?: of)?(?:(?: (this|next))? month| {MONTH}{YEAR})?")
def _r_nth_weekday(match: re.Match[str], ctx: _Ctx) -> _Span:
    count = -1 if match[1] == "last" else int(match[1][0])
    if not (count == -1 or 1 <= count <= 5):
        raise PhraseError(f"a month has no {match[1]} {match[2]}", DATE_EXAMPLES)
    wd, today = _WDAYS.index(match[2]), ctx.today
    if match[4]:
        mo = _MONTHS.index(match[4]) + 1
        years = [int(match[5])] if match[5] else range(today.year, today.year + 6)
        for candidate_year in years:
            day = _nth_weekday(candidate_year, mo, wd, count)
            if day and (match[5] or day >= today):
                return _day(day)
        raise PhraseError(f"{_quote(ctx.phrase)} does not fall in that month", DATE_EXAMPLES)
    if match[3] == "next":
        candidate_year, mo = _ym(today, 1)
        day = _nth_weekday(candidate_year, mo, wd, count)
        if day is None:
            raise PhraseError(f"next month has no {match[1]} {_SHORT_WD[wd]}", DATE_EXAMPLES)
        return _day(day)
    for step in range(14):
        candidate_year, mo = _ym(today, step)
        day = _nth_weekday(candidate_year, mo, wd, count)
        if day and day >= today:
            return _day(day)
    raise PhraseError(f"{_quote(ctx.phrase)} does not fall in a month", DATE_EXAMPLES)  # pragma: no cover


@_rule(rf"{HOLIDAY}{YEAR}")
def _r_holiday(match: re.Match[str], ctx: _Ctx) -> _Span:
    key, name = match[1], _HOLIDAY_NAMES[match[1]]
    if match[2]:
        return _day(_holiday(key, int(match[2])), head=name)
    for candidate_year in range(ctx.today.year, ctx.today.year + 2):
        day = _holiday(key, candidate_year)
        if day >= ctx.today:
            return _day(day, head=name)
    raise AssertionError  # pragma: no cover


def _holidays_window(year: int) -> tuple[date, date]:
    return date(year, 12, 24), date(year + 1, 1, 1)


@_rule(r"holidays")
def _r_holidays(_match: re.Match[str], ctx: _Ctx) -> _Span:
    for candidate_year in (ctx.today.year - 1, ctx.today.year):
        first, last = _holidays_window(candidate_year)
        if last >= ctx.today:
            return _Span(first, last, "week", "the holidays")
    raise AssertionError  # pragma: no cover
