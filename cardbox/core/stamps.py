"""Moments as the box file keeps them: ISO 8601 with the offset they were written in.

In memory a moment is a naive datetime on the rep's clock (what screens,
phrases and scheduling compare). On disk it carries its offset
("2026-11-22T10:00:00-05:00"), so a box read after a daylight-saving change,
or by a rep who has moved to another zone, still means the same instants:
reading converts each stamp onto the rep's clock of now.

The rep's zone is CARDBOX_TZ (the `time_zone` setting is passed on through
it), else the system's. Stamps written by cardbox before schema 3 carry no
offset; they are read as the rep's clock, as they were written.
"""

from __future__ import annotations

import os
from datetime import datetime, tzinfo
from typing import Any

_cache: tuple[object, tzinfo | None] = (b"", None)
# Every stamp read asks for the zone (~100k times to count a 10k-card box's numbers); os.environ.get
# encodes and decodes on each call, a third of the time. CPython keeps the environment's bytes in
# os.environ._data, updated by every os.environ change (settings, tests): read there when it is.
_ENVIRON_BYTES = getattr(os.environ, "_data", None)
_KEY = os.environ.encodekey("CARDBOX_TZ") if hasattr(os.environ, "encodekey") else "CARDBOX_TZ"


def rep_zone() -> tzinfo | None:
    """The rep's zone (None: the system's local zone)."""
    global _cache
    raw: object = _ENVIRON_BYTES.get(_KEY, b"") if isinstance(_ENVIRON_BYTES, dict) else os.environ.get("CARDBOX_TZ", "")
    if raw == _cache[0]:
        return _cache[1]
    name = os.environ.get("CARDBOX_TZ", "").strip()
    zone: tzinfo | None = None
    if name:
        try:
            from zoneinfo import ZoneInfo

            zone = ZoneInfo(name)
        except Exception:  # a bad name is reported where the zone is checked; the clock keeps the system's
            zone = None
    _cache = (raw, zone)
    return zone


def aware(moment: datetime) -> datetime:
    """`moment` (naive: the rep's clock) as an instant with its offset."""
    if moment.tzinfo is not None:
        return moment
    zone = rep_zone()
    # astimezone() on a naive moment reads it as the system's local time.
    return moment.replace(tzinfo=zone) if zone is not None else moment.astimezone()


def on_rep_clock(moment: datetime) -> datetime:
    """An instant (or a naive moment already on the rep's clock) as the rep's naive clock time."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(rep_zone()).replace(tzinfo=None)


def stamp(moment: datetime) -> str:
    """A moment to the second, with its offset: "2026-11-22T10:00:00-05:00"."""
    return aware(moment.replace(microsecond=0)).isoformat(timespec="seconds")


def minute_stamp(moment: datetime) -> str:
    """A window's time, to the minute, with its offset: "2026-11-23T16:00-05:00"."""
    return aware(moment.replace(second=0, microsecond=0)).isoformat(timespec="minutes")


def parse_stamp(text: str) -> datetime:
    """A stamp from the file as the rep's naive clock time (ValueError when it is not ISO 8601)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        return moment  # written before schema 3: already the rep's clock
    return moment.astimezone(rep_zone()).replace(tzinfo=None)


def with_offset(value: Any, *, minutes: bool = False) -> Any:
    """A stamp from an older box with the rep's offset added (for the schema 3 migration).

    Anything that is not a naive ISO date-time (a plain date, an offset
    already there, junk) is returned as it is: a migration never guesses."""
    if not isinstance(value, str) or "T" not in value:
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        return value
    return minute_stamp(moment) if minutes else stamp(moment)
