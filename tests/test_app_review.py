"""Pilot tests of the daily flip-through: keys in, screen and box file checked."""

from __future__ import annotations

from app_support import NOW, build_app, review_box
from helpers import file_cards, notice_hook, press, settle, today, typed
from textual.widgets import Input

from cardbox.core.box import Box
from cardbox.ui.screens.dialogs import NurtureDialog, WhenDialog
from cardbox.ui.screens.today import TodayScreen


def card_names(app) -> list[str]:
    return [app.box.get(card_id).name for card_id in today(app).deck.ids]


def shown_name(app) -> str:
    return str(app.screen.query_one("#card-title").render())


async def test_today_opens_on_the_due_cards_in_flip_order(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app.screen, TodayScreen)
        assert card_names(app) == ["Oscar Older", "Olga Overdue", "Tina Timed", "Walt Wider", "Wendy Window"]
        assert "Oscar Older" in shown_name(app)
        strip = str(app.screen.query_one("#strip-where").render())
        assert "card 1 of 5" in strip and "2 overdue" in strip
        await pilot.press("right")
        assert "Olga Overdue" in shown_name(app)
        await pilot.press("space", "j")
        assert "Walt Wider" in shown_name(app)
        await pilot.press("left", "k")
        assert "Olga Overdue" in shown_name(app)


async def test_a_whole_review_with_every_outcome(box_path):
    box = review_box(box_path)
    app = build_app(box)
    async with app.run_test(size=(100, 32)) as pilot:
        # 1: no answer — re-filed by the cool-down, the next card shows at once.
        await pilot.press("1")
        assert "Olga Overdue" in shown_name(app)
        # 2: voicemail, with a call note typed first.
        await press(pilot, "tab", typed("left message re budget"), "enter")
        await pilot.press("2")
        assert "Tina Timed" in shown_name(app)
        # 3: talked — call back: asks when, with the live preview.
        await pilot.press("3")
        assert isinstance(app.screen, WhenDialog)
        await press(pilot, typed("early May"))
        await pilot.pause()
        assert "May 2027" in str(app.screen.query_one("#when-preview").render())
        await pilot.press("enter")
        assert "Walt Wider" in shown_name(app)
        # 4: appointment, asks when.
        await pilot.press("4")
        await press(pilot, typed("tomorrow at 4"), "enter")
        assert "Wendy Window" in shown_name(app)
        # 7: Plan B — asks which track.
        await pilot.press("7")
        assert isinstance(app.screen, NurtureDialog)
        await pilot.press("y")
        await settle(app, pilot)
        # Every card done: the summary.
        assert today(app).deck.finished
        summary = str(app.screen.query_one("#today-summary").render())
        assert "worked        5" in summary
        assert "appointments  1" in summary
        assert "Wendy Window" in str(app.screen.query_one("#last-logged").render())

    cards = {c["name"]: c for c in file_cards(box_path).values()}
    assert [a["outcome"] for a in cards["Oscar Older"]["attempts"]] == ["no-answer"]
    assert cards["Oscar Older"]["due"]["start"] == "2026-11-23"  # next business day
    olga = cards["Olga Overdue"]["attempts"][-1]
    assert olga["outcome"] == "voicemail" and olga["note"] == "left message re budget"
    assert cards["Tina Timed"]["due"]["start"] == "2027-05-01"
    assert cards["Tina Timed"]["due"]["phrase"] == "early May"
    assert cards["Walt Wider"]["attempts"][-1]["outcome"] == "appointment"
    assert cards["Walt Wider"]["due"]["start"] == "2026-11-23T16:00-08:00"
    assert cards["Wendy Window"]["status"] == "nurture"
    assert cards["Wendy Window"]["due"]["start"] == "2027-01-03"  # 6 weeks: opted in


async def test_sale_and_not_interested_leave_the_active_pile(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("5")
        await pilot.press("6")
        await settle(app, pilot)
    cards = {c["name"]: c for c in file_cards(box_path).values()}
    assert cards["Oscar Older"]["status"] == "won"
    assert cards["Olga Overdue"]["status"] == "not-now"
    assert cards["Olga Overdue"]["attempts"][-1]["outcome"] == "not-interested"


async def test_the_same_key_twice_at_once_logs_once(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("1", "1")
        await settle(app, pilot)
        assert "Olga Overdue" in shown_name(app)
    cards = {c["name"]: c for c in file_cards(box_path).values()}
    assert len(cards["Oscar Older"]["attempts"]) == 1
    assert cards["Olga Overdue"]["attempts"] == []


async def test_the_same_key_again_after_the_guard_is_meant(box_path):
    from app_support import Seconds

    from cardbox.ui.outcomes import REPEAT_GUARD_SECONDS

    seconds = Seconds()
    app = build_app(review_box(box_path), monotonic=seconds)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("1")
        await settle(app, pilot)
        seconds.wait(REPEAT_GUARD_SECONDS - 0.05)
        await pilot.press("1")  # a bounce, however long the machine took to deliver it
        await settle(app, pilot)
        seconds.wait(0.1)
        await pilot.press("1")  # the rep's next call
        await settle(app, pilot)
    cards = {c["name"]: c for c in file_cards(box_path).values()}
    assert len(cards["Oscar Older"]["attempts"]) == 1 and len(cards["Olga Overdue"]["attempts"]) == 1


async def test_cancelled_when_dialog_logs_nothing(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await press(pilot, "3", typed("sometime"), "enter")
        # Still open: "sometime" has no date in it, and it says so.
        assert isinstance(app.screen, WhenDialog)
        assert "✗" in str(app.screen.query_one("#when-preview").render())
        await pilot.press("escape")
        await settle(app, pilot)
        assert "Oscar Older" in shown_name(app)
    assert all(c["attempts"] == [] for c in file_cards(box_path).values())


async def test_undo_takes_back_the_last_outcome(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("1")
        await settle(app, pilot)
        assert len(Box(box_path, clock=lambda: NOW).get(2).attempts) == 1  # Oscar is card #2
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        # Back on the card, ready to log again.
        assert "Oscar Older" in shown_name(app)
        assert not today(app).deck.filed
    oscar = next(c for c in file_cards(box_path).values() if c["name"] == "Oscar Older")
    assert oscar["attempts"] == []
    assert oscar["due"]["phrase"] == "early November"


async def test_a_failed_save_is_reported_and_nothing_is_lost(box_path, monkeypatch):
    import errno

    box = review_box(box_path)
    app = build_app(box)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    seen, hook = notice_hook()
    async with app.run_test(size=(100, 32), message_hook=hook) as pilot:
        monkeypatch.setattr("cardbox.core.files.write_atomically", disk_full)
        monkeypatch.setattr("cardbox.core.journal.append", disk_full)
        await press(pilot, "tab", typed("said call back after lunch"), "enter")
        await pilot.press("1")
        await settle(app, pilot)
        await pilot.pause()
        # Told plainly, the card is not marked done, the note is back.
        assert "NOT SAVED" in app.save_status
        assert any("the disk holding" in notice and "is full" in notice for notice in seen)
        assert not today(app).deck.filed
        # The note is back with the card it was typed on, not on the card now on screen.
        assert app.screen.query_one("#call-note", Input).value == ""
        # The app keeps working once the disk has room again.
        monkeypatch.undo()
        await pilot.press("left")
        assert app.screen.query_one("#call-note", Input).value == "said call back after lunch"
        await pilot.press("1")
        await settle(app, pilot)
        assert app.save_status.startswith("saved")
    oscar = next(c for c in file_cards(box_path).values() if c["name"] == "Oscar Older")
    assert [a["note"] for a in oscar["attempts"]] == ["said call back after lunch"]


async def test_a_card_added_from_another_terminal_shows_up(box_path):
    box = review_box(box_path)
    app = build_app(box)
    app.watch_interval = 0.05
    async with app.run_test(size=(100, 32)) as pilot:
        assert today(app).deck.total == 5
        other = Box(box_path, clock=lambda: NOW)
        from cardbox.core.window import DueWindow

        other.add("Eddie External", phones=["415 555 0199"], due=DueWindow.on_day(NOW.date(), "today"))
        for _ in range(40):
            await pilot.pause(0.05)
            if today(app).deck.total == 6:
                break
        assert "Eddie External" in card_names(app)
        # And a change made here afterwards keeps the other window's card.
        await pilot.press("1")
        await settle(app, pilot)
    names = {c["name"] for c in file_cards(box_path).values()}
    assert "Eddie External" in names


async def test_empty_day_says_so(tmp_path):
    box = Box(tmp_path / "empty.json", clock=lambda: NOW)
    app = build_app(box)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Nothing due today" in str(app.screen.query_one("#today-empty").render())
        await pilot.press("1")  # no card: nothing is logged, nothing breaks
        await settle(app, pilot)
        assert app.is_running and not app.undo_stack
        assert not box.path.exists() or all(not c["attempts"] for c in file_cards(box.path).values())


async def test_history_is_on_the_card(box_path):
    from app_support import long_history_box

    app = build_app(long_history_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        history = str(app.screen.query_one("#card-history").render())
        assert history.startswith("12 attempts over")
        assert history.index("attempt 12 note") < history.index("attempt 1 note")
        why = str(app.screen.query_one("#card-why").render())
        assert "contract with current broker" in why
        assert "Harriet Historian" in shown_name(app)


def history_of(box_path, name: str) -> list[dict]:
    return next(c for c in file_cards(box_path).values() if c["name"] == name)["attempts"]


async def test_a_call_note_stays_with_the_card_it_was_typed_on(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "tab", typed("note for Oscar"), "enter")
        await pilot.press("right")  # moved on without logging
        assert "Olga Overdue" in shown_name(app)
        assert app.screen.query_one("#call-note", Input).value == ""
        await pilot.press("1")
        await settle(app, pilot)
        assert history_of(box_path, "Olga Overdue")[-1]["note"] == ""  # not Oscar's note
        # Back on Oscar, his draft is waiting, and goes with his outcome.
        await pilot.press("left", "left")
        assert "Oscar Older" in shown_name(app)
        assert app.screen.query_one("#call-note", Input).value == "note for Oscar"
        await pilot.press("2")
        await settle(app, pilot)
        assert history_of(box_path, "Oscar Older")[-1]["note"] == "note for Oscar"


async def test_the_line_under_the_card_follows_an_undo(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("5")
        await settle(app, pilot)
        logged = str(app.screen.query_one("#last-logged").render())
        assert "Oscar Older" in logged and "sale" in logged
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        logged = str(app.screen.query_one("#last-logged").render())
        assert "undone" in logged and "sale → won" not in logged
        assert "Oscar Older" in shown_name(app)


async def test_the_top_line_and_the_summary_agree_on_what_is_left(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("1")  # Oscar worked
        await pilot.press("right", "right", "right", "right")  # past the last card, three not worked
        await settle(app, pilot)
        strip = str(app.screen.query_one("#strip-where").render())
        summary = str(app.screen.query_one("#today-summary").render())
        assert "done" not in strip and "4 not worked yet" in strip
        assert "4 cards not worked yet" in summary


async def test_the_review_summary_is_the_days_history_after_a_relaunch(box_path):
    box = review_box(box_path)
    oscar = next(card for card in box.cards() if card.name == "Oscar Older")
    box.log(oscar.id, "sale")  # logged from the shell (or another screen) before the app opened
    app = build_app(Box(box_path, clock=lambda: NOW))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("1", "2", "1", "2")  # the same key twice at once would be a bounce
        await settle(app, pilot)
        summary = today(app).review
        assert (summary.worked, summary.sales, summary.left) == (5, 1, 0)
    # A relaunch counts the same.
    app = build_app(Box(box_path, clock=lambda: NOW))
    async with app.run_test(size=(100, 32)):
        assert today(app).review.worked == 5 and today(app).review.sales == 1


async def test_a_wrong_number_offers_to_fix_the_number_or_file_it(box_path):
    from cardbox.ui.screens.capture import CaptureScreen
    from cardbox.ui.screens.dialogs import WrongNumberDialog

    app = build_app(review_box(box_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("8")
        assert isinstance(app.screen, WrongNumberDialog)
        await pilot.press("f")  # fix it: the form opens on the phone field, nothing logged
        assert isinstance(app.screen, CaptureScreen)
        assert app.screen.focused is not None and app.screen.focused.id == "phone"
        await press(pilot, typed("415 555 0199"), "ctrl+s")
        await settle(app, pilot)
        assert history_of(box_path, "Oscar Older") == []
        oscar = next(c for c in file_cards(box_path).values() if c["name"] == "Oscar Older")
        assert oscar["phones"] == ["+14155550199"] and oscar["status"] == "active"
        # The other way: file it not-now.
        await pilot.press("8")
        await pilot.press("n")
        await settle(app, pilot)
        assert [a["outcome"] for a in history_of(box_path, "Oscar Older")] == ["wrong-number"]
        assert next(c for c in file_cards(box_path).values() if c["name"] == "Oscar Older")["status"] == "not-now"
        # Escape changes nothing.
        await pilot.press("8", "escape")
        await settle(app, pilot)
        assert history_of(box_path, "Olga Overdue") == []


async def test_the_channel_goes_forward_with_c_and_back_with_shift_c_with_one_toast(box_path):
    from cardbox.core.outcomes import CHANNELS

    seen, hook = notice_hook()
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32), message_hook=hook) as pilot:
        await pilot.press("c", "c", "c", "c", "c", "c", "c")
        await pilot.pause()
        assert app.channel == CHANNELS[7 % len(CHANNELS)]
        await pilot.press("C")
        await pilot.pause()
        assert app.channel == CHANNELS[6 % len(CHANNELS)]
        # One toast, not seven stacked over the header, and never one naming a channel already left behind.
        assert sum("c for the next channel" in text for text in seen) == 1
        assert not any(channel in text for text in seen for channel in CHANNELS[1:])


async def test_at_80_columns_the_strip_keeps_the_overdue_count_beside_the_channel(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")  # logging as voicemail
        await pilot.pause()
        strip = str(app.screen.query_one("#strip-where").render())
        overdue = today(app).deck.overdue_left
        assert overdue and f"{overdue} overdue" in strip and "logging as voicemail" in strip, strip
