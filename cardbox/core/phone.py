"""Phone numbers: checked, stored in E.164, shown the way a rep dials them.

phonenumbers (Google's libphonenumber metadata) is imported on first use:
commands that never touch a phone number do not pay for it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cardbox.core.errors import CardError

DEFAULT_REGION = "US"


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def normalize(text: str, region: str = DEFAULT_REGION) -> str:
    """The number in E.164 (+14155550123), or CardError saying what is wrong."""
    import phonenumbers

    raw = (text or "").strip()
    if not raw:
        raise CardError("the phone number is empty", field="phone")
    if len(raw) > 40:
        raise CardError(f"{raw[:40]}… is too long for a phone number", field="phone")
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise CardError(
            f"{raw!r} is not a phone number; type it as the prospect says it, e.g. (415) 555-0134 or +44 20 7946 0958", field="phone") from None
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        count = len(digits(raw))
        raise CardError(
            f"{raw!r} is not a valid number in {region} ({count} digits); check the digits, "
            "or start with + and the country code", field="phone")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    # An extension is kept, written as in tel: URIs (RFC 3966): "+14155550134;ext=22".
    return f"{e164}{EXT}{number.extension}" if number.extension else e164


EXT = ";ext="


def base(number: str) -> str:
    """The number without its extension (what is dialled first, and what time zones come from)."""
    return number.split(EXT, 1)[0]


def display(stored: str, region: str = DEFAULT_REGION) -> str:
    """National format for the rep's own country, international otherwise; "ext. 22" after it."""
    if EXT in stored:
        number, extension = stored.split(EXT, 1)
        return f"{_display(number, region)} ext. {extension}"
    return _display(stored, region)


@lru_cache(maxsize=4096)
def _display(e164: str, region: str = DEFAULT_REGION) -> str:
    if region in ("US", "CA") and len(e164) == 12 and e164.startswith("+1") and e164[1:].isdigit():
        # North America is the common case: format it without loading the
        # phone metadata (it costs a listing command ~60 ms).
        return f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}"
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@lru_cache(maxsize=65536)
def search_digits(e164: str) -> str:
    """Digits to match a typed fragment against: international and as dialled at home.

    "+44 20 7946 0958" is found by 442079460958 and by 02079460958.
    """
    e164 = base(e164)
    full = digits(e164)
    if full.startswith("1") and len(full) == 11:
        # North America, the common case, without the metadata lookup.
        return f"{full} {full[1:]}"
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return full
    national = digits(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
    return f"{full} {national}"
