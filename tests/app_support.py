"""Building the app for tests: the real factory, a temporary box, a fixed clock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from helpers import NOW

from cardbox.core.box import Box
from cardbox.core.card import Attempt
from cardbox.core.settings import Settings
from cardbox.core.window import DueWindow
from cardbox.ui.app import CardboxApp, make_app


def fixed(moment: datetime = NOW):
    return lambda: moment


def review_box(path: Path, clock=fixed()) -> Box:
    """A small box with a known flip order: 2 overdue, 1 timed today, 2 open windows, 1 not due."""
    box = Box(path, clock=clock)
    day = NOW.date()
    from datetime import date, timedelta

    def window(start, end, grain="day", phrase="") -> DueWindow:
        return DueWindow(start, end, grain, phrase or f"{start}", f"{start} – {end}")

    box.add("Olga Overdue", company="Old Mill", phones=["415 555 0101"], why="budget review in November",
            due=window(day - timedelta(days=9), day - timedelta(days=5), "week", "mid November"))
    box.add("Oscar Older", company="Oak Dental", phones=["415 555 0102"], why="lease renewal",
            due=window(day - timedelta(days=20), day - timedelta(days=12), "month", "early November"))
    box.add("Tina Timed", company="Tide Logistics", phones=["415 555 0103"], why="owner back at 4",
            due=DueWindow(datetime(2026, 11, 22, 16, 0), datetime(2026, 11, 22, 16, 0), "time", "today at 4", "Sun 22 Nov 16:00"))
    box.add("Wendy Window", company="Wave Roofing", phones=["415 555 0104"], why="roof quotes after the storm season",
            due=window(day - timedelta(days=1), day + timedelta(days=8), "month", "late November"))
    box.add("Walt Wider", company="Wide Print", phones=["415 555 0105"], why="",
            due=window(day - timedelta(days=3), day + timedelta(days=2), "week", "this week"))
    box.add("Future Fran", company="Far Away", phones=["415 555 0106"], why="Q2 budget",
            due=window(date(2027, 4, 1), date(2027, 6, 30), "quarter", "Q2"))
    return box


def long_history_box(path: Path, clock=fixed()) -> Box:
    from datetime import timedelta

    box = Box(path, clock=clock)
    change = box.add("Harriet Historian", company="Heritage Insurance", phones=["+1 212 555 0111", "+44 20 7946 0958"],
                     email="harriet@heritage.example", why="contract with current broker ends 31 January",
                     notes="Met at the trade show.\nPrefers calls before 11.", tags=["hot", "referral"],
                     due=DueWindow(NOW.date(), NOW.date() + timedelta(days=9), "month", "late November", "late Nov 2026 (Sun 22 – Mon 30 Nov)"))
    card = box.get(change.card.id)
    attempts = []
    moment = NOW - timedelta(days=200)
    outcomes = ["no-answer", "voicemail", "no-answer", "callback", "voicemail", "no-answer", "no-answer", "callback",
                "voicemail", "no-answer", "callback", "voicemail"]
    for index, outcome in enumerate(outcomes):
        moment += timedelta(days=15, hours=index % 3)
        nxt = DueWindow(moment.date() + timedelta(days=7), moment.date() + timedelta(days=7), "day", "in a week",
                        f"{moment.date() + timedelta(days=7):%a %d %b %Y}")
        attempts.append(Attempt(moment, "call" if index % 4 else "email", outcome, f"attempt {index + 1} note", nxt))
    # The history is written as if logged over months.
    box.replace_card(card.with_changes(attempts=tuple(attempts)))
    return box


class Seconds:
    """The app's monotonic clock in a test: it stands still until the test moves it, however busy the machine."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += seconds


def build_app(box: Box, clock=fixed(), settings_path: Path | None = None, **kwargs) -> CardboxApp:
    kwargs.setdefault("monotonic", Seconds())
    # A steady cursor: a snapshot never catches it mid-blink.
    kwargs.setdefault("settings", Settings(cursor_blink=False))
    return make_app(box, clock=clock, settings_path=settings_path, watch_interval=0, **kwargs)
