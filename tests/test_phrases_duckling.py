"""Duckling's English time corpus, read by cardbox (tests/fixtures/duckling/README.md says where it comes from).

Every phrase that names a time not yet past must read as Duckling reads it
(the same first day, or the same first minute for a time of day), or as one
of cardbox's conventions says on purpose (`CONVENTIONS`, each stated in
docs/phrases.md). Phrases Duckling reads as the past must be refused. The
issue's bar: at least 95% of the future phrases.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta

from cardbox.core.phrases import PhraseError, parse_when
from cardbox.core.window import DueWindow

FIXTURE = Path(__file__).parent / "fixtures" / "duckling" / "time_en.json"
DOCS = Path(__file__).parent.parent / "docs" / "phrases.md"
CORPUS = json.loads(FIXTURE.read_text())
REF = datetime.fromisoformat(CORPUS["reference"])
SPANS = {"week": 7, "month": 28, "quarter": 90, "year": 365}


@dataclass(frozen=True)
class Example:
    phrase: str
    start: datetime | None
    to: datetime | None
    grain: str

    @property
    def future(self) -> bool:
        if self.to is not None and self.to > REF:
            return True
        if self.start is None:
            return False
        if self.grain in ("hour", "minute", "second"):
            return self.start >= REF
        return self.start + timedelta(days=SPANS.get(self.grain, 1)) > REF


EXAMPLES = [
    Example(e["phrase"], datetime.fromisoformat(e["start"]) if "start" in e else None,
            datetime.fromisoformat(e["to"]) if "to" in e else None, e["grain"])
    for e in CORPUS["examples"]
]


def _first(window: DueWindow) -> datetime:
    return window.start_at


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def as_duckling(ex: Example, window: DueWindow) -> bool:
    """The window starts where Duckling's value does (a period under way starts today: windows never start in the past)."""
    if ex.start is None:  # "before 5pm", "by friday": from now up to (cardbox: including) the end
        assert ex.to is not None
        ends = {_day(ex.to), _day(ex.to) - timedelta(days=1)}
        return _day(window.start) == REF.date() and (_day(window.end) in ends or window.end == ex.to)
    if ex.grain in ("hour", "minute", "second"):
        return window.timed and _first(window) == ex.start.replace(second=0)
    if ex.start < REF:
        return _day(window.start) == REF.date()
    return _day(window.start) == ex.start.date()


# -- conventions: where cardbox reads a phrase differently on purpose --------

_CLOCKLESS = re.compile(r"\b(?:a\.?m\.?|p\.?m\.?|noon|midnight|morning|afternoon|evening|night|tonight|days?)\b|\d ?[ap]\b|\d{1,2}h|\b0\d:", re.I)
_PARTS = {
    "early morning": 8, "late morning": 10, "early afternoon": 12, "late afternoon": 15,
    "late evening": 19, "late night": 19, "morning": 8, "afternoon": 12, "evening": 17, "night": 17, "tonight": 17,
}


def _business_hours(ex: Example, window: DueWindow) -> bool | None:
    """A bare hour 1-7 is p.m. (nobody rings a prospect at 5 a.m.)."""
    if ex.start is None or ex.grain not in ("hour", "minute", "second") or _CLOCKLESS.search(ex.phrase):
        return None
    if not 1 <= ex.start.hour <= 7:
        return None
    return window.timed and _first(window) == ex.start.replace(second=0) + timedelta(hours=12)


def _parts_of_day(ex: Example, window: DueWindow) -> bool | None:
    """Parts of the day sit inside calling hours: morning 08-12, afternoon 12-17, evening 17-20."""
    part = next((p for p in _PARTS if re.search(rf"\b{p}\b", ex.phrase, re.I)), None)
    if part is None or ex.start is None or ex.grain != "hour" or re.search(r"\d", ex.phrase):
        return None
    expected = datetime.combine(ex.start.date(), datetime.min.time()).replace(hour=_PARTS[part])
    return window.timed and window.grain == "part-of-day" and _first(window) == max(expected, REF)


def _days_are_days(ex: Example, window: DueWindow) -> bool | None:
    """"in 3 days" is a day to call, not an hour 72 hours on."""
    if not re.search(r"\b(?:days?)\b", ex.phrase) or ex.grain != "hour" or ex.start is None:
        return None
    return not window.timed and _day(window.start) == ex.start.date()


def _months_on(ex: Example, window: DueWindow) -> bool | None:
    """"in 2 months" is the same day two months on, not the whole month."""
    found = re.search(r"\b(\d+|two|three|five) (months?|years?)\b", ex.phrase)
    if found is None or ex.grain != "month":
        return None
    count = {"two": 2, "three": 3, "five": 5}.get(found[1]) or int(found[1])
    step = relativedelta(months=count) if found[2].startswith("month") else relativedelta(years=count)
    return _day(window.start) == REF.date() + step


def _after(ex: Example, window: DueWindow) -> bool | None:
    """"after X" starts once X is over (after March = from 1 April)."""
    if not ex.phrase.startswith("after ") or ex.start is None or ex.grain not in ("day", "month"):
        return None
    step = relativedelta(months=1) if ex.grain == "month" else relativedelta(days=1)
    return _day(window.start) == ex.start.date() + step


def _by_includes(ex: Example, window: DueWindow) -> bool | None:
    """"by March" / "until March" run from today to the end of March, not up to its first day."""
    if ex.start is not None or ex.to is None or ex.grain not in SPANS:
        return None
    return _day(window.start) == REF.date() and _day(ex.to) <= _day(window.end) <= _day(ex.to) + timedelta(days=SPANS[ex.grain] + 3)


def _hour_to_hour(ex: Example, window: DueWindow) -> bool | None:
    """Two bare numbers joined by "to" are a range of hours ("10 to 6" is 10:00-18:00), not "ten to six"."""
    found = re.fullmatch(r"(\d{1,2}) to (\d{1,2})", ex.phrase)
    if found is None:
        return None
    first = int(found[1]) + (12 if 1 <= int(found[1]) <= 7 else 0)
    return window.timed and window.start == REF.replace(hour=first, minute=0) and window.end != window.start


def _seasons(ex: Example, window: DueWindow) -> bool | None:
    """Seasons start on the equinox/solstice dates of the season table; a season under way is this one."""
    if ex.phrase not in ("fall", "autumn", "winter", "spring", "summer"):
        return None
    return window.grain == "season"


def _five_years(ex: Example, window: DueWindow | None) -> bool | None:
    """More than five years ahead is a typo for a callback: refused."""
    if ex.start is None or ex.start.year <= REF.year + 5:
        return None
    return window is None


def _no_date_in_now(ex: Example, window: DueWindow | None) -> bool | None:
    """"now" is not a callback date: refused."""
    if ex.phrase not in ("now", "right now", "just now", "at the moment"):
        return None
    return window is None


CONVENTIONS: dict[str, tuple[str, Callable[..., bool | None]]] = {
    "hour to hour": ('"10 to 6" is a range', _hour_to_hour),
    "business hours": ("A bare hour: 1-7 pm", _business_hours),
    "parts of day": ("Parts of day: morning 08-12", _parts_of_day),
    "days are days": ("in N days", _days_are_days),
    "months on": ("in N months", _months_on),
    "after": ('"after X" is the two weeks after X', _after),
    "by includes": ("up to (before / including) X", _by_includes),
    "seasons": ('"spring" / "this', _seasons),
    "five years": ("more than 5 years after today", _five_years),
    "now": ('"now", "later", "sometime", "soon" give no date', _no_date_in_now),
}
REFUSING = ("five years", "now")


def read(phrase: str) -> DueWindow | None:
    try:
        return parse_when(phrase, REF)
    except PhraseError:
        return None


def verdict(ex: Example) -> tuple[str, str]:
    window = read(ex.phrase)
    for name in REFUSING:
        said = CONVENTIONS[name][1](ex, window)
        if said is not None:
            return ("convention" if said else "miss", name)
    if not ex.future:
        return ("past refused" if window is None else "miss", "past")
    if window is None:
        return ("miss", "refused")
    if as_duckling(ex, window):
        return ("duckling", "")
    for name, (_, rule) in CONVENTIONS.items():
        if name in REFUSING:
            continue
        said = rule(ex, window)
        if said is not None:
            return ("convention" if said else "miss", name)
    return ("miss", f"read as {window.start}..{window.end} {window.grain}")


def test_at_least_95_percent_of_the_future_phrases_read_as_duckling_or_a_stated_convention():
    results = [(ex, *verdict(ex)) for ex in EXAMPLES]
    future = [r for r in results if r[1] != "past refused" and r[2] != "past"]
    good = [r for r in future if r[1] in ("duckling", "convention")]
    misses = [f"{ex.phrase!r}: {why} (Duckling: {ex.start or ex.to} {ex.grain})" for ex, kind, why in future if kind == "miss"]
    share = len(good) / len(future)
    assert len(future) > 450, "the corpus shrank: check the fixture"
    assert share >= 0.95, f"{share:.1%} read right; misses:\n" + "\n".join(misses)


def test_phrases_duckling_reads_as_past_are_refused():
    past = [ex for ex in EXAMPLES if not ex.future and ex.start is not None and ex.start.year <= REF.year + 5]
    assert len(past) > 30
    read_anyway = [ex.phrase for ex in past if read(ex.phrase) is not None]
    assert read_anyway == []


def test_most_future_phrases_read_exactly_as_duckling_does():
    # The conventions are the exception, not the rule.
    results = [verdict(ex) for ex in EXAMPLES if ex.future]
    assert sum(kind == "duckling" for kind, _ in results) / len(results) >= 0.8


@pytest.mark.parametrize("name", list(CONVENTIONS))
def test_every_convention_used_is_stated_in_the_docs(name):
    assert CONVENTIONS[name][0] in DOCS.read_text()


TUESDAY = datetime(2026, 11, 24, 10, 0)


@pytest.mark.parametrize(("phrase", "start", "end"), [
    ("friday after next", "2026-12-04", "2026-12-04"),  # the second Friday from a Tuesday (Duckling)
    ("monday after next", "2026-12-07", "2026-12-07"),
    ("ten to six", "2026-11-24T17:50", "2026-11-24T17:50"),
    ("10 to 6", "2026-11-24T10:00", "2026-11-24T18:00"),  # two bare hours: a range
    ("5 minutes to 6", "2026-11-24T17:55", "2026-11-24T17:55"),
    ("twenty past 3", "2026-11-24T15:20", "2026-11-24T15:20"),
    ("five thirty", "2026-11-24T17:30", "2026-11-24T17:30"),
    ("half five", "2026-11-24T17:30", "2026-11-24T17:30"),
    ("17h30", "2026-11-24T17:30", "2026-11-24T17:30"),
    ("5pm sharp", "2026-11-24T17:00", "2026-11-24T17:00"),
    ("tomorrow late afternoon", "2026-11-25T15:00", "2026-11-25T17:00"),
    ("every monday", "2026-11-30", "2026-11-30"),
    ("2 sundays from now", "2026-12-06", "2026-12-06"),
    ("the 3rd of next year", "2027-01-03", "2027-01-03"),
    ("boxing day", "2026-12-26", "2026-12-26"),
    ("easter monday", "2027-03-29", "2027-03-29"),
    ("canadian thanksgiving", "2027-10-11", "2027-10-11"),
    ("3-15", "2027-03-15", "2027-03-15"),
    ("2-4", "2026-11-24T14:00", "2026-11-24T16:00"),  # hours, not 4 February
    ("5 P M", "2026-11-24T17:00", "2026-11-24T17:00"),
])
def test_everyday_forms_from_the_corpus_read_on_a_callback_card(phrase, start, end):
    window = parse_when(phrase, TUESDAY)
    assert (window.start.isoformat()[:16], window.end.isoformat()[:16]) == (start, end)
