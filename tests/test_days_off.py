"""Business days skip the public holidays of the rep's country (from the `holidays` package)."""

from __future__ import annotations

from datetime import date, datetime

from helpers import some

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
    assert some(plan_refile("no-answer", streak_before=0, today=THANKSGIVING_EVE).due).first_day == date(2026, 11, 26)
    # Second miss on Wed 23 Dec: Thu 24, (Fri 25 Christmas, weekend) Mon 28.
    plan = plan_refile("voicemail", streak_before=1, today=date(2026, 12, 23), holidays=US)
    assert some(plan.due).first_day == date(2026, 12, 28)


def test_business_days_in_a_phrase_skip_them_too():
    window = parse_when("in 1 business day", datetime(2026, 11, 25, 10), holidays=US)
    assert window.first_day == date(2026, 11, 27)
    window = parse_when("in 1 business day", datetime(2026, 11, 25, 10))
    assert window.first_day == date(2026, 11, 26)


def test_the_days_kept_in_the_cache_answer_as_the_package_does(tmp_path, monkeypatch):
    import holidays as package

    from cardbox.core import days_off

    first = PublicHolidays("US", cache=tmp_path)
    assert date(2026, 11, 26) in first and first.name(date(2026, 11, 26)) == "Thanksgiving Day"
    kept = tmp_path / "holidays-US.json"
    assert kept.exists()
    # The next process answers from the file, without the package.
    monkeypatch.setattr(package, "country_holidays", lambda *a, **k: (_ for _ in ()).throw(AssertionError("package asked")))
    cached = PublicHolidays("US", cache=tmp_path)
    truth = package.US(years=range(2025, 2032))
    for day in (date(2025, 1, 1) + __import__("datetime").timedelta(days=n) for n in range(0, 7 * 365)):
        assert (day in cached) == (day in truth), day
    assert cached.name(date(2026, 12, 25)) == "Christmas Day"
    monkeypatch.undo()
    # A year outside the kept ones, a damaged file, or another version of the package: asked anew.
    assert date(2040, 12, 25) in PublicHolidays("US", cache=tmp_path)
    kept.write_text("{not json")
    assert date(2026, 7, 3) in PublicHolidays("US", cache=tmp_path)  # 4 July 2026 is a Saturday: observed Friday
    monkeypatch.setattr(days_off, "_package_mark", lambda: "another version")
    again = PublicHolidays("US", cache=tmp_path)
    assert date(2026, 11, 26) in again and '"another version"' in kept.read_text()


def test_a_cache_that_cannot_be_written_costs_only_speed(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    assert date(2026, 11, 26) in PublicHolidays("US", cache=blocked)
