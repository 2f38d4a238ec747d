"""Table-driven tests for the callback phrase parser.

Unless a case gives its own, now = Sunday 2026-11-22 10:00. Each case is
(phrase, start, end, grain[, now]); ISO strings with a "T" are timed windows.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cardbox.core.phrases import PhraseError, parse_when
from cardbox.core.window import DueWindow

NOW = datetime(2026, 11, 22, 10, 0)


def _when(text: str) -> date | datetime:
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)


# (phrase, start, end, grain) or (phrase, start, end, grain, now-iso)
CASES: list[tuple] = [
    # --- relative days
    ("today", "2026-11-22", "2026-11-22", "day"),
    ("Today!", "2026-11-22", "2026-11-22", "day"),
    ("asap", "2026-11-22", "2026-11-22", "day"),
    ("tomorrow", "2026-11-23", "2026-11-23", "day"),
    ("TOMORROW", "2026-11-23", "2026-11-23", "day"),
    ("tmrw", "2026-11-23", "2026-11-23", "day"),
    ("call me back tomorrow please", "2026-11-23", "2026-11-23", "day"),
    ("the day after tomorrow", "2026-11-24", "2026-11-24", "day"),
    ("day after tomorrow", "2026-11-24", "2026-11-24", "day"),
    # --- times with a day
    ("tomorrow at 4", "2026-11-23T16:00", "2026-11-23T16:00", "time"),
    ("tomorrow 4pm", "2026-11-23T16:00", "2026-11-23T16:00", "time"),
    ("tomorrow at 16:00", "2026-11-23T16:00", "2026-11-23T16:00", "time"),
    ("Tomorrow @ 4 p.m.", "2026-11-23T16:00", "2026-11-23T16:00", "time"),
    ("tomorrow 4 PM", "2026-11-23T16:00", "2026-11-23T16:00", "time"),
    ("4pm tomorrow", "2026-11-23T16:00", "2026-11-23T16:00", "time"),
    ("tomorrow 4", "2026-11-23T16:00", "2026-11-23T16:00", "time"),
    ("around 4ish tomorrow", "2026-11-23T16:00", "2026-11-23T16:00", "time"),
    ("tomorrow at four", "2026-11-23T16:00", "2026-11-23T16:00", "time"),
    ("tomorrow at 4 in the afternoon", "2026-11-23T16:00", "2026-11-23T16:00", "time"),
    ("tomorrow at 9 in the morning", "2026-11-23T09:00", "2026-11-23T09:00", "time"),
    ("tomorrow at 8 in the evening", "2026-11-23T20:00", "2026-11-23T20:00", "time"),
    ("tomorrow at 10am", "2026-11-23T10:00", "2026-11-23T10:00", "time"),
    ("tomorrow 09:30", "2026-11-23T09:30", "2026-11-23T09:30", "time"),
    ("tomorrow at 12", "2026-11-23T12:00", "2026-11-23T12:00", "time"),
    ("tomorrow at 7", "2026-11-23T19:00", "2026-11-23T19:00", "time"),
    ("tomorrow at 8", "2026-11-23T08:00", "2026-11-23T08:00", "time"),
    ("tomorrow 12am", "2026-11-23T00:00", "2026-11-23T00:00", "time"),
    ("tomorrow noon", "2026-11-23T12:00", "2026-11-23T12:00", "time"),
    ("noon tomorrow", "2026-11-23T12:00", "2026-11-23T12:00", "time"),
    ("tomorrow at 4 o'clock", "2026-11-23T16:00", "2026-11-23T16:00", "time"),
    ("tomorrow half past 3", "2026-11-23T15:30", "2026-11-23T15:30", "time"),
    ("tomorrow quarter past 4", "2026-11-23T16:15", "2026-11-23T16:15", "time"),
    ("tomorrow quarter to 5", "2026-11-23T16:45", "2026-11-23T16:45", "time"),
    ("December 3rd at 2pm", "2026-12-03T14:00", "2026-12-03T14:00", "time"),
    ("dec 3 2pm", "2026-12-03T14:00", "2026-12-03T14:00", "time"),
    ("jan 25 at 3pm", "2027-01-25T15:00", "2027-01-25T15:00", "time"),
    ("next Tuesday at 4", "2026-11-24T16:00", "2026-11-24T16:00", "time"),
    ("next tues 10am", "2026-11-24T10:00", "2026-11-24T10:00", "time"),
    ("monday 10", "2026-11-23T10:00", "2026-11-23T10:00", "time"),
    ("Friday at 2:30", "2026-11-27T14:30", "2026-11-27T14:30", "time"),
    ("the 15th at 11", "2026-12-15T11:00", "2026-12-15T11:00", "time"),
    ("in 6 weeks at 3pm", "2027-01-03T15:00", "2027-01-03T15:00", "time"),
    ("tomorrow eod", "2026-11-23T17:00", "2026-11-23T17:00", "time"),
    # --- bare times (roll to tomorrow when passed)
    ("at 3", "2026-11-22T15:00", "2026-11-22T15:00", "time"),
    ("at 9", "2026-11-23T09:00", "2026-11-23T09:00", "time"),
    ("at 10", "2026-11-22T10:00", "2026-11-22T10:00", "time"),
    ("at 11", "2026-11-22T11:00", "2026-11-22T11:00", "time"),
    ("at 1", "2026-11-22T13:00", "2026-11-22T13:00", "time"),
    ("at 12", "2026-11-22T12:00", "2026-11-22T12:00", "time"),
    ("at 16", "2026-11-22T16:00", "2026-11-22T16:00", "time"),
    ("3:30", "2026-11-22T15:30", "2026-11-22T15:30", "time"),
    ("4:15pm", "2026-11-22T16:15", "2026-11-22T16:15", "time"),
    ("4:15 p.m.", "2026-11-22T16:15", "2026-11-22T16:15", "time"),
    ("16:00", "2026-11-22T16:00", "2026-11-22T16:00", "time"),
    ("8am", "2026-11-23T08:00", "2026-11-23T08:00", "time"),
    ("half past 3", "2026-11-22T15:30", "2026-11-22T15:30", "time"),
    ("noon", "2026-11-22T12:00", "2026-11-22T12:00", "time"),
    ("midday", "2026-11-22T12:00", "2026-11-22T12:00", "time"),
    ("lunchtime", "2026-11-22T12:00", "2026-11-22T12:00", "time"),
    ("EOD", "2026-11-22T17:00", "2026-11-22T17:00", "time"),
    ("end of day", "2026-11-22T17:00", "2026-11-22T17:00", "time"),
    ("by close of business", "2026-11-22T10:00", "2026-11-22T17:00", "part-of-day"),
    ("noon", "2026-11-23T12:00", "2026-11-23T12:00", "time", "2026-11-22T13:00"),
    ("in 2 hours", "2026-11-22T12:00", "2026-11-22T12:00", "time"),
    ("in an hour", "2026-11-22T11:00", "2026-11-22T11:00", "time"),
    ("in half an hour", "2026-11-22T10:30", "2026-11-22T10:30", "time"),
    ("in 45 mins", "2026-11-22T10:45", "2026-11-22T10:45", "time"),
    # --- parts of the day
    ("tomorrow morning", "2026-11-23T08:00", "2026-11-23T12:00", "part-of-day"),
    ("tomorrow afternoon", "2026-11-23T12:00", "2026-11-23T17:00", "part-of-day"),
    ("tomorrow evening", "2026-11-23T17:00", "2026-11-23T20:00", "part-of-day"),
    ("tomorrow night", "2026-11-23T17:00", "2026-11-23T20:00", "part-of-day"),
    ("first thing tomorrow", "2026-11-23T08:00", "2026-11-23T12:00", "part-of-day"),
    ("tomorrow after lunch", "2026-11-23T12:00", "2026-11-23T17:00", "part-of-day"),
    ("morning", "2026-11-22T10:00", "2026-11-22T12:00", "part-of-day"),
    ("afternoon", "2026-11-22T12:00", "2026-11-22T17:00", "part-of-day"),
    ("in the afternoon", "2026-11-22T12:00", "2026-11-22T17:00", "part-of-day"),
    ("evening", "2026-11-22T17:00", "2026-11-22T20:00", "part-of-day"),
    ("this afternoon", "2026-11-22T12:00", "2026-11-22T17:00", "part-of-day"),
    ("this morning", "2026-11-22T10:00", "2026-11-22T12:00", "part-of-day"),
    ("tonight", "2026-11-22T17:00", "2026-11-22T20:00", "part-of-day"),
    ("in the morning", "2026-11-23T08:00", "2026-11-23T12:00", "part-of-day", "2026-11-22T15:00"),
    ("Thursday morning", "2026-11-26T08:00", "2026-11-26T12:00", "part-of-day"),
    ("thurs afternoon", "2026-11-26T12:00", "2026-11-26T17:00", "part-of-day"),
    ("monday evening", "2026-11-23T17:00", "2026-11-23T20:00", "part-of-day"),
    ("Dec 3 morning", "2026-12-03T08:00", "2026-12-03T12:00", "part-of-day"),
    # --- weekdays
    ("monday", "2026-11-23", "2026-11-23", "day"),
    ("Mon", "2026-11-23", "2026-11-23", "day"),
    ("on Monday", "2026-11-23", "2026-11-23", "day"),
    ("next monday", "2026-11-23", "2026-11-23", "day"),
    ("next tuesday", "2026-11-24", "2026-11-24", "day"),
    ("tues", "2026-11-24", "2026-11-24", "day"),
    ("wed", "2026-11-25", "2026-11-25", "day"),
    ("thur", "2026-11-26", "2026-11-26", "day"),
    ("this Friday", "2026-11-27", "2026-11-27", "day"),
    ("fri", "2026-11-27", "2026-11-27", "day"),
    ("saturday", "2026-11-28", "2026-11-28", "day"),
    ("sunday", "2026-11-29", "2026-11-29", "day"),
    ("this sunday", "2026-11-22", "2026-11-22", "day"),
    ("this coming friday", "2026-11-27", "2026-11-27", "day"),
    ("next tuesday", "2026-12-01", "2026-12-01", "day", "2026-11-23T10:00"),
    ("tuesday", "2026-11-24", "2026-11-24", "day", "2026-11-23T10:00"),
    ("monday", "2026-11-30", "2026-11-30", "day", "2026-11-23T10:00"),
    ("this monday", "2026-11-23", "2026-11-23", "day", "2026-11-23T10:00"),
    ("monday after next", "2026-11-30", "2026-11-30", "day"),
    ("Monday the 7th", "2026-12-07", "2026-12-07", "day"),
    # --- weeks
    ("next week", "2026-11-23", "2026-11-29", "week"),
    ("Next wk", "2026-11-23", "2026-11-29", "week"),
    ("sometime next week", "2026-11-23", "2026-11-29", "week"),
    ("this week", "2026-11-22", "2026-11-22", "week"),
    ("this week", "2026-11-25", "2026-11-29", "week", "2026-11-25T09:00"),
    ("rest of the week", "2026-11-25", "2026-11-29", "week", "2026-11-25T09:00"),
    ("the week after next", "2026-11-30", "2026-12-06", "week"),
    ("end of the week", "2026-11-27", "2026-11-29", "week", "2026-11-24T09:00"),
    ("EOW", "2026-11-27", "2026-11-29", "week", "2026-11-24T09:00"),
    ("EOW", "2026-11-22", "2026-11-22", "week"),
    ("end of next week", "2026-11-27", "2026-11-29", "week"),
    ("start of next week", "2026-11-23", "2026-11-24", "week"),
    ("midweek", "2026-11-25", "2026-11-26", "week"),
    ("this weekend", "2026-11-28", "2026-11-29", "week", "2026-11-24T09:00"),
    ("weekend", "2026-11-22", "2026-11-22", "week"),
    ("next weekend", "2026-11-28", "2026-11-29", "week"),
    ("the week of the 14th", "2026-12-14", "2026-12-20", "week"),
    ("first week of January", "2027-01-01", "2027-01-07", "week"),
    ("last week of December", "2026-12-25", "2026-12-31", "week"),
    # --- months
    ("January", "2027-01-01", "2027-01-31", "month"),
    ("in January", "2027-01-01", "2027-01-31", "month"),
    ("call me back in January", "2027-01-01", "2027-01-31", "month"),
    ("Call me back in Jan.", "2027-01-01", "2027-01-31", "month"),
    ("try me in january?", "2027-01-01", "2027-01-31", "month"),
    ("sometime in January maybe", "2027-01-01", "2027-01-31", "month"),
    ("Januaryish", "2027-01-01", "2027-01-31", "month"),
    ("january-ish", "2027-01-01", "2027-01-31", "month"),
    ("feb", "2027-02-01", "2027-02-28", "month"),
    ("sept", "2027-09-01", "2027-09-30", "month"),
    ("December", "2026-12-01", "2026-12-31", "month"),
    ("November", "2026-11-22", "2026-11-30", "month"),
    ("next January", "2027-01-01", "2027-01-31", "month"),
    ("next November", "2027-11-01", "2027-11-30", "month"),
    ("january 2027", "2027-01-01", "2027-01-31", "month"),
    ("next month", "2026-12-01", "2026-12-31", "month"),
    ("this month", "2026-11-22", "2026-11-30", "month"),
    ("the month after next", "2027-01-01", "2027-01-31", "month"),
    ("in a month", "2026-12-22", "2026-12-22", "day"),
    # --- thirds of a month
    ("early May", "2027-05-01", "2027-05-10", "week"),
    ("Early-May", "2027-05-01", "2027-05-10", "week"),
    ("beginning of May", "2027-05-01", "2027-05-10", "week"),
    ("mid March", "2027-03-11", "2027-03-20", "week"),
    ("mid-March", "2027-03-11", "2027-03-20", "week"),
    ("middle of March", "2027-03-11", "2027-03-20", "week"),
    ("late January", "2027-01-21", "2027-01-31", "week"),
    ("late jan", "2027-01-21", "2027-01-31", "week"),
    ("Late Jan-ish, probably", "2027-01-21", "2027-01-31", "week"),
    ("end of January", "2027-01-21", "2027-01-31", "week"),
    ("beginning of March", "2027-03-01", "2027-03-10", "week"),
    ("beginning of next month", "2026-12-01", "2026-12-10", "week"),
    ("start of next month", "2026-12-01", "2026-12-10", "week"),
    ("end of next month", "2026-12-21", "2026-12-31", "week"),
    ("end of the month", "2026-11-22", "2026-11-30", "week"),
    ("EOM", "2026-11-22", "2026-11-30", "week"),
    ("Call me back around the end of the month, maybe?", "2026-11-22", "2026-11-30", "week"),
    ("at the end of the month", "2026-11-22", "2026-11-30", "week"),
    ("beginning of the month", "2026-12-01", "2026-12-10", "week"),
    ("mid month", "2026-12-11", "2026-12-20", "week"),
    ("late November", "2026-11-22", "2026-11-30", "week"),
    ("early November", "2027-11-01", "2027-11-10", "week"),
    ("late Feb 2027", "2027-02-21", "2027-02-28", "week"),
    # --- durations
    ("in 30 days", "2026-12-22", "2026-12-22", "day"),
    ("30 days", "2026-12-22", "2026-12-22", "day"),
    ("in thirty days", "2026-12-22", "2026-12-22", "day"),
    ("30 days from now", "2026-12-22", "2026-12-22", "day"),
    ("in six weeks", "2027-01-03", "2027-01-03", "day"),
    ("6 wks", "2027-01-03", "2027-01-03", "day"),
    ("in 6 weeks", "2027-01-03", "2027-01-03", "day"),
    ("six weeks from today", "2027-01-03", "2027-01-03", "day"),
    ("in 6 weeks time", "2027-01-03", "2027-01-03", "day"),
    ("in 6 months", "2027-05-22", "2027-05-22", "day"),
    ("6 mos", "2027-05-22", "2027-05-22", "day"),
    ("in 6 mths", "2027-05-22", "2027-05-22", "day"),
    ("in a couple of weeks", "2026-12-06", "2026-12-06", "day"),
    ("a couple weeks", "2026-12-06", "2026-12-06", "day"),
    ("in a few days", "2026-11-25", "2026-11-25", "day"),
    ("in a fortnight", "2026-12-06", "2026-12-06", "day"),
    ("in two weeks", "2026-12-06", "2026-12-06", "day"),
    ("in a week", "2026-11-29", "2026-11-29", "day"),
    ("a week from now", "2026-11-29", "2026-11-29", "day"),
    ("in several weeks", "2026-12-13", "2026-12-13", "day"),
    ("in twenty one days", "2026-12-13", "2026-12-13", "day"),
    ("in a year", "2027-11-22", "2027-11-22", "day"),
    ("in 2 yrs", "2028-11-22", "2028-11-22", "day"),
    ("in 3 business days", "2026-11-25", "2026-11-25", "day"),
    ("in 1 month", "2027-02-28", "2027-02-28", "day", "2027-01-31T10:00"),
    ("within 2 weeks", "2026-11-22", "2026-12-06", "week"),
    # --- seasons
    ("spring", "2027-03-20", "2027-06-20", "season"),
    ("spring time", "2027-03-20", "2027-06-20", "season"),
    ("springtime", "2027-03-20", "2027-06-20", "season"),
    ("in the spring", "2027-03-20", "2027-06-20", "season"),
    ("next spring", "2027-03-20", "2027-06-20", "season"),
    ("summer", "2027-06-21", "2027-09-21", "season"),
    ("this summer", "2027-06-21", "2027-09-21", "season"),
    ("next summer", "2028-06-21", "2028-09-21", "season", "2027-07-01T10:00"),
    ("winter", "2026-12-21", "2027-03-19", "season"),
    ("autumn", "2026-11-22", "2026-12-20", "season"),
    ("fall", "2026-11-22", "2026-12-20", "season"),
    ("next fall", "2027-09-22", "2027-12-20", "season"),
    ("winter", "2027-02-10", "2027-03-19", "season", "2027-02-10T10:00"),
    ("late spring", "2027-05-21", "2027-06-20", "month"),
    ("summer 2028", "2028-06-21", "2028-09-21", "season"),
    # --- quarters and years
    ("Q2", "2027-04-01", "2027-06-30", "quarter"),
    ("q2", "2027-04-01", "2027-06-30", "quarter"),
    ("second quarter", "2027-04-01", "2027-06-30", "quarter"),
    ("Q1 2027", "2027-01-01", "2027-03-31", "quarter"),
    ("Q4", "2026-11-22", "2026-12-31", "quarter"),
    ("next quarter", "2027-01-01", "2027-03-31", "quarter"),
    ("this quarter", "2026-11-22", "2026-12-31", "quarter"),
    ("end of the quarter", "2026-12-01", "2026-12-31", "month"),
    ("EOQ", "2026-12-01", "2026-12-31", "month"),
    ("next year", "2027-01-01", "2027-12-31", "year"),
    ("2027", "2027-01-01", "2027-12-31", "year"),
    ("in 2027", "2027-01-01", "2027-12-31", "year"),
    ("this year", "2026-11-22", "2026-12-31", "year"),
    ("early next year", "2027-01-01", "2027-04-30", "quarter"),
    ("late 2027", "2027-09-01", "2027-12-31", "quarter"),
    ("end of the year", "2026-12-01", "2026-12-31", "month"),
    ("EOY", "2026-12-01", "2026-12-31", "month"),
    ("beginning of next year", "2027-01-01", "2027-01-31", "month"),
    # --- holidays
    ("after the holidays", "2027-01-02", "2027-01-15", "week"),
    ("try me after the holidays", "2027-01-02", "2027-01-15", "week"),
    ("after the holidays", "2027-01-05", "2027-01-15", "week", "2027-01-05T10:00"),
    ("after new year", "2027-01-02", "2027-01-15", "week"),
    ("after Christmas", "2026-12-26", "2027-01-08", "week"),
    ("after xmas", "2026-12-28", "2027-01-08", "week", "2026-12-28T10:00"),
    ("before Christmas", "2026-11-22", "2026-12-24", "month"),
    ("the holidays", "2026-12-24", "2027-01-01", "week"),
    ("Christmas", "2026-12-25", "2026-12-25", "day"),
    ("xmas", "2026-12-25", "2026-12-25", "day"),
    ("Christmas Eve", "2026-12-24", "2026-12-24", "day"),
    ("Thanksgiving", "2026-11-26", "2026-11-26", "day"),
    ("new year", "2027-01-01", "2027-01-01", "day"),
    ("New Year's Day", "2027-01-01", "2027-01-01", "day"),
    ("new year's eve", "2026-12-31", "2026-12-31", "day"),
    ("4th of July", "2027-07-04", "2027-07-04", "day"),
    ("July 4th", "2027-07-04", "2027-07-04", "day"),
    ("independence day", "2027-07-04", "2027-07-04", "day"),
    ("Labor Day", "2027-09-06", "2027-09-06", "day"),
    ("Memorial Day", "2027-05-31", "2027-05-31", "day"),
    ("black friday", "2026-11-27", "2026-11-27", "day"),
    ("easter", "2027-03-28", "2027-03-28", "day"),
    ("halloween", "2027-10-31", "2027-10-31", "day"),
    ("christmas 2027", "2027-12-25", "2027-12-25", "day"),
    # --- days of the month and dates
    ("the 15th", "2026-12-15", "2026-12-15", "day"),
    ("on the 1st", "2026-12-01", "2026-12-01", "day"),
    ("the first of the month", "2026-12-01", "2026-12-01", "day"),
    ("the 22nd", "2026-11-22", "2026-11-22", "day"),
    ("30th", "2026-11-30", "2026-11-30", "day"),
    ("the 31st", "2026-12-31", "2026-12-31", "day"),
    ("the fifteenth", "2026-12-15", "2026-12-15", "day"),
    ("the 15th of next month", "2026-12-15", "2026-12-15", "day"),
    ("last day of the month", "2026-11-30", "2026-11-30", "day"),
    ("Jan 25", "2027-01-25", "2027-01-25", "day"),
    ("January 25th", "2027-01-25", "2027-01-25", "day"),
    ("25 Jan", "2027-01-25", "2027-01-25", "day"),
    ("25th of January", "2027-01-25", "2027-01-25", "day"),
    ("1/25", "2027-01-25", "2027-01-25", "day"),
    ("1/25/2027", "2027-01-25", "2027-01-25", "day"),
    ("1/25/27", "2027-01-25", "2027-01-25", "day"),
    ("2027-01-25", "2027-01-25", "2027-01-25", "day"),
    ("Jan 25, 2027", "2027-01-25", "2027-01-25", "day"),
    ("12/1", "2026-12-01", "2026-12-01", "day"),
    ("11/22", "2026-11-22", "2026-11-22", "day"),
    ("Feb 29", "2028-02-29", "2028-02-29", "day"),
    ("first Tuesday of March", "2027-03-02", "2027-03-02", "day"),
    ("1st tues in march", "2027-03-02", "2027-03-02", "day"),
    ("last Friday of the month", "2026-11-27", "2026-11-27", "day"),
    ("last friday of next month", "2026-12-25", "2026-12-25", "day"),
    ("third thursday of january", "2027-01-21", "2027-01-21", "day"),
    ("last Friday of the month", "2026-12-25", "2026-12-25", "day", "2026-11-28T10:00"),
    # --- ranges
    ("Jan 10-15", "2027-01-10", "2027-01-15", "week"),
    ("jan 10 – 15", "2027-01-10", "2027-01-15", "week"),
    ("January 10th to 15th", "2027-01-10", "2027-01-15", "week"),
    ("10-15 Jan", "2027-01-10", "2027-01-15", "week"),
    ("between Jan 10 and 15", "2027-01-10", "2027-01-15", "week"),
    ("Jan 10-15", "2027-01-12", "2027-01-15", "week", "2027-01-12T10:00"),
    ("between the 10th and the 15th", "2026-12-10", "2026-12-15", "week"),
    ("from the 10th to the 15th", "2026-12-10", "2026-12-15", "week"),
    ("the 25th-30th", "2026-11-25", "2026-11-30", "week"),
    ("3-4pm tomorrow", "2026-11-23T15:00", "2026-11-23T16:00", "part-of-day"),
    ("tomorrow 3-4pm", "2026-11-23T15:00", "2026-11-23T16:00", "part-of-day"),
    ("tomorrow between 3 and 4", "2026-11-23T15:00", "2026-11-23T16:00", "part-of-day"),
    ("between 3 and 4 tomorrow", "2026-11-23T15:00", "2026-11-23T16:00", "part-of-day"),
    ("9-11am monday", "2026-11-23T09:00", "2026-11-23T11:00", "part-of-day"),
    ("11am-2pm friday", "2026-11-27T11:00", "2026-11-27T14:00", "part-of-day"),
    ("2-4", "2026-11-22T14:00", "2026-11-22T16:00", "part-of-day"),
    ("monday to wednesday", "2026-11-23", "2026-11-25", "week"),
    ("mon-wed", "2026-11-23", "2026-11-25", "week"),
    ("friday to monday", "2026-11-27", "2026-11-30", "week"),
    ("between Christmas and New Year", "2026-12-25", "2027-01-01", "week"),
    ("from December to February", "2026-12-01", "2027-02-28", "quarter"),
    ("until Friday", "2026-11-22", "2026-11-27", "week"),
    ("by Friday", "2026-11-22", "2026-11-27", "week"),
    ("no later than the 30th", "2026-11-22", "2026-11-30", "week"),
    ("after 3", "2026-11-22T15:00", "2026-11-22T20:00", "part-of-day"),
    ("after 3", "2026-11-22T16:00", "2026-11-22T20:00", "part-of-day", "2026-11-22T16:00"),
    ("before 3", "2026-11-22T10:00", "2026-11-22T15:00", "part-of-day"),
    ("after January", "2027-02-01", "2027-02-14", "week"),
]

REJECT = [
    "",
    "   ",
    "later",
    "sometime",
    "some time",
    "not now",
    "never",
    "don't call",
    "maybe",
    "soon",
    "now",
    "please call back",
    "asdfgh",
    "blorp zap",
    "the 15th of Smarch",
    "2025-01-01",
    "Jan 5 2026",
    "January 2026",
    "yesterday",
    "last week",
    "last Monday",
    "2 weeks ago",
    "Feb 30",
    "Feb 29 2027",
    "April 31",
    "13/13",
    "the 32nd",
    "25:00",
    "13pm",
    "tomorrow at 25",
    "in 99999999 days",
    "in 999999999999999999999999 weeks",
    "2040",
    "in 10 years",
    "3",
    "42",
    "monday or tuesday",
    "next week at 4",
    "today at 9",
    "this morning",
    "Jan 15-10",
    "between",
    "after",
    "x" * 201,
    "\x00\x01\x02",
    "🎉",
    "١٢/١",
    "tomorrow at 4 at 5",
    "within",
]
REJECT_AT = {"this morning": "2026-11-22T13:00"}


@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{c[0][:30]}" for i, c in enumerate(CASES)])
def test_phrase_table(case):
    phrase, start, end, grain = case[:4]
    now = datetime.fromisoformat(case[4]) if len(case) > 4 else NOW
    w = parse_when(phrase, now)
    assert (w.start, w.end, w.grain) == (_when(start), _when(end), grain)
    assert w.phrase == phrase.strip()
    assert w.label
    assert type(w.start) is type(w.end)
    assert type(w.start) in (date, datetime)


def test_table_size():
    assert len(CASES) >= 200
    assert len(REJECT) >= 20


@pytest.mark.parametrize("phrase", REJECT)
def test_rejections(phrase):
    now = datetime.fromisoformat(REJECT_AT.get(phrase, "2026-11-22T10:00"))
    with pytest.raises(PhraseError) as info:
        parse_when(phrase, now)
    err = info.value
    msg = str(err)
    assert "\n" not in msg and "\r" not in msg
    assert err.reason and msg.startswith(err.reason)
    assert 2 <= len(err.examples) <= 3
    for example in err.examples:
        assert f"'{example}'" in msg
    assert isinstance(err, ValueError)


def test_examples_in_message_work():
    """The phrases an error suggests must themselves parse."""
    for phrase in REJECT:
        now = datetime.fromisoformat(REJECT_AT.get(phrase, "2026-11-22T10:00"))
        try:
            parse_when(phrase, now)
        except PhraseError as err:
            for example in err.examples:
                parse_when(example, NOW)


def test_no_date_message():
    with pytest.raises(PhraseError) as info:
        parse_when("sometime", NOW)
    assert "'sometime' has no date in it" in str(info.value)
    assert "try" in str(info.value)


def test_past_message():
    with pytest.raises(PhraseError) as info:
        parse_when("Jan 5 2026", NOW)
    assert "in the past" in info.value.reason


def test_far_future_message():
    with pytest.raises(PhraseError) as info:
        parse_when("2040", NOW)
    assert "5 years" in info.value.reason


def test_too_long_is_refused_as_too_long():
    # How fast: bench/bench_phrases.py (no timing asserts in tests).
    with pytest.raises(PhraseError) as info:
        parse_when("next week " * 2000, NOW)
    assert "too long" in info.value.reason


def test_exactly_200_chars_is_read():
    phrase = "call me back " + "please " * 25 + "tomorrow" + " ok"
    assert 195 <= len(phrase) <= 200
    assert parse_when(phrase, NOW).start == date(2026, 11, 23)


@pytest.mark.parametrize(
    "phrase, month_first, day_first",
    [
        ("3/4", date(2027, 3, 4), date(2027, 4, 3)),
        ("12/1", date(2026, 12, 1), date(2027, 1, 12)),
        ("1/12/2027", date(2027, 1, 12), date(2027, 12, 1)),
        ("25/1", date(2027, 1, 25), date(2027, 1, 25)),  # only one reading is a date
        ("2027-03-04", date(2027, 3, 4), date(2027, 3, 4)),  # ISO is always Y-M-D
    ],
)
def test_day_first(phrase, month_first, day_first):
    assert parse_when(phrase, NOW).start == month_first
    assert parse_when(phrase, NOW, day_first=True).start == day_first


@pytest.mark.parametrize(
    "phrase, label",
    [
        ("late January", "late Jan 2027 (Thu 21 – Sun 31 Jan)"),
        ("tomorrow at 4", "Mon 23 Nov 2026 16:00"),
        ("in 6 weeks", "in 6 weeks (Sun 3 Jan 2027)"),
        ("Thursday morning", "Thu 26 Nov morning (08:00–12:00)"),
        ("this morning", "Sun 22 Nov morning (10:00–12:00)"),
        ("next week", "next week (Mon 23 – Sun 29 Nov 2026)"),
        ("spring", "spring 2027 (Sat 20 Mar – Sun 20 Jun)"),
        ("winter", "winter 2026/27 (Mon 21 Dec – Fri 19 Mar)"),
        ("Q2", "Q2 2027 (Thu 1 Apr – Wed 30 Jun)"),
        ("Christmas", "Christmas (Fri 25 Dec 2026)"),
        ("after the holidays", "after the holidays (Sat 2 – Fri 15 Jan 2027)"),
        ("the 15th", "Tue 15 Dec 2026"),
        ("in a couple of weeks", "in 2 weeks (Sun 6 Dec 2026)"),
        ("3-4pm tomorrow", "Mon 23 Nov 2026 15:00–16:00"),
        ("November", "Nov 2026 (Sun 22 – Mon 30 Nov)"),
    ],
)
def test_labels(phrase, label):
    assert parse_when(phrase, NOW).label == label


def test_labels_are_short():
    for case in CASES:
        now = datetime.fromisoformat(case[4]) if len(case) > 4 else NOW
        label = parse_when(case[0], now).label
        assert len(label) <= 52, label


def test_pendulum_now_is_accepted():
    pendulum = pytest.importorskip("pendulum")
    now = pendulum.datetime(2026, 11, 22, 10, 0, tz="Europe/London")
    w = parse_when("tomorrow at 4", now)
    assert w.start == datetime(2026, 11, 23, 16, 0)
    assert type(w.start) is datetime and w.start.tzinfo is None


def test_result_is_a_due_window_and_round_trips():
    w = parse_when("next Tuesday at 4", NOW)
    assert isinstance(w, DueWindow)
    assert DueWindow.from_dict(w.to_dict()) == w


def test_phrase_is_kept_stripped():
    assert parse_when("  late January  ", NOW).phrase == "late January"


def test_seconds_in_now_are_ignored():
    w = parse_when("in 2 hours", datetime(2026, 11, 22, 10, 0, 59, 999))
    assert w.start == datetime(2026, 11, 22, 12, 0)
