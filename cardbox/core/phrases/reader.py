"""The public entry point: check the phrase, resolve it, refuse past and far-off dates."""

from __future__ import annotations

import re
from collections.abc import Container
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from cardbox.core.phrases.combine import _resolve
from cardbox.core.phrases.errors import (
    DATE_EXAMPLES,
    FAR_YEARS,
    GENERAL_EXAMPLES,
    MAX_LEN,
    PhraseError,
    _quote,
)
from cardbox.core.phrases.everyday import rewrite
from cardbox.core.phrases.labels import _finish, week_out
from cardbox.core.phrases.spans import _Ctx
from cardbox.core.phrases.tokens import _tokens
from cardbox.core.phrases.words import _SHAPE, _UNITS, _WORDS
from cardbox.core.phrases.zones import PROSPECT, REP, split_zone
from cardbox.core.window import DueWindow, day_words


def _check_years(tokens: list[str], ctx: _Ctx) -> None:
    """Reject a written year beyond the five-year horizon before any arithmetic runs on it.

    Doing it here, once, keeps year 9999 from overflowing in every recogniser.
    """
    for index, tok in enumerate(tokens):
        year = None
        if re.fullmatch(r"[0-9]{4}", tok) and (index + 1 == len(tokens) or tokens[index + 1] not in _UNITS):
            year = int(tok)
        elif "-" in tok or tok.count("/") == 2 or tok.count(".") == 2:
            parts = re.split(r"[-/.]", tok)
            candidate_year = parts[0] if len(parts[0]) == 4 else parts[-1]
            year = int(candidate_year) + (2000 if len(candidate_year) == 2 else 0)
        if year is not None and year < 1:
            raise PhraseError(f"{_quote(ctx.phrase)}: {tok} is not a year I can use", DATE_EXAMPLES)
        if year is not None and year > ctx.today.year + FAR_YEARS:
            raise PhraseError(f"{_quote(ctx.phrase)}: {year} is more than {FAR_YEARS} years away, probably a typo", DATE_EXAMPLES)


def _naive(now: datetime | date) -> datetime:
    # A pendulum DateTime is a datetime subclass; rebuild it as plain naive local time.
    if isinstance(now, datetime):
        return datetime(now.year, now.month, now.day, now.hour, now.minute)
    if isinstance(now, date):
        return datetime(now.year, now.month, now.day)
    raise TypeError(f"now must be a datetime, not {type(now).__name__}")


# "in -5 days", "-3 weeks", "within - 2 days": a minus on a count (a range such as "5-10 Jan" is not one).
_NEGATIVE = re.compile(r"(?:^|\b(?:in|within|after|for|by|plus)\s+)[-−–]\s*\d", re.IGNORECASE)


_HOLIDAY_WEEKEND = re.compile(r"^(?:the\s+)?(.+?)\s+weekend$", re.IGNORECASE)


def parse_when(
    phrase: str,
    now: datetime,
    *,
    day_first: bool = False,
    holidays: Container[date] = (),
    rep_zone: str | None = None,
    prospect_zone: str | None = None,
    speaker: str = PROSPECT,
) -> DueWindow:
    """Read a callback phrase said at `now` (naive, the rep's clock) as a DueWindow on the rep's clock.

    A time in the phrase is the prospect's when `prospect_zone` is given, or
    the zone the phrase names ("8:00 PST", "their time", "my time": whose
    clock that is depends on the `speaker`, see zones.py); it is moved onto
    the rep's clock (`rep_zone`). Raises PhraseError for anything
    that is not a future date: unreadable text, no date ("sometime"), a past
    date or one more than five years ahead.
    """
    if isinstance(phrase, str) and rep_zone:
        rest, whose = split_zone(phrase.strip(), speaker)
        source = {REP: rep_zone, PROSPECT: prospect_zone, None: prospect_zone}.get(whose, whose)
        if whose is not None and not rest:
            raise PhraseError(f"{_quote(phrase)} names a clock but no time", GENERAL_EXAMPLES)
        if whose == PROSPECT and not prospect_zone:
            # "4 my time" with no zone known for them: a guess would file the call on the wrong clock.
            raise PhraseError(f"{_quote(phrase)} is on the prospect's clock, and their time zone is not known yet "
                              "(type their number first, or name the zone: '4pm ET')", ("tomorrow at 4 ET", "tomorrow at 4pm PT"))
        if source and source != rep_zone:
            return _on_rep_clock(parse_when(rest, _moved(now, rep_zone, source), day_first=day_first, holidays=holidays),
                                 phrase.strip(), source, rep_zone)
        if whose is not None:
            # On the rep's own clock already: read without the words, keep what was said; where the prospect's
            # clock differs, the label shows it too.
            window = parse_when(rest, now, day_first=day_first, holidays=holidays)
            label = window.label
            if window.timed and prospect_zone and prospect_zone != rep_zone:
                label = _both_clocks(window, rep_zone, prospect_zone)
            return DueWindow(window.start, window.end, window.grain, phrase.strip(), label)
    if not isinstance(phrase, str):
        raise PhraseError("the phrase must be text", GENERAL_EXAMPLES)
    text = phrase.strip()
    if len(text) > MAX_LEN:
        raise PhraseError(f"the phrase is too long ({len(text)} characters, at most {MAX_LEN})", GENERAL_EXAMPLES)
    if not text:
        raise PhraseError("an empty phrase has no date in it", GENERAL_EXAMPLES)
    if _NEGATIVE.search(text):
        # The tokenizer would read "in -5 days" as "in 5 days": a callback is never in the past.
        raise PhraseError(f"{_quote(text)} counts backwards; a callback is ahead, e.g. 'in 5 days'", GENERAL_EXAMPLES)
    weekend = _HOLIDAY_WEEKEND.match(text)
    if weekend and weekend.group(1).lower() not in ("this", "next", "the", "last", "a"):
        return _holiday_weekend(weekend.group(1), text, now, day_first, holidays)
    ctx = _Ctx(_naive(now), _naive(now).date(), day_first, text, holidays)
    tokens = _tokens(rewrite(text, _naive(now)))
    if not tokens:
        raise PhraseError(f"{_quote(text)} has no date in it", GENERAL_EXAMPLES)
    for tok in tokens:
        if tok not in _WORDS and not _SHAPE.fullmatch(tok):
            raise PhraseError(f"can't read {_quote(text)}: {_quote(tok)} is not a date word", GENERAL_EXAMPLES)
    _check_years(tokens, ctx)
    if tokens == ["now"]:
        raise PhraseError(f"{_quote(text)} is not a callback date", ("today at 4", "tomorrow morning", "in 2 hours"))
    try:
        sp = _resolve(tokens, ctx)
    except PhraseError as err:
        if _quote(text) in err.reason:
            raise
        # Deep helpers know what is wrong ("February has no day 30") but not what was said.
        raise PhraseError(f"{_quote(text)}: {err.reason}", err.examples) from None
    except (ValueError, OverflowError, IndexError, KeyError, TypeError, AssertionError) as exc:
        # A calendar corner a recogniser did not foresee must still read as a phrase problem.
        raise PhraseError(f"{_quote(text)} is not a date I can use", GENERAL_EXAMPLES) from exc
    return week_out(_finish(sp, ctx), tokens, ctx)


def _holiday_weekend(holiday: str, text: str, now: datetime, day_first: bool, holidays: Container[date]) -> DueWindow:
    """"labor day weekend": the long weekend around the holiday (Saturday to Monday for a Monday holiday)."""
    from datetime import timedelta

    day = parse_when(holiday, now, day_first=day_first, holidays=holidays)
    if day.first_day != day.last_day:
        raise PhraseError(f"{_quote(text)}: {_quote(holiday)} is not a single day", GENERAL_EXAMPLES)
    first = day.first_day
    weekday = first.weekday()
    if weekday == 0:  # a Monday holiday: Saturday to Monday
        start, end = first - timedelta(days=2), first
    elif weekday == 4:  # a Friday holiday: Friday to Sunday
        start, end = first, first + timedelta(days=2)
    else:  # the weekend after it (or the one it falls on)
        start = first + timedelta(days=(5 - weekday) % 7)
        end = start + timedelta(days=1)
    label = f"{day.label.split(' (')[0]} weekend ({day_words(start, year=False)} – {day_words(end)})"
    return DueWindow(start, end, "weekend", text, label)


@lru_cache(maxsize=64)
def _zone(name: str) -> Any:
    """pendulum's zone by name, made once: making one reads the tz database (~60 µs, most of a timed phrase's read)."""
    import pendulum

    return pendulum.timezone(name)


def _moved(moment: datetime, src: str, dst: str) -> datetime:
    import pendulum

    there = pendulum.instance(moment, tz=_zone(src)).in_tz(_zone(dst))
    return datetime(there.year, there.month, there.day, there.hour, there.minute, there.second)


def _both_clocks(window: DueWindow, rep_zone: str, theirs_zone: str) -> str:
    """A timed window on the rep's clock, labelled with the prospect's clock beside it."""
    import pendulum

    assert isinstance(window.start, datetime) and isinstance(window.end, datetime)
    start, end = _moved(window.start, rep_zone, theirs_zone), _moved(window.end, rep_zone, theirs_zone)
    abbreviation = pendulum.instance(start, tz=_zone(theirs_zone)).format("zz")
    ours = f"{window.start:%H:%M}" + (f"–{window.end:%H:%M}" if window.end != window.start else "")
    theirs = f"{start:%H:%M}" + (f"–{end:%H:%M}" if end != start else "")
    if ours == theirs:
        return window.label
    return f"{day_words(window.start.date())} {ours} your time ({theirs} {abbreviation}){_said_note(window.label)}"


def _said_note(label: str) -> str:
    """What the label says about the phrase itself ("— a week out; today is Friday"), kept when the label is
    written again on two clocks."""
    _, dash, note = label.partition(" — ")
    return f"{dash}{note}" if dash else ""


def _on_rep_clock(window: DueWindow, phrase: str, source: str, rep_zone: str) -> DueWindow:
    """A window read on the prospect's (or a named) clock, put on the rep's; the label says both."""
    if not window.timed:
        return DueWindow(window.start, window.end, window.grain, phrase, window.label)
    assert isinstance(window.start, datetime) and isinstance(window.end, datetime)
    start, end = _moved(window.start, source, rep_zone), _moved(window.end, source, rep_zone)
    import pendulum

    abbreviation = pendulum.instance(window.start, tz=_zone(source)).format("zz")
    theirs = f"{window.start:%H:%M}" + (f"–{window.end:%H:%M}" if window.end != window.start else "")
    ours = f"{start:%H:%M}" + (f"–{end:%H:%M}" if end != start else "")
    label = f"{day_words(start.date())} {ours} your time ({theirs} {abbreviation}){_said_note(window.label)}"
    return DueWindow(start, end, window.grain, phrase, label)
