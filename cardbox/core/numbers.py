"""The numbers a rep lives by, as plain functions of the box.

Cold calls come from the session ticks; callbacks from the cards' history
(the outcome facts in `cardbox.core.outcomes` decide what was reached and
what was agreed). Definitions, shared by the Numbers screen, `cardbox
stats` and the tests:

* ``contact_rate`` = contacts / dials; ``close_rate`` = cold sales / contacts;
  ``calls_per_conversation`` = dials / contacts.
* ``callbacks.set`` = agreed windows set in the period: cards captured with
  a window, and talked outcomes that set one (callback, appointment).
* ``worked`` = outcomes logged on cards in the period; ``answered`` = those
  that reached the prospect.
* An attempt is on an **agreed** callback when the window it was made in was
  agreed by the prospect: set at capture, or by the attempt before it being
  a callback or an appointment. A cool-down re-file after a no-answer is not
  agreed. ``answer_rate`` = answered / worked on agreed callbacks.
* ``conversion`` = callbacks that sold, per card: of the cards worked in the
  period, those with a sale in it. (The seeds' 20–30% counts callbacks, not
  calls: per call, the no-answers before a sale would sink it.)
* ``due_this_week`` = active cards whose window overlaps the Mon–Sun week of
  the period's last day; ``no_reason`` = active cards with no why.
* session ``minutes`` = session time less pauses; ``dials_per_hour`` =
  dials / (minutes / 60), None under a minute of dialing.

Rates are fractions 0–1, or None where the denominator is 0.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar, cast

import pendulum

from cardbox.core import outcomes
from cardbox.core.card import Attempt, Card, is_callback
from cardbox.core.counted import Counted, counted_of_card
from cardbox.core.periods import PERIODS
from cardbox.core.session import TICK_PLURALS, Session, Tick

T = TypeVar("T")
# When the rep has no callback sales of their own yet, the forecast uses the
# seeds' figure: 2–3 in 10 callbacks turn into sales over the months.
SEED_CONVERSION = 0.2
COOLING_STREAK = 4
DEFAULT_GOALS = {"dials": 100, "sales": 2, "callbacks": 6}


def rate(part: float, whole: float) -> float | None:
    return part / whole if whole else None


# Under a minute of dialing, "per hour" is noise (3 dials in 4 s is not 2,700 an hour).
MIN_SECONDS_FOR_HOURLY = 60


def per_hour(count: int, seconds: float) -> float | None:
    return count / (seconds / 3600) if seconds >= MIN_SECONDS_FOR_HOURLY else None


def period_bounds(period: str, on: date, earliest: date | None = None) -> tuple[date, date]:
    """First and last day of `period` around `on` (weeks run Monday to Sunday)."""
    day = pendulum.date(on.year, on.month, on.day)
    if period == "today":
        return on, on
    if period == "week":
        return _plain(day.start_of("week")), _plain(day.end_of("week"))
    if period == "month":
        return _plain(day.start_of("month")), _plain(day.end_of("month"))
    if period == "all":
        return min(earliest or on, on), on
    raise ValueError(f"unknown period {period!r}; use one of: {', '.join(PERIODS)}")


def _plain(day: date) -> date:
    return date(day.year, day.month, day.day)


def agreed_flags(card: Card) -> list[bool]:
    """For each attempt on the card, whether it was made on a window the prospect agreed."""
    return outcomes.agreed_flags(card.captured is not None, (attempt.outcome for attempt in card.attempts))


@dataclass(frozen=True, slots=True)
class Worked:
    """One attempt on a card, with the facts the numbers need."""

    card: Card
    index: int
    attempt: Attempt
    agreed: bool


def attempts_between(cards: Iterable[Card], first: datetime, last: datetime) -> list[Worked]:
    found = []
    for card in cards:
        # Logging stamps the card: one not touched since `first` has no attempt after it.
        if card.updated < first or not card.attempts:
            continue
        flags = agreed_flags(card)
        for index, attempt in enumerate(card.attempts):
            if first <= attempt.at <= last:
                found.append(Worked(card, index, attempt, flags[index]))
    return found


def set_count(captured: int, outcome_names: Iterable[str]) -> int:
    """Callbacks set: the cards captured with a window the prospect gave, plus the attempts whose outcome agreed a
    new one. The one rule behind the counter bar's, the Session screen's and the Numbers' "callbacks set"."""
    return captured + sum(1 for name in outcome_names if name in outcomes.AGREES_WINDOW)


def callbacks_set(cards: Iterable[Card], first: datetime, last: datetime) -> int:
    captured, names = 0, list[str]()
    for card in cards:
        if card.updated < first:
            continue  # neither captured nor logged since `first`
        captured += card.captured is not None and first <= card.created <= last
        names.extend(attempt.outcome for attempt in card.attempts if first <= attempt.at <= last)
    return set_count(captured, names)


def tick_totals(sessions: Iterable[Session], first: datetime, last: datetime) -> dict[str, int]:
    return _tallied(tick for session in sessions for tick in session.ticks if first <= tick.at <= last)


def _tallied(ticks: Iterable[Tick]) -> dict[str, int]:
    """Dials, contacts, pitches, appointments and sales among `ticks`."""
    totals = dict.fromkeys(TICK_PLURALS.values(), 0)
    for tick in ticks:
        if tick.kind in TICK_PLURALS:
            totals[TICK_PLURALS[tick.kind]] += tick.count
    return totals


def cold_figures(totals: dict[str, int]) -> dict[str, Any]:
    return {
        **totals,
        "contact_rate": rate(totals["contacts"], totals["dials"]),
        "close_rate": rate(totals["sales"], totals["contacts"]),
        "calls_per_conversation": rate(totals["dials"], totals["contacts"]),
        "pitch_rate": rate(totals["pitches"], totals["contacts"]),
    }


def session_figures(sessions: Iterable[Session], first: datetime, last: datetime, now: datetime, dials: int) -> dict[str, Any]:
    chosen = [s for s in sessions if first <= s.started <= last]
    minutes = sum(s.seconds(now) for s in chosen) / 60
    return {
        "count": len(chosen),
        "minutes": round(minutes, 1),
        "dials_per_hour": per_hour(dials, minutes * 60),
    }


def _us(moment: datetime) -> int:
    """A naive moment as microseconds from day one: a column of these is 8 bytes a moment, and orders as the moments do."""
    return (moment.toordinal() * 86_400 + moment.hour * 3_600 + moment.minute * 60 + moment.second) * 1_000_000 + moment.microsecond


_NO_DAY = 0  # a due-day column's "no window" (date ordinals start at 1)


class Ledger:
    """Every attempt and every tick of the box in time order, built in one pass.

    Each period's figures are then slices of it (found by bisection), so
    switching between today, week, month and all does not walk two years of
    history again. Build a new ledger when the box changes.

    The attempts and the cards are held as columns of machine numbers (a
    10k-card box's ledger is ~2 MB, not the ~20 MB of the cards themselves)."""

    def __init__(self, counted: Iterable[Counted], sessions: Iterable[Session]) -> None:
        self.sessions = list(sessions)
        # Cards, in the order given.
        self.status: list[str] = []
        self.due_first = array("i")
        self.due_last = array("i")
        self.has_reason = bytearray()
        self.streak = array("I")
        self.won = bytearray()
        self.worked_cards = 0
        # Attempts, first in card order, then put in time order.
        at, outcome, index, agreed, created, owner = array("q"), [], array("I"), bytearray(), array("q"), array("I")
        captures = array("q")
        earliest: date | None = None
        for card in counted:
            created_us = _us(card.created)
            if card.captured:  # Counted.captured: a bool
                captures.append(created_us)
            names = card.outcomes
            for number, ((moment, name), on_agreed) in enumerate(zip(card.attempts, outcomes.agreed_flags(card.captured, names), strict=True)):
                at.append(_us(moment))
                outcome.append(name)
                index.append(number)
                agreed.append(on_agreed)
                created.append(created_us)
                owner.append(len(self.status))  # the card's place: the status of this card is appended next
            self.status.append(card.status)
            self.due_first.append(card.first_day.toordinal() if card.first_day else _NO_DAY)
            self.due_last.append(card.last_day.toordinal() if card.last_day else _NO_DAY)
            # "No reason recorded" is about callbacks: a lead nobody has spoken to has no reason to give yet.
            self.has_reason.append(card.has_reason or not is_callback(card.captured, names))
            self.streak.append(outcomes.unanswered_streak(names))
            self.won.append("sale" in names)
            self.worked_cards += bool(card.attempts)
            day = card.created.date()
            earliest = day if earliest is None or day < earliest else earliest
        order = sorted(range(len(at)), key=at.__getitem__)  # stable: one moment keeps the card order
        self.worked_at = array("q", (at[i] for i in order))
        self.worked_outcome = [outcome[i] for i in order]
        self.worked_index = array("I", (index[i] for i in order))
        self.worked_agreed = bytearray(agreed[i] for i in order)
        self.worked_created = array("q", (created[i] for i in order))
        self.worked_card = array("I", (owner[i] for i in order))
        del order
        self.captures = array("q", sorted(captures))
        self.ticks = sorted((tick for session in self.sessions for tick in session.ticks), key=lambda t: t.at)
        self.tick_at = [t.at for t in self.ticks]
        days = [s.day for s in self.sessions]
        if earliest is not None:
            days.append(earliest)
        self.earliest = min(days, default=None)
        # Figures that depend only on the day, kept once counted: a ledger is
        # never changed, so they stay right for as long as it is used.
        self._memo: dict[tuple, Any] = {}

    @classmethod
    def build(cls, cards: Iterable[Card], sessions: Iterable[Session]) -> Ledger:
        return cls(map(counted_of_card, cards), sessions)

    def __len__(self) -> int:
        """How many attempts the ledger holds."""
        return len(self.worked_at)

    def remember(self, key: tuple, count: Callable[[], T]) -> T:
        if key not in self._memo:
            self._memo[key] = count()
        return cast(T, self._memo[key])

    def _worked_range(self, first: datetime, last: datetime) -> range:
        return range(bisect_left(self.worked_at, _us(first)), bisect_right(self.worked_at, _us(last)))

    def ticks_between(self, first: datetime, last: datetime) -> list[Tick]:
        return self.ticks[bisect_left(self.tick_at, first) : bisect_right(self.tick_at, last)]

    def tick_totals(self, first: datetime, last: datetime) -> dict[str, int]:
        return _tallied(self.ticks_between(first, last))

    def callback_figures(self, first: datetime, last: datetime) -> dict[str, Any]:
        span = self._worked_range(first, last)
        names = self.worked_outcome[span.start : span.stop]
        agreed = self.worked_agreed[span.start : span.stop]
        reached = outcomes.REACHED
        on_agreed = sum(agreed)
        answered_agreed = sum(1 for name, was_agreed in zip(names, agreed, strict=True) if was_agreed and name in reached)
        sales = [i for i in span if self.worked_outcome[i] == "sale"]
        captured = bisect_right(self.captures, _us(last)) - bisect_left(self.captures, _us(first))
        return {
            "set": set_count(captured, names),
            "worked": len(names),
            "answered": sum(1 for name in names if name in reached),
            "agreed_worked": on_agreed,
            "agreed_answered": answered_agreed,
            "answer_rate": rate(answered_agreed, on_agreed),
            "sales": len(sales),
            "conversion": rate(len({self.worked_card[i] for i in sales}), len(set(self.worked_card[span.start : span.stop]))),
            "attempts_to_sale": rate(sum(self.worked_index[i] + 1 for i in sales), len(sales)),
            "days_to_sale": rate(sum((self.worked_at[i] - self.worked_created[i]) / 1_000_000 / 86400 for i in sales), len(sales)),
        }

    def _active_overlapping(self, first: date, last: date) -> int:
        first_day, last_day = first.toordinal(), last.toordinal()
        return sum(
            1
            for status, opens, closes in zip(self.status, self.due_first, self.due_last, strict=True)
            if status == "active" and opens != _NO_DAY and opens <= last_day and closes >= first_day
        )

    def pipeline(self, on: date) -> dict[str, int]:
        monday, sunday = period_bounds("week", on)
        active = [i for i, status in enumerate(self.status) if status == "active"]
        return {
            "active": len(active),
            "due_this_week": self._active_overlapping(monday, sunday),
            "due_next_week": self._active_overlapping(monday + timedelta(days=7), sunday + timedelta(days=7)),
            "nurture": self.status.count("nurture"),
            "not_now": self.status.count("not-now"),
            "no_reason": sum(1 for i in active if not self.has_reason[i]),
            "cooling": sum(1 for i in active if self.streak[i] >= COOLING_STREAK),
        }

    def forecast(self, on: date, days: int = 30) -> dict[str, Any]:
        """Expected callback sales in the next `days`: cards due then × the rep's own conversion per card."""
        end = (on + timedelta(days=days - 1)).toordinal()
        due = sum(
            1
            for status, opens in zip(self.status, self.due_first, strict=True)
            if status in ("active", "nurture") and opens != _NO_DAY and opens <= end
        )
        own = rate(sum(self.won), self.worked_cards) if self.worked_cards >= 20 else None
        used = own if own is not None else SEED_CONVERSION
        how = f"{due} cards due in {days} days × {used:.0%} " + (
            "(your cards with a sale ÷ cards worked)" if own is not None else "(the seeds' 20%: too few cards worked yet)"
        )
        return {"days": days, "cards_due": due, "conversion_used": used, "own": own is not None,
                "expected_sales": round(due * used, 1), "how": how}

    def due_per_day(self, first_day: date, days: int = 28) -> list[int]:
        """Active cards whose window opens on each day from `first_day` (the shape of the pipeline)."""
        counts = [0] * days
        start = first_day.toordinal()
        for status, opens in zip(self.status, self.due_first, strict=True):
            if status == "active" and opens != _NO_DAY and 0 <= opens - start < days:
                counts[opens - start] += 1
        return counts

    def figures(self, period: str, on: date, now: datetime) -> dict[str, Any]:
        """Every figure for `period` around the day `on`, as `cardbox stats --json` prints it."""
        first_day, last_day = period_bounds(period, on, self.earliest)
        first = datetime.combine(first_day, datetime.min.time())
        last = datetime.combine(last_day, datetime.max.time())
        totals = self.tick_totals(first, last)
        callbacks = self.callback_figures(first, last)
        forecast_day = min(last_day, now.date()) if period != "all" else now.date()
        total_sales = totals["sales"] + callbacks["sales"]
        return {
            "period": period,
            "from": first_day.isoformat(),
            "to": last_day.isoformat(),
            "cold": cold_figures(totals),
            "callbacks": callbacks,
            "sales": {
                "total": total_sales,
                "from_callbacks": callbacks["sales"],
                "cold": totals["sales"],
                "share_from_callbacks": rate(callbacks["sales"], total_sales),
            },
            "pipeline": self.remember(("pipeline", last_day), lambda: self.pipeline(last_day)),
            "sessions": session_figures(self.sessions, first, last, now, totals["dials"]),
            "forecast": self.remember(("forecast", forecast_day), lambda: self.forecast(forecast_day)),
        }

    def per_day(self, kind: str, last_day: date, days: int) -> list[int]:
        """Ticks of `kind` on each of the `days` days ending `last_day`."""
        first_day = last_day - timedelta(days=days - 1)
        counts = [0] * days
        first = datetime.combine(first_day, datetime.min.time())
        for tick in self.ticks_between(first, datetime.combine(last_day, datetime.max.time())):
            if tick.kind == kind:
                counts[(tick.at.date() - first_day).days] += tick.count
        return counts

    def callback_share_by_month(self, on: date, months: int = 6) -> list[tuple[str, int, int]]:
        """(month, callback sales, cold sales) for the last `months` months up to `on`."""
        starts = [pendulum.date(on.year, on.month, 1).subtract(months=back) for back in range(months - 1, -1, -1)]
        first = datetime.combine(_plain(starts[0]), datetime.min.time())
        last = datetime.combine(_plain(starts[-1].end_of("month")), datetime.max.time())
        callback: dict[tuple[int, int], int] = {}
        cold: dict[tuple[int, int], int] = {}
        for i in self._worked_range(first, last):
            if self.worked_outcome[i] == "sale":
                day = date.fromordinal(self.worked_at[i] // 86_400_000_000)
                month = (day.year, day.month)
                callback[month] = callback.get(month, 0) + 1
        for tick in self.ticks_between(first, last):
            if tick.kind == "sale":
                month = (tick.at.year, tick.at.month)
                cold[month] = cold.get(month, 0) + tick.count
        return [(f"{start:%b %Y}", callback.get((start.year, start.month), 0), cold.get((start.year, start.month), 0)) for start in starts]


def figures(cards: list[Card], sessions: list[Session], period: str, on: date, now: datetime) -> dict[str, Any]:
    """Every figure for `period` around the day `on` (builds a ledger: keep one to ask for several periods)."""
    return Ledger.build(cards, sessions).figures(period, on, now)


def day_totals(cards: Iterable[Card], sessions: Iterable[Session], day: date) -> dict[str, int]:
    """Dials, sales (cold and callback) and callbacks set on `day`, for the daily goals."""
    first = datetime.combine(day, datetime.min.time())
    last = datetime.combine(day, datetime.max.time())
    cards = list(cards)
    ticks = tick_totals(sessions, first, last)
    callback_sales = sum(1 for w in attempts_between(cards, first, last) if w.attempt.outcome == "sale")
    return {"dials": ticks["dials"], "sales": ticks["sales"] + callback_sales, "callbacks": callbacks_set(cards, first, last)}


# -- series for the charts ------------------------------------------------------


def contact_rate_by_hour(ticks: Iterable[Tick], hours: range = range(8, 21)) -> list[float | None]:
    """Contacts / dials for each hour of the day, over every tick: when do prospects pick up?"""
    dials = dict.fromkeys(hours, 0)
    contacts = dict.fromkeys(hours, 0)
    for tick in ticks:
        hour = tick.at.hour
        if hour in dials:
            if tick.kind == "dial":
                dials[hour] += tick.count
            elif tick.kind == "contact":
                contacts[hour] += tick.count
    return [rate(contacts[hour], dials[hour]) for hour in hours]


@dataclass(frozen=True, slots=True)
class NumbersView:
    """Everything the Numbers screen shows, computed in one go (off the screen's thread)."""

    figures: dict[str, Any]
    dials_per_day: list[int]
    sales_per_day: list[int]
    contact_rate_by_hour: list[float | None]
    due_per_day: list[int]
    months: list[tuple[str, int, int]]


def numbers_view(ledger: Ledger, period: str, now: datetime, days: int = 28) -> NumbersView:
    today = now.date()
    return NumbersView(
        figures=ledger.figures(period, today, now),
        dials_per_day=ledger.per_day("dial", today, days),
        sales_per_day=ledger.per_day("sale", today, days),
        contact_rate_by_hour=ledger.remember(("by hour",), lambda: contact_rate_by_hour(ledger.ticks)),
        due_per_day=ledger.remember(("due per day", today, days), lambda: ledger.due_per_day(today, days)),
        months=ledger.remember(("months", today), lambda: ledger.callback_share_by_month(today)),
    )
