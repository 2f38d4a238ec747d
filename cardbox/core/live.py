"""Today's running session as the counter bar and the Session screen show it: its ticks, and the callbacks
worked since it started (counted by the same rules as the Numbers, in cardbox.core.numbers)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from cardbox.core import outcomes
from cardbox.core.card import Card
from cardbox.core.numbers import attempts_between, callbacks_set, per_hour, rate
from cardbox.core.session import Session


@dataclass(frozen=True, slots=True)
class LiveSession:
    """Today's running session as the counter bar and the Session screen show it."""

    session: Session
    counts: dict[str, int]
    seconds: float
    callbacks_set: int
    callbacks_worked: int
    callbacks_answered: int
    callback_sales: int

    @property
    def dials_per_hour(self) -> float | None:
        return per_hour(self.counts["dial"], self.seconds)

    @property
    def contact_rate(self) -> float | None:
        return rate(self.counts["contact"], self.counts["dial"])


def live_session(session: Session, cards: Iterable[Card], now: datetime, pending: dict[str, int] | None = None) -> LiveSession:
    """The session's ticks (plus ticks still being saved) and the callbacks worked since it started."""
    cards = list(cards)
    counts = session.counts()
    for kind, extra in (pending or {}).items():
        counts[kind] = counts.get(kind, 0) + extra
    end = session.stopped or now
    worked = attempts_between(cards, session.started, end)
    return LiveSession(
        session=session,
        counts=counts,
        seconds=session.seconds(now),
        callbacks_set=callbacks_set(cards, session.started, end),
        callbacks_worked=len(worked),
        callbacks_answered=sum(1 for w in worked if w.attempt.outcome in outcomes.REACHED),
        callback_sales=sum(1 for w in worked if w.attempt.outcome == "sale"),
    )
