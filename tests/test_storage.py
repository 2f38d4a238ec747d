"""SafeStorage: atomic, durable, locked writes; refusing bad files; backups."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import helpers
import orjson
import pytest
import tinydb
from helpers import Clock, sha, some

from cardbox.core import files
from cardbox.core.box import Box, CardNotFound
from cardbox.core.box_codec import SCHEMA_VERSION
from cardbox.core.box_errors import BoxConflict, BoxCorrupt, BoxError, BoxLocked, BoxTooNew, BoxWriteError
from cardbox.core.demo import box_data, write_box
from cardbox.core.storage import SafeStorage

NOW = datetime(2026, 11, 22, 10, 0)
CARDBOX = Path(sys.executable).parent / "cardbox"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def clock():
    return NOW


def temp_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*.tmp"))


def small_box(tmp_path: Path, count: int = 3) -> Box:
    box = Box(tmp_path / "box.json", clock=clock)
    for i in range(count):
        box.add(f"Prospect {i}", company="Acme Roofing", notes=f"note {i}")
    box.storage.fold()  # the box file alone holds them: tests below edit it by hand
    return box


def on_disk(path: Path) -> dict:
    return helpers.on_disk(path)


def child_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env.pop("CARDBOX_BOX", None)
    return env


# -- the file format ------------------------------------------------------------


def test_box_file_is_plain_tinydb(tmp_path):
    box = small_box(tmp_path)
    box.log(1, "no-answer")
    # The change is in the journal until it is folded in; plain TinyDB reads the box as last written whole.
    with tinydb.TinyDB(box.path) as db:
        assert db.table("cards").get(doc_id=1)["attempts"] == []
    assert box.storage.fold()
    assert not box.storage.journal_path.exists()
    with tinydb.TinyDB(box.path) as db:
        assert set(db.tables()) == {"cards", "sessions", "dnc", "imports", "meta"}
        cards = db.table("cards")
        assert sorted(doc.doc_id for doc in cards.all()) == [1, 2, 3]
        assert cards.get(doc_id=1)["attempts"][0]["outcome"] == "no-answer"
        assert db.table("meta").get(doc_id=1)["schema"] == SCHEMA_VERSION
    # and the same through TinyDB on top of SafeStorage
    with tinydb.TinyDB(box.path, storage=SafeStorage) as db:
        assert len(db.table("cards")) == 3


def test_new_box_file_is_not_created_until_the_first_change(tmp_path):
    path = tmp_path / "sub" / "box.json"
    box = Box(path, clock=clock)
    assert len(box) == 0 and box.due(NOW.date()) == []
    assert not path.exists()
    box.add("First")
    assert path.exists() and len(on_disk(path)["cards"]) == 1


def test_reads_come_from_memory(tmp_path, monkeypatch):
    box = small_box(tmp_path)
    storage = SafeStorage(box.path, clock=clock)

    def no_disk(*args, **kwargs):
        raise AssertionError("read the disk")

    monkeypatch.setattr(Path, "read_bytes", no_disk)
    monkeypatch.setattr(orjson, "loads", no_disk)
    for _ in range(3):
        assert len(some(storage.read())["cards"]) == 3


def test_directory_as_box_is_refused(tmp_path):
    with pytest.raises(BoxError, match="is a directory"):
        SafeStorage(tmp_path)


# -- refusing files it does not understand --------------------------------------

BAD_FILES = {
    "truncated-json": (b'{"cards": {"1": {"name": "Da', BoxCorrupt, "not valid JSON"),
    "binary": (b"\xff\xfe\x00garbage\x89PNG", BoxCorrupt, "not valid JSON"),
    "json-list": (b"[1, 2, 3]", BoxCorrupt, "not a card box"),
    "json-string": (b'"hello"', BoxCorrupt, "not a card box"),
    "table-not-object": (b'{"cards": [1, 2]}', BoxCorrupt, "not a card box"),
    "doc-not-object": (b'{"cards": {"1": 5}}', BoxCorrupt, "not a card box"),
    "newer-schema": (
        orjson.dumps({"cards": {}, "sessions": {}, "meta": {"1": {"schema": SCHEMA_VERSION + 1, "next_id": 1}}}),
        BoxTooNew,
        "newer cardbox",
    ),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_file_is_refused_untouched(tmp_path, kind):
    raw, error, words = BAD_FILES[kind]
    path = tmp_path / "box.json"
    path.write_bytes(raw)
    os.chmod(path, 0o640)
    before = sha(path)
    stat_before = path.stat()
    with pytest.raises(error, match=words) as info:
        Box(path, clock=clock)
    message = str(info.value)
    assert str(path) in message
    # Says what to do: a newer box needs a newer cardbox, anything else a backup.
    assert ("upgrade cardbox" if kind == "newer-schema" else "restore a backup") in message.lower()
    assert sha(path) == before
    assert path.stat().st_mtime_ns == stat_before.st_mtime_ns
    assert path.stat().st_mode & 0o777 == 0o640
    assert temp_files(tmp_path) == []
    assert not (tmp_path / "box-backups").exists()


@pytest.mark.parametrize("kind", ["truncated-json", "json-list", "newer-schema"])
@pytest.mark.parametrize("command", [["due"], ["add", "New Person"], ["log", "1", "no-answer"], ["find", "x"]])
def test_bad_file_through_the_cli_exits_3(tmp_path, kind, command):
    raw, _, words = BAD_FILES[kind]
    path = tmp_path / "box.json"
    path.write_bytes(raw)
    before = sha(path)
    env = child_env(tmp_path) | {"CARDBOX_NOW": "2026-11-22T10:00"}
    proc = subprocess.run([str(CARDBOX), "--box", str(path), *command], capture_output=True, text=True, env=env, timeout=30)
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and words in lines[0]
    assert sha(path) == before


def test_a_damaged_card_is_named_and_the_others_work(tmp_path):
    box = small_box(tmp_path)
    data = on_disk(box.path)
    del data["cards"]["2"]["created"]
    box.path.write_bytes(orjson.dumps(data))
    before = sha(box.path)
    fresh = Box(box.path, clock=clock)
    assert fresh.get(1).name == "Prospect 0"
    with pytest.raises(BoxCorrupt, match="card 2 is damaged"):
        fresh.get(2)
    env = child_env(tmp_path) | {"CARDBOX_NOW": "2026-11-22T10:00"}
    proc = subprocess.run([str(CARDBOX), "--box", str(box.path), "due"], capture_output=True, text=True, env=env, timeout=30)
    # The rest of the box works; the damaged card is named, and left as it is.
    assert proc.returncode == 0 and "card 2 is damaged" in proc.stderr
    assert sha(box.path) == before


def test_an_empty_file_is_not_taken_for_a_new_box(tmp_path):
    path = tmp_path / "box.json"
    path.write_bytes(b"")
    with pytest.raises(BoxCorrupt, match="is empty"):
        Box(path, clock=clock)
    assert path.read_bytes() == b""
    # No file at all is a new box.
    fresh = Box(tmp_path / "new.json", clock=clock)
    fresh.add("First")
    assert list(on_disk(fresh.path)["cards"]) == ["1"]


# -- catching up with other writers ---------------------------------------------


def test_a_change_underneath_is_reloaded_before_a_change(tmp_path):
    a = small_box(tmp_path, 2)
    b = Box(a.path, clock=clock)
    a.add("Only A knows")
    a.log(1, "voicemail")
    change = b.add("B's card")  # b's view is stale; it must catch up first
    assert change.card.id == 4
    b.log(1, "no-answer")
    cards = on_disk(a.path)["cards"]
    assert sorted(cards) == ["1", "2", "3", "4"]
    assert [x["outcome"] for x in cards["1"]["attempts"]] == ["voicemail", "no-answer"]
    # the second no-answer in a row cools down for 2 business days
    assert cards["1"]["due"]["start"] == "2026-11-24"  # Sunday + 2 business days


def test_plain_tinydb_write_on_a_stale_view_raises_conflict(tmp_path):
    box = small_box(tmp_path, 2)
    db = tinydb.TinyDB(box.path, storage=SafeStorage)
    box.add("Written by the box")
    after_box = sha(box.path)
    with pytest.raises(BoxConflict, match=str(box.path)):
        db.table("sessions").insert({"dials": 5})
    assert sha(box.path) == after_box
    # it reloaded: repeating the change now works and keeps the box's card
    db.table("sessions").insert({"dials": 5})
    data = on_disk(box.path)
    assert len(data["cards"]) == 3 and list(data["sessions"].values()) == [{"dials": 5}]


def test_file_corrupted_underneath_is_not_overwritten(tmp_path):
    box = small_box(tmp_path)
    box.path.write_bytes(b"{oops")
    with pytest.raises(BoxCorrupt):
        box.add("Another")
    assert box.path.read_bytes() == b"{oops"
    assert temp_files(tmp_path) == []


# -- write failures -------------------------------------------------------------


def _assert_in_step(box: Box, expected_cards: int, before_sha: str) -> None:
    assert sha(box.path) == before_sha
    assert box.storage.read() == on_disk(box.path)
    assert len(box) == expected_cards
    assert not box.storage.changed_on_disk()
    assert temp_files(box.path.parent) == []


def test_unwritable_directory(tmp_path, monkeypatch):
    box = small_box(tmp_path)
    box.log(1, "no-answer")
    before = sha(box.path)
    if IS_ROOT:
        # root ignores directory permissions: fail the way an unwritable
        # directory does, when the temp file is created.
        real_mkstemp = tempfile.mkstemp

        def denied(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        real_open = os.open

        def journal_denied(path, *args, **kwargs):
            if str(path).endswith(".journal"):
                raise PermissionError(errno.EACCES, "Permission denied")
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(tempfile, "mkstemp", denied)
        monkeypatch.setattr(os, "open", journal_denied)
    else:
        os.chmod(tmp_path, 0o500)
    try:
        with pytest.raises(BoxWriteError) as info:
            box.add("Cannot save")
        assert "permission" in str(info.value).lower()
        assert str(tmp_path) in str(info.value)
        with pytest.raises(BoxWriteError):
            box.log(1, "voicemail")
        with pytest.raises(BoxWriteError):
            box.delete(2)
        _assert_in_step(box, 3, before)
        assert len(box.get(1).attempts) == 1
        assert box.get(2).name == "Prospect 1"
    finally:
        if IS_ROOT:
            monkeypatch.setattr(tempfile, "mkstemp", real_mkstemp)
            monkeypatch.setattr(os, "open", real_open)
        else:
            os.chmod(tmp_path, 0o700)
    # once the directory is writable again, the box carries on
    assert box.add("Saved now").card.id == 4
    assert len(on_disk(box.path)["cards"]) == 4


def _fail_fold(monkeypatch, where: str) -> None:
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "fsync":
        monkeypatch.setattr(os, "fsync", full)
    elif where == "replace":
        monkeypatch.setattr(os, "replace", full)
    else:
        real_fdopen = os.fdopen

        class FullFile:
            def __init__(self, handle):
                self.handle = handle

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.handle.close()

            def write(self, data):
                self.handle.write(data[: len(data) // 2])
                raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fdopen", lambda fd, mode: FullFile(real_fdopen(fd, mode)))


@pytest.mark.parametrize("where", ["fsync", "write"])
def test_full_disk_while_journaling_a_change(tmp_path, monkeypatch, where):
    box = small_box(tmp_path)
    box.log(1, "no-answer")  # a journal is there already
    before, journal_before = sha(box.path), sha(box.storage.journal_path)
    real_write = os.write

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    def half(fd, data):
        real_write(fd, bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync" if where == "fsync" else "write", full if where == "fsync" else half)
    with pytest.raises(BoxWriteError) as info:
        box.add("Does not fit")
    monkeypatch.undo()
    message = str(info.value)
    assert "full" in message and "not saved" in message and "unchanged" in message
    # Nothing half-written stays: the box and its journal are as they were.
    assert sha(box.path) == before and sha(box.storage.journal_path) == journal_before
    _assert_in_step(box, 3, before)
    with pytest.raises(CardNotFound):
        box.get(4)
    assert box.add("Fits now").card.id == 4
    assert len(on_disk(box.path)["cards"]) == 4


@pytest.mark.parametrize("where", ["fsync", "write", "replace"])
def test_full_disk_while_folding_keeps_the_box_and_the_journal(tmp_path, monkeypatch, where):
    box = small_box(tmp_path)
    box.log(1, "no-answer")
    before, journal_before = sha(box.path), sha(box.storage.journal_path)
    _fail_fold(monkeypatch, where)
    with pytest.raises(BoxWriteError) as info:
        box.storage.fold()
    monkeypatch.undo()
    message = str(info.value)
    assert "full" in message and "unchanged" in message
    assert sha(box.path) == before and sha(box.storage.journal_path) == journal_before
    _assert_in_step(box, 3, before)
    assert box.get(1).attempts[0].outcome == "no-answer"  # the change reported saved is still saved
    assert Box(box.path, clock=clock).get(1).attempts[0].outcome == "no-answer"


@pytest.mark.parametrize("where", ["fsync", "write", "replace"])
def test_full_disk_on_a_whole_write(tmp_path, monkeypatch, where):
    # The first change to a new box (or one of an older schema) writes the file whole.
    box = Box(tmp_path / "box.json", clock=clock)
    box.add("First")
    box.storage.journaling = False
    before = sha(box.path)
    _fail_fold(monkeypatch, where)
    with pytest.raises(BoxWriteError) as info:
        box.add("Does not fit")
    monkeypatch.undo()
    assert "full" in str(info.value) and "unchanged" in str(info.value)
    _assert_in_step(box, 1, before)


def test_unserialisable_change_keeps_the_old_box(tmp_path):
    box = small_box(tmp_path)
    before = sha(box.path)
    data = box.storage.data()
    data["sessions"]["1"] = {"when": object()}
    with pytest.raises(BoxWriteError, match="cannot save"):
        with box.storage.locked():
            box.storage.commit(data)
    _assert_in_step(box, 3, before)


def test_full_disk_through_the_cli_exits_3(tmp_path):
    small_box(tmp_path)
    # a read-only file system is the honest stand-in here: run the CLI with
    # os.replace failing via a sitecustomize-free wrapper
    code = (
        "import errno, os, sys\n"
        "def full(*a, **k): raise OSError(errno.ENOSPC, 'No space left on device')\n"
        "os.fsync = full\n"
        "from cardbox.cli import main\n"
        "sys.exit(main())\n"
    )
    path = tmp_path / "box.json"
    before = sha(path)
    env = child_env(tmp_path) | {"CARDBOX_NOW": "2026-11-22T10:00"}
    proc = subprocess.run([sys.executable, "-c", code, "--box", str(path), "add", "Nope"],
                          capture_output=True, text=True, env=env, timeout=30)
    assert proc.returncode == 3
    assert "full" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert sha(path) == before
    assert temp_files(tmp_path) == []


# -- permissions ----------------------------------------------------------------


def test_permissions_are_kept_across_a_save(tmp_path):
    box = small_box(tmp_path)
    os.chmod(box.path, 0o640)
    box.add("Another")
    box.log(1, "no-answer")
    assert box.path.stat().st_mode & 0o7777 == 0o640
    os.chmod(box.path, 0o600)
    box.add("Private")
    assert box.path.stat().st_mode & 0o7777 == 0o600


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_a_new_box_is_private_whatever_the_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        box = Box(tmp_path / "new" / "box.json", clock=clock)
        box.add("First")
    finally:
        os.umask(old)
    assert box.path.stat().st_mode & 0o7777 == 0o600  # prospects' names and numbers: the owner's alone
    assert box.path.parent.stat().st_mode & 0o7777 == 0o700


def test_backups_keep_the_box_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        box = small_box(tmp_path, 1)  # a new box: no backup yet
        os.chmod(box.path, 0o600)
        box.add("Triggers today's backup")
    finally:
        os.umask(old)
    (backup,) = box.storage.list_backups()
    assert backup.path.stat().st_mode & 0o7777 == 0o600
    assert box.path.stat().st_mode & 0o7777 == 0o600


# -- orphans --------------------------------------------------------------------


def test_orphaned_temp_files_are_removed_on_open(tmp_path):
    box = small_box(tmp_path)
    orphans = [tmp_path / ".box.json.k2j3h4.tmp", tmp_path / ".box.json.zz_9.tmp"]
    keep = [tmp_path / ".other.json.k2j3h4.tmp", tmp_path / "box.json.bak", tmp_path / "notes.tmp"]
    for item in orphans + keep:
        item.write_bytes(b'{"cards": {"1": ')
    Box(box.path, clock=clock)
    assert not any(p.exists() for p in orphans)
    assert all(p.exists() for p in keep)


def test_orphaned_backup_temp_files_are_removed_on_open(tmp_path):
    box = small_box(tmp_path)
    backups = tmp_path / "box-backups"
    assert backups.is_dir()  # small_box's second save took today's backup
    orphan = backups / ".box-2026-11-22.json.a1b2c3.tmp"
    orphan.write_bytes(b"half a backup")
    kept = [b.path for b in box.storage.list_backups()]
    Box(box.path, clock=clock)
    assert not orphan.exists()
    assert kept and all(p.exists() for p in kept)


LOCK_HOLDER = (
    "import sys\n"
    "from filelock import FileLock\n"
    "lock = FileLock(sys.argv[1] + '.lock', thread_local=False)\n"
    "lock.acquire()\n"
    "print('held', flush=True)\n"
    "sys.stdin.read()\n"
)


@pytest.fixture
def lock_held_elsewhere(tmp_path):
    """Hold the box's writer lock from another process."""
    path = tmp_path / "box.json"
    holders = []

    def hold() -> None:
        proc = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(path)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert some(proc.stdout).readline().strip() == "held"
        holders.append(proc)

    yield hold
    for proc in holders:
        some(proc.stdin).close()
        proc.wait(timeout=10)


def test_orphans_are_left_alone_while_another_writer_holds_the_lock(tmp_path, lock_held_elsewhere):
    box = small_box(tmp_path)
    in_flight = tmp_path / ".box.json.inflight.tmp"
    in_flight.write_bytes(b"being written")
    lock_held_elsewhere()
    Box(box.path, clock=clock, lock_timeout=0.2)
    assert in_flight.exists()


def test_lock_held_by_another_process_gives_box_locked(tmp_path, lock_held_elsewhere):
    box = small_box(tmp_path)
    before = sha(box.path)
    lock_held_elsewhere()
    waiting = Box(box.path, clock=clock, lock_timeout=0.3)
    assert waiting.get(1).name == "Prospect 0"  # reading needs no lock
    with pytest.raises(BoxLocked, match="locked by another cardbox"):
        waiting.add("Blocked")
    with pytest.raises(BoxLocked):
        waiting.log(1, "no-answer")
    db = tinydb.TinyDB(box.path, storage=SafeStorage, lock_timeout=0.3)
    with pytest.raises(BoxLocked):
        db.table("sessions").insert({"dials": 1})
    assert sha(box.path) == before
    assert len(waiting) == 3


# -- backups --------------------------------------------------------------------


def test_backups_once_a_day_pruned_to_seven_and_restorable(tmp_path):
    clock_ = Clock(datetime(2026, 11, 1, 9, 0))
    box = Box(tmp_path / "box.json", clock=clock_)
    box.add("Day one, first")  # a brand-new box has nothing to back up
    assert box.storage.list_backups() == []
    box.add("Day one, second")
    box.add("Day one, third")
    (first,) = box.storage.list_backups()
    assert first.day == "2026-11-01"
    assert first.path.parent == tmp_path / "box-backups"
    # the backup is the box as it was before the day's first change
    assert [c["name"] for c in on_disk(first.path)["cards"].values()] == ["Day one, first"]
    assert first.size == first.path.stat().st_size

    for day in range(2, 12):
        clock_.moment = datetime(2026, 11, day, 9, 0)
        box.add(f"Day {day}")
        box.add(f"Day {day}, again")
    days = [b.day for b in box.storage.list_backups()]
    assert days == [f"2026-11-{d:02}" for d in range(11, 4, -1)]

    # restore: the box becomes the backup, and the replaced box is kept
    chosen = box.storage.list_backups()[3]
    assert chosen.day == "2026-11-08"
    replaced = on_disk(box.path)["cards"]  # the box as it stands: its file and its journal
    box.storage.restore_backup("2026-11-08")
    assert box.path.read_bytes() == chosen.path.read_bytes()
    assert len(box) == 1 + 2 * 7  # cards up to the end of 7 November
    assert box.find("Day 9") == []
    kept = [b for b in box.storage.list_backups() if "before-restore" in b.day]
    assert len(kept) == 1 and on_disk(kept[0].path)["cards"] == replaced
    # the box carries on after a restore, never reusing ids
    assert box.add("After restore").card.id == 16
    # a before-restore copy is not pruned with the daily ones
    for day in range(12, 22):
        clock_.moment = datetime(2026, 11, day, 9, 0)
        box.add(f"Day {day}")
    assert len(box.storage.list_backups()) == 8


def test_restore_by_file_name_and_unknown_name(tmp_path):
    clock_ = Clock(datetime(2026, 11, 1, 9, 0))
    box = Box(tmp_path / "box.json", clock=clock_)
    for name in ("One", "Two", "Three", "Four"):
        box.add(name)
    (backup,) = box.storage.list_backups()
    with pytest.raises(BoxError, match="no backup called 'yesterday'.*2026-11-01"):
        box.storage.restore_backup("yesterday")
    box.storage.restore_backup(backup.path.name)
    assert [c.name for c in box.cards()] == ["One"]  # the box before the day's second save


def test_restore_of_a_damaged_backup_is_refused(tmp_path):
    clock_ = Clock(datetime(2026, 11, 1, 9, 0))
    box = Box(tmp_path / "box.json", clock=clock_)
    box.add("One")
    box.add("Two")
    (backup,) = box.storage.list_backups()
    backup.path.write_bytes(b'{"cards": {"1": {"name"')
    before = sha(box.path)
    with pytest.raises(BoxCorrupt, match=str(backup.path)):
        box.storage.restore_backup("2026-11-01")
    assert sha(box.path) == before
    assert [b.day for b in box.storage.list_backups()] == ["2026-11-01"]
    assert len(box) == 2


def test_a_failed_backup_does_not_stop_the_save(tmp_path):
    box = small_box(tmp_path, 1)
    (tmp_path / "box-backups").write_text("a file where the folder should be")
    box.add("Still saved")
    assert len(on_disk(box.path)["cards"]) == 2
    assert box.storage.warnings and "backup could not be made" in box.storage.warnings[0]


# -- concurrency and crashes ----------------------------------------------------

KILL_CHILD = r"""
import sys
from datetime import datetime
from cardbox.core.box import Box
path, trial = sys.argv[1], sys.argv[2]
box = Box(path, clock=lambda: datetime(2026, 11, 22, 10, 0))
sys.stdout.write("ready\n"); sys.stdout.flush()
i = 0
while True:
    change = box.add(f"Kill {trial}-{i}", notes="written before the kill " * 8)
    sys.stdout.write(f"{change.after.id} Kill {trial}-{i}\n"); sys.stdout.flush()
    i += 1
    if i % 4 == 0:
        box.storage.fold()  # kills land in folds as well as in journal appends
"""


def check_after_kill(path: Path, acknowledged: dict[int, str]) -> None:
    """What a kill -9 must leave: a whole box file, every acknowledged change on disk, nothing left over once opened."""
    with tinydb.TinyDB(path) as db:  # the file is whole: stock TinyDB reads it
        assert len(db.table("cards")) >= 2000
    saved = on_disk(path)["cards"]  # the box file and its journal, read from the journal's documented format
    for card_id, name in acknowledged.items():
        assert saved[str(card_id)]["name"] == name
    box = Box(path, clock=clock)
    assert all(box.get(card_id).name == name for card_id, name in acknowledged.items())
    assert list(path.parent.glob(".box.json.*.tmp")) == []


def test_kill_9_never_loses_an_acknowledged_card(tmp_path):
    path = tmp_path / "box.json"
    data = box_data(2000, NOW)
    write_box(path, data)
    acknowledged: dict[int, str] = {}
    rng = random.Random(1234)
    env = child_env(tmp_path)
    # Kill at random moments until kills have landed both mid-fold (a temporary
    # file was on disk) and with a journal waiting, so the test proves what it is named for.
    mid_fold = with_journal = trials = 0
    while (mid_fold < 3 or with_journal < 3) and trials < 150:
        proc = subprocess.Popen([sys.executable, "-c", KILL_CHILD, str(path), str(trials)],
                                stdout=subprocess.PIPE, env=env)
        assert some(proc.stdout).readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        for line in out.decode().split("\n")[:-1]:  # only complete lines were acknowledged
            card_id, name = line.split(" ", 1)
            acknowledged[int(card_id)] = name
        mid_fold += bool([tmp for tmp in tmp_path.glob(".box.json.*.tmp") if not tmp.name.startswith(".box.json.index.")])
        with_journal += (tmp_path / "box.json.journal").exists()
        check_after_kill(path, acknowledged)
        trials += 1
    assert mid_fold >= 3 and with_journal >= 3, f"{mid_fold} kills mid-fold, {with_journal} with a journal, in {trials}"
    assert len(acknowledged) > 0
    # ids are unique and never reused across the crashes; a fold brings every change into the file itself
    box = Box(path, clock=clock)
    assert len(box) == len(set(box.ids()))
    assert box.add("After the storm").card.id > max(acknowledged)
    box.storage.fold()
    with tinydb.TinyDB(path) as db:
        names = {doc.doc_id: doc["name"] for doc in db.table("cards").all()}
    assert all(names[card_id] == name for card_id, name in acknowledged.items())


TWO_PROCESS_CHILD = r"""
import os, sys, time
from datetime import datetime
from cardbox.core.box import Box
path, tag, count, shared, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
box = Box(path, clock=lambda: datetime(2026, 11, 22, 10, 0))
while not os.path.exists(go):
    time.sleep(0.001)
for i in range(count):
    card = box.add(f"{tag}-{i}").card
    box.log(card.id, "no-answer", note=f"{tag}-{i}")
    box.log(shared, "voicemail", note=f"{tag}-{i}")
    print(card.id, flush=True)
"""


def test_two_processes_lose_no_update(tmp_path):
    path = tmp_path / "box.json"
    write_box(path, box_data(50, NOW))
    count = 40
    shared = 1
    go = tmp_path / "go"
    env = child_env(tmp_path)
    procs = [
        subprocess.Popen([sys.executable, "-c", TWO_PROCESS_CHILD, str(path), tag, str(count), str(shared), str(go)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for tag in ("A", "B")
    ]
    time.sleep(0.3)
    go.touch()
    outputs = [proc.communicate(timeout=60) for proc in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    box = Box(path, clock=clock)
    assert len(box) == 50 + 2 * count
    for tag, (out, _) in zip(("A", "B"), outputs, strict=True):
        ids = [int(x) for x in out.split()]
        assert len(ids) == count
        for i, card_id in enumerate(ids):
            card = box.get(card_id)
            assert card.name == f"{tag}-{i}"
            assert [(a.outcome, a.note) for a in card.attempts] == [("no-answer", f"{tag}-{i}")]
    shared_card = box.get(shared)
    new_notes = [a.note for a in shared_card.attempts if a.outcome == "voicemail" and a.note[:1] in "AB" and a.note[1:2] == "-"]
    assert sorted(new_notes) == sorted(f"{tag}-{i}" for tag in "AB" for i in range(count))
    assert len(set(box.ids())) == len(box)
    # still plain TinyDB JSON
    json.loads(path.read_text())


def test_add_note_from_a_stale_window_keeps_the_other_windows_note(tmp_path):
    a = small_box(tmp_path, 1)
    b = Box(a.path, clock=clock)
    b.get(1)  # b has seen the card once
    a.add_note(1, "from A")
    b.add_note(1, "from B")
    notes = Box(a.path, clock=clock).get(1).notes
    assert "from A" in notes and "from B" in notes


def test_the_box_is_encoded_in_slices_exactly_as_one_call_would():
    from cardbox.core.box_codec import encode_box

    cards = {str(i): {"id": i, "name": f"Zoë {i}", "notes": "a\\nb \\u202e", "tags": ["x"]} for i in range(1, 1203)}
    sessions = {str(i): {"id": i, "ticks": [{"at": "2026-11-23T10:00:00", "kind": "dial", "count": 1}] * 3} for i in range(1, 121)}
    layouts: tuple[dict[str, dict[str, Any]], ...] = ({}, {"cards": {}}, {"cards": cards, "sessions": sessions, "dnc": {}, "meta": {"1": {"schema": 2}}})
    for data in layouts:
        assert orjson.loads(encode_box(data)) == data


def test_another_writers_journal_lines_are_picked_up_without_reading_the_box_again(tmp_path):
    first = small_box(tmp_path)
    second = Box(first.path, clock=clock)
    loads = first.storage.loads
    second.add("From the other window")  # a new journal beside the box both hold
    assert first.refresh() and first.storage.loads == loads  # read from the journal alone
    assert [c.name for c in first.cards()][-1] == "From the other window"
    second.log(1, "no-answer")  # the journal grows
    assert first.refresh() and first.storage.loads == loads
    assert first.get(1).attempts[-1].outcome == "no-answer"
    second.storage.fold()  # the box file itself is replaced: read anew
    assert first.refresh() and first.storage.loads == loads + 1
    assert first.get(1).attempts[-1].outcome == "no-answer" and len(first) == 4


@pytest.mark.parametrize("line", [b'{"put": {"meta": {"1": 5}}}', b'{"put": []}', b'[1, 2]', b'{"nothing": 1}', b'{oops'])
def test_a_journal_line_that_is_not_a_change_is_refused_and_nothing_is_touched(tmp_path, line):
    box = small_box(tmp_path)
    box.log(1, "no-answer")
    journal = box.storage.journal_path
    journal.write_bytes(journal.read_bytes() + line + b"\n" + journal.read_bytes().split(b"\n")[1] + b"\n")
    before, journal_before = sha(box.path), sha(journal)
    with pytest.raises(BoxCorrupt, match="is not a saved change.*Move the journal away"):
        Box(box.path, clock=clock)
    assert sha(box.path) == before and sha(journal) == journal_before


def test_a_torn_last_journal_line_was_never_acknowledged_and_is_cut_off_by_the_next_writer(tmp_path):
    box = small_box(tmp_path)
    box.log(1, "no-answer")
    journal = box.storage.journal_path
    journal.write_bytes(journal.read_bytes() + b'{"put": {"cards": {"2": {"id": 2, "na')
    again = Box(box.path, clock=clock)
    assert again.get(2).name == "Prospect 1" and again.get(1).attempts[0].outcome == "no-answer"
    again.log(2, "voicemail")
    assert journal.read_bytes().endswith(b"\n") and b'"na\n' not in journal.read_bytes()
    assert Box(box.path, clock=clock).get(2).attempts[-1].outcome == "voicemail"


def test_a_nearly_full_disk_on_the_days_first_change_still_saves_the_change(tmp_path, monkeypatch):
    """The day's first change wants room for a backup and a whole box; the change itself needs one journal line."""
    moment = Clock(datetime(2026, 11, 22, 10, 0))
    box = Box(tmp_path / "box.json", clock=moment)
    box.add("Ann")
    box.add("Abe")
    box.log(1, "no-answer")  # a journal waits
    moment.moment = datetime(2026, 11, 23, 9, 0)  # the next day: its first change would back up and fold
    tries = []

    def no_room(*args, **kwargs):
        tries.append(args)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "write_atomically", no_room)
    box.log(2, "voicemail")  # saved: the journal line fits
    tried = len(tries)  # the backup and the whole box, once
    box.add("Cy")  # and the next change does not try the whole write again today
    monkeypatch.undo()
    assert tried == 2 and len(tries) == tried
    warning = " ".join(box.storage.warnings)
    assert "saved in the journal" in warning and "not saved" not in warning
    reopened = Box(box.path, clock=moment)
    assert [a.outcome for a in reopened.get(2).attempts] == ["voicemail"] and reopened.get(3).name == "Cy"
