"""The footer fits the terminal: outcomes, help and quit are always there, nothing is cut."""

from __future__ import annotations

import pytest
from app_support import build_app, review_box
from helpers import today
from textual.widgets._footer import FooterKey


def footer_entries(app) -> list[str]:
    keys = app.screen.query(FooterKey)
    return [f"{key.key_display} {key.description}".strip() for key in keys if key.display]


def footer_width(app) -> int:
    return sum(len(entry) + 1 for entry in footer_entries(app))


@pytest.mark.parametrize("width", [80, 100, 110, 120, 140, 200])
async def test_today_footer_fits_and_keeps_what_a_rep_needs(box_path, width):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        entries = footer_entries(app)
        assert footer_width(app) <= width, entries
        assert "? Help" in entries and "^q Quit" in entries
        assert "1–9 Outcome" in entries or "5 Sale" in entries
        assert entries[-1] == "^q Quit"
        # Spelled-out outcome keys never push out a new card, the next card or find.
        assert {"n New", "→ Next", "/ Find"} <= set(entries), entries
        assert len([entry for entry in entries if entry.endswith(" Next")]) == 1, entries  # one entry per binding


async def test_at_80_columns_the_outcomes_fold_into_one_entry(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        entries = footer_entries(app)
        assert entries[0] == "1–9 Outcome"
        assert not any(entry.startswith("2 ") for entry in entries)
        await pilot.press("2")  # folded, the keys still work
        assert today(app).deck.filed


async def test_every_screen_footer_fits_80_columns(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("f3", "f4", "f5", "f2"):
            await pilot.press(key)
            await pilot.pause()
            assert footer_width(app) <= 80, (key, footer_entries(app))
            assert "? Help" in footer_entries(app), key


async def test_an_empty_today_shows_no_outcome_keys(tmp_path):
    from app_support import NOW

    from cardbox.core.box import Box

    app = build_app(Box(tmp_path / "box.json", clock=lambda: NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        entries = footer_entries(app)
        assert not any("Outcome" in e or "No answer" in e or "Sale" in e for e in entries), entries
        assert not app.screen.query_one("#call-note-bar").display


async def test_ctrl_c_says_how_to_quit_without_raw_markup(box_path):
    from helpers import notice_hook

    seen, hook = notice_hook()
    app = build_app(review_box(box_path))
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert any("^q to quit" in notice or "ctrl+q to quit" in notice for notice in seen), seen
    assert not any("[b]" in notice for notice in seen)


async def test_help_and_hints_read_the_live_bindings_after_a_keymap(tmp_path, box_path):
    from app_support import NOW

    from cardbox.core.box import Box
    from cardbox.core.settings import Settings
    from cardbox.ui.app import make_app
    from cardbox.ui.screens.help import HelpScreen

    settings = Settings(keymap={"today.next": "l", "app.find": "ctrl+f"})
    app = make_app(review_box(box_path), clock=lambda: NOW, settings=settings, watch_interval=0)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = str(app.screen.query_one("#help-keys").render())
        assert "Next card" in table and "^f" in table
        # Every outcome has its own row in help, folded footer or not.
        assert "Log: do not call" in table and "Log: wrong number" in table
    empty = make_app(Box(tmp_path / "empty.json", clock=lambda: NOW), clock=lambda: NOW, settings=settings, watch_interval=0)
    async with empty.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        hint = str(empty.screen.query_one("#today-empty").render())
        assert "^f find" in hint and "/ find" not in hint


async def test_the_card_scrolls_by_keys_at_80x24(box_path):
    from app_support import long_history_box

    from cardbox.ui.widgets.index_card import IndexCard

    app = build_app(long_history_box(box_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        card = app.screen.query_one(IndexCard)
        assert card.max_scroll_y > 0 and card.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert card.scroll_y > 0
        await pilot.press("home")
        await pilot.pause()
        assert card.scroll_y == 0
        await pilot.press("down", "down")
        await pilot.pause()
        assert card.scroll_y == 2
        assert "PgDn More" in footer_entries(app)


async def test_box_rows_are_drawn_on_the_themes_background(box_path):
    from cardbox.ui.widgets.card_list import CardList

    app = build_app(review_box(box_path))
    async with app.run_test(size=(120, 32)) as pilot:
        app.theme = "daylight"
        await pilot.press("f4")
        await pilot.pause()
        box_list = app.screen.query_one(CardList)
        background = box_list.rich_style.bgcolor
        assert background is not None
        strip = box_list.render_line(1)  # a row that is not the cursor
        assert all(segment.style is not None and segment.style.bgcolor == background for segment in strip if segment.text.strip())


async def test_the_footer_lets_go_of_the_keys_it_no_longer_shows(box_path):
    # Textual's footer binds every key it draws to its `compact` setting and kept them all:
    # on Today it is drawn again for each card, so a shift's worth of keys stayed in memory.
    import gc

    from textual.widgets import Footer

    app = build_app(review_box(box_path))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        for _ in range(3):
            for _ in range(5):
                await pilot.press("right")
                await pilot.pause()
            for _ in range(5):
                await pilot.press("left")
                await pilot.pause()
        footer = app.screen.query_one(Footer)
        shown = len(footer.query(FooterKey))
        watchers = getattr(footer, "__watchers", {}).get("compact", [])
        assert 0 < len(watchers) <= shown
        gc.collect()
        alive = [o for o in gc.get_objects() if isinstance(o, FooterKey)]
        assert len(alive) <= 2 * shown


async def test_the_review_done_screen_offers_only_keys_that_do_something(box_path):
    from cardbox.core.box import Box

    box = review_box(box_path)
    for card in box.cards():
        box.log(card.id, "not-interested")
    app = build_app(Box(box_path, clock=box.clock))
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        entries = footer_entries(app)
        assert today(app).deck.current_id is None
        assert not {"→ Next", "tab Note", "PgDn More"} & set(entries), entries
        assert {"n New", "/ Find"} <= set(entries)
