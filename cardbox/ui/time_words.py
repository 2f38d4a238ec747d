"""Clock times as a rep reads them on screen."""

from __future__ import annotations


def worked_words(seconds: float) -> str:
    """A length of time as words, so it never reads as a time of day: "42 min", "1 h 05 min"."""
    minutes = int(max(seconds, 0)) // 60
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def clock_words(seconds: float) -> str:
    """0:42 or 1:05:09."""
    seconds = int(max(seconds, 0))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
