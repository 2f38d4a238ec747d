"""The index card: one prospect, their callback window and their history.

History is append-only: logging an outcome adds an `Attempt` and never
rewrites an earlier one, so a card always tells the whole story
("Jan: moved it to spring, call early May" → "May: appointment set").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, cast

from cardbox.core.documents import AttemptDoc, CardDoc
from cardbox.core.errors import CardError
from cardbox.core.outcomes import AGREES_WINDOW, CHANNELS, OUTCOMES, STATUSES, reached, unanswered_streak
from cardbox.core.phone import normalize
from cardbox.core.stamps import parse_stamp, stamp
from cardbox.core.text import strip_controls
from cardbox.core.window import DueWindow

__all__ = ["CHANNELS", "OUTCOMES", "STATUSES", "Attempt", "Card", "CardError", "clean_tags", "clean_text", "parse_stamp", "stamp"]

# Outcome facts live in cardbox.core.outcomes; these names are re-exported
# for the modules that read a card.
# Limits keep one pasted novel from bloating the box file; they are far
# above anything a rep types on a call.
MAX_NAME = 200
MAX_TEXT = 20_000
MAX_TAGS = 50


@dataclass(frozen=True, slots=True)
class Attempt:
    """One touch on a card: a call, a voicemail, an email … and how it went."""

    at: datetime
    channel: str
    outcome: str
    note: str = ""
    # Where the card was re-filed to by this attempt, so the history reads
    # "no answer → re-filed to Tue 24 Nov".
    next: DueWindow | None = None

    def to_dict(self) -> AttemptDoc:
        return {
            "at": stamp(self.at),
            "channel": self.channel,
            "outcome": self.outcome,
            "note": self.note,
            "next": self.next.to_dict() if self.next else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Attempt:
        if not isinstance(data, dict):
            raise TypeError(f"an attempt is {type(data).__name__}, not a table")
        outcome = data["outcome"]
        if not isinstance(outcome, str):
            raise TypeError("an attempt's outcome is not text")
        return cls(
            at=parse_stamp(_stamp_text(data, "at")),
            channel=_text(data, "channel") or "call",
            outcome=outcome,
            note=_text(data, "note"),
            next=_window(data.get("next"), "next"),
        )


def has_reason(why: str) -> bool:
    # A callback with no reason is most likely a brush-off.
    return bool(why.strip())


def is_callback(captured: object, outcome_names: Iterable[str]) -> bool:
    """A prospect agreed a window (captured) or was reached: a callback. Otherwise a lead nobody has spoken to
    (an import, mostly), for whom "no reason given" says nothing."""
    return bool(captured) or any(reached(name) for name in outcome_names)


@dataclass(frozen=True, slots=True)
class Card:
    id: int
    name: str
    created: datetime
    updated: datetime
    company: str = ""
    phones: tuple[str, ...] = ()
    email: str = ""
    due: DueWindow | None = None
    why: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()
    status: str = "active"
    attempts: tuple[Attempt, ...] = ()
    # The window the prospect agreed when the card was captured (None: captured
    # without a date), so the numbers can tell an agreed callback from a
    # cool-down re-file long after the card moved on.
    captured: DueWindow | None = None
    # The prospect's time zone when the rep set it (an IANA name); empty: worked out from the number.
    time_zone: str = ""
    # More addresses than the one in `email` (imports bring several), and the
    # postal address (street, city, region, postal_code, country).
    emails: tuple[str, ...] = ()
    address: dict[str, str] = field(default_factory=dict, compare=False)
    # Keys written by a newer cardbox are kept and written back untouched.
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    # -- derived facts the screens and the CLI show ------------------------

    @property
    def unanswered_streak(self) -> int:
        """How many attempts in a row, newest back, went unanswered."""
        return unanswered_streak([attempt.outcome for attempt in self.attempts])

    @property
    def agreed(self) -> DueWindow | None:
        """The last window the prospect asked for in their own words ("after the holidays").

        A cool-down after a no-answer re-files the card but is not what they
        said; this keeps that in view."""
        for attempt in reversed(self.attempts):
            if attempt.outcome in AGREES_WINDOW and attempt.next is not None:
                return attempt.next
        return self.captured

    @property
    def agreed_differs(self) -> bool:
        """The card is filed somewhere other than where the prospect asked (a cool-down moved it)."""
        agreed = self.agreed
        return agreed is not None and self.due is not None and (agreed.start, agreed.end) != (self.due.start, self.due.end)

    @property
    def has_reason(self) -> bool:
        return has_reason(self.why)

    @property
    def is_lead(self) -> bool:
        """Nobody has spoken to them yet and no window was agreed (see is_callback)."""
        return not is_callback(self.captured, (attempt.outcome for attempt in self.attempts))

    def with_changes(self, **changes: Any) -> Card:
        return replace(self, **changes)

    # -- the data file form -------------------------------------------------

    def to_dict(self) -> CardDoc:
        data: CardDoc = {
                "id": self.id,
                "name": self.name,
                "company": self.company,
                "phones": list(self.phones),
                "email": self.email,
                "due": self.due.to_dict() if self.due else None,
                "why": self.why,
                "notes": self.notes,
                "tags": list(self.tags),
                "status": self.status,
                "attempts": [a.to_dict() for a in self.attempts],
                "captured": self.captured.to_dict() if self.captured else None,
                "created": stamp(self.created),
                "updated": stamp(self.updated),
        }
        if self.time_zone:
            data["time_zone"] = self.time_zone
        if self.emails:
            data["emails"] = list(self.emails)
        if self.address:
            data["address"] = dict(self.address)
        if self.extra:
            # Fields a newer cardbox or a hand edit added are kept as they were, beneath cardbox's own.
            return cast(CardDoc, {**self.extra, **data})
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Card:
        """A card from the file. Every field is checked for its kind: a card that is damaged (a number where a
        name goes, "none" for the attempts) raises TypeError and is left as it is, never half-read or mangled."""
        known = {
            "id", "name", "company", "phones", "email", "due", "why", "notes",
            "tags", "status", "attempts", "created", "updated", "captured", "time_zone", "emails", "address",
        }
        if not isinstance(data, dict):
            raise TypeError("not a card")
        card_id = data["id"]
        if isinstance(card_id, bool) or not isinstance(card_id, int | str):
            raise TypeError(f"its id is {type(card_id).__name__}, not a number")
        due = data.get("due")
        captured = data.get("captured")
        attempts = data.get("attempts") or []
        if not isinstance(attempts, list):
            raise TypeError(f"its attempts are {type(attempts).__name__}, not a list")
        address = data.get("address")
        if address is not None and not isinstance(address, dict):
            raise TypeError(f"its address is {type(address).__name__}, not a table")
        return cls(
            id=int(card_id),
            name=_text(data, "name"),
            company=_text(data, "company"),
            phones=_texts(data, "phones"),
            email=_text(data, "email"),
            due=_window(due, "due"),
            why=_text(data, "why"),
            notes=_text(data, "notes"),
            tags=_texts(data, "tags"),
            status=_text(data, "status") or "active",
            attempts=tuple(Attempt.from_dict(a) for a in attempts),
            captured=_window(captured, "captured"),
            time_zone=_text(data, "time_zone"),
            emails=tuple(e for e in _texts(data, "emails") if e),
            address=_address(address),
            created=parse_stamp(_stamp_text(data, "created")),
            updated=parse_stamp(_stamp_text(data, "updated")),
            extra={k: v for k, v in data.items() if k not in known},
        )


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"its {key} is {type(value).__name__}, not text")
    return value


def _texts(data: dict[str, Any], key: str) -> tuple[str, ...]:
    """A list of text (never a string taken apart letter by letter: "abc" is not three tags)."""
    value = data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"its {key} are {type(value).__name__}, not a list of text")
    return tuple(value)


def _stamp_text(data: dict[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise TypeError(f"its {key} is {type(value).__name__}, not a date and time")
    return value


def _window(value: Any, key: str) -> DueWindow | None:
    if not value:
        return None
    if not isinstance(value, dict):
        raise TypeError(f"its {key} is {type(value).__name__}, not a window")
    return DueWindow.from_dict(value)


def card_damage(raw: object) -> str | None:
    """What makes a card in the file unreadable, or None. A quick look at the
    shape (a few microseconds a card), so a whole box can be checked before
    a write; building the card is the full check."""
    if not isinstance(raw, dict):
        return "not a card"
    try:
        int(raw["id"])
        for stamp in ("created", "updated"):
            datetime.fromisoformat(raw[stamp])
        for attempt in raw.get("attempts") or ():
            if not isinstance(attempt, dict) or not isinstance(attempt.get("outcome"), str):
                return "an attempt without an outcome"
            datetime.fromisoformat(attempt["at"])
        for window in (raw.get("due"), raw.get("captured")):
            if window and not (isinstance(window, dict) and isinstance(window.get("start"), str) and isinstance(window.get("end"), str)):
                return "a window without a start and an end"
    except KeyError as err:
        return f"no {err.args[0]!r}"
    except (TypeError, ValueError) as err:
        return str(err)
    return None


ADDRESS_PARTS: tuple[str, ...] = ("street", "city", "region", "postal_code", "country")


def clean_email(value: str) -> str:
    email = clean_text(value, "the email", 254, field="email")
    if email and ("@" not in email or " " in email or email.startswith("@") or email.endswith("@")):
        raise CardError(f"{email!r} is not an email address; it should look like name@example.com", field="email")
    return email


def _address(raw: object) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {str(k): str(v) for k, v in raw.items() if k in ADDRESS_PARTS and v}


def address_text(address: dict[str, str]) -> str:
    """One line: "1 Main St, Springfield, IL 62701, US"."""
    region = " ".join(part for part in (address.get("region", ""), address.get("postal_code", "")) if part)
    return ", ".join(part for part in (address.get("street", ""), address.get("city", ""), region, address.get("country", "")) if part)


def clean_text(value: str | None, what: str, limit: int = MAX_TEXT, *, field: str | None = None) -> str:
    """Strip a field and refuse what no rep would type on purpose."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    # Control characters (other than newline and tab), C0 and C1 alike, come
    # from pasted binary or terminal junk; a terminal may even act on them, and
    # bidi overrides make text read other than it is. Lone surrogates cannot
    # be written as UTF-8 at all: dropped here rather than fail at save time.
    text = strip_controls(text).strip()
    if len(text) > limit:
        raise CardError(f"too long: {len(text):,} characters in {what}, and at most {limit:,} fit; shorten it", field=field)
    return text


def clean_tags(tags: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    seen: list[str] = []
    for tag in tags:
        tag = clean_text(tag, "a tag", 60, field="tags").lower().replace(" ", "-").lstrip("#")
        if tag and tag not in seen:
            seen.append(tag)
    if len(seen) > MAX_TAGS:
        raise CardError(f"{len(seen)} tags are too many; keep it under {MAX_TAGS}", field="tags")
    return tuple(seen)


def clean_fields(
    name: str,
    *,
    company: str = "",
    phones: Iterable[str] = (),
    email: str = "",
    why: str = "",
    notes: str = "",
    tags: Iterable[str] = (),
    region: str = "US",
) -> dict[str, Any]:
    """Clean and check what a rep typed for a card; CardError names the first bad field."""
    clean_name = clean_text(name, "the name", MAX_NAME, field="name")
    if not clean_name:
        raise CardError("a card needs a name (the prospect's or the company's)", field="name")
    normal_phones = []
    for number in phones:
        if number and number.strip():
            e164 = normalize(number, region)
            if e164 not in normal_phones:
                normal_phones.append(e164)
    first_email = clean_email(email)
    return {
        "name": clean_name,
        "company": clean_text(company, "the company", MAX_NAME, field="company"),
        "phones": tuple(normal_phones),
        "email": first_email,
        "why": clean_text(why, "the reason", field="why"),
        "notes": clean_text(notes, "the notes", field="notes"),
        "tags": clean_tags(list(tags)),
    }
