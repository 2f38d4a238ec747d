"""The cards table, read lazily: each card stays as its JSON bytes until it is asked for.

Parsing a 100k-card box into dicts takes ~1.7 s and ~1.4 GB; what Today,
find and the CLI need of every card is a handful of fields. So the file is
decoded with msgspec into one `Raw` (a view of the card's bytes) per card,
plus a `Head` per card holding the fields lists, sorting and search use
(~0.45 s and ~350 MB at 100k, the file's bytes included). A whole card is
parsed from its bytes when it is read, and not kept: the screens keep the
`Card` objects they use.

`CardTable` is a read-only mapping of card key -> card dict, so TinyDB and
the rest of storage see the table they always did; `with_docs` returns a new
table with some cards replaced (copy-on-write: a reader on another thread
keeps the table it started with).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

import msgspec
import orjson


class Window(msgspec.Struct, frozen=True):
    start: str = ""
    end: str = ""

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)


class Head(msgspec.Struct, frozen=True):
    """What lists, sorting, find and duplicate checks read of a card, without its history."""

    id: int
    name: str = ""
    company: str = ""
    phones: list[str] = []
    email: str = ""
    why: str = ""
    notes: str = ""
    tags: list[str] = []
    status: str = "active"
    due: Window | None = None
    updated: str = ""
    attempts: int = 0  # how many (filled in from the list's length)

    def get(self, key: str, default: Any = None) -> Any:
        """Read like the card's dict, for the fields a Head has."""
        value = getattr(self, key, default)
        return default if value is None and default is not None else value


class _HeadOnDisk(msgspec.Struct, kw_only=True):
    # The attempts list is skipped, not decoded: only its length is wanted, and
    # a Raw costs nothing but a view.
    id: int
    name: str = ""
    company: str | None = ""
    phones: list[str] | None = None
    email: str | None = ""
    why: str | None = ""
    notes: str | None = ""
    tags: list[str] | None = None
    status: str | None = "active"
    due: Window | None = None
    created: str  # a card without its stamps is damaged
    updated: str
    attempts: msgspec.Raw = msgspec.Raw(b"[]")  # (a Raw cannot be in a union with None)


# Not strict: an id written as "12" is card 12, as Card.from_dict reads it.
_decode_head = msgspec.json.Decoder(_HeadOnDisk, strict=False).decode
_decode_list = msgspec.json.Decoder(list[msgspec.Raw]).decode


def head_of(raw: bytes | msgspec.Raw) -> Head | None:
    """The card's Head, or None when its bytes are not a card (damaged)."""
    try:
        disk = _decode_head(raw)
        count = len(_decode_list(disk.attempts)) if memoryview(disk.attempts)[:1] == b"[" else 0
        datetime.fromisoformat(disk.created)
        datetime.fromisoformat(disk.updated)
        if disk.due is not None:
            due_start, due_end = disk.due.start, disk.due.end
            (datetime if "T" in due_start else date).fromisoformat(due_start)
            (datetime if "T" in due_end else date).fromisoformat(due_end)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError):
        return None
    return Head(
        id=disk.id, name=disk.name, company=disk.company or "", phones=disk.phones or [], email=disk.email or "",
        why=disk.why or "", notes=disk.notes or "", tags=disk.tags or [], status=disk.status or "active", due=disk.due,
        updated=disk.updated, attempts=count,
    )


def head_of_doc(doc: dict[str, Any]) -> Head | None:
    """The Head of a card held as a dict (a change not yet written to the box file)."""
    return head_of(orjson.dumps(doc))


class CardTable(Mapping[str, dict[str, Any]]):
    """Card key -> card dict, parsed from the file's bytes on each read."""

    __slots__ = ("_entries", "_heads")

    def __init__(self, entries: dict[str, msgspec.Raw | dict[str, Any]], heads: dict[str, Head | None] | None = None) -> None:
        self._entries = entries
        if heads is None:
            heads = {key: head_of(entry) if isinstance(entry, msgspec.Raw) else head_of_doc(entry) for key, entry in entries.items()}
        self._heads = heads

    def __getitem__(self, key: str) -> dict[str, Any]:
        entry = self._entries[key]
        if isinstance(entry, msgspec.Raw):
            return orjson.loads(memoryview(entry))
        return entry

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def token(self, key: str) -> object:
        """An object that stays the same while the card does (for caches)."""
        return self._entries[key]

    def entry(self, key: str) -> msgspec.Raw | dict[str, Any]:
        return self._entries[key]

    @property
    def heads(self) -> Mapping[str, Head | None]:
        return self._heads

    def with_docs(self, docs: Mapping[str, dict[str, Any] | None]) -> CardTable:
        entries = dict(self._entries)
        heads = dict(self._heads)
        for key, doc in docs.items():
            if doc is None:
                entries.pop(key, None)
                heads.pop(key, None)
            else:
                entries[key] = doc
                heads[key] = head_of_doc(doc)
        return CardTable(entries, heads)

    def encoded_items(self, keys: list[str]) -> bytes:
        """`"key":card,…` for these keys, the cards' own bytes where they are unchanged."""
        return msgspec.json.encode({key: self._entries[key] for key in keys})[1:-1]


def decode_cards(raw_table: dict[str, msgspec.Raw]) -> CardTable:
    return CardTable(dict(raw_table))
