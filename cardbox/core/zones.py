"""Whose clock: the rep's time zone, and the prospect's, worked out from the card.

The prospect's zone comes, in this order, from an explicit zone on the card,
then its postal address (a US state's zones, or a country's from the tz
database's zone.tab), then the phone number through libphonenumber's
time-zone data (the `phonenumbers` package). A number or a place can map to
several zones (Alaska's 907 is Anchorage and Adak): every candidate is
kept. The state (for state calling rules) comes from the address, else from
the number's geocoder description for US numbers.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache

from cardbox.core.card import Card
from cardbox.core.errors import CardError

US_STATES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA", "Colorado": "CO",
    "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC", "Washington D.C.": "DC", "Florida": "FL",
    "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS",
    "Kentucky": "KY", "Louisiana": "LA", "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI",
    "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV",
    "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY", "North Carolina": "NC",
    "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA", "Rhode Island": "RI",
    "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT",
    "Virginia": "VA", "Washington": "WA", "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
}
_CODES = set(US_STATES.values())
# The zones each state's clocks keep (tz database), for a card whose address names the state.
_NY, _CHI, _DEN, _LA = "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"
STATE_ZONES: dict[str, tuple[str, ...]] = {
    "AL": (_CHI,), "AK": ("America/Anchorage", "America/Adak"), "AZ": ("America/Phoenix",), "AR": (_CHI,), "CA": (_LA,),
    "CO": (_DEN,), "CT": (_NY,), "DE": (_NY,), "DC": (_NY,), "FL": (_NY, _CHI), "GA": (_NY,), "HI": ("Pacific/Honolulu",),
    "ID": ("America/Boise", _LA), "IL": (_CHI,), "IN": ("America/Indiana/Indianapolis", _CHI), "IA": (_CHI,),
    "KS": (_CHI, _DEN), "KY": (_NY, _CHI), "LA": (_CHI,), "ME": (_NY,), "MD": (_NY,), "MA": (_NY,),
    "MI": ("America/Detroit", _CHI), "MN": (_CHI,), "MS": (_CHI,), "MO": (_CHI,), "MT": (_DEN,), "NE": (_CHI, _DEN),
    "NV": (_LA,), "NH": (_NY,), "NJ": (_NY,), "NM": (_DEN,), "NY": (_NY,), "NC": (_NY,), "ND": (_CHI, _DEN),
    "OH": (_NY,), "OK": (_CHI,), "OR": (_LA, "America/Boise"), "PA": (_NY,), "RI": (_NY,), "SC": (_NY,),
    "SD": (_CHI, _DEN), "TN": (_CHI, _NY), "TX": (_CHI, _DEN), "UT": (_DEN,), "VT": (_NY,), "VA": (_NY,), "WA": (_LA,),
    "WV": (_NY,), "WI": (_CHI,), "WY": (_DEN,),
}
_US_NAMES = {"us", "usa", "u.s.", "u.s.a.", "united states", "united states of america", "america"}


def check_zone(name: str) -> str:
    """An IANA zone name ("America/Chicago"), or CardError saying what to type."""
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(name)  # the tz database pendulum reads too, without loading pendulum
    except Exception:
        raise CardError(f"{name!r} is not a time zone; use an IANA name such as America/Chicago or Europe/London",
                        field="time_zone") from None
    return name


def rep_zone(setting: str = "", environ: Mapping[str, str] = os.environ) -> str:
    """The rep's zone: CARDBOX_TZ, else the `time_zone` setting, else the system's."""

    for chosen in (environ.get("CARDBOX_TZ", "").strip(), setting.strip()):
        if chosen:
            return check_zone(chosen)
    from pendulum.tz import local_timezone

    zone = local_timezone()
    return str(getattr(zone, "name", zone))


@lru_cache(maxsize=1)
def _area_states() -> dict[str, str]:
    """US state by area code: libphonenumber's geocoder, boiled down once (tools/make_area_codes.py).

    The geocoder's own data takes ~0.3 s to import, more than a whole `cardbox add` may."""
    import json
    from importlib import resources

    return dict(json.loads(resources.files("cardbox.data").joinpath("area_codes.json").read_text(encoding="utf-8"))["states"])


@lru_cache(maxsize=4096)
def phone_facts(e164: str) -> tuple[tuple[str, ...], str | None]:
    """(candidate zones, US state code or None) for a number, from libphonenumber's data."""
    import phonenumbers
    from phonenumbers import timezone

    from cardbox.core.phone import base

    try:
        number = phonenumbers.parse(base(e164))
    except phonenumbers.NumberParseException:
        return (), None
    zones = tuple(zone for zone in timezone.time_zones_for_number(number) if zone != "Etc/Unknown")
    state = None
    if number.country_code == 1:
        state = _area_states().get(str(number.national_number)[:3])
    return zones, state


def zone_of_numbers(numbers: list[str] | tuple[str, ...], region: str) -> str | None:
    """The zone of the first of these numbers (as typed) that has one: for a card not saved yet."""
    from cardbox.core.phone import normalize

    for typed in numbers:
        try:
            zones, _ = phone_facts(normalize(typed, region))
        except CardError:
            continue
        if zones:
            return zones[0]
    return None


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """(country code → its zones, lower-case country name → code), from the tz database's own tables."""
    from importlib import resources

    data = resources.files("tzdata.zoneinfo")
    zones: dict[str, list[str]] = {}
    for line in data.joinpath("zone.tab").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            zones.setdefault(parts[0], []).append(parts[2])
    names = {}
    for line in data.joinpath("iso3166.tab").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t", 1)
            names[name.strip().lower()] = code
    names.update({"uk": "GB", "united kingdom": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "great britain": "GB"})
    return {code: tuple(found) for code, found in zones.items()}, names


def _country_code(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    if text.lower() in _US_NAMES:
        return "US"
    zones, names = _countries()
    if len(text) == 2 and text.upper() in zones:
        return text.upper()
    return names.get(text.lower())


def address_zones(address: dict[str, str]) -> list[str]:
    """The zones a postal address may be in: its US state's, or its country's (empty: it does not say)."""
    country = _country_code(address.get("country", ""))
    state = _state_of(address.get("region", ""))
    if state and country in (None, "US"):
        return list(STATE_ZONES.get(state, ()))
    if country and country != "US":
        return list(_countries()[0].get(country, ()))
    return []


def prospect_zones(card: Card) -> list[str]:
    """Every zone the prospect may be in: the card's own zone, else its address's, else its first number's.

    An address that spans zones (Florida, Canada) is narrowed by the number's
    zones where they agree: a Miami number on a Florida address is Eastern."""
    if card.time_zone:
        return [card.time_zone]
    number_zones: list[str] = []
    for number in card.phones:
        zones, _ = phone_facts(number)
        if zones:
            number_zones = list(zones)
            break
    by_address = address_zones(card.address) if card.address else []
    if by_address:
        both = [zone for zone in by_address if zone in number_zones]
        return both or by_address
    return number_zones


def _state_of(region: str) -> str | None:
    region = region.strip()
    if region.upper() in _CODES:
        return region.upper()
    return US_STATES.get(region.title())


def card_state(card: Card) -> str | None:
    """The US state whose calling rules apply: the card's address, else the first number's area code.

    An address in another country has no US state, whatever its number says."""
    state = _state_of(card.address.get("region", ""))
    if state and _country_code(card.address.get("country", "")) in (None, "US"):
        return state
    if _country_code(card.address.get("country", "")) not in (None, "US"):
        return None
    for number in card.phones:
        _, state = phone_facts(number)
        if state:
            return state
    return None
