"""The re-filing rule: where a card goes after an attempt."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from helpers import some
from hypothesis import given
from hypothesis import strategies as st

from cardbox.core import refile
from cardbox.core.calendar import add_business_days, add_months
from cardbox.core.card import CardError
from cardbox.core.refile import (
    COOL_DOWN_BUSINESS_DAYS,
    cool_down_days,
    cool_down_window,
    nurture_window,
    plan_refile,
)
from cardbox.core.window import DueWindow

FRI = date(2026, 11, 20)
SAT = date(2026, 11, 21)
SUN = date(2026, 11, 22)
MON = date(2026, 11, 23)


# -- business days --------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (MON, 0, MON),
        (MON, 1, date(2026, 11, 24)),
        (MON, 4, date(2026, 11, 27)),  # Friday
        (MON, 5, date(2026, 11, 30)),  # next Monday
        (FRI, 1, MON),
        (SAT, 1, MON),
        (SUN, 1, MON),
        (SUN, 5, date(2026, 11, 27)),
        (FRI, 10, date(2026, 12, 4)),
        (date(2026, 12, 31), 1, date(2027, 1, 1)),  # Friday 1 Jan: holidays are not known
    ],
)
def test_add_business_days(start, count, expected):
    assert add_business_days(start, count) == expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(1, 60))
def test_business_days_land_on_weekdays_and_count_weekdays(start, count):
    end = add_business_days(start, count)
    assert end.weekday() < 5
    between = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(d.weekday() < 5 for d in between) == count


# -- cool-down ------------------------------------------------------------------


def test_cool_down_sequence_and_cap():
    assert COOL_DOWN_BUSINESS_DAYS == (1, 2, 4, 7, 10, 15, 20)
    assert [cool_down_days(n) for n in range(1, 12)] == [1, 2, 4, 7, 10, 15, 20, 20, 20, 20, 20]
    assert cool_down_days(0) == 1
    assert cool_down_days(1000) == 20


def test_cool_down_window_skips_weekends_and_says_why():
    window = cool_down_window(1, FRI)
    assert window.start == window.end == MON
    assert window.grain == "day"
    assert window.phrase == "in 1 business day (1 unanswered)"
    window = cool_down_window(3, FRI)
    assert window.start == date(2026, 11, 26)
    assert window.phrase == "in 4 business days (3 unanswered in a row)"


def test_repeated_no_answers_grow_the_cool_down():
    """Walk a card through misses the way Box.log does: streak_before grows by one each time."""
    today = MON
    gaps = []
    for streak_before in range(9):
        outcome = "no-answer" if streak_before % 2 == 0 else "voicemail"
        plan = plan_refile(outcome, streak_before=streak_before, today=today)
        assert plan.status == "active"
        gaps.append(some(plan.due).start)
        today = some(plan.due).start
    # 1, 2, 4, 7, 10, 15, then 20 business days, counted by hand on a calendar.
    assert gaps == [
        date(2026, 11, 24), date(2026, 11, 26), date(2026, 12, 2), date(2026, 12, 11), date(2026, 12, 25),
        date(2027, 1, 15), date(2027, 2, 12), date(2027, 3, 12), date(2027, 4, 9),
    ]


def test_unanswered_with_a_new_date_uses_that_date():
    window = DueWindow.on_day(date(2027, 1, 5), "after the holidays")
    plan = plan_refile("voicemail", streak_before=4, today=MON, next_window=window)
    assert plan == refile.Refile("active", window)


# -- nurture --------------------------------------------------------------------


def test_nurture_opted_in_is_six_weeks():
    window = nurture_window(True, MON)
    assert window.start == window.end == MON + timedelta(weeks=6)
    assert "6 weeks" in window.phrase


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 23), date(2027, 5, 23)),
        (date(2026, 8, 31), date(2027, 2, 28)),
        (date(2027, 8, 31), date(2028, 2, 29)),  # leap year
        (date(2026, 12, 31), date(2027, 6, 30)),
        (date(2026, 3, 31), date(2026, 9, 30)),
        (date(2026, 7, 15), date(2027, 1, 15)),
    ],
)
def test_nurture_default_is_six_months_clamped_to_month_end(today, expected):
    window = nurture_window(False, today)
    assert window.start == expected
    assert "6 months" in window.phrase


def test_plan_refile_nurture():
    assert some(plan_refile("nurture", streak_before=0, today=MON).due).start == date(2027, 5, 23)
    assert some(plan_refile("nurture", streak_before=0, today=MON, opted_in=True).due).start == date(2027, 1, 4)
    assert plan_refile("nurture", streak_before=0, today=MON).status == "nurture"


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 1, 1)), st.integers(0, 40))
def test_add_months_property(day, months):
    out = add_months(day, months)
    assert (out.year * 12 + out.month) - (day.year * 12 + day.month) == months
    assert out.day == day.day or (out.day < day.day and (out + timedelta(days=1)).day == 1)


# -- outcomes and statuses ------------------------------------------------------


@pytest.mark.parametrize("outcome", ["callback", "appointment"])
def test_callback_and_appointment_need_a_window(outcome):
    with pytest.raises(CardError, match="needs a date"):
        plan_refile(outcome, streak_before=0, today=MON)
    window = DueWindow(datetime(2026, 11, 24, 16), datetime(2026, 11, 24, 16), "time", "Tuesday at 4")
    assert plan_refile(outcome, streak_before=3, today=MON, next_window=window) == refile.Refile("active", window)


def test_unknown_outcome_is_refused():
    with pytest.raises(CardError, match="unknown outcome 'busy'"):
        plan_refile("busy", streak_before=0, today=MON)


@pytest.mark.parametrize(
    ("outcome", "status", "dated"),
    [
        ("no-answer", "active", True),
        ("voicemail", "active", True),
        ("sale", "won", False),
        ("not-interested", "not-now", False),
        ("nurture", "nurture", True),
        ("wrong-number", "not-now", False),
        ("do-not-call", "do-not-call", False),
    ],
)
def test_status_and_window_after_each_outcome(outcome, status, dated):
    plan = plan_refile(outcome, streak_before=0, today=MON)
    assert plan.status == status
    assert (plan.due is not None) == dated


@pytest.mark.parametrize(
    ("outcome", "status"),
    [("sale", "won"), ("not-interested", "not-now"), ("wrong-number", "not-now"), ("do-not-call", "do-not-call")],
)
def test_closing_outcomes_may_keep_a_date(outcome, status):
    window = DueWindow.on_day(date(2027, 3, 1), "March")
    plan = plan_refile(outcome, streak_before=0, today=MON, next_window=window)
    assert plan.due == window and plan.status == status


def test_the_nurture_waits_are_said_from_the_figures_that_file_them():
    from datetime import date

    from cardbox.core import refile

    today = date(2026, 12, 4)
    opted, slow = refile.nurture_window(True, today), refile.nurture_window(False, today)
    assert refile.nurture_wait(True) == f"{(opted.first_day - today).days // 7} weeks"
    assert refile.nurture_wait(False) == "6 months" and slow.first_day == date(2027, 6, 4)
