"""Stored moments carry their offset (schema 3), and older boxes are migrated to it."""

from __future__ import annotations

import json
from datetime import datetime

import orjson
from helpers import some

from cardbox.core.box import Box
from cardbox.core.box_codec import SCHEMA_VERSION
from cardbox.core.card import Card
from cardbox.core.stamps import minute_stamp, parse_stamp, stamp, with_offset
from cardbox.core.window import DueWindow

WINTER = datetime(2026, 1, 15, 9, 0)
SUMMER = datetime(2026, 7, 15, 9, 0)


def test_a_stamp_has_the_offset_of_its_own_date_on_the_reps_clock():
    # The tests' rep is in Los Angeles: PST in January, PDT in July.
    assert stamp(WINTER) == "2026-01-15T09:00:00-08:00"
    assert stamp(SUMMER) == "2026-07-15T09:00:00-07:00"
    assert minute_stamp(SUMMER) == "2026-07-15T09:00-07:00"
    assert parse_stamp(stamp(WINTER)) == WINTER and parse_stamp(stamp(SUMMER)) == SUMMER


def test_a_box_written_in_one_zone_means_the_same_instants_in_another(monkeypatch):
    monkeypatch.setenv("CARDBOX_TZ", "America/New_York")
    window = DueWindow(datetime(2026, 11, 24, 16, 0), datetime(2026, 11, 24, 16, 0), "time", "tomorrow at 4")
    written = Card(id=1, name="Ann", created=WINTER, updated=WINTER, due=window).to_dict()
    assert some(written["due"])["start"] == "2026-11-24T16:00-05:00"
    monkeypatch.setenv("CARDBOX_TZ", "America/Los_Angeles")  # the rep flew west
    read = Card.from_dict(written)
    assert read.due is not None and read.due.start == datetime(2026, 11, 24, 13, 0)  # 4 pm Eastern is 1 pm Pacific
    assert read.created == datetime(2026, 1, 15, 6, 0)


def test_a_stamp_across_the_autumn_change_keeps_its_instant():
    # 01:30 happens twice in LA on 1 Nov 2026; the offset says which one was meant.
    first = parse_stamp("2026-11-01T01:30:00-07:00")
    second = parse_stamp("2026-11-01T01:30:00-08:00")
    assert first == second == datetime(2026, 11, 1, 1, 30)  # the same wall clock, read back…
    assert "-07:00" in stamp(datetime(2026, 10, 31, 23, 0)) and "-08:00" in stamp(datetime(2026, 11, 1, 3, 0))


def test_with_offset_adds_only_what_is_missing():
    assert with_offset("2026-01-15T09:00:00") == "2026-01-15T09:00:00-08:00"
    assert with_offset("2026-01-15T09:00", minutes=True) == "2026-01-15T09:00-08:00"
    assert with_offset("2026-01-15T09:00:00+01:00") == "2026-01-15T09:00:00+01:00"
    assert with_offset("2026-01-15") == "2026-01-15"
    assert with_offset("not a date T") == "not a date T"
    assert with_offset(None) is None


def _old_box(tmp_path):
    path = tmp_path / "box.json"
    old = {
        "cards": {
            "1": {"id": 1, "name": "Old Ann", "phones": [], "status": "active",
                  "created": "2026-01-15T09:00:00", "updated": "2026-07-15T09:00:00",
                  "due": {"start": "2026-12-01T16:00", "end": "2026-12-01T16:00", "grain": "time", "phrase": "Dec 1 at 4", "label": ""},
                  "captured": {"start": "2026-12-01", "end": "2026-12-01", "grain": "day", "phrase": "Dec 1", "label": ""},
                  "attempts": [{"at": "2026-07-15T09:00:00", "channel": "call", "outcome": "callback", "note": "",
                                "next": {"start": "2026-12-01T16:00", "end": "2026-12-01T16:00", "grain": "time", "phrase": "Dec 1 at 4", "label": ""}}]},
            "2": {"id": 2, "name": "Broken", "created": "yesterday-ish", "updated": "2026-01-15T09:00:00"},
        },
        "sessions": {"1": {"id": 1, "started": "2026-07-15T08:00:00", "stopped": "2026-07-15T10:00:00",
                           "pauses": [{"start": "2026-07-15T08:30:00", "end": "2026-07-15T08:40:00"}],
                           "ticks": [{"at": "2026-07-15T08:05:00", "kind": "dial", "count": 1}]}},
        "dnc": {"1": {"number": "+14155550134", "added": "2026-01-15T09:00:00", "how": "cli", "note": ""}},
        "meta": {"1": {"schema": 2, "next_id": 3}},
    }
    path.write_text(json.dumps(old))
    return path, old


def test_an_older_box_is_read_as_it_was_and_migrated_on_its_first_write(tmp_path):
    path, old = _old_box(tmp_path)
    before = path.read_bytes()
    box = Box(path, clock=lambda: datetime(2026, 11, 22, 10, 0))
    ann = box.get(1)
    assert ann.due is not None and ann.due.start == datetime(2026, 12, 1, 16, 0)
    assert path.read_bytes() == before  # reading changes nothing
    box.add("New Bo")
    data = orjson.loads(path.read_bytes())
    assert data["meta"]["1"]["schema"] == SCHEMA_VERSION == 3
    card = data["cards"]["1"]
    assert card["created"] == "2026-01-15T09:00:00-08:00" and card["updated"] == "2026-07-15T09:00:00-07:00"
    assert card["due"]["start"] == card["due"]["end"] == "2026-12-01T16:00-08:00"
    assert card["captured"]["start"] == "2026-12-01"  # a date is a date: no offset
    assert card["attempts"][0]["at"] == "2026-07-15T09:00:00-07:00"
    assert card["attempts"][0]["next"]["start"] == "2026-12-01T16:00-08:00"
    assert data["cards"]["2"] == old["cards"]["2"]  # a damaged card is never rewritten
    session = data["sessions"]["1"]
    assert session["started"] == "2026-07-15T08:00:00-07:00" and session["ticks"][0]["at"] == "2026-07-15T08:05:00-07:00"
    assert session["pauses"][0] == {"start": "2026-07-15T08:30:00-07:00", "end": "2026-07-15T08:40:00-07:00"}
    assert data["dnc"]["1"]["added"] == "2026-01-15T09:00:00-08:00"
    [kept] = (tmp_path / "box-backups").glob("box-*-before-schema-3.json")
    assert kept.read_bytes() == before
    # And it reads back as the same moments.
    again = Box(path, clock=lambda: datetime(2026, 11, 22, 10, 0)).get(1)
    assert again == ann.with_changes() and again.attempts == ann.attempts
