"""Business days skip the public holidays of the rep's country (from the `holidays` package)."""

from __future__ import annotations

from datetime import date, datetime

from cardbox.core.days_off import PublicHolidays, country_from_locale, holidays_for, rep_country
from cardbox.core.phrases import parse_when
from cardbox.core.refile import plan_refile

US = PublicHolidays("US")
THANKSGIVING_EVE = date(2026, 11, 25)  # a Wednesday; Thursday 26 Nov 2026 is Thanksgiving


def test_the_country_comes_from_the_setting_then_the_locale_then_the_phone_region():
    assert country_from_locale({"LANG": "en_GB.UTF-8"}) == "GB"
    assert country_from_locale({"LC_ALL": "fr_CA.UTF-8", "LANG": "en_US.UTF-8"}) == "CA"  # LC_ALL wins
    assert country_from_locale({"LANG": "C.UTF-8"}) == ""
    assert country_from_locale({}) == ""
    assert rep_country("ie", "US", {"LANG": "en_GB.UTF-8"}) == "IE"
    assert rep_country("", "US", {"LANG": "en_GB.UTF-8"}) == "GB"
    assert rep_country("", "AU", {"LANG": "C"}) == "AU"


def test_a_country_nobody_knows_is_a_warning_not_a_stop():
    holidays, warnings = holidays_for("Narnia", "US", {})
    assert holidays.country == "US"
    assert len(warnings) == 1 and "'Narnia'" in warnings[0] and "two-letter code" in warnings[0]
    gb, none_warnings = holidays_for("gb", "US", {})
    assert gb.country == "GB" and none_warnings == []


def test_public_holidays_by_country():
    assert date(2026, 11, 26) in US
    assert US.name(date(2026, 11, 26)) == "Thanksgiving Day"
    assert date(2026, 11, 26) not in PublicHolidays("GB")
    assert date(2026, 12, 28) in PublicHolidays("GB")  # Boxing Day, moved off the Saturday
    assert date(2026, 12, 25) not in PublicHolidays("none")
    assert date(2026, 11, 27) not in US  # the Friday after is a working day by law
    assert US.name(date(2026, 11, 27)) is None


def test_the_cool_down_skips_thanksgiving_and_christmas():
    plan = plan_refile("no-answer", streak_before=0, today=THANKSGIVING_EVE, holidays=US)
    assert plan.due is not None and plan.due.first_day == date(2026, 11, 27)  # Friday, not Thursday
    # Without holidays (weekends only) it would have been Thanksgiving itself.
    assert plan_refile("no-answer", streak_before=0, today=THANKSGIVING_EVE).due.first_day == date(2026, 11, 26)
    # Second miss on Wed 23 Dec: Thu 24, (Fri 25 Christmas, weekend) Mon 28.
    plan = plan_refile("voicemail", streak_before=1, today=date(2026, 12, 23), holidays=US)
    assert plan.due.first_day == date(2026, 12, 28)


def test_business_days_in_a_phrase_skip_them_too():
    window = parse_when("in 1 business day", datetime(2026, 11, 25, 10), holidays=US)
    assert window.first_day == date(2026, 11, 27)
    window = parse_when("in 1 business day", datetime(2026, 11, 25, 10))
    assert window.first_day == date(2026, 11, 26)
