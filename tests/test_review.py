"""The daily flip-through: which cards are due and in what order."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest

from cardbox.core.card import STATUSES, Card
from cardbox.core.review import OVERDUE, TIMED, UNDATED, WINDOW, bucket, describe_due, due_cards
from cardbox.core.window import DueWindow

TODAY = date(2026, 11, 23)  # a Monday
NOW = datetime(2026, 11, 23, 10, 0)
_ids = iter(range(1, 10_000))


def card(due: DueWindow | None, status: str = "active", name: str = "") -> Card:
    card_id = next(_ids)
    return Card(id=card_id, name=name or f"c{card_id}", created=NOW, updated=NOW, due=due, status=status)


def day(d: date) -> DueWindow:
    return DueWindow.on_day(d, d.isoformat())


def span(a: date, b: date) -> DueWindow:
    return DueWindow(a, b, "week", f"{a}..{b}")


def at(hour: int, minute: int = 0, d: date = TODAY) -> DueWindow:
    moment = datetime.combine(d, datetime.min.time()).replace(hour=hour, minute=minute)
    return DueWindow(moment, moment, "time", f"at {hour}:{minute:02}")


def morning(d: date = TODAY) -> DueWindow:
    start = datetime.combine(d, datetime.min.time()).replace(hour=8)
    return DueWindow(start, start.replace(hour=12), "part-of-day", "morning")


def test_flip_order_is_overdue_then_timed_then_part_of_day_then_windows_then_undated():
    d = timedelta(days=1)
    overdue_old = card(day(TODAY - 9 * d), name="overdue-old")
    overdue_span = card(span(TODAY - 20 * d, TODAY - 3 * d), name="overdue-span")
    overdue_new = card(at(16, 0, TODAY - d), name="overdue-yesterday-16")
    timed_late = card(at(16), name="timed-16")
    timed_early = card(at(9, 30), name="timed-0930")
    timed_morning = card(morning(), name="timed-morning")
    win_long = card(span(TODAY - 5 * d, TODAY + 20 * d), name="win-long")
    win_today = card(day(TODAY), name="win-today")
    win_short = card(span(TODAY - 2 * d, TODAY + 2 * d), name="win-short")
    undated_a = card(None, name="undated-a")
    undated_b = card(None, name="undated-b")
    not_yet = card(day(TODAY + d), name="tomorrow")
    cards = [undated_b, win_long, timed_late, not_yet, overdue_new, win_today, undated_a, overdue_old,
             timed_early, overdue_span, win_short, timed_morning]
    random.Random(3).shuffle(cards)
    order = [c.name for c in due_cards(cards, TODAY)]
    assert order == [
        "overdue-old", "overdue-span", "overdue-yesterday-16",
        # A callback set for a time comes before a part-of-day window (the 9:30 before the 08:00–12:00 morning).
        "timed-0930", "timed-16", "timed-morning",
        "win-today", "win-short", "win-long",
        "undated-a", "undated-b",
    ]


def test_same_day_ties_break_by_id_so_order_is_stable():
    a, b, c = card(day(TODAY)), card(day(TODAY)), card(day(TODAY))
    assert [x.id for x in due_cards([c, a, b], TODAY)] == [a.id, b.id, c.id]


def test_timed_window_that_started_yesterday_is_an_open_window_today():
    start = datetime(2026, 11, 22, 18, 0)
    window = DueWindow(start, datetime(2026, 11, 24, 12, 0), "time", "odd")
    assert bucket(card(window), TODAY) == WINDOW


@pytest.mark.parametrize(
    ("status", "dated_due", "undated_due"),
    [
        ("active", True, True),
        ("nurture", True, False),
        ("won", True, False),
        ("not-now", True, False),
        ("do-not-call", False, False),
    ],
)
def test_which_statuses_come_up(status, dated_due, undated_due):
    assert status in STATUSES
    assert (bucket(card(day(TODAY), status), TODAY) is not None) == dated_due
    assert (bucket(card(day(TODAY - timedelta(days=30)), status), TODAY) is not None) == dated_due
    assert (bucket(card(None, status), TODAY) is not None) == undated_due
    assert bucket(card(day(TODAY + timedelta(days=1)), status), TODAY) is None


def test_buckets():
    assert bucket(card(day(TODAY - timedelta(days=1))), TODAY) == OVERDUE
    assert bucket(card(at(9)), TODAY) == TIMED
    assert bucket(card(morning()), TODAY) == TIMED
    assert bucket(card(day(TODAY)), TODAY) == WINDOW
    assert bucket(card(None), TODAY) == UNDATED
    # A window's last day is still "today", not overdue.
    assert bucket(card(span(TODAY - timedelta(days=4), TODAY)), TODAY) == WINDOW


def test_due_cards_only_returns_due_ones():
    future = card(span(TODAY + timedelta(days=1), TODAY + timedelta(days=30)))
    dnc = card(day(TODAY), "do-not-call")
    won_undated = card(None, "won")
    assert due_cards([future, dnc, won_undated], TODAY) == []


@pytest.mark.parametrize(
    ("window", "now", "text"),
    [
        (None, NOW, "no date yet"),
        (day(TODAY - timedelta(days=1)), NOW, "overdue 1 day"),
        (span(TODAY - timedelta(days=10), TODAY - timedelta(days=3)), NOW, "overdue 3 days"),
        (day(TODAY + timedelta(days=1)), NOW, "opens in 1 day"),
        (span(TODAY + timedelta(days=5), TODAY + timedelta(days=9)), NOW, "opens in 5 days"),
        (at(16), NOW, "today 16:00"),
        (at(9, 30), NOW, "today 09:30 (passed)"),
        (at(10), NOW, "today 10:00"),
        (day(TODAY), NOW, "closes today"),
        (span(TODAY - timedelta(days=2), TODAY + timedelta(days=1)), NOW, "closes in 1 day"),
        (span(TODAY, TODAY + timedelta(days=4)), NOW, "closes in 4 days"),
    ],
)
def test_describe_due(window, now, text):
    assert describe_due(card(window), now) == text


def test_describe_due_open_part_of_day_window_is_not_passed():
    assert "passed" not in describe_due(card(morning()), NOW)


def test_a_call_set_for_a_time_reads_as_that_time():
    now = datetime.combine(TODAY, datetime.min.time()).replace(hour=10)
    assert describe_due(card(at(16, 0, TODAY + timedelta(days=1))), now) == "tomorrow 16:00"
    later = TODAY + timedelta(days=4)
    assert describe_due(card(at(9, 30, later)), now) == f"{later:%a} {later.day} {later:%b} 09:30"
    assert describe_due(card(day(TODAY + timedelta(days=1))), now) == "opens in 1 day"  # a window still opens


def test_dates_are_written_one_way_even_from_older_boxes():
    from cardbox.core.window import day_words

    assert day_words(date(2027, 1, 6)) == "Wed 6 Jan 2027" and day_words(date(2027, 1, 6), year=False) == "Wed 6 Jan"
    old = DueWindow.from_dict({"start": "2026-11-09", "end": "2026-11-09", "phrase": "in 1 business day", "label": "Mon 09 Nov 2026"})
    assert old.label == "Mon 9 Nov 2026"
    assert DueWindow.on_day(date(2026, 12, 9), "x").label == "Wed 9 Dec 2026"
