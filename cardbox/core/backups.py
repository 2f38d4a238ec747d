"""The box's backups: a daily one beside the box, kept a week; a restore that never loses the box it replaces.

Backups are named `box-2026-11-22.json` in `box-backups/` beside the box;
those taken before a restore or a migration (`-before-`) are never pruned.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cardbox.core import files, journal
from cardbox.core.box_codec import decode_box_bytes, encode_box, parse_box_bytes
from cardbox.core.box_errors import BackupNotFound, BoxError, BoxLocked, BoxReadOnly, BoxWriteError
from cardbox.core.files import describe_os_error, make_private_dirs, read_only_reason
from cardbox.core.replay import replayed

BACKUPS_KEPT = 7



def backups_dir_for(path: Path) -> Path:
    return path.with_name(f"{path.stem}-backups")


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
        return encode_box(replayed(decode_box_bytes(raw, path), found))
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
        raise BoxWriteError(describe_os_error(err, path)) from None
    try:
        kept = None
        try:
            if path.exists():
                stamp = clock().strftime("%Y-%m-%d-before-restore-%H%M%S")
                kept = backups_dir_for(path) / f"{path.stem}-{stamp}.json"
                files.write_atomically(kept, _as_it_stands(path), mode=path.stat().st_mode & 0o7777)
            files.write_atomically(path, raw)
            pending = journal.journal_path(path)
            if pending.exists():
                # Its changes belong to the box that was replaced: kept beside it, never replayed onto the backup.
                aside = backups_dir_for(path) / f"{path.stem}-{clock():%Y-%m-%d-before-restore-%H%M%S}.journal"
                make_private_dirs(aside.parent)
                os.replace(pending, aside)
                files.fsync_dir(path.parent)
        except OSError as err:
            raise BoxWriteError(describe_os_error(err, path) + "; the box on disk is unchanged") from None
    finally:
        lock.release()
    return Restored(chosen, kept)



def backup_target(path: Path, day: str) -> Path | None:
    """Where the backup of `day` goes, while it is still to be taken (None: taken already)."""
    target = backups_dir_for(path) / f"{path.stem}-{day}.json"
    return None if target.exists() else target


def link_or_copy(path: Path, target: Path, write: Callable[[Path, bytes, int], None]) -> None:
    """Keep the box file as it is now as the backup at `target`.

    The box is about to be replaced by a rename, so the file as it is now
    can simply stay on as the backup: a hard link costs no space (a copy
    could take the last free space and make the save itself fail). Where
    links are not possible, a copy, by `write` (target, bytes, mode)."""
    make_private_dirs(target.parent)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        os.link(path, tmp)
        os.replace(tmp, target)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
        write(target, path.read_bytes(), path.stat().st_mode & 0o7777)  # a private box keeps private backups
        return
    try:
        files.fsync_dir(target.parent)
    except OSError:
        pass


def prune_backups(path: Path, kept: int) -> None:
    """Keep the newest `kept` daily backups; those taken before a restore or a migration are all kept."""
    daily = [b for b in list_backups(path) if "-before-" not in b.path.name]
    for old in daily[kept:]:
        old.path.unlink(missing_ok=True)
