"""Pilot tests of capture, find, edit, themes and the command palette."""

from __future__ import annotations

from app_support import NOW, Seconds, build_app, review_box
from helpers import file_cards, notice_hook, press, settle, today, typed
from textual.widgets import Input

from cardbox.core.box import Box
from cardbox.ui.screens.box_screen import BoxScreen
from cardbox.ui.screens.capture import CaptureScreen
from cardbox.ui.screens.card_screen import CardScreen
from cardbox.ui.screens.dialogs import DuplicateDialog
from cardbox.ui.screens.find import FindScreen
from cardbox.ui.screens.today import TodayScreen
from cardbox.ui.widgets.card_list import CardList


async def type_capture(pilot, name="Dana Whitfield", phone="(415) 555-0134", company="Acme Roofing",
                       email="dana@acme.example", when="late January", why="budget opens in January"):
    # Fields in tab order: name, phone, company, email, when, why, notes, tags.
    await press(pilot, typed(name), "tab", typed(phone), "tab", typed(company), "tab", typed(email), "tab", typed(when), "tab", typed(why))


async def test_capture_with_a_phrase(box_path):
    app = build_app(Box(box_path, clock=lambda: NOW))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, CaptureScreen)
        await type_capture(pilot)
        await press(pilot, "tab", typed("roof problems"), "tab", typed("hot"))
        await pilot.pause()
        preview = str(app.screen.query_one("#when-preview").render())
        assert "late Jan 2027" in preview
        assert "(415) 555-0134" in str(app.screen.query_one("#phone-check").render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
    [card] = file_cards(box_path).values()
    assert card["name"] == "Dana Whitfield"
    assert card["phones"] == ["+14155550134"]
    assert card["due"]["start"] == "2027-01-21" and card["due"]["end"] == "2027-01-31"
    assert card["due"]["phrase"] == "late January"
    assert card["why"] == "budget opens in January"
    assert card["notes"] == "roof problems"
    assert card["tags"] == ["hot"]


async def test_capture_abandoned_and_resumed(box_path):
    app = build_app(Box(box_path, clock=lambda: NOW))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("n")
        await press(pilot, typed("Half Typed"), "tab", typed("212 555 01"))
        await pilot.press("escape")
        assert isinstance(app.screen, TodayScreen)
        assert not box_path.exists() or file_cards(box_path) == {}
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#name", Input).value == "Half Typed"
        assert app.screen.query_one("#phone", Input).value == "212 555 01"
        await press(pilot, "tab", "end", typed("42"), "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert app.capture_draft == {}
    [card] = file_cards(box_path).values()
    assert card["name"] == "Half Typed" and card["phones"] == ["+12125550142"]


async def test_capture_errors_keep_what_was_typed(box_path):
    app = build_app(Box(box_path, clock=lambda: NOW))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("n")
        await type_capture(pilot, phone="123", when="sometime")
        await pilot.pause()
        assert "✗" in str(app.screen.query_one("#when-preview").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaptureScreen)
        error = str(app.screen.query_one("#form-error").render())
        assert "'123' is not a valid number in US" in error
        assert app.screen.query_one("#name", Input).value == "Dana Whitfield"
        # Fix the phone; the date is still unreadable, and it says so.
        app.screen.query_one("#phone", Input).value = "415 555 0134"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaptureScreen)
        assert "date" in str(app.screen.query_one("#form-error").render())
    assert not box_path.exists() or file_cards(box_path) == {}


async def test_capture_points_out_a_duplicate(box_path):
    box = review_box(box_path)
    seconds = Seconds()
    app = build_app(box, monotonic=seconds)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("n")
        await type_capture(pilot, name="Olga O.", phone="415-555-0101", when="")
        await pilot.pause()
        assert "already on" in str(app.screen.query_one("#phone-check").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DuplicateDialog)
        await pilot.press("o")  # typed on from the form, before the question could be read: not an answer
        assert isinstance(app.screen, DuplicateDialog)
        seconds.wait(1)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        assert app.box.get(app.screen.card_id).name == "Olga Overdue"
        # The draft is kept for later.
        assert app.capture_draft["name"] == "Olga O."
    assert len(file_cards(box_path)) == 6


async def test_find_by_phone_digits_then_log_the_call(box_path):
    box = review_box(box_path)
    app = build_app(box)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, FindScreen)
        await press(pilot, typed("555 0106"))
        await pilot.pause()
        assert app.screen.query_one("#find-count").render()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        assert app.box.get(app.screen.card_id).name == "Future Fran"
        await press(pilot, "3", typed("next Tuesday at 4"), "enter")
        await settle(app, pilot)
        await pilot.press("escape")
        assert isinstance(app.screen, TodayScreen)
    fran = next(c for c in file_cards(box_path).values() if c["name"] == "Future Fran")
    assert fran["attempts"][-1]["outcome"] == "callback"
    assert fran["due"]["start"] == "2026-11-24T16:00-08:00"


async def test_find_narrows_on_every_key(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("slash", "w")
        await pilot.pause()
        first = list(app.screen.query_one("#find-results", CardList).ids)
        await pilot.press("a", "l", "t")
        await pilot.pause()
        narrowed = list(app.screen.query_one("#find-results", CardList).ids)
        assert len(narrowed) < len(first)
        assert [app.box.get(i).name for i in narrowed] == ["Walt Wider"]


async def test_find_results_follow_the_typed_text_in_the_same_step(box_path):
    # The results are set while the key itself is handled, so the frame that shows the
    # letter shows its results: no message in between, nothing left for a later frame.
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("slash")
        field = app.screen.query_one("#find-input", Input)
        results = app.screen.query_one("#find-results", CardList)
        field.value = "walt"
        assert [app.box.get(i).name for i in results.ids] == ["Walt Wider"]
        field.value = ""
        assert list(results.ids) == []


async def test_edit_a_card_and_undo_the_edit(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, CaptureScreen) and app.screen.editing
        name = app.screen.query_one("#name", Input)
        name.value = "Oscar Oldest"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert app.box.get(2).name == "Oscar Oldest"
        await pilot.press("ctrl+z")
        await settle(app, pilot)
    oscar = next(c for c in file_cards(box_path).values() if c["id"] == 2)
    assert oscar["name"] == "Oscar Older"


async def test_a_card_re_dated_out_of_today_with_e_leaves_the_flip(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        deck = today(app).deck
        before = list(deck.ids)
        first = deck.current_id
        await pilot.press("e")
        app.screen.query_one("#when", Input).value = "after the holidays"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert first not in deck.ids and deck.ids == [i for i in before if i != first]
        assert deck.current_id == before[1]  # the next card is up
        assert today(app).review.worked == 0  # a new date is not an outcome
        await pilot.press("ctrl+z")  # undone: it is due again, and back in the flip
        await settle(app, pilot)
        assert first in deck.ids


async def test_add_a_note(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await press(pilot, "a", typed("ask for Sam"), "enter")
        await settle(app, pilot)
    oscar = next(c for c in file_cards(box_path).values() if c["id"] == 2)
    assert oscar["notes"].endswith("2026-11-22: ask for Sam")


async def test_box_screen_lists_piles(box_path):
    box = review_box(box_path)
    box.log(1, "not-interested")
    app = build_app(box)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        listing = app.screen.query_one("#box-list", CardList)
        assert len(listing.ids) == 5
        await pilot.press("right")  # the "needs a date" pile: every card here has one
        await pilot.pause()
        assert listing.ids == []
        await pilot.press("right")
        await pilot.pause()
        assert [app.box.get(i).name for i in listing.ids] == ["Olga Overdue"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        await pilot.press("escape", "f2")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)


async def test_theme_is_switchable_and_remembered(box_path, tmp_path):
    from cardbox.core.settings import load_settings

    settings_path = tmp_path / "settings.json"
    app = build_app(review_box(box_path), settings_path=settings_path)
    async with app.run_test(size=(100, 32)) as pilot:
        assert app.theme == "manila"
        assert {"manila", "daylight", "contrast"} <= set(app.available_themes)
        app.theme = "daylight"
        await settle(app, pilot)
    settings, warnings = load_settings(settings_path)
    assert settings.theme == "daylight" and not warnings


async def test_a_broken_theme_file_warns_and_falls_back(box_path, tmp_path):
    from cardbox.core.paths import bundled_themes_dir

    mine = tmp_path / "themes"
    mine.mkdir()
    (mine / "broken.toml").write_text("name = 'broken'\nprimary = 'not a colour'\n")
    (mine / "garbage.toml").write_text("[[[")
    app = build_app(review_box(box_path), theme_dirs=[bundled_themes_dir(), mine])
    seen, hook = notice_hook()
    async with app.run_test(size=(100, 32), message_hook=hook) as pilot:
        await pilot.pause()
        messages = " ".join(seen)
        assert "broken.toml" in messages and "garbage.toml" in messages
        assert app.theme == "manila"


async def test_every_screen_action_is_in_the_command_palette(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"New card", "Find a card", "Today", "Box", "Undo", "Help", "Theme"} <= titles
        assert {"No answer", "Voicemail", "Call back…", "Sale", "Wrong no.", "Do not call…", "Edit", "Note"} <= {t.split("·")[0] for t in titles}
        # Only what a rep uses: none of Textual's generic commands.
        assert not titles & {"Screenshot", "Maximize", "Copy selected text", "Keys", "Bell"}
        await pilot.press("f4")
        await pilot.pause()
        helps = {command.help for command in app.get_system_commands(app.screen)}
        assert "Box: every card" in helps and "Box: the all cards" not in helps


async def test_the_theme_list_starts_with_cardbox_themes(box_path):
    from cardbox.ui.themes import CardboxThemes

    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        palette = app.screen
        names = [name for name, _, _ in CardboxThemes(palette).commands()]
        assert names[:3] == ["manila", "daylight", "contrast"] or set(names[:3]) == {"manila", "daylight", "contrast"}
        assert len(names) > 3  # Textual's come after


async def test_help_lists_every_key(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = str(app.screen.query_one("#help-keys").render())
        for word in ("Log: no answer", "Next card", "Capture a callback card", "Undo the last change", "Quit"):
            assert word in text


async def test_a_long_reason_wraps_in_sight_and_enter_moves_on(box_path):
    from cardbox.ui.screens.capture import WhyField

    reason = "the board approves next year's budget in January and wants a proposal in hand before that meeting"
    app = build_app(review_box(box_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "n", typed("Dana"), "tab", "tab", "tab", "tab", "tab")
        why = app.screen.query_one("#why", WhyField)
        assert app.screen.focused is why
        await press(pilot, typed(reason))
        await pilot.pause()
        assert why.size.height >= 2  # wrapped, all of it in view
        await pilot.press("enter")
        assert app.screen.focused is not why and why.value == reason  # enter moves on, adds no line break
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    dana = next(c for c in file_cards(box_path).values() if c["name"] == "Dana")
    assert dana["why"] == reason


async def test_a_new_sort_in_the_box_starts_at_the_top(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        listing = app.screen.query_one("#box-list", CardList)
        await pilot.press("down", "down", "down")
        await pilot.pause()
        assert listing.cursor == 3
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, BoxScreen) and app.screen.sort == "name" and listing.cursor == 0
        assert listing.highlighted == listing.ids[0]
        names = [app.box.get(i).name for i in listing.ids]
        assert names == sorted(names, key=str.casefold)


def test_a_list_row_never_cuts_the_urgency_of_a_call_set_far_ahead():
    from datetime import date, datetime

    from cardbox.core.card import Card
    from cardbox.core.window import DueWindow
    from cardbox.ui.widgets.rows import card_row

    now = datetime(2026, 12, 4, 10)
    due = DueWindow(datetime(2027, 5, 23, 10), datetime(2027, 5, 23, 10), "time", "may 23 at 10", "Sun 23 May 2027 10:00")
    card = Card(id=231, name="Andre Dubois", company="Cedar Insurance", phones=("+19195550146",), created=now, updated=now, due=due)
    row = card_row(card, now, "US", 120).plain
    assert row.rstrip().endswith(f"in {(date(2027, 5, 23) - now.date()).days} days") and "…" not in row, row


def test_a_list_row_shows_a_window_whole_on_the_reps_clock_at_120_columns():
    from datetime import date, datetime

    from cardbox.core.card import Card
    from cardbox.core.window import DueWindow
    from cardbox.ui.widgets.rows import card_row

    now = datetime(2026, 11, 25, 10)
    month = DueWindow(date(2026, 12, 1), date(2026, 12, 10), "month", "early December", "early Dec 2026 (Tue 1 – Thu 10 Dec)")
    timed = DueWindow(datetime(2026, 12, 1, 17, 30), datetime(2026, 12, 1, 17, 30), "time", "Tuesday at 3:30",
                      "Tue 1 Dec 2026 17:30 your time (15:30 CST)")
    for due, shown_as in ((month, "early Dec 2026 (Tue 1 – Thu 10 Dec)"), (timed, "Tue 1 Dec 2026 17:30")):
        card = Card(id=143, name="Beth Chen", company="Keystone Plumbing", phones=("+13035550109",), created=now, updated=now, due=due)
        row = card_row(card, now, "US", 118).plain  # the list's width at 120 columns, less its scrollbar
        assert shown_as in row and "…" not in row and "your time" not in row, row


def test_list_rows_line_up_whatever_pile_a_card_is_on_and_names_go_whole_at_100_columns():
    from datetime import date, datetime

    from cardbox.core.card import Card
    from cardbox.core.window import DueWindow
    from cardbox.ui.widgets.rows import card_row

    now = datetime(2026, 11, 25, 10)
    due = DueWindow(date(2026, 12, 1), date(2026, 12, 10), "month", "early December", "early Dec 2026 (Tue 1 – Thu 10 Dec)")
    won = Card(id=77, name="Andre Grant", company="Bluebird Landscaping", phones=("+12125550164",), created=now, updated=now,
               status="won")
    active = Card(id=297, name="Andre Moreno", company="Bluebird Realty", phones=("+14045550120",), created=now, updated=now, due=due)
    rows = [card_row(card, now, "US", 98).plain for card in (won, active)]
    assert rows[0].index("(212)") == rows[1].index("(404)")  # the phone column lines up
    assert "Bluebird Landscaping" in rows[0] and "…" not in rows[0] + rows[1]
    assert rows[0].rstrip().endswith("won")
