"""Whose clock a phrase's time is on: "Thursday 8:00 PST", "at 4 their time", "3 my time".

Without a zone word, a time is the prospect's when the card has a zone (a
San Francisco card's "tomorrow at 4" is 4 p.m. Pacific), else the rep's.
Reps say "EST" all year for New York time, so zone words name the place's
zone (with its daylight saving), not a fixed offset.
"""

from __future__ import annotations

import re

ZONE_WORDS: dict[str, str] = {
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York", "eastern": "America/New_York",
    "ct": "America/Chicago", "cst": "America/Chicago", "cdt": "America/Chicago", "central": "America/Chicago",
    "mt": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver", "mountain": "America/Denver",
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "pacific": "America/Los_Angeles",
    "akst": "America/Anchorage", "akdt": "America/Anchorage", "alaska": "America/Anchorage",
    "hst": "Pacific/Honolulu", "hawaii": "Pacific/Honolulu",
    "gmt": "UTC", "utc": "UTC", "bst": "Europe/London", "uk": "Europe/London",
    "cet": "Europe/Paris", "cest": "Europe/Paris",
}
REP = "rep"
PROSPECT = "prospect"
# Whose clock "my time" / "your time" names depends on who is speaking: in a card's window field the words
# are the prospect's as the rep heard them ("call me at 4 my time": the prospect's clock; "4 your time": the
# rep's); in `cardbox when`, with no card, they are the rep's own.
_PRONOUNS = {
    PROSPECT: {"my": PROSPECT, "our": PROSPECT, "your": REP, "their": PROSPECT, "his": PROSPECT, "her": PROSPECT},
    REP: {"my": REP, "our": REP, "your": PROSPECT, "their": PROSPECT, "his": PROSPECT, "her": PROSPECT},
}

_WORD = "|".join(sorted(ZONE_WORDS, key=len, reverse=True))
# The zone word at the end, or right after a time ("9:30 - 11:00 CST", "Thursday 8:00 PST").
_ZONE = re.compile(rf"(?<![\w])({_WORD})(?:\s+time)?(?![\w])", re.IGNORECASE)
_WHOSE = re.compile(r"\b(my|your|our|their|his|her)\s+time\b", re.IGNORECASE)


def split_zone(text: str, speaker: str = PROSPECT) -> tuple[str, str | None]:
    """The phrase without its zone words, and whose clock it names: an IANA zone, REP, PROSPECT or None.
    `speaker` says whose words they are (PROSPECT in a card's field, REP in `cardbox when`)."""
    whose = _WHOSE.search(text)
    if whose:
        rest = (text[: whose.start()] + text[whose.end():]).strip(" ,")
        return " ".join(rest.split()), _PRONOUNS[speaker][whose.group(1).lower()]
    zone = None
    for match in list(_ZONE.finditer(text)):
        zone = ZONE_WORDS[match.group(1).lower()]
    if zone is None:
        return text, None
    rest = _ZONE.sub(" ", text)
    return " ".join(rest.split()).strip(" ,"), zone
