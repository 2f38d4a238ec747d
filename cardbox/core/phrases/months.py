"""Recognisers for months, quarters, seasons and years."""

from __future__ import annotations

import re
from datetime import date, timedelta

from cardbox.core.calendar import month_length as _month_len
from cardbox.core.calendar import shift_month as _ym
from cardbox.core.phrases.spans import (
    MONTH,
    PART,
    SEASON,
    YEAR,
    _Ctx,
    _month_third,
    _part_word,
    _rule,
    _season,
    _season_head,
    _Span,
    _year_check,
)
from cardbox.core.phrases.words import _MONTHS, _SHORT_MON


def _month_span(year: int, mo: int, part: str | None) -> _Span:
    first, last = _month_third(year, mo, part)
    head = f"{_part_word(part) if part else ''}{_SHORT_MON[mo - 1]} {year}"
    return _Span(first, last, "week" if part else "month", head)


@_rule(rf"(?:(this|next|last) )?{MONTH}{YEAR}")
def _r_month(match: re.Match[str], ctx: _Ctx) -> _Span:
    return _named_month(match[1], None, _MONTHS.index(match[2]) + 1, _year_check(match[3]), ctx)


@_rule(rf"{PART}(?: of)?(?: (this|next))? {MONTH}{YEAR}")
def _r_month_part(match: re.Match[str], ctx: _Ctx) -> _Span:
    return _named_month(match[2], match[1], _MONTHS.index(match[3]) + 1, _year_check(match[4]), ctx)


def _named_month(rel: str | None, part: str | None, mo: int, year: int | None, ctx: _Ctx) -> _Span:
    if year is not None:
        return _month_span(year, mo, part)
    the_today = ctx.today
    for candidate_year in range(the_today.year - 1, the_today.year + 2):
        sp = _month_span(candidate_year, mo, part)
        if rel == "last":
            if sp.end < the_today and _month_span(candidate_year + 1, mo, part).end >= the_today:
                return sp
        elif rel == "next":
            if sp.start > the_today:
                return sp
        elif sp.end >= the_today:
            return sp
    raise AssertionError  # pragma: no cover


@_rule(r"(?:(this|next|last) )?month|month after next")
def _r_rel_month(match: re.Match[str], ctx: _Ctx) -> _Span:
    rel = match[1] or ("after" if "after" in match[0] else "this")
    year, mo = _ym(ctx.today, {"this": 0, "next": 1, "after": 2, "last": -1}[rel])
    return _month_span(year, mo, None)


@_rule(rf"{PART}(?: of)?(?: (this|next|last))? month")
def _r_rel_month_part(match: re.Match[str], ctx: _Ctx) -> _Span:
    shift = {None: 0, "this": 0, "next": 1, "last": -1}[match[2]]
    year, mo = _ym(ctx.today, shift)
    sp = _month_span(year, mo, match[1])
    if match[2] is None and sp.end < ctx.today:
        sp = _month_span(*_ym(ctx.today, 1), match[1])  # "beginning of the month" on the 22nd
    return sp


def _quarter_span(year: int, quarter: int, part: str | None) -> _Span:
    if part is None:
        first = date(year, 3 * quarter - 2, 1)
        last = date(year, 3 * quarter, _month_len(year, 3 * quarter))
        return _Span(first, last, "quarter", f"Q{quarter} {year}")
    mo = 3 * quarter - 2 + {"early": 0, "start": 0, "mid": 1, "late": 2, "end": 2}[part]
    return _Span(date(year, mo, 1), date(year, mo, _month_len(year, mo)), "month", f"{_part_word(part)}Q{quarter} {year}")


def _this_quarter(today: date) -> tuple[int, int]:
    return today.year, (today.month - 1) // 3 + 1


def _shift_quarter(year: int, quarter: int, count: int) -> tuple[int, int]:
    step = year * 4 + quarter - 1 + count
    return step // 4, step % 4 + 1


@_rule(r"(?:(this|next|last) )?quarter")
def _r_rel_quarter(match: re.Match[str], ctx: _Ctx) -> _Span:
    year, quarter = _shift_quarter(*_this_quarter(ctx.today), {None: 0, "this": 0, "next": 1, "last": -1}[match[1]])
    return _quarter_span(year, quarter, None)


@_rule(rf"(?:{PART}(?: of)? )?(?:q([1-4])|([1-4])th quarter(?: of)?){YEAR}")
def _r_quarter(match: re.Match[str], ctx: _Ctx) -> _Span:
    quarter = int(match[2] or match[3])
    if match[4]:
        return _quarter_span(int(match[4]), quarter, match[1])
    for candidate_year in (ctx.today.year, ctx.today.year + 1):
        sp = _quarter_span(candidate_year, quarter, match[1])
        if sp.end >= ctx.today:
            return sp
    raise AssertionError  # pragma: no cover


@_rule(rf"{PART}(?: of)?(?: (this|next))? quarter")
def _r_rel_quarter_part(match: re.Match[str], ctx: _Ctx) -> _Span:
    year, quarter = _shift_quarter(*_this_quarter(ctx.today), 1 if match[2] == "next" else 0)
    sp = _quarter_span(year, quarter, match[1])
    if match[2] is None and sp.end < ctx.today:
        sp = _quarter_span(*_shift_quarter(year, quarter, 1), match[1])
    return sp


def _season_span(key: str, year: int, part: str | None) -> _Span:
    first, last = _season(key, year)
    head = _season_head(key, first)
    if part is None:
        return _Span(first, last, "season", head)
    third = ((last - first).days + 1) // 3
    step = {"early": 0, "start": 0, "mid": 1, "late": 2, "end": 2}[part]
    lo = first + timedelta(third * step)
    hi = last if step == 2 else lo + timedelta(third - 1)
    return _Span(lo, hi, "month", f"{_part_word(part)}{head}")


@_rule(rf"(?:(this|next|last) )?(?:{PART}(?: of)? )?{SEASON}{YEAR}")
def _r_season(match: re.Match[str], ctx: _Ctx) -> _Span:
    rel, part, key = match[1], match[2], match[3]
    if match[4]:
        return _season_span(key, int(match[4]), part)
    the_today = ctx.today
    cands = [_season_span(key, candidate_year, part) for candidate_year in range(the_today.year - 2, the_today.year + 2)]
    if rel == "last":
        return [sp for sp in cands if sp.end < the_today][-1]
    for sp in cands:
        if (sp.start > the_today) if rel == "next" else (sp.end >= the_today):
            return sp
    raise AssertionError  # pragma: no cover


@_rule(rf"{PART}(?: of)?(?: (this|next))? {SEASON}{YEAR}")
def _r_season_part(match: re.Match[str], ctx: _Ctx) -> _Span:
    # The parts rebuild a phrase the season rule reads ("next late summer 2027").
    again = re.fullmatch(rf"(?:(this|next|last) )?(?:{PART} )?{SEASON}{YEAR}",
                         " ".join(part for part in (match[2], match[1], match[3], match[4]) if part))
    assert again is not None
    return _r_season(again, ctx)


def _year_span(year: int, part: str | None) -> _Span:
    if part is None:
        return _Span(date(year, 1, 1), date(year, 12, 31), "year", str(year))
    if part in ("start", "end"):
        mo = 1 if part == "start" else 12
        return _Span(date(year, mo, 1), date(year, mo, 31), "month", f"{_part_word(part)}{year}")
    lo = {"early": 1, "mid": 5, "late": 9}[part]
    return _Span(date(year, lo, 1), date(year, lo + 3, _month_len(year, lo + 3)), "quarter", f"{part} {year}")


@_rule(r"(?:(this|next|last) )?year|year after next")
def _r_rel_year(match: re.Match[str], ctx: _Ctx) -> _Span:
    rel = match[1] or ("after" if "after" in match[0] else "this")
    return _year_span(ctx.today.year + {"this": 0, "next": 1, "after": 2, "last": -1}[rel], None)


@_rule(r"(\d{4})")
def _r_year(match: re.Match[str], ctx: _Ctx) -> _Span:
    return _year_span(int(match[1]), None)


@_rule(rf"{PART}(?: of)? (?:(this|next) year|(\d{{4}}))|{PART}(?: of)? year")
def _r_year_part(match: re.Match[str], ctx: _Ctx) -> _Span:
    part = match[1] or match[4]
    if match[3]:
        return _year_span(int(match[3]), part)
    candidate_year = ctx.today.year + (1 if match[2] == "next" else 0)
    sp = _year_span(candidate_year, part)
    if match[2] is None and sp.end < ctx.today:
        sp = _year_span(candidate_year + 1, part)
    return sp
