"""Pilot tests of the dialing session and the Numbers screen."""

from __future__ import annotations

from datetime import timedelta

from app_support import build_app, review_box
from helpers import NOW, Clock, file_table, notice_hook, press, settle, some, typed
from textual.widgets import Digits

from cardbox.core.box import Box
from cardbox.core.numbers import figures


def dials(box: Box) -> int:
    session = box.sessions.current()
    return session.count("dial") if session else 0


async def test_a_session_ticked_from_today_and_box_with_undo_pause_and_resume(box_path):
    box = review_box(box_path)
    app = build_app(box)
    seen, hook = notice_hook()
    async with app.run_test(size=(100, 32), message_hook=hook) as pilot:
        await pilot.press("d")  # no session yet: nothing counted
        await settle(app, pilot)
        assert not file_table(box_path, "sessions")
        await pilot.press("f3", "s")
        await settle(app, pilot)
        await pilot.press("f2", "d", "d", "f4", "d")
        await settle(app, pilot)
        assert dials(box) == 3
        assert "this session · dials 3 ·" in str(app.screen.query_one("SessionBar").render())
        await pilot.press("ctrl+z")  # the last tick goes
        await settle(app, pilot)
        assert dials(Box(box_path, clock=Clock())) == 2
        await pilot.press("f3", "space")  # lunch
        await settle(app, pilot)
        assert some(box.sessions.current()).paused
        assert any(active.binding.description == "Resume" for active in app.screen.active_bindings.values())
        await pilot.press("d")  # dialing again: it counts, and the session runs on, saying so
        await settle(app, pilot)
        assert dials(Box(box_path, clock=Clock())) == 3
        assert not some(box.sessions.current()).paused
        assert any(text.startswith("Resumed: the session was paused") for text in seen)
        await pilot.press("space")
        await settle(app, pilot)
        assert some(box.sessions.current()).paused
    # Quit and come back the same day: the session is still there, paused as it was left.
    again = build_app(Box(box_path, clock=Clock()))
    async with again.run_test(size=(100, 32)) as pilot:
        await pilot.press("f3", "space", "d")
        await settle(again, pilot)
        assert dials(again.box) == 4
        assert again.screen.query_one("#digits-dial", Digits).value == "4"


async def test_a_capture_and_an_outcome_count_as_callbacks(box_path):
    review_box(box_path, clock=lambda: NOW - timedelta(hours=1))  # captured before the session
    app = build_app(Box(box_path, clock=Clock()))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f3", "s")
        await settle(app, pilot)
        await pilot.press("f2", "5")  # a sale on the first due card
        await settle(app, pilot)
        await press(pilot, "n", typed("Cara Capture"), "tab", "tab", "tab", "tab", typed("late January"), "ctrl+s")
        await settle(app, pilot)
        live = app.session_live()
        assert live is not None
        assert (live.callbacks_set, live.callbacks_worked, live.callbacks_answered, live.callback_sales) == (1, 1, 1, 1)
        await pilot.press("f3")
        await pilot.pause()
        assert "set 1 · worked 1 · answered 1 · sales 1" in str(app.screen.query_one("#session-callbacks").render())


async def test_numbers_shows_what_the_core_computes(demo_path):
    box = Box(demo_path, clock=lambda: NOW)
    app = build_app(box)
    seen, hook = notice_hook()
    expected = figures(box.cards(), box.sessions.all(), "month", NOW.date(), NOW)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("f5", "m")
        await app.workers.wait_for_complete()  # the figures are counted off the screen's thread
        await pilot.pause()
        shown = str(app.screen.query_one("#numbers-figures").render())
        assert f"{expected['cold']['dials']:,}" in shown
        assert f"{expected['callbacks']['worked']:,}" in shown
        assert "This month" in str(app.screen.query_one("#strip-where").render())


async def test_numbers_on_a_box_that_cannot_be_read_says_so_and_the_app_keeps_running(demo_path, monkeypatch):
    from cardbox.core.box_errors import BoxError

    box = Box(demo_path, clock=lambda: NOW)
    app = build_app(box)
    seen, hook = notice_hook()

    def unreadable():
        raise BoxError("cannot read card 7 from the box (Input/output error)")

    async with app.run_test(size=(120, 50), notifications=True, message_hook=hook) as pilot:
        monkeypatch.setattr(app, "_warm_numbers", lambda: None)  # counted on F5, where the read fails
        await app.workers.wait_for_complete()
        box.ledger = unreadable  # type: ignore[method-assign]
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "not counted" in str(app.screen.query_one("#strip-where").render())
        assert any("cannot read card 7" in message for message in seen)
        await pilot.press("f2")
        assert app.is_running


async def test_the_session_screens_rates_are_the_ticks_worked_out_by_hand(box_path):
    box = review_box(box_path)
    app = build_app(box)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "s")
        await settle(app, pilot)
        await pilot.press("d", "d", "d", "d", "c", "c", "p", "S")  # 4 dials, 2 contacts, 1 pitch, 1 cold sale
        await settle(app, pilot)
        rates = str(app.screen.query_one("#session-rates").render())
    assert "contact rate 50%" in rates  # 2 of 4 dials
    assert "2 calls per conversation" in rates or "2.0 calls per conversation" in rates  # 4 dials / 2 contacts
    assert "pitch rate 50%" in rates  # 1 pitch of 2 contacts
    assert "close rate 50%" in rates  # 1 sale of 2 contacts, never of the 4 dials


async def test_the_numbers_header_at_80_columns_drops_its_key_hint_whole(box_path):
    from app_support import review_box

    app = build_app(review_box(box_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        for _ in range(50):
            await pilot.pause(0.05)
            strip = str(app.screen.query_one("#strip-where").render())
            if "Numbers ·" in strip and "counting" not in strip:
                break
        assert strip.startswith("Numbers · Today") and "t · w" not in strip
        assert not strip.rstrip().endswith("·"), strip
