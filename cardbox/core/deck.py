"""The deck: today's cards to flip through, where the rep is in it, what is done.

Plain rules, no screen: which cards make the deck (the box's flip order),
how it grows when a card becomes due while the rep works, where "next"
and "after logging" go, and the end-of-review summary. Today's screen
only shows a `Deck`.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cardbox.core import outcomes
from cardbox.core.card import Attempt, Card
from cardbox.core.refile import plan_refile
from cardbox.core.review import OVERDUE, bucket
from cardbox.core.window import DueWindow


@dataclass(frozen=True, slots=True)
class Filed:
    """One card worked in this review: what happened and where it went."""

    outcome: str
    where: str  # "no answer → Tue 24 Nov 2026", "sale → won", …
    refiled: bool  # back in the box with a new window (not won, not set aside)
    due: DueWindow | None = None  # the window it is re-filed to


def filing(
    card: Card, outcome: str, today: date, window: DueWindow | None = None, opted_in: bool = False, holidays: Container[date] = ()
) -> Filed:
    """Where `outcome` will put `card` — the same rule the box applies when it saves."""
    plan = plan_refile(outcome, streak_before=card.unanswered_streak, today=today, next_window=window, opted_in=opted_in,
                       holidays=holidays)
    words = outcomes.words(outcome)
    where = f"{words} → {plan.due.label}" if plan.due is not None else f"{words} → {plan.status}"
    refiled = plan.due is not None and plan.status in ("active", "nurture")
    return Filed(outcome, where, refiled, plan.due)


# A longer quiet spell between two outcomes is a break (dialing, lunch), not review time.
REVIEW_BREAK = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    worked: int
    answered: int
    appointments: int
    sales: int
    refiled: int
    set_aside: int  # filed not now (a do-not-call is counted on its own: it is not a "not now")
    left: int
    seconds: float = 0.0  # time spent working cards: the gaps between outcomes, breaks left out
    last_at: datetime | None = None  # the latest outcome, so a screen can keep the clock running
    do_not_call: int = 0

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.worked if self.worked else None


class Deck:
    """Today's cards in flip order, the one on screen, and those worked."""

    def __init__(self, day: date) -> None:
        self.day = day
        self.ids: list[int] = []
        self.index = 0
        self.finished = False
        self.filed: dict[int, Filed] = {}
        self.overdue: set[int] = set()

    # -- building ------------------------------------------------------------

    def build(self, due: Iterable[Card], day: date, keep: int | None = None) -> None:
        """Start from the box's due cards for `day` (in flip order); stay on `keep` if it is still due."""
        if day != self.day:
            self.filed.clear()  # a new day has its own review
        self.day = day
        cards = list(due)
        self.ids = [card.id for card in cards]
        self.overdue = {card.id for card in cards if bucket(card, day) == OVERDUE}
        self.filed = {card_id: filed for card_id, filed in self.filed.items() if card_id in self.ids}
        self.index = self.ids.index(keep) if keep in self.ids else 0
        self.finished = False

    def merge(self, due: Iterable[Card]) -> None:
        """Cards that became due while the rep works (a capture, another window) join the end."""
        known = set(self.ids)
        for card in due:
            if card.id not in known:
                self._append(card)
        if self.finished and self.left:
            self.finished = False

    def merge_card(self, card: Card | None) -> None:
        """One card changed here: it joins the end if it is now due and not yet in the deck."""
        if card is None or card.id in self.ids or bucket(card, self.day) is None:
            return
        self._append(card)
        if self.finished:
            self.finished = False
            self.index = len(self.ids) - 1

    def _append(self, card: Card) -> None:
        self.ids.append(card.id)
        if bucket(card, self.day) == OVERDUE:
            self.overdue.add(card.id)

    def leave(self, card: Card) -> bool:
        """A card changed here that is no longer due today and not worked today (re-dated with e to "after
        the holidays", set aside): it leaves the flip. True when it did."""
        if card.id not in self.ids or card.id in self.filed or bucket(card, self.day) is not None:
            return False
        position = self.ids.index(card.id)
        self.ids.pop(position)
        self.overdue.discard(card.id)
        if position < self.index:
            self.index -= 1  # the card on screen stays on screen
        elif position == self.index and self.ids:
            # The card on screen left: the next one not yet worked comes up.
            self.index = position % len(self.ids)
            if self.ids[self.index] in self.filed:
                self.advance()
        if not self.left:
            self.finished = True
        return True

    def drop_current(self) -> None:
        """The card on screen is gone from the box (deleted elsewhere)."""
        if self.current_id is None:
            return
        gone = self.ids.pop(self.index)
        self.filed.pop(gone, None)
        self.overdue.discard(gone)
        self.index = min(self.index, max(len(self.ids) - 1, 0))

    # -- where the rep is ------------------------------------------------------

    @property
    def current_id(self) -> int | None:
        if self.finished or not 0 <= self.index < len(self.ids):
            return None
        return self.ids[self.index]

    @property
    def total(self) -> int:
        return len(self.ids)

    @property
    def left(self) -> int:
        return sum(1 for card_id in self.ids if card_id not in self.filed)

    @property
    def overdue_left(self) -> int:
        return sum(1 for card_id in self.overdue if card_id not in self.filed)

    @property
    def can_go_back(self) -> bool:
        return bool(self.ids) and (self.finished or self.index > 0)

    @property
    def can_go_on(self) -> bool:
        return bool(self.ids) and not self.finished

    def next(self) -> None:
        if not self.can_go_on:
            return
        if self.index + 1 < len(self.ids):
            self.index += 1
        else:
            self.finished = True

    def previous(self) -> None:
        if not self.ids:
            return
        if self.finished:
            self.finished = False
            self.index = len(self.ids) - 1
        elif self.index > 0:
            self.index -= 1

    def go_to(self, card_id: int) -> None:
        if card_id in self.ids:
            self.index = self.ids.index(card_id)
            self.finished = False

    # -- working -------------------------------------------------------------

    def file(self, card_id: int, filed: Filed) -> None:
        """Mark a card worked and move to the next one not yet worked (or the end)."""
        self.filed[card_id] = filed
        self.advance()

    def unfile(self, card_id: int, filed: Filed | None = None) -> None:
        """The outcome did not stick (a failed save, an undo): the card is to be worked again.

        With `filed`, only that very filing is taken back (a later one stays)."""
        if filed is None or self.filed.get(card_id) is filed:
            self.filed.pop(card_id, None)

    def advance(self) -> None:
        """The next card not yet worked, wrapping round; the end when all are done."""
        for step in range(1, len(self.ids) + 1):
            candidate = (self.index + step) % len(self.ids)
            if self.ids[candidate] not in self.filed:
                self.index = candidate
                self.finished = False
                return
        self.finished = True


def day_summary(cards: Iterable[Card], day: date, left: int, until: datetime | None = None) -> ReviewSummary:
    """What was worked on `day` (up to `until`), from the cards' history:
    whatever screen or command logged it, and the same after a relaunch.

    A card worked twice counts once, by its latest outcome of the day."""
    latest: dict[int, Attempt] = {}
    moments: list[datetime] = []
    for card in cards:
        for attempt in card.attempts:
            if attempt.at.date() == day and (until is None or attempt.at <= until):
                moments.append(attempt.at)
                if card.id not in latest or attempt.at >= latest[card.id].at:
                    latest[card.id] = attempt
    moments.sort()
    seconds = sum(
        gap.total_seconds() for gap in (b - a for a, b in zip(moments, moments[1:], strict=False)) if gap <= REVIEW_BREAK
    )
    facts = [(attempt, outcomes.outcome(attempt.outcome)) for attempt in latest.values()]
    return ReviewSummary(
        worked=len(facts),
        answered=sum(1 for _, fact in facts if fact.reached),
        appointments=sum(1 for attempt, _ in facts if attempt.outcome == "appointment"),
        sales=sum(1 for _, fact in facts if fact.is_sale),
        refiled=sum(1 for attempt, fact in facts if attempt.next is not None and fact.status in ("active", "nurture")),
        set_aside=sum(1 for _, fact in facts if fact.status == "not-now"),
        do_not_call=sum(1 for _, fact in facts if fact.status == "do-not-call"),
        left=left,
        seconds=seconds,
        last_at=moments[-1] if moments else None,
    )
