"""The daily flip-through: which cards are due, and in what order.

Flip order, as the rep works it:

1. **overdue** — the window closed before today: oldest first;
2. **at a time today** — "today at 4": the prospect expects the call then;
   in time order;
3. **part of today** — "Tuesday morning" (08:00–12:00): by when it opens;
4. **open windows** — today falls inside the window: the one that closes
   soonest first;
5. **undated** — live cards with no window yet, so none is forgotten.

A window never comes before a callback set for a time: the prospect is
waiting for that one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from cardbox.core.card import Card
from cardbox.core.window import day_words

# Statuses whose dated cards come up in the flip-through. A won or a
# not-now card comes back only if it was given a date on purpose.
REVIEWED = frozenset({"active", "nurture", "won", "not-now"})
ALWAYS_DUE_UNDATED = frozenset({"active"})

OVERDUE, TIMED, WINDOW, UNDATED = 0, 1, 2, 3


def bucket(card: Card, day: date) -> int | None:
    """Which flip group the card falls in on `day`, or None if not due."""
    if card.status not in REVIEWED:
        return None
    window = card.due
    if window is None:
        return UNDATED if card.status in ALWAYS_DUE_UNDATED else None
    if window.last_day < day:
        return OVERDUE
    if window.first_day > day:
        return None
    if window.timed and window.first_day == day:
        return TIMED
    return WINDOW


def flip_key(card: Card, day: date) -> tuple:
    group = bucket(card, day)
    window = card.due
    if window is None:
        return (UNDATED, datetime.min, card.id)
    if group == OVERDUE:
        return (group, window.end if isinstance(window.end, datetime) else datetime.combine(window.end, datetime.min.time()), card.id)
    if group == TIMED:
        exact = window.start == window.end
        return (group, 0 if exact else 1, window.start_at, card.id)
    if group == WINDOW:
        end = window.end if isinstance(window.end, datetime) else datetime.combine(window.end, datetime.max.time())
        return (group, end, window.start_at, card.id)
    return (UNDATED, datetime.min, card.id)


def due_cards(cards: Iterable[Card], day: date) -> list[Card]:
    """The cards to flip through on `day`, in flip order."""
    due = [card for card in cards if bucket(card, day) is not None]
    due.sort(key=lambda card: flip_key(card, day))
    return due


def describe_due(card: Card, now: datetime) -> str:
    """'overdue 3 days', 'today 16:00', 'closes in 4 days' — the card's urgency in words."""
    window = card.due
    today = now.date()
    if window is None:
        return "no date yet"
    if window.last_day < today:
        days = (today - window.last_day).days
        return f"overdue {days} day{'s' if days != 1 else ''}"
    if window.first_day > today:
        days = (window.first_day - today).days
        if window.timed and window.start == window.end:
            # A call set for a time reads as that time, not as a window opening.
            start = window.start_at
            return f"tomorrow {start:%H:%M}" if days == 1 else f"{day_words(start.date(), year=start.year != today.year)} {start:%H:%M}"
        return f"opens in {days} day{'s' if days != 1 else ''}"
    if window.timed and window.first_day == today:
        start = window.start_at
        # A part-of-day window (08:00–12:00) is still open until its end.
        passed = window.end < now.replace(second=0, microsecond=0)
        return f"today {start:%H:%M}" + (" (passed)" if passed else "")
    days = (window.last_day - today).days
    if days == 0:
        return "closes today"
    return f"closes in {days} day{'s' if days != 1 else ''}"
