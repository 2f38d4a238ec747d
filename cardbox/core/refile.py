"""Where a card goes after an attempt: the re-filing rules in one place.

The rules, as a rep would say them:

* **No answer / voicemail, no new date given** — cool down, don't hammer:
  the n-th unanswered attempt in a row re-files the card
  ``COOL_DOWN_BUSINESS_DAYS[n-1]`` business days ahead (1, 2, 4, 7, 10,
  15, then 20 for every further miss). Weekends are skipped; the card is
  never deleted.
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

from dataclasses import dataclass
from datetime import date, timedelta

from cardbox.core.card import OUTCOMES, UNANSWERED, CardError
from cardbox.core.window import DueWindow

COOL_DOWN_BUSINESS_DAYS: tuple[int, ...] = (1, 2, 4, 7, 10, 15, 20)
NURTURE_OPTED_IN_WEEKS = 6
NURTURE_DEFAULT_MONTHS = 6

NEEDS_WINDOW = frozenset({"callback", "appointment"})

STATUS_AFTER: dict[str, str] = {
    "no-answer": "active",
    "voicemail": "active",
    "callback": "active",
    "appointment": "active",
    "sale": "won",
    "not-interested": "not-now",
    "nurture": "nurture",
    "wrong-number": "not-now",
    "do-not-call": "do-not-call",
}

assert set(STATUS_AFTER) == set(OUTCOMES)


def add_business_days(day: date, count: int) -> date:
    """`count` working days after `day` (Mon–Fri; holidays are not known)."""
    current = day
    added = 0
    while added < count:
        current += timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    # Clamp to the month's last day: 31 Aug + 6 months is 28/29 Feb.
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def cool_down_days(streak: int) -> int:
    """Business days to wait after the `streak`-th unanswered attempt in a row."""
    index = min(max(streak, 1), len(COOL_DOWN_BUSINESS_DAYS)) - 1
    return COOL_DOWN_BUSINESS_DAYS[index]


def cool_down_window(streak: int, today: date) -> DueWindow:
    days = cool_down_days(streak)
    day = add_business_days(today, days)
    unanswered = "1 unanswered" if streak == 1 else f"{streak} unanswered in a row"
    return DueWindow.on_day(
        day,
        phrase=f"in {days} business day{'s' if days > 1 else ''} ({unanswered})",
        label=day.strftime("%a %d %b %Y"),
    )


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
) -> Refile:
    """Decide a card's status and next window after an attempt.

    `streak_before` is how many unanswered attempts in a row the card had
    before this one.
    """
    if outcome not in STATUS_AFTER:
        raise CardError(f"unknown outcome {outcome!r}; use one of: {', '.join(OUTCOMES)}")
    status = STATUS_AFTER[outcome]
    if next_window is not None:
        return Refile(status, next_window)
    if outcome in NEEDS_WINDOW:
        what = "the appointment" if outcome == "appointment" else "the callback"
        raise CardError(f"{outcome!r} needs a date for {what}: give one, e.g. 'early May' or 'Tuesday at 4'")
    if outcome in UNANSWERED:
        return Refile(status, cool_down_window(streak_before + 1, today))
    if outcome == "nurture":
        return Refile(status, nurture_window(opted_in, today))
    return Refile(status, None)
