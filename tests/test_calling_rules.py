"""Lawful calling: each card's own verdict in any order, every stricter state's rules, the rep's own file.

The expected figures are worked out by hand from the statutes' hours (in the
data file) and a New York rep's clock; the property test compares the cached
verdicts with a plain minute-grid scan written here, not with the code under test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers import some, today
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardbox.core.calling_hours import Hours, Rule, RuleBook, callable_first, log_check, rule_book, tighten, when_to_call
from cardbox.core.card import Attempt, Card

NEW_YORK = "America/New_York"
CARDBOX = str(Path(sys.executable).parent / "cardbox")


def card(phone: str | None, name: str = "x", card_id: int = 1, zone: str = "", attempts=(), address=None) -> Card:
    moment = datetime(2026, 1, 1)
    return Card(id=card_id, name=name, created=moment, updated=moment, phones=(phone,) if phone else (), time_zone=zone,
                attempts=tuple(attempts), address=address or {})


# Numbers by state (area codes): the state's rule comes from the number when there is no address.
KY, LA, AL, MS, TX, NY, RI, CA = ("+15025550100", "+15045550100", "+12055550100", "+16015550100", "+12145550100",
                                  "+12125550100", "+14015550100", "+14155550134")


# -- the leak between cards --------------------------------------------------------------


def test_a_west_coast_card_never_takes_a_new_york_cards_answer_in_either_order():
    # 09:30 in New York is 06:30 in San Francisco: the same instant, two answers.
    now = datetime(2026, 12, 7, 9, 30)
    ny, sf = card(NY, "NY", 1), card(CA, "SF", 2)
    for order in ([ny, sf], [sf, ny], [ny, sf, ny, sf]):
        answers = {c.name: when_to_call(c, now, NEW_YORK).callable_now for c in order}
        assert answers == {"NY": True, "SF": False}
    assert [c.name for c in callable_first([sf, ny], now, NEW_YORK)] == ["NY", "SF"]


def test_due_json_gives_each_card_its_own_answer_in_every_order(tmp_path):
    env = dict(os.environ, CARDBOX_NOW="2026-12-07T09:30", CARDBOX_TZ=NEW_YORK, XDG_CONFIG_HOME=str(tmp_path / "c"),
               HOME=str(tmp_path))

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([CARDBOX, "--box", str(tmp_path / "box.json"), *args], capture_output=True, text=True, env=env,
                              timeout=30, check=True)

    cli("add", "Sf Lee", "--phone", "415 555 0134", "--when", "today")
    cli("add", "Ny Kim", "--phone", "212 555 0100", "--when", "today")
    cards = json.loads(cli("due", "--json").stdout)
    verdicts = {c["name"]: c["callable_now"] for c in cards}
    assert verdicts == {"Ny Kim": True, "Sf Lee": False}
    assert [c["name"] for c in cards] == ["Ny Kim", "Sf Lee"]  # the callable one first
    sf = next(c for c in cards if c["name"] == "Sf Lee")
    assert sf["callable_from"] == "2026-12-07T11:00:00-05:00" and sf["local_time"].startswith("2026-12-07T06:30")


# -- the states, for a rep in New York -----------------------------------------------------


def test_kentucky_opens_at_ten():
    check = when_to_call(card(KY), datetime(2026, 12, 7, 9, 30), NEW_YORK)  # a Monday; Louisville is Eastern
    assert not check.callable_now and check.opens == datetime(2026, 12, 7, 10, 0)
    assert "10:00–21:00" in check.why_not and "(KY)" in check.why_not
    assert when_to_call(card(NY), datetime(2026, 12, 7, 9, 30), NEW_YORK).callable_now


@pytest.mark.parametrize("phone", [LA, AL, MS])
def test_no_sunday_calls_in_louisiana_alabama_mississippi_they_open_on_monday(phone):
    sunday = datetime(2026, 12, 6, 12, 0)
    check = when_to_call(card(phone), sunday, NEW_YORK)
    assert not check.callable_now and "no calls on Sundays" in check.why_not
    assert check.opens == datetime(2026, 12, 7, 9, 0)  # 8 a.m. Central on Monday
    assert when_to_call(card(NY), sunday, NEW_YORK).callable_now


def test_texas_on_a_sunday_opens_at_one_eastern():
    check = when_to_call(card(TX), datetime(2026, 12, 6, 11, 0), NEW_YORK)  # 10 a.m. in Dallas
    assert not check.callable_now and check.opens == datetime(2026, 12, 6, 13, 0) and "12:00–21:00" in check.why_not
    # On a weekday it opens at 9 a.m. Dallas, 10 a.m. New York.
    assert when_to_call(card(TX), datetime(2026, 12, 7, 9, 30), NEW_YORK).opens == datetime(2026, 12, 7, 10, 0)
    assert when_to_call(card(TX), datetime(2026, 12, 6, 13, 0), NEW_YORK).callable_now


def test_louisiana_on_christmas_day_is_not_callable_new_york_is():
    christmas = datetime(2026, 12, 25, 12, 0)  # a Friday
    check = when_to_call(card(LA), christmas, NEW_YORK)
    assert not check.callable_now and "Christmas Day" in check.why_not and "legal holiday" in check.why_not
    assert check.opens == datetime(2026, 12, 26, 9, 0)  # Saturday 8 a.m. Central
    assert when_to_call(card(NY), christmas, NEW_YORK).callable_now


def test_rhode_island_keeps_short_saturdays_and_no_sundays():
    saturday = datetime(2026, 12, 5, 9, 30)
    check = when_to_call(card(RI), saturday, NEW_YORK)
    assert not check.callable_now and check.opens == datetime(2026, 12, 5, 10, 0)
    late_saturday = when_to_call(card(RI), datetime(2026, 12, 5, 17, 0), NEW_YORK)
    assert not late_saturday.callable_now and late_saturday.opens == datetime(2026, 12, 7, 9, 0)  # past Sunday to Monday


def test_a_long_weekend_of_holidays_is_skipped_to_the_next_opening():
    # Alabama, Saturday 4 July 2026 is Independence Day (observed Friday 3rd); Sunday has no calls either.
    check = when_to_call(card(AL), datetime(2026, 7, 3, 12, 0), NEW_YORK)
    assert not check.callable_now and check.opens == datetime(2026, 7, 6, 9, 0)  # Monday 8 a.m. Central (EDT+1)


def test_every_state_named_has_a_source_and_a_checked_date():
    book = rule_book()
    assert len(book.states) >= 15
    for code, rule in book.states.items():
        assert rule.place == code
        assert any("64.1200" in source for source in rule.sources)  # the federal rule stays in force
        assert any(source and "64.1200" not in source for source in rule.sources), code
        assert rule.checked and rule.exemptions


def test_the_why_not_names_exemptions_but_none_is_applied():
    check = when_to_call(card(TX), datetime(2026, 12, 6, 11, 0), NEW_YORK)
    assert not check.callable_now and "business-to-business" in check.exemptions_note()
    assert "applies none" in check.exemptions_note()
    assert when_to_call(card(NY), datetime(2026, 12, 6, 11, 0), NEW_YORK).exemptions_note() == ""


def test_the_reps_own_file_adds_and_tightens_never_loosens(tmp_path):
    mine = tmp_path / "calling_hours.toml"
    mine.write_text('[states.NY]\nhours = "10:00-17:00"\nsource = "house rule"\n'
                    '[states.TX]\nhours = "07:00-23:00"\nsunday = "08:00-22:00"\n')
    book = rule_book(mine)
    ny = when_to_call(card(NY), datetime(2026, 12, 7, 9, 30), NEW_YORK, book=book)
    assert not ny.callable_now and ny.opens == datetime(2026, 12, 7, 10, 0) and "house rule" in ny.rule.source
    # Texas stays at its own 9 a.m. / noon on Sunday: a looser house rule does not open it earlier.
    assert when_to_call(card(TX), datetime(2026, 12, 6, 11, 0), NEW_YORK, book=book).opens == datetime(2026, 12, 6, 13, 0)
    mine.write_text("[states.NY\n")  # broken: reported, the shipped rules still hold
    broken = rule_book(mine)
    assert broken.problems and "skipped" in broken.problems[0]
    assert when_to_call(card(NY), datetime(2026, 12, 7, 9, 30), NEW_YORK, book=broken).callable_now


def test_tighten_keeps_the_stricter_of_each_part():
    nine_to_nine = Hours(time(9), time(21))
    a = Rule("US federal rule", (Hours(time(8), time(21)),) * 7, (), None, ("federal",), "", ())
    b = Rule("XX", (nine_to_nine,) * 6 + (None,), ("LA",), 3, ("state",), "2026-12-04", ("consent",))
    both = tighten(a, b)
    assert both.days == (nine_to_nine,) * 6 + (None,) and both.holidays_of == ("LA",) and both.max_calls_24h == 3
    assert both.place == "XX" and both.sources == ("federal", "state")


def test_caps_count_calls_and_texts_not_emails():
    calls = [Attempt(datetime(2026, 12, 7, hour), channel, "no-answer") for hour, channel in ((9, "call"), (10, "email"), (11, "text"))]
    florida = card("+13055550100", attempts=calls)
    assert when_to_call(florida, datetime(2026, 12, 7, 15, 0), NEW_YORK).callable_now  # 2 calls, not 3
    third = Attempt(datetime(2026, 12, 7, 13), "voicemail", "voicemail")
    capped = when_to_call(card("+13055550100", attempts=(*calls, third)), datetime(2026, 12, 7, 15, 0), NEW_YORK)
    assert not capped.callable_now and capped.opens == datetime(2026, 12, 8, 9, 0) and "3 calls in 24 hours" in capped.why_not


def test_the_logging_rule_is_one_for_every_channel():
    sf = card(CA)
    early = datetime(2026, 12, 7, 9, 30)  # 06:30 in San Francisco
    assert log_check(sf, early, NEW_YORK, "email") is None  # an email is not a call: nothing to check
    for channel in ("call", "voicemail", "text"):
        check = log_check(sf, early, NEW_YORK, channel)
        assert check is not None and not check.callable_now


def test_a_card_whose_zone_is_unknown_is_never_called_callable():
    # A number libphonenumber gives no zone (international toll-free), no address: no verdict, not a guess.
    check = when_to_call(card("+80012345678"), datetime(2026, 12, 7, 12, 0), NEW_YORK)
    assert not check.callable_now and "time zone is not known" in check.why_not


# -- the property: cached verdicts equal a plain scan, in any order of cards ---------------

ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Anchorage",
         "America/Adak", "Pacific/Honolulu", "Europe/London", "Europe/Berlin", "Asia/Kathmandu", "America/St_Johns",
         "Australia/Lord_Howe", "UTC"]
REPS = ["America/New_York", "America/Los_Angeles", "Europe/London", "Asia/Tokyo"]


@st.composite
def rules_strategy(draw) -> Rule:
    def hours() -> Hours | None:
        if draw(st.integers(0, 5)) == 0:
            return None
        start = draw(st.sampled_from([time(7), time(8), time(8, 30), time(9), time(10), time(12), time(13, 30)]))
        end = draw(st.sampled_from([time(17), time(18), time(20), time(21), time(21, 30)]))
        return Hours(start, end)

    days = tuple(hours() for _ in range(7))
    if all(day is None for day in days):
        days = (Hours(time(8), time(21)),) + days[1:]
    return Rule("XX", days, draw(st.sampled_from([(), ("LA",), ("RI",)])), None, ("test",), "", ())


def plain_inside(instant: datetime, zones: tuple[str, ...], rule: Rule) -> bool:
    import holidays

    for zone in zones:
        local = instant.astimezone(ZoneInfo(zone))
        day = local.date()
        if any(day in holidays.US(subdiv=state, years=day.year) for state in rule.holidays_of):
            return False
        hours = rule.days[day.weekday()]
        if hours is None or not (hours.start <= local.time() < hours.end):
            return False
    return True


def plain_verdict(now: datetime, rep: str, zones: tuple[str, ...], rule: Rule) -> tuple[bool, datetime | None]:
    """Inside now, else the first quarter-hour (every zone's offset is whole quarters) inside, by brute force."""
    instant = now.replace(tzinfo=ZoneInfo(rep))
    if plain_inside(instant, zones, rule):
        return True, None
    utc = instant.astimezone(UTC)
    step = utc.replace(second=0, microsecond=0) + timedelta(minutes=15 - utc.minute % 15)
    while step < utc + timedelta(days=14):
        if plain_inside(step, zones, rule):
            return False, step.astimezone(ZoneInfo(rep)).replace(tzinfo=None)
        step += timedelta(minutes=15)
    return False, None


moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)).map(lambda m: m.replace(microsecond=0))
moments = st.one_of(moments, st.sampled_from([datetime(2026, 3, 8, 1, 59), datetime(2026, 11, 1, 1, 30),
                                              datetime(2026, 11, 1, 1, 30, fold=1), datetime(2026, 10, 25, 5, 45)]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rep=st.sampled_from(REPS), rule=rules_strategy(), now=moments,
       cards=st.lists(st.sampled_from(ZONES), min_size=2, max_size=6),
       order=st.randoms(use_true_random=False))
def test_cached_verdicts_equal_a_plain_scan_in_any_order(rep, rule, now, cards, order):
    book = RuleBook(rule, {})
    deck = []
    for index, zone in enumerate(cards):
        # Every card has the same number and its own zone: only the zone tells their answers apart.
        deck.append((card(NY, f"c{index}", index + 1, zone=zone), (zone,)))
    order.shuffle(deck)
    for each, zones in deck + deck[::-1]:
        check = when_to_call(each, now, rep, book=book)
        inside, opens = plain_verdict(now, rep, zones, rule)
        assert (check.callable_now, check.opens) == (inside, opens), (each.time_zone, now, rep)
        assert [(t.replace(tzinfo=None), str(t.tzinfo)) for t in check.local_times] == [
            (now.replace(tzinfo=ZoneInfo(rep)).astimezone(ZoneInfo(z)).replace(tzinfo=None), z) for z in zones]
    ordered = callable_first([each for each, _ in deck], now, rep, book=book)
    expected = [c for c, z in deck if plain_verdict(now, rep, z, rule)[0]] + [c for c, z in deck if not plain_verdict(now, rep, z, rule)[0]]
    assert [c.id for c in ordered] == [c.id for c in expected]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rep=st.sampled_from(REPS), rule=rules_strategy(), now=moments,
       zones=st.lists(st.sampled_from(ZONES), min_size=2, max_size=3, unique=True))
def test_several_zones_must_all_agree_as_a_plain_scan_says(rep, rule, now, zones, monkeypatch):
    import cardbox.core.calling_hours as hours_mod

    zones = tuple(zones)
    monkeypatch.setattr(hours_mod, "prospect_zones", lambda _card: list(zones))
    check = when_to_call(card(NY), now, rep, book=RuleBook(rule, {}))
    assert (check.callable_now, check.opens) == plain_verdict(now, rep, zones, rule)


def test_the_plain_scan_agrees_with_hand_worked_answers():
    # The yardstick itself, checked by hand: Texas-like hours on a Sunday morning, Chicago, from New York.
    rule = Rule("XX", (Hours(time(9), time(21)),) * 6 + (Hours(time(12), time(21)),), (), None, (), "", ())
    assert plain_verdict(datetime(2026, 12, 6, 11, 0), NEW_YORK, ("America/Chicago",), rule) == (False, datetime(2026, 12, 6, 13, 0))
    assert plain_verdict(datetime(2026, 12, 7, 11, 0), NEW_YORK, ("America/Chicago",), rule) == (True, None)
    assert date(2026, 12, 25) in __import__("holidays").US(subdiv="LA", years=2026)


# -- do not call is about the number --------------------------------------------------------


def two_cards_one_number(path: Path):
    from cardbox.core.box import Box
    from cardbox.core.window import DueWindow

    box = Box(path, clock=lambda: datetime(2026, 12, 7, 12, 0))
    today = DueWindow.on_day(date(2026, 12, 7), "today")
    box.add("Ny Kim", phones=["212 555 0100"], due=today)
    box.add("Kim's office", phones=["212 555 0100", "212 555 0199"], due=today)
    return box


def test_do_not_call_on_one_card_blocks_every_card_with_the_number_and_undo_lifts_it(tmp_path):
    box = two_cards_one_number(tmp_path / "box.json")
    change = box.log(1, "do-not-call", note="asked to be taken off")
    assert set(box.dnc_numbers()) == {"+12125550100"}
    row = box.dnc_numbers()["+12125550100"]
    assert row["added"].startswith("2026-12-07T12:00") and "card #1" in row["how"] and row["note"] == "asked to be taken off"
    office = box.get(2)
    assert "on the do-not-call list" in box.block_reason(office)
    assert not when_to_call(office, datetime(2026, 12, 7, 12, 0), NEW_YORK, blocked=bool(box.block_reason(office))).callable_now
    with pytest.raises(Exception, match="do-not-call"):
        box.log(2, "no-answer")
    box.undo(change)
    assert box.dnc_numbers() == {} and box.block_reason(box.get(2)) == "" and box.get(1).status == "active"


def test_the_shell_blocks_the_number_after_a_do_not_call(tmp_path):
    env = dict(os.environ, CARDBOX_NOW="2026-12-07T12:00", CARDBOX_TZ=NEW_YORK, XDG_CONFIG_HOME=str(tmp_path / "c"),
               HOME=str(tmp_path))

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([CARDBOX, "--box", str(tmp_path / "box.json"), *args], capture_output=True, text=True, env=env,
                              timeout=30)

    cli("add", "Ny Kim", "--phone", "212 555 0100", "--when", "today")
    cli("add", "Kim's office", "--phone", "(212) 555-0100", "--when", "today")
    assert cli("log", "1", "do-not-call").returncode == 0
    listed = json.loads(cli("dnc", "list", "--json").stdout)
    assert [row["number"] for row in listed] == ["+12125550100"]
    refused = cli("log", "2", "no-answer")
    assert refused.returncode == 2 and "do-not-call" in refused.stderr
    due = json.loads(cli("due", "--json").stdout)
    assert all(not c["callable_now"] for c in due)


async def test_key_9_blocks_the_other_card_with_the_number_in_the_app_and_undo_lifts_it(tmp_path, monkeypatch):
    from app_support import build_app
    from helpers import settle

    monkeypatch.setenv("CARDBOX_TZ", NEW_YORK)
    from helpers import notice_hook

    box = two_cards_one_number(tmp_path / "box.json")
    app = build_app(box, clock=lambda: datetime(2026, 12, 7, 12, 0))
    seen, hook = notice_hook()
    async with app.run_test(size=(100, 32), message_hook=hook) as pilot:
        await pilot.pause()
        assert app.box.get(some(today(app).deck.current_id)).name == "Ny Kim"
        await pilot.press("9")
        await pilot.pause()
        asked = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "(212) 555-0100 goes on the do-not-call list: every card with it is blocked" in asked
        await pilot.press("y")
        await settle(app, pilot)
        assert set(app.box.dnc_numbers()) == {"+12125550100"}
        office = next(i for i in today(app).deck.ids if app.box.get(i).name == "Kim's office")
        today(app).deck.go_to(office)
        today(app).show_current()
        await pilot.pause()
        assert "DO NOT CALL" in str(app.screen.query_one("#card-clock").render())
        # An outcome key on the blocked card says why nothing is logged; the footer does not offer it.
        assert not any(a.binding.action.startswith("outcome(") and a.binding.show for a in app.screen.active_bindings.values())
        await pilot.press("1")
        await settle(app, pilot)
        assert any("is do-not-call" in text and "Nothing logged" in text for text in seen)
        assert app.box.get(office).attempts == ()
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert app.box.dnc_numbers() == {}
        today(app).show_current()
        await pilot.pause()
        assert "inside calling hours" in str(app.screen.query_one("#card-clock").render())


# -- the app: callable first, and each card's own mark as the rep flips -------------------


async def test_today_lists_callable_cards_first_and_each_card_shows_its_own_verdict(tmp_path, monkeypatch):
    from app_support import build_app

    import cardbox.core.calling_hours as hours_mod
    from cardbox.core.box import Box
    from cardbox.core.window import DueWindow

    monkeypatch.setenv("CARDBOX_TZ", NEW_YORK)
    now = datetime(2026, 12, 7, 9, 30)  # 06:30 on the west coast, 08:30 in Chicago, 09:30 in New York
    box = Box(tmp_path / "box.json", clock=lambda: now)
    # An overdue west-coast card first in flip order, then callable ones.
    box.add("Sf Early", phones=["415 555 0134"], due=DueWindow.on_day(date(2026, 12, 1), "last week"))
    for index, phone in enumerate(["212 555 0100", "312 555 0100", "213 555 0100", "646 555 0100"]):
        box.add(f"Card {index}", phones=[phone], due=DueWindow.on_day(date(2026, 12, 7), "today"))
    app = build_app(box, clock=lambda: now)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        names = [app.box.get(i).name for i in today(app).deck.ids]
        assert names[-2:] == ["Sf Early", "Card 2"] or names[-2:] == ["Card 2", "Sf Early"]  # 415 and 213: Pacific
        assert set(names[:3]) == {"Card 0", "Card 1", "Card 3"}
        seen = {}
        for _ in names:
            card_now = app.box.get(some(today(app).deck.current_id))
            seen[card_now.name] = "inside calling hours" in str(app.screen.query_one("#card-clock").render())
            await pilot.press("right")
            await pilot.pause()
    hours_mod._verdict.cache_clear()
    hours_mod._opening.cache_clear()
    plain = {card.name: when_to_call(card, now, NEW_YORK).callable_now for card in box.cards()}
    assert seen == plain == {"Sf Early": False, "Card 0": True, "Card 1": True, "Card 2": False, "Card 3": True}


def test_a_timed_windows_label_is_said_on_the_reps_clock_of_now(monkeypatch):
    from cardbox.core.window import DueWindow

    written = {"start": "2026-11-24T19:00-05:00", "end": "2026-11-24T19:00-05:00", "grain": "time",
               "phrase": "tomorrow at 4", "label": "Tue 24 Nov 2026 19:00 your time (16:00 PST)"}
    monkeypatch.setenv("CARDBOX_TZ", NEW_YORK)
    assert DueWindow.from_dict(written).label == "Tue 24 Nov 2026 19:00 your time (16:00 PST)"
    monkeypatch.setenv("CARDBOX_TZ", "America/Los_Angeles")  # the rep moved west: their 4 p.m. is now 16:00 here too
    moved = DueWindow.from_dict(written)
    assert moved.start == datetime(2026, 11, 24, 16, 0) and moved.label == "Tue 24 Nov 2026 16:00 your time (16:00 PST)"
    morning = {"start": "2026-12-05T08:00-05:00", "end": "2026-12-05T12:00-05:00", "grain": "part-of-day",
               "phrase": "saturday morning", "label": "Sat 5 Dec morning (08:00–12:00)"}
    assert DueWindow.from_dict(morning).label == "Sat 5 Dec morning (05:00–09:00)"
    monkeypatch.setenv("CARDBOX_TZ", "Asia/Tokyo")  # and across the date line: the day moves as well
    assert DueWindow.from_dict(written).label == "Wed 25 Nov 2026 09:00 your time (16:00 PST)"


def test_recording_a_do_not_call_request_is_never_held_up_by_the_hours():
    sf = card(CA)
    early = datetime(2026, 12, 7, 9, 30)  # 06:30 in San Francisco: a call now would be outside the hours
    assert log_check(sf, early, NEW_YORK, "call") is not None
    assert log_check(sf, early, NEW_YORK, "call", outcome="do-not-call") is None


@pytest.mark.parametrize("content", ['[states.NY]\nhours = 5\n', '[states.NY]\nhours = "21:00-08:00"\n', 'states = 3\n',
                                     '[states.NY]\nexemptions = "none"\n', '[states.NY]\nmax_calls_24h = -1\n', '\xff\xfe'])
def test_a_bad_rules_file_of_ones_own_is_reported_and_the_shipped_rules_hold(tmp_path, content):
    mine = tmp_path / "calling_hours.toml"
    mine.write_bytes(content.encode("latin-1"))
    book = rule_book(mine)
    assert book.problems and "skipped" in book.problems[0]
    assert str(book.states["TX"].days[6]) == "12:00–21:00"


def test_a_fifo_in_place_of_the_rules_file_is_never_read(tmp_path):
    fifo = tmp_path / "calling_hours.toml"
    os.mkfifo(fifo)
    book = rule_book(fifo)  # would block forever if it were opened
    assert book.problems and "not a regular file" in book.problems[0] and "TX" in book.states
