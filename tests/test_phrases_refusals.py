"""Refusals found after the phrase reader was split into a package."""

from __future__ import annotations

from datetime import datetime

import pytest

from cardbox.core.phrases import PhraseError, parse_when

NOW = datetime(2026, 11, 22, 10, 0)


def test_a_fifth_week_is_refused_with_what_works():
    with pytest.raises(PhraseError, match="'5th week of march': use first to fourth or last week"):
        parse_when("5th week of march", NOW)


def test_year_zero_is_refused_as_a_phrase_problem():
    with pytest.raises(PhraseError, match="0000 is not a year") as caught:
        parse_when("0000", NOW)
    assert caught.value.__cause__ is None


@pytest.mark.parametrize(("phrase", "start"), [
    ("tomorrow afternoon at 5", "2026-11-24T17:00"),
    ("this afternoon at 2", "2026-11-23T14:00"),
    ("tonight at 11", "2026-11-23T23:00"),
    ("8 tonight", "2026-11-23T20:00"),
    ("tomorrow morning at 9", "2026-11-24T09:00"),
    ("a week from tomorrow", "2026-12-01"),
    ("wednesday of next week", "2026-12-02"),
    ("next few days", "2026-11-23"),
    ("as soon as possible", "2026-11-23"),
    ("3ish", "2026-11-23T15:00"),
    ("around 3", "2026-11-23T15:00"),
    ("labor day weekend", "2027-09-04"),
])
def test_what_reps_say_every_day_reads(phrase, start):
    window = parse_when(phrase, datetime(2026, 11, 23, 10, 0))  # a Monday
    shown_start = window.start.isoformat(timespec="minutes") if isinstance(window.start, datetime) else window.start.isoformat()
    assert shown_start == start
    assert window.phrase == phrase


def test_a_holiday_weekend_spans_the_long_weekend():
    from datetime import date

    labor = parse_when("labor day weekend", datetime(2026, 11, 23, 10, 0))
    assert (labor.first_day, labor.last_day) == (date(2027, 9, 4), date(2027, 9, 6))  # Saturday to the Monday holiday
