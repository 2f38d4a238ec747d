"""Cards in: CRM and contact exports, messy as they come; one change, undone as a whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import box_state, cardbox_command, file_cards, press, typed
from textual.widgets import Input

from cardbox.core import importing
from cardbox.ui.widgets.card_list import CardList

CARDBOX = str(Path(sys.executable).parent / "cardbox")
FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, CARDBOX_NOW="2026-11-23T10:00", XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path))
    env.pop("CARDBOX_BOX", None)
    return cardbox_command(["--box", str(tmp_path / "box.json"), *args], env)


def by_name(tmp_path: Path) -> dict[str, dict]:
    return {card["name"]: card for card in file_cards(tmp_path / "box.json").values()}


@pytest.mark.parametrize(("fixture", "layout"), [
    ("hubspot.csv", "HubSpot contacts"), ("salesforce.csv", "Salesforce leads report"), ("google.csv", "Google Contacts"),
    ("contacts.vcf", "vCard"), ("pipedrive.csv", "Pipedrive people"), ("close.csv", "Close leads"), ("zoho.csv", "Zoho leads"),
    ("outlook.csv", "Outlook contacts"),
])
def test_layouts_are_recognised(fixture, layout):
    assert importing.parse((FIXTURES / fixture).read_bytes(), fixture).layout == layout


def test_a_hubspot_export_with_a_bom_several_numbers_a_cell_and_a_duplicate(tmp_path):
    done = cli(tmp_path, "import", str(FIXTURES / "hubspot.csv"), "--json")
    report = json.loads(done.stdout)
    assert (report["layout"], report["rows"], report["imported"]) == ("HubSpot contacts", 4, 3)
    # The fourth row is Dana again (same number): skipped and said why, with its line.
    assert report["skipped"] == [{"line": 6, "reason": "already in the box as #1 (the same e-mail, or the same number and "
                                                   "name); --merge adds to it"}]
    cards = by_name(tmp_path)
    assert cards["Dana Whitfield"]["company"] == "Acmé Roofing"  # the accent survives the BOM
    assert cards["Sam Okafor"]["phones"] == ["+12125550178", "+12125550199"] and cards["Sam Okafor"]["company"] == "Harbor HVAC, Inc."
    lee = cards["Lee Park"]
    assert lee["phones"] == ["+16175550140"] and "kept as typed" in lee["notes"] and "not a number" in lee["notes"]
    assert all(card["due"] is None for card in cards.values())  # no date unless --when


def test_a_salesforce_report_in_windows_1252_with_footers_and_multiline_cells(tmp_path):
    report = json.loads(cli(tmp_path, "import", str(FIXTURES / "salesforce.csv"), "--json").stdout)
    assert report["rows"] == 2 and report["imported"] == 2  # "Grand Totals" and the confidentiality line are not people
    cards = by_name(tmp_path)
    zoe = cards["Zoë Martín"]
    assert zoe["company"] == "Café Olé"
    assert zoe["notes"] == 'Said: "call back in 30 days"\nsecond line' and zoe["due"] is None  # a note, never guessed into a date
    assert cards["Ana Ruiz"]["phones"] == ["+13035550112", "+13035550113"]  # "a ::: b"


def test_dry_run_writes_nothing_and_merge_adds_without_overwriting(tmp_path):
    cli(tmp_path, "import", str(FIXTURES / "hubspot.csv"))
    cli(tmp_path, "add", "Already Here")  # a journal waits: a dry run that saved would add a line to it
    before = box_state(tmp_path / "box.json")
    dry = cli(tmp_path, "import", str(FIXTURES / "google.csv"), "--dry-run")
    assert "would import 1 card" in dry.stdout and box_state(tmp_path / "box.json") == before
    (tmp_path / "more.csv").write_text("First Name,Last Name,Phone Number,Company Name,Email\nDana,W.,415 555 0134,Other Co,dana2@acme.example\n")
    merged = json.loads(cli(tmp_path, "import", str(tmp_path / "more.csv"), "--merge", "--json").stdout)
    assert merged["merged"] == 1 and merged["imported"] == 0
    dana = by_name(tmp_path)["Dana Whitfield"]
    assert dana["company"] == "Acmé Roofing" and dana["email"] == "dana@acme.example"  # nothing overwritten


def test_every_numbered_google_phone_column_is_read(tmp_path):
    source = tmp_path / "google.csv"
    source.write_text("Given Name,Family Name,Phone 1 - Value,Phone 2 - Value,Phone 3 - Value\n"
                      "Mia,Chen,+1 404 555 0120,+1 404 555 0121,+1 404 555 0122\n", encoding="utf-8")
    assert cli(tmp_path, "import", str(source)).returncode == 0
    assert by_name(tmp_path)["Mia Chen"]["phones"] == ["+14045550120", "+14045550121", "+14045550122"]


def test_colleagues_at_one_switchboard_number_are_two_cards_the_same_person_is_one(tmp_path):
    from cardbox.core.box import same_person

    source = tmp_path / "office.csv"
    source.write_text("Name,Phone,Email\nAnn Lee,212 555 0100,\nFront Desk,212 555 0100,\nBo Ray,212 555 0100,\n"
                      "ANN LEE,(212) 555-0100,\nA. Lee,212 555 0100,\nSomeone,646 555 0100,bo@ray.example\n"
                      "Bo Ray,646 555 0199,bo@ray.example\n", encoding="utf-8")
    report = json.loads(cli(tmp_path, "import", str(source), "--json").stdout)
    assert report["imported"] == 4  # Ann Lee, Front Desk, Bo Ray, Someone
    assert [line for line, in [(s["line"],) for s in report["skipped"]]] == [5, 6, 8]  # ANN LEE, A. Lee, same e-mail
    assert same_person("José Gutiérrez", "jose gutierrez") and not same_person("Ann Lee", "Bo Lee")


def test_an_import_is_one_change_undone_as_a_whole(tmp_path):
    cli(tmp_path, "add", "Kept Card", "--phone", "720 555 0100")
    cli(tmp_path, "import", str(FIXTURES / "contacts.vcf"), "--when", "next week", "--tag", "show")
    cards = by_name(tmp_path)
    assert cards["Omar Haddad"]["company"] == "Haddad Logistics" and cards["Omar Haddad"]["tags"] == ["show"]
    assert cards["Omar Haddad"]["due"]["phrase"] == "next week"
    undone = cli(tmp_path, "import", "--undo")
    assert undone.returncode == 0 and "2 cards removed" in undone.stdout
    assert set(by_name(tmp_path)) == {"Kept Card"}
    assert cli(tmp_path, "import", "--undo").returncode == 2  # nothing left to undo


def test_an_unknown_layout_needs_a_map(tmp_path):
    refused = cli(tmp_path, "import", str(FIXTURES / "odd.csv"))
    assert refused.returncode == 2 and "--map" in refused.stderr and "Full Name" in refused.stderr
    done = cli(tmp_path, "import", str(FIXTURES / "odd.csv"), "--map", "Full Name=name", "--map", "Tel=phone", "--map", "Remarks=notes")
    assert done.returncode == 0
    rita = by_name(tmp_path)["Rita Vega"]
    assert rita["phones"] == ["+17205550190"] and rita["notes"] == "prefers mornings"
    assert cli(tmp_path, "import", str(FIXTURES / "odd.csv"), "--map", "Nope=name").returncode == 2


def test_cardbox_own_export_imports_back(tmp_path):
    cli(tmp_path, "add", "Dana Whitfield", "--company", "Acmé Roofing", "--phone", "415 555 0134", "--phone", "212 555 0199",
        "--email", "dana@acme.example", "--why", "budget opens", "--note", "two sites", "--tag", "hot")
    exported = subprocess.run([CARDBOX, "--box", str(tmp_path / "box.json"), "export", "--format", "csv", "-o", str(tmp_path / "out.csv")],
                              capture_output=True, env=dict(os.environ, CARDBOX_NOW="2026-11-23T10:00", HOME=str(tmp_path)), timeout=30)
    assert exported.returncode == 0
    other = tmp_path / "other"
    other.mkdir()
    report = json.loads(cli(other, "import", str(tmp_path / "out.csv"), "--json").stdout)
    assert report["layout"] == "cardbox" and report["imported"] == 1
    [card] = file_cards(other / "box.json").values()
    assert (card["name"], card["company"], card["phones"], card["email"], card["why"], card["notes"], card["tags"]) == (
        "Dana Whitfield", "Acmé Roofing", ["+14155550134", "+12125550199"], "dana@acme.example", "budget opens", "two sites", ["hot"])


async def test_the_box_screen_has_a_needs_a_date_pile(tmp_path):
    from app_support import NOW, build_app
    from textual.widgets import Tabs

    from cardbox.core.box import Box

    cli(tmp_path, "import", str(FIXTURES / "contacts.vcf"))
    cli(tmp_path, "add", "Dated Dee", "--when", "tomorrow")
    app = build_app(Box(tmp_path / "box.json", clock=lambda: NOW))
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        app.screen.query_one(Tabs).active = "pile-needs-a-date"
        await pilot.pause()
        names = {app.box.get(i).name for i in app.screen.query_one("#box-list", CardList).ids}
    assert names == {"Omar Haddad", "Ivy Stone"}


async def read_and_dry_run(app, pilot) -> None:
    """The file read on a worker, then its dry run on the disk thread, then the screen caught up."""
    from helpers import settle

    await app.workers.wait_for_complete()
    await pilot.pause()
    await settle(app, pilot)


async def test_import_from_the_app_previews_then_imports_as_one_undoable_change(tmp_path):
    from app_support import NOW, build_app
    from helpers import settle

    from cardbox.core.box import Box
    from cardbox.ui.screens.import_screen import ImportScreen

    box_path = tmp_path / "box.json"
    Box(box_path, clock=lambda: NOW).add("Kept Card")
    app = build_app(Box(box_path, clock=lambda: NOW))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f4", "i")  # the Box screen's key
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        await pilot.press("ctrl+s")  # nothing previewed yet: nothing imported
        await press(pilot, typed(str(tmp_path / "no-such.csv")), "enter")
        await read_and_dry_run(app, pilot)
        assert "✗" in str(app.screen.query_one("#import-preview").render())
        assert "No such file" in str(app.screen.query_one("#import-preview").render())
        # A FIFO is refused, never waited on (the screen, and every save, would wait for a writer).
        fifo = tmp_path / "pipe.csv"
        os.mkfifo(fifo)
        app.screen.query_one("#import-path", Input).value = ""
        await press(pilot, typed(str(fifo)), "enter")
        await read_and_dry_run(app, pilot)
        assert "not a plain file" in str(app.screen.query_one("#import-preview").render())
        app.screen.query_one("#import-path", Input).value = ""
        await press(pilot, typed(str(FIXTURES / "hubspot.csv")), "enter")
        await read_and_dry_run(app, pilot)
        preview = str(app.screen.query_one("#import-preview").render())
        assert "HubSpot contacts" in preview and "import 3" in preview and "skip line 6" in preview
        assert "Phone Number → phone" in preview  # the mapping it chose
        assert set(by_name(tmp_path)) == {"Kept Card"}  # the preview wrote nothing
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
        assert set(by_name(tmp_path)) == {"Kept Card", "Dana Whitfield", "Sam Okafor", "Lee Park"}
        await pilot.press("ctrl+z")
        await settle(app, pilot)
    assert set(by_name(tmp_path)) == {"Kept Card"}


def test_import_preview_snapshot(snap_compare, tmp_path):
    from app_support import NOW, build_app

    from cardbox.core.box import Box

    app = build_app(Box(tmp_path / "box.json", clock=lambda: NOW))

    async def run_before(pilot) -> None:
        app.action_import()
        await pilot.pause()
        await press(pilot, typed(str(FIXTURES / "salesforce.csv").replace(str(FIXTURES), "tests/fixtures/imports")), "enter")
        await read_and_dry_run(app, pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(100, 32))


@pytest.mark.parametrize(("fixture", "name", "company", "phones"), [
    ("pipedrive.csv", "Kai Brooks", "Brooks Bikes", ["+15035550101", "+15035550102"]),
    ("close.csv", "Priya Nair", "Nova Labs", ["+16505550103"]),
    ("zoho.csv", "Tom Reyes", "Reyes Plumbing", ["+12105550104", "+12105550105"]),
    ("outlook.csv", "Ella J. Moss", "Moss Realty", ["+16025550106"]),
])
def test_each_layout_gives_the_card_a_rep_needs(tmp_path, fixture, name, company, phones):
    assert cli(tmp_path, "import", str(FIXTURES / fixture)).returncode == 0
    card = by_name(tmp_path)[name]
    assert (card["company"], card["phones"]) == (company, phones)


def test_an_import_that_fails_part_way_leaves_the_box_as_it_was(tmp_path, monkeypatch):
    import errno

    from app_support import NOW

    from cardbox.core import files
    from cardbox.core.box import Box
    from cardbox.core.box_errors import BoxWriteError

    box = Box(tmp_path / "box.json", clock=lambda: NOW)
    box.add("Kept Card")
    before = (tmp_path / "box.json").read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "write_atomically", disk_full)
    monkeypatch.setattr("cardbox.core.journal.append", disk_full)
    parsed = importing.parse((FIXTURES / "hubspot.csv").read_bytes(), "hubspot.csv")
    with pytest.raises(BoxWriteError, match="full"):
        box.import_rows(parsed, source="hubspot.csv")
    assert (tmp_path / "box.json").read_bytes() == before
    assert [card.name for card in box.cards()] == ["Kept Card"]  # memory as it was too


def test_several_emails_and_an_address_are_kept_on_the_card(tmp_path):
    cli(tmp_path, "import", str(FIXTURES / "google.csv"))
    mia = by_name(tmp_path)["Mia Chen"]
    assert (mia["email"], mia["emails"]) == ("mia@chen.example", ["mia.home@chen.example"])
    cli(tmp_path, "import", str(FIXTURES / "zoho.csv"))
    tom = by_name(tmp_path)["Tom Reyes"]
    assert tom["address"] == {"city": "San Antonio", "region": "TX", "postal_code": "78201"}
    assert "Address" not in tom["notes"]


def test_csv_round_trip_box_to_csv_to_box_to_csv(tmp_path):
    """Everything the CSV holds comes back: export, import into a new box, export again — the same rows."""
    first = tmp_path / "first"
    first.mkdir()
    cli(first, "import", str(FIXTURES / "google.csv"))
    cli(first, "import", str(FIXTURES / "zoho.csv"))
    cli(first, "add", "Dated Dee", "--phone", "720 555 0191", "--when", "late January", "--why", "budget", "--tag", "hot")
    cli(first, "log", "3", "nurture")

    def export(folder: Path) -> list[dict]:
        env = dict(os.environ, CARDBOX_NOW="2026-11-23T10:00", HOME=str(folder), XDG_CONFIG_HOME=str(folder / "config"))
        done = subprocess.run([CARDBOX, "--box", str(folder / "box.json"), "export", "--format", "csv"], capture_output=True, env=env, timeout=30)
        import csv as csv_module
        import io

        rows = list(csv_module.DictReader(io.StringIO(done.stdout.decode("utf-8-sig"))))
        ignore = {"id", "created", "updated", "attempts", "last_outcome", "last_attempt", "history"}  # the box's own bookkeeping
        return [{k: v for k, v in row.items() if k not in ignore} for row in rows]

    exported = tmp_path / "out.csv"
    env = dict(os.environ, CARDBOX_NOW="2026-11-23T10:00", HOME=str(first), XDG_CONFIG_HOME=str(first / "config"))
    subprocess.run([CARDBOX, "--box", str(first / "box.json"), "export", "--format", "csv", "-o", str(exported)], env=env, check=True,
                   capture_output=True, timeout=30)
    second = tmp_path / "second"
    second.mkdir()
    assert json.loads(cli(second, "import", str(exported), "--json").stdout)["imported"] == 3
    assert export(second) == export(first)


def test_an_older_box_is_migrated_on_its_first_write_with_a_backup_first(tmp_path):
    from cardbox.core.box_codec import SCHEMA_VERSION

    box = tmp_path / "box.json"
    old = {"cards": {"1": {"id": 1, "name": "Old Ann", "phones": [], "status": "active", "attempts": [],
                           "created": "2026-01-01T09:00:00", "updated": "2026-01-01T09:00:00"}},
           "sessions": {}, "meta": {"1": {"schema": 1, "next_id": 2}}}
    box.write_text(json.dumps(old))
    before = box.read_bytes()
    assert cli(tmp_path, "due").returncode == 0 and box.read_bytes() == before  # reading changes nothing
    assert cli(tmp_path, "add", "New Bo").returncode == 0
    data = json.loads(box.read_text())
    assert data["meta"]["1"]["schema"] == SCHEMA_VERSION == 3
    assert data["cards"]["1"]["name"] == "Old Ann"
    assert data["cards"]["1"]["created"] == "2026-01-01T09:00:00-08:00"  # schema 3: the offset added
    [kept] = (tmp_path / "box-backups").glob("box-*-before-schema-3.json")
    assert kept.read_bytes() == before


def test_a_phone_extension_is_kept(tmp_path):
    from cardbox.core.phone import display, normalize

    assert normalize("(415) 555-0134 ext. 22") == "+14155550134;ext=22"
    assert display("+14155550134;ext=22") == "(415) 555-0134 ext. 22"
    (tmp_path / "ext.csv").write_text("First Name,Last Name,Phone Number\nEve,Ext,(415) 555-0134 x 22\n")
    cli(tmp_path, "import", str(tmp_path / "ext.csv"))
    assert by_name(tmp_path)["Eve Ext"]["phones"] == ["+14155550134;ext=22"]
    assert "ext. 22" in cli(tmp_path, "show", "1").stdout


def test_the_json_report_names_every_column_not_mapped_and_where_its_values_went(tmp_path):
    source = tmp_path / "leads.csv"
    source.write_text("Name,Phone,Lead Source,,Empty Column\n"
                      "Ann Lee,212 555 0101,Web form,left of the header,\n"
                      "Bo Chen,212 555 0102,,,\n", encoding="utf-8")
    report = json.loads(cli(tmp_path, "import", str(source), "--json").stdout)
    assert report["columns"] == [
        {"column": "Name", "went_to": "name", "values": 2}, {"column": "Phone", "went_to": "phone", "values": 2},
        {"column": "Lead Source", "went_to": "notes, as 'Lead Source: …'", "values": 1},
        {"column": "Column 4", "went_to": "notes, as 'Column 4: …'", "values": 1},
        {"column": "Empty Column", "went_to": "notes, as 'Empty Column: …'", "values": 0}]
    assert [c["column"] for c in report["not_mapped"]] == ["Lead Source", "Column 4"]
    # A value under no header is kept too, never dropped.
    assert by_name(tmp_path)["Ann Lee"]["notes"] == "Lead Source: Web form\nColumn 4: left of the header"
    said = cli(tmp_path / "again", "import", str(source), "--dry-run").stdout
    assert "kept in the notes as 'Label: value' (no field of their own): Lead Source, Column 4" in said


def test_the_json_report_says_where_a_vcards_properties_went(tmp_path):
    source = tmp_path / "people.vcf"
    source.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nTEL;TYPE=work:212 555 0101\r\nTEL;TYPE=fax:212 555 0199\r\n"
                      "TITLE:Buyer\r\nPHOTO;ENCODING=b;TYPE=JPEG:AAAA\r\nEND:VCARD\r\n", encoding="utf-8")
    report = json.loads(cli(tmp_path, "import", str(source), "--json").stdout)
    went = {(c["column"], c["went_to"]) for c in report["columns"]}
    assert {("FN", "name"), ("TEL", "phone"), ("TEL", "notes (fax and pager numbers are not called)"),
            ("TITLE", "notes, as 'Title: …'"), ("PHOTO", "left out (a picture, sound or key)")} == went
    assert {c["column"] for c in report["not_mapped"]} == {"TEL", "TITLE", "PHOTO"}


def test_pipedrive_labelled_phone_and_email_columns_are_all_read(tmp_path):
    source = tmp_path / "people.csv"
    source.write_text("Person - Name,Person - Organization,Person - Phone - Work,Person - Phone - Mobile,"
                      "Person - Email - Work,Person - Email - Home,Person - Label\n"
                      "Ann Lee,Lee Roofing,212 555 0101,917 555 0102,ann@lee.example,ann.home@mail.example,Hot lead\n",
                      encoding="utf-8")
    report = json.loads(cli(tmp_path, "import", str(source), "--json").stdout)
    assert report["layout"] == "Pipedrive people" and report["imported"] == 1
    ann = by_name(tmp_path)["Ann Lee"]
    assert ann["phones"] == ["+12125550101", "+19175550102"]
    assert [ann["email"], *ann["emails"]] == ["ann@lee.example", "ann.home@mail.example"]
    assert ann["company"] == "Lee Roofing" and ann["notes"] == "Person - Label: Hot lead"


def test_hubspot_message_and_other_notes_like_columns_land_in_the_notes(tmp_path):
    source = tmp_path / "contacts.csv"
    source.write_text("Record ID,First Name,Last Name,Phone Number,Message,Lifecycle Stage,Lead Status\n"
                      "7,Bo,Chen,212 555 0103,\"Call me after the 15th, about the roof\",lead,New\n", encoding="utf-8")
    report = json.loads(cli(tmp_path, "import", str(source), "--json").stdout)
    assert report["layout"] == "HubSpot contacts" and report["imported"] == 1
    notes = by_name(tmp_path)["Bo Chen"]["notes"].splitlines()
    # The CRM's record id too: the way back to the record in the CRM.
    assert notes == ["Record ID: 7", "Message: Call me after the 15th, about the roof", "Lifecycle Stage: lead", "Lead Status: New"]


def test_a_crm_do_not_call_column_blocks_the_number_and_undo_lifts_it(tmp_path):
    source = tmp_path / "leads.csv"
    source.write_text("Name,Phone,Do Not Call,Status\n"
                      "Ann Lee,212 555 0101,Yes,Open - Not Contacted\n"
                      "Bo Chen,212 555 0102,No,\n"
                      "Cy Diaz,212 555 0103,,\n", encoding="utf-8")
    before = box_state(tmp_path / "box.json")
    dry = json.loads(cli(tmp_path, "import", str(source), "--dry-run", "--json").stdout)
    assert dry["do_not_call"] == ["+12125550101"] and box_state(tmp_path / "box.json") == before
    said = cli(tmp_path, "import", str(source)).stdout
    assert "put 1 number on the do-not-call list: the file says they asked not to be called" in said
    cards = by_name(tmp_path)
    assert cards["Ann Lee"]["status"] == "do-not-call" and cards["Bo Chen"]["status"] == "active"
    assert cards["Ann Lee"]["notes"] == "Status: Open - Not Contacted"  # the CRM's own status, kept
    assert "+12125550101" in cli(tmp_path, "dnc", "list", "--json").stdout
    # Another card with that number is blocked, and saying so when it is added.
    added = cli(tmp_path, "add", "Front Desk", "--phone", "212 555 0101", "--when", "tomorrow")
    assert "do not call: (212) 555-0101 is on the do-not-call list" in added.stdout
    assert cli(tmp_path, "import", "--undo").returncode == 0
    assert "+12125550101" not in cli(tmp_path, "dnc", "list", "--json").stdout


@pytest.mark.parametrize("fmt", ["csv", "vcf"])
def test_a_blocked_number_leaves_and_comes_back_blocked(tmp_path, fmt):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    assert cli(first, "add", "Asked Not", "--phone", "305 555 0100", "--when", "tomorrow").returncode == 0
    assert cli(first, "add", "Same Line", "--phone", "305 555 0100", "--when", "tomorrow").returncode == 0
    assert cli(first, "log", "1", "do-not-call").returncode == 0
    out = first / f"blocked.{fmt}"
    assert cli(first, "export", "--format", fmt, "--status", "do-not-call", "-o", str(out)).returncode == 0
    report = json.loads(cli(second, "import", str(out), "--json").stdout)
    # Both leave (the second is blocked by its number), both come back, and the number is on the new box's list.
    assert report["imported"] == 2 and report["do_not_call"] == ["+13055550100"]
    assert {name: card["status"] for name, card in by_name(second).items()} == {"Asked Not": "do-not-call",
                                                                                 "Same Line": "active"}
    listed = json.loads(cli(second, "dnc", "list", "--json").stdout)
    assert [row["number"] for row in listed] == ["+13055550100"]


def test_imported_leads_wait_in_needs_a_date_not_in_todays_flip_and_are_not_brush_offs(tmp_path):
    from datetime import datetime

    from cardbox.core.box import NEEDS_A_DATE, Box

    source = tmp_path / "leads.csv"
    source.write_text("Name,Phone\nLee Lead,212 555 0101\nLou Lead,212 555 0102\n", encoding="utf-8")
    assert cli(tmp_path, "import", str(source)).returncode == 0
    assert cli(tmp_path, "add", "My Own Undated", "--phone", "212 555 0199", "--why", "asked for a quote").returncode == 0
    box = Box(tmp_path / "box.json", clock=lambda: datetime(2026, 11, 23, 10))
    today = [card.name for card in box.due(datetime(2026, 11, 23).date())]
    assert today == ["My Own Undated"]
    assert sorted(box.get(i).name for i in box.pile(NEEDS_A_DATE)) == ["Lee Lead", "Lou Lead", "My Own Undated"]
    # Not a brush-off: nobody has spoken to them yet, and the numbers do not count them as callbacks without a reason.
    assert "(a lead: nobody has spoken to them yet)" in cli(tmp_path, "show", "1").stdout
    stats = json.loads(cli(tmp_path, "stats", "--json").stdout)
    assert stats["pipeline"]["no_reason"] == 0
    # Once called, a lead is worked like any card.
    assert cli(tmp_path, "log", "1", "no-answer").returncode == 0
    box = Box(tmp_path / "box.json", clock=lambda: datetime(2026, 11, 23, 10))
    assert "Lee Lead" not in [card.name for card in box.due(datetime(2026, 11, 23).date())]  # re-filed by the cool-down


def test_a_cell_too_big_for_the_reader_costs_its_row_only(tmp_path):
    source = tmp_path / "big.csv"
    source.write_text("Name,Phone,Notes\nAnn Lee,212 555 0101,fine\nBig Row,212 555 0102," + "x" * 200_000
                      + "\nCy Diaz,212 555 0103,fine too\n", encoding="utf-8")
    done = cli(tmp_path, "import", str(source), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["imported"] == 2 and [s["line"] for s in report["skipped"]] == [3]
    assert "could not be read" in report["skipped"][0]["reason"]
    assert sorted(by_name(tmp_path)) == ["Ann Lee", "Cy Diaz"]
