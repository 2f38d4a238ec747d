"""Property tests: whatever `now` is, accepted phrases give sane forward windows,
and no input, however odd, escapes as anything but PhraseError."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cardbox.core.phrases import PhraseError, parse_when
from cardbox.core.window import GRAINS

# Phrases that must be read whatever the date: each resolves forward by construction.
ALWAYS = [
    "tomorrow", "the day after tomorrow", "tomorrow at 4", "tomorrow 4pm", "tomorrow at 16:00",
    "at 3", "at 9", "3:30", "4:15pm", "noon", "EOD", "half past 3", "in 2 hours", "in 30 minutes",
    "morning", "afternoon", "evening", "tomorrow morning", "tomorrow evening", "Thursday morning",
    "monday", "next monday", "next tuesday", "this friday", "next tuesday at 4", "friday at 2:30",
    "next week", "this week", "end of the week", "next weekend", "this weekend", "the week after next",
    "January", "call me back in January", "early May", "mid March", "late January", "end of January",
    "beginning of next month", "end of next month", "end of the month", "next month", "this month",
    "in 30 days", "in six weeks", "6 wks", "in 6 months", "in a couple of weeks", "in a few days",
    "in a fortnight", "in 3 business days", "spring", "summer", "autumn", "winter", "next spring",
    "Q2", "next quarter", "this quarter", "end of the quarter", "next year", "this year", "EOY",
    "after the holidays", "after Christmas", "Christmas", "Thanksgiving", "new year", "4th of July",
    "Labor Day", "Memorial Day", "easter", "the 15th", "on the 1st", "the 31st", "Jan 25", "25 Jan",
    "1/25", "first Tuesday of March", "last Friday of the month", "Jan 10-15",
    "between the 10th and the 15th", "3-4pm tomorrow", "monday to wednesday", "by Friday",
    "within 2 weeks", "after 3", "Feb 29", "the week of the 14th",
]

NOWS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31, 23, 59)).map(
    lambda d: d.replace(second=0, microsecond=0)
)


@settings(max_examples=200, deadline=None)
@given(now=NOWS, phrase=st.sampled_from(ALWAYS), day_first=st.booleans())
def test_accepted_phrases_resolve_forward(now, phrase, day_first):
    w = parse_when(phrase, now, day_first=day_first)
    assert type(w.start) is type(w.end)
    assert w.start <= w.end
    assert w.first_day >= now.date()
    if isinstance(w.start, datetime):
        assert w.start >= now
        assert w.start.second == 0 and w.start.microsecond == 0
        assert w.grain in ("time", "part-of-day")
    else:
        assert type(w.start) is date
        assert w.grain not in ("time", "part-of-day")
    assert w.grain in GRAINS
    assert w.label and "\n" not in w.label
    assert w.phrase == phrase


@settings(max_examples=60, deadline=None)
@given(now=NOWS)
def test_every_accepted_phrase_on_one_day(now):
    for phrase in ALWAYS:
        w = parse_when(phrase, now)
        assert w.first_day >= now.date()


def _only_phrase_errors(text: str, now: datetime, day_first: bool = False) -> None:
    try:
        w = parse_when(text, now, day_first=day_first)
    except PhraseError as err:
        assert "\n" not in str(err)
        assert err.reason and 2 <= len(err.examples) <= 3
        # The catch-all in parse_when is a safety net, not a way of working:
        # every rejection should be a deliberate one.
        assert err.__cause__ is None, repr(err.__cause__)
        return
    assert w.start <= w.end
    assert w.first_day >= now.date()


@settings(max_examples=200, deadline=None)
@given(text=st.text(), now=NOWS)
def test_any_text_is_read_or_rejected(text, now):
    _only_phrase_errors(text, now)


# Hypothesis will not draw 10 KB strings directly: repeat a drawn chunk up to that size.
HUGE = st.tuples(st.sampled_from(["", "next week ", "in 6 weeks "]), st.text(min_size=1, max_size=40)).map(
    lambda p: p[0] + p[1] * (10_240 // len(p[1]) + 1)
)


@settings(max_examples=30, deadline=None)
@given(text=HUGE)
def test_huge_text_is_refused_unless_it_is_blank_padding(text):
    # How fast: bench/bench_phrases.py (no timing asserts in tests).
    meant = " ".join(text.split())
    if len(meant) > 200:
        with pytest.raises(PhraseError) as info:
            parse_when(text, datetime(2026, 11, 22, 10))
        assert "too long" in info.value.reason
    elif not meant:
        with pytest.raises(PhraseError, match="empty"):
            parse_when(text, datetime(2026, 11, 22, 10))
    else:  # "next week" and 10 KB of line ends: read as what it says
        assert parse_when(text, datetime(2026, 11, 22, 10)) == parse_when(meant, datetime(2026, 11, 22, 10))


VOCAB = [
    "next", "this", "last", "late", "early", "mid", "mid-", "end of", "beginning of", "start of",
    "jan", "January", "feb", "may", "dec", "mon", "tuesday", "fri", "sun", "today", "tomorrow",
    "3", "4", "12", "15", "25", "31", "0", "99", "100000000", "1st", "15th", "22nd", "first", "last",
    "to", "-", "between", "and", "from", "until", "at", "pm", "am", "p.m.", ":", "3:30", "16:00",
    "25:00", "after", "before", "by", "within", "week", "weeks", "wk", "month", "mos", "year",
    "yrs", "days", "hours", "minutes", "fortnight", "weekend", "quarter", "q2", "q4", "2027",
    "2026", "9999", "0001", "1/25", "25/1", "13/13", "2027-01-25", "2027-02-30", "spring",
    "winter", "fall", "morning", "afternoon", "evening", "tonight", "noon", "eod", "eow", "eom",
    "christmas", "new year's", "holidays", "the", "of", "in", "on", "a", "an", "couple", "few",
    "several", "half past", "quarter to", "o'clock", "ish", "-ish", "ago", "from now", "now",
    "not", "maybe", "call me back", "please", "?", ",", "!", "twenty", "one", "thirty", "day",
    "business", "after next", "week of", "day after", "business days", "thanksgiving", "easter",
]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(VOCAB), min_size=1, max_size=7), now=NOWS, day_first=st.booleans())
def test_vocabulary_soup_is_read_or_rejected(words, now, day_first):
    _only_phrase_errors(" ".join(words), now, day_first)


@settings(max_examples=100, deadline=None)
@given(
    words=st.lists(st.sampled_from(VOCAB), min_size=1, max_size=4),
    noise=st.text(alphabet=st.characters(categories=("Cc", "Zs", "Po", "Pd", "Nd", "So")), max_size=5),
    now=NOWS,
)
def test_vocabulary_with_noise(words, noise, now):
    _only_phrase_errors(noise.join(words), now)


@settings(max_examples=100, deadline=None)
@given(n=st.integers(min_value=0, max_value=10**30), unit=st.sampled_from(["days", "weeks", "months", "years", "hours", "minutes"]))
def test_any_count_of_units(n, unit):
    _only_phrase_errors(f"in {n} {unit}", datetime(2026, 11, 22, 10))
