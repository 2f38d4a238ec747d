"""Cards out: CSV, JSON, iCalendar and vCard, each parsed back."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from helpers import cardbox_command

CARDBOX = str(Path(sys.executable).parent / "cardbox")
BOX_UID = re.compile(r"^card-(\d+)-[0-9a-f]{32}@cardbox$")


def card_of(uid: object) -> str:
    """The card part of an event's or contact's UID, after checking it carries its box's id."""
    found = BOX_UID.match(str(uid))
    assert found, f"{uid} does not name its box"
    return f"card-{found.group(1)}@cardbox"


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, CARDBOX_NOW="2026-11-23T10:00", CARDBOX_TZ="America/New_York",
               XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path))
    env.pop("CARDBOX_BOX", None)
    return cardbox_command(["--box", str(tmp_path / "box.json"), *args], env, text=False)


@pytest.fixture
def box(tmp_path):
    assert cli(tmp_path, "add", "Dana Whitfield", "--company", "Acmé Roofing", "--phone", "415 555 0134",
               "--when", "tomorrow at 4", "--why", "budget opens, \"finally\"", "--note", "two sites\nask for Léa").returncode == 0
    assert cli(tmp_path, "add", "Sam Okafor", "--phone", "212 555 0178", "--phone", "212 555 0199", "--when", "late January",
               "--tag", "hot").returncode == 0
    assert cli(tmp_path, "add", "Blocked Bo", "--phone", "305 555 0100", "--when", "tomorrow").returncode == 0
    assert cli(tmp_path, "dnc", "add", "305 555 0100").returncode == 0
    assert cli(tmp_path, "add", "Won Wu", "--when", "tomorrow").returncode == 0
    assert cli(tmp_path, "log", "4", "sale").returncode == 0
    return tmp_path


def test_csv_opens_in_a_spreadsheet_with_every_field(box):
    done = cli(box, "export", "--format", "csv")
    assert done.returncode == 0 and done.stdout.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the accents
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8-sig"))))
    dana = rows[0]
    # A number starts with "+", which a spreadsheet would read as a formula: written as text.
    assert (dana["name"], dana["company"], dana["phones"]) == ("Dana Whitfield", "Acmé Roofing", "'+14155550134")
    assert dana["why"] == 'budget opens, "finally"' and dana["notes"] == "two sites\nask for Léa"
    assert dana["when"] == "tomorrow at 4" and dana["when_start"] == "2026-11-24T19:00-05:00"  # 4 p.m. Pacific, on the rep's New York clock
    assert rows[1]["phones"] == "'+12125550178 ; +12125550199" and rows[1]["tags"] == "hot"
    # The do-not-call card is left out of a spreadsheet of contacts.
    assert [r["name"] for r in rows] == ["Dana Whitfield", "Sam Okafor", "Won Wu"]
    assert rows[2]["last_outcome"] == "sale" and "sale" in rows[2]["history"] and rows[2]["do_not_call"] == ""


def test_formula_cells_are_written_as_text_and_come_back_as_they_were(tmp_path):
    for name, note in (("=1+1", "@SUM(A1:A2)"), ("+cmd|' /C calc'!A0", "-2+3"), ("=HYPERLINK(\"http://x\")", "\tTabbed")):
        assert cli(tmp_path, "add", name, f"--note={note}").returncode == 0
    done = cli(tmp_path, "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8-sig"))))
    assert [r["name"] for r in rows] == ["'=1+1", "'+cmd|' /C calc'!A0", "'=HYPERLINK(\"http://x\")"]
    assert [r["notes"] for r in rows] == ["'@SUM(A1:A2)", "'-2+3", "Tabbed"]  # (a leading tab is trimmed on capture)
    (tmp_path / "out.csv").write_bytes(done.stdout)
    again = tmp_path / "again"
    again.mkdir()
    assert cli(again, "import", str(tmp_path / "out.csv")).returncode == 0
    names = [c["name"] for c in json.loads(cli(again, "export", "--format", "json").stdout)["cards"]]
    assert names == ["=1+1", "+cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\")"]


def test_json_holds_the_whole_box(box):
    data = json.loads(cli(box, "export", "--format", "json").stdout)
    assert [c["name"] for c in data["cards"]] == ["Dana Whitfield", "Sam Okafor", "Blocked Bo", "Won Wu"]
    assert data["cards"][3]["attempts"][0]["outcome"] == "sale"
    assert [row["number"] for row in data["dnc"]] == ["+13055550100"]


def test_ics_has_one_event_per_callback_and_parses_back(box):
    from icalendar import Calendar

    calendar = Calendar.from_ical(cli(box, "export", "--format", "ics").stdout)
    events = {card_of(e["uid"]): e for e in calendar.walk("VEVENT") if str(e["status"]) != "CANCELLED"}
    # Dana (timed) and Sam (a window); not the do-not-call card, not the won one.
    assert set(events) == {"card-1@cardbox", "card-2@cardbox"}
    dana, sam = events["card-1@cardbox"], events["card-2@cardbox"]
    start = dana.decoded("dtstart")
    assert start.isoformat() == "2026-11-24T19:00:00-05:00"  # their 4 p.m. Pacific
    assert "tel:+14155550134" in str(dana["description"]) and str(dana["url"]) == "tel:+14155550134"
    assert "Acmé Roofing" in str(dana["summary"])
    assert sam.decoded("dtstart") == date(2027, 1, 21) and sam.decoded("dtend") == date(2027, 2, 1)  # all day, through the 31st
    # A second export keeps the same UIDs: a calendar updates the events instead of adding new ones.
    again = Calendar.from_ical(cli(box, "export", "--format", "ics").stdout)
    assert {card_of(e["uid"]) for e in again.walk("VEVENT") if str(e["status"]) != "CANCELLED"} == set(events)


def test_vcf_contacts_parse_back(box):
    import vobject

    contacts = list(vobject.readComponents(cli(box, "export", "--format", "vcf").stdout.decode("utf-8")))
    assert [c.fn.value for c in contacts] == ["Dana Whitfield", "Sam Okafor", "Won Wu"]  # not the do-not-call card
    assert contacts[0].org.value == ["Acmé Roofing"] and contacts[0].tel.value == "+14155550134"
    assert [t.value for t in contacts[1].tel_list] == ["+12125550178", "+12125550199"]


def test_export_to_a_file_and_by_status(box):
    target = box / "active.csv"
    done = cli(box, "export", "--format", "csv", "--status", "won", "-o", str(target))
    assert done.returncode == 0 and b"1 card exported" in done.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [r["name"] for r in rows] == ["Won Wu"]
    assert cli(box, "export", "--format", "xls").returncode == 2


def test_the_core_export_never_lists_a_blocked_card_as_a_callback():
    from cardbox.core.card import Card
    from cardbox.core.export import to_ics
    from cardbox.core.window import DueWindow

    moment = datetime(2026, 11, 23, 10)
    due = DueWindow.on_day(date(2026, 11, 24), "tomorrow")
    cards = [Card(id=1, name="A", created=moment, updated=moment, due=due), Card(id=2, name="B", created=moment, updated=moment, due=due)]
    from icalendar import Calendar

    ics = to_ics(cards, moment, blocked=lambda card: card.id == 2, box_id="0" * 32)
    events = {card_of(e["uid"]): e for e in Calendar.from_ical(ics).walk("VEVENT")}
    assert str(events["card-1@cardbox"]["status"]) == "CONFIRMED"
    # The blocked card goes out only as a cancellation, with nothing of the prospect on it.
    assert str(events["card-2@cardbox"]["status"]) == "CANCELLED" and b"B)" not in ics and "description" not in events["card-2@cardbox"]


def test_do_not_call_contacts_go_out_only_when_asked_for_and_marked(box):
    import vobject

    done = cli(box, "export", "--format", "vcf", "--status", "do-not-call")
    [contact] = list(vobject.readComponents(done.stdout.decode("utf-8")))
    assert contact.fn.value == "Blocked Bo (DO NOT CALL)" and contact.note.value.startswith("DO NOT CALL: (305) 555-0100 is on the")
    assert contact.categories.value == ["do-not-call"] and card_of(contact.uid.value) == "card-3@cardbox"
    rows = list(csv.DictReader(io.StringIO(cli(box, "export", "--format", "csv", "--status", "do-not-call").stdout.decode("utf-8-sig"))))
    assert [r["name"] for r in rows] == ["Blocked Bo"] and "do-not-call list" in rows[0]["do_not_call"]
    assert b"1 card exported" in cli(box, "export", "--format", "vcf", "--status", "do-not-call", "-o", str(box / "x.vcf")).stderr


def test_a_callback_that_ends_is_cancelled_in_the_next_calendar_export(box):
    from icalendar import Calendar

    def events() -> dict:
        return {card_of(e["uid"]): e for e in Calendar.from_ical(cli(box, "export", "--format", "ics").stdout).walk("VEVENT")}

    first = events()
    assert str(first["card-2@cardbox"]["status"]) == "CONFIRMED"
    # Won / blocked before the first export: already cancelled there.
    assert str(first["card-4@cardbox"]["status"]) == "CANCELLED" and str(first["card-3@cardbox"]["status"]) == "CANCELLED"
    env = dict(os.environ, CARDBOX_NOW="2026-11-23T11:00", CARDBOX_TZ="America/New_York",
               XDG_CONFIG_HOME=str(box / "config"), HOME=str(box))
    run = [CARDBOX, "--box", str(box / "box.json")]
    assert subprocess.run([*run, "log", "2", "sale"], env=env, capture_output=True).returncode == 0
    assert subprocess.run([*run, "export", "--format", "ics", "-o", str(box / "later.ics")], env=env, capture_output=True).returncode == 0
    later = {card_of(e["uid"]): e for e in Calendar.from_ical((box / "later.ics").read_bytes()).walk("VEVENT")}
    sam = later["card-2@cardbox"]
    assert str(sam["status"]) == "CANCELLED" and int(str(sam["sequence"])) > int(str(first["card-2@cardbox"]["sequence"]))
    assert "Sam" not in str(sam["summary"])


def test_a_deleted_cards_event_is_cancelled(tmp_path):
    from icalendar import Calendar

    from cardbox.core.box import Box
    from cardbox.core.export import export_box
    from cardbox.core.window import DueWindow

    box = Box(tmp_path / "box.json", clock=lambda: datetime(2026, 11, 23, 10))
    due = DueWindow.on_day(date(2026, 11, 24), "tomorrow")
    box.add("Kept", due=due)
    box.add("Gone", due=due)
    box.delete(2)
    events = {card_of(e["uid"]): str(e["status"]) for e in
              Calendar.from_ical(export_box(box, "ics", box.cards(), datetime(2026, 11, 23, 12), "America/New_York")).walk("VEVENT")}
    assert events == {"card-1@cardbox": "CONFIRMED", "card-2@cardbox": "CANCELLED"}


async def test_export_from_the_app_palette(tmp_path, monkeypatch):
    from app_support import build_app, review_box
    from helpers import notice_hook

    monkeypatch.setenv("HOME", str(tmp_path))
    seen, hook = notice_hook()
    app = build_app(review_box(tmp_path / "box.json"))
    async with app.run_test(size=(100, 32), message_hook=hook) as pilot:
        titles = {c.title: c for c in app.get_system_commands(app.screen)}
        titles["Export for your calendar (iCalendar)"].callback()
        await app.saver.drain()
        await pilot.pause()
    [written] = tmp_path.glob("cardbox-*.ics")
    assert written.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert any("exported to" in notice for notice in seen)


def test_two_boxes_exports_never_share_an_event(tmp_path):
    """A calendar fed by two reps' boxes keeps both reps' card 1."""
    from icalendar import Calendar

    uids = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        assert cli(folder, "add", "Dana", "--phone", "415 555 0134", "--when", "tomorrow at 4").returncode == 0
        first = [str(e["uid"]) for e in Calendar.from_ical(cli(folder, "export", "--format", "ics").stdout).walk("VEVENT")]
        again = [str(e["uid"]) for e in Calendar.from_ical(cli(folder, "export", "--format", "ics").stdout).walk("VEVENT")]
        assert first == again and [card_of(u) for u in first] == ["card-1@cardbox"]
        uids += first
    assert len(set(uids)) == 2


def test_every_tzid_in_the_calendar_has_its_vtimezone(box):
    from icalendar import Calendar

    calendar = Calendar.from_ical(cli(box, "export", "--format", "ics").stdout)
    assert not calendar.get_missing_tzids()
