"""Snapshot tests of each screen (pytest-textual-snapshot).

Regenerate after an intended change with: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest
from app_support import build_app, long_history_box, review_box
from helpers import press, typed

SIZE = (100, 32)


@pytest.fixture
def review_app(box_path):
    return build_app(review_box(box_path))


def test_today(snap_compare, review_app):
    assert snap_compare(review_app, terminal_size=SIZE)


def test_today_at_80x24(snap_compare, review_app):
    assert snap_compare(review_app, terminal_size=(80, 24))


def test_today_at_120x40(snap_compare, review_app):
    assert snap_compare(review_app, terminal_size=(120, 40))


def test_today_at_200x60(snap_compare, review_app):
    assert snap_compare(review_app, terminal_size=(200, 60))


def test_card_with_long_history(snap_compare, box_path):
    assert snap_compare(build_app(long_history_box(box_path)), terminal_size=SIZE)


def test_capture_with_live_preview(snap_compare, review_app):
    async def fill(pilot) -> None:
        await press(pilot, "n", typed("Dana Whitfield"), "tab", typed("4155550134"), "tab", typed("Acme Roofing"), "tab", "tab",
                    typed("late January"), "tab", typed("budget opens in January"))

    assert snap_compare(review_app, run_before=fill, terminal_size=SIZE)


def test_capture_with_an_error(snap_compare, review_app):
    async def fill(pilot) -> None:
        await press(pilot, "n", typed("Dana"), "tab", typed("123"), "tab", "tab", "tab", typed("sometime"), "ctrl+s")

    assert snap_compare(review_app, run_before=fill, terminal_size=SIZE)


def test_find(snap_compare, review_app):
    async def find(pilot) -> None:
        await press(pilot, "slash", typed("555 01"))

    assert snap_compare(review_app, run_before=find, terminal_size=SIZE)


def test_when_dialog(snap_compare, review_app):
    async def when(pilot) -> None:
        await press(pilot, "3", typed("next Tuesday at 4"))

    assert snap_compare(review_app, run_before=when, terminal_size=SIZE)


def test_review_summary(snap_compare, review_app):
    async def work_all(pilot):
        for key in ("1", "2", "5", "6", "1"):
            await pilot.press(key)
            await pilot.pause()
        await pilot.app.saver.drain()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(review_app, run_before=work_all, terminal_size=SIZE)


def test_help(snap_compare, review_app):
    assert snap_compare(review_app, press=["question_mark"], terminal_size=(100, 48))


def test_box_screen(snap_compare, review_app):
    assert snap_compare(review_app, press=["f4"], terminal_size=(120, 32))


@pytest.mark.parametrize("theme", ["manila", "daylight", "contrast"])
def test_each_theme(snap_compare, review_app, theme):
    async def use_theme(pilot):
        pilot.app.theme = theme
        await pilot.pause()

    assert snap_compare(review_app, run_before=use_theme, terminal_size=SIZE)


def test_session_idle(snap_compare, review_app):
    assert snap_compare(review_app, press=["f3"], terminal_size=SIZE)


def test_session_running_after_a_sale(snap_compare, review_app):
    async def run_before(pilot) -> None:
        await pilot.press("f3", "s")
        await pilot.app.saver.drain()
        await pilot.press("d", "d", "d", "c", "p", "S")
        await pilot.app.saver.drain()
        await pilot.pause()

    assert snap_compare(review_app, run_before=run_before, terminal_size=SIZE)


def test_counter_bar_on_today_at_80x24(snap_compare, review_app):
    async def run_before(pilot) -> None:
        await pilot.press("f3", "s")
        await pilot.app.saver.drain()
        await pilot.press("d", "d", "f2")
        await pilot.app.saver.drain()
        await pilot.pause()
        pilot.app.clear_notifications()

    assert snap_compare(review_app, run_before=run_before, terminal_size=(80, 24))


def test_numbers(snap_compare, demo_path):
    from helpers import NOW

    from cardbox.core.box import Box

    app = build_app(Box(demo_path, clock=lambda: NOW))

    async def run_before(pilot) -> None:
        await pilot.press("f5", "w")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(120, 50))
