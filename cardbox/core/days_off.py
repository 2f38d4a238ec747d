"""Public holidays: the days a business day skips.

The dates come from the `holidays` package (kept up to date by its
maintainers for 150-odd countries), never from a list kept here. The rep's
country is the `country` setting; left empty, it is read from the locale
(`LC_ALL`, `LC_TIME`, `LANG`: "en_US.UTF-8" is the US), then the phone
region. "none" turns holidays off (weekends are still skipped).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

NO_HOLIDAYS = "none"


def country_from_locale(environ: Mapping[str, str] = os.environ) -> str:
    """The country of the first locale variable that names one ("" for C, POSIX or none)."""
    for name in ("LC_ALL", "LC_TIME", "LANG"):
        value = environ.get(name, "")
        match = re.match(r"[a-z]{2,3}_([A-Z]{2})\b", value)
        if match:
            return match.group(1)
        if value:
            return ""  # the first one set decides, as for the C library
    return ""


def rep_country(setting: str, region: str, environ: Mapping[str, str] = os.environ) -> str:
    """The country whose public holidays count: the setting, the locale, else the phone region."""
    return (setting.strip() or country_from_locale(environ) or region).upper()


class PublicHolidays:
    """The public holidays of one country, as a container of dates (`day in holidays`).

    The `holidays` package is imported on the first question, not at start-up:
    most commands never count business days."""

    def __init__(self, country: str) -> None:
        self.country = country.strip().upper()
        self._days: Any = None

    def __contains__(self, day: object) -> bool:
        if self.country == NO_HOLIDAYS.upper() or not isinstance(day, date):
            return False
        if self._days is None:
            import holidays

            # A country read from the locale or the phone region that the
            # package does not know: weekends only (a setting is checked up front).
            # (Asking for the one country loads just its module; listing every
            # supported country loads them all, ~0.2 s of a CLI command.)
            try:
                self._days = holidays.country_holidays(self.country)
            except NotImplementedError:
                self._days = {}
        return day in self._days

    def name(self, day: date) -> str | None:
        """The holiday's name ("Thanksgiving Day"), or None on a working day."""
        if day not in self:
            return None
        return str(self._days.get(day))

    def __repr__(self) -> str:
        return f"PublicHolidays({self.country!r})"


def holidays_for(setting: str, region: str, environ: Mapping[str, str] = os.environ) -> tuple[PublicHolidays, list[str]]:
    """The rep's public holidays, and a warning when the `country` setting names none we know."""
    chosen = setting.strip().upper()
    if chosen and chosen != NO_HOLIDAYS.upper():
        import holidays

        if chosen not in holidays.list_supported_countries():
            fallback = rep_country("", region, environ)
            return PublicHolidays(fallback), [
                f"setting 'country' is {setting!r}: no public holidays known for it; using {fallback}'s. "
                f'Use a two-letter code such as US, CA, GB, AU or IE, or "{NO_HOLIDAYS}" to skip only weekends'
            ]
    return PublicHolidays(rep_country(setting, region, environ)), []
