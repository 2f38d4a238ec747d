"""The due window: when a prospect wants the callback.

A prospect says "late January"; the card keeps both the phrase as said and
the window it means (first day, last day, how precise). Windows of a day or
longer hold `date`s; a window with a time of day holds naive `datetime`s on
the rep's clock (an exact time has ``end == start``), written to the file
with their offset.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from cardbox.core.documents import WindowDoc
from cardbox.core.stamps import minute_stamp, on_rep_clock

GRAINS: tuple[str, ...] = ("time", "part-of-day", "day", "week", "month", "quarter", "season", "year")


def _iso(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return minute_stamp(value)
    return value.isoformat()


def parse_iso(text: str) -> date | datetime:
    """A window end as the file holds it: a date, or a moment converted onto the rep's clock (to the minute)."""
    if "T" in text:
        moment = on_rep_clock(datetime.fromisoformat(text))
        if not moment.second and not moment.microsecond:
            return moment
        return moment.replace(second=0, microsecond=0)
    return date.fromisoformat(text)


def _as_written(text: str) -> datetime:
    """A stored moment's wall clock as it was written (in the offset it carries), to the minute."""
    return datetime.fromisoformat(text).replace(tzinfo=None, second=0, microsecond=0)


def relabel(label: str, old_start: datetime, old_end: datetime, start: datetime, end: datetime) -> str:
    """A timed window's label written on one clock, said on the rep's clock of now.

    Labels name the rep's times first ("Tue 24 Nov 2026 19:00 your time (16:00 PST)", "Sat 5 Dec morning
    (08:00–12:00)"): those and the day are moved; the prospect's clock in brackets stays as it was said."""
    if (old_start, old_end) == (start, end):
        return label
    out = label
    for old, new in ((old_start, start), (old_end, end)) if old_end != old_start else ((old_start, start),):
        out = out.replace(f"{old:%H:%M}", f"\0{new:%H:%M}", 1)
    out = out.replace("\0", "")
    if old_start.date() != start.date():
        for year in (True, False):
            before, after = day_words(old_start.date(), year), day_words(start.date(), year)
            if before in out:
                out = out.replace(before, after, 1)
                break
    return out


_PADDED_DAY = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) 0(\d) ")


def _one_style(label: str) -> str:
    """Labels saved by earlier versions wrote "Mon 09 Nov": read them in the one style, "Mon 9 Nov"."""
    return _PADDED_DAY.sub(r"\1 \2 ", label) if " 0" in label else label


def day_words(day: date, year: bool = True) -> str:
    """The one way cardbox writes a day: "Wed 6 Jan 2027" (without the year: "Wed 6 Jan")."""
    text = f"{day:%a} {day.day} {day:%b}"
    return f"{text} {day.year}" if year else text


def as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True, slots=True)
class DueWindow:
    start: date | datetime
    end: date | datetime
    grain: str
    phrase: str
    label: str = ""

    @property
    def timed(self) -> bool:
        return isinstance(self.start, datetime)

    @property
    def first_day(self) -> date:
        return as_date(self.start)

    @property
    def last_day(self) -> date:
        return as_date(self.end)

    @property
    def start_at(self) -> datetime:
        """The first instant of the window, for ordering timed and dated windows together."""
        if isinstance(self.start, datetime):
            return self.start
        return datetime.combine(self.start, time.min)

    def to_dict(self) -> WindowDoc:
        return {
            "start": _iso(self.start),
            "end": _iso(self.end),
            "grain": self.grain,
            "phrase": self.phrase,
            "label": self.label,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DueWindow:
        if not isinstance(data.get("start"), str) or not isinstance(data.get("end"), str):
            raise TypeError("a window without a start and an end")
        for key in ("grain", "phrase", "label"):
            if not isinstance(data.get(key, ""), str):
                raise TypeError(f"a window's {key} is not text")
        start, end = parse_iso(data["start"]), parse_iso(data["end"])
        label = _one_style(data.get("label", ""))
        if isinstance(start, datetime) and isinstance(end, datetime):
            label = relabel(label, _as_written(data["start"]), _as_written(data["end"]), start, end)
        return cls(start=start, end=end, grain=data.get("grain", "day"), phrase=data.get("phrase", ""), label=label)

    @classmethod
    def on_day(cls, day: date, phrase: str, label: str = "") -> DueWindow:
        return cls(start=day, end=day, grain="day", phrase=phrase, label=label or day_words(day))
