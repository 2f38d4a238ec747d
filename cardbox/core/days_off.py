"""Public holidays: the days a business day skips.

The dates come from the `holidays` package (kept up to date by its
maintainers for 150-odd countries), never from a list kept here. The rep's
country is the `country` setting; left empty, it is read from the locale
(`LC_ALL`, `LC_TIME`, `LANG`: "en_US.UTF-8" is the US), then the phone
region. "none" turns holidays off (weekends are still skipped).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
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
    most commands never count business days. Importing it and working out a
    country's days takes ~0.1 s, which the app's first card and a `cardbox log`
    would otherwise pay every time; so, given a `cache` folder, the days of
    seven years around the first question are kept there (holidays-US.json),
    named by the package's own file so an upgraded package is asked again."""

    def __init__(self, country: str, cache: Path | None = None) -> None:
        self.country = country.strip().upper()
        self.cache = cache
        self._days: Any = None
        self._years: range = range(0)

    def _load(self, year: int) -> None:
        if self.cache is not None and self._from_cache(year):
            return
        import holidays

        # A country read from the locale or the phone region that the
        # package does not know: weekends only (a setting is checked up front).
        # (Asking for the one country loads just its module; listing every
        # supported country loads them all, ~0.2 s of a CLI command.)
        kept = range(year - 1, year + 6)
        try:
            # The years kept are worked out now; any other is added when asked (the package expands).
            self._days = holidays.country_holidays(self.country, years=list(kept))
        except NotImplementedError:
            self._days = {}
        self._years = range(0)
        if self.cache is not None:
            self._to_cache(kept)

    def _cache_file(self) -> Path:
        assert self.cache is not None
        return self.cache / f"holidays-{re.sub(r'[^A-Z0-9_-]', '_', self.country)}.json"

    def _from_cache(self, year: int) -> bool:
        try:
            kept = json.loads(self._cache_file().read_text(encoding="utf-8"))
            if kept.get("package") != _package_mark() or kept.get("country") != self.country:
                return False
            years = range(int(kept["years"][0]), int(kept["years"][1]))
            days = {date.fromisoformat(day): str(name) for day, name in kept["days"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            return False  # missing, damaged or another package's: asked anew
        if year not in years:
            return False
        self._days, self._years = days, years
        return True

    def _to_cache(self, years: range) -> None:
        try:
            days = {day.isoformat(): str(name) for day, name in self._days.items() if day.year in years}
            payload = json.dumps({"package": _package_mark(), "country": self.country,
                                  "years": [years.start, years.stop], "days": days})
            assert self.cache is not None
            self.cache.mkdir(parents=True, exist_ok=True)
            target = self._cache_file()
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            tmp.write_text(payload, encoding="utf-8")
            os.replace(tmp, target)
        except (OSError, ValueError, TypeError):
            pass  # only speed is lost

    def __contains__(self, day: object) -> bool:
        if self.country == NO_HOLIDAYS.upper() or not isinstance(day, date):
            return False
        if self._days is None or (self._years and day.year not in self._years):
            self._load(day.year)
        return day in self._days

    def name(self, day: date) -> str | None:
        """The holiday's name ("Thanksgiving Day"), or None on a working day."""
        if day not in self:
            return None
        return str(self._days.get(day))

    def __repr__(self) -> str:
        return f"PublicHolidays({self.country!r})"


def _package_mark() -> str:
    """Which `holidays` is installed (its file's size and time), without importing it."""
    from importlib.util import find_spec

    spec = find_spec("holidays")
    origin = spec.origin if spec is not None else None
    if not origin:
        return ""
    st = os.stat(origin)
    return f"{st.st_size}:{st.st_mtime_ns}"


def holidays_for(setting: str, region: str, environ: Mapping[str, str] = os.environ,
                 cache: Path | None = None) -> tuple[PublicHolidays, list[str]]:
    """The rep's public holidays, and a warning when the `country` setting names none we know."""
    chosen = setting.strip().upper()
    if chosen and chosen != NO_HOLIDAYS.upper():
        import holidays

        if chosen not in holidays.list_supported_countries():
            fallback = rep_country("", region, environ)
            return PublicHolidays(fallback, cache), [
                f"setting 'country' is {setting!r}: no public holidays known for it; using {fallback}'s. "
                f'Use a two-letter code such as US, CA, GB, AU or IE, or "{NO_HOLIDAYS}" to skip only weekends'
            ]
    return PublicHolidays(rep_country(setting, region, environ), cache), []
