"""A card cut down to what the numbers count, read straight from its bytes.

The Numbers screen counts every attempt on every card. Building whole
`Card`s for that cost a 10k-card box ~0.9 s and ~20 MB held for as long as
the numbers were kept; a `Counted` is read from the card's bytes by msgspec
in a few microseconds and is dropped once the ledger has its columns.

A card the fast reading refuses (an older or hand-edited shape) is read the
one careful way, `Card.from_dict`, so both ways count the same cards.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from typing import Any

import msgspec

from cardbox.core.card import Card, has_reason
from cardbox.core.stamps import parse_stamp
from cardbox.core.window import as_date, parse_iso


class Counted(msgspec.Struct, frozen=True):
    """What the numbers read of one card."""

    created: datetime
    status: str
    first_day: date | None  # of the due window; None: no window
    last_day: date | None
    has_reason: bool
    captured: bool  # captured with a window the prospect agreed
    attempts: list[tuple[datetime, str]]  # (when, outcome), in the card's order

    @property
    def outcomes(self) -> list[str]:
        return [outcome for _, outcome in self.attempts]


def counted_of_card(card: Card) -> Counted:
    due = card.due
    return Counted(
        created=card.created,
        status=sys.intern(card.status),
        first_day=due.first_day if due is not None else None,
        last_day=due.last_day if due is not None else None,
        has_reason=card.has_reason,
        captured=card.captured is not None,
        attempts=[(attempt.at, sys.intern(attempt.outcome)) for attempt in card.attempts],
    )


class _Window(msgspec.Struct):
    start: str
    end: str


class _Attempt(msgspec.Struct):
    at: str
    outcome: str


class _Card(msgspec.Struct):
    # The shape cardbox writes. Anything else (nulls, an empty window, a
    # missing field Card.from_dict tolerates) fails here and goes the careful way.
    id: int
    created: str
    updated: str
    status: str = "active"
    due: _Window | None = None
    why: str = ""
    captured: _Window | None = None
    attempts: list[_Attempt] = []


_decode = msgspec.json.Decoder(_Card).decode


def counted_of_bytes(text: bytes | msgspec.Raw) -> Counted:
    """The counted card from its JSON bytes (ValueError, KeyError or TypeError when it is damaged)."""
    try:
        card = _decode(text)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return counted_of_card(Card.from_dict(_as_dict(text)))
    due = card.due
    return Counted(
        created=parse_stamp(card.created),
        status=sys.intern(card.status),
        first_day=as_date(parse_iso(due.start)) if due is not None else None,
        last_day=as_date(parse_iso(due.end)) if due is not None else None,
        has_reason=has_reason(card.why),
        captured=card.captured is not None,
        attempts=[(parse_stamp(attempt.at), sys.intern(attempt.outcome)) for attempt in card.attempts],
    )


def _as_dict(text: bytes | msgspec.Raw) -> dict[str, Any]:
    try:
        doc = msgspec.json.decode(text)
    except msgspec.DecodeError as err:
        raise ValueError(f"the card is not JSON: {err}") from None
    if not isinstance(doc, dict):
        raise TypeError("the card is not an object")
    return doc
