"""A box file's bytes and the tables they hold: decoding, checking it is a box we know, encoding.

What comes from the file is untrusted: anything that is not a TinyDB layout of
a box this version knows is refused (BoxCorrupt, BoxTooNew) before it is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import msgspec
import orjson

from cardbox.core.box_errors import BoxCorrupt, BoxTooNew
from cardbox.core.cardtable import BoxFile, CardTable, Span, spans_in, table_of_file

# 2: cards may hold more emails ("emails") and a postal address ("address").
# 3: every stored moment carries its UTC offset (cardbox.core.stamps).
# A box of an older schema is migrated on its first write (cardbox.core.migrate), a backup taken first.
SCHEMA_VERSION = 3
TABLES = ("cards", "sessions", "dnc", "imports")
META_TABLE = "meta"


def validate_box_data(data: Any, path: Path) -> dict[str, dict[str, Any]]:
    """Check the parsed JSON is a TinyDB layout of a box this version knows."""
    what_to_do = (
        "cardbox has not changed it; restore a backup (cardbox backups) "
        "or move the file away to start a new box"
    )
    if not isinstance(data, dict) or not all(
        isinstance(table, CardTable) or (isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values()))
        for table in data.values()
    ):
        raise BoxCorrupt(f"{path} is JSON but not a card box (expected TinyDB tables); {what_to_do}")
    meta = data.get(META_TABLE) or {}
    schema = max((doc.get("schema", 0) for doc in meta.values() if isinstance(doc.get("schema", 0), int)), default=0)
    # Only boxes are written into: another program's JSON (another TinyDB
    # database, a {"users": …} file) is not extended with a cards table.
    foreign = [table for table in data if table not in (*TABLES, META_TABLE) and not (table == "_default" and not data[table])]
    if schema == 0 and foreign:
        names = ", ".join(repr(t) for t in foreign[:3])
        raise BoxCorrupt(f"{path} is not a card box (it holds {names}, and no cardbox schema); {what_to_do}")
    if schema == 0 and not _cards_look_like_ours(data.get("cards")):
        # Another program's TinyDB file with a "cards" table (a flash-card app's {"front": …}): never taken over.
        raise BoxCorrupt(f"{path} has a 'cards' table, but its cards are not cardbox's (no name, no dates) and it has "
                         f"no cardbox schema: another program's file; {what_to_do}")
    if schema > SCHEMA_VERSION:
        raise BoxTooNew(
            f"{path} was written by a newer cardbox (box schema {schema}, this one reads up to "
            f"{SCHEMA_VERSION}); upgrade cardbox (pip install -U cardbox). The file is untouched."
        )
    return data


def _cards_look_like_ours(cards: Any) -> bool:
    """At least one of the first cards has cardbox's shape (a name and a creation date), or there are none."""
    if not cards:
        return True
    if isinstance(cards, CardTable):
        heads = list(cards.heads.values())[:50]
        if any(head is not None for head in heads):
            return True
        docs = [cards[key] for key in list(cards.heads)[:50]]
    else:
        docs = list(cards.values())[:50]
    return any(isinstance(doc, dict) and "name" in doc and "created" in doc for doc in docs)


# Documents serialised per call: orjson holds the interpreter lock for a whole
# call, so a 20 MB box in one call stalls the app's screen for 30–40 ms; in
# slices of this size no single hold is longer than a few milliseconds, and
# the screen's thread gets its turn in between. (Sessions carry their ticks:
# fewer to a slice.)
SLICE = {"sessions": 50}
DEFAULT_SLICE = 500


def encode_box(data: dict[str, dict[str, Any]]) -> bytes:
    """The box as JSON bytes, the same as `orjson.dumps(data)` reads back, built in slices (see SLICE)."""
    return b"".join(encode_box_parts(data))


def encode_box_parts(data: dict[str, dict[str, Any]], spans: dict[str, Span] | None = None) -> Iterator[bytes]:
    """The box's JSON in slices, made as they are written (no 200 MB of bytes held at 100k cards).

    Unchanged cards are written as the bytes they were read as. When `spans`
    is given, it is filled with where each card's bytes land in the file
    (for the index, cardbox.core.boxindex): complete once every slice is taken."""
    position = 0
    yield b"{"
    position += 1
    for table_index, (table, rows) in enumerate(data.items()):
        head = (b"," if table_index else b"") + orjson.dumps(table) + b":{"
        yield head
        position += len(head)
        keys = iter(list(rows))
        size = SLICE.get(table, DEFAULT_SLICE)
        first = True
        while True:
            batch = list(islice(keys, size))
            if not batch:
                break
            if table == "cards":
                if isinstance(rows, CardTable):
                    texts = rows.batch_bytes(batch)
                else:
                    texts = [orjson.dumps(rows[key]) for key in batch]
                pieces = []
                for key, text in zip(batch, texts, strict=True):
                    label = (b"" if first else b",") + orjson.dumps(key) + b":"
                    first = False
                    position += len(label)
                    if spans is not None:
                        spans[key] = (position, len(text))
                    position += len(text)
                    pieces.append(label)
                    pieces.append(bytes(text))
                yield b"".join(pieces)
                continue
            part = (b"" if first else b",") + orjson.dumps({key: rows[key] for key in batch})[1:-1]
            first = False
            position += len(part)
            yield part
        yield b"}"
        position += 1
    yield b"}"


def schema_of(data: dict[str, dict[str, Any]]) -> int:
    meta = data.get(META_TABLE) or {}
    return max((doc.get("schema", 0) for doc in meta.values() if isinstance(doc.get("schema", 0), int)), default=0)


def parse_box_bytes(raw: bytes, path: Path) -> dict[str, dict[str, Any]] | None:
    """The box in `raw` (None for no file at all: a new box)."""
    if not raw.strip():
        # Our writes never leave an empty file: this one was made some other way. Keep it.
        raise BoxCorrupt(
            f"{path} is empty; cardbox has not changed it. Remove it (or move it away) to start a new box there, "
            "or restore a backup (cardbox backups)"
        )
    try:
        data = orjson.loads(raw)
    except (orjson.JSONDecodeError, RecursionError) as err:
        raise BoxCorrupt(
            f"{path} is not valid JSON ({err}); cardbox has not changed it. "
            "Restore a backup (cardbox backups) or move the file away to start a new box"
        ) from None
    return validate_box_data(data, path)


_decode_tables = msgspec.json.Decoder(dict[str, dict[str, msgspec.Raw]]).decode


def _checked_fully(raw: bytes, path: Path) -> dict[str, Any]:
    """The slow, full parse: it says in words what is wrong with a file the fast one refused."""
    data = parse_box_bytes(raw, path)
    if data is None:  # cannot happen for bytes that were read; never hand back "no box"
        raise BoxCorrupt(f"{path} could not be read as a box")
    return data


def decode_box_bytes(raw: bytes, path: Path, file: BoxFile | None = None) -> dict[str, Any]:
    """The box in `raw`, its cards left as their bytes (cardtable.CardTable); the same checks as parse_box_bytes.

    With `file` (the open file `raw` was read from) the cards are read from
    the file by their place, so `raw` can be let go."""
    if not raw.strip():
        return _checked_fully(raw, path)  # says what an empty file is
    try:
        tables = _decode_tables(raw)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return _checked_fully(raw, path)  # not JSON, or not tables of documents: the full check words it
    except RecursionError:
        raise BoxCorrupt(f"{path} holds a value nested too deep to read (thousands of brackets inside one another: "
                         "not something cardbox writes); cardbox has not changed it. Restore a backup (cardbox backups) "
                         "or remove that entry by hand") from None
    data: dict[str, Any] = {}
    for table, rows in tables.items():
        if table == "cards":
            cards = table_of_file(raw, rows)
            if cards.has_damaged and any(head is None and _starts(cards.entry(key)) != b"{" for key, head in cards.heads.items()):
                return _checked_fully(raw, path)  # a "card" that is not even an object: not a card box
            placed = spans_in(raw, rows) if file is not None else None
            data[table] = cards.placed(placed, file) if placed is not None and file is not None else cards
            continue
        data[table] = {key: orjson.loads(memoryview(doc)) for key, doc in rows.items()}
    return validate_box_data(data, path)


def _starts(entry: Any) -> bytes:
    return bytes(memoryview(entry)[:1]) if isinstance(entry, msgspec.Raw) else b"{"

