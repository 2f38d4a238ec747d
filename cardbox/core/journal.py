"""The journal beside the box: changes saved since the box file was last written whole.

Rewriting a 100k-card box for every outcome costs ~0.8 s; appending one line
and fsyncing it costs ~1 ms whatever the size of the box. So a change is
saved as a line in `<box>.journal` (durable once fsync returns), and the
box file is rewritten whole ("folded") only now and then: when the app is
idle, when it quits, and when a process opens a box with a long journal.
Until then every reader applies the journal on top of the box file.

The file: a header line `{"journal": "<id>"}`, then one line per change,
`{"put": {table: {key: document or null}}}` (null removes the document).
Each line holds whole documents, so applying a line twice gives the same
box: a fold that is killed after writing the box but before removing the
journal loses nothing and adds nothing. The box also records how much of
which journal it holds (meta "folded"), so a box written whole by other
means (plain TinyDB) is never overwritten by an older journal line.

A line cut short by a kill was never acknowledged (its fsync did not
return): readers ignore it and the next writer cuts it off before appending.
"""

from __future__ import annotations

import errno
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

Changes = dict[str, dict[str, dict[str, Any] | None]]


class JournalDamaged(Exception):
    """A line in the middle of the journal is not a change: not something a crash leaves."""


def journal_path(box: Path) -> Path:
    return box.with_name(f"{box.name}.journal")


@dataclass(frozen=True, slots=True)
class Read:
    ident: str | None  # the header's id (None: no journal)
    changes: list[tuple[int, Changes]]  # (offset just past the line, the change), in order
    end: int  # offset just past the last complete line
    inode: int | None


def read(path: Path, start: int = 0, ident: str | None = None) -> Read:
    """The journal's complete lines from byte `start` (0: from the header)."""
    try:
        with open(path, "rb") as handle:
            inode = os.fstat(handle.fileno()).st_ino
            handle.seek(start)
            data = handle.read()
    except FileNotFoundError:
        return Read(None, [], 0, None)
    end = data.rfind(b"\n") + 1  # a torn last line is left out: it was never acknowledged
    offset = start
    changes: list[tuple[int, Changes]] = []
    lines = data[:end].split(b"\n")[:-1] if end else []
    for number, line in enumerate(lines):
        offset += len(line) + 1
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            raise JournalDamaged(f"{path}: line {number + 1} is not a saved change") from None
        if not isinstance(record, dict):
            raise JournalDamaged(f"{path}: line {number + 1} is not a saved change")
        if start == 0 and number == 0:
            if not isinstance(record.get("journal"), str):
                raise JournalDamaged(f"{path}: it does not start with a journal header")
            ident = record["journal"]
            continue
        put = record.get("put")
        # Read from a file, so checked like typed input: tables of whole documents (or null: removed).
        if not isinstance(put, dict) or not all(
            isinstance(docs, dict) and all(doc is None or isinstance(doc, dict) for doc in docs.values()) for docs in put.values()
        ):
            raise JournalDamaged(f"{path}: line {number + 1} is not a saved change")
        changes.append((offset, put))
    return Read(ident, changes, start + end, inode)


def append(path: Path, changes: Changes, mode: int) -> tuple[str | None, int, int]:
    """Add one change and fsync it. Returns (the journal's id when this call created it, its new end, its inode).

    A torn line left by a killed writer is cut off first. On an error the
    journal is cut back to where it was, so nothing half-written stays."""
    line = orjson.dumps({"put": changes}) + b"\n"
    created = None
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, mode)
    try:
        size = os.fstat(fd).st_size
        if size:
            size = _cut_torn_tail(fd, size)
        if size == 0:  # a new journal (or one whose very header was cut short)
            created = uuid.uuid4().hex
            line = orjson.dumps({"journal": created}) + b"\n" + line
        try:
            _write_all(fd, line)
            os.fsync(fd)
        except OSError:
            try:
                os.ftruncate(fd, size)
            except OSError:
                pass
            raise
        inode = os.fstat(fd).st_ino
    finally:
        os.close(fd)
    if created is not None:
        _fsync_dir(path.parent)  # the new file's name must survive a power cut too
    return created, size + len(line), inode


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.EIO, "short write")
        view = view[written:]


def _cut_torn_tail(fd: int, size: int) -> int:
    tail = os.pread(fd, min(size, 1 << 20), max(0, size - (1 << 20)))
    if tail.endswith(b"\n"):
        return size
    keep = size - len(tail) + tail.rfind(b"\n") + 1
    os.ftruncate(fd, keep)
    return keep


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove(path: Path) -> None:
    """Delete the journal once the box holds it, durably."""
    try:
        path.unlink()
    except FileNotFoundError:
        return
    _fsync_dir(path.parent)
