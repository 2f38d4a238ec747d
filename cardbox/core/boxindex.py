"""The box's index beside it (`<box>.index`): what opening a big box needs, without reading the box.

Opening a 100k-card box means reading ~200 MB and decoding every card's head
(~0.6 s, and the bytes held in memory after). The index holds, for the box
file as it was last written, each card's head (cardtable.Head) and where its
bytes sit in the file, and the other tables whole. Opening then decodes the
index (~40 MB at 100k) and reads a card from the box file only when it is
asked for.

It is derived and disposable. It names the box file it was made from (inode,
size, modification and change times); an index that does not match the file
exactly, or does not read, is ignored and made anew from the box. It is
written after every whole write of the box and when a box without one is
opened, never fsynced (a torn one is simply made again), and never needed:
deleting it costs one slower open.

Format: a magic line, then frames (a 4-byte big-endian length, then msgpack):
first the header (with a CRC-32 of the rest), then chunks of cards as columns
`[keys, offsets, lengths, heads (nil: damaged)]`.
"""

from __future__ import annotations

import os
import struct
import tempfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import msgspec

from cardbox.core.cardtable import Head, Span

MAGIC = b"cardbox-index 2\n"
CHUNK = 2000  # entries per frame: each encode or decode holds the interpreter lock for a few ms only

Signature = tuple[int, int, int, int]


class Header(msgspec.Struct, array_like=True):
    box: Signature
    tables: dict[str, dict[str, dict[str, Any]]]  # every table but the cards, whole
    cards: int
    check: int  # zlib.crc32 of the chunk frames that follow: a flipped bit or a torn write is caught


Chunk = tuple[list[str], list[int], list[int], list["Head | None"]]

_decode_header = msgspec.msgpack.Decoder(Header).decode
_decode_chunk = msgspec.msgpack.Decoder(tuple[list[str], list[int], list[int], list[Head | None]]).decode
_encode = msgspec.msgpack.Encoder().encode
_LENGTH = struct.Struct(">I")


def index_path(box: Path) -> Path:
    return box.with_name(f"{box.name}.index")


def signature(fd: int) -> Signature:
    """What names one version of the box file: a rename, a write, even a touch changes it."""
    st = os.fstat(fd)
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class Found(msgspec.Struct):
    tables: dict[str, dict[str, dict[str, Any]]]
    spans: dict[str, Span]
    heads: dict[str, Head | None]


def read(path: Path, box: Signature) -> Found | None:
    """The index at `path` when it is whole and made from the box file `box`; else None."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if not raw.startswith(MAGIC):
        return None
    try:
        frames = _frames(memoryview(raw)[len(MAGIC):])
        header_frame = next(frames)
        header = _decode_header(header_frame)
        if tuple(header.box) != box:
            return None
        chunks_at = len(MAGIC) + 4 + len(header_frame)
        if zlib.crc32(memoryview(raw)[chunks_at:]) != header.check:
            return None
        spans: dict[str, Span] = {}
        heads: dict[str, Head | None] = {}
        ends = 0
        for frame in frames:
            keys, offsets, lengths, chunk_heads = _decode_chunk(frame)
            if not len(keys) == len(offsets) == len(lengths) == len(chunk_heads) or (
                    keys and (min(offsets) < 0 or min(lengths) < 2)):
                return None
            ends = max(ends, max(map(int.__add__, offsets, lengths), default=0))
            spans.update(zip(keys, zip(offsets, lengths, strict=True), strict=True))
            heads.update(zip(keys, chunk_heads, strict=True))
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError, StopIteration):
        return None
    if len(spans) != header.cards or ends > box[1]:
        return None
    return Found(header.tables, spans, heads)


def _frames(view: memoryview) -> Iterator[memoryview]:
    position = 0
    while position < len(view):
        if position + 4 > len(view):
            raise ValueError("torn frame")
        (length,) = _LENGTH.unpack_from(view, position)
        position += 4
        if position + length > len(view):
            raise ValueError("torn frame")
        yield view[position:position + length]
        position += length


def encode(box: Signature, tables: Mapping[str, Mapping[str, Any]], spans: Mapping[str, Span],
           heads: Mapping[str, Head | None]) -> Iterator[bytes]:
    """The index's bytes, a frame at a time."""
    keys = list(spans)
    chunks = []
    check = 0
    for start in range(0, len(keys), CHUNK):
        part = keys[start:start + CHUNK]
        placed = [spans[key] for key in part]
        body = _encode(([*part], [offset for offset, _ in placed], [length for _, length in placed], [heads.get(key) for key in part]))
        frame = _LENGTH.pack(len(body)) + body
        check = zlib.crc32(frame, check)
        chunks.append(frame)
    yield MAGIC
    header = _encode(Header(box, {name: dict(rows) for name, rows in tables.items()}, len(spans), check))
    yield _LENGTH.pack(len(header)) + header
    yield from chunks


def write(path: Path, frames: Iterable[bytes], mode: int) -> bool:
    """Write the index (a temporary file renamed into place; not fsynced: it can always be made again).
    False when it could not be written — a read-only folder, a full disk — which costs only speed."""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            for frame in frames:
                handle.write(frame)
        os.chmod(tmp_name, mode & 0o666)  # it holds names and notes: as private as the box
        os.replace(tmp_name, path)
    except (OSError, msgspec.MsgspecError, TypeError, ValueError):
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        return False
    return True


def remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
