"""Cards out of the box: CSV for a spreadsheet, JSON of everything, iCalendar for the calendar, vCard for the phone.

Plain functions of the cards (no screen). Calendar and contact files are
written with the `icalendar` and `vobject` libraries, never string-built:
their escaping and line folding are easy to get wrong. A do-not-call card
(marked so, or with a number on the list) is never exported as a callback,
and leaves the box as a contact (CSV, vCard) only when asked for by status,
marked. A card that stops being a callback (do not call, won, not now,
deleted) goes out in the calendar file as a cancelled event under its UID,
so a calendar that imported an earlier export drops it.
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
    "time_zone", "created", "updated", "attempts", "last_outcome", "last_attempt", "history", "do_not_call",
)
# Several values in one cell (phones, tags): joined so a spreadsheet keeps them in one column.
MULTI = " ; "


def _stamp(value: date | datetime | None) -> str:
    if value is None:
        return ""
    # With the offset, like the box itself: a spreadsheet elsewhere still means the same instant.
    return minute_stamp(value) if isinstance(value, datetime) else value.isoformat()


# A cell a spreadsheet would run as a formula (OWASP's CSV injection: =1+1, =HYPERLINK(…), +cmd|…, @SUM(…), and a
# leading tab or CR): written with a leading apostrophe, so it is shown as the text it is. cardbox's own import
# takes the apostrophe off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(cards: Iterable[Card], blocked: Callable[[Card], str] = lambda card: "") -> bytes:
    """One row a card, UTF-8 with a byte-order mark so Excel reads accents; the history summarised.
    A do-not-call card says why in its last column."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for card in cards:
        last = card.attempts[-1] if card.attempts else None
        history = " | ".join(
            f"{attempt.at:%Y-%m-%d %H:%M} {attempt.channel} {outcomes.words(attempt.outcome)}" + (f": {attempt.note}" if attempt.note else "")
            for attempt in card.attempts
        )
        writer.writerow([as_text_cell(cell) for cell in [
            card.id, card.name, card.company, MULTI.join(card.phones), card.email, MULTI.join(card.emails),
            *(card.address.get(part, "") for part in ("street", "city", "region", "postal_code", "country")), card.status,
            card.due.phrase if card.due else "", _stamp(card.due.start) if card.due else "", _stamp(card.due.end) if card.due else "",
            card.why, card.notes, MULTI.join(card.tags), card.time_zone, _stamp(card.created), _stamp(card.updated),
            len(card.attempts), last.outcome if last else "", _stamp(last.at) if last else "", history, blocked(card),
        ]])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def to_json(cards: Iterable[Card], sessions: Iterable[dict[str, Any]] = (), dnc: Iterable[dict[str, Any]] = ()) -> bytes:
    """The whole box: cards with their full history, the sessions, the do-not-call list."""
    return json.dumps(
        {"cards": [card.to_dict() for card in cards], "sessions": list(sessions), "dnc": list(dnc)},
        indent=2, ensure_ascii=False,
    ).encode("utf-8")


# SEQUENCE counts minutes from here: a card's every change (and a deletion, dated by the export) comes later.
_EPOCH = datetime(2020, 1, 1)


def _sequence(moment: datetime) -> int:
    return max(0, int((moment - _EPOCH).total_seconds() // 60))


def is_callback(card: Card, blocked: Callable[[Card], bool]) -> bool:
    """A card the calendar shows as a callback: dated, still being worked, callable."""
    return card.due is not None and card.status in ("active", "nurture") and not blocked(card)


def uid_of(card_id: int, box_id: str = "") -> str:
    """An event's or a contact's UID: the card's, within its box (two boxes' exports never overwrite each other's
    events in one calendar); a box without an id yet keeps the older form."""
    return f"card-{card_id}-{box_id}@cardbox" if box_id else f"card-{card_id}@cardbox"


def to_ics(cards: Iterable[Card], now: datetime, blocked: Callable[[Card], bool], rep_zone: str = "",
           gone: Iterable[int] = (), box_id: str = "") -> bytes:
    """One event per active callback with a window (RFC 5545): timed ones at their time, windows all-day.

    Each event's UID is the card's, so importing a later export updates the
    event instead of adding a second one; its SEQUENCE grows with every change
    to the card. A card that is no longer a callback (do not call, won, not
    now, deleted: the ids in `gone`) is written as a cancelled event with the
    same UID and a higher SEQUENCE, so the calendar drops it."""
    from icalendar import Calendar, Event, vText

    calendar = Calendar()
    calendar.add("prodid", "-//cardbox//callbacks//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "cardbox callbacks")
    for card in cards:
        window = card.due or card.captured
        if window is None and not card.attempts:
            continue  # never a callback: nothing a calendar could hold
        event = Event()
        event.add("uid", uid_of(card.id, box_id))
        event.add("dtstamp", _aware(now, rep_zone))
        event.add("sequence", _sequence(card.updated))
        if not is_callback(card, blocked):
            # No name, number or note on a cancelled event: a do-not-call card's details do not travel.
            event.add("summary", "Cancelled callback")
            event.add("status", "CANCELLED")
            event.add("dtstart", window.first_day if window is not None else card.updated.date())
            calendar.add_component(event)
            continue
        assert card.due is not None
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
        lines = [f"Why: {card.why}" if card.why else "No reason given — ask why."]
        agreed = card.agreed
        if agreed is not None and agreed.phrase:
            lines.append(f"When they said: “{agreed.phrase}”")  # their words, never cardbox's re-file wording
        if card.agreed_differs:
            lines.append(f"Re-filed by cardbox to: {window.label or window.phrase}")
        lines += [f"Phone: {number} (tel:{number})" for number in card.phones]
        if card.notes:
            lines.append(f"Notes: {card.notes}")
        event.add("description", "\n".join(lines))
        if card.phones:
            event.add("url", f"tel:{card.phones[0]}")
            event.add("location", vText(card.phones[0]))
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    for card_id in gone:
        event = Event()
        event.add("uid", uid_of(card_id, box_id))
        event.add("dtstamp", _aware(now, rep_zone))
        event.add("sequence", _sequence(now))
        event.add("summary", "Cancelled callback")
        event.add("status", "CANCELLED")
        event.add("dtstart", now.date())
        calendar.add_component(event)
    # A VTIMEZONE for every TZID an event names: without one a calendar may show the wrong hour.
    calendar.add_missing_timezones()
    written: bytes = calendar.to_ical()
    return written


def _aware(moment: datetime, zone: str) -> datetime:
    if not zone:
        return moment
    from zoneinfo import ZoneInfo

    return moment.replace(tzinfo=ZoneInfo(zone))


def to_vcf(cards: Iterable[Card], blocked: Callable[[Card], str] = lambda card: "", box_id: str = "") -> bytes:
    """vCard 3.0 contacts for a phone: name, company, numbers, email, and the why in the note.
    A do-not-call card is marked where a phone shows it: in the name, the note and its category."""
    import vobject

    out = []
    for card in cards:
        contact = vobject.vCard()
        block = blocked(card)
        contact.add("fn").value = f"{card.name} (DO NOT CALL)" if block else card.name
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
        note = " — ".join(part for part in (f"DO NOT CALL: {block}" if block else "", card.why, card.notes) if part)
        if note:
            contact.add("note").value = note
        categories = [*card.tags, *(["do-not-call"] if block else [])]
        if categories:
            contact.add("categories").value = categories
        # cardbox's own fields, so its import reads the card back as it was (other programs keep or ignore them).
        own = {"x-cardbox-name": card.name, "x-cardbox-status": card.status, "x-cardbox-why": card.why,
               "x-cardbox-notes": card.notes, "x-cardbox-tz": card.time_zone}
        if card.due is not None:
            window = card.due.to_dict()
            own.update({"x-cardbox-when": card.due.phrase, "x-cardbox-when-start": window["start"],
                        "x-cardbox-when-end": window["end"], "x-cardbox-when-grain": card.due.grain})
        for key, value in own.items():
            if value:
                contact.add(key).value = value
        contact.add("uid").value = uid_of(card.id, box_id)
        out.append(contact.serialize())
    return "".join(out).encode("utf-8")


def select(box: Any, cards: Iterable[Card], statuses: Iterable[str] = ()) -> list[Card]:
    """The cards an export writes: those of the statuses asked for (all when none). A do-not-call card (marked, or
    a number on the list) is left out unless "do-not-call" is asked for by name; then it goes out, marked."""
    wanted = set(statuses)
    with_blocked = "do-not-call" in wanted
    chosen = []
    for card in cards:
        blocked = bool(box.block_reason(card))
        if blocked and not with_blocked:
            continue
        if wanted and card.status not in wanted and not (blocked and with_blocked):
            continue
        chosen.append(card)
    return chosen


def chosen_cards(box: Any, fmt: str, cards: Iterable[Card], statuses: Iterable[str] = ()) -> list[Card]:
    """The cards an export of `fmt` writes: `select`'s for contacts and spreadsheets; for the whole box (json) and the
    calendar (where a card no longer a callback goes out cancelled) every card of the statuses asked for."""
    statuses = tuple(statuses)
    if fmt in ("csv", "vcf"):
        return select(box, cards, statuses)
    return [card for card in cards if not statuses or card.status in statuses]


def export_box(box: Any, fmt: str, cards: list[Card], now: datetime, rep_zone: str, statuses: Iterable[str] = ()) -> bytes:
    """`cards` of `box` in format `fmt` (one of FORMATS): what the shell and the app both write.
    The calendar also cancels the deleted cards' events when no status is asked for."""
    statuses = tuple(statuses)
    chosen = chosen_cards(box, fmt, cards, statuses)
    if fmt == "ics":
        return to_ics(chosen, now, lambda card: bool(box.block_reason(card)), rep_zone, () if statuses else box.gone_ids(),
                      box.box_id())
    if fmt == "json":
        return to_json(chosen, [s.to_dict() for s in box.sessions.all()], box.dnc_numbers().values())
    if fmt == "csv":
        return to_csv(chosen, box.block_reason)
    if fmt == "vcf":
        return to_vcf(chosen, box.block_reason, box.box_id())
    raise ValueError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
