"""The journal's edges: it belongs to one box file, it is never another's, and it is never written through a link.

Each test sets up the reproduction from the reliability trial and checks the
box as it stands afterwards — the box file, its journal and its index (the
`files` helper), never box.json alone.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest
import tinydb
from helpers import sha

from cardbox.core.box import Box
from cardbox.core.box_errors import BoxError, BoxWriteError

NOW = datetime(2026, 11, 22, 10, 0)


def files(path: Path) -> dict[str, str]:
    """The box as saved: its file, its journal and its index, each by hash."""
    return {suffix: sha(path.with_name(path.name + suffix)) for suffix in ("", ".journal", ".index")}


def make(path: Path, *names: str) -> Box:
    box = Box(path, clock=lambda: NOW)
    for name in names:
        box.add(name)
    return box


def test_a_journal_copied_from_another_box_is_never_applied_and_is_set_aside_untouched(tmp_path):
    a = make(tmp_path / "a" / "box.json", "Ann A", "Abe A")
    a.log(1, "no-answer")  # box A: a journal with a change to card 1
    b = make(tmp_path / "b" / "box.json", "Bea B", "Bob B")
    b.storage.fold()
    foreign = a.storage.journal_path.read_bytes()
    shutil.copy(a.storage.journal_path, b.storage.journal_path)
    reopened = Box(b.path, clock=lambda: NOW)
    assert [card.name for card in reopened.cards()] == ["Bea B", "Bob B"]  # A's cards never show under B's ids
    assert any("not written on this box file" in warning for warning in reopened.storage.warnings)
    reopened.add("Cy B")  # the next change sets it aside, untouched, and starts B's own journal
    aside = list((tmp_path / "b" / "box-backups").glob("*not-this-box*.journal"))
    assert len(aside) == 1 and aside[0].read_bytes() == foreign
    again = Box(b.path, clock=lambda: NOW)
    assert [card.name for card in again.cards()] == ["Bea B", "Bob B", "Cy B"]
    again.storage.fold()
    assert [doc["name"] for doc in tinydb.TinyDB(b.path).table("cards").all()] == ["Bea B", "Bob B", "Cy B"]


def test_a_plain_tinydb_edit_after_a_journal_line_is_not_reverted(tmp_path):
    path = tmp_path / "box.json"
    box = make(path, "Ann", "Abe")
    box.storage.fold()
    box.log(2, "no-answer")  # a journal line, begun on the box file as it is
    assert box.storage.journal_path.exists()
    with tinydb.TinyDB(path) as db:
        db.table("cards").update({"name": "RENAMED"}, doc_ids=[1])
    reopened = Box(path, clock=lambda: NOW)
    assert reopened.get(1).name == "RENAMED"  # the edit stands
    assert any("not written on this box file" in warning for warning in reopened.storage.warnings)
    reopened.add("Cy")
    reopened.storage.fold()
    assert Box(path, clock=lambda: NOW).get(1).name == "RENAMED"  # and the next fold keeps it
    # The journal's change is not thrown away: it is kept, untouched, beside the backups.
    [aside] = (tmp_path / "box-backups").glob("*not-this-box*.journal")
    assert b'"no-answer"' in aside.read_bytes()


def test_a_fold_killed_before_the_journal_went_then_a_tinydb_edit_keeps_the_edit(tmp_path):
    """The 'already folded' mark: the box holds the journal whole, so none of its lines is replayed."""
    path = tmp_path / "box.json"
    box = make(path, "Ann", "Abe")
    box.storage.fold()
    box.log(1, "no-answer")
    journal_bytes = box.storage.journal_path.read_bytes()
    box.storage.fold()  # the box now holds the journal; put the journal back as a kill before its removal leaves it
    box.storage.journal_path.write_bytes(journal_bytes)
    with tinydb.TinyDB(path) as db:
        db.table("cards").update({"name": "RENAMED", "attempts": []}, doc_ids=[1])
    reopened = Box(path, clock=lambda: NOW)
    assert reopened.get(1).name == "RENAMED" and reopened.get(1).attempts == ()  # the older journal line does not win
    reopened.add("Cy")  # the first change finishes the killed fold: a journal paired with the file as it is
    assert Box(path, clock=lambda: NOW).get(1).name == "RENAMED"
    assert [card.name for card in Box(path, clock=lambda: NOW).cards()] == ["RENAMED", "Abe", "Cy"]


def test_lines_after_a_killed_fold_are_replayed_once(tmp_path):
    path = tmp_path / "box.json"
    box = make(path, "Ann")
    box.storage.fold()
    box.log(1, "no-answer")
    journal_bytes = box.storage.journal_path.read_bytes()
    box.storage.fold()
    box.storage.journal_path.write_bytes(journal_bytes)  # killed before the journal was removed
    box = Box(path, clock=lambda: NOW)
    assert len(box.get(1).attempts) == 1  # held by the box, not replayed twice
    box.log(1, "voicemail")
    assert [a.outcome for a in Box(path, clock=lambda: NOW).get(1).attempts] == ["no-answer", "voicemail"]


def test_an_orphan_journal_is_never_deleted_when_a_new_box_is_made(tmp_path):
    path = tmp_path / "box.json"
    box = make(path, "Ann")
    box.storage.fold()
    box.log(1, "no-answer")
    held = box.storage.journal_path.read_bytes()
    path.rename(tmp_path / "moved.json")  # the box moved away, its journal left behind
    fresh = Box(path, clock=lambda: NOW)
    assert fresh.cards() == [] and any("a box that is not there" in w for w in fresh.storage.warnings)
    fresh.add("New")  # makes a new box: the orphan's changes are kept, not deleted
    kept = list((tmp_path / "box-backups").glob("*not-this-box*.journal"))
    assert [k.read_bytes() for k in kept] == [held]
    assert [card.name for card in Box(path, clock=lambda: NOW).cards()] == ["New"]


def test_a_symlink_planted_at_the_journal_is_never_followed(tmp_path):
    path = tmp_path / "box.json"
    box = make(path, "Ann", "Abe")  # the day's backup is taken by the second
    box.storage.fold()
    target = tmp_path / "elsewhere" / "stolen.txt"
    target.parent.mkdir()
    os.symlink(target, box.storage.journal_path)  # planted while the box is open
    before = files(path)
    with pytest.raises(BoxWriteError, match="symbolic link"):
        box.log(1, "no-answer", note="secret note")
    with pytest.raises(BoxError, match="symbolic link"):
        Box(path, clock=lambda: NOW)  # and refused when a box is opened beside it
    assert not target.exists()  # nothing written through the link, not even created
    assert files(path) == before


def test_a_fifo_at_the_journal_is_refused_without_blocking(tmp_path):
    path = tmp_path / "box.json"
    make(path, "Ann").storage.fold()
    os.mkfifo(path.with_name("box.json.journal"))
    with pytest.raises(BoxError, match="not a plain file"):
        Box(path, clock=lambda: NOW)
