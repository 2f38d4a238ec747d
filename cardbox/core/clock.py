"""The current time, from one place.

`CARDBOX_NOW` (ISO 8601) stands in for the real time, for demos, tests and
reproducing a report. The core never reads the clock itself: callers pass
`now` in.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta

from cardbox.core.stamps import rep_zone

Clock = Callable[[], datetime]


class ClockError(ValueError):
    pass


# The years a rep can mean: a clock or a date outside them is a typo (year 1, 9999) and the date arithmetic of
# windows, sessions and numbers would overflow on it (9999-12-31 plus a day). Refused, never stored.
EARLIEST_YEAR = 1970
LATEST_YEAR = 2199


def check_year(moment: datetime | date, what: str) -> None:
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ClockError(f"{what} is in the year {moment.year}; give one from {EARLIEST_YEAR} to {LATEST_YEAR}, e.g. 2026-11-22")


def parse_now(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ClockError(f"CARDBOX_NOW={text!r} is not an ISO 8601 date-time; use e.g. 2026-11-22T10:00") from None
    if moment.tzinfo is not None:
        # An instant with an offset, on the rep's clock.
        moment = moment.astimezone(rep_zone()).replace(tzinfo=None)
    check_year(moment, f"CARDBOX_NOW={text!r}")
    return moment


def real_now() -> datetime:
    """Now on the rep's clock (naive, as the box keeps times)."""
    moment = datetime.now(rep_zone()).replace(tzinfo=None, microsecond=0)
    check_year(moment, f"the system clock ({moment:%Y-%m-%d})")
    return moment


def fixed_clock(moment: datetime) -> Clock:
    return lambda: moment


def ticking_clock(start: datetime) -> Clock:
    """A clock that starts at `start` and runs at real speed (for the app under CARDBOX_NOW)."""
    origin = time.monotonic()
    return lambda: start + _elapsed(origin)


def _elapsed(origin: float) -> timedelta:

    return timedelta(seconds=time.monotonic() - origin)


def clock_from_env(env: Mapping[str, str] | None = None, *, ticking: bool = False) -> Clock:
    env = os.environ if env is None else env
    if "CARDBOX_NOW" not in env:
        return real_now
    text = env["CARDBOX_NOW"].strip()
    if not text:
        raise ClockError("CARDBOX_NOW is set but empty; unset it for the real time (unset CARDBOX_NOW), or give e.g. 2026-11-22T10:00")
    start = parse_now(text)
    return ticking_clock(start) if ticking else fixed_clock(start)
