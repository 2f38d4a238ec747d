"""When to call: the prospect's clock, calling hours, do-not-call — on fixed instants worked out by hand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from helpers import cardbox_command, press, today, typed

from cardbox.core.calling_hours import callable_first, rules, when_to_call
from cardbox.core.card import Card
from cardbox.core.errors import CardError
from cardbox.core.zones import card_state, phone_facts, prospect_zones, rep_zone

NEW_YORK = "America/New_York"
CARDBOX = str(Path(sys.executable).parent / "cardbox")


def card(phone: str | None, name: str = "x", zone: str = "", card_id: int = 1, attempts=()) -> Card:
    moment = datetime(2026, 1, 1)
    return Card(id=card_id, name=name, created=moment, updated=moment, phones=(phone,) if phone else (), time_zone=zone,
                attempts=tuple(attempts))


def test_zones_and_states_come_from_the_number():
    assert phone_facts("+14155550134") == (("America/Los_Angeles",), "CA")
    assert phone_facts("+13055550100") == (("America/New_York",), "FL")
    assert set(phone_facts("+19075550100")[0]) == {"America/Anchorage", "America/Adak"}  # every candidate kept
    assert prospect_zones(card("+14155550134", zone="America/Denver")) == ["America/Denver"]  # the card's own zone wins
    assert prospect_zones(card(None)) == [] and card_state(card("+442079460958")) is None


def test_the_reps_zone_setting_and_override():
    assert rep_zone("Europe/Paris", {}) == "Europe/Paris"
    assert rep_zone("Europe/Paris", {"CARDBOX_TZ": "Asia/Tokyo"}) == "Asia/Tokyo"
    with pytest.raises(CardError, match="not a time zone"):
        rep_zone("Mars/Olympus", {})


def test_florida_at_half_past_eight_eastern_is_not_callable_new_york_is():
    now = datetime(2026, 11, 23, 20, 30)  # the rep in New York
    florida, new_york = card("+13055550100", "FL"), card("+12125550100", "NY")
    fl = when_to_call(florida, now, NEW_YORK)
    assert not fl.callable_now and "08:00–20:00" in fl.why_not and "FL" in fl.why_not
    assert fl.opens == datetime(2026, 11, 24, 8, 0)
    assert when_to_call(new_york, now, NEW_YORK).callable_now  # federal 9 p.m.
    assert [c.name for c in callable_first([florida, new_york], now, NEW_YORK)] == ["NY", "FL"]


def test_a_west_coast_prospect_opens_at_eleven_eastern():
    check = when_to_call(card("+14155550134"), datetime(2026, 11, 23, 9, 30), NEW_YORK)
    assert not check.callable_now and check.opens == datetime(2026, 11, 23, 11, 0)
    assert check.local_times[0].hour == 6 and check.local_times[0].minute == 30


def test_hawaii_and_a_card_with_no_phone():
    hawaii = when_to_call(card("+18085550100"), datetime(2026, 11, 23, 12, 0), NEW_YORK)  # 7 a.m. in Honolulu
    assert not hawaii.callable_now and hawaii.opens == datetime(2026, 11, 23, 13, 0)
    no_phone = when_to_call(card(None), datetime(2026, 11, 23, 3, 0), NEW_YORK)
    # Nothing to dial: never "✓ inside calling hours".
    assert not no_phone.callable_now and no_phone.zones == () and no_phone.why_not == "no phone number on the card"


def test_several_zones_must_all_be_inside():
    # 907: Anchorage (UTC-9) and Adak (UTC-10). At 12:30 New York it is 8:30 in Anchorage but 7:30 in Adak.
    check = when_to_call(card("+19075550100"), datetime(2026, 11, 23, 12, 30), NEW_YORK)
    assert not check.callable_now and check.opens == datetime(2026, 11, 23, 13, 0)  # when Adak reaches 8:00


def test_across_the_eu_and_us_clock_changes():
    london = card("+442079460958")
    # 23 Oct 2026: London on BST (UTC+1), New York on EDT (UTC-4): 03:30 New York is 08:30 London.
    assert when_to_call(london, datetime(2026, 10, 23, 3, 30), NEW_YORK).callable_now
    # 26 Oct: Europe went back an hour on the 25th, the US not yet: 03:30 New York is 07:30 London.
    after = when_to_call(london, datetime(2026, 10, 26, 3, 30), NEW_YORK)
    assert not after.callable_now and after.opens == datetime(2026, 10, 26, 4, 0)
    # 2 Nov: the US went back on the 1st too: five hours apart again, 08:00 London is 03:00 New York.
    assert when_to_call(london, datetime(2026, 11, 2, 3, 0), NEW_YORK).callable_now
    # San Francisco keeps three hours behind New York through the US change.
    sf = card("+14155550134")
    assert when_to_call(sf, datetime(2026, 10, 31, 11, 0), NEW_YORK).callable_now  # 08:00 PDT
    assert when_to_call(sf, datetime(2026, 11, 2, 11, 0), NEW_YORK).callable_now  # 08:00 PST
    assert not when_to_call(sf, datetime(2026, 11, 2, 10, 59), NEW_YORK).callable_now


def test_a_state_cap_on_calls_in_24_hours():
    from cardbox.core.card import Attempt

    calls = [Attempt(datetime(2026, 11, 23, hour), "call", "no-answer") for hour in (9, 11, 13)]
    florida = card("+13055550100", attempts=calls)
    check = when_to_call(florida, datetime(2026, 11, 23, 15, 0), NEW_YORK)
    assert not check.callable_now and "3 calls in 24 hours" in check.why_not
    assert check.opens == datetime(2026, 11, 24, 9, 0)
    assert when_to_call(card("+12125550100", attempts=calls), datetime(2026, 11, 23, 15, 0), NEW_YORK).callable_now


def test_the_rules_file_names_its_sources():
    default, states = rules()
    assert str(default.days[0]) == "08:00–21:00" and "64.1200" in default.source
    assert (str(states["FL"].days[0]), states["FL"].max_calls_24h) == ("08:00–20:00", 3) and "501.059" in states["FL"].source


# -- the shell ------------------------------------------------------------------


def cli(tmp_path: Path, *args: str, now: str = "2026-11-23T20:30") -> subprocess.CompletedProcess:
    env = dict(os.environ, CARDBOX_NOW=now, CARDBOX_TZ=NEW_YORK, XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path))
    env.pop("CARDBOX_BOX", None)
    return cardbox_command(["--box", str(tmp_path / "box.json"), *args], env)


def test_due_json_says_whose_clock_and_when_callable(tmp_path):
    cli(tmp_path, "add", "Fl Ora", "--phone", "305 555 0100", "--when", "today")
    cli(tmp_path, "add", "Ny Kim", "--phone", "212 555 0100", "--when", "today")
    cards = json.loads(cli(tmp_path, "due", "--json").stdout)
    assert [c["name"] for c in cards] == ["Ny Kim", "Fl Ora"]  # callable first
    ny, fl = cards
    assert ny["callable_now"] and ny["callable_from"] is None and ny["local_time"] == "2026-11-23T20:30:00-05:00"
    assert fl["zones"] == [NEW_YORK] and not fl["callable_now"] and fl["callable_from"] == "2026-11-24T08:00:00-05:00"
    assert "not now: outside calling hours" in cli(tmp_path, "due").stdout
    assert "their time (America/New_York)" in cli(tmp_path, "show", "1").stdout


def test_do_not_call_is_a_hard_block_and_kept_on_record(tmp_path):
    cli(tmp_path, "add", "Ny Kim", "--phone", "212 555 0100", "--when", "today")
    added = cli(tmp_path, "dnc", "add", "(212) 555-0100", "--note", "asked on the call")
    assert added.returncode == 0 and "#1 Ny Kim is blocked" in added.stdout
    logged = cli(tmp_path, "log", "1", "no-answer")
    assert logged.returncode == 2 and "do-not-call" in logged.stderr
    (tmp_path / "list.txt").write_text("415 555 0134\nnot a number\n+1 305 555 0100\n(212) 555-0100\n")
    imported = cli(tmp_path, "dnc", "import", str(tmp_path / "list.txt"))
    assert "2 numbers added" in imported.stdout and "1 already on it" in imported.stdout
    assert imported.returncode == 2 and "line 2" in imported.stderr
    rows = json.loads(cli(tmp_path, "dnc", "list", "--json").stdout)
    assert {r["number"] for r in rows} == {"+12125550100", "+14155550134", "+13055550100"}
    assert next(r for r in rows if r["number"] == "+12125550100")["note"] == "asked on the call"
    shown = cli(tmp_path, "show", "1").stdout
    assert "do not call" in shown and "Ny Kim" in shown  # the card and its request stay


# -- the app ---------------------------------------------------------------------


def zone_box(path: Path):
    from cardbox.core.box import Box
    from cardbox.core.window import DueWindow

    box = Box(path, clock=lambda: datetime(2026, 11, 23, 20, 30))
    today = DueWindow.on_day(datetime(2026, 11, 23).date(), "today")
    box.add("Fl Ora", phones=["305 555 0100"], due=today)
    box.add("Ny Kim", phones=["212 555 0100"], due=today)
    return box


async def test_today_puts_callable_cards_first_and_says_when_the_others_open(tmp_path, monkeypatch):
    from app_support import build_app

    monkeypatch.setenv("CARDBOX_TZ", NEW_YORK)
    box = zone_box(tmp_path / "box.json")
    app = build_app(box, clock=lambda: datetime(2026, 11, 23, 20, 30))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert [app.box.get(i).name for i in today(app).deck.ids] == ["Ny Kim", "Fl Ora"]
        assert "inside calling hours" in str(app.screen.query_one("#card-clock").render())
        await pilot.press("right")
        clock = str(app.screen.query_one("#card-clock").render())
        assert "not now" in clock and "opens 08:00" in clock


async def test_logging_outside_calling_hours_asks_and_records_it(tmp_path, monkeypatch):
    from app_support import build_app
    from helpers import file_cards, settle

    from cardbox.ui.screens.dialogs import ConfirmDialog

    monkeypatch.setenv("CARDBOX_TZ", NEW_YORK)
    box = zone_box(tmp_path / "box.json")
    app = build_app(box, clock=lambda: datetime(2026, 11, 23, 20, 30))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("right")  # Fl Ora: 8:30 p.m. in Florida, past its 8 p.m.
        await pilot.press("1")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # no: nothing logged
        await settle(app, pilot)
        assert file_cards(box.path)["1"]["attempts"] == []
        await pilot.press("2")
        await pilot.press("y")
        await settle(app, pilot)
    [attempt] = file_cards(box.path)["1"]["attempts"]
    assert attempt["outcome"] == "voicemail" and "outside calling hours" in attempt["note"] and "confirmed" in attempt["note"]


async def test_a_do_not_call_card_has_no_outcome_keys(tmp_path, monkeypatch):
    from app_support import build_app
    from helpers import file_cards, settle

    monkeypatch.setenv("CARDBOX_TZ", NEW_YORK)
    box = zone_box(tmp_path / "box.json")
    box.dnc_add(["212 555 0100"], how="asked on the call")
    app = build_app(box, clock=lambda: datetime(2026, 11, 23, 12, 0))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        ny = next(i for i in today(app).deck.ids if app.box.get(i).name == "Ny Kim")
        today(app).deck.go_to(ny)
        today(app).show_current()
        await pilot.pause()
        assert "DO NOT CALL" in str(app.screen.query_one("#card-clock").render())
        await pilot.press("1", "5")
        await settle(app, pilot)
    assert file_cards(box.path)[str(ny)]["attempts"] == []


async def test_the_capture_form_warns_when_a_listed_number_is_typed(tmp_path):
    from app_support import build_app

    box = zone_box(tmp_path / "box.json")
    box.dnc_add(["415 555 0134"], how="imported")
    app = build_app(box)
    async with app.run_test(size=(100, 32)) as pilot:
        await press(pilot, "n", typed("Zed"), "tab", typed("4155550134"))
        await pilot.pause()
        assert "do-not-call list" in str(app.screen.query_one("#phone-check").render())


# -- phrases that name a clock --------------------------------------------------------


@pytest.mark.parametrize(("phrase", "prospect", "start", "label_part"), [
    ("tomorrow at 4", "America/Los_Angeles", datetime(2026, 11, 24, 19, 0), "16:00 PST"),  # their clock by default
    # In a card's field the words are the prospect's: "my time" is theirs, "your time" the rep's.
    ("tomorrow at 4 my time", "America/Los_Angeles", datetime(2026, 11, 24, 19, 0), "19:00 your time (16:00 PST)"),
    ("tomorrow at 4 our time", "America/Los_Angeles", datetime(2026, 11, 24, 19, 0), "16:00 PST"),
    ("tomorrow at 4 your time", "America/Los_Angeles", datetime(2026, 11, 24, 16, 0), "16:00 your time (13:00 PST)"),
    ("tomorrow at 4 their time", "America/Chicago", datetime(2026, 11, 24, 17, 0), "16:00 CST"),
    ("Thursday 8:00 PST", None, datetime(2026, 11, 26, 11, 0), "08:00 PST"),
    ("9:30 - 11:00 CST tomorrow", None, datetime(2026, 11, 24, 10, 30), "09:30–11:00 CST"),
    ("tomorrow at 4", None, datetime(2026, 11, 24, 16, 0), "16:00"),  # no zone anywhere: the rep's clock
])
def test_a_phrases_time_is_on_the_prospects_clock_unless_it_says(phrase, prospect, start, label_part):
    from cardbox.core.phrases import parse_when

    window = parse_when(phrase, datetime(2026, 11, 23, 10, 0), rep_zone=NEW_YORK, prospect_zone=prospect)
    assert window.start == start and label_part in window.label and window.phrase == phrase


def test_my_time_in_cardbox_when_is_the_reps_and_unknown_clocks_are_refused():
    from cardbox.core.phrases import PhraseError, parse_when

    now = datetime(2026, 11, 23, 10, 0)
    mine = parse_when("tomorrow at 4 my time", now, rep_zone=NEW_YORK, speaker="rep")
    assert mine.start == datetime(2026, 11, 24, 16, 0)
    # The prospect's clock with no zone known for them: refused, not read as the rep's.
    with pytest.raises(PhraseError, match="time zone is not known"):
        parse_when("tomorrow at 4 my time", now, rep_zone=NEW_YORK)


def test_the_capture_form_reads_my_time_on_the_prospects_clock(tmp_path, monkeypatch):
    from cardbox.ui.phrase_preview import preview

    window, shown_text = preview("tomorrow at 4 my time", datetime(2026, 11, 23, 10, 0), False, (), NEW_YORK, "America/Los_Angeles")
    assert window is not None and window.start == datetime(2026, 11, 24, 19, 0)
    assert "19:00 your time (16:00 PST)" in str(shown_text)


def test_dates_without_a_time_do_not_move_and_summer_time_is_kept():
    from cardbox.core.phrases import parse_when

    window = parse_when("late January", datetime(2026, 11, 23, 10, 0), rep_zone=NEW_YORK, prospect_zone="America/Los_Angeles")
    assert window.first_day == datetime(2027, 1, 21).date() and not window.timed
    # In July, Pacific is PDT: 4 p.m. there is 7 p.m. in New York (EDT).
    summer = parse_when("tomorrow at 4", datetime(2026, 7, 6, 10, 0), rep_zone=NEW_YORK, prospect_zone="America/Los_Angeles")
    assert summer.start == datetime(2026, 7, 7, 19, 0) and "PDT" in summer.label


def test_the_shell_reads_a_new_cards_time_on_its_clock(tmp_path):
    done = cli(tmp_path, "add", "Sf Lee", "--phone", "415 555 0134", "--when", "tomorrow at 4", "--json", now="2026-11-23T10:00")
    card = json.loads(done.stdout)
    assert card["due"]["start"] == "2026-11-24T19:00-05:00" and "16:00 PST" in card["due"]["label"]


def test_the_state_comes_from_the_address_before_the_area_code():
    moment = datetime(2026, 1, 1)
    moved = Card(id=1, name="x", created=moment, updated=moment, phones=("+12125550100",), address={"region": "Florida"})
    assert card_state(moved) == "FL"  # a New York number, a Florida address: Florida's rules
    assert not when_to_call(moved, datetime(2026, 11, 23, 20, 30), NEW_YORK).callable_now


def test_when_json_prints_a_time_with_its_offset(tmp_path):
    done = cli(tmp_path, "when", "Thursday", "8:00", "PST", "--json", now="2026-11-23T10:00")
    data = json.loads(done.stdout)
    assert data["start"] == "2026-11-26T11:00:00-05:00" and "08:00 PST" in data["label"]


def test_the_real_clock_runs_on_the_reps_zone(monkeypatch):
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from cardbox.core.clock import clock_from_env, parse_now

    monkeypatch.setenv("CARDBOX_TZ", "Asia/Tokyo")
    clock = clock_from_env({})
    expected = datetime.now(ZoneInfo("Asia/Tokyo")).replace(tzinfo=None)
    assert abs(clock() - expected) < timedelta(seconds=5)
    # A CARDBOX_NOW with an offset is an instant: read on the rep's clock.
    assert parse_now("2026-11-23T10:00:00-05:00") == datetime(2026, 11, 24, 0, 0)


def _calls(*hours: int, channel: str = "call"):
    from cardbox.core.card import Attempt

    return [Attempt(datetime(2026, 11, 23, hour, 0), channel, "no-answer") for hour in hours]


def test_the_daily_limit_stops_a_fourth_call_today_and_opens_tomorrow():
    now = datetime(2026, 11, 23, 15, 0)
    ny = card("+12125550100", attempts=_calls(9, 11, 13))
    assert when_to_call(ny, now, NEW_YORK).callable_now  # no limit asked for: only the hours
    check = when_to_call(ny, now, NEW_YORK, calls_per_day=3)
    assert not check.callable_now and "3 calls to them today already (your limit is 3 a day)" == check.why_not
    assert check.opens == datetime(2026, 11, 24, 8, 0)  # tomorrow, when their calling hours open
    assert when_to_call(ny, now, NEW_YORK, calls_per_day=4).callable_now
    # Emails and texts do not ring their phone; yesterday's calls are yesterday's.
    emailed = card("+12125550100", attempts=_calls(9, 11, 13, channel="email"))
    assert when_to_call(emailed, now, NEW_YORK, calls_per_day=3).callable_now
    assert when_to_call(ny, datetime(2026, 11, 24, 9, 0), NEW_YORK, calls_per_day=3).callable_now


def test_the_shell_refuses_a_call_past_the_limit_unless_told_it_was_made(tmp_path):
    (tmp_path / "config" / "cardbox").mkdir(parents=True)
    (tmp_path / "config" / "cardbox" / "settings.json").write_text(json.dumps({"calls_per_day": 2}))
    noon = "2026-11-23T12:00"
    assert cli(tmp_path, "add", "Ny Kim", "--phone", "212 555 0100", now=noon).returncode == 0
    for _ in range(2):
        assert cli(tmp_path, "log", "1", "no-answer", now=noon).returncode == 0
    refused = cli(tmp_path, "log", "1", "no-answer", now=noon)
    assert refused.returncode == 2 and "2 calls to them today already" in refused.stderr and "--anyway" in refused.stderr
    assert cli(tmp_path, "log", "1", "callback", "--channel", "email", "--next", "friday", now=noon).returncode == 0  # not a call
    done = cli(tmp_path, "log", "1", "no-answer", "--anyway", "--note", "they rang back", "--json", now=noon)
    assert done.returncode == 0
    note = json.loads(done.stdout)["attempts"][-1]["note"]
    assert note.startswith("they rang back · called although not callable (2 calls") and note.endswith("confirmed")


async def test_the_app_asks_before_a_call_past_the_daily_limit(tmp_path, monkeypatch):
    from app_support import build_app
    from helpers import file_cards, settle

    from cardbox.ui.screens.dialogs import ConfirmDialog

    monkeypatch.setenv("CARDBOX_TZ", NEW_YORK)
    box = zone_box(tmp_path / "box.json")
    for _ in range(2):
        box.log(2, "no-answer", next_window=None)
    app = build_app(box, clock=lambda: datetime(2026, 11, 23, 20, 45))  # still inside New York's hours
    app.settings.calls_per_day = 2
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        ny = next(c for c in app.box.cards() if c.name == "Ny Kim")
        app.open_card(ny.id)
        await settle(app, pilot)
        await pilot.press("1")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
    attempts = file_cards(box.path)["2"]["attempts"]
    assert len(attempts) == 3 and "your limit is 2 a day" in attempts[-1]["note"] and "confirmed" in attempts[-1]["note"]


def test_the_address_gives_the_zones_before_the_number_and_narrows_with_it():
    from cardbox.core.zones import address_zones

    def at(address, phone=None):
        return Card(id=1, name="x", created=datetime(2026, 1, 1), updated=datetime(2026, 1, 1),
                    phones=(phone,) if phone else (), address=address)

    assert address_zones({"region": "FL"}) == ["America/New_York", "America/Chicago"]  # the panhandle is Central
    assert address_zones({"region": "Texas", "country": "USA"}) == ["America/Chicago", "America/Denver"]
    assert address_zones({"city": "London", "country": "United Kingdom"}) == ["Europe/London"]
    assert address_zones({"country": "de"}) == ["Europe/Berlin", "Europe/Busingen"]
    assert address_zones({"city": "Springfield"}) == []  # says nothing about where
    # A Miami number on a Florida address: Eastern only; a 415 number at a Berlin address: Berlin, no US state.
    assert prospect_zones(at({"region": "FL"}, "+13055550100")) == ["America/New_York"]
    assert prospect_zones(at({"country": "DE"}, "+14155550134")) == ["Europe/Berlin", "Europe/Busingen"]
    assert card_state(at({"country": "DE"}, "+14155550134")) is None
    assert prospect_zones(at({"region": "WA"}, "+13055550100")) == ["America/Los_Angeles"]  # the address wins a disagreement
    # Called from New York at 3 p.m., a Berlin prospect (21:00 there) is outside the hours.
    check = when_to_call(at({"country": "DE"}, "+493012345678"), datetime(2026, 11, 23, 15, 0), NEW_YORK)
    assert not check.callable_now and check.opens == datetime(2026, 11, 24, 2, 0)
