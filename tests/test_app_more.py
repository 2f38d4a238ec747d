"""More Pilot tests: undo of a capture, a user keymap, launching on a bad box."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from app_support import NOW, build_app, review_box
from helpers import file_cards, press, today, typed
from textual.notifications import Notify

from cardbox.core.settings import Settings
from cardbox.ui.app import make_app
from cardbox.ui.screens.today import TodayScreen


async def test_undo_a_capture_removes_the_card(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await press(pilot, "n", typed("Ursula Undo"), "ctrl+s")
        await app.saver.drain()
        await pilot.pause()
        assert any(card.name == "Ursula Undo" for card in app.box.cards())
        await pilot.press("ctrl+z")
        await app.saver.drain()
        await pilot.pause()
    names = [card["name"] for card in file_cards(box_path).values()]
    assert "Ursula Undo" not in names and len(names) == 6


async def test_a_capture_due_today_joins_todays_deck(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await press(pilot, "n", typed("Tess Today"), "tab", "tab", "tab", "tab", typed("today at 3"), "ctrl+s")
        await app.saver.drain()
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert "Tess Today" in [app.box.get(i).name for i in today(app).deck.ids]


async def test_a_user_keymap_remaps_a_binding(box_path):
    box = review_box(box_path)
    app = make_app(box, clock=lambda: NOW, settings=Settings(keymap={"today.next": "l"}), watch_interval=0)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("l")
        assert today(app).deck.index == 1


def test_launching_on_a_corrupt_box_says_so_and_leaves_it_alone(tmp_path):
    box = tmp_path / "box.json"
    box.write_bytes(b'{"cards": {"1": {"name": "half')
    before = box.read_bytes()
    cardbox = str(Path(sys.executable).parent / "cardbox")
    env = dict(os.environ, CARDBOX_NOW="2026-11-22T10:00")
    done = subprocess.run([cardbox, "--box", str(box)], env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 3
    assert str(box) in done.stderr and "not valid JSON" in done.stderr
    assert box.read_bytes() == before


async def test_left_open_past_midnight_today_becomes_the_new_day(box_path):
    from datetime import timedelta

    moments = [NOW]
    box = review_box(box_path, clock=lambda: moments[0])
    app = make_app(box, clock=lambda: moments[0], settings=Settings(), watch_interval=0)
    async with app.run_test(size=(100, 32)) as pilot:
        assert today(app).deck.total == 5
        moments[0] = NOW + timedelta(days=200)  # Q2 2027: Future Fran is due, everything else overdue
        today(app).update_strip()
        await pilot.pause()
        assert today(app).deck.total == 6


async def test_names_that_look_like_markup_are_shown_as_typed(box_path):
    app = build_app(review_box(box_path))
    notices: list = []

    def hook(message) -> None:
        if isinstance(message, Notify):
            notices.append(message.notification)

    async with app.run_test(size=(100, 32), message_hook=hook) as pilot:
        await press(pilot, "n", typed("Zed [bold]Markup[/]"), "ctrl+s")
        await app.saver.drain()
        await pilot.pause()
        saved = [n for n in notices if "Saved" in n.message]
        assert saved and "Zed [bold]Markup[/]" in saved[-1].message and not saved[-1].markup
        await press(pilot, "slash", typed("[bold"), "enter")
        await pilot.pause()
        assert "Zed [bold]Markup[/]" in str(app.screen.query_one("#card-title").render())


async def test_the_app_folds_the_journal_in_when_idle_and_when_it_quits(box_path, monkeypatch):
    import json

    from helpers import settle

    import cardbox.ui.box_changes as app_module

    box = review_box(box_path)
    box.storage.fold()
    journal = box.storage.journal_path
    app = build_app(box)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("1")  # an outcome: one line in the journal
        await settle(app, pilot)
        assert journal.exists()
        await app.check_other_windows()  # not idle long enough yet
        await app.saver.drain()
        assert journal.exists()
        monkeypatch.setattr(app_module, "FOLD_WHEN_IDLE_FOR", 0.0)
        await app.check_other_windows()
        await app.saver.drain()
        assert not journal.exists()  # folded: the box file alone holds the change
        in_file = json.loads(box_path.read_text())["cards"]
        assert any(card["attempts"] for card in in_file.values())
        monkeypatch.setattr(app_module, "FOLD_WHEN_IDLE_FOR", 3600.0)
        await pilot.press("2")
        await settle(app, pilot)
        assert journal.exists()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not journal.exists()  # quitting leaves the box whole
    assert sum(len(card["attempts"]) for card in json.loads(box_path.read_text())["cards"].values()) >= 2


@pytest.mark.parametrize("blink", [True, False])
async def test_the_cursor_blinks_or_stays_steady_as_the_settings_say(box_path, blink):
    from textual.widgets import Input

    from cardbox.core.settings import Settings

    app = build_app(review_box(box_path), settings=Settings(cursor_blink=blink))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.cursor_blink is blink
