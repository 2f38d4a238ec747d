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

The parts live in their own modules: atomic private files (`files`), the
file's bytes and checks (`box_codec`), the journal's replay (`replay`),
backups and restore (`backups`), the errors (`box_errors`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any

from cardbox.core import backups, boxindex, files, journal
from cardbox.core.backups import BACKUPS_KEPT, Backup
from cardbox.core.box_codec import (
    META_TABLE,
    SCHEMA_VERSION,
    encode_box_parts,
)
from cardbox.core.box_errors import BoxConflict, BoxError, BoxLocked, BoxReadOnly, BoxWriteError
from cardbox.core.box_reading import BoxReading
from cardbox.core.cardtable import BoxFile, CardMisplaced, CardTable, Span
from cardbox.core.files import (
    PRIVATE_FILE,
    check_is_a_file,
    describe_os_error,
    make_private_dirs,
    signature_of,
)
from cardbox.core.replay import FOLD_AT_OPEN, applied, folded_mark


class SafeStorage(BoxReading):
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
        super().__init__(path, clock=clock, lock_timeout=lock_timeout, backups_kept=backups_kept, journaling=journaling,
                         loading=loading)
        check_is_a_file(self.path)
        self._load()
        self._remove_orphans()
        if self.journal_bytes > FOLD_AT_OPEN and self.read_only is None:
            self._fold_quietly()


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
            raise BoxWriteError(describe_os_error(err, Path(err.filename) if isinstance(err.filename, str) else self.path)) from None
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
        data = applied(self.data(), [changes])
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
            data = applied(self.data(), [changes])
        ident, end, inode = self._journal
        folded = folded_mark(self._data)
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
            raise BoxWriteError(describe_os_error(err, self.journal_path) + "; the change was not saved, the box on disk is unchanged") from None
        self._data = data
        self._journal = (created or ident, new_end, new_inode)
        self.generation += 1

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
            raise BoxWriteError(describe_os_error(err, self.path) + "; the box on disk is unchanged") from None
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
        self._signature = signature_of(file)
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
            backups.link_or_copy(self.path, keep, self._replace_atomically)
        from cardbox.core.migrate import upgrade  # it reads cards and sessions, which import this module

        upgraded = upgrade(data, self.file_schema)
        meta = dict(upgraded.get(META_TABLE, {}).get("1") or {})
        meta["schema"] = SCHEMA_VERSION
        return {**upgraded, META_TABLE: {**upgraded.get(META_TABLE, {}), "1": meta}}

    def _replace_atomically(self, target: Path, payload: bytes | Iterable[bytes], mode: int | None = None) -> None:
        warning = files.write_atomically(target, payload, mode)
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

    def _backup_target(self) -> Path | None:
        """Where today's backup goes, when it is still to be taken (None: taken, or nothing to back up)."""
        if self._signature is None or not self.path.exists():
            return None
        return backups.backup_target(self.path, self.clock().date().isoformat())

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
                backups.link_or_copy(self.path, target, self._replace_atomically)
            backups.prune_backups(self.path, self.backups_kept)
        except OSError as err:
            # A missed backup must not stop the rep's change from saving.
            self.warnings.append(f"today's backup could not be made ({err.strerror or err}); it does not stop changes "
                                 "from saving")

    def list_backups(self) -> list[Backup]:
        return backups.list_backups(self.path)

    def restore_backup(self, name: str) -> Backup:
        """Put a backup back as the box; the current box is kept as a backup first."""
        restored = backups.restore_backup(self.path, name, self.clock, self.lock_timeout)
        with self._held():
            self._load()
        return restored.backup

    def close(self) -> None:
        pass
