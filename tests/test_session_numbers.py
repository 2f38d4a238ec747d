"""The session counter and the numbers, on hand-built histories worked out by hand."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta

import pytest
from helpers import Clock, file_table, some

from cardbox.core.box import Box
from cardbox.core.card import Attempt, Card
from cardbox.core.errors import CardError
from cardbox.core.live import live_session
from cardbox.core.numbers import Ledger, agreed_flags, callbacks_set, figures, period_bounds
from cardbox.core.session import Pause, Session, Tick
from cardbox.core.window import DueWindow

MON = datetime(2026, 11, 23, 9, 0)


def day_window(day: date) -> DueWindow:
    return DueWindow.on_day(day, "a day")


def test_ticks_are_saved_one_by_one_and_a_restart_resumes(tmp_path):
    clock = Clock(MON)
    box = Box(tmp_path / "box.json", clock=clock)
    started = box.sessions.start().after
    clock.moment = MON + timedelta(minutes=5)
    box.sessions.tick("dial")
    box.sessions.tick("dial", 2)
    box.sessions.tick("contact")
    # A quit or a crash: a new process sees the same running session.
    again = Box(tmp_path / "box.json", clock=clock).sessions.current()
    assert again is not None and again.id == started.id
    assert again.counts() == {"dial": 3, "contact": 1, "pitch": 0, "appointment": 0, "sale": 0}
    [raw] = file_table(box.path, "sessions").values()
    assert [t["kind"] for t in raw["ticks"]] == ["dial", "dial", "contact"]


def test_a_tick_can_be_taken_back(tmp_path):
    box = Box(tmp_path / "box.json", clock=Clock(MON))
    box.sessions.start()
    change = box.sessions.tick("sale")
    box.sessions.undo(change)
    assert some(box.sessions.current()).count("sale") == 0


def test_pauses_do_not_count_and_stop_ends_it(tmp_path):
    clock = Clock(MON)
    box = Box(tmp_path / "box.json", clock=clock)
    box.sessions.start()
    clock.moment = MON + timedelta(hours=1)
    box.sessions.pause()
    clock.moment = MON + timedelta(hours=1, minutes=45)
    box.sessions.pause()  # resume
    clock.moment = MON + timedelta(hours=3)
    session = box.sessions.stop().after
    assert session.seconds(clock.moment) == 2.25 * 3600  # 3 h less a 45 min lunch
    assert box.sessions.current() is None


def test_a_session_left_open_overnight_closes_at_its_last_tick(tmp_path):
    clock = Clock(MON)
    box = Box(tmp_path / "box.json", clock=clock)
    box.sessions.start()
    clock.moment = MON + timedelta(hours=2)
    box.sessions.tick("dial")
    clock.moment = MON + timedelta(days=1)
    assert box.sessions.current() is None  # yesterday's does not run today
    box.sessions.tick("dial")  # ticking starts today's
    old, new = box.sessions.all()
    assert old.stopped == MON + timedelta(hours=2) and new.running and new.count("dial") == 1


@pytest.mark.parametrize(("kind", "count", "words"), [("dail", 1, "unknown tick 'dail'"), ("dial", 0, "count of 0"), ("dial", 10**6, "typo")])
def test_bad_ticks_are_refused(tmp_path, kind, count, words):
    box = Box(tmp_path / "box.json", clock=Clock(MON))
    with pytest.raises(CardError, match=words):
        box.sessions.tick(kind, count)
    assert not box.path.exists()


def test_two_writers_ticking_at_once_lose_nothing(tmp_path):
    path = tmp_path / "box.json"
    Box(path, clock=Clock(MON)).sessions.start()

    def tick_many() -> None:
        box = Box(path, clock=Clock(MON))
        for _ in range(25):
            box.sessions.tick("dial")

    threads = [threading.Thread(target=tick_many) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert some(Box(path, clock=Clock(MON)).sessions.current()).count("dial") == 50


def test_period_bounds():
    assert period_bounds("week", date(2026, 11, 25)) == (date(2026, 11, 23), date(2026, 11, 29))
    assert period_bounds("month", date(2026, 2, 10)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert period_bounds("today", date(2026, 11, 25)) == (date(2026, 11, 25), date(2026, 11, 25))


def test_only_windows_the_prospect_agreed_count_as_agreed():
    captured = day_window(date(2026, 11, 2))
    card = Card(
        id=1, name="A", created=datetime(2026, 10, 1), updated=MON, captured=captured,
        attempts=(
            Attempt(datetime(2026, 11, 2, 10), "call", "no-answer"),   # on the captured window: agreed
            Attempt(datetime(2026, 11, 3, 10), "call", "callback"),    # on a cool-down re-file: not
            Attempt(datetime(2026, 11, 10, 10), "call", "voicemail"),  # on the callback's window: agreed
            Attempt(datetime(2026, 11, 11, 10), "call", "sale"),       # cool-down again: not
        ),
    )
    assert agreed_flags(card) == [True, False, True, False]


def hand_built() -> tuple[list[Card], list[Session]]:
    """Monday 23 Nov 2026: one session, two callback cards, one card captured during it."""
    session = Session(
        id=1, started=MON, stopped=MON + timedelta(hours=3), pauses=(Pause(MON + timedelta(hours=1), MON + timedelta(hours=1, minutes=30)),),
        ticks=(*[Tick(MON + timedelta(minutes=m), "dial") for m in range(0, 100, 5)],  # 20 dials
               Tick(MON + timedelta(minutes=6), "contact"), Tick(MON + timedelta(minutes=31), "contact"),
               Tick(MON + timedelta(minutes=32), "pitch"), Tick(MON + timedelta(minutes=40), "sale", 1)),
    )
    agreed = Card(
        id=1, name="Agreed", created=datetime(2026, 10, 1, 9), updated=MON, status="won",
        captured=day_window(date(2026, 11, 23)),
        attempts=(Attempt(MON + timedelta(minutes=10), "call", "sale"),),
    )
    cooled = Card(
        id=2, name="Cooled", created=datetime(2026, 10, 1, 9), updated=MON, captured=day_window(date(2026, 11, 20)),
        due=day_window(date(2026, 11, 24)), why="lease ends in December",
        attempts=(Attempt(datetime(2026, 11, 20, 9), "call", "no-answer"),
                  Attempt(MON + timedelta(minutes=20), "call", "no-answer"),
                  Attempt(MON + timedelta(minutes=50), "call", "wrong-number")),
    )
    new = Card(id=3, name="New", created=MON + timedelta(minutes=33), updated=MON, captured=day_window(date(2027, 1, 20)),
               due=day_window(date(2027, 1, 20)), why="")
    return [agreed, cooled, new], [session]


def test_callbacks_set_is_one_count_on_the_counter_bar_and_on_numbers():
    cards, sessions = hand_built()
    # A call today that agreed a new window sets one more; a voicemail sets none.
    reset = Card(id=4, name="Reset", created=datetime(2026, 9, 1, 9), updated=MON + timedelta(minutes=45),
                 captured=day_window(date(2026, 9, 10)), due=day_window(date(2027, 2, 1)),
                 attempts=(Attempt(MON + timedelta(minutes=44), "call", "callback", next=day_window(date(2027, 2, 1))),
                           Attempt(MON + timedelta(minutes=46), "call", "voicemail")))
    cards = [*cards, reset]
    first, last = MON, MON + timedelta(hours=4)
    assert callbacks_set(cards, first, last) == 2  # "New" captured today, "Reset" agreed a new window today
    assert Ledger.build(cards, sessions).callback_figures(first, last)["set"] == 2
    assert live_session(sessions[0], cards, last).callbacks_set == 2


def test_figures_for_a_day_worked_out_by_hand():
    cards, sessions = hand_built()
    result = figures(cards, sessions, "today", MON.date(), MON + timedelta(hours=4))
    assert result["from"] == result["to"] == "2026-11-23"
    assert result["cold"]["dials"] == 20 and result["cold"]["contacts"] == 2
    assert result["cold"]["contact_rate"] == 0.1  # 2 of 20
    assert result["cold"]["close_rate"] == 0.5  # 1 cold sale of 2 contacts
    cb = result["callbacks"]
    assert cb["set"] == 1  # "New", captured with a window today
    assert cb["worked"] == 3  # the sale, the no-answer, the wrong number today
    assert cb["answered"] == 1  # only the sale reached a prospect; a wrong number does not
    # On agreed windows: the sale (captured window). Cooled's attempts today follow a no-answer: not agreed.
    assert (cb["agreed_worked"], cb["agreed_answered"], cb["answer_rate"]) == (1, 1, 1.0)
    # Per card: two cards worked today (Agreed, Cooled), one of them sold. (Per call it would be 1 of 3.)
    assert cb["sales"] == 1 and cb["conversion"] == 0.5
    assert result["sales"] == {"total": 2, "from_callbacks": 1, "cold": 1, "share_from_callbacks": 0.5}
    assert result["sessions"]["minutes"] == 150.0  # 3 h less 30 min
    assert result["sessions"]["dials_per_hour"] == 8.0  # 20 dials in 2.5 h
    pipe = result["pipeline"]
    # Active: Cooled (due Tue 24, this week) and New (January, no reason).
    assert (pipe["active"], pipe["due_this_week"], pipe["no_reason"]) == (2, 1, 1)


def test_one_ledger_answers_every_period_as_a_fresh_count_would():
    cards, sessions = hand_built()
    now = MON + timedelta(hours=4)
    ledger = Ledger.build(cards, sessions)
    # Asked in an order where a remembered figure of one period could leak into the next.
    for period in ("week", "today", "all", "month", "today"):
        assert ledger.figures(period, MON.date(), now) == Ledger.build(cards, sessions).figures(period, MON.date(), now)
    # The week of 23 Nov holds the whole hand-built history, so week and today agree on the callbacks.
    assert ledger.figures("week", MON.date(), now)["callbacks"]["worked"] == 3
    # Cooled's attempt on Fri 20 Nov falls in the month, not in the week.
    assert ledger.figures("month", MON.date(), now)["callbacks"]["worked"] == 4


def test_the_box_counts_again_after_a_change(tmp_path):
    clock = Clock(MON)
    box = Box(tmp_path / "box.json", clock=clock)
    card = box.add("Ann", due=day_window(MON.date()), why="renewal").card
    first = box.ledger()
    assert box.ledger() is first  # nothing changed: the same count
    assert first.figures("today", MON.date(), MON)["callbacks"]["sales"] == 0
    box.log(card.id, "sale")
    again = box.ledger()
    assert again is not first
    assert again.figures("today", MON.date(), MON)["callbacks"]["sales"] == 1
    box.sessions.tick("dial")  # a tick is a change too
    assert box.ledger().figures("today", MON.date(), MON)["cold"]["dials"] == 1


def test_stats_json_from_the_shell(tmp_path, monkeypatch):
    from cardbox.cli import main

    monkeypatch.setenv("CARDBOX_NOW", "2026-11-23T09:00")
    path = tmp_path / "box.json"
    assert main(["--box", str(path), "tick", "dial", "--count", "4"]) == 0
    assert main(["--box", str(path), "tick", "contact"]) == 0
    capsys_out = tmp_path / "out.json"
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["--box", str(path), "stats", "--period", "week", "--json"]) == 0
    capsys_out.write_text(buffer.getvalue())
    result = json.loads(capsys_out.read_text())
    assert (result["period"], result["from"], result["to"]) == ("week", "2026-11-23", "2026-11-29")
    assert result["cold"]["dials"] == 4 and result["cold"]["contact_rate"] == 0.25
    assert set(result) >= {"period", "from", "to", "cold", "callbacks", "sales", "pipeline", "sessions"}
    assert main(["--box", str(path), "tick", "nope"]) == 2
    assert main(["--box", str(path), "stats", "--period", "year"]) == 2


def test_no_hourly_rate_from_a_few_seconds_of_dialing():
    started = Session(id=1, started=MON, ticks=(Tick(MON, "dial", 3),))
    result = figures([], [started], "today", MON.date(), MON + timedelta(seconds=4))
    assert result["sessions"]["dials_per_hour"] is None
    result = figures([], [started], "today", MON.date(), MON + timedelta(minutes=30))
    assert result["sessions"]["dials_per_hour"] == 6.0


def test_a_damaged_session_in_the_file_is_skipped_and_never_overwritten(tmp_path):
    import orjson

    path = tmp_path / "box.json"
    damaged = {"id": 7, "started": "not a time", "ticks": [{"at": "2026-11-23T09:00:00", "kind": "dial", "count": -5}]}
    path.write_bytes(orjson.dumps({"cards": {}, "sessions": {"7": damaged}, "meta": {"1": {"schema": 1, "next_id": 1}}}))
    box = Box(path, clock=Clock(MON))
    assert box.sessions.all() == []
    box.sessions.tick("dial")
    rows = file_table(path, "sessions")
    assert rows["7"] == damaged and rows["8"]["ticks"][0]["kind"] == "dial"


def test_goal_settings_are_checked(tmp_path):
    from cardbox.core.settings import load_settings

    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"goal_dials": "lots", "goal_sales": 0, "goal_callbacks": True}))
    settings, warnings = load_settings(path)
    assert (settings.goal_dials, settings.goal_sales, settings.goal_callbacks) == (100, 2, 6)
    assert len(warnings) == 3 and all("whole number above 0" in w for w in warnings)


def test_day_totals_for_the_goals():
    from cardbox.core.numbers import day_totals

    cards, sessions = hand_built()
    # 20 dials; 1 cold sale + 1 callback sale; "New" captured with a window today.
    assert day_totals(cards, sessions, MON.date()) == {"dials": 20, "sales": 2, "callbacks": 1}
    assert day_totals(cards, sessions, MON.date() + timedelta(days=1)) == {"dials": 0, "sales": 0, "callbacks": 0}


def test_touched_since_finds_only_cards_changed_after_the_moment(tmp_path):
    clock = Clock(MON)
    box = Box(tmp_path / "box.json", clock=clock)
    old = box.add("Old").card
    box.add("Untouched")
    clock.moment = MON + timedelta(hours=1)
    box.log(old.id, "no-answer")
    new = box.add("New").card
    assert {c.name for c in box.touched_since(MON + timedelta(minutes=30))} == {"Old", "New"}
    assert new.id in {c.id for c in box.touched_since(MON + timedelta(hours=1))}


@pytest.mark.parametrize("period", ["today", "week", "month", "all"])
def test_the_boxs_cut_down_cards_count_the_same_as_whole_cards(tmp_path, period):
    from cardbox.core.demo import box_data, write_box
    from cardbox.core.numbers import numbers_view

    now = datetime(2026, 11, 22, 10, 0)
    path = tmp_path / "box.json"
    write_box(path, box_data(400, now, due_today=20, sessions=True))
    box = Box(path, clock=lambda: now)
    whole = Ledger.build(box.cards(), box.sessions.all())
    assert numbers_view(box.ledger(), period, now) == numbers_view(whole, period, now)
    assert len(box.ledger()) == len(whole) > 500


CARD_SHAPES = [
    # As cardbox writes it: the fast reading.
    {"id": 1, "name": "Ann", "created": "2026-11-02T09:00:00-05:00", "updated": "2026-11-20T10:00:00-05:00",
     "status": "active", "why": " renewal ", "due": {"start": "2026-11-24", "end": "2026-11-27"},
     "captured": {"start": "2026-11-24", "end": "2026-11-27"},
     "attempts": [{"at": "2026-11-20T10:00:00-05:00", "channel": "call", "outcome": "no-answer"}]},
    # Nulls, an empty window, a numeric string id, no status: Card.from_dict's leniency, the careful way.
    {"id": "2", "name": "Bo", "created": "2026-11-02T09:00:00", "updated": "2026-11-02T09:00:00",
     "why": None, "due": {}, "captured": None, "attempts": None},
    {"id": 4, "name": "Di", "created": "2026-11-02T09:00:00", "updated": "2026-11-02T09:00:00", "why": "   "},
    {"id": 3, "name": "Cy", "created": "2026-11-02T09:00:00", "updated": "2026-11-02T09:00:00",
     "due": {"start": "2026-12-01T15:00-05:00", "end": "2026-12-01T15:00-05:00", "grain": "time"},
     "attempts": [{"at": "2026-11-03T09:00:00", "outcome": "callback", "next": None},
                  {"at": "2026-11-04T09:00:00", "outcome": "sale", "note": "x"}]},
]


@pytest.mark.parametrize("doc", CARD_SHAPES, ids=["written", "lenient", "blank why", "timed"])
def test_a_card_is_counted_from_its_bytes_as_from_the_whole_card(doc, monkeypatch):
    from cardbox.core.counted import counted_of_bytes, counted_of_card

    monkeypatch.setenv("CARDBOX_TZ", "America/New_York")
    assert counted_of_bytes(json.dumps(doc).encode()) == counted_of_card(Card.from_dict(doc))


@pytest.mark.parametrize("text", [b'{"id": 1, "created": "yesterday", "updated": "2026-11-02T09:00:00"}',
                                  b'{"id": 1, "updated": "2026-11-02T09:00:00"}', b"[1, 2]", b"{not json"])
def test_a_damaged_card_is_refused_when_counted(text):
    from cardbox.core.counted import counted_of_bytes

    with pytest.raises((KeyError, TypeError, ValueError)):
        counted_of_bytes(text)


def test_a_damaged_card_is_named_and_left_out_of_the_numbers(tmp_path):
    path = tmp_path / "box.json"
    box = Box(path, clock=Clock(MON))
    box.add("Ann", due=day_window(MON.date()), why="renewal")
    box.add("Bo", due=day_window(MON.date()), why="renewal")
    box.storage.fold()
    data = json.loads(path.read_text())
    data["cards"]["2"]["attempts"] = [{"at": "not a time", "outcome": "sale"}]
    path.write_text(json.dumps(data))
    box = Box(path, clock=Clock(MON))
    assert box.ledger().figures("today", MON.date(), MON)["pipeline"]["active"] == 1
    assert 2 in box.damaged


def test_every_rate_and_figure_worked_out_by_hand():
    """The figures the Numbers and Session screens show, each by value (the snapshots only see their layout)."""
    cards, sessions = hand_built()
    result = figures(cards, sessions, "today", MON.date(), MON + timedelta(hours=4))
    cold = result["cold"]
    # 20 dials, 2 contacts, 1 pitch, 1 cold sale.
    assert cold["calls_per_conversation"] == 10.0  # dials / contacts, never / pitches (20)
    assert cold["pitch_rate"] == 0.5  # 1 pitch of 2 contacts
    cb = result["callbacks"]
    # The one callback sale came on its card's first attempt: 1 attempt to a sale (of 3 worked today: not 1/3).
    assert cb["attempts_to_sale"] == 1.0
    # Created 1 Oct 09:00, sold 23 Nov 09:10: 53 days and 10 minutes.
    assert cb["days_to_sale"] == pytest.approx(53 + 10 / 1440)


def test_the_callback_share_by_month_keeps_callback_and_cold_sales_apart():
    cards, sessions = hand_built()
    ledger = Ledger.build(cards, sessions)
    months = ledger.callback_share_by_month(MON.date(), months=2)
    # (month, callback sales, cold sales): November has the callback sale and the one cold sale ticked.
    assert months == [("Oct 2026", 0, 0), ("Nov 2026", 1, 1)]
    extra = Session(id=2, started=MON + timedelta(days=1), stopped=MON + timedelta(days=1, hours=1),
                    ticks=(Tick(MON + timedelta(days=1, minutes=5), "sale", 2),))
    months = Ledger.build(cards, [*sessions, extra]).callback_share_by_month(MON.date(), months=1)
    assert months == [("Nov 2026", 1, 3)]  # three cold sales, still one from a callback
