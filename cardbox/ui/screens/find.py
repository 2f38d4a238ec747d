"""Find: a prospect calls in. Type any part of a name, company, email, note or
phone digits; the list narrows on every key; enter opens the card."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from cardbox.core.box_errors import BoxCorrupt
from cardbox.ui.base import CardboxModal
from cardbox.ui.early_keys import catch_early_key
from cardbox.ui.widgets.card_list import CardList
from cardbox.ui.widgets.rows import card_row, damaged_row


class FindScreen(CardboxModal[int | None]):

    BINDINGS = [
        Binding("escape", "close", "Close", id="find.close"),
        Binding("down", "move(1)", "Down", show=False, id="find.down"),
        Binding("up", "move(-1)", "Up", show=False, id="find.up"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="find.page_down"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="find.page_up"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="find"):
            yield Static("Find a card — name, company, email, notes or phone digits", classes="form-title")
            yield Input(placeholder="type to search…", id="find-input")
            yield Static(id="find-count", classes="find-count")
            yield CardList(self.render_row, empty="type a name, a company or some digits of the number", id="find-results")
            yield Static("↑↓ choose · enter opens · esc closes", classes="dialog-keys")

    def render_row(self, card_id: int, width: int):
        try:
            card = self.app.box.get(card_id)
        except BoxCorrupt as err:
            return damaged_row(card_id, str(err))
        return card_row(card, self.app.clock(), self.app.box.region, width)

    def on_mount(self) -> None:
        field = self.query_one("#find-input", Input)
        self.set_focus(field)
        # Searched as the value changes, inside the key's own handling: the frame that echoes the
        # key shows its results too. (Input.Changed arrives a few messages later, after that frame,
        # and the results then waited for the next one: ~25 ms more per key.)
        self.watch(field, "value", self.search, init=False)

    def on_key(self, event) -> None:
        catch_early_key(self, event, self.query_one("#find-input", Input))

    def search(self, query: str) -> None:
        ids = self.app.box.find_hits(query) if query.strip() else []
        results_list = self.query_one(CardList)
        results_list.empty_text = "no card matches — n captures a new one" if query.strip() else "type a name, a company or some digits of the number"
        # The list draws only the rows in view, so it can hold every match.
        results_list.set_ids(ids)
        self.query_one("#find-count", Static).update(f"{len(ids):,} card{'s' if len(ids) != 1 else ''}" if query.strip() else "")

    def action_move(self, step: int) -> None:
        self.query_one(CardList).action_cursor(step)

    @on(Input.Submitted, "#find-input")
    def open_highlighted(self) -> None:
        card_id = self.query_one(CardList).highlighted
        if card_id is not None:
            self.dismiss(card_id)

    @on(CardList.Selected)
    def selected(self, event: CardList.Selected) -> None:
        self.dismiss(event.card_id)

    def action_close(self) -> None:
        self.dismiss(None)
