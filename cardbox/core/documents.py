"""The box file's documents as cardbox writes them: one TypedDict each, so a field misspelt or of the wrong kind
is a type error where it is written.

What is read back is untrusted (a hand edit, another program, a torn line) and
is typed as a plain mapping until each field is checked (Card.from_dict,
Session.from_dict): these types say what cardbox writes, never what a file holds.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict, cast


class WindowDoc(TypedDict):
    start: str  # "2027-01-21", or "2026-11-23T16:00-05:00" for a time
    end: str
    grain: str
    phrase: str  # the prospect's own words
    label: str


class AttemptDoc(TypedDict):
    at: str
    channel: str
    outcome: str
    note: str
    next: WindowDoc | None


class CardDoc(TypedDict):
    id: int
    name: str
    company: str
    phones: list[str]
    email: str
    due: WindowDoc | None
    why: str
    notes: str
    tags: list[str]
    status: str
    attempts: list[AttemptDoc]
    captured: WindowDoc | None
    created: str
    updated: str
    time_zone: NotRequired[str]
    emails: NotRequired[list[str]]
    address: NotRequired[dict[str, str]]


class TickDoc(TypedDict):
    at: str
    kind: str
    count: int


class PauseDoc(TypedDict):
    start: str
    end: str | None


class SessionDoc(TypedDict):
    id: int
    started: str
    stopped: str | None
    pauses: list[PauseDoc]
    ticks: list[TickDoc]


def stored(doc: CardDoc | SessionDoc) -> dict[str, Any]:
    """The document as the storage keeps any box document: plain JSON (the storage knows tables, not cards)."""
    return cast(dict[str, Any], doc)
