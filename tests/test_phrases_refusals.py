"""Refusals found after the phrase reader was split into a package."""

from __future__ import annotations

from datetime import datetime

import pytest

from cardbox.core.phrases import PhraseError, parse_when

NOW = datetime(2026, 11, 22, 10, 0)


def test_a_fifth_week_is_refused_with_what_works():
    with pytest.raises(PhraseError, match="'5th week of march': use first to fourth or last week"):
        parse_when("5th week of march", NOW)


def test_year_zero_is_refused_as_a_phrase_problem():
    with pytest.raises(PhraseError, match="0000 is not a year") as caught:
        parse_when("0000", NOW)
    assert caught.value.__cause__ is None
