"""The Box API: capture, log, edit, delete, undo, due, find."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import helpers
import pytest
from helpers import Clock

from cardbox.core.box import Box, CardNotFound
from cardbox.core.card import MAX_NAME, MAX_TEXT, CardError
from cardbox.core.demo import box_data, write_box
from cardbox.core.review import due_cards
from cardbox.core.window import DueWindow

NOW = datetime(2026, 11, 23, 10, 0)  # a Monday
TODAY = NOW.date()


@pytest.fixture
def box(tmp_path) -> Box:
    return Box(tmp_path / "box.json", clock=Clock(NOW))


def on_disk(box: Box) -> dict:
    return helpers.on_disk(box.path)


# -- capture and read -----------------------------------------------------------


def test_add_and_get(box):
    window = DueWindow(date(2027, 1, 20), date(2027, 1, 31), "month", "late January")
    change = box.add(
        "  Dana Whitfield ", company="Acme Roofing", phones=["(415) 555-0134", "+1 415 555 0134", "212-555-0199"],
        email="dana@acme.example", due=window, why="budget opens in January", notes="ask for the owner",
        tags=["Hot", "#owner", "hot"],
    )
    assert change.kind == "add" and change.before is None
    card = change.after
    assert card.id == 1
    assert card.name == "Dana Whitfield"
    assert card.phones == ("+14155550134", "+12125550199")  # normalised, de-duplicated
    assert card.tags == ("hot", "owner")
    assert card.created == card.updated == NOW
    assert card.status == "active" and card.attempts == ()
    assert box.get(1) == card
    assert Box(box.path, clock=Clock(NOW)).get(1) == card  # and it is on disk
    assert len(box) == 1 and box.ids() == [1]


def test_get_unknown_card(box):
    box.add("Someone")
    with pytest.raises(CardNotFound, match="no card #99"):
        box.get(99)


def test_ids_count_up(box):
    assert [box.add(f"P{i}").card.id for i in range(5)] == [1, 2, 3, 4, 5]


# -- logging --------------------------------------------------------------------


def test_log_appends_history_and_refiles(box):
    clock = box.clock
    card_id = box.add("Dana", why="budget").card.id
    first = box.log(card_id, "no-answer")
    assert first.kind == "log" and first.before.attempts == ()
    assert first.after.due.start == date(2026, 11, 24)  # 1 business day
    clock.moment = datetime(2026, 11, 24, 11, 0)
    second = box.log(card_id, "voicemail", channel="voicemail", note="left the reason")
    assert second.after.due.start == date(2026, 11, 26)  # 2 business days
    assert second.after.unanswered_streak == 2
    clock.moment = datetime(2026, 11, 26, 9, 0)
    window = DueWindow(date(2027, 5, 1), date(2027, 5, 10), "month", "early May")
    third = box.log(card_id, "callback", note="moved to spring", next_window=window)
    card = box.get(card_id)
    assert card == third.after
    assert card.due == window and card.status == "active" and card.unanswered_streak == 0
    assert [(a.outcome, a.channel, a.note) for a in card.attempts] == [
        ("no-answer", "call", ""),
        ("voicemail", "voicemail", "left the reason"),
        ("callback", "call", "moved to spring"),
    ]
    # history is append-only: earlier attempts are untouched
    assert card.attempts[:2] == second.after.attempts
    assert card.attempts[0].next.start == date(2026, 11, 24)
    assert card.updated == datetime(2026, 11, 26, 9, 0)
    assert card.created == NOW
    assert on_disk(box)["cards"]["1"]["attempts"][2]["next"]["phrase"] == "early May"


@pytest.mark.parametrize(
    ("outcome", "status", "due"),
    [
        ("sale", "won", None),
        ("not-interested", "not-now", None),
        ("wrong-number", "not-now", None),
        ("do-not-call", "do-not-call", None),
        ("nurture", "nurture", date(2027, 5, 23)),
    ],
)
def test_log_statuses(box, outcome, status, due):
    card_id = box.add("Dana", due=DueWindow.on_day(TODAY, "today")).card.id
    card = box.log(card_id, outcome).card
    assert card.status == status
    assert (card.due.start if card.due else None) == due


def test_log_nurture_opted_in(box):
    card_id = box.add("Dana").card.id
    assert box.log(card_id, "nurture", opted_in=True).card.due.start == TODAY + timedelta(weeks=6)


def test_log_refusals_leave_the_card_alone(box):
    card_id = box.add("Dana").card.id
    before = box.path.read_bytes()
    with pytest.raises(CardError, match="unknown outcome"):
        box.log(card_id, "hung-up")
    with pytest.raises(CardError, match="unknown channel"):
        box.log(card_id, "no-answer", channel="pigeon")
    with pytest.raises(CardError, match="needs a date"):
        box.log(card_id, "callback")
    with pytest.raises(CardError, match="needs a date"):
        box.log(card_id, "appointment")
    with pytest.raises(CardNotFound):
        box.log(404, "no-answer")
    with pytest.raises(CardError, match="the note"):
        box.log(card_id, "no-answer", note="x" * (MAX_TEXT + 1))
    assert box.path.read_bytes() == before
    assert box.get(card_id).attempts == ()


# -- edit, notes, delete, undo --------------------------------------------------


def test_edit_changes_fields_not_history(box):
    card_id = box.add("Dana", phones=["415 555 0134"]).card.id
    box.log(card_id, "no-answer")
    box.clock.moment = NOW + timedelta(hours=1)
    change = box.edit(card_id, company="Acme", phones=["212 555 0199"], tags=["X"], status="nurture", due=None)
    card = change.after
    assert card.company == "Acme" and card.phones == ("+12125550199",) and card.tags == ("x",)
    assert card.status == "nurture" and card.due is None
    assert len(card.attempts) == 1 and card.attempts == change.before.attempts
    assert card.updated == NOW + timedelta(hours=1) and card.created == NOW
    with pytest.raises(CardError, match="cannot edit attempts"):
        box.edit(card_id, attempts=())
    with pytest.raises(CardError, match="unknown status"):
        box.edit(card_id, status="maybe")
    with pytest.raises(CardError, match="needs a name"):
        box.edit(card_id, name="   ")
    assert box.get(card_id) == card


def test_add_note_appends_dated_lines(box):
    card_id = box.add("Dana", notes="first call").card.id
    box.add_note(card_id, "  owner back Monday ")
    box.clock.moment = datetime(2026, 12, 1, 9, 0)
    box.add_note(card_id, "sent the overview")
    assert box.get(card_id).notes == "first call\n2026-11-23: owner back Monday\n2026-12-01: sent the overview"
    with pytest.raises(CardError, match="empty"):
        box.add_note(card_id, " \x00 ")
    empty = box.add("No notes").card.id
    assert box.add_note(empty, "hello").card.notes == "2026-12-01: hello"


def test_delete_and_undo(box):
    ids = [box.add(f"P{i}").card.id for i in range(3)]
    deleted = box.delete(ids[1])
    assert deleted.kind == "delete" and deleted.after is None
    with pytest.raises(CardNotFound):
        box.get(ids[1])
    assert sorted(on_disk(box)["cards"]) == ["1", "3"]
    restored = box.undo(deleted)
    assert restored.after == deleted.before
    assert box.get(ids[1]) == deleted.before
    # undo an add removes the card
    added = box.add("Oops")
    box.undo(added)
    with pytest.raises(CardNotFound):
        box.get(added.after.id)
    # undo a log puts the card back as it was
    logged = box.log(ids[0], "sale")
    box.undo(logged)
    assert box.get(ids[0]) == logged.before
    # undo an edit
    edited = box.edit(ids[2], name="Renamed")
    box.undo(edited)
    assert box.get(ids[2]).name == "P2"


def test_ids_are_never_reused(tmp_path):
    box = Box(tmp_path / "box.json", clock=Clock(NOW))
    for i in range(3):
        box.add(f"P{i}")
    box.delete(3)
    assert box.add("after delete").card.id == 4
    box.undo(box.add("to be undone"))  # id 5 removed again
    box.delete(4)
    reopened = Box(box.path, clock=Clock(NOW))
    assert reopened.add("after reopen").card.id == 6
    assert on_disk(reopened)["meta"]["1"]["next_id"] == 7


def test_next_id_survives_a_meta_table_without_next_id(tmp_path):
    path = tmp_path / "box.json"
    data = box_data(5, NOW)
    del data["meta"]["1"]["next_id"]
    write_box(path, data)
    assert Box(path, clock=Clock(NOW)).add("Sixth").card.id == 6


# -- validation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"name": ""}, "needs a name"),
        ({"name": " \t\n "}, "needs a name"),
        ({"name": "\x00\x01"}, "needs a name"),
        ({"name": "x" * (MAX_NAME + 1)}, "the name"),
        ({"email": "dana.acme.example"}, "not an email"),
        ({"email": "dana @acme.example"}, "not an email"),
        ({"email": "@acme.example"}, "not an email"),
        ({"email": "dana@"}, "not an email"),
        ({"phones": ["12"]}, "not a valid number"),
        ({"phones": ["call me maybe"]}, "not a phone number"),
        ({"phones": ["555-0000-0000-0000-0000-0000-0000-0000-0000"]}, "too long"),
        ({"notes": "x" * (MAX_TEXT + 1)}, "the notes"),
        ({"why": "y" * (MAX_TEXT + 1)}, "the reason"),
        ({"company": "c" * (MAX_NAME + 1)}, "the company"),
        ({"tags": [f"t{i}" for i in range(51)]}, "too many"),
        ({"status": "maybe"}, "unknown status"),
    ],
)
def test_validation_errors(box, kwargs, words):
    fields = {"name": "Dana"} | kwargs
    name = fields.pop("name")
    with pytest.raises(CardError, match=words):
        box.add(name, **fields)
    assert len(box) == 0
    assert not box.path.exists()


def test_blank_phone_entries_are_skipped(box):
    assert box.add("Dana", phones=["", "  ", "415 555 0134"]).card.phones == ("+14155550134",)


def test_region_decides_numbers_without_country_code(tmp_path):
    gb = Box(tmp_path / "gb.json", clock=Clock(NOW), region="GB")
    assert gb.add("Nigel", phones=["020 7946 0958"]).card.phones == ("+442079460958",)


# -- due ------------------------------------------------------------------------


def test_due_matches_review_over_every_card(tmp_path):
    path = tmp_path / "box.json"
    write_box(path, box_data(600, NOW, due_today=40, seed=11))
    box = Box(path, clock=Clock(NOW))
    # hand-made edge cases on top of the demo cards
    box.add("undated active")
    box.add("undated nurture", status="nurture")
    box.add("undated won", status="won")
    box.add("timed today", due=DueWindow(datetime(2026, 11, 23, 16), datetime(2026, 11, 23, 16), "time", "at 4"))
    box.add("timed tomorrow", due=DueWindow(datetime(2026, 11, 24, 9), datetime(2026, 11, 24, 9), "time", "at 9"))
    box.add("dnc today", due=DueWindow.on_day(TODAY, "today"), status="do-not-call")
    box.add("won revisit", due=DueWindow.on_day(TODAY, "today"), status="won")
    box.add("span", due=DueWindow(TODAY - timedelta(days=40), TODAY + timedelta(days=40), "season", "winter"))
    all_cards = box.cards()
    for offset in (-400, -30, -1, 0, 1, 2, 7, 45, 200, 400):
        day = TODAY + timedelta(days=offset)
        assert [c.id for c in box.due(day)] == [c.id for c in due_cards(all_cards, day)], day
    names = [c.name for c in box.due(TODAY)]
    assert {"undated active", "timed today", "won revisit", "span"} <= set(names)
    assert not {"undated nurture", "undated won", "timed tomorrow", "dnc today"} & set(names)
    assert len(box.due(TODAY)) > 40


def test_due_sees_changes(box):
    card_id = box.add("Dana", due=DueWindow.on_day(TODAY, "today")).card.id
    assert [c.id for c in box.due(TODAY)] == [card_id]
    box.log(card_id, "no-answer")
    assert box.due(TODAY) == []
    assert [c.id for c in box.due(TODAY + timedelta(days=1))] == [card_id]


def test_counts(box):
    box.add("a")
    box.add("b", status="won")
    box.log(box.add("c").card.id, "do-not-call")
    counts = box.counts()
    assert counts["active"] == 1 and counts["won"] == 1 and counts["do-not-call"] == 1 and counts["nurture"] == 0


# -- find -----------------------------------------------------------------------


@pytest.fixture
def people(box) -> Box:
    box.add("Dana Whitfield", company="Acme Roofing", phones=["(415) 555-0134"], email="dana@acme.example",
            why="budget opens in January", notes="Roof problems", tags=["hot"])
    box.add("Marcus Okafor", company="Harbor Dental", phones=["+44 20 7946 0958"], notes="ask about Dana's referral")
    box.add("Priya Patel", company="Acme Logistics", phones=["212-555-0199", "312 555 0142"], tags=["owner"])
    return box


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("dana", ["Dana Whitfield", "Marcus Okafor"]),  # name match first, then the note
        ("DANA whit", ["Dana Whitfield"]),
        ("acme", ["Dana Whitfield", "Priya Patel"]),
        ("harbor dental", ["Marcus Okafor"]),
        ("dana@acme", ["Dana Whitfield"]),
        ("roof", ["Dana Whitfield"]),
        ("january", ["Dana Whitfield"]),
        ("owner", ["Priya Patel"]),
        ("555-0134", ["Dana Whitfield"]),
        ("555 0134", ["Dana Whitfield"]),
        ("(415) 555-0134", ["Dana Whitfield"]),
        ("415.555.0134", ["Dana Whitfield"]),
        ("4155550134", ["Dana Whitfield"]),
        ("+1 415 555 0134", ["Dana Whitfield"]),
        ("1-415-555-0134", ["Dana Whitfield"]),
        ("+44 20 7946 0958", ["Marcus Okafor"]),
        ("7946 0958", ["Marcus Okafor"]),
        ("312 555", ["Priya Patel"]),
        ("nobody", []),
        ("   ", []),
        ("999 999 9999", []),
    ],
)
def test_find(people, query, names):
    assert [c.name for c in people.find(query)] == names


def test_find_limit_and_refresh_of_search_text(people):
    assert len(people.find("a", limit=2)) == 2
    people.edit(1, notes="now about solar panels")
    assert [c.name for c in people.find("solar")] == ["Dana Whitfield"]
    assert people.find("roof problems") == []
    people.delete(1)
    assert people.find("solar") == []


def test_find_national_format_outside_nanp(tmp_path):
    gb = Box(tmp_path / "gb.json", clock=Clock(NOW), region="GB")
    gb.add("Nigel", phones=["020 7946 0958"])
    assert [c.name for c in gb.find("020 7946 0958")] == ["Nigel"]


def test_duplicates_of(people):
    dana = people.get(1)
    by_phone = people.duplicates_of(name="Someone Else", company="", phones=["+14155550134"])
    assert [c.id for c in by_phone] == [1]
    by_person = people.duplicates_of(name=" dana whitfield ", company="ACME ROOFING", phones=[])
    assert [c.id for c in by_person] == [1]
    assert people.duplicates_of(name="Dana Whitfield", company="Other Co", phones=[]) == []
    assert people.duplicates_of(name="Dana Whitfield", company="Acme Roofing", phones=dana.phones, ignore=1) == []
    second_phone = people.duplicates_of(name="", company="", phones=["+13125550142"])
    assert [c.id for c in second_phone] == [3]
    assert people.duplicates_of(name="", company="", phones=[]) == []


# -- several windows on one box -------------------------------------------------


def test_refresh_picks_up_another_instance(people):
    other = Box(people.path, clock=Clock(NOW))
    assert other.refresh() is False
    people.log(1, "no-answer")
    people.add("Newcomer", phones=["617 555 0111"])
    assert other.refresh() is True
    assert len(other.get(1).attempts) == 1
    assert [c.name for c in other.find("617 555")] == ["Newcomer"]
    assert other.refresh() is False
    people.delete(2)
    other.refresh()
    with pytest.raises(CardNotFound):
        other.get(2)
    assert [c.name for c in other.find("okafor")] == []


def test_undo_refuses_to_overwrite_a_later_change(people):
    other = Box(people.path, clock=Clock(NOW))
    mine = people.log(1, "no-answer")
    other.log(1, "callback", next_window=DueWindow.on_day(date(2027, 5, 3), "early May"))
    with pytest.raises(CardError, match="changed again"):
        people.undo(mine)
    assert [a.outcome for a in people.get(1).attempts] == ["no-answer", "callback"]
    # in one window too: an edit after the log blocks undoing the log
    logged = people.log(2, "voicemail")
    people.edit(2, notes="changed after")
    with pytest.raises(CardError, match="changed again"):
        people.undo(logged)
    # the newest change can still be undone
    edited = people.edit(3, company="Renamed Co")
    people.undo(edited)
    assert people.get(3).company == "Acme Logistics"


def test_find_narrowing_as_you_type_gives_the_same_hits_as_a_fresh_search(tmp_path):
    from cardbox.core.demo import box_data, write_box

    path = tmp_path / "typing.json"
    now = datetime(2026, 11, 22, 10, 0)
    write_box(path, box_data(400, now))
    typing = Box(path, clock=lambda: now)
    for query in ("m", "ma", "mar", "marc", "marcu", "5", "55", "555", "555 0", "555 01", "o", "ow", "owner"):
        fresh = Box(path, clock=lambda: now)
        assert typing.find_ids(query) == fresh.find_ids(query), query
    # A save in between starts the search afresh and sees the new card.
    typing.add("Marco Newcomer", phones=["415 555 0111"])
    assert "Marco Newcomer" in [typing.get(i).name for i in typing.find_ids("marc")]
