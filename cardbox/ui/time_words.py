"""Clock times as a rep reads them on screen."""

from __future__ import annotations


def clock_words(seconds: float) -> str:
    """0:42 or 1:05:09."""
    seconds = int(max(seconds, 0))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
