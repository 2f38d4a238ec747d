"""Phrases built from parts read as the parts say, worked out here directly, for any day they are said on.

A reading that combines parts (an offset from a day, a range of months with
or without a year, minutes to an hour) either equals the one computed from
the parts or is refused; it is never another date.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from cardbox.core.phrases import PhraseError, parse_when

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NOWS = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31)).map(
    lambda moment: moment.replace(hour=10, minute=0, second=0, microsecond=0))


def _anchor_day(anchor: str, today: date) -> date:
    if anchor == "tomorrow":
        return today + timedelta(1)
    ahead = (WEEKDAYS.index(anchor) - today.weekday()) % 7
    return today + timedelta(ahead or 7)  # a bare weekday is the next one after today (docs/phrases.md)


def _plus(day: date, count: int, unit: str) -> date:
    if unit == "day":
        return day + timedelta(count)
    if unit == "week":
        return day + timedelta(weeks=count)
    return day + relativedelta(months=count)  # the 31st a month on is the month's last day


@settings(max_examples=150, deadline=None)
@given(now=NOWS, count=st.integers(1, 12), unit=st.sampled_from(["day", "week", "month"]),
       anchor=st.sampled_from(["tomorrow", *WEEKDAYS]))
def test_an_amount_from_a_day_counts_from_that_day(now, count, unit, anchor):
    phrase = f"{count} {unit}{'s' if count > 1 else ''} from {anchor}"
    expected = _plus(_anchor_day(anchor, now.date()), count, unit)
    window = parse_when(phrase, now)
    assert (window.first_day, window.last_day) == (expected, expected), phrase


def _month_window(first_month: int, last_month: int, start_year: int) -> tuple[date, date]:
    end_year = start_year + (1 if last_month < first_month else 0)
    return date(start_year, first_month, 1), date(end_year, last_month, calendar.monthrange(end_year, last_month)[1])


@settings(max_examples=200, deadline=None)
@given(now=NOWS, first=st.integers(1, 12), last=st.integers(1, 12), with_year=st.booleans(), ahead=st.integers(0, 3))
def test_a_range_of_months_is_the_one_under_way_or_the_next(now, first, last, with_year, ahead):
    if first == last:
        return
    today = now.date()
    if with_year:
        # The year said once, at the end, is the range's end: "from May to October 2028", "Nov to Feb 2028".
        end_year = today.year + ahead
        start_year = end_year - (1 if last < first else 0)
        phrase = f"between {MONTHS[first - 1]} and {MONTHS[last - 1]} {end_year}"
        start, end = _month_window(first, last, start_year)
    else:
        phrase = f"between {MONTHS[first - 1]} and {MONTHS[last - 1]}"
        # The window under way (it started last year or this one and has not ended), else the next to start.
        windows = [_month_window(first, last, year) for year in (today.year - 1, today.year, today.year + 1)]
        start, end = next((s, e) for s, e in windows if e >= today)
    if end < today:
        with pytest.raises(PhraseError, match="past"):
            parse_when(phrase, now)
        return
    window = parse_when(phrase, now)
    assert (window.first_day, window.last_day) == (max(start, today), end), phrase


@settings(max_examples=150, deadline=None)
@given(now=NOWS, minutes=st.integers(1, 59), hour=st.integers(1, 11), day=st.sampled_from(["tomorrow", *WEEKDAYS]))
def test_minutes_to_an_hour_is_that_many_minutes_before_it(now, minutes, hour, day):
    phrase = f"{minutes} minutes to {hour}pm {day}"
    on = _anchor_day(day, now.date())
    expected = datetime(on.year, on.month, on.day, hour + 12) - timedelta(minutes=minutes)
    window = parse_when(phrase, now)
    assert window.start == window.end == expected, phrase


@settings(max_examples=100, deadline=None)
@given(now=NOWS, count=st.integers(1, 20), unit=st.sampled_from(["day", "week"]))
def test_for_an_amount_from_today_lasts_that_long(now, count, unit):
    phrase = f"for {count} {unit}{'s' if count > 1 else ''}, from today"
    days = count * (7 if unit == "week" else 1)
    window = parse_when(phrase, now)
    assert (window.first_day, window.last_day) == (now.date(), now.date() + timedelta(days - 1)), phrase
