"""The phrases a new user said that were misread or refused (issue: "Phrases: never a wrong date"), each read
as a person would, on Monday 7 September 2026 at 10:00 unless the row says another day."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cardbox.core.phrases import parse_when

MONDAY = datetime(2026, 9, 7, 10, 0)
D, T = date, datetime

# phrase, said at, first, last (a day, or a datetime for a time of day)
READS = [
    # Misread before: each a wrong date, now the reading a person gives.
    ("between august and october", MONDAY, D(2026, 9, 7), D(2026, 10, 31)),  # under way: starts today
    ("between november and february", T(2027, 1, 10, 10), D(2027, 1, 10), D(2027, 2, 28)),
    ("between june and august", MONDAY, D(2027, 6, 1), D(2027, 8, 31)),  # over this year: next year's
    ("from may to oct 2020", T(2019, 3, 1, 10), D(2020, 5, 1), D(2020, 10, 31)),  # the year is the range's
    ("nov to feb 2027", MONDAY, D(2026, 11, 1), D(2027, 2, 28)),
    ("for 3 days, from today", MONDAY, D(2026, 9, 7), D(2026, 9, 9)),
    ("20 minutes to 2pm tomorrow", MONDAY, T(2026, 9, 8, 13, 40), T(2026, 9, 8, 13, 40)),
    ("quarter to 2pm", MONDAY, T(2026, 9, 7, 13, 45), T(2026, 9, 7, 13, 45)),
    ("3 pm or later on monday", MONDAY, T(2026, 9, 14, 15), T(2026, 9, 14, 20)),
    # Refused before, said on the phone.
    ("next couple weeks", MONDAY, D(2026, 9, 7), D(2026, 9, 21)),
    ("next 4 business days", MONDAY, D(2026, 9, 7), D(2026, 9, 11)),
    ("between now and november 15th", MONDAY, D(2026, 9, 7), D(2026, 11, 15)),
    ("4 months from tomorrow", MONDAY, D(2027, 1, 8), D(2027, 1, 8)),
    ("next fortnight", MONDAY, D(2026, 9, 7), D(2026, 9, 21)),
    ("a fortnight hence", MONDAY, D(2026, 9, 21), D(2026, 9, 21)),
    ("three weeks hence", MONDAY, D(2026, 9, 28), D(2026, 9, 28)),
    ("this working week", MONDAY, D(2026, 9, 7), D(2026, 9, 13)),
    ("w/c feb 4", MONDAY, D(2027, 2, 4), D(2027, 2, 10)),  # the seven days from the 4th
    ("within 2h", MONDAY, T(2026, 9, 7, 10), T(2026, 9, 7, 12)),
    ("tuesday from 7 to 7:30", MONDAY, T(2026, 9, 8, 19), T(2026, 9, 8, 19, 30)),
    ("sunday early morning at 8:00", MONDAY, T(2026, 9, 13, 8), T(2026, 9, 13, 8)),
    ("at 730 in the evening", MONDAY, T(2026, 9, 7, 19, 30), T(2026, 9, 7, 19, 30)),
    ("late tonight", MONDAY, T(2026, 9, 7, 19), T(2026, 9, 7, 20)),
    ("tomorrow in between 1-2:30 ish", MONDAY, T(2026, 9, 8, 13), T(2026, 9, 8, 14, 30)),
    ("next season", MONDAY, D(2026, 9, 22), D(2026, 12, 20)),  # summer runs to 21 Sep: autumn is next
    ("upcoming two weeks", MONDAY, D(2026, 9, 7), D(2026, 9, 21)),
    ("20 of next month", MONDAY, D(2026, 10, 20), D(2026, 10, 20)),
    ("this week-end", MONDAY, D(2026, 9, 12), D(2026, 9, 13)),
    ("2018Q4", T(2018, 3, 1, 10), D(2018, 10, 1), D(2018, 12, 31)),
    ("2027q1", MONDAY, D(2027, 1, 1), D(2027, 3, 31)),
    # Their neighbours.
    ("couple of days", MONDAY, D(2026, 9, 9), D(2026, 9, 9)),
    ("in a fortnight", MONDAY, D(2026, 9, 21), D(2026, 9, 21)),
    ("wk of feb 4", MONDAY, D(2027, 2, 1), D(2027, 2, 7)),
    ("in 30m", MONDAY, T(2026, 9, 7, 10, 30), T(2026, 9, 7, 10, 30)),
    ("in 2 hrs", MONDAY, T(2026, 9, 7, 12), T(2026, 9, 7, 12)),
    ("tmrw", MONDAY, D(2026, 9, 8), D(2026, 9, 8)),
    ("thurs", MONDAY, D(2026, 9, 10), D(2026, 9, 10)),
    ("sept", MONDAY, D(2026, 9, 7), D(2026, 9, 30)),
    ("at 1930", MONDAY, T(2026, 9, 7, 19, 30), T(2026, 9, 7, 19, 30)),
    ("friday or earlier", MONDAY, D(2026, 9, 7), D(2026, 9, 11)),
    ("2 weeks from friday", MONDAY, D(2026, 9, 25), D(2026, 9, 25)),
    ("20 past 2pm", MONDAY, T(2026, 9, 7, 14, 20), T(2026, 9, 7, 14, 20)),
    ("quarter past 9am tomorrow", MONDAY, T(2026, 9, 8, 9, 15), T(2026, 9, 8, 9, 15)),
    ("90 minutes to 3pm", MONDAY, T(2026, 9, 7, 13, 30), T(2026, 9, 7, 13, 30)),
    ("for 2 weeks starting monday", MONDAY, D(2026, 9, 14), D(2026, 9, 27)),
    ("call me for next week", MONDAY, D(2026, 9, 14), D(2026, 9, 20)),
    ("tomorrow 3pm or later", MONDAY, T(2026, 9, 8, 15), T(2026, 9, 8, 20)),
]


@pytest.mark.parametrize(("phrase", "said", "first", "last"), READS, ids=[row[0] for row in READS])
def test_the_phrase_reads_as_a_person_would(phrase, said, first, last):
    window = parse_when(phrase, said)
    if isinstance(first, datetime):
        assert (window.start, window.end) == (first, last)
    else:
        assert (window.first_day, window.last_day) == (first, last)


@pytest.mark.parametrize("phrase", ["monday", "3 pm or later on monday", "mon 3pm"])
def test_a_weekday_said_on_that_weekday_is_next_weeks_and_the_preview_says_so(phrase):
    window = parse_when(phrase, MONDAY)
    assert window.first_day == date(2026, 9, 14)
    assert window.label.endswith("— a week out; today is Monday")


@pytest.mark.parametrize("phrase", ["this monday", "tuesday", "next monday"])
def test_other_weekdays_carry_no_such_note(phrase):
    assert "a week out" not in parse_when(phrase, MONDAY).label


@pytest.mark.parametrize("phrase", ["w/c", "for 3 days from", "3pm or later or earlier", "orlater", "between now and"])
def test_half_a_phrase_is_refused_with_its_help(phrase):
    from cardbox.core.phrases import PhraseError

    with pytest.raises(PhraseError) as info:
        parse_when(phrase, MONDAY)
    assert info.value.examples


def test_the_rewrite_tables_word_gates_never_change_a_reading():
    """The gates only skip rules that cannot match: every phrase the tests know rewrites as with no gates."""
    import functools
    import json
    from pathlib import Path

    from cardbox.core.phrases import everyday

    def plain(text: str) -> str:
        for pattern, replacement in everyday.REWRITES:
            if callable(replacement):
                text = pattern.sub(functools.partial(lambda m, rewrite: rewrite(m, MONDAY), rewrite=replacement), text)
            else:
                text = pattern.sub(replacement, text)
        return " ".join(text.split())

    corpus = json.loads((Path(__file__).parent / "fixtures" / "duckling" / "time_en.json").read_text())
    phrases = [row[0] for row in READS] + [example["phrase"] for example in corpus["examples"]]
    phrases += ["tomorrow night at 8", "sunday evening at 6", "20 past 2pm", "half five", "five thirty", "3ish",
                "in 2h", "2018q4", "next season", "w/c 7 sep", "quarter to 2pm", "exactly noon", "next few days"]
    assert len(phrases) > 600
    assert [everyday.rewrite(p, MONDAY) for p in phrases] == [plain(p) for p in phrases]


def test_a_weekday_said_on_that_weekday_says_a_week_out_on_both_clocks_too():
    # "friday at 2:30" said on a Friday is next week's; on a prospect's clock the label is written again on two
    # clocks, and the note that it is a week out must stay.
    from cardbox.core.phrases import parse_when

    friday = datetime(2026, 12, 4, 17, 28)
    window = parse_when("friday at 2:30", friday, rep_zone="America/New_York", prospect_zone="America/Denver")
    assert window.start == datetime(2026, 12, 11, 16, 30)
    assert window.label == "Fri 11 Dec 2026 16:30 your time (14:30 MST) — a week out; today is Friday"
