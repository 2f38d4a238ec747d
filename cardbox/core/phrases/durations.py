"""Recognisers for durations and weeks: "in 6 weeks", "next week", "end of the week"."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from cardbox.core.calendar import add_business_days
from cardbox.core.calendar import add_months as _add_months
from cardbox.core.calendar import month_length as _month_len
from cardbox.core.calendar import shift_month as _ym
from cardbox.core.calendar import week_start as _week_start
from cardbox.core.phrases.errors import (
    DATE_EXAMPLES,
    FAR_YEARS,
    GENERAL_EXAMPLES,
    PhraseError,
    _quote,
)
from cardbox.core.phrases.spans import (
    MONTH,
    PART,
    YEAR,
    _Ctx,
    _day,
    _part_word,
    _rule,
    _Span,
)
from cardbox.core.phrases.words import _MONTHS, _SHORT_MON

_UNIT_DAYS = {"day": 1, "bday": 1.4, "week": 7, "fortnight": 14, "month": 31, "year": 366,
              "hour": 1 / 24, "minute": 1 / 1440}
_UNIT_NAMES = {"day": "day", "bday": "business day", "week": "week", "fortnight": "fortnight",
               "month": "month", "year": "year", "hour": "hour", "minute": "minute"}


def _after_units(count: int, unit: str, ctx: _Ctx) -> date | datetime:
    if count * _UNIT_DAYS[unit] > 366 * (FAR_YEARS + 1):
        # Checked before any arithmetic so "in 99999999 days" cannot overflow.
        raise PhraseError(f"{_quote(ctx.phrase)} is more than {FAR_YEARS} years away", GENERAL_EXAMPLES)
    the_today = ctx.today
    if unit == "day":
        return the_today + timedelta(count)
    if unit == "bday":
        return add_business_days(the_today, count, ctx.holidays)
    if unit in ("week", "fortnight"):
        return the_today + timedelta(count * (7 if unit == "week" else 14))
    if unit in ("month", "year"):
        return _add_months(the_today, count * (1 if unit == "month" else 12))
    return ctx.now + timedelta(hours=count) if unit == "hour" else ctx.now + timedelta(minutes=count)


def _units_head(count: int, unit: str) -> str:
    name = _UNIT_NAMES[unit]
    if count == 1:
        return f"in {'an' if name == 'hour' else 'a'} {name}"
    return f"in {count} {name}s"


@_rule(r"(?:(\d+) )?(day|bday|week|fortnight|month|year|hour|minute)(?: (from now|from today|ago))?")
def _r_duration(match: re.Match[str], ctx: _Ctx) -> _Span | None:
    if match[1] is None:
        if match[2] != "fortnight":
            return None  # bare "week"/"month" are the calendar units, below
        count = 1
    else:
        count = int(match[1])
    if match[3] == "ago":
        return _day(ctx.today - timedelta(1))  # any past day: the checker says "in the past"
    at = _after_units(count, match[2], ctx)
    if isinstance(at, datetime):
        return _Span(at, at, "time", _units_head(count, match[2]))
    return _day(at, head=_units_head(count, match[2]))


@_rule(r"(?:(this|next|last) )?week|week after next")
def _r_week(match: re.Match[str], ctx: _Ctx) -> _Span:
    ws = _week_start(ctx.today)
    rel = match[1] or ("after" if "after" in match[0] else "this")
    shift = {"this": 0, "next": 7, "after": 14, "last": -7}[rel]
    head = {"this": "this week", "next": "next week", "after": "week after next", "last": "last week"}[rel]
    return _Span(ws + timedelta(shift), ws + timedelta(shift + 6), "week", head)


@_rule(r"(?:(this|next|last) )?weekend")
def _r_weekend(match: re.Match[str], ctx: _Ctx) -> _Span:
    shift = {None: 0, "this": 0, "next": 7, "last": -7}[match[1]]
    sat = _week_start(ctx.today) + timedelta(5 + shift)
    return _Span(sat, sat + timedelta(1), "week", "next weekend" if match[1] == "next" else "weekend")


@_rule(rf"{PART}(?: of)?(?: (this|next))? week")
def _r_week_part(match: re.Match[str], ctx: _Ctx) -> _Span:
    lo, hi = {"early": (0, 1), "start": (0, 1), "mid": (2, 3), "late": (4, 6), "end": (4, 6)}[match[1]]
    ws = _week_start(ctx.today) + timedelta(7 if match[2] == "next" else 0)
    if match[2] is None and ws + timedelta(hi) < ctx.today:
        ws += timedelta(7)  # "start of the week" said on a Thursday: the coming one
    head = f"{_part_word(match[1])}{'next ' if match[2] == 'next' else ''}week".replace("mid week", "midweek")
    return _Span(ws + timedelta(lo), ws + timedelta(hi), "week", head)


def _resolve_day(tokens: list[str], ctx: _Ctx) -> date:
    # "week of <day>" reads its day with the whole dispatcher, which is built
    # from these recognisers: imported here to break the cycle.
    from cardbox.core.phrases.combine import _single

    sp = _single(tokens, ctx)
    if sp is None or isinstance(sp.start, datetime) or sp.start != sp.end:
        raise PhraseError(f"{_quote(' '.join(tokens))} is not a single day", DATE_EXAMPLES)
    return sp.start


@_rule(r"week of (.+)")
def _r_week_of(match: re.Match[str], ctx: _Ctx) -> _Span:
    day = _resolve_day(match[1].split(), ctx)
    ws = _week_start(day)
    return _Span(ws, ws + timedelta(6), "week", f"week of {day.day} {_SHORT_MON[day.month - 1]}")


@_rule(rf"(\dth|last) week(?: of)?(?: {MONTH}{YEAR}|(?: (this|next))? month)")
def _r_nth_week(match: re.Match[str], ctx: _Ctx) -> _Span:
    def window(year: int, mo: int) -> tuple[date, date]:
        if match[1] == "last":
            last = _month_len(year, mo)
            return date(year, mo, last - 6), date(year, mo, last)
        step = int(match[1][0])
        if not 1 <= step <= 4:
            raise PhraseError(f"{_quote(ctx.phrase)}: use first to fourth or last week", DATE_EXAMPLES)
        return date(year, mo, 7 * step - 6), date(year, mo, 7 * step)

    if match[2]:
        mo = _MONTHS.index(match[2]) + 1
        cands = [(int(match[3]), mo)] if match[3] else [(ctx.today.year, mo), (ctx.today.year + 1, mo)]
    else:
        cands = [_ym(ctx.today, 1)] if match[4] == "next" else [_ym(ctx.today, 0), _ym(ctx.today, 1)]
    for candidate_year, mo in cands:
        first, last = window(candidate_year, mo)
        if last >= ctx.today or len(cands) == 1:
            return _Span(first, last, "week")
    raise AssertionError  # pragma: no cover
