"""The card model: its data-file form, derived facts and input cleaning."""

from __future__ import annotations

import json
import unicodedata
from datetime import date, datetime
from typing import Any

import pytest
from helpers import some
from hypothesis import given, settings
from hypothesis import strategies as st

from cardbox.core.card import (
    MAX_TAGS,
    MAX_TEXT,
    OUTCOMES,
    Attempt,
    Card,
    CardError,
    clean_tags,
    clean_text,
)
from cardbox.core.window import DueWindow

NOW = datetime(2026, 11, 22, 10, 0)


def _attempt(outcome: str, minute: int = 0, **kw) -> Attempt:
    return Attempt(at=datetime(2026, 11, 2, 9, minute), channel=kw.pop("channel", "call"), outcome=outcome, **kw)


def _card(**kw) -> Card:
    base: dict[str, Any] = dict(id=7, name="Dana Whitfield", created=datetime(2026, 10, 1, 9, 30), updated=NOW)
    base.update(kw)
    return Card(**base)


def full_card() -> Card:
    return _card(
        company="Acme Roofing",
        phones=("+14155550134", "+442079460958"),
        email="dana@acme.example",
        due=DueWindow(date(2027, 1, 20), date(2027, 1, 31), "month", "late January", "late Jan 2027"),
        why="roof problems, not taking quotes until January",
        notes="Ask for the owner.\nSecond line.",
        tags=("hot", "owner"),
        status="nurture",
        attempts=(
            _attempt("no-answer", 1, next=DueWindow.on_day(date(2026, 11, 3), "in 1 business day")),
            _attempt(
                "callback",
                2,
                note="call me tomorrow at 4",
                next=DueWindow(datetime(2026, 11, 3, 16, 0), datetime(2026, 11, 3, 16, 0), "time", "tomorrow at 4"),
            ),
            _attempt("voicemail", 3, channel="voicemail"),
        ),
    )


# -- round trips ----------------------------------------------------------------


def test_full_card_round_trips_through_dict_and_json():
    card = full_card()
    data = card.to_dict()
    # The data-file form is plain JSON.
    again = Card.from_dict(json.loads(json.dumps(data)))
    assert again == card
    assert again.to_dict() == data


def test_to_dict_keys_and_shapes():
    data = full_card().to_dict()
    assert set(data) == {
        "id", "name", "company", "phones", "email", "due", "why", "notes",
        "tags", "status", "attempts", "created", "updated", "captured",
    }
    assert data["phones"] == ["+14155550134", "+442079460958"]
    assert data["tags"] == ["hot", "owner"]
    assert data["due"] == {
        "start": "2027-01-20", "end": "2027-01-31", "grain": "month",
        "phrase": "late January", "label": "late Jan 2027",
    }
    assert data["created"] == "2026-10-01T09:30:00-07:00"  # the rep (the tests' Los Angeles) in daylight time
    assert [a["outcome"] for a in data["attempts"]] == ["no-answer", "callback", "voicemail"]
    assert some(data["attempts"][1]["next"])["start"] == "2026-11-03T16:00-08:00"  # standard time by then
    assert data["attempts"][2]["next"] is None
    assert set(data["attempts"][0]) == {"at", "channel", "outcome", "note", "next"}


def test_minimal_card_round_trips():
    card = _card()
    data = card.to_dict()
    assert data["due"] is None and data["attempts"] == [] and data["phones"] == []
    assert Card.from_dict(data) == card


def test_timed_window_round_trip_keeps_datetimes():
    window = DueWindow(datetime(2026, 11, 24, 8, 0), datetime(2026, 11, 24, 12, 0), "part-of-day", "Tuesday morning")
    card = _card(due=window)
    back = Card.from_dict(card.to_dict())
    assert back.due == window
    assert back.due.timed and isinstance(back.due.end, datetime)


def test_unknown_keys_are_preserved_and_written_back():
    data: dict[str, Any] = dict(full_card().to_dict())
    data["score"] = 87
    data["crm"] = {"id": "X-1", "synced": True}
    card = Card.from_dict(data)
    assert card.extra == {"score": 87, "crm": {"id": "X-1", "synced": True}}
    out: dict[str, Any] = dict(card.to_dict())
    assert out["score"] == 87 and out["crm"] == {"id": "X-1", "synced": True}
    # Changing a card keeps the unknown keys too.
    assert dict(card.with_changes(notes="new").to_dict())["crm"] == {"id": "X-1", "synced": True}


def test_unknown_keys_never_override_known_fields():
    card = _card(extra={"name": "stale", "zzz": 1})
    data: dict[str, Any] = dict(card.to_dict())
    assert data["name"] == "Dana Whitfield"
    assert data["zzz"] == 1


def test_from_dict_is_lenient_with_missing_optional_fields():
    card = Card.from_dict({"id": "12", "name": "X", "created": "2026-01-02T03:04:05", "updated": "2026-01-02T03:04:05",
                           "company": None, "phones": None, "tags": None, "attempts": None})
    assert card.id == 12 and card.company == "" and card.phones == () and card.status == "active"


def test_stamps_drop_microseconds_carry_the_offset_and_read_onto_the_reps_clock():
    card = _card(created=datetime(2026, 10, 1, 9, 30, 5, 123456))
    assert card.to_dict()["created"] == "2026-10-01T09:30:05-07:00"
    data = card.to_dict()
    data["updated"] = "2026-10-01T09:30:05+02:00"  # written in Berlin: 00:30:05 in Los Angeles
    assert Card.from_dict(data).updated == datetime(2026, 10, 1, 0, 30, 5)
    data["updated"] = "2026-10-01T09:30:05"  # before schema 3: already the rep's clock
    assert Card.from_dict(data).updated == datetime(2026, 10, 1, 9, 30, 5)


@settings(max_examples=60, deadline=None)
@given(
    name=st.text(min_size=1, max_size=40),
    notes=st.text(max_size=200),
    tags=st.lists(st.text(min_size=1, max_size=10), max_size=5),
    outcomes=st.lists(st.sampled_from(OUTCOMES), max_size=6),
)
def test_round_trip_property(name, notes, tags, outcomes):
    card = _card(name=name, notes=notes, tags=tuple(tags), attempts=tuple(_attempt(o, i) for i, o in enumerate(outcomes)))
    assert Card.from_dict(json.loads(json.dumps(card.to_dict()))) == card


# -- derived facts --------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcomes", "streak"),
    [
        ((), 0),
        (("no-answer",), 1),
        (("voicemail", "no-answer", "voicemail"), 3),
        (("no-answer", "callback"), 0),
        (("no-answer", "callback", "no-answer", "voicemail"), 2),
        (("sale", "no-answer"), 1),
        (("no-answer", "no-answer", "not-interested"), 0),
    ],
)
def test_unanswered_streak_counts_from_the_newest(outcomes, streak):
    card = _card(attempts=tuple(_attempt(o, i) for i, o in enumerate(outcomes)))
    assert card.unanswered_streak == streak


def test_has_reason():
    assert not _card(why="   ").has_reason
    assert _card(why="budget opens in January").has_reason


# -- cleaning -------------------------------------------------------------------


def test_clean_text_strips_and_normalises_newlines():
    assert clean_text("  hello \r\nworld\r  ", "x") == "hello \nworld"
    assert clean_text(None, "x") == ""
    assert clean_text("a\tb", "x") == "a\tb"


def test_clean_text_drops_c0_controls_and_delete():
    junk = "".join(chr(c) for c in range(32) if chr(c) not in "\n\t\r") + "\x7f"
    assert clean_text(f"ro{junk}of\x1b[31m", "x") == "roof[31m"


def test_clean_text_drops_c1_controls():
    cleaned = clean_text("roof\x9b31m\x85problems", "x")
    assert not any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in cleaned)


def test_clean_text_keeps_unicode_text():
    assert clean_text("Zoë Ångström — 東京 🙂", "x") == "Zoë Ångström — 東京 🙂"


def test_clean_text_limit_is_after_stripping():
    assert len(clean_text(" " * 10 + "a" * MAX_TEXT + " " * 10, "the notes")) == MAX_TEXT
    with pytest.raises(CardError, match="too long: 20,001 characters in the notes, and at most 20,000 fit"):
        clean_text("a" * (MAX_TEXT + 1), "the notes")
    with pytest.raises(CardError, match="the name"):
        clean_text("a" * 201, "the name", 200)


def test_clean_tags_normalises_and_dedupes():
    assert clean_tags(["  #Hot Lead ", "hot-lead", "OWNER", "", "   ", "#", "q1"]) == ("hot-lead", "owner", "q1")


def test_clean_tags_limits():
    assert len(clean_tags([f"t{i}" for i in range(MAX_TAGS)])) == MAX_TAGS
    with pytest.raises(CardError, match="too many"):
        clean_tags([f"t{i}" for i in range(MAX_TAGS + 1)])
    # Duplicates do not count against the limit.
    assert len(clean_tags(["same"] * (MAX_TAGS + 10))) == 1
    with pytest.raises(CardError, match="a tag"):
        clean_tags(["x" * 61])


def test_clean_tags_drop_control_characters():
    assert clean_tags(["ho\x00t\x1b"]) == ("hot",)


def test_clean_text_drops_undecodable_bytes():
    # A raw 0x9b byte in a shell argument reaches Python as the surrogate U+DC9B.
    assert clean_text("Evil\udc9bname", "the name") == "Evilname"
