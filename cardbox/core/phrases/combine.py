"""Combinators: ranges, before / after / by / within, and the dispatcher that tries each reading."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from cardbox.core.calendar import month_length as _month_len
from cardbox.core.calendar import shift_month as _ym
from cardbox.core.phrases.durations import _after_units, _units_head
from cardbox.core.phrases.errors import (
    DATE_EXAMPLES,
    GENERAL_EXAMPLES,
    PAST_EXAMPLES,
    TIME_EXAMPLES,
    PhraseError,
    _quote,
)
from cardbox.core.phrases.spans import (
    MONTH,
    YEAR,
    _compiled_rules,
    _Ctx,
    _mkdate,
    _Span,
    _span_grain,
)
from cardbox.core.phrases.times import _at, _hour, _time_range, _timed
from cardbox.core.phrases.tokens import _is_num, _is_time
from cardbox.core.phrases.words import _HOLIDAY_NAMES, _MONTHS, _SHORT_MON, _SHORT_WD, _UNITS

# --------------------------------------------------------------------------
# Combinators: ranges, before / after / by / within


def _single(tokens: list[str], ctx: _Ctx) -> _Span | None:
    if not tokens:
        return None
    timed = _timed(tokens, ctx)
    if timed is not None:
        return timed
    text = " ".join(tokens)
    for rx, fn in _compiled_rules():
        found = rx.fullmatch(text)
        if found:
            sp: _Span | None = fn(found, ctx)
            if sp is not None:
                return sp
    return None


def _need(tokens: list[str], ctx: _Ctx) -> _Span:
    sp = _single(tokens, ctx)
    if sp is None:
        raise _unreadable(tokens, ctx)
    return sp


def _ordinal(count: str) -> str:
    step = int(count)
    suffix = "th" if 10 <= step % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(step % 10, "th")
    return f"{step}{suffix}"


def _unreadable(tokens: list[str], ctx: _Ctx) -> PhraseError:
    if len(tokens) == 1 and _is_num(tokens[0]):
        count = tokens[0][:6]
        if int(count) <= 12:
            tries: tuple[str, ...] = (f"at {count}", f"the {_ordinal(count)}", f"in {count} days")
        elif int(count) <= 31:
            tries = (f"the {_ordinal(count)}", f"Jan {int(count)}", f"in {count} days")
        else:
            tries = (f"in {count} days", "next week", "in 6 weeks")
        return PhraseError(f"{_quote(ctx.phrase)} is just a number", tries)
    return PhraseError(f"can't read {_quote(ctx.phrase)} as a date", GENERAL_EXAMPLES)


_DAY_RANGE = (  # compiled lazily through re's cache, like the rules
    rf"{MONTH} (\d{{1,2}})(?:th)? to (\d{{1,2}})(?:th)?{YEAR}",
    rf"(\d{{1,2}})(?:th)? to (\d{{1,2}})(?:th)?(?: of)? {MONTH}{YEAR}",
    r"(\d{1,2})(?:th)? to (\d{1,2})(?:th)?(?: of(?: (this|next))? month)?",
)


def _day_range(text: str, ctx: _Ctx) -> _Span | None:
    """"Jan 10-15", "between the 10th and the 15th": one window, rolled forward as a whole."""
    for step, rx in enumerate(_DAY_RANGE):
        match = re.fullmatch(rx, text)
        if not match:
            continue
        if step == 0:
            mo, d1, d2, year, rel = _MONTHS.index(match[1]) + 1, int(match[2]), int(match[3]), match[4], None
        elif step == 1:
            mo, d1, d2, year, rel = _MONTHS.index(match[3]) + 1, int(match[1]), int(match[2]), match[4], None
        else:
            mo, d1, d2, year, rel = None, int(match[1]), int(match[2]), None, match[3]
        if d1 < 1 or d2 > 31:
            raise PhraseError(f"no month has days {d1} to {d2}", DATE_EXAMPLES)
        if d2 < d1:
            raise PhraseError(f"{_quote(ctx.phrase)} ends before it starts", DATE_EXAMPLES)
        today = ctx.today
        if mo is not None:
            cands = [(int(year), mo)] if year else [(today.year, mo), (today.year + 1, mo)]
        elif rel == "next":
            cands = [_ym(today, 1)]
        else:
            cands = [_ym(today, position) for position in range(13)]
        for candidate_year, mo_ in cands:
            if d2 > _month_len(candidate_year, mo_):
                if mo is not None or len(cands) == 1:
                    _mkdate(candidate_year, mo_, d2)  # "Feb 10-30": say which day does not exist
                continue
            first, last = date(candidate_year, mo_, d1), date(candidate_year, mo_, d2)
            if last >= today or len(cands) == 1:
                return _Span(first, last, _span_grain(first, last))
        raise PhraseError(f"no month has days {d1} to {d2}", DATE_EXAMPLES)
    return None


_YEAR_TOKEN = re.compile(r"\d{4}")


def _range(left: list[str], right: list[str], ctx: _Ctx) -> _Span:
    if not left or not right:
        raise PhraseError(f"{_quote(ctx.phrase)} needs a start and an end", ("Jan 10-15", "3-4pm tomorrow", "Monday to Wednesday"))
    if left in (["now"], ["today"]):
        return _before(right, True, ctx)  # "between now and November 15th": from today up to it
    sp = _time_range(left, right, ctx) or _day_range(" ".join(left + ["to"] + right), ctx)
    if sp is not None:
        return sp
    if _YEAR_TOKEN.fullmatch(right[-1]) and not any(_YEAR_TOKEN.fullmatch(tok) for tok in left) and left[0] in _MONTHS:
        # "from May to Oct 2020": the year said once, at the end, is the whole range's (the start's year
        # before it when the range crosses New Year: "Nov to Feb 2027" is Nov 2026 – Feb 2027).
        year = _need(right, ctx)
        part = _need([*left, right[-1]], ctx)
        if part.start > year.end:
            part = _need([*left, str(int(right[-1]) - 1)], ctx)
        return _joined(part, year, ctx)
    part = _need(left, ctx)
    year = _need(right, ctx)
    if (not isinstance(part.start, datetime) and not isinstance(year.start, datetime)
            and ctx.today < part.start and year.end < part.start):
        # "between August and October" said on 7 September: the window is under way, so it starts today,
        # as "September through November" does; not next August. (Only when the end, read as of today, comes
        # before the start: otherwise the start is still to come and the range reads as it stands.)
        for base in (date(ctx.today.year, 1, 1), date(ctx.today.year - 1, 1, 1)):
            earlier = _need(left, ctx.at(base))  # the start read as of New Year: this year's, or last year's
            if not earlier.start <= ctx.today < part.start:
                continue
            then = _need(right, ctx.at(earlier.start))
            if ctx.today <= then.end < part.start:
                return _Span(earlier.start, then.end, _span_grain(ctx.today, then.end))
    return _joined(part, year, ctx, right)


def _joined(part: _Span, year: _Span, ctx: _Ctx, right: list[str] | None = None) -> _Span:
    if isinstance(part.start, datetime) != isinstance(year.start, datetime):
        raise PhraseError(f"{_quote(ctx.phrase)} mixes a day and a time", ("Monday to Wednesday", "3-4pm tomorrow"))
    if year.end < part.start and not isinstance(part.start, datetime) and right is not None:
        year = _need(right, ctx.at(part.start))  # "friday to monday": the Monday after that Friday
    if year.end < part.start:
        raise PhraseError(f"{_quote(ctx.phrase)} ends before it starts", ("Monday to Wednesday", "Jan 10-15"))
    if isinstance(part.start, datetime):
        return _Span(part.start, year.end, "part-of-day")
    return _Span(part.start, year.end, _span_grain(part.start, year.end))


def _short(sp: _Span) -> str:
    if sp.head:
        return sp.head
    day = sp.start if not isinstance(sp.start, datetime) else sp.start.date()
    return f"{_SHORT_WD[day.weekday()]} {day.day} {_SHORT_MON[day.month - 1]}"


def _after(rest: list[str], ctx: _Ctx) -> _Span:
    if len(rest) == 1 and _is_num(rest[0]) and int(rest[0]) <= 23:
        rest = [f"~{int(rest[0])}:00" if int(rest[0]) <= 12 else f"@{int(rest[0])}:00"]
    if len(rest) <= 2 and rest[0] in _HOLIDAY_NAMES or rest == ["holidays"]:
        # Look back two weeks so "after Christmas" said on 28 Dec is this one, clipped.
        sp = _need(rest, ctx.at(ctx.today - timedelta(14)))
    else:
        sp = _need(rest, ctx)
    if isinstance(sp.start, datetime):
        assert isinstance(sp.end, datetime)
        start = sp.end
        if len(rest) == 1 and _is_time(rest[0]):
            # "after 3" said at 16:00 is still today: it is after 3 now.
            start = _at(ctx.today, _hour(rest[0], None))
        eve = max(start, start.replace(hour=20, minute=0))
        if eve < ctx.now:  # "after 3" said at 21:00
            start, eve = start + timedelta(1), eve + timedelta(1)
        return _Span(start, eve, "part-of-day" if eve > start else "time")
    first, last = sp.end + timedelta(1), sp.end + timedelta(14)
    return _Span(first, last, "week", f"after {_short(sp)}")


def _before(rest: list[str], by: bool, ctx: _Ctx) -> _Span:
    if len(rest) == 1 and _is_num(rest[0]) and int(rest[0]) <= 23:
        rest = [f"~{int(rest[0])}:00" if int(rest[0]) <= 12 else f"@{int(rest[0])}:00"]
    sp = _need(rest, ctx)
    word = "by" if by else "before"
    if isinstance(sp.start, datetime):
        assert isinstance(sp.end, datetime)
        end = sp.end if by else sp.start
        start = max(ctx.now, end.replace(hour=8, minute=0)) if end.date() == ctx.today else end.replace(hour=8, minute=0)
        start = min(start, end)
        return _Span(start, end, "part-of-day" if end > start else "time")
    last_day = sp.end if by else sp.start - timedelta(1)
    if last_day < ctx.today:
        raise PhraseError(f"{_quote(ctx.phrase)} leaves no days before it", PAST_EXAMPLES)
    return _Span(ctx.today, last_day, _span_grain(ctx.today, last_day), f"{word} {sp.head}" if sp.head else "")


def _within(rest: list[str], ctx: _Ctx) -> _Span:
    match = re.fullmatch(r"(\d+) (day|bday|week|fortnight|month|year|hour|minute)", " ".join(rest))
    if not match:
        raise PhraseError(f"{_quote(ctx.phrase)}: 'within' needs an amount of time", ("within 2 weeks", "within a month", "in 6 weeks"))
    count = int(match[1])
    end = _after_units(count, match[2], ctx)
    head = _units_head(count, match[2]).replace("in ", "within ", 1)
    if isinstance(end, datetime):
        return _Span(ctx.now, end, "part-of-day", head)
    return _Span(ctx.today, end, _span_grain(ctx.today, end), head)


_HEAD_EXAMPLES = {
    "after": ("after Christmas", "after the 15th", "after 3"),
    "before": ("before Christmas", "before Friday", "before 3"),
    "by": ("by Friday", "by the 15th", "by 5pm"),
    "within": ("within 2 weeks", "within a month", "in 6 weeks"),
}


def _lasting(tokens: list[str], ctx: _Ctx) -> _Span | None:
    """"for 3 days (from today)", "for a week starting Monday": a window that lasts, from its start (today)."""
    at = tokens.index("for")
    amount = tokens[at + 1 : at + 3]
    if len(amount) < 2 or not _is_num(amount[0]) or amount[1] not in _UNITS or int(amount[0]) < 1:
        return None
    anchor = tokens[:at] + tokens[at + 3 :]
    said_from = bool(anchor) and anchor[0] in ("from", "start")
    while anchor and anchor[0] in ("from", "start"):
        anchor = anchor[1:]
    if said_from and not anchor:
        raise PhraseError(f"{_quote(ctx.phrase)} needs the day it starts", ("w/c Feb 4", "for 3 days from Monday"))
    count, unit = int(amount[0]), amount[1]
    first = _need(anchor, ctx) if anchor else _Span(ctx.today, ctx.today, "day")
    if unit in ("hour", "minute"):
        begin = first.start if isinstance(first.start, datetime) else max(ctx.now, datetime(first.start.year, first.start.month, first.start.day, 8))
        end = begin + (timedelta(hours=count) if unit == "hour" else timedelta(minutes=count))
        return _Span(begin, end, "part-of-day")
    day = first.start.date() if isinstance(first.start, datetime) else first.start
    stop = _after_units(count, unit, ctx.at(day))
    assert not isinstance(stop, datetime)
    last = stop - timedelta(1)
    return _Span(day, last, _span_grain(day, last))


def _minutes_before(tokens: list[str], ctx: _Ctx) -> list[str]:
    """"20 minutes to 2pm tomorrow": 13:40 tomorrow (never a range from now to 2 p.m.); "past" the hour too."""
    for at in range(len(tokens) - 3):
        count, unit, word, clock = tokens[at : at + 4]
        if _is_num(count) and unit == "minute" and word in ("to", "last", "before", "after") and _is_time(clock):
            minutes = int(count) * (-1 if word in ("to", "before") else 1)
            hour, minute = (int(part) for part in clock[1:].split(":"))
            total = hour * 60 + minute + minutes
            if clock[0] == "~":  # a bare hour keeps its business-hours reading: 1 to 12 on the dial
                total %= 12 * 60
                hour_of = total // 60 or 12
            else:
                if not 0 <= total < 24 * 60:
                    raise PhraseError(f"{_quote(ctx.phrase)} crosses midnight", TIME_EXAMPLES)
                hour_of = total // 60
            if int(count) >= 60 and clock[0] == "~":
                raise PhraseError(f"{_quote(ctx.phrase)}: say the time itself, e.g. 'at 1:30pm'", TIME_EXAMPLES)
            return [*tokens[:at], f"{clock[0]}{hour_of}:{total % 60:02d}", *tokens[at + 4 :]]
    return tokens


def _next_amount(tokens: list[str]) -> list[str] | None:
    """"next couple weeks", "the next 4 business days", "next fortnight": within that much time from today."""
    if tokens[:1] == ["next"] and len(tokens) == 3 and _is_num(tokens[1]) and tokens[2] in _UNITS:
        return ["within", tokens[1], tokens[2]]
    if tokens == ["next", "fortnight"]:
        return ["within", "1", "fortnight"]
    return None


def _from_anchor(tokens: list[str], ctx: _Ctx) -> _Span | None:
    """"4 months from tomorrow", "2 weeks from Friday": the amount counted from that day, not from today."""
    if len(tokens) < 4 or not _is_num(tokens[0]) or tokens[1] not in _UNITS or tokens[2] != "from":
        return None
    anchor = tokens[3:]
    if anchor in (["now"], ["today"]):
        return None  # the duration rule reads these itself
    base = _need(anchor, ctx)
    if isinstance(base.start, datetime) or base.start != base.end:
        raise PhraseError(f"{_quote(ctx.phrase)}: count from one day, e.g. '2 weeks from Friday'", GENERAL_EXAMPLES)
    if tokens[1] in ("hour", "minute"):
        raise PhraseError(f"{_quote(ctx.phrase)}: hours count from now, e.g. 'in 2 hours'", GENERAL_EXAMPLES)
    sp = _need(tokens[:2], ctx.at(base.start))
    return _Span(sp.start, sp.end, sp.grain, f"{sp.head.removeprefix('in ')} from {_short(base)}")


def _resolve(tokens: list[str], ctx: _Ctx) -> _Span:
    tokens = _minutes_before(tokens, ctx)
    if "for" in tokens:
        lasting = _lasting(tokens, ctx)
        if lasting is not None:
            return lasting
        tokens = [tok for tok in tokens if tok != "for"]  # "call me for next Tuesday"
    if "orlater" in tokens or "orearlier" in tokens:
        # "3 pm or later on Monday" is from 3 pm on; "Friday or earlier" is by Friday.
        later = "orlater" in tokens
        if later and "orearlier" in tokens:
            raise PhraseError(f"{_quote(ctx.phrase)} says both 'or later' and 'or earlier'", ("3pm or later", "Friday or earlier"))
        rest = [tok for tok in tokens if tok not in ("orlater", "orearlier")]
        if not rest:
            raise PhraseError(f"{_quote(ctx.phrase)} needs a date or a time", ("3pm or later", "Friday or earlier"))
        if not later:
            return _before(rest, True, ctx)
        sp = _need(rest, ctx)
        if isinstance(sp.start, datetime):
            return _after(rest, ctx)
        last = sp.end + timedelta(13)
        return _Span(sp.start, last, _span_grain(sp.start, last), f"{_short(sp)} or later")
    amount = _next_amount(tokens)
    if amount is not None:
        tokens = amount
    counted = _from_anchor(tokens, ctx)
    if counted is not None:
        return counted
    # "between X and Y" and "from X to Y" are the same range as "X to Y".
    if "between" in tokens:
        position = tokens.index("between")
        if "and" not in tokens[position:]:
            if "to" in tokens[position:]:  # "between 1-2:30": the dash said "and"
                tokens = tokens[:position] + tokens[position + 1 :]
            else:
                raise PhraseError(f"{_quote(ctx.phrase)} needs 'between … and …'", ("between the 10th and the 15th", "between 3 and 4"))
        else:
            inner = tokens.index("and", position)
            tokens = tokens[:position] + tokens[position + 1 : inner] + ["to"] + tokens[inner + 1 :]
    if tokens and tokens[0] == "from" and "to" in tokens:
        tokens = tokens[1:]
    if "from" in tokens[1:] and "to" in tokens[tokens.index("from", 1):]:
        tokens = [tok for tok in tokens if tok != "from"]  # "Tuesday from 7 to 7:30"
    if tokens and tokens[0] == "to":
        tokens = ["by"] + tokens[1:]  # "until Friday"
    if tokens.count("to") == 1 and tokens[0] not in ("by", "before", "after", "within"):
        position = tokens.index("to")
        return _range(tokens[:position], tokens[position + 1 :], ctx)
    if tokens and tokens[0] == "from":
        tokens = tokens[1:]
    if not tokens:
        raise PhraseError(f"{_quote(ctx.phrase)} has no date in it", GENERAL_EXAMPLES)
    head, rest = tokens[0], tokens[1:]
    if head in ("after", "before", "by", "within"):
        if not rest:
            raise PhraseError(f"{_quote(ctx.phrase)} needs a date after '{head}'", _HEAD_EXAMPLES[head])
        if head == "after":
            return _after(rest, ctx)
        if head == "within":
            return _within(rest, ctx)
        return _before(rest, head == "by", ctx)
    return _need(tokens, ctx)
