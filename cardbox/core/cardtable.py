"""The cards table, read lazily: each card stays as its JSON bytes until it is asked for.

Parsing a 100k-card box into dicts takes ~1.7 s and ~1.4 GB; what Today,
find and the CLI need of every card is a handful of fields. So the file is
decoded with msgspec twice over: once into one `Raw` per card (a view of the
card's bytes, no copy), once into a `Head` per card holding the fields that
lists, sorting and search use (both ~0.45 s and ~350 MB at 100k, the file's
bytes included). A whole card is parsed from its bytes when it is read, and
not kept: the screens keep the `Card` objects they use.

`CardTable` is a read-only mapping of card key -> card dict, so TinyDB and
the rest of storage see the table they always did. `with_docs` returns a new
table with some cards replaced, without copying the rest: the changes sit in
a small overlay on a shared base (copied together now and then), so a change
costs the same in a box of 100 or of 100k cards, and a reader on another
thread keeps the table it started with.
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


class Head(msgspec.Struct, frozen=True, kw_only=True):
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
    created: str  # a card without its stamps is damaged
    updated: str


class _LenientHead(msgspec.Struct, kw_only=True):
    # What an older or hand-edited card may hold: nulls where text belongs.
    id: int
    name: str | None = ""
    company: str | None = ""
    phones: list[str] | None = None
    email: str | None = ""
    why: str | None = ""
    notes: str | None = ""
    tags: list[str] | None = None
    status: str | None = "active"
    due: Window | None = None
    created: str
    updated: str


class _Cards(msgspec.Struct):
    cards: dict[str, Head] = {}


class _Attempts(msgspec.Struct):
    attempts: list[msgspec.Raw] | None = None


# Not strict: an id written as "12" is card 12, as Card.from_dict reads it.
_decode_all_heads = msgspec.json.Decoder(_Cards, strict=False).decode
_decode_head = msgspec.json.Decoder(Head, strict=False).decode
_decode_lenient = msgspec.json.Decoder(_LenientHead, strict=False).decode
_decode_attempts = msgspec.json.Decoder(_Attempts).decode


def _stamps_read(head: Head) -> bool:
    try:
        datetime.fromisoformat(head.created)
        datetime.fromisoformat(head.updated)
        if head.due is not None:
            for value in (head.due.start, head.due.end):
                (datetime if "T" in value else date).fromisoformat(value)
    except ValueError:
        return False
    return True


def head_of(raw: bytes | msgspec.Raw) -> Head | None:
    """The card's Head, or None when its bytes are not a readable card (damaged)."""
    try:
        head = _decode_head(raw)
    except msgspec.ValidationError:
        try:
            loose = _decode_lenient(raw)
        except (msgspec.DecodeError, msgspec.ValidationError):
            return None
        head = Head(
            id=loose.id, name=loose.name or "", company=loose.company or "", phones=loose.phones or [],
            email=loose.email or "", why=loose.why or "", notes=loose.notes or "", tags=loose.tags or [],
            status=loose.status or "active", due=loose.due, created=loose.created, updated=loose.updated,
        )
    except msgspec.DecodeError:
        return None
    return head if _stamps_read(head) else None


def head_of_doc(doc: dict[str, Any]) -> Head | None:
    """The Head of a card held as a dict (a change not yet written to the box file)."""
    return head_of(orjson.dumps(doc))


def heads_of_file(raw: bytes, cards: Mapping[str, msgspec.Raw]) -> dict[str, Head | None]:
    """Every card's Head in one pass over the file; card by card only when some card does not read."""
    # (The fast path trusts the stamps' text; a card with a malformed stamp is named damaged when it is read.)
    try:
        return dict(_decode_all_heads(raw).cards)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return {key: head_of(entry) for key, entry in cards.items()}


def attempt_count(entry: msgspec.Raw | dict[str, Any]) -> int:
    if isinstance(entry, dict):
        attempts = entry.get("attempts")
        return len(attempts) if isinstance(attempts, list) else 0
    try:
        return len(_decode_attempts(entry).attempts or ())
    except (msgspec.DecodeError, msgspec.ValidationError):
        return 0


_GONE: Any = object()  # an overlay entry: the card was removed
_COMPACT_AT = 2048  # overlay entries before base and overlay are merged into a new base


class _Layered(Mapping[str, Any]):
    """A shared base dict with a small overlay of changes on top (`_GONE`: removed)."""

    __slots__ = ("_base", "_over", "_len")

    def __init__(self, base: dict[str, Any], over: dict[str, Any]) -> None:
        self._base = base
        self._over = over
        removed = sum(1 for key, value in over.items() if value is _GONE and key in base)
        added = sum(1 for key, value in over.items() if value is not _GONE and key not in base)
        self._len = len(base) - removed + added

    def __getitem__(self, key: str) -> Any:
        over = self._over
        if key in over:
            value = over[key]
            if value is _GONE:
                raise KeyError(key)
            return value
        return self._base[key]

    def __contains__(self, key: object) -> bool:
        over = self._over
        if key in over:
            return over[key] is not _GONE
        return key in self._base

    def __iter__(self) -> Iterator[str]:
        over = self._over
        if not over:
            yield from self._base
            return
        base = self._base
        for key in base:
            if key not in over or over[key] is not _GONE:
                yield key
        for key, value in over.items():
            if key not in base and value is not _GONE:
                yield key

    def items(self):
        over = self._over
        if not over:
            return self._base.items()
        return ((key, self[key]) for key in self)

    def values(self):
        over = self._over
        if not over:
            return self._base.values()
        return (self[key] for key in self)

    def __len__(self) -> int:
        return self._len

    def layered(self, changes: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """(base, overlay) with these changes on top; merged into one new base when the overlay grows long."""
        over = {**self._over, **changes}
        if len(over) < _COMPACT_AT:
            return self._base, over
        base = dict(self._base)
        for key, value in over.items():
            if value is _GONE:
                base.pop(key, None)
            else:
                base[key] = value
        return base, {}


class CardTable(Mapping[str, dict[str, Any]]):
    """Card key -> card dict, parsed from the file's bytes on each read."""

    __slots__ = ("_entries", "_heads")

    def __init__(self, entries: Mapping[str, msgspec.Raw | dict[str, Any]],
                 heads: Mapping[str, Head | None] | None = None) -> None:
        self._entries = entries if isinstance(entries, _Layered) else _Layered(dict(entries), {})
        if heads is None:
            heads = {key: head_of(entry) if isinstance(entry, msgspec.Raw) else head_of_doc(entry) for key, entry in entries.items()}
        self._heads = heads if isinstance(heads, _Layered) else _Layered(dict(heads), {})

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

    @property
    def has_damaged(self) -> bool:
        return any(head is None for head in self._heads.values())

    def with_docs(self, docs: Mapping[str, dict[str, Any] | None]) -> CardTable:
        entries = {key: _GONE if doc is None else doc for key, doc in docs.items()}
        heads = {key: _GONE if doc is None else head_of_doc(doc) for key, doc in docs.items()}
        return CardTable(_Layered(*self._entries.layered(entries)), _Layered(*self._heads.layered(heads)))

    def encoded_items(self, keys: list[str]) -> bytes:
        """`"key":card,…` for these keys, the cards' own bytes where they are unchanged."""
        return msgspec.json.encode({key: self._entries[key] for key in keys})[1:-1]


def table_of_file(raw: bytes, cards: dict[str, msgspec.Raw]) -> CardTable:
    """The cards table of a box file: `cards` is its cards as Raw, `raw` the file's bytes."""
    return CardTable(_Layered(dict(cards), {}), _Layered(heads_of_file(raw, cards), {}))
