"""The journal beside the box: changes saved since the box file was last written whole.

Rewriting a 100k-card box for every outcome costs ~0.8 s; appending one line
and fsyncing it costs ~1 ms whatever the size of the box. So a change is
saved as a line in `<box>.journal` (durable once fsync returns), and the
box file is rewritten whole ("folded") only now and then: when the app is
idle, when it quits, and when a process opens a box with a long journal.
Until then every reader applies the journal on top of the box file.

The file: a header line `{"journal": "<id>", "box": [mtime_ns, size, inode]}`
(the box file the journal was begun on), then one line per change,
`{"put": {table: {key: document or null}}}` (null removes the document).
Each line holds whole documents, so applying a line twice gives the same
box: a fold that is killed after writing the box but before removing the
journal loses nothing and adds nothing. The box also records how much of
which journal it holds (meta "folded"), so a box written whole by other
means (plain TinyDB) is never overwritten by an older journal line.

A line cut short by a kill was never acknowledged (its fsync did not
return): readers ignore it and the next writer cuts it off before appending.

A journal is paired with its box: it applies to the box file named in its
header, or to a box whose meta says it folded this very journal. Another
box's journal, or one whose box file was since rewritten by other means
(plain TinyDB, an editor), is never applied: it is set aside, untouched.
The journal is opened without following a symbolic link, and must be a plain
file owned by the box's owner.
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


class JournalRefused(Exception):
    """The path holds something that is not our journal: a link, a FIFO, a device, another user's file."""


@dataclass(frozen=True, slots=True)
class Read:
    ident: str | None  # the header's id (None: no journal)
    changes: list[tuple[int, Changes]]  # (offset just past the line, the change), in order
    end: int  # offset just past the last complete line
    inode: int | None
    box: tuple[int, int, int] | None = None  # the box file it was begun on (None: a journal older than the pairing)


def _open(path: Path, flags: int, mode: int = 0o600, owner: int | None = None) -> int:
    """Open the journal itself: never through a link, never a FIFO or a device, never a third user's file
    (the box's owner's, or ours: root saving a rep's box)."""
    import stat

    nofollow = getattr(os, "O_NOFOLLOW", 0)
    nonblock = getattr(os, "O_NONBLOCK", 0)
    try:
        seen = os.lstat(path)
    except FileNotFoundError:
        if not flags & os.O_CREAT:
            raise
    else:
        # Looked at before it is opened: opening a device or a FIFO can itself do something.
        if stat.S_ISLNK(seen.st_mode):
            raise JournalRefused(f"{path} is a symbolic link; cardbox never writes a journal through one. "
                                 "Remove the link (your changes are not in it)")
        if not stat.S_ISREG(seen.st_mode):
            raise JournalRefused(f"{path} is not a plain file; move it away (the box's changes are never written into it)")
    try:
        fd = os.open(path, flags | nofollow | nonblock, mode)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise JournalRefused(f"{path} is a symbolic link; cardbox never writes a journal through one. "
                                 "Remove the link (your changes are not in it)") from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise JournalRefused(f"{path} is not a plain file; move it away (the box's changes are never written into it)")
    if owner is not None and info.st_uid not in (owner, os.geteuid()):
        os.close(fd)
        raise JournalRefused(f"{path} belongs to another user (uid {info.st_uid}), not to the box's owner; move it away")
    if nonblock:
        os.set_blocking(fd, True)
    return fd


def read(path: Path, start: int = 0, ident: str | None = None, owner: int | None = None) -> Read:
    """The journal's complete lines from byte `start` (0: from the header)."""
    try:
        fd = _open(path, os.O_RDONLY, owner=owner)
    except FileNotFoundError:
        return Read(None, [], 0, None)
    with open(fd, "rb") as handle:
        inode = os.fstat(handle.fileno()).st_ino
        handle.seek(start)
        data = handle.read()
    box: tuple[int, int, int] | None = None
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
            mark = record.get("box")
            if isinstance(mark, list) and len(mark) == 3 and all(isinstance(part, int) and not isinstance(part, bool) for part in mark):
                box = (mark[0], mark[1], mark[2])
            continue
        put = record.get("put")
        # Read from a file, so checked like typed input: tables of whole documents (or null: removed).
        if not isinstance(put, dict) or not all(
            isinstance(docs, dict) and all(doc is None or isinstance(doc, dict) for doc in docs.values()) for docs in put.values()
        ):
            raise JournalDamaged(f"{path}: line {number + 1} is not a saved change")
        changes.append((offset, put))
    return Read(ident, changes, start + end, inode, box)


def append(path: Path, changes: Changes, mode: int, box: tuple[int, int, int] | None = None,
           owner: int | None = None) -> tuple[str | None, int, int]:
    """Add one change and fsync it. Returns (the journal's id when this call created it, its new end, its inode).

    `box` is the signature of the box file a new journal is begun on (its header pairs it with that file).
    A torn line left by a killed writer is cut off first. On an error the
    journal is cut back to where it was, so nothing half-written stays."""
    line = orjson.dumps({"put": changes}) + b"\n"
    created = None
    fd = _open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, mode, owner)
    try:
        size = os.fstat(fd).st_size
        if size:
            size = _cut_torn_tail(fd, size)
        if size == 0:  # a new journal (or one whose very header was cut short)
            created = uuid.uuid4().hex
            header: dict[str, Any] = {"journal": created}
            if box is not None:
                header["box"] = list(box)
            line = orjson.dumps(header) + b"\n" + line
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


def set_aside(path: Path, target: Path) -> bool:
    """Move a journal that is not this box's out of the way, untouched (False: it was gone already)."""
    from cardbox.core.files import make_private_dirs

    make_private_dirs(target.parent)
    try:
        os.rename(path, target)
    except FileNotFoundError:
        return False
    _fsync_dir(path.parent)
    return True


def remove(path: Path) -> None:
    """Delete the journal once the box holds it, durably."""
    try:
        path.unlink()
    except FileNotFoundError:
        return
    _fsync_dir(path.parent)
