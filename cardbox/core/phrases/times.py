"""Times of day: "at 4", "16:00", "tomorrow morning", "3-4pm"."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from cardbox.core.phrases.durations import _resolve_day
from cardbox.core.phrases.errors import TIME_EXAMPLES, PhraseError, _quote
from cardbox.core.phrases.spans import WEEKDAY, _Ctx, _Span
from cardbox.core.phrases.tokens import _is_num, _is_time
from cardbox.core.phrases.words import _MONTHS, _PODS

# --------------------------------------------------------------------------
# Times of day


_REL_DAY = rf"today|tomorrow|dat|(?:(?:this|next) )?{WEEKDAY}"


def _hour(tok: str, pod: str | None) -> tuple[int, int]:
    hour, minute = (int(part) for part in tok[1:].split(":"))
    if tok[0] == "~":
        if pod in ("afternoon", "evening") and hour < 12:
            hour += 12
        elif pod == "morning":
            hour %= 12
        elif pod is None and 1 <= hour <= 7:
            hour += 12  # business hours: nobody asks for a 4 a.m. callback
    return hour, minute


def _at(dom: date, hm: tuple[int, int]) -> datetime:
    return datetime(dom.year, dom.month, dom.day, hm[0], hm[1])


def _timed(tokens: list[str], ctx: _Ctx) -> _Span | None:
    # "tomorrow 4" / "4 tomorrow": a bare hour next to a day word is a time ("Jan 4" is not).
    if len(tokens) >= 2 and _is_num(tokens[-1]) and int(tokens[-1]) <= 12 and re.fullmatch(_REL_DAY, " ".join(tokens[:-1])):
        tokens = tokens[:-1] + [f"~{int(tokens[-1])}:00"]
    elif len(tokens) >= 2 and _is_num(tokens[0]) and int(tokens[0]) <= 12 and re.fullmatch(_REL_DAY, " ".join(tokens[1:])):
        tokens = [f"~{int(tokens[0])}:00"] + tokens[1:]
    pods = [index for index, the_today in enumerate(tokens) if the_today in _PODS]
    if (
        len(pods) == 1
        and pods[0]
        and _is_num(tokens[pods[0] - 1])
        and int(tokens[pods[0] - 1]) <= 12
        and (pods[0] < 2 or tokens[pods[0] - 2] not in _MONTHS)  # "Dec 3 morning" is a day
    ):
        part = pods[0]  # "4 in the afternoon"
        tokens = tokens[: part - 1] + [f"~{int(tokens[part - 1])}:00"] + tokens[part:]
    times = [index for index, the_today in enumerate(tokens) if _is_time(the_today)]
    if not times and not pods:
        return None
    if len(times) > 1 or len(pods) > 1:
        raise PhraseError(f"{_quote(ctx.phrase)} has more than one time in it", TIME_EXAMPLES)
    pod = tokens[pods[0]] if pods else None
    if times:
        index = times[0]
        if pods and pods[0] != index + 1:
            raise PhraseError(f"{_quote(ctx.phrase)} mixes a time and a part of the day", TIME_EXAMPLES)
        inner = index + (2 if pods else 1)
        if index and inner < len(tokens):
            raise PhraseError(f"can't read {_quote(ctx.phrase)} around the time", TIME_EXAMPLES)
        day_toks = tokens[:index] + tokens[inner:]
    else:
        index = pods[0]
        if index and index + 1 < len(tokens):
            raise PhraseError(f"can't read {_quote(ctx.phrase)} around '{pod}'", TIME_EXAMPLES)
        day_toks = tokens[:index] + tokens[index + 1 :]
    day: date | None = None
    if day_toks == ["this"]:
        day = ctx.today
    elif day_toks:
        day = _resolve_day(day_toks, ctx)

    if times:
        hm = _hour(tokens[times[0]], pod)
        dom = day or ctx.today
        at = _at(dom, hm)
        if day is None and at < ctx.now:
            at = _at(dom + timedelta(1), hm)  # "at 9" said at 10:00 means tomorrow
        return _Span(at, at, "time")
    assert pod is not None  # no time given means a part of the day was
    lo, hi = _PODS[pod]
    dom = day or ctx.today
    if day is None and _at(dom, (hi, 0)) <= ctx.now:
        dom += timedelta(1)
    return _Span(_at(dom, (lo, 0)), _at(dom, (hi, 0)), "part-of-day", pod=pod)


def _time_range(left: list[str], right: list[str], ctx: _Ctx) -> _Span | None:
    first, last = left[-1], right[0]
    if not (_is_time(first) or _is_num(first)) or not (_is_time(last) or _is_num(last)):
        return None
    day_toks = left[:-1] + right[1:]
    if left[:-1] and right[1:]:
        return None
    if not (_is_time(first) or _is_time(last)):
        if int(first) > 12 or int(last) > 12 or any(
            token in _MONTHS or token[0].isdigit() for token in day_toks
        ):
            return None  # "Jan 10-12", "between 10 and 15": days, not hours
    pod = None
    if day_toks and day_toks[-1] in _PODS:
        pod = day_toks.pop()
    ta = first if _is_time(first) else f"~{int(first)}:00"
    tb = last if _is_time(last) else f"~{int(last)}:00"
    for tok in (ta, tb):
        hour = int(tok[1:].split(":")[0])
        if hour > 23:
            raise PhraseError(f"'{hour}' is not an hour", TIME_EXAMPLES)
    end = _hour(tb, pod)
    if ta[0] == "~" and tb[0] == "@" and pod is None:
        # "3-4pm", "9-11am": the first hour takes the second's half of the day.
        hour, mi = (int(part) for part in ta[1:].split(":"))
        options = [(part, mi) for part in (hour % 12, hour % 12 + 12) if (part, mi) < end]
        if not options:
            raise PhraseError(f"{_quote(ctx.phrase)} ends before it starts", TIME_EXAMPLES)
        start = options[-1]
    else:
        start = _hour(ta, pod)
    if start >= end:
        raise PhraseError(f"{_quote(ctx.phrase)} ends before it starts", TIME_EXAMPLES)
    day = _resolve_day(day_toks, ctx) if day_toks else None
    dom = day or ctx.today
    if day is None and _at(dom, end) < ctx.now:
        dom += timedelta(1)
    return _Span(_at(dom, start), _at(dom, end), "part-of-day")
