"""The index beside the box: opening from it, and never trusting one that does not match the box."""

from __future__ import annotations

import errno
import os
import tempfile
from datetime import date, datetime
from pathlib import Path

import orjson
import pytest
import tinydb
from helpers import Clock, on_disk, some

from cardbox.core import box_reading, boxindex
from cardbox.core.box import Box
from cardbox.core.box_errors import BoxError
from cardbox.core.cardtable import BoxFile
from cardbox.core.demo import box_data, write_box
from cardbox.core.documents import CardDoc

NOW = datetime(2026, 11, 22, 10, 0)


def opened_from_index(path: Path, monkeypatch) -> Box:
    """A Box opened with the whole-file read made to fail: it must come from the index."""
    def no_whole_read(*_args, **_kwargs):
        raise AssertionError("the box file was read whole")

    with monkeypatch.context() as patch:
        patch.setattr(box_reading, "decode_box_bytes", no_whole_read)
        return Box(path, clock=Clock())


def everything(box: Box) -> list[CardDoc]:
    return sorted((card.to_dict() for card in box.cards()), key=lambda doc: doc["id"])


@pytest.fixture
def boxed(tmp_path) -> Path:
    path = tmp_path / "box.json"
    write_box(path, box_data(60, NOW))
    return path


def test_the_first_open_writes_an_index_and_the_next_opens_from_it(boxed, monkeypatch):
    first = Box(boxed, clock=Clock())
    assert boxindex.index_path(boxed).exists()
    second = opened_from_index(boxed, monkeypatch)
    assert everything(second) == everything(first)
    later = date(2027, 3, 1)
    assert second.due(later) and [c.id for c in second.due(later)] == [c.id for c in first.due(later)]
    assert second.find("a") == first.find("a")
    # The index holds names and notes: it is as private as the box.
    assert boxindex.index_path(boxed).stat().st_mode & 0o777 == boxed.stat().st_mode & 0o666


def test_a_fold_writes_the_index_of_the_new_file(boxed, monkeypatch):
    box = Box(boxed, clock=Clock())
    card = box.add("Zed Newcomer", phones=["+1 415 555 0199"]).card
    box.log(1, "no-answer", note="rang out")
    box.storage.fold()
    again = opened_from_index(boxed, monkeypatch)
    assert again.get(card.id).name == "Zed Newcomer"
    assert again.get(1).attempts[-1].note == "rang out"
    assert everything(again) == everything(box)
    # A change after the fold goes to the journal; the index is still the file's, and the journal is applied on top.
    box.log(2, "voicemail", note="left one")
    assert opened_from_index(boxed, monkeypatch).get(2).attempts[-1].note == "left one"


def test_a_box_changed_by_another_program_is_read_whole_not_from_a_stale_index(boxed):
    Box(boxed, clock=Clock())
    with tinydb.TinyDB(boxed) as db:  # plain TinyDB: the index knows nothing of it
        db.table("cards").update({"name": "Renamed By Hand"}, doc_ids=[3])
    reopened = Box(boxed, clock=Clock())
    assert reopened.get(3).name == "Renamed By Hand" and reopened.find_ids("renamed by hand") == [3]


def test_same_size_rewrite_in_place_is_caught(boxed):
    """Even a same-length edit written into the file in place (its inode kept) changes its times."""
    Box(boxed, clock=Clock())
    raw = boxed.read_bytes()
    name = on_disk(boxed)["cards"]["4"]["name"]
    fake = "X" * len(name)
    with open(boxed, "r+b") as handle:  # in place: the same inode and size
        handle.write(raw.replace(orjson.dumps(name), orjson.dumps(fake), 1))
    reopened = Box(boxed, clock=Clock())
    assert reopened.get(4).name == fake
    assert reopened.find_ids(fake) == [4]  # the heads too (find, lists) come from the file, not the old index


@pytest.mark.parametrize("damage", ["empty", "garbage", "torn", "magic only", "wrong box", "a flipped bit"])
def test_a_damaged_index_is_ignored_and_made_again(boxed, damage, monkeypatch):
    expected = everything(Box(boxed, clock=Clock()))
    index = boxindex.index_path(boxed)
    whole = index.read_bytes()
    index.write_bytes({
        "empty": b"",
        "garbage": os.urandom(5000),
        "torn": whole[: len(whole) // 2],
        "magic only": boxindex.MAGIC,
        "wrong box": whole.replace(boxindex.MAGIC, b"cardbox-index 9\n"),
        "a flipped bit": whole[:-5000] + bytes([whole[-5000] ^ 0x10]) + whole[-4999:],
    }[damage])
    assert everything(Box(boxed, clock=Clock())) == expected
    assert index.read_bytes() == whole  # made again, the same
    assert everything(opened_from_index(boxed, monkeypatch)) == expected


def test_an_index_that_places_a_card_wrongly_is_dropped_with_a_clear_message(boxed):
    Box(boxed, clock=Clock())
    index = boxindex.index_path(boxed)
    file = BoxFile.open(boxed)
    found = boxindex.read(index, boxindex.signature(file.fileno()))
    assert found is not None
    spans = dict(found.spans)
    spans["5"] = spans["6"]  # card 5 pointed at card 6's bytes
    index.write_bytes(b"".join(boxindex.encode(boxindex.signature(file.fileno()), found.tables, spans, found.heads)))
    box = Box(boxed, clock=Clock())
    with pytest.raises(BoxError, match="index beside the box does not match it"):
        box.get(5)
    assert not index.exists()
    assert Box(boxed, clock=Clock()).get(5).id == 5  # read whole again, right


def test_counting_the_numbers_with_an_index_that_misplaces_a_card_is_refused_not_miscounted(boxed):
    # A misplaced card is the index's fault: not a damaged card left out of the numbers in silence.
    Box(boxed, clock=Clock())
    index = boxindex.index_path(boxed)
    file = BoxFile.open(boxed)
    found = boxindex.read(index, boxindex.signature(file.fileno()))
    assert found is not None
    spans = dict(found.spans)
    spans["5"] = spans["6"]
    index.write_bytes(b"".join(boxindex.encode(boxindex.signature(file.fileno()), found.tables, spans, found.heads)))
    box = Box(boxed, clock=Clock())
    with pytest.raises(BoxError, match="index beside the box does not match it"):
        box.ledger()
    assert not index.exists() and 5 not in box.damaged
    assert len(Box(boxed, clock=Clock()).ledger().status) == 60  # read whole again: every card counted


def test_a_folder_that_refuses_the_index_opens_the_box_all_the_same(boxed, monkeypatch):
    def refused(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)  # (root writes anywhere, so chmod cannot show it)
    box = Box(boxed, clock=Clock())
    assert len(box) == 60 and box.get(1).name
    assert not boxindex.index_path(boxed).exists()


def test_a_read_only_box_gets_no_index(boxed):
    boxed.chmod(0o444)
    try:
        box = Box(boxed, clock=Clock())
        assert len(box) == 60
        assert not boxindex.index_path(boxed).exists()
    finally:
        boxed.chmod(0o644)


def test_a_card_is_read_from_the_file_as_it_was_opened_even_after_another_writer_replaced_it(boxed):
    reader = Box(boxed, clock=Clock())
    writer = Box(boxed, clock=Clock())
    writer.add("Written Elsewhere")
    writer.storage.fold()  # a new box file renamed over the path
    assert some(reader.storage._data)["cards"]["7"]["id"] == 7  # the old file, still open, reads its own cards
    assert any(c.name == "Written Elsewhere" for c in Box(boxed, clock=Clock()).cards())


def test_an_index_that_cannot_be_written_never_stops_a_save(boxed, monkeypatch):
    box = Box(boxed, clock=Clock())
    monkeypatch.setattr(boxindex, "write", lambda *_: False)
    boxindex.index_path(boxed).unlink()
    box.add("Saved Anyway")
    box.storage.fold()
    assert any(c.name == "Saved Anyway" for c in Box(boxed, clock=Clock()).cards())


def test_an_index_write_cut_short_leaves_nothing_behind_after_the_next_open(boxed):
    """A kill while the index is written leaves a temporary file (and the old index, or none): the next open
    removes the one and does not trust the other."""
    box = Box(boxed, clock=Clock())
    box.add("After The Index")
    box.storage.fold()
    index = boxindex.index_path(boxed)
    whole = index.read_bytes()
    leftover = boxed.with_name(f".{index.name}.kill9.tmp")
    leftover.write_bytes(whole[:1000])
    index.write_bytes(whole[: len(whole) // 3])  # as if the rename had landed on a torn file
    reopened = Box(boxed, clock=Clock())
    assert any(card.name == "After The Index" for card in reopened.cards())
    assert not leftover.exists()
    assert index.read_bytes() == whole  # made again from the box


def test_a_fold_never_copies_bytes_an_index_misplaced_into_the_box(boxed):
    """An index that matches the file's name but places a card wrongly (a bug, a crafted file) is caught
    when a fold copies the cards: the box on disk is left as it was, nothing saved is lost, and the next try works."""
    from helpers import sha


    Box(boxed, clock=Clock()).log(2, "voicemail")  # the day's first change: written whole, its backup kept
    index = boxindex.index_path(boxed)
    file = BoxFile.open(boxed)
    found = boxindex.read(index, boxindex.signature(file.fileno()))
    assert found is not None
    spans = dict(found.spans)
    spans["8"] = spans["9"]
    index.write_bytes(b"".join(boxindex.encode(boxindex.signature(file.fileno()), found.tables, spans, found.heads)))
    box = Box(boxed, clock=Clock())
    box.log(1, "no-answer", note="kept in the journal")
    before = sha(boxed)
    with pytest.raises(BoxError, match="did not match the box"):
        box.storage.fold()
    assert sha(boxed) == before
    now_file = BoxFile.open(boxed)
    remade = boxindex.read(index, boxindex.signature(now_file.fileno()))  # made again from the box itself
    assert remade is not None and remade.spans["8"] != remade.spans["9"]
    assert box.storage.fold() is True  # read again whole: the fold goes through
    again = Box(boxed, clock=Clock())
    assert again.get(1).attempts[-1].note == "kept in the journal"
    assert again.get(8).id == 8 and again.get(9).id == 9
    assert everything(again) == everything(box)
