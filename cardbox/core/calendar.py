"""Calendar arithmetic the re-filing rule and the phrase reader share.

Plain stdlib: no `calendar` import (it drags in `locale`, which costs more
than this module at start-up).
"""

from __future__ import annotations

from collections.abc import Container
from datetime import date, timedelta

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def month_length(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def shift_month(day: date, months: int) -> tuple[int, int]:
    """(year, month) `months` after the month of `day`."""
    years, month_index = divmod(day.month - 1 + months, 12)
    return day.year + years, month_index + 1


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Aug + 6 months = 28/29 Feb)."""
    year, month = shift_month(day, months)
    return date(year, month, min(day.day, month_length(year, month)))


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def is_business_day(day: date, holidays: Container[date] = ()) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_business_days(day: date, count: int, holidays: Container[date] = ()) -> date:
    """`count` working days after `day`: Monday to Friday, less `holidays`."""
    current = day
    added = 0
    while added < count:
        current += timedelta(days=1)
        if is_business_day(current, holidays):
            added += 1
    return current
