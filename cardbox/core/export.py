"""Cards out of the box: CSV for a spreadsheet, JSON of everything, iCalendar for the calendar, vCard for the phone.

Plain functions of the cards (no screen). Calendar and contact files are
written with the `icalendar` and `vobject` libraries, never string-built:
their escaping and line folding are easy to get wrong. A do-not-call card
(marked so, or with a number on the list) is never exported as a callback.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from cardbox.core import outcomes
from cardbox.core.card import Card
from cardbox.core.stamps import minute_stamp

FORMATS: tuple[str, ...] = ("csv", "json", "ics", "vcf")

CSV_COLUMNS: tuple[str, ...] = (
    "id", "name", "company", "phones", "email", "emails", "street", "city", "region", "postal_code", "country", "status", "when", "when_start", "when_end", "why", "notes", "tags",
    "time_zone", "created", "updated", "attempts", "last_outcome", "last_attempt", "history",
)
# Several values in one cell (phones, tags): joined so a spreadsheet keeps them in one column.
MULTI = " ; "


def _stamp(value: date | datetime | None) -> str:
    if value is None:
        return ""
    # With the offset, like the box itself: a spreadsheet elsewhere still means the same instant.
    return minute_stamp(value) if isinstance(value, datetime) else value.isoformat()


def to_csv(cards: Iterable[Card]) -> bytes:
    """One row a card, UTF-8 with a byte-order mark so Excel reads accents; the history summarised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for card in cards:
        last = card.attempts[-1] if card.attempts else None
        history = " | ".join(
            f"{attempt.at:%Y-%m-%d %H:%M} {attempt.channel} {outcomes.words(attempt.outcome)}" + (f": {attempt.note}" if attempt.note else "")
            for attempt in card.attempts
        )
        writer.writerow([
            card.id, card.name, card.company, MULTI.join(card.phones), card.email, MULTI.join(card.emails),
            *(card.address.get(part, "") for part in ("street", "city", "region", "postal_code", "country")), card.status,
            card.due.phrase if card.due else "", _stamp(card.due.start) if card.due else "", _stamp(card.due.end) if card.due else "",
            card.why, card.notes, MULTI.join(card.tags), card.time_zone, _stamp(card.created), _stamp(card.updated),
            len(card.attempts), last.outcome if last else "", _stamp(last.at) if last else "", history,
        ])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def to_json(cards: Iterable[Card], sessions: Iterable[dict[str, Any]] = (), dnc: Iterable[dict[str, Any]] = ()) -> bytes:
    """The whole box: cards with their full history, the sessions, the do-not-call list."""
    return json.dumps(
        {"cards": [card.to_dict() for card in cards], "sessions": list(sessions), "dnc": list(dnc)},
        indent=2, ensure_ascii=False,
    ).encode("utf-8")


def to_ics(cards: Iterable[Card], now: datetime, blocked: Callable[[Card], bool], rep_zone: str = "") -> bytes:
    """One event per active callback with a window (RFC 5545): timed ones at their time, windows all-day.

    Each event's UID is the card's, so importing a later export updates the
    event instead of adding a second one."""
    from icalendar import Calendar, Event, vText

    calendar = Calendar()
    calendar.add("prodid", "-//cardbox//callbacks//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "cardbox callbacks")
    for card in cards:
        if card.due is None or card.status not in ("active", "nurture") or blocked(card):
            continue
        event = Event()
        event.add("uid", f"card-{card.id}@cardbox")
        event.add("dtstamp", _aware(now, rep_zone))
        title = f"Call back: {card.name}" + (f" ({card.company})" if card.company else "")
        event.add("summary", title)
        window = card.due
        if isinstance(window.start, datetime) and isinstance(window.end, datetime):
            start = _aware(window.start, rep_zone)
            end = _aware(window.end, rep_zone) if window.end > window.start else start + timedelta(minutes=15)
            event.add("dtstart", start)
            event.add("dtend", end)
        else:
            event.add("dtstart", window.first_day)
            event.add("dtend", window.last_day + timedelta(days=1))  # all-day events end the day after
        lines = [f"Why: {card.why}" if card.why else "No reason given — ask why.", f"When they said: “{window.phrase}”"]
        lines += [f"Phone: {number} (tel:{number})" for number in card.phones]
        if card.notes:
            lines.append(f"Notes: {card.notes}")
        event.add("description", "\n".join(lines))
        if card.phones:
            event.add("url", f"tel:{card.phones[0]}")
            event.add("location", vText(card.phones[0]))
        calendar.add_component(event)
    return calendar.to_ical()


def _aware(moment: datetime, zone: str) -> datetime:
    if not zone:
        return moment
    from zoneinfo import ZoneInfo

    return moment.replace(tzinfo=ZoneInfo(zone))


def to_vcf(cards: Iterable[Card]) -> bytes:
    """vCard 3.0 contacts for a phone: name, company, numbers, email, and the why in the note."""
    import vobject

    out = []
    for card in cards:
        contact = vobject.vCard()
        contact.add("fn").value = card.name
        first, _, last = card.name.rpartition(" ")
        contact.add("n").value = vobject.vcard.Name(family=last or card.name, given=first)
        if card.company:
            contact.add("org").value = [card.company]
        for number in card.phones:
            tel = contact.add("tel")
            tel.value = number
            tel.type_param = "WORK"
        for email in (card.email, *card.emails):
            if email:
                contact.add("email").value = email
        if card.address:
            adr = contact.add("adr")
            adr.value = vobject.vcard.Address(street=card.address.get("street", ""), city=card.address.get("city", ""),
                                              region=card.address.get("region", ""), code=card.address.get("postal_code", ""),
                                              country=card.address.get("country", ""))
        note = " — ".join(part for part in (card.why, card.notes) if part)
        if note:
            contact.add("note").value = note
        contact.add("uid").value = f"card-{card.id}@cardbox"
        out.append(contact.serialize())
    return "".join(out).encode("utf-8")


def export_box(box: Any, fmt: str, cards: list[Card], now: datetime, rep_zone: str) -> bytes:
    """`cards` of `box` in format `fmt` (one of FORMATS): what the shell and the app both write."""
    if fmt == "csv":
        return to_csv(cards)
    if fmt == "ics":
        return to_ics(cards, now, lambda card: bool(box.block_reason(card)), rep_zone)
    if fmt == "vcf":
        return to_vcf(cards)
    if fmt == "json":
        return to_json(cards, [s.to_dict() for s in box.sessions.all()], box.dnc_numbers().values())
    raise ValueError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
