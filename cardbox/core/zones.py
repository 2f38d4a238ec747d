"""Whose clock: the rep's time zone, and the prospect's, worked out from the card.

The prospect's zone comes, in this order, from an explicit zone on the card,
then the phone number through libphonenumber's time-zone data (the
`phonenumbers` package). A number can map to several zones (Alaska's 907 is
Anchorage and Adak): every candidate is kept. The state (for state calling
rules) comes from the number's geocoder description for US numbers.
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


def check_zone(name: str) -> str:
    """An IANA zone name ("America/Chicago"), or CardError saying what to type."""
    import pendulum

    try:
        pendulum.timezone(name)
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


@lru_cache(maxsize=4096)
def phone_facts(e164: str) -> tuple[tuple[str, ...], str | None]:
    """(candidate zones, US state code or None) for a number, from libphonenumber's data."""
    import phonenumbers
    from phonenumbers import geocoder, timezone

    from cardbox.core.phone import base

    try:
        number = phonenumbers.parse(base(e164))
    except phonenumbers.NumberParseException:
        return (), None
    zones = tuple(zone for zone in timezone.time_zones_for_number(number) if zone != "Etc/Unknown")
    state = None
    if number.country_code == 1:
        place = geocoder.description_for_number(number, "en")
        tail = place.rsplit(",", 1)[-1].strip()
        state = tail if tail in _CODES else US_STATES.get(place.strip())
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


def prospect_zones(card: Card) -> list[str]:
    """Every zone the prospect may be in: the card's own zone, else those of its first number."""
    if card.time_zone:
        return [card.time_zone]
    for number in card.phones:
        zones, _ = phone_facts(number)
        if zones:
            return list(zones)
    return []


def card_state(card: Card) -> str | None:
    """The US state whose calling rules apply: the card's address, else the first number's area code."""
    region = card.address.get("region", "").strip()
    if region.upper() in _CODES:
        return region.upper()
    if region.title() in US_STATES:
        return US_STATES[region.title()]
    for number in card.phones:
        _, state = phone_facts(number)
        if state:
            return state
    return None
