"""Where a card goes after an attempt: the re-filing rules in one place.

The rules, as a rep would say them:

* **No answer / voicemail, no new date given** — cool down, don't hammer:
  the n-th unanswered attempt in a row re-files the card
  ``COOL_DOWN_BUSINESS_DAYS[n-1]`` business days ahead (1, 2, 4, 7, 10,
  15, then 20 for every further miss). Weekends and the public holidays of
  the rep's country are skipped; the card is never deleted.
* **Talked — call back** and **appointment set** need a new window from
  the prospect ("early May", "Tuesday at 4").
* **Sale** marks the card won; **not interested** and **wrong number** put
  it on the not-now pile; **do not call** takes it out of every list. Any
  of these may still carry a date (a follow-up after the sale, a revisit of
  the not-now card), which brings it back into the flip-through then.
* **Plan B / nurture** goes on the slow track: about 6 weeks when the
  prospect opted in to information, about 6 months when not.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, timedelta

from cardbox.core.calendar import add_business_days, add_months
from cardbox.core.errors import CardError
from cardbox.core.outcomes import outcome as outcome_named
from cardbox.core.window import DueWindow, day_words

COOL_DOWN_BUSINESS_DAYS: tuple[int, ...] = (1, 2, 4, 7, 10, 15, 20)
NURTURE_OPTED_IN_WEEKS = 6
NURTURE_DEFAULT_MONTHS = 6


def cool_down_days(streak: int) -> int:
    """Business days to wait after the `streak`-th unanswered attempt in a row."""
    index = min(max(streak, 1), len(COOL_DOWN_BUSINESS_DAYS)) - 1
    return COOL_DOWN_BUSINESS_DAYS[index]


def cool_down_window(streak: int, today: date, holidays: Container[date] = ()) -> DueWindow:
    days = cool_down_days(streak)
    day = add_business_days(today, days, holidays)
    unanswered = "1 unanswered" if streak == 1 else f"{streak} unanswered in a row"
    return DueWindow.on_day(
        day,
        phrase=f"in {days} business day{'s' if days > 1 else ''} ({unanswered})",
        label=day_words(day),
    )


def nurture_wait(opted_in: bool) -> str:
    """How long the nurture track waits, in words, for dialogs and help: the one place the figures live."""
    return f"{NURTURE_OPTED_IN_WEEKS} weeks" if opted_in else f"{NURTURE_DEFAULT_MONTHS} months"


def nurture_window(opted_in: bool, today: date) -> DueWindow:
    if opted_in:
        day = today + timedelta(weeks=NURTURE_OPTED_IN_WEEKS)
        phrase = f"Plan B, opted in: {NURTURE_OPTED_IN_WEEKS} weeks"
    else:
        day = add_months(today, NURTURE_DEFAULT_MONTHS)
        phrase = f"Plan B: {NURTURE_DEFAULT_MONTHS} months"
    return DueWindow.on_day(day, phrase=phrase)


@dataclass(frozen=True, slots=True)
class Refile:
    status: str
    due: DueWindow | None


def plan_refile(
    outcome: str,
    *,
    streak_before: int,
    today: date,
    next_window: DueWindow | None = None,
    opted_in: bool = False,
    holidays: Container[date] = (),
) -> Refile:
    """Decide a card's status and next window after an attempt.

    `streak_before` is how many unanswered attempts in a row the card had
    before this one. Business days skip weekends and `holidays` (the rep's
    country's public holidays, see `cardbox.core.days_off`).
    """
    facts = outcome_named(outcome)
    status = facts.status
    if next_window is not None:
        return Refile(status, next_window)
    if facts.agreed_window:
        what = "the appointment" if outcome == "appointment" else "the callback"
        raise CardError(f"{outcome!r} needs a date for {what}: give one, e.g. 'early May' or 'Tuesday at 4'", field="when")
    if facts.unanswered:
        return Refile(status, cool_down_window(streak_before + 1, today, holidays))
    if outcome == "nurture":
        return Refile(status, nurture_window(opted_in, today))
    return Refile(status, None)
