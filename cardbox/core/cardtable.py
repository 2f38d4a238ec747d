"""The cards table, read lazily: each card stays in the file until it is asked for.

Parsing a 100k-card box into dicts takes ~1.7 s and ~1.4 GB; what Today,
find and the CLI need of every card is a handful of fields. So the file is
decoded with msgspec twice over: once into one `Raw` per card (a view of the
card's bytes, no copy), once into a `Head` per card holding the fields that
lists, sorting and search use (both ~0.45 s and ~350 MB at 100k, the file's
bytes included). Once the heads and where each card sits in the file are
known (and kept in the box's index, cardbox.core.boxindex), the file's bytes
are let go: a card is read from the open file (`BoxFile`) by its place.
A whole card is parsed when it is read, and not kept: the screens keep the
`Card` objects they use.

`CardTable` is a read-only mapping of card key -> card dict, so TinyDB and
the rest of storage see the table they always did. `with_docs` returns a new
table with some cards replaced, without copying the rest: the changes sit in
a small overlay on a shared base (copied together now and then), so a change
costs the same in a box of 100 or of 100k cards, and a reader on another
thread keeps the table it started with.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator, Mapping
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


def attempt_count(entry: msgspec.Raw | bytes | dict[str, Any]) -> int:
    if isinstance(entry, dict):
        attempts = entry.get("attempts")
        return len(attempts) if isinstance(attempts, list) else 0
    try:
        return len(_decode_attempts(entry).attempts or ())
    except (msgspec.DecodeError, msgspec.ValidationError):
        return 0


class CardMisplaced(ValueError):
    """The bytes at a card's place in the file are not that card: the index does not match the file."""


class BoxFile:
    """The box file as it was read, held open: a new box renamed over the path later
    changes nothing read here, so a table keeps reading the cards it was built on."""

    __slots__ = ("_fd", "size", "__weakref__")

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self.size = os.fstat(fd).st_size

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> BoxFile:
        return cls(os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)))

    def read(self, offset: int, length: int) -> bytes:
        chunks = []
        while length > 0:
            chunk = os.pread(self._fd, length, offset)
            if not chunk:
                raise OSError(errno.EIO, "the box file ends before a card its index places there")
            chunks.append(chunk)
            offset += len(chunk)
            length -= len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def whole(self) -> bytes:
        return self.read(0, self.size)

    def fileno(self) -> int:
        return self._fd

    def close(self) -> None:
        if self._fd >= 0:
            fd, self._fd = self._fd, -1
            os.close(fd)

    def __del__(self) -> None:
        try:
            self.close()
        except OSError:
            pass


Span = tuple[int, int]  # (offset, length) of a card's bytes in the BoxFile
_LABEL_ROOM = 96  # bytes read before a card to see its key's label


def _placed_right(before: bytes, text: bytes, key: str) -> bool:
    """`text` is a JSON object and `before` ends with the label of `key` (`"12":`, spaces allowed)."""
    if text[:1] != b"{" or text.rstrip()[-1:] != b"}":
        return False
    head = before.rstrip()
    return head.endswith(b":") and head[:-1].rstrip().endswith(orjson.dumps(key))
Entry = msgspec.Raw | Span | dict[str, Any]


def spans_in(raw: bytes, entries: Mapping[str, msgspec.Raw]) -> dict[str, Span] | None:
    """Where each card's bytes sit in `raw` (the file they were decoded from), in file order;
    None when they cannot all be placed (a hand-edited file that repeats a card number)."""
    spans: dict[str, Span] = {}
    position = 0
    find = raw.find
    for key, entry in entries.items():
        text = bytes(entry)
        at = find(text, position)
        if at < 0:
            return None
        spans[key] = (at, len(text))
        position = at + len(text)
    return spans


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

    def items(self) -> Iterable[tuple[str, Any]]:  # type: ignore[override]  # a generator when overlaid: callers iterate
        over = self._over
        if not over:
            return self._base.items()
        return ((key, self[key]) for key in self)

    def values(self) -> Iterable[Any]:  # type: ignore[override]  # a generator when overlaid: callers iterate
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


def layers(mapping: Mapping[str, Any]) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """(base, overlay) of a table's mapping — the overlay's removed entries are not `Head`s; a plain mapping is all base."""
    if isinstance(mapping, _Layered):
        return mapping._base, mapping._over
    return mapping, {}


class CardTable(Mapping[str, dict[str, Any]]):
    """Card key -> card dict, parsed from the file's bytes on each read.

    An entry is the card's bytes (`msgspec.Raw`, the file held in memory),
    its place in the open box file (`Span`), or a dict (a change not yet
    written whole)."""

    __slots__ = ("_entries", "_heads", "_file")

    def __init__(self, entries: Mapping[str, Entry],
                 heads: Mapping[str, Head | None] | None = None, file: BoxFile | None = None) -> None:
        self._file = file
        self._entries = entries if isinstance(entries, _Layered) else _Layered(dict(entries), {})
        if heads is None:
            heads = {key: head_of_doc(entry) if isinstance(entry, dict) else head_of(self._bytes(entry))
                     for key, entry in entries.items()}
        self._heads = heads if isinstance(heads, _Layered) else _Layered(dict(heads), {})

    def _bytes(self, entry: msgspec.Raw | Span) -> bytes | msgspec.Raw:
        if isinstance(entry, tuple):
            assert self._file is not None, "a card placed in a file needs the file"
            return self._file.read(*entry)
        return entry

    def __getitem__(self, key: str) -> dict[str, Any]:
        entry = self._entries[key]
        if isinstance(entry, dict):
            return entry
        if isinstance(entry, tuple):
            doc: dict[str, Any] = orjson.loads(self._bytes(entry))
            if isinstance(doc, dict) and str(doc.get("id", key)) != key:
                # Another card's bytes (the index is wrong), or this card with a wrong id (the card is damaged):
                # the key's label just before the bytes tells them apart.
                assert self._file is not None
                offset, length = entry
                room = min(offset, _LABEL_ROOM)
                before = self._file.read(offset - room, room)
                if not _placed_right(before, self._bytes(entry), key):
                    raise CardMisplaced(f"the bytes placed as card {key} hold card {doc.get('id')}")
            return doc
        loaded: dict[str, Any] = orjson.loads(memoryview(entry))
        return loaded

    def batch_bytes(self, keys: list[str]) -> list[bytes | msgspec.Raw]:
        """Each card as JSON bytes, as they stand in the file where it is unchanged; cards that sit
        one after another in the file are read in one go.

        A card read by its place is checked to be that card as the file holds
        it — its key's label just before it, braces around it — so a place
        that is wrong (an index that does not match the file) can never copy
        other bytes into a new box: CardMisplaced is raised instead."""
        entries = [self._entries[key] for key in keys]
        placed = [entry for entry in entries if isinstance(entry, tuple)]
        block = b""
        start = 0
        if placed:
            assert self._file is not None
            start = max(0, min(offset for offset, _ in placed) - _LABEL_ROOM)
            end = max(offset + length for offset, length in placed)
            if len(placed) > 1 and end - start <= 2 * sum(length for _, length in placed) + 64 * len(placed) + _LABEL_ROOM:
                block = self._file.read(start, end - start)
        out: list[bytes | msgspec.Raw] = []
        for key, entry in zip(keys, entries, strict=True):
            if isinstance(entry, dict):
                out.append(orjson.dumps(entry))
            elif isinstance(entry, tuple):
                offset, length = entry
                if block:
                    before = block[max(0, offset - _LABEL_ROOM - start):offset - start]
                    text = block[offset - start:offset - start + length]
                else:
                    assert self._file is not None
                    room = min(offset, _LABEL_ROOM)
                    both = self._file.read(offset - room, room + length)
                    before, text = both[:room], both[room:]
                if not _placed_right(before, text, key):
                    raise CardMisplaced(f"the bytes placed as card {key} are not that card")
                out.append(text)
            else:
                out.append(self._bytes(entry))
        return out

    def attempts(self, key: str) -> int:
        entry = self._entries[key]
        return attempt_count(entry if isinstance(entry, dict) else self._bytes(entry))

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def token(self, key: str) -> object:
        """An object that stays the same while the card does (for caches)."""
        return self._entries[key]

    def entry(self, key: str) -> Entry:
        found: Entry = self._entries[key]
        return found

    @property
    def file(self) -> BoxFile | None:
        return self._file

    def spans(self) -> dict[str, Span] | None:
        """Where every card sits in the file, when every card is unchanged there (None otherwise)."""
        if self._entries._over:
            return None
        base = self._entries._base
        return base if all(isinstance(entry, tuple) for entry in base.values()) else None

    @property
    def heads(self) -> Mapping[str, Head | None]:
        return self._heads

    @property
    def has_damaged(self) -> bool:
        return any(head is None for head in self._heads.values())

    def with_docs(self, docs: Mapping[str, dict[str, Any] | None]) -> CardTable:
        entries = {key: _GONE if doc is None else doc for key, doc in docs.items()}
        heads = {key: _GONE if doc is None else head_of_doc(doc) for key, doc in docs.items()}
        return CardTable(_Layered(*self._entries.layered(entries)), _Layered(*self._heads.layered(heads)), self._file)

    def placed(self, spans: dict[str, Span], file: BoxFile) -> CardTable:
        """The same cards, read from `file` at `spans` (the file these cards were just written to, or read from)."""
        return CardTable(_Layered(spans, {}), self._heads, file)


def table_of_file(raw: bytes, cards: dict[str, msgspec.Raw]) -> CardTable:
    """The cards table of a box file: `cards` is its cards as Raw, `raw` the file's bytes."""
    return CardTable(_Layered(dict(cards), {}), _Layered(heads_of_file(raw, cards), {}))
