"""Labels: how a window is written back to the rep ("late Jan 2027 (Thu 21 – Sun 31 Jan)")."""

from __future__ import annotations

import re
from datetime import date, datetime

from cardbox.core.calendar import add_years as _add_years
from cardbox.core.phrases.errors import (
    FAR_YEARS,
    GENERAL_EXAMPLES,
    PAST_EXAMPLES,
    PhraseError,
    _quote,
)
from cardbox.core.phrases.spans import _Ctx, _Span
from cardbox.core.phrases.words import _FULL_WD, _SHORT_WD, _WDAYS
from cardbox.core.window import DueWindow, day_words

# --------------------------------------------------------------------------
# Checking and labelling


def _dmy(day: date, year: bool = True) -> str:
    return day_words(day, year)


def _date_range(first: date, last: date, year: bool) -> str:
    if first == last:
        return _dmy(first, year)
    if first.year != last.year:
        return f"{_dmy(first, year)} – {_dmy(last, year)}"
    if first.month == last.month:
        return f"{_SHORT_WD[first.weekday()]} {first.day} – {_dmy(last, year)}"
    return f"{_dmy(first, False)} – {_dmy(last, year)}"


def _label(sp: _Span, start: date | datetime, now: datetime) -> str:
    end = sp.end
    if isinstance(start, datetime) and isinstance(end, datetime):
        day = start.date()
        if sp.pod:
            return f"{_dmy(day, day.year != now.year)} {sp.pod} ({start:%H:%M}–{end:%H:%M})"
        if start == end:
            body = f"{_dmy(day)} {start:%H:%M}"
        elif end.date() == day:
            body = f"{_dmy(day)} {start:%H:%M}–{end:%H:%M}"
        else:
            body = f"{_dmy(day, False)} {start:%H:%M} – {_dmy(end.date())} {end:%H:%M}"
        return f"{sp.head} ({body})" if sp.head else body
    assert isinstance(start, date) and not isinstance(end, datetime)
    if not sp.head:
        return _date_range(start, end, True)
    head_has_year = bool(re.search(r"\d{4}", sp.head))
    return f"{sp.head} ({_date_range(start, end, not head_has_year)})"


def week_out(window: DueWindow, tokens: list[str], ctx: _Ctx) -> DueWindow:
    """"Monday" said on a Monday is next week's (docs/phrases.md): the label says so, as it is easy to mishear."""
    from datetime import timedelta

    today = ctx.today
    for index, tok in enumerate(tokens):
        bare = index == 0 or tokens[index - 1] not in ("this", "next", "last")
        if tok in _WDAYS and bare and _WDAYS.index(tok) == today.weekday() and window.first_day == today + timedelta(7):
            label = f"{window.label} — a week out; today is {_FULL_WD[today.weekday()]}"
            return DueWindow(window.start, window.end, window.grain, window.phrase, label)
    return window


def _finish(sp: _Span, ctx: _Ctx) -> DueWindow:
    if isinstance(sp.start, datetime):
        assert isinstance(sp.end, datetime)  # a timed span is timed at both ends
        if sp.end < ctx.now:
            raise PhraseError(f"{_quote(ctx.phrase)} is in the past ({_dmy(sp.end.date())} {sp.end:%H:%M})", PAST_EXAMPLES)
        start_at = max(sp.start, ctx.now)
        start: date | datetime = start_at
        first = start_at.date()
    else:
        if sp.end < ctx.today:
            raise PhraseError(f"{_quote(ctx.phrase)} is in the past ({_date_range(sp.start, sp.end, True)})", PAST_EXAMPLES)
        start = max(sp.start, ctx.today)
        first = start
    if first > _add_years(ctx.today, FAR_YEARS):
        raise PhraseError(
            f"{_quote(ctx.phrase)} is more than {FAR_YEARS} years away ({_dmy(first)}), probably a typo",
            GENERAL_EXAMPLES,
        )
    return DueWindow(start=start, end=sp.end, grain=sp.grain, phrase=ctx.phrase, label=_label(sp, start, ctx.now))
