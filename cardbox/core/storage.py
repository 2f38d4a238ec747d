"""Safe storage for the box file: a TinyDB storage that never tears the file.

TinyDB's stock `JSONStorage` rewrites the file in place (a kill mid-write
leaves half a file) and re-parses it on every query; `CachingMiddleware`
loses buffered writes on a crash. This storage instead

* keeps the parsed box in memory and serves every read from there;
* writes a whole new file beside the box, fsyncs it, atomically renames it
  over the box and fsyncs the directory, so the file on disk is always
  either the old box or the new one, and a change reported as saved
  survives a kill -9 or a power cut;
* keeps the box file's permissions;
* serialises writers across processes with a lock file and notices when
  another process replaced the file, so nobody writes over a change they
  have not seen;
* keeps rolling daily backups beside the box;
* refuses, without touching it, a file that is not a box it understands.

The file stays plain TinyDB JSON: ``tinydb.TinyDB(path)`` opens it.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import msgspec
import orjson
from tinydb.storages import Storage

from cardbox.core import boxindex, journal
from cardbox.core.cardtable import BoxFile, CardMisplaced, CardTable, Span, spans_in, table_of_file

# 2: cards may hold more emails ("emails") and a postal address ("address").
# 3: every stored moment carries its UTC offset (cardbox.core.stamps).
# A box of an older schema is migrated on its first write (cardbox.core.migrate), a backup taken first.
SCHEMA_VERSION = 3
TABLES = ("cards", "sessions", "dnc", "imports")
META_TABLE = "meta"
BACKUPS_KEPT = 7


class BoxError(Exception):
    """The box file cannot be read or written. The message says what to do."""


class BoxCorrupt(BoxError):
    pass


class BoxTooNew(BoxError):
    pass


class BoxLocked(BoxError):
    pass


class BoxWriteError(BoxError):
    pass


class BoxConflict(BoxError):
    pass


class BoxReadOnly(BoxError):
    """The box file itself may not be changed (read-only mode, immutable): nothing is written."""


class BoxNotAFile(BoxError):
    """The box's path names a folder, a device or a FIFO: bad input, never read or replaced."""


class BackupNotFound(BoxError):
    """Asked for a backup that is not there: bad input, not a broken box."""


def backups_dir_for(path: Path) -> Path:
    return path.with_name(f"{path.stem}-backups")


def _fsync_dir(directory: Path) -> None:
    # Without this the rename itself may not survive a power cut. Windows
    # cannot open a directory; its rename is durable enough there.
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_is_a_file(path: Path) -> None:
    """A box is a plain file (or not there yet): a folder, a device or a FIFO is refused before anything reads it."""
    import stat

    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as err:
        raise BoxError(f"cannot read {path} ({err.strerror or err})") from None
    if stat.S_ISDIR(info.st_mode):
        raise BoxNotAFile(f"{path} is a directory; give the path of a box file, e.g. {path / 'box.json'}")
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode) else "a device"
        raise BoxNotAFile(f"{path} is {kind}, not a box file; give the path of a box file (cardbox never reads or replaces it)")


def _describe_os_error(err: OSError, path: Path) -> str:
    if err.errno == errno.ENOSPC:
        return f"the disk holding {path.parent} is full: free some space, then try again"
    if err.errno == errno.ELOOP:
        return f"{path} is a symbolic link, which cardbox never writes through: remove the link"
    if err.errno == errno.EPERM and path.exists():
        return f"{path} is locked against changes (immutable, chattr +i): chattr -i {path}"
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write in {path.parent} ({err.strerror}): check its permissions, or choose another box with --box"
    return f"cannot write {path} ({err.strerror or err})"


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return _signature_of_stat(st)


def _signature_of(file: BoxFile) -> tuple[int, int, int]:
    """The signature of the file as it was opened (the path may name a newer one by now)."""
    return _signature_of_stat(os.fstat(file.fileno()))


def _signature_of_stat(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def read_only_reason(path: Path) -> str | None:
    """Why the file at `path` may not be changed, or None when it may (or does not exist yet).

    The permission bits are read, not tried: root may write anything, yet a
    box made read-only (chmod 444) is a rep saying "do not change this".
    An immutable file (chattr +i) refuses even root: that is tried, by
    opening it for writing without writing anything."""
    try:
        st = path.stat()
    except OSError:
        return None
    if not st.st_mode & 0o222:
        return (f"{path} is read-only (mode {st.st_mode & 0o777:o}); cardbox will not change it. "
                f"To save changes, make it writable: chmod u+w {path}")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    except PermissionError as err:
        if err.errno == errno.EPERM:
            return (f"{path} is locked against changes (immutable, chattr +i); cardbox will not change it. "
                    f"To save changes: chattr -i {path}")
        return f"{path} is not writable by you ({err.strerror}); cardbox will not change it. Check its owner and permissions"
    except OSError:
        return None  # not a question of permission: the write itself will say what is wrong
    os.close(fd)
    return None


def _keep_owner(tmp_name: str, target: Path) -> None:
    """The replacement keeps the original's owner and group where we may set them (root, or our own group)."""
    try:
        st = target.stat()
    except FileNotFoundError:
        return
    for uid, gid in ((st.st_uid, st.st_gid), (-1, st.st_gid)):
        try:
            os.chown(tmp_name, uid, gid)
            return
        except (PermissionError, OSError):
            continue


# The box holds prospects' names, numbers and notes: new files are the owner's alone (as ssh and gpg keep
# private data), and folders cardbox makes for them too. An existing file keeps the mode its owner gave it.
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def make_private_dirs(directory: Path) -> None:
    """Make `directory` and any missing parents, each new one 0700 (existing ones are left as they are)."""
    missing: list[Path] = []
    current = directory
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            continue
        os.chmod(folder, PRIVATE_DIR)  # mkdir's mode passes through the umask


def write_atomically(target: Path, payload: bytes | Iterable[bytes], mode: int | None = None) -> str | None:
    """Replace `target` with `payload` so a crash leaves the old file or the new one, never half.

    The bytes go to a temporary file beside it, are fsynced, renamed over the
    target and the directory is fsynced. The file keeps its permissions (or
    gets `mode`, or 0600 for a new file). Returns a warning when only
    the directory sync failed: the new file is in place, but saying "not
    saved" then would invite a duplicate retry.
    """
    directory = target.parent
    make_private_dirs(directory)
    if mode is None:
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = None
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(payload, bytes):
                handle.write(payload)
            else:
                for part in payload:
                    handle.write(part)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode if mode is not None else PRIVATE_FILE)
        if hasattr(os, "chown"):
            _keep_owner(tmp_name, target)
        os.replace(tmp_name, target)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise
    try:
        _fsync_dir(directory)
    except OSError as err:
        return f"could not sync {directory} after saving ({err.strerror or err})"
    return None


def write_export(target: Path, payload: bytes) -> str | None:
    """An export to `target`: a FIFO or a device gets the bytes written straight into it (never replaced by a
    plain file); a symbolic link is written through, to the file it names (the link stays); anything else is
    replaced atomically (a new file is 0600)."""
    import stat

    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as err:
        raise OSError(err.errno, f"{err.strerror}") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "it is a folder; give a file name inside it")
        with open(target, "wb") as handle:  # a FIFO, a terminal, a device: as `cat > target` would
            handle.write(payload)
        return None
    return write_atomically(target.resolve() if target.is_symlink() else target, payload)


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


def _schema_of(data: dict[str, dict[str, Any]]) -> int:
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


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    day: str
    size: int


def list_backups(path: Path) -> list[Backup]:
    """The box's backups, newest first — from the file names alone, so it works on a box that cannot be read."""
    directory = backups_dir_for(path)
    if not directory.is_dir():
        return []
    found = []
    prefix = f"{path.stem}-"
    for item in directory.glob(f"{path.stem}-*.json"):
        try:
            size = item.stat().st_size
        except OSError:
            continue
        found.append(Backup(item, item.stem[len(prefix):], size))
    found.sort(key=lambda b: b.path.name, reverse=True)
    return found


def backup_card_count(backup: Backup) -> int | None:
    """How many cards a backup holds (None when it cannot be read)."""
    try:
        data = parse_box_bytes(backup.path.read_bytes(), backup.path)
    except (BoxError, OSError):
        return None
    return len((data or {}).get("cards", {}))


def _as_it_stands(path: Path) -> bytes:
    """The box's bytes with its journal folded in, to keep before a restore; a box that
    cannot be read is kept byte for byte (its journal is moved beside it as it is)."""
    raw = path.read_bytes()
    try:
        found = journal.read(journal.journal_path(path))
        if not found.changes:
            return raw
        return encode_box(_replayed(decode_box_bytes(raw, path), found))
    except (BoxError, journal.JournalDamaged, OSError):
        return raw


@dataclass(frozen=True, slots=True)
class Restored:
    backup: Backup
    kept: Path | None  # where the box it replaced was kept (None: there was no box)


def restore_backup(path: Path, name: str, clock: Callable[[], datetime], lock_timeout: float = 10.0) -> Restored:
    """Put a backup back as the box at `path` — which may be unreadable: that is when it is needed.

    The box it replaces, broken or not, is kept beside the backups (never
    deleted), and where is returned."""
    path = Path(path).expanduser().absolute()
    backups = list_backups(path)
    matches = [b for b in backups if b.day == name or b.path.name == name or str(b.path) == name]
    if not matches:
        days = ", ".join(b.day for b in backups) or "none yet"
        raise BackupNotFound(f"no backup called {name!r}; backups: {days}")
    chosen = matches[0]
    try:
        raw = chosen.path.read_bytes()
    except OSError as err:
        raise BoxError(f"cannot read the backup {chosen.path} ({err.strerror or err})") from None
    parse_box_bytes(raw, chosen.path)  # never put a damaged backup back
    reason = read_only_reason(path)
    if reason is not None:
        raise BoxReadOnly(reason + "; nothing was restored")
    from filelock import FileLock, Timeout

    lock = FileLock(f"{path}.lock", timeout=lock_timeout, thread_local=False)
    try:
        lock.acquire()
    except Timeout:
        raise BoxLocked(f"{path} is locked by another cardbox; close it, then restore again") from None
    except OSError as err:
        raise BoxWriteError(_describe_os_error(err, path)) from None
    try:
        kept = None
        try:
            if path.exists():
                stamp = clock().strftime("%Y-%m-%d-before-restore-%H%M%S")
                kept = backups_dir_for(path) / f"{path.stem}-{stamp}.json"
                write_atomically(kept, _as_it_stands(path), mode=path.stat().st_mode & 0o7777)
            write_atomically(path, raw)
            pending = journal.journal_path(path)
            if pending.exists():
                # Its changes belong to the box that was replaced: kept beside it, never replayed onto the backup.
                aside = backups_dir_for(path) / f"{path.stem}-{clock():%Y-%m-%d-before-restore-%H%M%S}.journal"
                make_private_dirs(aside.parent)
                os.replace(pending, aside)
                _fsync_dir(path.parent)
        except OSError as err:
            raise BoxWriteError(_describe_os_error(err, path) + "; the box on disk is unchanged") from None
    finally:
        lock.release()
    return Restored(chosen, kept)


# A process that opens a box whose journal has grown past this folds it in first
# (a smaller one is read as it is: replaying it is cheaper than rewriting the box).
FOLD_AT_OPEN = 4 << 20


def _folded(data: dict[str, Any] | None) -> dict[str, Any]:
    folded = ((data or {}).get(META_TABLE, {}).get("1") or {}).get("folded")
    return folded if isinstance(folded, dict) else {}


def _pairs(found: journal.Read, data: dict[str, Any] | None, file_mark: tuple[int, int, int] | None) -> bool:
    """Does this journal belong to this box file? It does when the box says it folded this very journal (a fold
    killed before the journal went), or when the journal was begun on this very file. A journal older than the
    pairing (no box in its header) is taken as the box's own, as it always was — unless there is no box."""
    if data is None:
        return False
    if _folded(data).get("journal") == found.ident:
        return True
    if found.box is None:
        return True
    return found.box == file_mark


def _replayed(data: dict[str, Any], found: journal.Read) -> dict[str, Any]:
    """The box with the journal's lines applied, less those its meta says it already holds (a fold killed midway)."""
    folded = (data.get(META_TABLE, {}).get("1") or {}).get("folded") or {}
    through = folded.get("through", 0) if folded.get("journal") == found.ident else 0
    return _applied(data, [change for end, change in found.changes if end > through])


def _applied(data: dict[str, Any], changes: list[dict[str, dict[str, dict[str, Any] | None]]]) -> dict[str, Any]:
    """`data` with these changes applied in order, on new tables (the old ones are left as they were)."""
    out = dict(data)
    touched: dict[str, dict[str, Any]] = {}
    cards: dict[str, dict[str, Any] | None] = {}  # the last of each card's changes: one copy of a big table, not one a line
    for change in changes:
        for table, docs in change.items():
            if table == "cards":
                cards.update(docs)
                continue
            if table not in touched:
                touched[table] = dict(out.get(table) or {})
                out[table] = touched[table]
            rows = touched[table]
            for key, doc in docs.items():
                if doc is None:
                    rows.pop(key, None)
                else:
                    rows[key] = doc
    if cards:
        current = out.get("cards")
        if not isinstance(current, CardTable):
            current = CardTable(dict(current or {}))
        out["cards"] = current.with_docs(cards)
    return out


class SafeStorage(Storage):
    """A TinyDB storage with atomic, durable, locked writes and reads from memory."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        clock: Callable[[], datetime] = datetime.now,
        lock_timeout: float = 10.0,
        backups_kept: int = BACKUPS_KEPT,
        journaling: bool = True,
        loading: Callable[[], AbstractContextManager[None]] = nullcontext,
    ) -> None:
        given = Path(path).expanduser().absolute()
        # A box kept behind a symbolic link (a synced folder) is written where the link points, and the link
        # stays: the journal, index, lock and backups sit beside the real file.
        self.path = given.resolve() if given.is_symlink() else given
        self.clock = clock
        self.lock_timeout = lock_timeout
        self.backups_kept = backups_kept
        # Around each whole read of the box: the program's say over the interpreter (cardbox.process.bulk_load).
        self.loading = loading
        # Changes go to the journal beside the box (cardbox.core.journal) and are folded in now and then;
        # without it every change rewrites the whole file.
        self.journaling = journaling
        self.journal_path = journal.journal_path(self.path)
        self.index_path = boxindex.index_path(self.path)
        self._lock_file: Any = None  # a filelock.FileLock, made when first needed (see _lock)
        self._data: dict[str, Any] | None = None
        self._signature: tuple[int, int, int] | None = None
        # How much of which journal the box in memory holds: (id, end offset, inode).
        self._journal: tuple[str | None, int, int | None] = (None, 0, None)
        # The id of a journal beside the box that is not this box's (set aside at the next change).
        self._stray: str | None = None
        # The day the day's-first-change whole write failed (a nearly full disk): not tried again that day.
        self._whole_write_failed: date | None = None
        # Bumped whenever the in-memory box is replaced or written, so
        # indexes built on it know to rebuild; `loads` only when it is read anew from the file.
        self.generation = 0
        self.loads = 0
        self.warnings: list[str] = []
        _check_is_a_file(self.path)
        self._load()
        self._remove_orphans()
        if self.journal_bytes > FOLD_AT_OPEN and self.read_only is None:
            self._fold_quietly()

    # -- reading --------------------------------------------------------

    def _load(self) -> None:
        try:
            file: BoxFile | None = BoxFile.open(self.path)
        except FileNotFoundError:
            file = None
        except PermissionError as err:
            raise BoxError(f"cannot read {self.path} ({err.strerror}): check its permissions") from None
        except OSError as err:
            raise BoxError(f"cannot read {self.path} ({err.strerror or err})") from None
        with self.loading():
            data = self._read_file(file) if file is not None else None
            self.file_schema = _schema_of(data) if data is not None else SCHEMA_VERSION
            found = self._read_journal(0, None)
            ident = found.ident
            self._stray = None
            if found.ident is not None and not _pairs(found, data, _signature_of(file) if file is not None else None):
                # Another box's journal, one whose box was moved away, or one begun on a box file that has since
                # been rewritten by other means: never applied. It is set aside, untouched, at the next change.
                self._stray = found.ident
                self.warnings.append(self._stray_words(data is None))
                found = journal.Read(None, [], 0, None)
                ident = None
            elif data is not None and found.changes:
                data = _replayed(data, found)
        self._data = data
        self._journal = (ident, found.end, found.inode)
        self._signature = _signature_of(file) if file is not None else None
        self.generation += 1
        self.loads += 1

    def _read_file(self, file: BoxFile) -> dict[str, Any]:
        """The box file's tables: from its index when the index matches it, else read whole (and the index made)."""
        mark = boxindex.signature(file.fileno())
        found = boxindex.read(self.index_path, mark)
        if found is not None:
            data: dict[str, Any] = dict(found.tables)
            data["cards"] = CardTable(found.spans, found.heads, file)
            try:
                return validate_box_data(data, self.path)
            except BoxTooNew:
                raise
            except BoxError:
                pass  # the index is not to be trusted over the file: read the file
        try:
            raw = file.whole()
        except OSError as err:
            raise BoxError(f"cannot read {self.path} ({err.strerror or err})") from None
        data = decode_box_bytes(raw, self.path, file)
        del raw
        if self.read_only is None:
            self._write_index(mark, data)
        return data

    def drop_index(self) -> None:
        boxindex.remove(self.index_path)

    def _write_index(self, mark: boxindex.Signature, data: dict[str, Any]) -> None:
        cards = data.get("cards")
        if not isinstance(cards, CardTable) or cards.file is None:
            return
        spans = cards.spans()
        if spans is None:
            boxindex.remove(self.index_path)  # cards not all placed in the file: no index is better than a stale one
            return
        tables = {name: rows for name, rows in data.items() if name != "cards"}
        mode = os.fstat(cards.file.fileno()).st_mode
        boxindex.write(self.index_path, boxindex.encode(mark, tables, spans, cards.heads), mode)

    def _owner(self) -> int | None:
        try:
            return self.path.stat().st_uid
        except OSError:
            return None

    def _stray_words(self, no_box: bool) -> str:
        why = ("has changes for a box that is not there" if no_box else
               "was not written on this box file (another box's journal, or the box was changed by another program since)")
        return (f"{self.journal_path} {why}; its changes are not applied. It is left as it is, and moved to "
                f"{self.backups_dir} at the next change")

    def _set_aside_stray(self) -> None:
        """Under the lock, before a change: move a journal that is not this box's out of the way, untouched."""
        if self._stray is None:
            return
        target = self.backups_dir / f"{self.path.stem}-{self.clock():%Y-%m-%d-%H%M%S}-not-this-box-{self._stray[:8]}.journal"
        try:
            moved = journal.set_aside(self.journal_path, target)
        except OSError as err:
            raise BoxWriteError(f"{self.journal_path} is not this box's journal and could not be moved aside "
                                f"({err.strerror or err}); nothing was saved. Move it away by hand") from None
        if moved:
            self.warnings.append(f"{self.journal_path} was not this box's journal: moved, untouched, to {target}")
        self._stray = None
        self._journal = (None, 0, None)

    def _read_journal(self, start: int, ident: str | None) -> journal.Read:
        try:
            return journal.read(self.journal_path, start, ident, self._owner())
        except journal.JournalRefused as err:
            raise BoxError(str(err)) from None
        except journal.JournalDamaged as err:
            raise BoxCorrupt(f"{err}; cardbox has not changed the box or its journal. Move the journal away "
                             f"to open the box as it was last written whole, or restore a backup (cardbox backups)") from None
        except OSError as err:
            raise BoxError(f"cannot read {self.journal_path} ({err.strerror or err})") from None

    def read(self) -> dict[str, Any] | None:
        return self._data

    def data(self) -> dict[str, Any]:
        """The whole box as tables (missing ones filled in, on a copy: never in place)."""
        current = self._data or {}
        if all(table in current for table in (*TABLES, META_TABLE)) and current[META_TABLE]:
            return current
        filled = dict(current)
        for table in (*TABLES, META_TABLE):
            filled.setdefault(table, CardTable({}) if table == "cards" else {})
        if not filled[META_TABLE]:
            filled[META_TABLE] = {"1": {"schema": SCHEMA_VERSION, "next_id": 1}}
        return filled

    @property
    def journal_bytes(self) -> int:
        """How much of the journal is not folded into the box file yet (0: none)."""
        return self._journal[1]

    def _journal_state(self) -> tuple[int, int] | None:
        try:
            st = self.journal_path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size)

    def changed_on_disk(self) -> bool:
        if _signature(self.path) != self._signature:
            return True
        state = self._journal_state()
        ident, end, inode = self._journal
        if state is None:
            return inode is not None
        return state != (inode, end)

    def refresh(self) -> bool:
        """Catch up with what another process saved. True when there was something.

        When only the journal grew, just its new lines are applied."""
        if not self.changed_on_disk():
            return False
        ident, end, inode = self._journal
        state = self._journal_state()
        same_box = self._data is not None and _signature(self.path) == self._signature
        if same_box and state is not None and inode is not None and state[0] == inode and state[1] > end:
            found = self._read_journal(end, ident)  # the journal grew: only its new lines
        elif same_box and state is not None and (inode is None or state[0] != inode):
            # A new journal on the box we hold (ours was folded into this very file): all of it,
            # without reading a 100k-card box again — if it is this box file's.
            found = self._read_journal(0, None)
            if found.ident is not None and not _pairs(found, self._data, self._signature):
                self._stray = found.ident
                self.warnings.append(self._stray_words(False))
                self._journal = (None, 0, found.inode)
                self.generation += 1
                return True
        else:
            self._load()
            return True
        if found.changes:
            assert self._data is not None
            self._data = _applied(self._data, [change for _, change in found.changes])
        self._journal = (found.ident if found.ident is not None else ident, found.end, found.inode)
        self.generation += 1
        return True

    # -- writing --------------------------------------------------------

    @contextmanager
    def _held(self) -> Iterator[None]:
        """The writers' lock across processes, with errors a rep can act on."""
        # Only to write: a read-only box is refused before anything (even the lock file) is touched.
        reason = self.read_only
        if reason is not None:
            raise BoxReadOnly(reason + "; nothing was saved")
        from filelock import Timeout

        try:
            make_private_dirs(self.path.parent)  # before filelock makes the folder with the umask's mode
            self._lock.acquire()
        except Timeout:
            raise BoxLocked(
                f"{self.path} is locked by another cardbox for over {self.lock_timeout:g}s; "
                "close the other window or wait, then try again"
            ) from None
        except OSError as err:
            raise BoxWriteError(_describe_os_error(err, Path(err.filename) if isinstance(err.filename, str) else self.path)) from None
        try:
            yield
        finally:
            self._lock.release()

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the writers' lock, with the in-memory box brought up to date."""
        with self._held():
            self.refresh()
            self._set_aside_stray()
            yield

    def write(self, data: dict[str, Any]) -> None:
        """TinyDB's write. Inside `locked()` the box is already current; outside
        it (plain TinyDB use) a file changed by someone else is not overwritten."""
        if self._lock.is_locked:
            self.commit(data)
            return
        with self._held():
            self._set_aside_stray()
            if self.changed_on_disk():
                self._load()
                raise BoxConflict(
                    f"{self.path} was changed by another cardbox; it has been reloaded, repeat the change"
                )
            self.commit(data)

    def put(self, changes: dict[str, dict[str, dict[str, Any] | None]]) -> None:
        """Write documents into tables (None removes one), durably, inside `locked()`.

        Copy-on-write: readers on other threads keep the box they started
        with, and a failed write leaves memory exactly as it was. The change
        goes to the journal (one fsynced line) when the box file exists in
        this schema; else the whole box is written."""
        data = _applied(self.data(), [changes])
        if not (self.journaling and self._data is not None and self.file_schema == SCHEMA_VERSION and self.path.exists()):
            self.commit(data)
            return
        reason = self.read_only
        if reason is not None:
            raise BoxReadOnly(reason + "; nothing was saved")
        today = self.clock().date()
        if self._backup_target() is not None and self._whole_write_failed != today:
            # The day's first change: keep the box as it stands as today's backup, and write it whole
            # (a new file, so the backup never shares the file the journal grows beside).
            try:
                self.commit(self._data)
            except BoxWriteError as err:
                # No room for the backup and a whole box (a nearly full disk): the change itself needs only a
                # journal line, so it is saved all the same, and today's backup is not tried on every change.
                self._whole_write_failed = today
                self.warnings.append(f"today's backup and the fold of the journal were not written ({err}); "
                                     "changes are saved in the journal meanwhile, and the backup is tried again tomorrow")
            data = _applied(self.data(), [changes])
        ident, end, inode = self._journal
        folded = _folded(self._data)
        if ident is not None and folded.get("journal") == ident and folded.get("through", 0) >= end:
            # A fold was killed after writing the box, before removing the journal it holds whole: finish it,
            # so new lines start a journal paired with the box file as it is now.
            journal.remove(self.journal_path)
            ident, end, inode = self._journal = (None, 0, None)
        try:
            mode = self.path.stat().st_mode & 0o7777
            created, new_end, new_inode = journal.append(self.journal_path, changes, mode, self._signature, self._owner())
        except journal.JournalRefused as err:
            raise BoxWriteError(f"{err}; the change was not saved, the box on disk is unchanged") from None
        except OSError as err:
            raise BoxWriteError(_describe_os_error(err, self.journal_path) + "; the change was not saved, the box on disk is unchanged") from None
        self._data = data
        self._journal = (created or ident, new_end, new_inode)
        self.generation += 1

    @property
    def read_only(self) -> str | None:
        """Why the box file may not be changed right now (None: it may)."""
        return read_only_reason(self.path)

    def commit(self, data: dict[str, Any]) -> None:
        """Make `data` the box, durably, written whole (folding any journal in). Call it inside `locked()`."""
        reason = self.read_only
        if reason is not None:
            if data is self._data:
                self._load()  # plain TinyDB use changed memory in place first: back to the file
            raise BoxReadOnly(reason + "; nothing was saved")
        ident, end, _ = self._journal
        meta = dict((data.get(META_TABLE) or {}).get("1") or {})
        if ident is not None and self.journal_path.exists():
            # The box now holds the journal up to `end`: a replay after a kill skips those lines.
            meta["folded"] = {"journal": ident, "through": end}
        if not isinstance(meta.get("box_id"), str):
            # The box's own id: exports name their events and contacts by it (two boxes never collide in one calendar).
            import uuid

            meta["box_id"] = uuid.uuid4().hex
        data = {**data, META_TABLE: {**(data.get(META_TABLE) or {}), "1": meta}}
        spans: dict[str, Span] = {}
        try:
            self._backup_if_due()
            if self.file_schema < SCHEMA_VERSION and self.path.exists():
                data = self._migrate(data)
            self._replace_atomically(self.path, encode_box_parts(data, spans))
            file = BoxFile.open(self.path)  # under the lock: the file just written
        except TypeError as err:  # a bug, not the disk: keep the old box
            self._load()
            raise BoxWriteError(f"cannot save: {err}") from None
        except CardMisplaced:
            # The index placed a card wrongly: nothing was renamed over the box. It is only derived, so it goes,
            # and the box is read again whole (its journal holds every saved change).
            self.drop_index()
            self._load()
            raise BoxWriteError(f"the index beside {self.path} did not match the box; it has been removed and the box "
                                "read again. Nothing was lost; the box on disk is unchanged: try again") from None
        except OSError as err:
            # Plain TinyDB use mutates the box in memory before calling
            # write(); go back to the file so memory and disk agree again.
            self._load()
            raise BoxWriteError(_describe_os_error(err, self.path) + "; the box on disk is unchanged") from None
        if ident is not None:  # only the journal this box holds: another's stays where it is
            try:
                journal.remove(self.journal_path)
            except OSError as err:
                self.warnings.append(f"could not remove {self.journal_path} after folding it in ({err.strerror or err}); it is harmless")
        cards = data.get("cards", CardTable({}))
        if not isinstance(cards, CardTable):
            cards = CardTable(dict(cards))  # written as plain dicts (TinyDB, a migration)
        data = {**data, "cards": cards.placed(spans, file)}
        self._write_index(boxindex.signature(file.fileno()), data)
        self._data = data
        self._signature = _signature_of(file)
        self._journal = (None, 0, None)
        self.file_schema = SCHEMA_VERSION
        self.generation += 1

    def fold(self) -> bool:
        """Write the box whole with the journal folded in, and remove the journal. True when there was one."""
        with self._held():
            self.refresh()
            if self._data is None or self._journal[0] is None:
                return False
            self.commit(self._data)
            return True

    def _fold_quietly(self) -> None:
        try:
            self.fold()
        except BoxError as err:
            self.warnings.append(f"the journal was not folded into the box ({err}); your changes are safe in it")

    def _migrate(self, data: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """The first write to an older box: keep it as it was, then write it as this schema.

        Schema 1 cards are valid schema 2 cards (the new fields are optional);
        schema 3 adds offsets to the stamps (migrate.to_schema_3). The backup
        is the way back."""
        keep = self.backups_dir / f"{self.path.stem}-{self.clock():%Y-%m-%d}-before-schema-{SCHEMA_VERSION}.json"
        if not keep.exists():
            self._link_or_copy(keep)
        from cardbox.core.migrate import upgrade  # it reads cards and sessions, which import this module

        upgraded = upgrade(data, self.file_schema)
        meta = dict(upgraded.get(META_TABLE, {}).get("1") or {})
        meta["schema"] = SCHEMA_VERSION
        return {**upgraded, META_TABLE: {**upgraded.get(META_TABLE, {}), "1": meta}}

    def _replace_atomically(self, target: Path, payload: bytes | Iterable[bytes], mode: int | None = None) -> None:
        warning = write_atomically(target, payload, mode)
        if warning:
            self.warnings.append(warning)

    @property
    def _lock(self) -> Any:
        """The writers' lock file (filelock is imported here: a command that only reads never needs it)."""
        if self._lock_file is None:
            from filelock import FileLock

            self._lock_file = FileLock(f"{self.path}.lock", timeout=self.lock_timeout, thread_local=False, mode=PRIVATE_FILE)
        return self._lock_file

    def _leftovers(self) -> list[Path]:
        leftovers = list(self.path.parent.glob(f".{self.path.name}.*.tmp"))
        if self.backups_dir.is_dir():
            leftovers += self.backups_dir.glob(f".{self.path.stem}-*.json.*.tmp")
        return leftovers

    def _remove_orphans(self) -> None:
        """Delete temp files a killed writer left behind (only while we hold the lock)."""
        directory = self.path.parent
        if not directory.is_dir() or not self._leftovers():
            return
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=0)
        except (Timeout, OSError):
            return
        try:
            for leftover in self._leftovers():
                try:
                    leftover.unlink()
                except OSError:
                    pass
        finally:
            self._lock.release()

    # -- backups ---------------------------------------------------------

    @property
    def backups_dir(self) -> Path:
        return backups_dir_for(self.path)

    def _backup_target(self) -> Path | None:
        """Where today's backup goes, when it is still to be taken (None: taken, or nothing to back up)."""
        if self._signature is None or not self.path.exists():
            return None
        day = self.clock().date().isoformat()
        target = self.backups_dir / f"{self.path.stem}-{day}.json"
        return None if target.exists() else target

    def _backup_if_due(self) -> None:
        target = self._backup_target()
        if target is None:
            return
        try:
            if self._journal[0] is not None and self._data is not None:
                # The file alone lacks the journal's changes: the backup is the box as it stands, written whole.
                make_private_dirs(target.parent)
                self._replace_atomically(target, encode_box_parts(self._data), mode=self.path.stat().st_mode & 0o7777)
            else:
                self._link_or_copy(target)
            self._prune_backups()
        except OSError as err:
            # A missed backup must not stop the rep's change from saving.
            self.warnings.append(f"today's backup could not be made ({err.strerror or err}); it does not stop changes "
                                 "from saving")

    def _link_or_copy(self, target: Path) -> None:
        """Keep today's first box as the backup.

        The box is about to be replaced by a rename, so the file as it is now
        can simply stay on as the backup: a hard link costs no space (a copy
        could take the last free space and make the save itself fail). Where
        links are not possible, a copy."""
        make_private_dirs(target.parent)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            os.link(self.path, tmp)
            os.replace(tmp, target)
        except OSError:
            try:
                tmp.unlink()
            except OSError:
                pass
            # A private box keeps private backups.
            self._replace_atomically(target, self.path.read_bytes(), mode=self.path.stat().st_mode & 0o7777)
            return
        try:
            _fsync_dir(target.parent)
        except OSError:
            pass

    def _prune_backups(self) -> None:
        daily = [b for b in self.list_backups() if "-before-" not in b.path.name]  # kept: taken before a restore or a migration
        for old in daily[self.backups_kept:]:
            old.path.unlink(missing_ok=True)

    def list_backups(self) -> list[Backup]:
        return list_backups(self.path)

    def restore_backup(self, name: str) -> Backup:
        """Put a backup back as the box; the current box is kept as a backup first."""
        restored = restore_backup(self.path, name, self.clock, self.lock_timeout)
        with self._held():
            self._load()
        return restored.backup

    def close(self) -> None:
        pass

