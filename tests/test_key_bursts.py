"""Keys typed in one burst are each handled, in order, where the rep meant them.

Pilot's `press` waits for the app to settle between keys, which hides the
problem; here every key of a burst is queued before the app handles the
first, as a fast typist (or a terminal multiplexer) delivers them.
"""

from __future__ import annotations

from app_support import build_app, review_box
from helpers import file_cards, settle, today
from textual import events

from cardbox.ui.screens.box_screen import BoxScreen
from cardbox.ui.widgets.card_list import CardList


def burst(app, *keys: str) -> None:
    named = {"tab": "\t", "enter": "\r", "space": " "}
    for key in keys:
        character = named.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))


def typed(text: str) -> list[str]:
    return ["space" if ch == " " else ch for ch in text]


async def test_a_capture_typed_in_one_burst_lands_field_by_field(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "n", *typed("Zed Alpha"), "tab", *"4155550134", "tab", *"Acme", "tab", "tab", *typed("late January"),
              "tab", *typed("budget opens"), "ctrl+s", "1")
        await pilot.pause(0.5)
        await settle(app, pilot)
        zed = next(c for c in file_cards(box_path).values() if c["name"] == "Zed Alpha")
        assert (zed["phones"], zed["company"], zed["why"]) == (["+14155550134"], "Acme", "budget opens")
        assert zed["due"]["phrase"] == "late January"
        # The "1" behind ctrl+s waited for the form to close and logged on the card under it.
        assert today(app).deck.filed and "Oscar Older" not in str(app.screen.query_one("#card-title").render())
        oscar = next(c for c in file_cards(box_path).values() if c["name"] == "Oscar Older")
        assert [a["outcome"] for a in oscar["attempts"]] == ["no-answer"]


async def test_a_call_note_then_an_outcome_in_one_burst(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "tab", *typed("wants a quote"), "enter", "3", *typed("early May"), "enter")
        await pilot.pause(0.5)
        await settle(app, pilot)
        oscar = next(c for c in file_cards(box_path).values() if c["name"] == "Oscar Older")
        [attempt] = oscar["attempts"]
        assert attempt["outcome"] == "callback" and attempt["note"] == "wants a quote"
        assert oscar["due"]["phrase"] == "early May"


async def test_l_l_l_on_the_box_moves_three_piles(box_path):
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, BoxScreen)
        burst(app, "l", "l", "l")
        await pilot.pause(0.3)
        assert app.screen.pile == "nurture"  # active → needs a date → not-now → nurture


async def test_a_key_typed_into_a_screen_long_up_does_not_lay_the_screen_out_again(box_path):
    # Waiting for a screen's mount that finished long ago made Textual lay the whole screen out
    # and draw it again (with the dimmed one under it): a frame's work before find's first results.
    from textual.widget import Widget

    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("slash")
        await settle(app, pilot)
        find_screen = app.screen
        laid_out: list[Widget] = []
        original = find_screen.refresh

        def refresh(*regions, **kwargs):
            if kwargs.get("layout"):
                laid_out.append(find_screen)
            return original(*regions, **kwargs)

        find_screen.refresh = refresh  # type: ignore[method-assign]
        await pilot.press("w")
        await pilot.pause()
        assert laid_out == []
        assert list(find_screen.query_one("#find-results", CardList).ids)  # the key was handled
