"""The box as it is read: the file (through its index when it is fresh), then the journal beside it.

`BoxReading` holds the box in memory and knows when another process changed
the file or the journal; `cardbox.core.storage.SafeStorage` adds the writes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from cardbox.core import backups, boxindex, journal
from cardbox.core.backups import BACKUPS_KEPT
from cardbox.core.box_codec import (
    META_TABLE,
    SCHEMA_VERSION,
    TABLES,
    decode_box_bytes,
    schema_of,
    validate_box_data,
)
from cardbox.core.box_errors import BoxCorrupt, BoxError, BoxTooNew, BoxWriteError
from cardbox.core.cardtable import BoxFile, CardTable
from cardbox.core.files import (
    file_signature,
    read_only_reason,
    signature_of,
)
from cardbox.core.replay import applied, pairs, replayed


class BoxReading(Storage):
    """The box in memory, read from its file and its journal: what every reader and writer of a box shares."""


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
            self.file_schema = schema_of(data) if data is not None else SCHEMA_VERSION
            found = self._read_journal(0, None)
            ident = found.ident
            self._stray = None
            if found.ident is not None and not pairs(found, data, signature_of(file) if file is not None else None):
                # Another box's journal, one whose box was moved away, or one begun on a box file that has since
                # been rewritten by other means: never applied. It is set aside, untouched, at the next change.
                self._stray = found.ident
                self.warnings.append(self._stray_words(data is None))
                found = journal.Read(None, [], 0, None)
                ident = None
            elif data is not None and found.changes:
                data = replayed(data, found)
        self._data = data
        self._journal = (ident, found.end, found.inode)
        self._signature = signature_of(file) if file is not None else None
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
        if file_signature(self.path) != self._signature:
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
        same_box = self._data is not None and file_signature(self.path) == self._signature
        if same_box and state is not None and inode is not None and state[0] == inode and state[1] > end:
            found = self._read_journal(end, ident)  # the journal grew: only its new lines
        elif same_box and state is not None and (inode is None or state[0] != inode):
            # A new journal on the box we hold (ours was folded into this very file): all of it,
            # without reading a 100k-card box again — if it is this box file's.
            found = self._read_journal(0, None)
            if found.ident is not None and not pairs(found, self._data, self._signature):
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
            self._data = applied(self._data, [change for _, change in found.changes])
        self._journal = (found.ident if found.ident is not None else ident, found.end, found.inode)
        self.generation += 1
        return True

    @property
    def read_only(self) -> str | None:
        """Why the box file may not be changed right now (None: it may)."""
        return read_only_reason(self.path)

    @property
    def backups_dir(self) -> Path:
        return backups.backups_dir_for(self.path)
